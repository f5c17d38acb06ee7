"""Experience KPIs recomputed independently from the landing files with pandas and compared with the input models.

The expectation follows the KPI catalogue (Conventions, "Which period a number belongs to", Experience) and the
experience section of docs/kpi-definitions.md, not the SQL: surveys and offers are dated by their segment's
connected_at (else initiated_at) with Python's time-zone database, cases are the latest delivery of each key and
are placed at their earliest linked segment, the contact reason is the last handled segment's disposition, and
customer lifetime value takes each customer as of the raw daily extract current at the period's end. Segments,
chains and contacts come from the operational family's independent pandas walk (recompute.load_segments).
Every row of the six experience input models must match: same keys, numerator and denominator within 1e-9
relative, same sample size (and currency for money).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from landing_reader import read_current, read_raw
from recompute import (
    CENTER_TZ,
    KEY,
    PERIOD_KEY,
    VALUES,
    clean,
    compare,
    event_rows,
    expand,
    local_dates,
    period_end,
    period_start,
    seed,
)

REPORTING = "USD"
POSITIVE, NEGATIVE = 0.25, -0.25
SCOPES = [("center", None), ("site", "site_id"), ("channel", "channel"), ("queue", "queue_id")]


# ---------------------------------------------------------------------------------------------- helpers


def fx_rate(currency: str, day: dt.date, rates: dict) -> float:
    return rates[(currency, day.replace(day=1))]


def rate_table() -> dict:
    fx = seed("fx_rates")
    return {
        (c, pd.Timestamp(m).date()): float(r) for c, m, r in zip(fx.currency, fx.period_month, fx.rate_to_reporting)
    }


def model_rows(warehouse, model: str) -> pd.DataFrame:
    return warehouse.frame(
        f"select {', '.join(KEY)}, numerator, denominator, sample_size, currency from intermediate.{model}"
    )


# ---------------------------------------------------------------------------------------------- recomputation


def attributed(frame: pd.DataFrame, seg: pd.DataFrame) -> pd.DataFrame:
    """Rows referring to a segment, dated by its connected_at else initiated_at in its site's zone, with its
    queue, channel and site; rows whose segment is not staged are left out."""
    placed = frame.merge(
        seg[["segment_id", "site_id", "tz", "channel", "queue_id", "connected_at", "initiated_at"]],
        on="segment_id",
        how="inner",
        suffixes=("", "_seg"),
    )
    at = placed["connected_at"].where(placed["connected_at"].notna(), placed["initiated_at"])
    placed["date"] = local_dates(at, placed["tz"])
    return placed


def expected_surveys(landing: Path, seg: pd.DataFrame) -> pd.DataFrame:
    s = attributed(read_current(landing, "survey/contact_surveys"), seg)
    csat, nps, ces = s[s["csat_score"].notna()], s[s["nps_score"].notna()], s[s["ces_score"].notna()]
    said, senti = s[s["issue_resolved"].notna()], s[s["sentiment_score"].notna()]
    nps_points = 100.0 * (nps["nps_score"] >= 9) - 100.0 * (nps["nps_score"] <= 6)
    senti_points = 100.0 * (senti["sentiment_score"] > POSITIVE) - 100.0 * (senti["sentiment_score"] < NEGATIVE)
    ev = [
        event_rows(csat, "csat", "date", (csat["csat_score"] >= 4), 1, 1),
        event_rows(csat, "csat_mean", "date", csat["csat_score"], 1, 1),
        event_rows(nps, "nps", "date", nps_points, 1, 1),
        event_rows(ces, "customer_effort_score", "date", ces["ces_score"], 1, 1),
        event_rows(ces, "ces_easy_share", "date", ces["ces_score"] >= 5, 1, 1),
        event_rows(s, "survey_response_rate", "date", s["responded_at"].notna(), 1, 1),
        event_rows(said, "customer_reported_resolution", "date", said["issue_resolved"] == True, 1, 1),  # noqa: E712
        event_rows(senti, "net_sentiment", "date", senti_points, 1, 1),
        event_rows(senti, "sentiment_mean", "date", senti["sentiment_score"], 1, 1),
    ]
    return expand(pd.concat(ev, ignore_index=True), SCOPES)


def cases_placed(landing: Path, seg: pd.DataFrame) -> pd.DataFrame:
    """Latest delivery of each case at the site, queue and channel of its earliest linked segment."""
    cases = read_current(landing, "crm/cases")
    cases["status"] = clean(cases["status"])
    cases["complaint_category"] = clean(cases["complaint_category"])
    links = read_current(landing, "crm/case_segments")[["case_id", "segment_id"]].merge(
        seg[["segment_id", "initiated_at", "site_id", "tz", "channel", "queue_id"]], on="segment_id"
    )
    first = links.sort_values(["case_id", "initiated_at", "segment_id"]).drop_duplicates("case_id")
    cases = cases.merge(first.drop(columns=["segment_id", "initiated_at"]), on="case_id", how="left")
    cases = cases.astype({"site_id": object, "tz": object, "channel": object, "queue_id": object})
    cases = cases.where(cases.notna(), None)
    cases["opened_at"] = pd.to_datetime(cases["opened_at"])
    cases["closed_at"] = pd.to_datetime(cases["closed_at"])
    cases["opened"] = local_dates(cases["opened_at"], cases["tz"])
    cases["closed"] = cases["status"].isin({"resolved", "closed"}) & cases["closed_at"].notna()
    cases["closed_date"] = local_dates(cases["closed_at"], cases["tz"])
    cases["hours"] = (cases["closed_at"] - cases["opened_at"]).dt.total_seconds() / 3600.0
    cases["category"] = cases["complaint_category"].map(lambda v: v if isinstance(v, str) else "unknown")
    return cases


def handled_contacts(contacts: pd.DataFrame, seg: pd.DataFrame) -> pd.DataFrame:
    """Handled contacts of ok chains with the contact reason of their last handled segment."""
    handled_segments = seg[seg["handled"]].sort_values(["contact_id", "position", "connected_at", "segment_id"])
    last = handled_segments.drop_duplicates("contact_id", keep="last").set_index("contact_id")["disposition_code"]
    out = contacts[(contacts["chain_status"] == "ok") & contacts["handled"]].copy()
    out["disposition_code"] = out["contact_id"].map(last)
    codes = seed("disposition_codes")
    reason = dict(zip(codes.disposition_code, codes.contact_reason))
    candidate = dict(zip(codes.disposition_code, codes.self_service_candidate.astype(str).str.lower() == "true"))
    out["reason"] = out["disposition_code"].map(lambda d: reason.get(d, "unknown") if isinstance(d, str) else "unknown")
    out["candidate"] = out["disposition_code"].map(lambda d: candidate.get(d, False) if isinstance(d, str) else False)
    return out


def expected_cases(landing: Path, seg: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    cases = cases_placed(landing, seg)
    complaints = cases[cases["is_complaint"] == True]  # noqa: E712
    closed = complaints[complaints["closed"]]
    asked = closed[closed["resolution_satisfied"].notna()]
    satisfied = asked["resolution_satisfied"] == True  # noqa: E712
    handled = handled_contacts(contacts, seg)
    ev = [
        event_rows(complaints, "complaints_per_1000_contacts", "opened", 1000, 0, 0),
        event_rows(handled, "complaints_per_1000_contacts", "init_date", 0, 1, 1),
    ]
    for breakdown in [("all", None), ("complaint_category", "category")]:
        ev += [
            event_rows(complaints, "complaints", "opened", 1, None, 1, breakdown),
            event_rows(closed, "complaint_resolution_time_h", "closed_date", closed["hours"], 1, 1, breakdown),
            event_rows(asked, "complaint_resolution_satisfaction", "closed_date", satisfied, 1, 1, breakdown),
        ]
    return expand(pd.concat(ev, ignore_index=True), SCOPES)


def expected_contact_reasons(seg: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    handled = handled_contacts(contacts, seg)
    totals = expand(event_rows(handled, "contact_reason_share", "init_date", 0, 1, 1), SCOPES)
    counts = expand(
        event_rows(handled, "contact_reason_share", "init_date", 1, None, 0, ("contact_reason", "reason")), SCOPES
    )
    counts = counts.set_index(["local_date", "scope_type", "scope_id", "breakdown_id"])["numerator"].to_dict()
    reasons = sorted(set(seed("disposition_codes").contact_reason) | {"unknown"})
    shares = []
    for t in totals.itertuples():
        for r in reasons:
            shares.append(
                {
                    "kpi_name": "contact_reason_share",
                    "local_date": t.local_date,
                    "scope_type": t.scope_type,
                    "scope_id": t.scope_id,
                    "breakdown_type": "contact_reason",
                    "breakdown_id": r,
                    "numerator": counts.get((t.local_date, t.scope_type, t.scope_id, r), 0.0),
                    "denominator": t.denominator,
                    "sample_size": t.sample_size,
                    "currency": None,
                }
            )
    candidate_rows = event_rows(handled, "self_service_candidate_share", "init_date", handled["candidate"], 1, 1)
    candidates = expand(candidate_rows, SCOPES)
    return pd.concat([pd.DataFrame(shares), candidates], ignore_index=True)


def expected_nba(landing: Path, seg: pd.DataFrame) -> pd.DataFrame:
    offers = attributed(read_current(landing, "crm/next_best_actions"), seg)
    sites = seed("sites")
    currency = dict(zip(sites.site_id, sites.currency))
    rates = rate_table()
    offers["accepted_flag"] = offers["accepted"] == True  # noqa: E712
    offers["site_currency"] = offers["site_id"].map(
        lambda s: currency.get(s, REPORTING) if isinstance(s, str) else REPORTING
    )
    accepted = offers[offers["accepted_flag"]].copy()
    accepted["value"] = accepted["accepted_value"].fillna(0.0)
    accepted["value_reporting"] = [
        v * fx_rate(c, d, rates) for v, c, d in zip(accepted["value"], accepted["site_currency"], accepted["date"])
    ]
    local_scopes = [("site", "site_id"), ("queue", "queue_id")]
    reporting_scopes = [("center", None), ("channel", "channel")]
    rate = event_rows(offers, "nba_acceptance_rate", "date", offers["accepted_flag"], 1, 1)
    local_value = event_rows(accepted, "nba_accepted_value", "date", accepted["value"], None, 1)
    local_value["currency"] = accepted["site_currency"].to_numpy()
    reporting_value = event_rows(
        accepted, "nba_accepted_value", "date", accepted["value_reporting"], None, 1, currency=REPORTING
    )
    return pd.concat(
        [expand(rate, SCOPES), expand(local_value, local_scopes), expand(reporting_value, reporting_scopes)],
        ignore_index=True,
    )


def expected_churn(landing: Path) -> pd.DataFrame:
    customers = read_current(landing, "crm/customers")
    customers["segment"] = clean(customers["segment"])
    customers["churn_reason"] = clean(customers["churn_reason"])
    churned = customers[(customers["segment"] == "key_account") & customers["churned_at"].notna()].copy()
    churned["date"] = local_dates(churned["churned_at"], pd.Series(None, index=churned.index, dtype=object))
    churned["site_id"] = churned["channel"] = churned["queue_id"] = None
    ev = [
        event_rows(churned, "key_account_churn", "date", 1, None, 1),
        event_rows(churned, "key_account_churn_service_share", "date", churned["churn_reason"] == "service", 1, 1),
    ]
    return expand(pd.concat(ev, ignore_index=True), [("center", None)])


def expected_lifetime_value(landing: Path, contacts: pd.DataFrame) -> pd.DataFrame:
    """Per period: customers with an inbound contact in it, each as of the raw extract current at the end of the
    period's last day (New York), counted when active then; mean lifetime revenue in USD at period_start's rate."""
    raw = read_raw(landing, "crm/customers")
    raw["segment"] = clean(raw["segment"])
    raw = raw.sort_values(["customer_id", "_extracted_at", "_file"], kind="mergesort")
    raw["extract_date"] = raw["_extracted_at"].dt.tz_localize("UTC").dt.tz_convert(CENTER_TZ).dt.date
    history = dict(list(raw.groupby("customer_id")))
    rates = rate_table()
    inbound = contacts[(contacts["direction"] == "inbound") & contacts["customer_id"].notna()]
    out = []
    for grain in ("day", "week", "month"):
        members: dict[tuple, set] = {}
        for customer, day in zip(inbound["customer_id"], inbound["init_date"], strict=True):
            start = period_start(day, grain)
            members.setdefault((start, period_end(start, grain)), set()).add(customer)
        for (start, end), customers in members.items():
            groups: dict[tuple, list[float]] = {}
            for customer in customers:
                versions = history.get(customer)
                if versions is None:
                    continue
                known = versions[versions["extract_date"] <= end]
                if known.empty:
                    continue
                v = known.iloc[-1]
                if pd.notna(v["churned_at"]):
                    churn_day = pd.Timestamp(v["churned_at"]).tz_localize("UTC").tz_convert(CENTER_TZ).date()
                    if churn_day <= end:
                        continue
                value = v["lifetime_revenue"] * fx_rate(v["currency"], start, rates)
                for breakdown in (("all", "all"), ("customer_segment", v["segment"])):
                    groups.setdefault(breakdown, []).append(value)
            for (kind, ident), values in groups.items():
                out.append(
                    {
                        "kpi_name": "customer_lifetime_value",
                        "period_grain": grain,
                        "period_start": start,
                        "scope_type": "center",
                        "scope_id": "all",
                        "breakdown_type": kind,
                        "breakdown_id": ident,
                        "numerator": float(sum(values)),
                        "denominator": float(len(values)),
                        "sample_size": len(values),
                        "currency": REPORTING,
                    }
                )
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------- tests


def test_survey_kpis_match(warehouse, recomputed):
    seg, _ = recomputed
    expected = expected_surveys(warehouse.landing, seg)
    assert expected["sample_size"].sum() > 1000
    compare(expected, model_rows(warehouse, "int_kpi_experience__survey_days"), KEY)


def test_each_survey_is_attributed_to_its_segment(warehouse, recomputed):
    """fct_surveys: one row per response; attributed ones carry their segment's local date, queue, channel, site."""
    seg, _ = recomputed
    current = read_current(warehouse.landing, "survey/contact_surveys")
    expected = attributed(current, seg)[["response_id", "date", "queue_id", "channel", "site_id"]]
    actual = warehouse.frame(
        "select response_id, local_date, queue_id, channel, site_id, is_attributed from marts.fct_surveys"
    )
    assert sorted(actual["response_id"]) == sorted(current["response_id"])
    assert set(actual.loc[actual["is_attributed"], "response_id"]) == set(expected["response_id"])
    merged = expected.merge(actual, on="response_id", suffixes=("_exp", "_act"))
    merged["local_date"] = pd.to_datetime(merged["local_date"]).dt.date
    assert (merged["date"] == merged["local_date"]).all()
    for col in ("queue_id", "channel", "site_id"):
        e, a = merged[f"{col}_exp"], merged[f"{col}_act"]
        assert ((e == a) | (e.isna() & a.isna())).all(), col


