"""The organisation: employees, teams, schedules, absences and each agent's planned working days."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from switchboard.generator import shape
from switchboard.generator.common import (
    DAY,
    Seeds,
    Site,
    TableBuf,
    day_number,
    local_to_utc,
    py_rng,
    utc_day,
)

FIRST = (
    "Anna",
    "Ben",
    "Carla",
    "Dawid",
    "Ewa",
    "Frank",
    "Grace",
    "Hugo",
    "Iga",
    "Jan",
    "Kasia",
    "Liam",
    "Maria",
    "Noah",
    "Ola",
    "Piotr",
    "Quinn",
    "Rosa",
    "Sam",
    "Tomasz",
    "Uma",
    "Victor",
    "Wiktoria",
    "Xavier",
    "Yara",
    "Zofia",
    "Adam",
    "Beata",
    "Chris",
    "Diana",
    "Emil",
    "Fatima",
)
LAST = (
    "Smith",
    "Nowak",
    "Johnson",
    "Kowalska",
    "Brown",
    "Wisniewski",
    "Garcia",
    "Lewandowska",
    "Miller",
    "Wojcik",
    "Davis",
    "Kaminska",
    "Lopez",
    "Zielinski",
    "Wilson",
    "Szymanska",
    "Clark",
    "Mazur",
    "Lee",
    "Krawczyk",
    "Walker",
    "Piotrowski",
    "Hall",
    "Grabowska",
)

SHIFT_LEN = 8.5 * 3600  # full-time shift incl. 30 min lunch
PT_SHIFT_LEN = 4.5 * 3600  # part-time shift


@dataclass
class Team:
    team_id: str
    name: str
    site_id: str
    lob: str
    lead_id: str = ""
    lead_changes: list[tuple[int, str]] = field(default_factory=list)  # (day, new lead)


@dataclass
class Employee:
    emp_id: str
    name: str
    role: str
    site_id: str
    team_id: str | None
    supervisor_id: str | None
    employment_type: str
    fte: float
    hire: date
    hourly_cost: float
    termination: date | None = None
    termination_type: str | None = None
    proficiency: list[tuple[date, int]] = field(default_factory=list)  # (from date, level)
    team_moves: list[tuple[date, str]] = field(default_factory=list)  # (from date, team)
    shift_start_h: float = 9.0
    lob_at_start: str = ""
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)

    def team_on(self, d: date) -> str | None:
        t = self.team_id
        for since, team in self.team_moves:
            if d >= since:
                t = team
        return t

    def level_on(self, d: date) -> int:
        lvl = self.proficiency[0][1] if self.proficiency else 3
        for since, v in self.proficiency:
            if d >= since:
                lvl = v
        return lvl

    def employed_on(self, d: date) -> bool:
        return self.hire <= d and (self.termination is None or d <= self.termination)


def _staff(
    eid: str,
    name: str,
    role: str,
    site_id: str,
    team_id: str | None,
    supervisor_id: str | None,
    hired: date,
    cost: float,
) -> Employee:
    """A full-time employee who is not an agent: a site manager, a QA analyst or a team lead."""
    return Employee(eid, name, role, site_id, team_id, supervisor_id, "full_time", 1.0, hired, cost)


@dataclass
class DayPlan:
    """What an agent actually does on one local working day (input to the contact simulation)."""

    agent_id: str
    pool: tuple[str, str]
    login: int
    logout: int
    activities: list[tuple[int, int, str, str | None]]  # (start, duration s, state, reason)


@dataclass
class Org:
    teams: list[Team]
    employees: list[Employee]
    plans: list[DayPlan]
    pools: list[tuple[str, str]]
    # expected open agent-seconds per pool and local weekday (for sizing demand)
    open_seconds: dict[tuple[str, str], list[float]]
    tables: dict[str, TableBuf]
    # scheduled open agents per pool and UTC half-hour (interval start -> agents)
    open_grid: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)

    def agents(self) -> list[Employee]:
        return [e for e in self.employees if e.role == "agent"]


def _pools(seeds: Seeds) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for q in seeds.queues:
        if not q.is_outbound and (q.site_id, q.lob) not in out:
            out.append((q.site_id, q.lob))
    return out


def build_org(seeds: Seeds, seed: int, start: date, days: int, scale: float) -> Org:
    """Hire the workforce, form teams, plan shifts and absences, and write the HR and WFM tables."""
    rng = py_rng(seed, "org")
    pools = _pools(seeds)
    end = start + timedelta(days=days - 1)
    employees: list[Employee] = []
    teams: list[Team] = []
    counter = [0]

    def next_id() -> str:
        counter[0] += 1
        return f"A{counter[0]:04d}"

    def person(site: Site) -> tuple[str, str]:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return name, name.lower().replace(" ", ".") + f"{counter[0]}@{site.site_id}.switchboard.example"

    pool_teams: dict[tuple[str, str], list[Team]] = {}
    pool_size: dict[tuple[str, str], int] = {}
    for pool in pools:
        n = max(shape.MIN_POOL_AGENTS, round(shape.POOL_AGENTS.get(pool, shape.DEFAULT_POOL_AGENTS) * scale))
        pool_size[pool] = n
        n_teams = max(1, math.ceil(n / 12))
        site_id, lob = pool
        site = seeds.site(site_id)
        pool_teams[pool] = []
        for k in range(n_teams):
            tid = f"T_{site_id.upper()}_{lob.upper()}_{k + 1}"
            t = Team(tid, f"{site.site_name} {lob.replace('_', ' ').title()} {k + 1}", site_id, lob)
            teams.append(t)
            pool_teams[pool].append(t)

    # managers and QA analysts per site, team leads per team
    managers: dict[str, str] = {}
    for site in seeds.sites:
        eid = next_id()
        name, _ = person(site)
        managers[site.site_id] = eid
        hired = start - timedelta(days=rng.randint(800, 3000))
        employees.append(_staff(eid, name, "manager", site.site_id, None, None, hired, _cost(rng, site, 2.0)))
        eid = next_id()
        name, _ = person(site)
        hired = start - timedelta(days=rng.randint(300, 2000))
        employees.append(
            _staff(eid, name, "qa_analyst", site.site_id, None, managers[site.site_id], hired, _cost(rng, site, 1.3))
        )
    for t in teams:
        eid = next_id()
        name, _ = person(seeds.site(t.site_id))
        t.lead_id = eid
        hired = start - timedelta(days=rng.randint(400, 2500))
        cost = _cost(rng, seeds.site(t.site_id), 1.45)
        employees.append(_staff(eid, name, "team_lead", t.site_id, t.team_id, managers[t.site_id], hired, cost))

    # agents
    for pool in pools:
        site = seeds.site(pool[0])
        tlist = pool_teams[pool]
        for i in range(pool_size[pool]):
            employees.append(
                _new_agent(
                    rng, next_id(), site, tlist[i % len(tlist)], start - timedelta(days=rng.randint(20, 2200)), start
                )
            )

    # attrition and replacement hires during the period
    agents = [e for e in employees if e.role == "agent"]
    annual = 0.32
    leavers = [a for a in agents if rng.random() < annual * days / 365]
    for a in leavers:
        a.termination = start + timedelta(days=rng.randint(3, max(4, days - 3)))
        a.termination_type = "voluntary" if rng.random() < 0.75 else "involuntary"
        hire = a.termination + timedelta(days=rng.randint(5, 20))
        if hire <= end:
            team = next(t for t in teams if t.team_id == a.team_on(a.termination))
            new = _new_agent(rng, next_id(), seeds.site(a.site_id), team, hire, start)
            employees.append(new)
    # a new hire who leaves again within 90 days (new-hire attrition)
    new_hires = [e for e in employees if e.role == "agent" and e.hire >= start]
    for e in new_hires[: max(1, len(new_hires) // 4)]:
        if (end - e.hire).days > 20 and rng.random() < 0.6:
            e.termination = e.hire + timedelta(days=rng.randint(15, min(85, (end - e.hire).days)))
            e.termination_type = "voluntary"
    # team moves (same pool when it has several teams, else another line of business of the site)
    movers = [a for a in agents if a.termination is None]
    rng.shuffle(movers)
    for a in movers[: max(1, round(3 * scale))]:
        cur = next(t for t in teams if t.team_id == a.team_id)
        cands = [t for t in pool_teams[(cur.site_id, cur.lob)] if t.team_id != cur.team_id]
        if not cands:
            cands = [t for t in teams if t.site_id == cur.site_id and t.team_id != cur.team_id]
        if cands:
            to = rng.choice(cands)
            a.team_moves.append((start + timedelta(days=rng.randint(10, max(11, days - 10))), to.team_id))
    # proficiency growth
    for a in [e for e in employees if e.role == "agent"]:
        lvl = a.proficiency[-1][1]
        if lvl < 5 and a.hire < start and rng.random() < 0.2:
            a.proficiency.append((start + timedelta(days=rng.randint(1, days)), lvl + 1))
    # a team lead change
    if teams:
        t = teams[rng.randrange(len(teams))]
        new_lead = next_id()
        site = seeds.site(t.site_id)
        name, _ = person(site)
        when = start + timedelta(days=days // 2)
        employees.append(
            _staff(new_lead, name, "team_lead", t.site_id, t.team_id, managers[t.site_id], when, _cost(rng, site, 1.45))
        )
        t.lead_changes.append((day_number(when), new_lead))

    _assign_shifts(rng, seeds, [e for e in employees if e.role == "agent"], teams)
    tables = {
        k: TableBuf(k, cols)
        for k, cols in (
            (
                "hr/employees",
                [
                    "employee_id",
                    "full_name",
                    "email",
                    "job_role",
                    "team_id",
                    "supervisor_id",
                    "site_id",
                    "employment_type",
                    "fte",
                    "hire_date",
                    "termination_date",
                    "termination_type",
                    "proficiency_level",
                    "hourly_cost",
                ],
            ),
            ("hr/teams", ["team_id", "team_name", "site_id", "line_of_business", "team_lead_id"]),
            (
                "hr/absences",
                ["absence_id", "employee_id", "absence_date", "hours", "absence_type", "is_planned", "is_authorised"],
            ),
            (
                "wfm/schedule_activities",
                ["agent_id", "schedule_date", "activity", "starts_at", "ends_at", "published_at"],
            ),
            (
                "survey/employee_pulse",
                ["response_id", "team_id", "survey_date", "esat_score", "enps_score", "collaboration_score"],
            ),
        )
    }
    org = Org(teams, employees, [], pools, {p: [0.0] * 7 for p in pools}, tables)
    _hr_tables(org, seeds, start, end)
    _schedules(org, seeds, seed, start, end)
    _pulse(org, seed, start, end)
    return org


def _cost(rng, site: Site, mult: float) -> float:
    base = 31.0 if site.currency == "USD" else 64.0
    return round(base * mult * rng.uniform(0.9, 1.15), 2)


def _new_agent(rng, eid: str, site: Site, team: Team, hire: date, start: date) -> Employee:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    tenure = (start - hire).days
    lvl = 1 if tenure < 60 else 2 if tenure < 200 else 3 if tenure < 500 else 4 if tenure < 1200 else 5
    kind = rng.random()
    etype, fte = ("full_time", 1.0) if kind < 0.8 else ("part_time", 0.5) if kind < 0.93 else ("contractor", 1.0)
    e = Employee(
        eid,
        name,
        "agent",
        site.site_id,
        team.team_id,
        team.lead_id,
        etype,
        fte,
        hire,
        _cost(rng, site, 1.0 + 0.04 * lvl),
        proficiency=[(hire, lvl)],
        lob_at_start=team.lob,
    )
    if hire >= start:
        e.proficiency = [(hire, 1), (hire + timedelta(days=45), 2)]
    return e


def _assign_shifts(rng, seeds: Seeds, agents: list[Employee], teams: list[Team]) -> None:
    """Give each agent working weekdays and a shift start that follow the pool's demand curve."""
    by_team = {t.team_id: t for t in teams}
    groups: dict[tuple[str, str], list[Employee]] = {}
    for a in agents:
        t = by_team[a.team_id]
        groups.setdefault((t.site_id, t.lob), []).append(a)
    for (_site_id, lob), members in groups.items():
        wd = shape.weekday_weights(lob)
        target = [w / sum(wd) * 5 * len(members) for w in wd]
        count = [0.0] * 7
        # demand per local half hour on a weekday (voice shape within opening hours)
        oh = shape.OPEN_HOURS.get(lob, shape.DEFAULT_OPEN)[0] or (8, 20)
        demand = [0.0] * 52
        for h2 in range(52):
            h = h2 / 2
            if oh[0] <= h < oh[1]:
                demand[h2] = shape.intraday(h + 0.25, "voice")
        # staff low-demand hours a little above proportion: small groups need more slack (Erlang)
        demand = [d**0.7 for d in demand]
        tot = sum(demand)
        demand = [d / tot for d in demand]
        cover = [0.0] * 52
        options = [h / 2 for h in range(int(oh[0] * 2) - 1, int(oh[1] * 2) - 16)] or [oh[0]]
        if oh[1] >= 24:
            options.append(16.5)  # a late shift that ends after local midnight
        total_slots = sum(int((SHIFT_LEN if m.fte >= 1 else PT_SHIFT_LEN) / 1800) - 1 for m in members)
        target_cov = [d * total_slots for d in demand]
        for a in members:
            slots = int((SHIFT_LEN if a.fte >= 1 else PT_SHIFT_LEN) / 1800)
            best, best_v = options[0], -1e9
            for s in options:
                i0 = int(s * 2)
                v = sum(max(0.0, target_cov[i] - cover[i]) for i in range(i0, min(52, i0 + slots)))
                v += rng.random() * 1e-6
                if v > best_v:
                    best, best_v = s, v
            a.shift_start_h = best
            i0 = int(best * 2)
            for i in range(i0, min(52, i0 + slots)):
                cover[i] += 1
            order = sorted(range(7), key=lambda d: -(target[d] - count[d]) + rng.random() * 1e-3)
            a.workdays = tuple(sorted(order[:5]))
            for d in a.workdays:
                count[d] += 1


