"""The contact simulation: arrivals, IVR, queues with limited agents, transfers, outbound dialling
and the agent state timeline, in one discrete-event loop (heapq)."""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from switchboard import contract
from switchboard.generator import shape
from switchboard.generator.common import (
    DAY,
    Seeds,
    TableBuf,
    day_number,
    local_to_utc,
    np_rng,
    py_rng,
)
from switchboard.generator.org import Org

# the delivered columns of acd/contact_segments, in contract order (the writer adds _extracted_at)
SEG_COLS = [c.name for c in contract.table("acd/contact_segments").columns if c.name != "_extracted_at"]

# event kinds
K_ENQ, K_ABANDON, K_DISC, K_FREE, K_LOGIN, K_ACT, K_ACTEND, K_LOGOUT, K_DIAL, K_ARR, K_CB = range(11)

LEVEL_SPEED = {1: 1.35, 2: 1.15, 3: 1.0, 4: 0.92, 5: 0.85}
TRANSFER_P = {"voice": (0.075, 0.16, 0.22, 0.28), "chat": (0.05, 0.12, 0.2, 0.25), "email": (0.02, 0.1, 0.15, 0.2)}


@dataclass
class Customers:
    ids: list[str]
    phone: list[str]
    email: list[str]
    region: np.ndarray  # site index
    weight: np.ndarray  # contact propensity
    created: np.ndarray  # epoch s
    churned: np.ndarray  # epoch s or -1
    segment: list[str]


@dataclass
class Arrival:
    t: int
    queue: int
    customer: str | None
    address: str
    intent: str
    issue: int = -1
    attempt: int = 0


class Seg:
    __slots__ = (
        "sid",
        "prev",
        "channel",
        "direction",
        "queue",
        "agent",
        "customer",
        "address",
        "initiated",
        "enqueued",
        "connected",
        "disconnected",
        "acw_s",
        "acw_e",
        "hold_s",
        "hold_n",
        "reason",
        "ttype",
        "disp",
        "campaign",
        "cresult",
        "root",
        "issue",
        "hop",
        "intent",
        "waiting",
        "attempt",
        "level",
        "callback",
        "stuck",
    )

    def __init__(self, sid: int, channel: str, queue: int, customer, address: str, initiated: int, intent: str):
        self.sid = sid
        self.prev = -1
        self.channel = channel
        self.direction = "inbound"
        self.queue = queue
        self.agent = -1
        self.customer = customer
        self.address = address
        self.initiated = initiated
        self.enqueued = None
        self.connected = None
        self.disconnected = None
        self.acw_s = None
        self.acw_e = None
        self.hold_s = 0
        self.hold_n = 0
        self.reason = None
        self.ttype = None
        self.disp = None
        self.campaign = None
        self.cresult = None
        self.root = sid
        self.issue = sid
        self.hop = 0
        self.intent = intent
        self.waiting = False
        self.attempt = 0
        self.level = 3
        self.callback = None
        self.stuck = False


@dataclass
class SimResult:
    segments: TableBuf
    states: TableBuf
    # internal per-segment facts, aligned with segments rows
    extra: dict[str, list] = field(default_factory=dict)
    # expected arrivals per (queue_id, interval_start) and observed handle time, for forecasts
    curve: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    horizon: int = 0
    # promised customer call-backs: created, due, agent, customer, root, completed (epoch s or None)
    callbacks: list[dict] = field(default_factory=list)


def _intent_table(lob: str) -> tuple[list[str], np.ndarray]:
    items = shape.INTENTS.get(lob, shape.DEFAULT_INTENTS)
    codes = [c for c, _ in items]
    p = np.array([w for _, w in items], dtype=float)
    return codes, p / p.sum()


def build_customers(seeds: Seeds, seed: int, start: date, days: int, scale: float) -> Customers:
    """The CRM customer base: modest in size, with heterogeneous contact propensity."""
    rng = np_rng(seed, "customers")
    n = max(400, round(20000 * scale))
    site_ids = [s.site_id for s in seeds.sites]
    region = rng.choice(len(site_ids), size=n, p=_region_p(len(site_ids)))
    weight = rng.gamma(2.0, 0.5, size=n)
    t0 = local_to_utc(start, 0, seeds.sites[0].tz)
    created = t0 - rng.integers(30 * DAY, 8 * 365 * DAY, size=n)
    new = rng.random(n) < 0.05
    created[new] = t0 + rng.integers(0, max(1, days) * DAY, size=int(new.sum()))
    churned = np.full(n, -1, dtype=np.int64)
    ch = rng.random(n) < 0.03
    churned[ch] = np.maximum(created[ch] + DAY, t0 + rng.integers(0, max(1, days) * DAY, size=int(ch.sum())))
    ids = [f"C{i + 1:06d}" for i in range(n)]
    phone = [
        f"+{'1' if site_ids[r] == 'nyc' else '48'}{int(x):09d}"
        for r, x in zip(region, rng.integers(200_000_000, 999_999_999, size=n))
    ]
    email = [f"customer{i + 1}@mail{int(r)}.example" for i, r in enumerate(rng.integers(1, 9, size=n))]
    seg = rng.choice(np.array(["consumer", "small_business", "key_account"]), size=n, p=[0.85, 0.12, 0.03])
    return Customers(ids, phone, email, region, weight, created, churned, [str(s) for s in seg])