def test_complaint_kpis_match(warehouse, recomputed):
    seg, contacts = recomputed
    expected = expected_cases(warehouse.landing, seg, contacts)
    assert (expected["kpi_name"] == "complaint_resolution_satisfaction").any()
    compare(expected, model_rows(warehouse, "int_kpi_experience__complaint_days"), KEY)


def test_contact_reason_kpis_match(warehouse, recomputed):
    seg, contacts = recomputed
    compare(
        expected_contact_reasons(seg, contacts), model_rows(warehouse, "int_kpi_experience__contact_reason_days"), KEY
    )


def test_next_best_action_kpis_match(warehouse, recomputed):
    seg, _ = recomputed
    compare(
        expected_nba(warehouse.landing, seg),
        model_rows(warehouse, "int_kpi_experience__next_best_action_days"),
        KEY,
        (*VALUES, "currency"),
    )


def test_key_account_churn_matches(warehouse):
    expected = expected_churn(warehouse.landing)
    assert len(expected) > 0, "the test data should churn some key accounts"
    compare(expected, model_rows(warehouse, "int_kpi_experience__key_account_churn_days"), KEY)


def test_customer_lifetime_value_matches(warehouse, recomputed):
    _, contacts = recomputed
    expected = expected_lifetime_value(warehouse.landing, contacts)
    actual = warehouse.frame(
        f"select {', '.join(PERIOD_KEY)}, numerator, denominator, value, sample_size, currency "
        "from intermediate.int_kpi_experience__customer_value_periods"
    )
    compare(expected, actual, PERIOD_KEY, (*VALUES, "currency"))
    values = actual["numerator"] / actual["denominator"]
    assert np.allclose(values, actual["value"], rtol=1e-12)


