"""No dead link in the project's Markdown: every relative link of every tracked Markdown file resolves.

A newcomer follows the README into docs/; a link to a moved or deleted page (docs/kpi/*.md once had ten) sends them
nowhere. Checked: inline links and images `[text](target)` and reference definitions `[name]: target` outside code,
relative to the file; the target must exist inside the repository (a link out of it, such as to a spec folder beside
the clone, is dead on GitHub and on a fresh clone); a `#anchor` must name a heading (GitHub's slugs) or an explicit
`id`/`name` of the target Markdown file. External URLs (http, https, mailto) are not fetched.
"""

from __future__ import annotations

import csv
import re
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest

from switchboard import settings

ROOT = settings.PROJECT_DIR.resolve()
FENCE = re.compile(r"^(```|~~~)")
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"|\sid=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def markdown_files() -> list[Path]:
    """Tracked Markdown files and new ones not yet added (not ignored); every *.md outside git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted(ROOT / line for line in out.splitlines() if (ROOT / line).is_file())
    except (OSError, subprocess.CalledProcessError):
        skip = {".venv", "build", "target", "dbt_packages", "logs", "data"}
        return sorted(p for p in ROOT.rglob("*.md") if not skip & set(p.relative_to(ROOT).parts))


def prose_lines(text: str, blank_code: bool = True) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, with inline code spans blanked unless not `blank_code`."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, CODE_SPAN.sub("", line) if blank_code else line))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: markup dropped, lower-case, punctuation removed, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """Every anchor a Markdown file offers: heading slugs (repeats numbered -1, -2 as GitHub does) and explicit ids."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8"), blank_code=False):
        match = HEADING.match(line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    for match in EXPLICIT_ANCHOR.finditer(path.read_text(encoding="utf-8")):
        found.add(match.group(1) or match.group(2))
    return frozenset(found)


def links(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        found += [(number, m.group(1)) for m in INLINE.finditer(line)]
        reference = REFERENCE.match(line)
        if reference:
            found.append((number, reference.group(1)))
    return found


def problem(source: Path, target: str) -> str | None:
    """Why a link is dead, or None when it resolves."""
    if EXTERNAL.match(target):
        return None
    location, _, anchor = target.partition("#")
    location = unquote(location.split("?", 1)[0])
    resolved = (source.parent / location).resolve() if location else source
    if not resolved.is_relative_to(ROOT):
        return "points outside the repository"
    if not resolved.exists():
        return "no such file or folder"
    if anchor and resolved.suffix.lower() == ".md" and unquote(anchor).lower() not in anchors(resolved):
        return f"no heading or id '{anchor}' in {resolved.relative_to(ROOT)}"
    return None


def dead_links(paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: ({target}) {why}"
        for path in paths
        for number, target in links(path)
        if (why := problem(path, target))
    ]


def test_there_is_markdown_to_check():
    names = {p.relative_to(ROOT).as_posix() for p in markdown_files()}
    assert {"README.md", "docs/kpi-definitions.md"} <= names


def test_no_dead_relative_link_in_markdown():
    dead = dead_links(markdown_files())
    assert not dead, f"{len(dead)} dead links:\n" + "\n".join(dead)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Two commands", "two-commands"),
        ("Service level: exclude short abandons by default", "service-level-exclude-short-abandons-by-default"),
        ("`rpt_qa_agents_under_min_sample` and `make lint`", "rpt_qa_agents_under_min_sample-and-make-lint"),
        ("Privacy: engagement with ≥ 5 responses", "privacy-engagement-with--5-responses"),
        ("Links [docs](docs/x.md) keep their text", "links-docs-keep-their-text"),
    ],
)
def test_slugs_follow_github(heading, expected):
    assert slug(heading) == expected


def test_the_check_finds_dead_links_and_anchors(tmp_path, monkeypatch):
    """The checker must fail on what it is for: a missing file, a missing anchor, a link out of the tree."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n\n## A section\n\n## A section\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "[ok](docs/page.md) [ok](docs/page.md#a-section) [ok](docs/page.md#a-section-1) [ok](#top) [web](https://x.y)\n"
        "[gone](docs/kpi/team.md) [anchor](docs/page.md#nothing) [out](../elsewhere.md)\n"
        "`[code](missing.md)` [self](#missing-here)\n"
        "```\n[fenced](missing.md)\n```\n"
        "[ref]: docs/absent.md\n"
        "# Top\n",
        encoding="utf-8",
    )
    anchors.cache_clear()
    dead = dead_links([readme])
    anchors.cache_clear()
    assert [d.split(" ", 1)[0] for d in dead] == [
        "README.md:2:",
        "README.md:2:",
        "README.md:2:",
        "README.md:3:",
        "README.md:7:",
    ], dead
    assert "(docs/kpi/team.md) no such file" in dead[0]
    assert "no heading or id 'nothing'" in dead[1]
    assert "outside the repository" in dead[2]
    assert "missing-here" in dead[3]


def test_every_kpi_of_the_catalogue_seed_is_indexed_in_the_decision_log():
    """The decision index promises that no KPI is published without a recorded rule: every kpi_name of
    seeds/kpi_definitions.csv must appear in its 'By KPI' table (a new KPI is added there with its entry)."""
    with open(settings.SEEDS_DIR / "kpi_definitions.csv", encoding="utf-8") as handle:
        names = [row["kpi_name"] for row in csv.DictReader(handle)]
    index = (ROOT / "docs" / "decisions" / "README.md").read_text(encoding="utf-8").split("## By KPI", 1)[1]
    listed = set(re.findall(r"[a-z][a-z0-9_]*", index))
    assert names, "the catalogue seed is empty"
    assert not [n for n in names if n not in listed], "KPIs missing from docs/decisions/README.md"