def _region_p(k: int) -> list[float]:
    if k == 2:
        return [0.55, 0.45]
    return [1.0 / k] * k


def simulate(
    seeds: Seeds, org: Org, customers: Customers, incidents: list[dict], seed: int, start: date, days: int, scale: float
) -> SimResult:
    """Run the contact center over the period and return segments, agent states and facts for later tables."""
    rng = py_rng(seed, "sim")
    nrng = np_rng(seed, "arrivals")
    end = start + timedelta(days=days - 1)
    site_idx = {s.site_id: i for i, s in enumerate(seeds.sites)}
    site_end = {s.site_id: local_to_utc(end + timedelta(days=1), 0, s.tz) for s in seeds.sites}
    horizon = max(site_end.values())
    queues = seeds.queues
    pools = org.pools
    pidx = {p: i for i, p in enumerate(pools)}
    queue_pool = [pidx.get((q.site_id, q.lob), -1) if not q.is_outbound else -1 for q in queues]
    pool_queues: list[list[int]] = [[] for _ in pools]
    prio = {"voice": 0, "chat": 1, "sms": 1, "social": 1, "email": 2}
    for i, _q in enumerate(queues):
        if queue_pool[i] >= 0:
            pool_queues[queue_pool[i]].append(i)
    for lst in pool_queues:
        lst.sort(key=lambda i: prio.get(queues[i].channel, 1))
    outbound_q = {q.site_id: i for i, q in enumerate(queues) if q.is_outbound}
    dialer_pools = [
        pidx[(queues[i].site_id, queues[i].lob)]
        for i in outbound_q.values()
        if (queues[i].site_id, queues[i].lob) in pidx
    ]

    # ---------------------------------------------------------------- arrivals
    arrivals, curve = _arrivals(seeds, org, customers, nrng, start, end, site_end, scale)

    # ---------------------------------------------------------------- agents
    agent_ids = [e.emp_id for e in org.agents()]
    aidx = {a: i for i, a in enumerate(agent_ids)}
    emp_by_id = {e.emp_id: e for e in org.agents()}
    n_ag = len(agent_ids)
    a_state = [0] * n_ag  # 0 offline, 1 idle, 2 busy, 3 activity
    a_pool = [0] * n_ag
    a_pending: list[list] = [[] for _ in range(n_ag)]
    a_token = [0] * n_ag
    a_level = [3] * n_ag
    a_cur: list[Seg | None] = [None] * n_ag
    states: list[list] = [[] for _ in range(n_ag)]
    idle: list[OrderedDict] = [OrderedDict() for _ in pools]
    waitq: list[deque] = [deque() for _ in queues]
    nwait = [0] * len(queues)
    cap = [0] * len(queues)
    pool_size = [0] * len(pools)
    for e in org.agents():
        p = (e.site_id, next(t.lob for t in org.teams if t.team_id == e.team_id))
        pool_size[pidx[p]] += 1
    for i in range(len(queues)):
        cap[i] = max(4, int(2.0 * pool_size[queue_pool[i]])) if queue_pool[i] >= 0 else 0

    heap: list = []
    seq = [0]

    def push(t: int, kind: int, obj) -> None:
        seq[0] += 1
        heapq.heappush(heap, (t, seq[0], kind, obj))

    for plan in org.plans:
        a = aidx[plan.agent_id]
        push(plan.login, K_LOGIN, (a, plan))
        for t, dur, kind, reason in plan.activities:
            push(t, K_ACT, (a, kind, dur, reason))
        push(plan.logout, K_LOGOUT, a)
    # incidents: technical issues for part of the agents logged in at the site
    tech_block: list[tuple[int, int, int]] = []  # (site idx or -1, start, end) telephony blocking
    for inc in incidents:
        s0, s1 = inc["started_at"], inc["resolved_at"] or horizon
        cands = [
            p for p in org.plans if p.login < s0 < p.logout and (inc["site_id"] is None or p.pool[0] == inc["site_id"])
        ]
        k = min(len(cands), inc["_affected"])
        chosen = rng.sample(cands, k) if k else []
        inc["agents_affected"] = len(chosen)
        for p in chosen:
            push(
                s0 + rng.randint(0, 60),
                K_ACT,
                (aidx[p.agent_id], "technical_issue", max(60, min(s1 - s0, 5400) - rng.randint(0, 120)), inc["system"]),
            )
        if inc["system"] in ("telephony", "network"):
            tech_block.append((site_idx[inc["site_id"]] if inc["site_id"] else -1, s0, s1))

    seg_out = TableBuf("acd/contact_segments", SEG_COLS)
    extra: dict[str, list] = {
        k: [] for k in ("root", "issue", "hop", "resolved", "wait", "intent", "level", "site", "last", "attempt")
    }
    sid_counter = [0]
    campaign_budget: dict[int, int] = {}

    def new_sid() -> int:
        sid_counter[0] += 1
        return sid_counter[0]

    def sid_text(n: int) -> str:
        return f"S{n:09d}"

    def record(a: int, t: int, st: str, reason=None) -> None:
        L = states[a]
        if L and L[-1][0] == t:
            L[-1] = (t, st, reason)
            if len(L) >= 2 and L[-2][1] == st and L[-2][2] == reason:
                L.pop()
        elif L and L[-1][1] == st and L[-1][2] == reason:
            return
        else:
            L.append((t, st, reason))

    def emit(s: Seg, resolved=None, last=False) -> None:
        ts = [x for x in (s.initiated, s.enqueued, s.connected, s.disconnected, s.acw_s, s.acw_e) if x is not None]
        q = queues[s.queue] if s.queue >= 0 else None
        seg_out.add(
            max(ts) // DAY,
            segment_id=sid_text(s.sid),
            previous_segment_id=sid_text(s.prev) if s.prev > 0 else None,
            channel=s.channel,
            direction=s.direction,
            queue_id=q.queue_id if q else None,
            agent_id=agent_ids[s.agent] if s.agent >= 0 else None,
            customer_id=s.customer,
            customer_address=s.address,
            initiated_at=s.initiated,
            enqueued_at=s.enqueued,
            connected_at=s.connected,
            disconnected_at=s.disconnected,
            acw_started_at=s.acw_s,
            acw_ended_at=s.acw_e,
            hold_seconds=s.hold_s,
            hold_count=s.hold_n,
            disconnect_reason=s.reason,
            transfer_type=s.ttype,
            disposition_code=s.disp,
            campaign_id=s.campaign,
            campaign_result=s.cresult,
        )
        extra["root"].append(s.root)
        extra["issue"].append(s.issue)
        extra["hop"].append(s.hop)
        extra["resolved"].append(resolved)
        extra["wait"].append(
            (s.connected - s.enqueued)
            if (s.connected is not None and s.enqueued is not None)
            else ((s.disconnected - s.enqueued) if s.enqueued is not None else 0)
        )
        extra["intent"].append(s.intent)
        extra["level"].append(s.level)
        extra["site"].append(q.site_id if q else (emp_by_id[agent_ids[s.agent]].site_id if s.agent >= 0 else None))
        extra["last"].append(last)
        extra["attempt"].append(s.attempt)

    def in_block(site: int, t: int) -> bool:
        return any((s == -1 or s == site) and a0 <= t < a1 for s, a0, a1 in tech_block)

    intents = {lob: _intent_table(lob) for lob in {q.lob for q in queues}}

    def draw_intent(lob: str) -> str:
        codes, p = intents[lob]
        r = rng.random()
        acc = 0.0
        for c, w in zip(codes, p):
            acc += w
            if r < acc:
                return c
        return codes[-1]

    ss_candidate = {d.code: d.self_service_candidate for d in seeds.dispositions}
    complaint = {d.code: d.is_complaint for d in seeds.dispositions}

    def start_arrival(arr: Arrival, t: int) -> None:
        q = queues[arr.queue]
        s = Seg(new_sid(), q.channel, arr.queue, arr.customer, arr.address, t, arr.intent)
        s.attempt = arr.attempt
        if arr.issue >= 0:
            s.issue = arr.issue
        site = site_idx[q.site_id]
        if q.channel in ("voice", "chat"):
            if (
                nwait[arr.queue] >= cap[arr.queue]
                or rng.random() < 0.002
                or (tech_block and q.channel == "voice" and in_block(site, t) and rng.random() < 0.5)
            ):
                s.disconnected = t + rng.randint(0, 3)
                s.reason = "blocked"
                emit(s, last=True)
                maybe_retry(s, t)
                return
            ivr = rng.randint(15, 70) if q.channel == "voice" else rng.randint(5, 40)
            p_ss = (0.28 if ss_candidate.get(arr.intent) else 0.03) * (1.0 if q.channel == "voice" else 0.5)
            if rng.random() < p_ss:
                s.disconnected = t + ivr + rng.randint(10, 90)
                s.reason = "self_served"
                emit(s, resolved=True, last=True)
                return
            if rng.random() < 0.002:
                s.disconnected = t + ivr
                s.reason = "system_error"
                emit(s, last=True)
                return
            push(t + ivr, K_ENQ, s)
        else:
            push(t, K_ENQ, s)

    def maybe_retry(s: Seg, t: int) -> None:
        if s.attempt < 3 and rng.random() < 0.45:
            when = t + int(rng.lognormvariate(math.log(1800), 1.0))
            when = next_open(s.queue, when)
            if when < site_end[queues[s.queue].site_id]:
                push(when, K_ARR, Arrival(when, s.queue, s.customer, s.address, s.intent, s.issue, s.attempt + 1))

    open_cache: dict[tuple[int, int], tuple[int, int] | None] = {}

    def open_window(qi: int, dn: int) -> tuple[int, int] | None:
        key = (qi, dn)
        if key not in open_cache:
            q = queues[qi]
            d = date(1970, 1, 1) + timedelta(days=dn)
            oh = shape.open_hours(q.lob, q.channel, d)
            tz = seeds.site(q.site_id).tz
            open_cache[key] = (
                None if oh is None else (local_to_utc(d, int(oh[0] * 3600), tz), local_to_utc(d, int(oh[1] * 3600), tz))
            )
        return open_cache[key]

    def next_open(qi: int, t: int) -> int:
        tz = seeds.site(queues[qi].site_id).tz
        dn = day_number(datetime.fromtimestamp(t, tz).date())
        for k in range(8):
            w = open_window(qi, dn + k)
            if w is None:
                continue
            if t < w[0]:
                return w[0] + rng.randint(0, 5400)
            if t < w[1] - 600:
                return t
        return t

    def enqueue(s: Seg, t: int) -> None:
        s.enqueued = t
        pool = queue_pool[s.queue]
        if pool >= 0 and idle[pool]:
            a, _ = idle[pool].popitem(last=False)
            assign(a, s, t)
            return
        s.waiting = True
        ch = s.channel
        if ch == "email" and rng.random() < 0.01:
            # misrouted: no agent ever sees it and the platform closes it after two days
            s.stuck = True
            push(t + 2 * DAY, K_ABANDON, s)
            return
        waitq[s.queue].append(s)
        nwait[s.queue] += 1
        if ch == "voice":
            pat = rng.randint(1, 5) if rng.random() < 0.03 else int(rng.lognormvariate(math.log(230), 0.9))
            push(t + max(1, pat), K_ABANDON, s)
        elif ch == "chat":
            pat = int(rng.lognormvariate(math.log(170), 0.8))
            push(t + max(2, min(pat, 900)), K_ABANDON, s)
        else:
            push(t + 3 * DAY, K_ABANDON, s)

    def assign(a: int, s: Seg, t: int) -> None:
        a_state[a] = 2
        a_cur[a] = s
        ch = s.channel
        delay = rng.randint(2, 6) if ch == "voice" else rng.randint(3, 20) if ch == "chat" else rng.randint(5, 90)
        s.connected = t + delay
        s.agent = a
        s.level = a_level[a]
        record(a, s.connected, "on_contact")
        q = queues[s.queue]
        talk_m, acw_m, p_hold, hold_m = shape.handle_params(ch, q.lob)
        speed = LEVEL_SPEED.get(a_level[a], 1.0)
        talk = max(20, int(rng.lognormvariate(math.log(talk_m * speed * 0.85), 0.55)))
        tp = TRANSFER_P.get(ch, TRANSFER_P["chat"])
        p_tr = (tp[s.hop] if s.hop < len(tp) else 0.0) * (1.3 if a_level[a] <= 2 else 1.0)
        r = rng.random()
        if r < p_tr:
            talk = max(15, int(talk * 0.55))
            s.reason = "transferred"
            x = rng.random()
            s.ttype = "blind" if x < 0.5 else "warm" if x < 0.85 else "conference"
        elif r < p_tr + 0.003:
            talk = max(5, int(talk * 0.3))
            s.reason = "system_error"
        else:
            s.reason = "agent_disconnect" if ch == "email" or rng.random() < 0.3 else "customer_disconnect"
        if p_hold and rng.random() < p_hold:
            s.hold_n = 1 if rng.random() < 0.7 else rng.randint(2, 3)
            s.hold_s = sum(max(5, int(rng.expovariate(1.0 / hold_m))) for _ in range(s.hold_n))
        s.disconnected = s.connected + talk + s.hold_s
        if s.reason == "transferred" and s.hop + 1 < 6:
            s.disp = s.intent if rng.random() < 0.5 else "GENERAL_INFO"
            if rng.random() < 0.35:
                s.acw_s = s.disconnected
                s.acw_e = s.disconnected + rng.randint(5, 40)
        else:
            s.disp = s.intent
            if rng.random() < 0.93:
                s.acw_s = s.disconnected
                s.acw_e = s.disconnected + max(3, int(rng.lognormvariate(math.log(acw_m * speed), 0.6)))
        push(s.disconnected, K_DISC, s)

    def pull(a: int, t: int) -> bool:
        """Give an idle agent the longest-waiting contact of its pool's queues (voice and chat before e-mail)."""
        best = None
        for qi in pool_queues[a_pool[a]]:
            dq = waitq[qi]
            while dq and not dq[0].waiting:
                dq.popleft()
            if dq:
                if queues[qi].channel == "email":
                    if best is None:
                        best = qi
                    break
                if best is None or dq[0].enqueued < waitq[best][0].enqueued:
                    best = qi
        if best is None:
            return False
        s = waitq[best].popleft()
        s.waiting = False
        nwait[best] -= 1
        assign(a, s, t)
        return True

    def become_free(a: int, t: int) -> None:
        a_cur[a] = None
        pend = a_pending[a]
        if pend:
            item = pend.pop(0)
            if item[0] == "logout":
                a_state[a] = 0
                record(a, t, "logged_out")
                pend.clear()
                return
            _, kind, dur, reason = item
            start_activity(a, t, kind, dur, reason)
            return
        a_state[a] = 1
        record(a, t, "available")
        if pull(a, t):
            return
        idle[a_pool[a]][a] = None
        if a_pool[a] in dialer_pools:
            a_token[a] += 1
            push(t + rng.randint(45, 150), K_DIAL, (a, a_token[a]))

    def start_activity(a: int, t: int, kind: str, dur: int, reason) -> None:
        a_state[a] = 3
        a_token[a] += 1
        record(a, t, kind, reason)
        push(t + dur, K_ACTEND, (a, a_token[a]))

    def leave_idle(a: int) -> None:
        idle[a_pool[a]].pop(a, None)

    def dial(a: int, t: int) -> None:
        pool = pools[a_pool[a]]
        site = seeds.site(pool[0])
        tz = site.tz
        lt = datetime.fromtimestamp(t, tz)
        if lt.weekday() >= 5 or not (10 <= lt.hour < 19):
            return
        dn = t // DAY
        budget = campaign_budget.get(dn, 0)
        if budget >= max(20, int(260 * scale)):
            return
        campaign_budget[dn] = budget + 1
        leave_idle(a)
        a_state[a] = 2
        qi = outbound_q[pool[0]]
        s = Seg(new_sid(), "voice", qi, None, "", t, "OB_NO_SALE")
        s.direction = "outbound"
        s.agent = a
        s.level = a_level[a]
        s.campaign = f"CMP_{pool[0].upper()}_{lt.strftime('%Y%m')}_{'WINBACK' if lt.month % 2 else 'UPGRADE'}"
        if rng.random() < 0.7:
            ci = pick_customer(site_idx[pool[0]])
            if ci >= 0:
                s.customer = customers.ids[ci]
                s.address = customers.phone[ci]
        if not s.address:
            s.address = f"+1{rng.randint(200_000_000, 999_999_999)}"
        a_cur[a] = s
        record(a, t, "outbound_dialing")
        ring = rng.randint(8, 30)
        r = rng.random()
        if r < 0.36:
            res = "no_answer"
        elif r < 0.44:
            res = "busy"
            ring = rng.randint(2, 6)
        elif r < 0.61:
            res = "voicemail"
        else:
            x = rng.random()
            res = (
                "wrong_number"
                if x < 0.07
                else "sale"
                if x < 0.3
                else "appointment_set"
                if x < 0.42
                else "callback_scheduled"
                if x < 0.55
                else "not_interested"
            )
        s.cresult = res
        if res in ("no_answer", "busy", "voicemail"):
            s.disconnected = t + ring + (rng.randint(15, 40) if res == "voicemail" else 0)
            s.reason = "agent_disconnect"
        else:
            s.connected = t + ring
            record(a, s.connected, "on_contact")
            talk = 25 if res == "wrong_number" else max(40, int(rng.lognormvariate(math.log(240), 0.5)))
            s.disconnected = s.connected + talk
            s.reason = "agent_disconnect" if rng.random() < 0.5 else "customer_disconnect"
            s.disp = "OB_SALE" if res == "sale" else "OB_NO_SALE"
            s.acw_s = s.disconnected
            s.acw_e = s.disconnected + rng.randint(10, 60)
        push(s.disconnected, K_DISC, s)

    cust_index = {c: i for i, c in enumerate(customers.ids)}
    callbacks: list[dict] = []

    def callback_dial(a: int, t: int, cb: dict) -> None:
        """An agent-dialled call-back: no queue, no campaign."""
        leave_idle(a)
        a_state[a] = 2
        cb["tries"] += 1
        s = Seg(new_sid(), "voice", -1, cb["customer"], cb["phone"], t, cb["intent"])
        s.direction = "outbound"
        s.agent = a
        s.level = a_level[a]
        s.callback = cb
        a_cur[a] = s
        record(a, t, "outbound_dialing")
        ring = rng.randint(6, 28)
        if rng.random() < 0.72:
            s.connected = t + ring
            record(a, s.connected, "on_contact")
            s.disconnected = s.connected + max(30, int(rng.lognormvariate(math.log(200), 0.5)))
            s.reason = "agent_disconnect" if rng.random() < 0.6 else "customer_disconnect"
            s.disp = cb["intent"]
            s.acw_s = s.disconnected
            s.acw_e = s.disconnected + rng.randint(10, 60)
        else:
            s.disconnected = t + ring
            s.reason = "agent_disconnect"
        push(s.disconnected, K_DISC, s)

    cust_by_region: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for r in range(len(seeds.sites)):
        idxs = np.nonzero(customers.region == r)[0]
        w = customers.weight[idxs]
        cust_by_region[r] = (idxs, np.cumsum(w) / w.sum())

    def pick_customer(region: int) -> int:
        idxs, cw = cust_by_region[region]
        if len(idxs) == 0:
            return -1
        return int(idxs[min(len(idxs) - 1, int(np.searchsorted(cw, rng.random())))])

    def contact_end(s: Seg, t: int) -> bool:
        """Decide whether the contact's issue was resolved; unresolved customers come back."""
        if s.direction == "outbound":
            return True
        p = 0.87 - 0.05 * (5 - s.level) / 4 * 2 - (0.25 if complaint.get(s.intent) else 0.0) - 0.04 * min(s.hop, 3)
        if s.reason == "system_error":
            p = 0.1
        resolved = rng.random() < p
        if not resolved and s.customer is not None and s.agent >= 0 and rng.random() < 0.15:
            # the agent promises to call the customer back within a day (an agent-dialled outbound call)
            cb = {
                "created": t + 30,
                "due": t + DAY,
                "agent": agent_ids[s.agent],
                "customer": s.customer,
                "root": s.root,
                "completed": None,
                "tries": 0,
                "a": s.agent,
                "intent": s.intent,
                "phone": customers.phone[cust_index[s.customer]],
            }
            callbacks.append(cb)
            push(t + rng.randint(2 * 3600, 20 * 3600), K_CB, cb)
            return resolved
        if not resolved and s.attempt < 4 and rng.random() < 0.7:
            when = t + int(rng.lognormvariate(math.log(1.4 * DAY), 0.8))
            qi = s.queue
            q0 = queues[qi]
            addr = s.address
            if q0.channel != "voice" and s.customer is not None and rng.random() < 0.5:
                alt = [
                    i
                    for i, q in enumerate(queues)
                    if q.site_id == q0.site_id and q.lob == q0.lob and q.channel == "voice" and not q.is_outbound
                ]
                if alt:
                    qi = alt[0]
                    addr = customers.phone[cust_index[s.customer]]
            when = next_open(qi, when)
            if when < site_end[queues[qi].site_id]:
                push(when, K_ARR, Arrival(when, qi, s.customer, addr, s.intent, s.issue, s.attempt + 1))
        return resolved

    def is_open(qi: int, t: int) -> bool:
        q = queues[qi]
        if q.channel == "email":
            return True
        dn = day_number(datetime.fromtimestamp(t, seeds.site(q.site_id).tz).date())
        w = open_window(qi, dn)
        return w is not None and w[0] <= t < w[1] - 300

    def transfer_target(s: Seg) -> int:
        q = queues[s.queue]
        same_ch = [
            i
            for i, x in enumerate(queues)
            if x.channel == q.channel
            and not x.is_outbound
            and i != s.queue
            and queue_pool[i] >= 0
            and is_open(i, s.disconnected)
        ]
        if not same_ch:
            return s.queue
        local = [i for i in same_ch if queues[i].site_id == q.site_id]
        if local and rng.random() < 0.85:
            return rng.choice(local)
        return rng.choice(same_ch)

    # ---------------------------------------------------------------- main loop
    n_arr = len(arrivals)
    ai = 0
    while True:
        if ai < n_arr and (not heap or arrivals[ai].t <= heap[0][0]):
            arr = arrivals[ai]
            ai += 1
            if arr.t >= horizon:
                continue
            start_arrival(arr, arr.t)
            continue
        if not heap:
            break
        t, _, kind, obj = heapq.heappop(heap)
        if t >= horizon:
            break
        if kind == K_ENQ:
            enqueue(obj, t)
        elif kind == K_DISC:
            s = obj
            a = s.agent
            target = transfer_target(s) if s.reason == "transferred" else -1
            if s.reason == "transferred" and target == s.queue:
                s.reason, s.ttype = "agent_disconnect", None  # nowhere open to transfer to
            if s.reason == "transferred":
                ns = Seg(new_sid(), s.channel, target, s.customer, s.address, t, s.intent)
                ns.prev = s.sid
                ns.root = s.root
                ns.issue = s.issue
                ns.hop = s.hop + 1
                ns.attempt = s.attempt
                tq = queues[ns.queue]
                if tq.lob != queues[s.queue].lob:
                    ns.intent = draw_intent(tq.lob)
                emit(s, last=False)
                push(t + (rng.randint(1, 20) if s.ttype != "blind" else 0), K_ENQ, ns)
            elif s.direction == "outbound":
                emit(s, last=True)
                cb = s.callback
                if cb is not None:
                    if s.connected is not None:
                        cb["completed"] = s.disconnected
                    elif cb["tries"] < 3:
                        push(t + rng.randint(1800, 5400), K_CB, cb)
            else:
                res = contact_end(s, t)
                emit(s, resolved=res, last=True)
            if s.acw_s is not None:
                record(a, t, "acw")
                push(s.acw_e, K_FREE, a)
            else:
                become_free(a, t)
        elif kind == K_FREE:
            become_free(obj, t)
        elif kind == K_ABANDON:
            s = obj
            if not s.waiting:
                continue
            s.waiting = False
            if not s.stuck:
                nwait[s.queue] -= 1
            s.disconnected = t
            ch = s.channel
            s.reason = (
                "queue_timeout"
                if (ch == "email" or (ch == "chat" and t - s.enqueued >= 900))
                else "customer_disconnect"
            )
            emit(s, last=True)
            if ch == "voice":
                maybe_retry(s, t)
        elif kind == K_ARR:
            start_arrival(obj, t)
        elif kind == K_LOGIN:
            a, plan = obj
            if a_state[a] != 0:
                continue
            a_pool[a] = pidx[plan.pool]
            a_level[a] = emp_by_id[agent_ids[a]].level_on(date(1970, 1, 1) + timedelta(days=t // DAY))
            a_pending[a].clear()
            become_free(a, t)
        elif kind == K_ACT:
            a, akind, dur, reason = obj
            st = a_state[a]
            if st == 0:
                continue
            if st == 1:
                leave_idle(a)
                start_activity(a, t, akind, dur, reason)
            else:
                a_pending[a].append(("act", akind, dur, reason))
        elif kind == K_ACTEND:
            a, tok = obj
            if a_state[a] == 3 and a_token[a] == tok:
                become_free(a, t)
        elif kind == K_LOGOUT:
            a = obj
            st = a_state[a]
            if st == 0:
                continue
            if st == 1:
                leave_idle(a)
                a_state[a] = 0
                record(a, t, "logged_out")
            else:
                a_pending[a].append(("logout",))
        elif kind == K_CB:
            cb = obj
            a = cb["a"]
            if t > cb["due"] + DAY:
                continue  # given up: the follow-up stays open
            if a_state[a] == 1:
                callback_dial(a, t, cb)
            else:
                push(t + (900 if a_state[a] != 0 else 3600), K_CB, cb)
        elif kind == K_DIAL:
            a, tok = obj
            if a_state[a] == 1 and a_token[a] == tok:
                dial(a, t)

    # agents still connected at the horizon: their unfinished contact is not extracted yet
    for a in range(n_ag):
        s = a_cur[a]
        if s is not None and s.disconnected is not None and s.disconnected >= horizon and s.connected is not None:
            L = states[a]
            cut = s.initiated if s.direction == "outbound" else s.connected
            while L and L[-1][0] >= cut:
                L.pop()
        L = states[a]
        while L and L[-1][0] >= horizon:
            L.pop()

    st_out = TableBuf("acd/agent_state_changes", ["agent_id", "state_started_at", "state", "reason_code"])
    for a in range(n_ag):
        aid = agent_ids[a]
        for t, stt, reason in states[a]:
            st_out.add(t // DAY, agent_id=aid, state_started_at=t, state=stt, reason_code=reason)
    res = SimResult(seg_out, st_out, extra, curve, horizon, callbacks)
    return res


def _arrivals(
    seeds: Seeds,
    org: Org,
    customers: Customers,
    nrng: np.random.Generator,
    start: date,
    end: date,
    site_end: dict[str, int],
    scale: float,
) -> tuple[list[Arrival], dict]:
    """Poisson arrivals per queue and 30-minute interval around the intraday/weekly/monthly curve."""
    out: list[Arrival] = []
    curve: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    site_idx = {s.site_id: i for i, s in enumerate(seeds.sites)}
    n_days = (end - start).days + 1
    per_queue: list = []
    for qi, q in enumerate(seeds.queues):
        if q.is_outbound or (q.site_id, q.lob) not in org.open_seconds:
            continue
        site = seeds.site(q.site_id)
        tz = site.tz
        pool = (q.site_id, q.lob)
        chans = sorted({x.channel for x in seeds.queues if (x.site_id, x.lob) == pool and not x.is_outbound})
        share = shape.CHANNEL_SHARE.get(q.channel, 0.3) / sum(shape.CHANNEL_SHARE.get(c, 0.3) for c in chans)
        if any(x.is_outbound and (x.site_id, x.lob) == pool for x in seeds.queues):
            share *= 0.55
        talk_m, acw_m, p_hold, hold_m = shape.handle_params(q.channel, q.lob)
        aht = talk_m * 0.95 + acw_m * 0.93 + p_hold * hold_m * 1.4 + 10
        # small groups need more slack to answer in time (Erlang): size their load lower
        n_pool = sum(1 for e in org.agents() if (e.site_id, e.lob_at_start) == pool)
        occ = shape.target_occupancy(n_pool)
        weekly = share * occ * sum(org.open_seconds[pool]) / aht
        wd = list(shape.weekday_weights(q.lob))
        if q.channel == "email":
            wd = [max(w, 0.3) for w in wd]
        wsum = sum(wd)
        t0 = local_to_utc(start, 0, tz)
        t_end = site_end[q.site_id]
        n_int = (t_end - t0) // 1800
        starts = t0 + np.arange(n_int, dtype=np.int64) * 1800
        lam = np.zeros(n_int)
        # daily noise: most days close to the curve, some surprise days
        noise = np.exp(nrng.normal(0, 0.08, size=n_days + 2))
        surprise = nrng.random(n_days + 2) < 0.04
        noise[surprise] *= nrng.uniform(1.2, 1.5, size=int(surprise.sum()))
        day_weights: dict[date, float] = {}
        cache_norm: dict[date, float] = {}
        loc = [datetime.fromtimestamp(int(s), tz) for s in starts]
        grid = org.open_grid.get(pool, {})
        # voice and chat arrive where the curve and the published staffing meet (a queue nobody staffs
        # still gets a trickle); e-mail follows the curve around the clock
        staffed = np.array([grid.get(int(s), 0.0) for s in starts]) + 0.1
        weights = np.zeros(n_int)
        for i, lt in enumerate(loc):
            h = lt.hour + lt.minute / 60
            weights[i] = shape.intraday(h + 0.25, q.channel) * (1.0 if q.channel == "email" else staffed[i])
        for i, lt in enumerate(loc):
            d = lt.date()
            oh = shape.open_hours(q.lob, q.channel, d)
            if oh is None:
                continue
            h = lt.hour + lt.minute / 60
            if not (oh[0] <= h < oh[1]):
                continue
            if d not in cache_norm:
                cache_norm[d] = 0.0
                for j in range(max(0, i - 60), min(n_int, i + 60)):
                    lj = loc[j]
                    ohj = oh if lj.date() == d else None
                    if ohj and ohj[0] <= lj.hour + lj.minute / 60 < ohj[1]:
                        cache_norm[d] += weights[j]
                cache_norm[d] = max(cache_norm[d], 1e-9)
                level = (
                    weekly * wd[d.weekday()] / wsum
                    if q.channel == "email"
                    else share * occ * org.open_seconds[pool][d.weekday()] / aht
                )
                day_weights[d] = (
                    level * shape.monthly_factor(q.lob, d, start) * noise[min(n_days + 1, max(0, (d - start).days))]
                )
            lam[i] = day_weights[d] * weights[i] / cache_norm[d]
        counts = nrng.poisson(lam)
        times = np.repeat(starts, counts) + nrng.integers(0, 1800, size=int(counts.sum()))
        times.sort()
        curve[q.queue_id] = (starts, lam)
        per_queue.append((qi, q, times))
    # identification: the customer base contacts at a modest, heterogeneous rate; the rest are unidentified
    total = sum(len(x[2]) for x in per_queue)
    p_id_base = min(0.9, len(customers.ids) * 0.016 * n_days / max(1, total))
    for qi, q, times in per_queue:
        n = len(times)
        region = site_idx[q.site_id]
        idxs = np.nonzero(customers.region == region)[0]
        w = customers.weight[idxs]
        p_id = min(0.95, p_id_base * (1.3 if q.channel == "email" else 1.0))
        ident = nrng.random(n) < p_id
        chosen = idxs[nrng.choice(len(idxs), size=n, p=w / w.sum())] if len(idxs) else np.zeros(n, dtype=int)
        codes, p = _intent_table(q.lob)
        intents = nrng.choice(len(codes), size=n, p=p)
        anon_pool = max(50, int(n * 0.6))
        anon = nrng.integers(0, anon_pool, size=n)
        for k in range(n):
            t = int(times[k])
            ci = int(chosen[k])
            if ident[k] and customers.created[ci] <= t and (customers.churned[ci] < 0 or customers.churned[ci] > t):
                cust = customers.ids[ci]
                addr = (
                    customers.email[ci]
                    if q.channel == "email"
                    else (customers.phone[ci] if q.channel == "voice" else f"chat:{customers.email[ci].split('@')[0]}")
                )
            else:
                cust = None
                a = int(anon[k])
                addr = (
                    f"anon{a}.{q.site_id}@webmail.example"
                    if q.channel == "email"
                    else f"+{'1' if q.site_id == 'nyc' else '48'}5{a:08d}"
                    if q.channel == "voice"
                    else f"chat:guest{q.site_id}{a}"
                )
            out.append(Arrival(t, qi, cust, addr, codes[int(intents[k])]))
    out.sort(key=lambda x: (x.t, x.queue))
    return out, curve