def test_no_pii_in_experience_marts(warehouse):
    """fct_surveys, fct_cases and dim_customers carry no names, e-mails, phones or comment text."""
    for table in ("fct_surveys", "fct_cases", "dim_customers"):
        columns = {
            r[0]
            for r in warehouse.query(f"select column_name from information_schema.columns where table_name = '{table}'")
        }
        assert columns, f"{table} is not built"
        assert not columns & {"full_name", "email", "phone", "comment", "customer_address"}, table


def test_each_case_is_its_latest_delivery(warehouse):
    """fct_cases holds one row per case with the status, closure and category of its latest delivery."""
    current = read_current(warehouse.landing, "crm/cases")
    current["status"] = clean(current["status"])
    actual = warehouse.frame("select case_id, status, closed_at from marts.fct_cases")
    merged = current[["case_id", "status", "closed_at"]].merge(
        actual, on="case_id", how="outer", indicator=True, suffixes=("_exp", "_act")
    )
    assert (merged["_merge"] == "both").all()
    assert (merged["status_exp"] == merged["status_act"]).all()
    same_close = (merged["closed_at_exp"] == merged["closed_at_act"]) | (
        merged["closed_at_exp"].isna() & merged["closed_at_act"].isna()
    )
    assert same_close.all()
    versions = read_raw(warehouse.landing, "crm/cases").groupby("case_id").size()
    assert (versions > 1).mean() > 0.5, "the test data should version most cases"