def _hr_tables(org: Org, seeds: Seeds, start: date, end: date) -> None:
    emp = org.tables["hr/employees"]
    by_id = {e.emp_id: e for e in org.employees}
    team_lead = {t.team_id: t for t in org.teams}
    d = start - timedelta(days=1)
    while d <= end:
        dn = day_number(d)
        for e in org.employees:
            if e.hire > d:
                continue
            if e.termination is not None and d > e.termination + timedelta(days=60):
                continue
            team = e.team_on(d) if e.role == "agent" else e.team_id
            sup = e.supervisor_id
            if e.role == "agent" and team:
                t = team_lead[team]
                sup = t.lead_id
                for when, lead in t.lead_changes:
                    if dn >= when:
                        sup = lead
            terminated = e.termination is not None and d >= e.termination
            emp.add(
                dn,
                employee_id=e.emp_id,
                full_name=e.name,
                email=e.name.lower().replace(" ", ".") + f".{e.emp_id.lower()}@switchboard.example",
                job_role=e.role,
                team_id=team,
                supervisor_id=sup,
                site_id=e.site_id,
                employment_type=e.employment_type,
                fte=e.fte,
                hire_date=day_number(e.hire),
                termination_date=day_number(e.termination) if terminated else None,
                termination_type=e.termination_type if terminated else None,
                proficiency_level=e.level_on(d) if e.role == "agent" else 4,
                hourly_cost=e.hourly_cost,
            )
        d += timedelta(days=1)
    teams = org.tables["hr/teams"]
    first = day_number(start) - 1
    # a naming-standard change renames every team early in the period (a new version of each team)
    rename = first + 1 + max(1, (end - start).days // 5)
    for t in org.teams:
        events = [(first, t.name, t.lead_id)]
        new_name = f"{t.site_id.upper()} {t.lob.replace('_', ' ').title()} Team {t.team_id.rsplit('_', 1)[-1]}"
        lead = t.lead_id
        changes = sorted(t.lead_changes + [(rename, None)], key=lambda x: x[0])
        name = t.name
        for when, new_lead in changes:
            if new_lead is None:
                name = new_name
            else:
                lead = new_lead
            events.append((when, name, lead))
        for when, name, lead in events:
            if when <= day_number(end):
                teams.add(
                    when,
                    team_id=t.team_id,
                    team_name=name,
                    site_id=t.site_id,
                    line_of_business=t.lob,
                    team_lead_id=lead,
                )
        t.lead_id = lead
    del by_id


def _absence(
    absn: TableBuf, number: int, agent_id: str, day: int, hours: float, kind: str, planned: bool, authorised: bool
) -> None:
    """One HR absence row of an agent's day, delivered on that day."""
    absn.add(
        day,
        absence_id=f"AB{number:06d}",
        employee_id=agent_id,
        absence_date=day,
        hours=hours,
        absence_type=kind,
        is_planned=planned,
        is_authorised=authorised,
    )


def _publish(sched: TableBuf, agent_id: str, schedule_date: int, published: int, acts) -> None:
    """One publication of an agent's schedule day: a row per (activity, start, end), delivered with the publication."""
    for kind, t0, t1 in acts:
        sched.add(
            utc_day(published),
            agent_id=agent_id,
            schedule_date=schedule_date,
            activity=kind,
            starts_at=t0,
            ends_at=t1,
            published_at=published,
        )


def _schedules(org: Org, seeds: Seeds, seed: int, start: date, end: date) -> None:
    """Publish schedules, book planned and unplanned absences, and derive each day's actual plan."""
    rng = py_rng(seed, "schedules")
    sched = org.tables["wfm/schedule_activities"]
    absn = org.tables["hr/absences"]
    team_by_id = {t.team_id: t for t in org.teams}
    abs_n = 0
    for a in org.agents():
        site = seeds.site(a.site_id)
        tz = site.tz
        # vacation blocks booked in advance
        vacation: set[date] = set()
        n_blocks = rng.choice((0, 1, 1, 2))
        for _ in range(n_blocks):
            first = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
            for k in range(rng.randint(2, 5)):
                vacation.add(first + timedelta(days=k))
        coach_wd = rng.choice(a.workdays)
        meet_wd = rng.choice(a.workdays)
        d = start
        while d <= end:
            dn = day_number(d)
            if not a.employed_on(d):
                d += timedelta(days=1)
                continue
            team = team_by_id[a.team_on(d)]
            pool = (team.site_id, team.lob)
            published = (dn - 10) * DAY + 15 * 3600
            working = d.weekday() in a.workdays
            new_hire_training = (d - a.hire).days < 12
            if not working:
                s0 = local_to_utc(d, 0, tz)
                s1 = local_to_utc(d + timedelta(days=1), 0, tz)
                _publish(sched, a.emp_id, dn, published, [("off", s0, s1)])
                d += timedelta(days=1)
                continue
            length = SHIFT_LEN if a.fte >= 1 else PT_SHIFT_LEN
            st = int(a.shift_start_h * 3600)
            oh = shape.open_hours(team.lob, "voice", d)
            if oh is not None:  # short opening days (weekends): shift the start into the opening hours
                lo = int((oh[0] - 0.5) * 3600)
                hi = max(lo, int(oh[1] * 3600 - length))
                st = min(max(st, lo), hi)
            s_start = local_to_utc(d, st, tz)
            s_end = local_to_utc(d, st + int(length), tz)
            if d in vacation:
                _publish(sched, a.emp_id, dn, published, [("vacation", s_start, s_end)])
                abs_n += 1
                _absence(
                    absn,
                    abs_n,
                    a.emp_id,
                    dn,
                    round(length / 3600 - (0.5 if a.fte >= 1 else 0), 2),
                    "vacation",
                    True,
                    True,
                )
                d += timedelta(days=1)
                continue
            acts = _day_activities(
                rng, d, a, s_start, s_end, new_hire_training, d.weekday() == coach_wd, d.weekday() == meet_wd
            )
            _publish(sched, a.emp_id, dn, published, acts)
            # a later re-publication changes part of the day
            if rng.random() < 0.06 and not new_hire_training:
                republished = (dn - 2) * DAY + 9 * 3600 + rng.randint(0, 3600 * 6)
                acts = _republish(rng, acts)
                _publish(sched, a.emp_id, dn, republished, acts)
            paid_h = round(sum(t1 - t0 for k, t0, t1 in acts if k != "lunch") / 3600, 2)
            # unplanned absences: no log-in at all
            r = rng.random()
            full_abs = None
            if r < 0.03:
                full_abs = ("sick", False, True)
            elif r < 0.037:
                full_abs = ("unauthorised", False, False)
            elif r < 0.039:
                full_abs = ("bereavement", False, True)
            elif r < 0.040:
                full_abs = ("jury_duty", True, True)
            if full_abs:
                abs_n += 1
                _absence(absn, abs_n, a.emp_id, dn, paid_h, full_abs[0], full_abs[1], full_abs[2])
                d += timedelta(days=1)
                continue
            late = rng.randint(-180, 60)
            if rng.random() < 0.08:
                late = rng.randint(180, 1200)
            if rng.random() < 0.012:
                hours = rng.choice((2, 3))
                late = hours * 3600
                abs_n += 1
                _absence(absn, abs_n, a.emp_id, dn, float(hours), "personal", rng.random() < 0.5, True)
            early = rng.randint(0, 300)
            if rng.random() < 0.05:
                early = -rng.randint(300, 1800)
            login, logout = s_start + late, s_end + early
            plan_acts: list[tuple[int, int, str, str | None]] = []
            for kind, t0, t1 in acts:
                if kind == "open":
                    continue
                jitter = rng.randint(0, 90)
                over = rng.randint(0, 240) if rng.random() < 0.25 else 0
                plan_acts.append((t0 + jitter, t1 - t0 + over, kind, None))
            # short not-ready spells
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                t = rng.randint(login + 1800, max(login + 1801, logout - 1800))
                plan_acts.append((t, rng.randint(60, 420), "not_ready", rng.choice(("personal", "system", "aux"))))
            plan_acts.sort()
            org.plans.append(DayPlan(a.emp_id, pool, login, logout, plan_acts))
            open_s = sum(t1 - t0 for k, t0, t1 in acts if k == "open")
            org.open_seconds[pool][d.weekday()] += open_s
            grid = org.open_grid.setdefault(pool, {})
            for k, t0, t1 in acts:
                if k != "open":
                    continue
                slot = t0 - t0 % 1800
                while slot < t1:
                    grid[slot] = grid.get(slot, 0.0) + (min(t1, slot + 1800) - max(t0, slot)) / 1800
                    slot += 1800
            d += timedelta(days=1)
    # average per weekday occurrence
    n_weeks = max(1.0, ((end - start).days + 1) / 7)
    for pool in org.open_seconds:
        org.open_seconds[pool] = [v / n_weeks for v in org.open_seconds[pool]]


def _day_activities(
    rng, d: date, a: Employee, s0: int, s1: int, training_day: bool, coaching: bool, meeting: bool
) -> list[tuple[str, int, int]]:
    """The scheduled activities of one shift, contiguous from ``s0`` to ``s1``."""
    if training_day:
        return [("training", s0, s1)]
    length = s1 - s0
    blocks: list[tuple[str, int, int]] = []  # non-open activities
    if length > 6 * 3600:
        blocks.append(("break", s0 + 2 * 3600, s0 + 2 * 3600 + 900))
        blocks.append(("lunch", s0 + 4 * 3600, s0 + 4 * 3600 + 1800))
        blocks.append(("break", s0 + 6 * 3600 + 900, s0 + 6 * 3600 + 1800))
        if coaching:
            blocks.append(("coaching", s0 + 3 * 3600, s0 + 3 * 3600 + 1800))
        if meeting:
            blocks.append(("meeting", s0 + 5 * 3600, s0 + 5 * 3600 + 1800))
        if rng.random() < 0.05:
            blocks.append(("training", s0 + 7 * 3600, s0 + 8 * 3600))
    else:
        blocks.append(("break", s0 + 2 * 3600, s0 + 2 * 3600 + 900))
    blocks.sort(key=lambda b: b[1])
    out: list[tuple[str, int, int]] = []
    t = s0
    for kind, b0, b1 in blocks:
        if b0 > t:
            out.append(("open", t, b0))
        out.append((kind, b0, b1))
        t = b1
    if t < s1:
        out.append(("open", t, s1))
    return out


def _republish(rng, acts: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Move a break by 30 minutes or turn an hour of open time into training."""
    out = list(acts)
    opens = [i for i, x in enumerate(out) if x[0] == "open" and x[2] - x[1] >= 3 * 3600]
    if not opens:
        return out
    i = opens[0]
    kind, t0, t1 = out[i]
    mid = t0 + 3600
    out[i : i + 1] = [("open", t0, mid), ("training", mid, mid + 3600), ("open", mid + 3600, t1)]
    return out


def _pulse(org: Org, seed: int, start: date, end: date) -> None:
    rng = py_rng(seed, "pulse")
    pulse = org.tables["survey/employee_pulse"]
    n = 0
    d = start
    team_mood = {t.team_id: rng.uniform(-0.5, 0.5) for t in org.teams}
    while d <= end:
        if d.day == 15:
            dn = day_number(d)
            for a in org.agents():
                if not a.employed_on(d) or rng.random() > 0.7:
                    continue
                team = a.team_on(d)
                m = team_mood[team] + rng.gauss(0, 0.9)
                n += 1
                pulse.add(
                    dn,
                    response_id=f"EP{n:06d}",
                    team_id=team,
                    survey_date=dn,
                    esat_score=max(1, min(5, round(3.8 + m))),
                    enps_score=max(0, min(10, round(7.2 + 1.8 * m))),
                    collaboration_score=max(1, min(5, round(3.4 + 0.8 * m + rng.gauss(0, 0.5)))),
                )
        d += timedelta(days=1)
