"""Every SQL statement of the dashboard, and the marts' privacy rules applied to every KPI read.

Numbers come from the KPI tables as published (value, target_value, baseline_value, is_reliable): the dashboard
never recomputes a KPI. Two views have no KPI-table row by design, and read the published components instead:

- per 30-minute interval (the KPI tables stop at day): service level and ASA of an interval are the numerator and
  denominator of the day's KPI restricted to that interval, counted from the offer flags of `fct_contact_segments`
  (is_offer, is_answered, is_abandoned, is_short_abandon, wait_s, service_level_threshold_s) with the project's
  `service_level_abandon_mode`; tests/python/test_dashboard.py proves that the intervals of a day add up to the
  day's `kpi_operational` numerator and denominator;
- the four service-level modes side by side (the KPI table publishes the project's one mode): the same flags.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from switchboard.dashboard.data import find_relation, has, project_var, query

KPI_TABLES = ("kpi_operational", "kpi_experience", "kpi_team", "kpi_compliance")
# Engagement KPIs (employee pulse): never for an agent, never for a group under var engagement_min_responses.
ENGAGEMENT_KPIS = ("employee_satisfaction", "enps", "collaboration_score")
AUDIT_SCHEMAS = ("data_quality",)

# Service level per abandon mode (docs/kpi-definitions.md): met offers / counted offers, from the offer flags.
ANSWERED_MET = "is_answered and wait_s <= service_level_threshold_s"
ABANDONED_MET = "is_abandoned and wait_s <= service_level_threshold_s"
SERVICE_LEVEL_MODES: dict[str, tuple[str, str, str]] = {
    "exclude_short": (
        "short abandons left out (default)",
        f"count(*) filter ({ANSWERED_MET})",
        "count(*) filter (is_answered or (is_abandoned and not is_short_abandon))",
    ),
    "include_all": (
        "every abandon counted",
        f"count(*) filter ({ANSWERED_MET})",
        "count(*) filter (is_answered or is_abandoned)",
    ),
    "exclude_all": (
        "answered offers only",
        f"count(*) filter ({ANSWERED_MET})",
        "count(*) filter (is_answered)",
    ),
    "met_if_within_threshold": (
        "abandons within T count as met (Amazon Connect)",
        f"count(*) filter ({ANSWERED_MET} or {ABANDONED_MET})",
        "count(*)",
    ),
}


def _kpi_filter() -> tuple[str, list]:
    """The marts' privacy rules, again at the door (defence in depth: the marts already publish no such row)."""
    names = list(ENGAGEMENT_KPIS)
    sql = (
        "not (scope_type = 'agent' and (currency is not null or unit = 'currency' or list_contains(?, kpi_name)))"
        " and not (list_contains(?, kpi_name) and sample_size < ?)"
    )
    return sql, [tuple(names), tuple(names), int(project_var("engagement_min_responses"))]


def kpi(
    table: str,
    kpi_names: tuple[str, ...],
    scope_type: str,
    scope_ids: tuple[str, ...],
    grain: str,
    start: dt.date,
    end: dt.date,
    breakdown_type: str = "all",
) -> pd.DataFrame:
    """KPI rows as published, for periods starting in [start, end], with the privacy rules applied."""
    if table not in KPI_TABLES:
        raise ValueError(f"not a KPI table: {table}")
    if not has("marts", table):
        return pd.DataFrame()
    privacy, privacy_params = _kpi_filter()
    frame = query(
        f"""
        select kpi_name, period_grain, period_start, scope_type, scope_id, breakdown_type, breakdown_id,
               numerator, denominator, value, unit, currency, sample_size, is_reliable, is_complete,
               target_value, meets_target, baseline_value
        from marts.{table}
        where list_contains(?, kpi_name) and scope_type = ? and list_contains(?, scope_id)
          and period_grain = ? and period_start between ? and ? and breakdown_type = ? and {privacy}
        order by kpi_name, scope_id, breakdown_id, period_start
        """,
        (tuple(kpi_names), scope_type, tuple(scope_ids), grain, start, end, breakdown_type, *privacy_params),
    )
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    return frame


def data_days() -> tuple[dt.date, dt.date] | None:
    """First and last local day of the operational KPIs (the dates a user can pick)."""
    if not has("marts", "kpi_operational"):
        return None
    row = query(
        "select min(period_start) as lo, max(period_start) as hi from marts.kpi_operational "
        "where period_grain = 'day' and kpi_name = 'contacts_offered'"
    )
    if row.empty or pd.isna(row.loc[0, "lo"]):
        return None
    return pd.Timestamp(row.loc[0, "lo"]).date(), pd.Timestamp(row.loc[0, "hi"]).date()


def queue_days(queue_id: str) -> list[dt.date]:
    """The local days on which a queue had offers (a voice queue closed on Sundays has none then)."""
    frame = query(
        "select distinct period_start from marts.kpi_operational where kpi_name = 'contacts_offered' "
        "and scope_type = 'queue' and scope_id = ? and period_grain = 'day' order by period_start",
        (queue_id,),
    )
    return [pd.Timestamp(day).date() for day in frame["period_start"]]


def sites() -> pd.DataFrame:
    return query("select site_id, site_name, time_zone, currency from marts.dim_sites order by site_id")


