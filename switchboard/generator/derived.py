"""Tables that follow from the simulated contacts and workforce: CRM, surveys, QA, WFM forecasts,
finance and operations."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from switchboard.generator import shape
from switchboard.generator.common import DAY, Seeds, TableBuf, day_number, local_to_utc, np_rng, py_rng, utc_day
from switchboard.generator.org import Org
from switchboard.generator.sim import Customers, SimResult

COMPLAINT_CATEGORY = {"BILL_DISPUTE": "billing", "COMPLAINT_SVC": "service", "COMPLAINT_AGENT": "agent_conduct"}
POSITIVE = (
    "Quick and friendly, thank you {name}!",
    "The agent solved it in one go.",
    "Great help, very clear.",
    "Easy, no waiting. Call me on {phone} if needed.",
    "Helpful and patient agent.",
)
NEUTRAL = ("It was ok.", "Took a while but fine.", "Average experience.", "Fine, nothing special.")
NEGATIVE = (
    "I waited far too long.",
    "Transferred three times and still not fixed!",
    "Nobody could help me.",
    "Problem not solved, I will call again. My number is {phone}.",
    "Rude and slow, very disappointed.",
)


def build_incidents(seeds: Seeds, seed: int, start: date, days: int) -> list[dict]:
    """Technical outages planned before the simulation (they cause technical_issue states and blocking)."""
    rng = py_rng(seed, "incidents")
    out: list[dict] = []
    n = max(3, round(days / 4))
    end_ts = local_to_utc(start + timedelta(days=days), 0, seeds.sites[-1].tz)
    for i in range(n):
        site = rng.choice(seeds.sites) if rng.random() < 0.8 else None
        tz = (site or seeds.sites[0]).tz
        d = start + timedelta(days=rng.randint(0, days - 1))
        s0 = local_to_utc(d, rng.randint(9 * 3600, 17 * 3600), tz)
        dur = int(min(6 * 3600, max(300, rng.lognormvariate(math.log(2700), 0.8))))
        sev = rng.choices(("sev1", "sev2", "sev3", "sev4"), (0.08, 0.22, 0.4, 0.3))[0]
        system = rng.choices(("telephony", "crm", "network", "desktop", "wfm"), (0.25, 0.25, 0.2, 0.2, 0.1))[0]
        out.append(
            {
                "incident_id": f"INC{i + 1:05d}",
                "system": system,
                "site_id": site.site_id if site else None,
                "started_at": s0,
                "resolved_at": s0 + dur,
                "severity": sev,
                "_affected": {"sev1": 12, "sev2": 6, "sev3": 3, "sev4": 1}[sev] if system != "wfm" else 0,
            }
        )
    # one incident still open at the end of the data
    last = out[-1]
    last["started_at"] = end_ts - 3 * 3600
    last["resolved_at"] = None
    last["_affected"] = 0
    out.sort(key=lambda x: x["started_at"])
    return out


def incidents_table(incidents: list[dict], horizon: int) -> TableBuf:
    tb = TableBuf(
        "ops/incidents",
        ["incident_id", "system", "site_id", "started_at", "resolved_at", "severity", "agents_affected"],
    )
    for inc in incidents:
        if inc["started_at"] >= horizon:
            continue
        res = inc["resolved_at"] if inc["resolved_at"] is not None and inc["resolved_at"] < horizon else None
        base = {k: inc[k] for k in ("incident_id", "system", "site_id", "started_at", "severity")}
        base["agents_affected"] = inc.get("agents_affected", 0)
        if res is None or utc_day(res) != utc_day(inc["started_at"]):
            tb.add(utc_day(inc["started_at"]), resolved_at=None, **base)
        if res is not None:
            tb.add(utc_day(res), resolved_at=res, **base)
            # the post-incident review re-rates the severity a few days later
            review = res + DAY * (1 + int(inc["started_at"]) % 3)
            if review < horizon:
                sev = {"sev1": "sev2", "sev2": "sev3", "sev3": "sev3", "sev4": "sev4"}[inc["severity"]]
                tb.add(utc_day(review), resolved_at=res, **dict(base, severity=sev))
    return tb


def _dedupe_versions(versions: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    """Keep the last version per UTC day (a source extract holds one version of a key per batch)."""
    by_day: dict[int, tuple[int, dict]] = {}
    for t, row in versions:
        by_day[utc_day(t)] = (t, row)
    return [by_day[d] for d in sorted(by_day)]


def crm_and_surveys(
    seeds: Seeds, org: Org, customers: Customers, sim: SimResult, seed: int, start: date, days: int
) -> dict[str, TableBuf]:
    """Cases, case links, follow-ups, next-best actions, contact surveys and QA evaluations."""
    rng = py_rng(seed, "crm")
    horizon = sim.horizon
    seg = sim.segments.data
    ex = sim.extra
    n = len(sim.segments)
    sid = seg["segment_id"]
    connected = seg["connected_at"]
    disc = seg["disconnected_at"]
    acw_e = seg["acw_ended_at"]
    agent = seg["agent_id"]
    direction = seg["direction"]
    channel = seg["channel"]
    customer = seg["customer_id"]
    complaint = {d.code: d.is_complaint for d in seeds.dispositions}
    sl_threshold = {q.queue_id: max(1, q.sl_threshold_s) for q in seeds.queues}
    out = {
        k: TableBuf(k, cols)
        for k, cols in (
            (
                "crm/cases",
                [
                    "case_id",
                    "customer_id",
                    "opened_at",
                    "closed_at",
                    "reason_code",
                    "is_complaint",
                    "complaint_category",
                    "escalated",
                    "resolution_satisfied",
                    "status",
                ],
            ),
            ("crm/case_segments", ["case_id", "segment_id"]),
            (
                "crm/follow_ups",
                [
                    "follow_up_id",
                    "follow_up_type",
                    "case_id",
                    "customer_id",
                    "owner_agent_id",
                    "created_at",
                    "due_at",
                    "completed_at",
                ],
            ),
            (
                "crm/next_best_actions",
                ["offer_id", "segment_id", "agent_id", "action_type", "presented_at", "accepted", "accepted_value"],
            ),
            (
                "survey/contact_surveys",
                [
                    "response_id",
                    "segment_id",
                    "survey_channel",
                    "sent_at",
                    "responded_at",
                    "csat_score",
                    "nps_score",
                    "ces_score",
                    "issue_resolved",
                    "comment",
                    "sentiment_score",
                ],
            ),
            (
                "qa/evaluations",
                ["evaluation_id", "segment_id", "agent_id", "evaluator_id", "evaluated_at", "scorecard_version"],
            ),
            (
                "qa/evaluation_items",
                [
                    "evaluation_id",
                    "item_id",
                    "section",
                    "weight",
                    "score",
                    "max_score",
                    "is_compliance_item",
                    "is_critical",
                    "passed",
                ],
            ),
        )
    }
    seg_batch = sim.segments.batch

    # contact-level facts: total wait and handled segments per root
    root_wait: dict[int, int] = {}
    root_handled: dict[int, list[int]] = {}
    for i in range(n):
        r = ex["root"][i]
        root_wait[r] = root_wait.get(r, 0) + ex["wait"][i]
        if connected[i] is not None and direction[i] == "inbound":
            root_handled.setdefault(r, []).append(i)

    # ------------------------------------------------------------ cases per issue of identified customers
    issues: dict[int, list[int]] = {}  # issue -> final segment rows of its handled contacts
    for i in range(n):
        if ex["last"][i] and connected[i] is not None and direction[i] == "inbound" and customer[i] is not None:
            issues.setdefault(ex["issue"][i], []).append(i)
    case_of_root: dict[int, str] = {}
    escalated_roots: set[int] = set()
    n_case = 0
    n_fu = 0
    cases, links, fus = out["crm/cases"], out["crm/case_segments"], out["crm/follow_ups"]
    for issue in sorted(issues):
        finals = sorted(issues[issue], key=lambda i: disc[i])
        intent = ex["intent"][finals[0]]
        is_compl = bool(complaint.get(intent)) or rng.random() < 0.012
        p_case = 1.0 if is_compl else (0.55 if len(finals) > 1 or not ex["resolved"][finals[0]] else 0.18)
        if rng.random() >= p_case:
            continue
        n_case += 1
        cid = f"CS{n_case:07d}"
        cat = COMPLAINT_CATEGORY.get(intent, rng.choice(("product", "other", "billing"))) if is_compl else None
        escalated = rng.random() < (0.2 if is_compl else 0.03)
        first = finals[0]
        opened = disc[first]
        base = dict(
            case_id=cid,
            customer_id=customer[first],
            opened_at=opened,
            reason_code=intent,
            is_complaint=is_compl,
            complaint_category=cat,
        )
        versions: list[tuple[int, dict]] = [
            (opened, dict(base, closed_at=None, escalated=False, resolution_satisfied=None, status="open"))
        ]
        esc_now = False
        closed_at = None
        for k, i in enumerate(finals):
            case_of_root[ex["root"][i]] = cid
            if escalated and k == 0:
                esc_now = True
                versions.append(
                    (
                        disc[i] + rng.randint(600, 7200),
                        dict(base, closed_at=None, escalated=True, resolution_satisfied=None, status="pending"),
                    )
                )
            if ex["resolved"][i]:
                t_res = disc[i] + rng.randint(300, 4 * 3600)
                versions.append(
                    (t_res, dict(base, closed_at=None, escalated=esc_now, resolution_satisfied=None, status="resolved"))
                )
                closed_at = t_res + rng.randint(DAY // 2, 3 * DAY)
                sat = (rng.random() < (0.55 if esc_now else 0.75)) if is_compl else None
                versions.append(
                    (
                        closed_at,
                        dict(base, closed_at=closed_at, escalated=esc_now, resolution_satisfied=sat, status="closed"),
                    )
                )
                break
            elif k == 0:
                versions.append(
                    (
                        disc[i] + rng.randint(300, 3600),
                        dict(base, closed_at=None, escalated=esc_now, resolution_satisfied=None, status="pending"),
                    )
                )
        if closed_at is not None and rng.random() < 0.03:
            t_re = closed_at + rng.randint(DAY, 5 * DAY)
            versions.append(
                (t_re, dict(base, closed_at=None, escalated=esc_now, resolution_satisfied=None, status="reopened"))
            )
        if esc_now:
            for i in finals:
                escalated_roots.add(ex["root"][i])
        versions = [(t, r) for t, r in versions if t < horizon]
        versions.sort(key=lambda x: x[0])
        for t, row in _dedupe_versions(versions):
            cases.add(utc_day(t), **row)
        linked = rng.random() >= 0.03  # a few cases are worked in the back office only (no contact link)
        for i in finals if linked else []:
            for j in root_handled.get(ex["root"][i], []):
                links.add(max(seg_batch[j], utc_day(opened)), case_id=cid, segment_id=sid[j])
        owner = agent[first]
        # follow-ups: complaint feedback and hand-offs to other departments
        if is_compl:
            n_fu += 1
            due = opened + 5 * DAY
            done = (
                closed_at
                if closed_at is not None and rng.random() < 0.9
                else (due + rng.randint(-3 * DAY, 2 * DAY) if rng.random() < 0.5 else None)
            )
            _follow_up(
                fus, f"FU{n_fu:07d}", "feedback_reply", cid, customer[first], owner, opened + 60, due, done, horizon
            )
        elif rng.random() < 0.15:
            n_fu += 1
            due = opened + 2 * DAY
            done = opened + rng.randint(3600, 3 * DAY) if rng.random() < 0.92 else None
            _follow_up(
                fus, f"FU{n_fu:07d}", "info_handoff", cid, customer[first], owner, opened + 120, due, done, horizon
            )

    # ------------------------------------------------------------ per handled segment: callbacks, NBA, surveys, QA
    nba, surveys, evals, items = (
        out["crm/next_best_actions"],
        out["survey/contact_surveys"],
        out["qa/evaluations"],
        out["qa/evaluation_items"],
    )
    qa_by_site = {e.site_id: e.emp_id for e in org.employees if e.role == "qa_analyst"}
    leads_by_team = {t.team_id: t.lead_id for t in org.teams}
    emp_team = {e.emp_id: e.team_id for e in org.agents()}
    mid = local_to_utc(start + timedelta(days=days // 2), 0, seeds.sites[0].tz)
    n_nba = n_sv = n_ev = 0
    for i in range(n):
        if connected[i] is None or agent[i] is None:
            continue
        end_i = acw_e[i] if acw_e[i] is not None else disc[i]
        root = ex["root"][i]
        inbound = direction[i] == "inbound"
        # next-best-action offers
        if inbound and rng.random() < (0.12 if customer[i] is not None else 0.03):
            n_nba += 1
            intent = ex["intent"][i]
            if intent == "CANCEL":
                action = "retention_offer"
            elif intent in ("ORDER_NEW", "PLAN_CHANGE"):
                action = rng.choice(("upsell", "cross_sell"))
            else:
                action = rng.choice(("upsell", "cross_sell", "self_service_enrolment", "survey_invite"))
            p_acc = {
                "retention_offer": 0.35,
                "upsell": 0.16,
                "cross_sell": 0.12,
                "self_service_enrolment": 0.4,
                "survey_invite": 0.5,
            }[action]
            acc = rng.random() < p_acc
            value = None
            if acc:
                value = (
                    round(rng.lognormvariate(math.log(120), 0.5), 2)
                    if action in ("upsell", "cross_sell")
                    else (round(rng.lognormvariate(math.log(60), 0.4), 2) if action == "retention_offer" else 0.0)
                )
            pres = connected[i] + int((disc[i] - connected[i]) * rng.uniform(0.3, 0.9))
            nba.add(
                seg_batch[i],
                offer_id=f"NBA{n_nba:07d}",
                segment_id=sid[i],
                agent_id=agent[i],
                action_type=action,
                presented_at=pres,
                accepted=acc,
                accepted_value=value,
            )
        # post-contact survey after the last segment of a handled inbound contact
        if inbound and ex["last"][i] and rng.random() < 0.3:
            ch = channel[i]
            sc = (
                "ivr"
                if ch == "voice" and rng.random() < 0.6
                else ("email" if ch == "email" or rng.random() < 0.5 else "sms")
            )
            sent = end_i + (rng.randint(5, 40) if sc == "ivr" else rng.randint(600, 5400))
            if sent >= horizon:
                continue
            p_resp = {"ivr": 0.36, "email": 0.24, "sms": 0.3}[sc]
            responded = None
            if rng.random() < p_resp:
                responded = sent + (
                    rng.randint(30, 180) if sc == "ivr" else int(rng.lognormvariate(math.log(3 * 3600), 1.0))
                )
                if responded >= horizon:
                    responded = None
            n_sv += 1
            rid = f"R{n_sv:08d}"
            base = dict(response_id=rid, segment_id=sid[i], survey_channel=sc, sent_at=sent)
            if responded is None:
                surveys.add(utc_day(sent), **base)
                continue
            resolved = bool(ex["resolved"][i])
            hops = ex["hop"][i]
            wait = root_wait.get(root, 0)
            thr = sl_threshold.get(seg["queue_id"][i] or "", 20)
            x = (
                1.0
                + (0.9 if resolved else -1.2)
                - 0.4 * hops
                - 0.6 * min(wait / (3.0 * thr), 2.0)
                + 0.12 * (ex["level"][i] - 3)
                + rng.gauss(0, 0.75)
            )
            csat = max(1, min(5, round(3.4 + 0.95 * x)))
            nps = max(0, min(10, round(6.1 + 1.9 * x + rng.gauss(0, 0.8)))) if rng.random() < 0.95 else None
            ces = max(1, min(7, round(4.6 + 1.0 * x - 0.3 * hops + rng.gauss(0, 0.6)))) if rng.random() < 0.9 else None
            said = resolved if rng.random() < 0.9 else not resolved
            comment, senti = None, None
            if rng.random() < 0.35:
                pool = POSITIVE if x > 1.2 else NEGATIVE if x < 0.2 else NEUTRAL
                comment = rng.choice(pool).format(name="Anna", phone=seg["customer_address"][i])
                senti = round(max(-1.0, min(1.0, math.tanh(0.7 * (x - 0.6) + rng.gauss(0, 0.2)))), 4)
            row = dict(
                base,
                responded_at=responded,
                csat_score=csat,
                nps_score=nps,
                ces_score=ces,
                issue_resolved=said,
                comment=comment,
                sentiment_score=senti,
            )
            if utc_day(responded) != utc_day(sent):
                surveys.add(utc_day(sent), **base)
            surveys.add(utc_day(responded), **row)
        # QA evaluations of a sample of handled segments
        if rng.random() < 0.025:
            ev_at = end_i + rng.randint(DAY, 7 * DAY)
            if ev_at >= horizon:
                continue
            a = agent[i]
            evaluator = qa_by_site.get(ex["site"][i] or "") if rng.random() < 0.7 else None
            evaluator = evaluator or leads_by_team.get(emp_team.get(a, ""), next(iter(qa_by_site.values())))
            n_ev += 1
            eid = f"EV{n_ev:07d}"
            version = "v1" if connected[i] < mid else "v2"
            b = utc_day(ev_at)
            evals.add(
                b,
                evaluation_id=eid,
                segment_id=sid[i],
                agent_id=a,
                evaluator_id=evaluator,
                evaluated_at=ev_at,
                scorecard_version=version,
            )
            lvl = ex["level"][i]
            if rng.random() < 0.03:  # an evaluation opened but not scored yet: no items
                continue
            for item_id, section, weight, comp, crit in _scorecard(version):
                if comp:
                    ok = rng.random() < (0.985 if crit else 0.96) + 0.003 * (lvl - 3)
                    score = 1.0 if ok else 0.0
                    mx = 1.0
                else:
                    mx = 5.0
                    score = float(max(0, min(5, round(3.4 + 0.35 * (lvl - 3) + rng.gauss(0.6, 0.9)))))
                    ok = score >= 3
                items.add(
                    b,
                    evaluation_id=eid,
                    item_id=item_id,
                    section=section,
                    weight=weight,
                    score=score,
                    max_score=mx,
                    is_compliance_item=comp,
                    is_critical=crit,
                    passed=ok,
                )
    # customer call-backs promised in the simulation; completed when the agent's call-back got through
    for cb in sim.callbacks:
        n_fu += 1
        _follow_up(
            fus,
            f"FU{n_fu:07d}",
            "customer_callback",
            case_of_root.get(cb["root"]),
            cb["customer"],
            cb["agent"],
            cb["created"],
            cb["due"],
            cb["completed"],
            horizon,
        )
    return out


def _scorecard(version: str) -> list[tuple[str, str, float, bool, bool]]:
    items = [
        ("G1_GREETING", "greeting", 10.0, False, False),
        ("K1_ACCURACY", "knowledge", 15.0, False, False),
        ("K2_RESOLUTION", "knowledge", 15.0, False, False),
        ("P1_VERIFY_PROCESS", "process", 15.0, False, False),
        ("P2_NOTES", "process", 10.0, False, False),
        ("S1_EMPATHY", "soft_skills", 10.0, False, False),
        ("S2_TONE", "soft_skills", 10.0, False, False),
        ("C1_IDENTITY_VERIFIED", "compliance", 10.0, True, True),
        ("C2_DISCLOSURE_READ", "compliance", 5.0, True, False),
    ]
    if version == "v2":
        items.append(("C3_CONSENT_RECORDED", "compliance", 5.0, True, True))
    return items


def _follow_up(
    tb: TableBuf,
    fid: str,
    ftype: str,
    case_id,
    customer_id,
    owner,
    created: int,
    due: int,
    done: int | None,
    horizon: int,
) -> None:
    if created >= horizon:
        return
    if done is not None and (done >= horizon or done < created):
        done = None if done >= horizon else created + 600
    base = dict(
        follow_up_id=fid,
        follow_up_type=ftype,
        case_id=case_id,
        customer_id=customer_id,
        owner_agent_id=owner,
        created_at=created,
        due_at=due,
    )
    if done is None or utc_day(done) != utc_day(created):
        tb.add(utc_day(created), completed_at=None, **base)
    if done is not None:
        tb.add(utc_day(done), completed_at=done, **base)


def forecasts(seeds: Seeds, sim: SimResult, seed: int) -> TableBuf:
    """Several forecast versions per queue and interval, missing the curve by a varying error."""
    rng = np_rng(seed, "forecasts")
    tb = TableBuf("wfm/forecasts", ["queue_id", "interval_start", "forecast_contacts", "forecast_aht_s", "created_at"])
    versions = ((14, 0.22, 0.12), (7, 0.14, 0.07), (1, 0.09, 0.04))  # days ahead, interval sd, daily bias sd
    for q in seeds.queues:
        if q.queue_id not in sim.curve:
            continue
        starts, lam = sim.curve[q.queue_id]
        keep = lam > 0
        starts, lam = starts[keep], lam[keep]
        if len(starts) == 0:
            continue
        days_ = starts // DAY
        talk_m, acw_m, p_hold, hold_m = shape.handle_params(q.channel, q.lob)
        aht = talk_m * 0.95 + acw_m * 0.93 + p_hold * hold_m
        d0 = int(days_.min())
        for ahead, sd, bias_sd in versions:
            bias = np.exp(rng.normal(0, bias_sd, size=int(days_.max()) - d0 + 1))[days_ - d0]
            fc = np.maximum(0.0, lam * bias * (1 + rng.normal(0, sd, size=len(lam))))
            fa = aht * (1 + rng.normal(0, sd / 2, size=len(lam)))
            created = (days_ - ahead) * DAY + 6 * 3600 + (ahead * 37) % 600
            for s, c, a, cr in zip(
                starts.tolist(), np.round(fc, 2).tolist(), np.round(fa, 1).tolist(), created.tolist()
            ):
                if cr >= sim.horizon:
                    continue
                tb.add(
                    cr // DAY,
                    queue_id=q.queue_id,
                    interval_start=s,
                    forecast_contacts=c,
                    forecast_aht_s=a,
                    created_at=cr,
                )
    return tb


def customers_table(seeds: Seeds, customers: Customers, seed: int, start: date, days: int) -> pa.Table:
    """The daily full customer extract as one Arrow table with a ``__batch`` column."""
    return pa.concat_tables(list(customer_batches(seeds, customers, seed, start, days)))


def customer_batches(seeds: Seeds, customers: Customers, seed: int, start: date, days: int) -> Iterator[pa.Table]:
    """The daily full customer extract, one Arrow table (with a ``__batch`` column) per day, in day order.

    The largest landing table (every customer, every day): yielded day by day so that a run without bad rows
    can write each day's file and free it (see ``generate``).
    """
    rng = np_rng(seed, "customer_extract")
    n = len(customers.ids)
    names = np.array(
        [f"{first} {last}" for first, last in zip(rng.choice(FIRST_C, size=n), rng.choice(LAST_C, size=n))],
        dtype=object,
    )
    currency = np.array([seeds.sites[r].currency for r in customers.region], dtype=object)
    fx = np.where(currency == "PLN", 4.0, 1.0)
    seg = np.array(customers.segment, dtype=object)
    monthly = (
        np.where(seg == "key_account", 900.0, np.where(seg == "small_business", 140.0, 38.0))
        * fx
        * rng.uniform(0.6, 1.4, size=n)
    )
    reason = rng.choice(
        np.array(["service", "price", "moved", "other"], dtype=object), size=n, p=[0.35, 0.35, 0.15, 0.15]
    )
    reason[seg == "key_account"] = rng.choice(
        np.array(["service", "price", "other"], dtype=object),
        size=int((seg == "key_account").sum()),
        p=[0.5, 0.35, 0.15],
    )
    ids = np.array(customers.ids, dtype=object)
    email = np.array(customers.email, dtype=object)
    phone = np.array(customers.phone, dtype=object)
    for k in range(-1, days):
        d = start + timedelta(days=k)
        dn = day_number(d)
        day_end = (dn + 1) * DAY
        m = customers.created < day_end
        churned = (customers.churned >= 0) & (customers.churned < day_end)
        # revenue accrues on the first of each month
        months = np.maximum(0, (dn - customers.created // DAY) // 30)
        rev = np.round(monthly * months, 2)
        stop = np.where(churned, (customers.churned // DAY - customers.created // DAY) // 30, months)
        rev = np.where(churned, np.round(monthly * np.maximum(0, stop), 2), rev)
        idx = np.nonzero(m)[0]
        yield pa.table(
            {
                "customer_id": pa.array(ids[idx], pa.string()),
                "full_name": pa.array(names[idx], pa.string()),
                "email": pa.array(email[idx], pa.string()),
                "phone": pa.array(phone[idx], pa.string()),
                "segment": pa.array(seg[idx], pa.string()),
                "created_at": pa.array(customers.created[idx], pa.int64()),
                "churned_at": pa.array(
                    np.where(churned[idx], customers.churned[idx], 0), pa.int64(), mask=~churned[idx]
                ),
                "churn_reason": pa.array(reason[idx], pa.string(), mask=~churned[idx]),
                "lifetime_revenue": pa.array(rev[idx], pa.float64()),
                "currency": pa.array(currency[idx], pa.string()),
                "__batch": pa.array(np.full(len(idx), dn, dtype=np.int64)),
            }
        )


FIRST_C = np.array(
    [
        "Alex",
        "Jordan",
        "Maja",
        "Krzysztof",
        "Emily",
        "Michael",
        "Zuzanna",
        "Olivia",
        "Jakub",
        "Sophia",
        "Daniel",
        "Natalia",
        "James",
        "Lena",
        "Oskar",
        "Mia",
    ],
    dtype=object,
)
LAST_C = np.array(
    [
        "Taylor",
        "Nowicki",
        "Anderson",
        "Wojciechowska",
        "Thomas",
        "Kaczmarek",
        "Moore",
        "Dudek",
        "Jackson",
        "Pawlak",
        "White",
        "Michalska",
        "Harris",
        "Sikora",
    ],
    dtype=object,
)


def finance(seeds: Seeds, org: Org, sim: SimResult, seed: int, start: date, days: int) -> dict[str, TableBuf]:
    """Monthly cost ledger (with a correction entry) and budgets with mid-month revisions."""
    rng = py_rng(seed, "finance")
    end = start + timedelta(days=days - 1)
    ledger = TableBuf(
        "finance/cost_ledger",
        ["entry_id", "posting_date", "period_month", "site_id", "category", "cost_behaviour", "amount", "currency"],
    )
    budget = TableBuf("finance/budget", ["period_month", "site_id", "category", "currency", "amount"])
    behaviour = {
        "agent_salaries": "variable",
        "management_salaries": "fixed",
        "telecom": "variable",
        "technology": "fixed",
        "facilities": "fixed",
        "training": "variable",
        "recruiting": "variable",
        "outsourcing": "variable",
        "overhead_allocation": "fixed",
    }
    cost = {e.emp_id: e.hourly_cost for e in org.employees}
    # paid hours per site and month from the day plans
    paid: dict[tuple[str, date], float] = {}
    for p in org.plans:
        d = date(1970, 1, 1) + timedelta(days=p.login // DAY)
        key = (p.pool[0], d.replace(day=1))
        paid[key] = paid.get(key, 0.0) + (p.logout - p.login) / 3600 * cost[p.agent_id]
    voice_min: dict[tuple[str, date], float] = {}
    seg = sim.segments.data
    for i, ch in enumerate(seg["channel"]):
        if ch != "voice":
            continue
        site = sim.extra["site"][i]
        if site is None:
            continue
        d = date(1970, 1, 1) + timedelta(days=seg["initiated_at"][i] // DAY)
        key = (site, d.replace(day=1))
        voice_min[key] = voice_min.get(key, 0.0) + (seg["disconnected_at"][i] - seg["initiated_at"][i]) / 60
    months = []
    m = start.replace(day=1)
    while m <= end:
        months.append(m)
        m = (m + timedelta(days=32)).replace(day=1)

    def post_entry(number: int, posted: date, month: date, site, category: str, amount: float) -> None:
        """One cost-ledger line of a site, posted on `posted` for `month`, delivered on its posting day."""
        ledger.add(
            day_number(posted),
            entry_id=f"GL{number:07d}",
            posting_date=day_number(posted),
            period_month=day_number(month),
            site_id=site.site_id,
            category=category,
            cost_behaviour=behaviour[category],
            amount=amount,
            currency=site.currency,
        )

    def plan_budget(batch_day: int, month: date, site, category: str, amount: float) -> None:
        """One budget version of a site, month and category, delivered on `batch_day`."""
        budget.add(
            batch_day,
            period_month=day_number(month),
            site_id=site.site_id,
            category=category,
            currency=site.currency,
            amount=amount,
        )

    n_entry = 0
    first_budget_day = day_number(start) - 1
    for site in seeds.sites:
        fxm = 1.0 if site.currency == "USD" else 3.9
        staff = [e for e in org.employees if e.site_id == site.site_id and e.role != "agent"]
        n_agents = sum(1 for e in org.agents() if e.site_id == site.site_id)
        hires = {}
        for e in org.agents():
            if e.site_id == site.site_id and e.hire >= start:
                hires[e.hire.replace(day=1)] = hires.get(e.hire.replace(day=1), 0) + 1
        for m in months:
            nxt = (m + timedelta(days=32)).replace(day=1)
            month_end = nxt - timedelta(days=1)
            frac = (min(month_end, end) - max(m, start)).days + 1
            frac /= (month_end - m).days + 1
            amounts = {
                "agent_salaries": paid.get((site.site_id, m), 0.0),
                "management_salaries": sum(e.hourly_cost for e in staff) * 168 * frac,
                "telecom": voice_min.get((site.site_id, m), 0.0) * 0.018 * fxm + 900 * fxm * frac,
                "technology": n_agents * 140 * fxm * frac,
                "facilities": n_agents * 260 * fxm * frac,
                "training": (hires.get(m, 0) * 1500 + 300) * fxm,
                "recruiting": hires.get(m, 0) * 2200 * fxm,
                "overhead_allocation": n_agents * 180 * fxm * frac,
            }
            if site.site_id == "nyc" and m.month % 2 == 0:
                amounts["outsourcing"] = 5200 * fxm * frac
            post = min(month_end, end)
            for cat, amt in amounts.items():
                if amt <= 0:
                    continue
                n_entry += 1
                post_entry(n_entry, post, m, site, cat, round(amt, 2))
                plan_amt = round(amt / max(frac, 0.05) * rng.uniform(0.93, 1.06), 2)
                plan_budget(first_budget_day, m, site, cat, plan_amt)
                rev = m + timedelta(days=9)
                if start <= rev <= end:
                    plan_budget(day_number(rev), m, site, cat, round(plan_amt * rng.uniform(0.97, 1.04), 2))
            # a correction of the first month's telecom invoice, posted the next month
            if m == months[0] and len(months) > 1:
                corr_day = min(end, months[1] + timedelta(days=9))
                n_entry += 1
                post_entry(n_entry, corr_day, m, site, "telecom", -round(amounts["telecom"] * 0.06, 2))
    return {"finance/cost_ledger": ledger, "finance/budget": budget}


def plan_items(seeds: Seeds, seed: int, start: date, days: int) -> TableBuf:
    """Monthly management plan items per site, updated mid-month and on completion."""
    rng = py_rng(seed, "plans")
    end = start + timedelta(days=days - 1)
    tb = TableBuf(
        "ops/plan_items",
        [
            "item_id",
            "period_month",
            "site_id",
            "plan_type",
            "target_qty",
            "completed_qty",
            "due_date",
            "completed_date",
        ],
    )
    m = start.replace(day=1)
    n = 0
    while m <= end:
        nxt = (m + timedelta(days=32)).replace(day=1)
        due = nxt - timedelta(days=1)
        for site in seeds.sites:
            for ptype, target in (
                ("work_plan", 20),
                ("process_improvement", 4),
                ("customer_survey_plan", 500),
                ("callback_plan", 120),
                ("training_plan", 30),
            ):
                n += 1
                iid = f"PL{n:05d}"
                tq = float(round(target * rng.uniform(0.8, 1.2)))
                created = max(m, start - timedelta(days=1))
                final_share = rng.uniform(0.75, 1.05)
                completed = final_share >= 1.0
                done_day = due - timedelta(days=rng.randint(-6, 4)) if completed else None
                base = dict(
                    item_id=iid,
                    period_month=day_number(m),
                    site_id=site.site_id,
                    plan_type=ptype,
                    target_qty=tq,
                    due_date=day_number(due),
                )
                tb.add(day_number(created), completed_qty=0.0, completed_date=None, **base)
                mid = m + timedelta(days=14)
                if mid <= end:
                    tb.add(
                        day_number(mid), completed_qty=float(round(tq * final_share * 0.5)), completed_date=None, **base
                    )
                fin = done_day if completed else due + timedelta(days=1)
                if fin <= end and fin > mid:
                    tb.add(
                        day_number(fin),
                        completed_qty=float(round(tq * final_share)),
                        completed_date=day_number(done_day) if completed else None,
                        **base,
                    )
        m = nxt
    return tb