def queues(site_id: str | None) -> pd.DataFrame:
    """Inbound queues (outbound is dialled, it has no service level) of a site, or of every site."""
    return query(
        "select queue_id, queue_name, channel, line_of_business, site_id, service_level_threshold_s "
        "from marts.dim_queues where not is_outbound and (? is null or site_id = ?) order by site_id, queue_id",
        (site_id, site_id),
    )


def teams(site_id: str | None) -> pd.DataFrame:
    """Teams with agents, from the agent history (team and site of each employee's current version)."""
    return query(
        "select team_id, min(site_id) as site_id, count(*) as agents from marts.dim_agents "
        "where is_current and team_id is not null and (? is null or site_id = ?) group by team_id order by team_id",
        (site_id, site_id),
    )


def interval_day(queue_id: str, day: dt.date) -> pd.DataFrame:
    """One queue's local day per 30-minute interval: offers, service level and ASA (as the day's KPI counts them,
    see the module doc), the Erlang C required agents of the queue, and the staffing of its site and line of
    business (required vs scheduled agents, gap < 0 = understaffed)."""
    mode = project_var("service_level_abandon_mode")
    _, met, counted = SERVICE_LEVEL_MODES[mode]
    return query(
        f"""
        with offers as (
            select enqueued_interval_start as interval_start, count(*) as offers,
                   {met} as sl_numerator, {counted} as sl_denominator,
                   sum(wait_s) filter (is_answered) as asa_numerator, count(*) filter (is_answered) as asa_denominator
            from marts.fct_contact_segments
            where is_offer and queue_id = ? and enqueued_local_date = ?
            group by enqueued_interval_start
        ),
        intervals as (
            select queue_id, site_id, line_of_business, interval_start, local_interval_start, required_agents,
                   service_level_target
            from marts.fct_queue_intervals
            where queue_id = ? and local_date = ?
        ),
        staffing as (
            select site_id, line_of_business, interval_start, required_agents as site_required_agents,
                   scheduled_agents, staffing_gap
            from marts.fct_staffing_intervals
        )
        select intervals.local_interval_start, coalesce(offers.offers, 0) as offers,
               offers.sl_numerator, offers.sl_denominator,
               offers.sl_numerator / nullif(offers.sl_denominator, 0) as service_level,
               offers.asa_numerator, offers.asa_denominator,
               offers.asa_numerator / nullif(offers.asa_denominator, 0) as average_speed_of_answer_s,
               intervals.required_agents, intervals.service_level_target,
               staffing.site_required_agents, staffing.scheduled_agents, staffing.staffing_gap,
               coalesce(staffing.staffing_gap < 0, false) as is_understaffed
        from intervals
        left join offers on intervals.interval_start = offers.interval_start
        left join staffing
            on intervals.site_id = staffing.site_id and intervals.line_of_business = staffing.line_of_business
            and intervals.interval_start = staffing.interval_start
        order by intervals.local_interval_start
        """,
        (queue_id, day, queue_id, day),
    )


def service_level_modes(queue_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The four service-level modes of one queue over local days [start, end]: why a vendor's number differs."""
    selects = " union all ".join(
        f"select '{mode}' as mode, '{label}' as counts, {met} as met, {counted} as counted from offers"
        for mode, (label, met, counted) in SERVICE_LEVEL_MODES.items()
    )
    frame = query(
        f"""
        with offers as (
            select is_answered, is_abandoned, is_short_abandon, wait_s, service_level_threshold_s
            from marts.fct_contact_segments
            where is_offer and queue_id = ? and enqueued_local_date between ? and ?
        )
        {selects}
        """,
        (queue_id, start, end),
    )
    frame["service_level"] = frame["met"] / frame["counted"].where(frame["counted"] > 0)
    frame["is_project_mode"] = frame["mode"] == project_var("service_level_abandon_mode")
    return frame


def team_agents(team_id: str, day: dt.date) -> pd.DataFrame:
    """The agents of a team as of a local day (agent history), for the team lead's table."""
    return query(
        "select employee_id as agent_id, proficiency_level, hire_date from marts.dim_agents "
        "where team_id = ? and job_role = 'agent' and as_of_from_date <= ? and ? < as_of_to_date order by agent_id",
        (team_id, day, day),
    )


def qa_under_min_sample(grain: str, period_start: dt.date, site_id: str | None, team_id: str | None) -> pd.DataFrame:
    if not has("marts", "rpt_qa_agents_under_min_sample"):
        return pd.DataFrame()
    return query(
        "select agent_id, team_id, site_id, handled_segments, evaluations, min_evaluations, evaluations_missing "
        "from marts.rpt_qa_agents_under_min_sample where period_grain = ? and period_start = ? "
        "and (? is null or site_id = ?) and (? is null or team_id = ?) order by evaluations_missing desc, agent_id",
        (grain, period_start, site_id, site_id, team_id, team_id),
    )


def audit(table: str) -> pd.DataFrame | None:
    """An audit model of the data_quality schema; None when it is not built."""
    relation = find_relation(table, AUDIT_SCHEMAS)
    return None if relation is None else query(f"select * from {relation}")


def meta(table: str) -> pd.DataFrame | None:
    """A table of the publication's `meta` schema (issue 15); None when the warehouse was not published."""
    return query(f"select * from meta.{table}") if has("meta", table) else None
