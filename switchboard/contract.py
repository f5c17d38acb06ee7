"""The landing contract (../shared/spec/landing-contract.md) in machine-readable form.

One source of truth for the generator, the landing validation and the dbt
sources: ``switchboard contract`` writes the dbt source YAML from this module
and a test keeps the two in sync.

Types: ``str``, ``int``, ``dec`` (decimal(18,4)), ``bool``, ``ts`` (timestamp
UTC), ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("str", "int", "dec", "bool", "ts", "date")

# Bad-row rules in the contract's order: a row breaking several is quarantined
# once, under the first of these.
RULES = (
    "null_key",
    "unparseable_value",
    "unknown_value",
    "out_of_range",
    "time_order",
    "future_timestamp",
    "orphan_reference",
)

# The plausible window of every timestamp and date (Table.window_columns), as dbt vars: a value before the first
# breaks `out_of_range`, one after the build's clock (dbt's run_started_at) plus the second (hours; planned columns:
# the third, days) breaks `future_timestamp`. A wrong clock or a 1900 default in a source would otherwise be staged,
# and a 2099 `_extracted_at` would win every deduplication.
WINDOW_VARS = ("landing_earliest_event_date", "landing_future_tolerance_hours", "landing_planning_horizon_days")

# SQL type of each contract type (DuckDB spelling; the dbt macros map them per engine).
SQL_TYPES = {
    "str": "varchar",
    "int": "bigint",
    "dec": "decimal(18,4)",
    "bool": "boolean",
    "ts": "timestamp",
    "date": "date",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""
    pii: bool = False
    enum: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None

    def __post_init__(self) -> None:
        assert self.type in TYPES, (self.name, self.type)


CADENCES = ("daily", "weekly", "monthly", "on_change")


@dataclass(frozen=True)
class Table:
    system: str
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    kind: str = "event"  # event | versioned | full_extract | schedule
    # How often the source delivers a batch, which sets its freshness thresholds (vars
    # landing_freshness_<cadence>_warn_hours / _error_hours): daily, weekly, monthly, or on_change
    # (delivered only when something changes: no freshness check, the last row's age says nothing).
    cadence: str = "daily"
    # (earlier, later) pairs; a row with later < earlier breaks `time_order`.
    time_order: tuple[tuple[str, str], ...] = ()
    # columns that may not lie after the row's own _extracted_at
    future_checked: tuple[str, ...] = ()
    # The plausible window (see WINDOW_VARS): every ts and date column and _extracted_at lies on or after the
    # earliest event date and at most the future tolerance after the build's clock, except
    # planned: times and dates planned ahead (schedules, forecasts, due dates, budgets), which may lie up to the
    # planning horizon after the build's clock, and
    # historic: dates of when a relationship began or ended (customer since, hire date), which may predate the
    # earliest event date (a customer since 1995 is real; a contact in 1995 is not in this warehouse).
    planned: tuple[str, ...] = ()
    historic: tuple[str, ...] = ()
    # (column, parent) where parent is "seed:<seed>" or "<system>/<table>"
    references: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return f"{self.system}/{self.name}"

    @property
    def relation(self) -> str:
        """Name of the landing relation (view) registered for dbt."""
        return f"{self.system}__{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def pii_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pii]

    @property
    def window_columns(self) -> list[str]:
        """Every column the plausible-window checks cover: the ts and date columns, _extracted_at included."""
        return [c.name for c in self.columns if c.type in ("ts", "date")]


def C(name, type_, description="", **kw) -> Column:  # noqa: N802 - short constructor
    return Column(name, type_, description, **kw)


EXTRACTED = C("_extracted_at", "ts", "When the source system produced the batch (UTC).")

CHANNELS = ("voice", "chat", "email", "sms", "social")
AGENT_STATES = (
    "logged_out",
    "available",
    "on_contact",
    "acw",
    "outbound_dialing",
    "break",
    "lunch",
    "meeting",
    "training",
    "coaching",
    "not_ready",
    "technical_issue",
)
ACTIVITIES = ("open", "break", "lunch", "meeting", "training", "coaching", "vacation", "off")

TABLES: tuple[Table, ...] = (
    Table(
        "acd",
        "contact_segments",
        "One row per segment of a contact; a transfer creates a new segment linked to the one it came from.",
        (
            C("segment_id", "str", "Segment key."),
            C(
                "previous_segment_id",
                "str",
                "Segment this one was transferred from; null on the first segment of a contact.",
            ),
            C("channel", "str", "Channel of the segment.", enum=CHANNELS),
            C("direction", "str", "inbound or outbound.", enum=("inbound", "outbound")),
            C("queue_id", "str", "Queue the segment was routed through; null for agent-dialled outbound."),
            C("agent_id", "str", "Agent who handled it; null if never connected to an agent."),
            C("customer_id", "str", "CRM customer id when the caller was identified, else null."),
            C("customer_address", "str", "Phone number, e-mail address or chat handle.", pii=True),
            C("initiated_at", "ts", "Contact arrived (IVR entry, e-mail received, chat opened) or dial started."),
            C("enqueued_at", "ts", "Entered the queue; null if it never queued."),
            C("connected_at", "ts", "Connected to the agent; null if never."),
            C("disconnected_at", "ts", "The segment ended (hang-up, transfer out, chat closed, e-mail reply sent)."),
            C("acw_started_at", "ts", "After-contact work started; null when none."),
            C("acw_ended_at", "ts", "After-contact work ended; null when none."),
            C("hold_seconds", "int", "Total time the customer was on hold during the segment.", min=0),
            C("hold_count", "int", "Number of holds.", min=0),
            C(
                "disconnect_reason",
                "str",
                "Why the segment ended.",
                enum=(
                    "customer_disconnect",
                    "agent_disconnect",
                    "transferred",
                    "self_served",
                    "blocked",
                    "queue_timeout",
                    "system_error",
                ),
            ),
            C(
                "transfer_type",
                "str",
                "blind, warm or conference on a segment transferred out, else null.",
                enum=("blind", "warm", "conference"),
            ),
            C("disposition_code", "str", "Wrap-up code the agent chose; null when not handled."),
            C("campaign_id", "str", "Outbound campaign; null for inbound."),
            C(
                "campaign_result",
                "str",
                "Outbound only: result of the dial.",
                enum=(
                    "sale",
                    "appointment_set",
                    "callback_scheduled",
                    "not_interested",
                    "no_answer",
                    "busy",
                    "voicemail",
                    "wrong_number",
                ),
            ),
            EXTRACTED,
        ),
        key=("segment_id",),
        time_order=(
            ("initiated_at", "enqueued_at"),
            ("enqueued_at", "connected_at"),
            ("initiated_at", "connected_at"),
            ("connected_at", "disconnected_at"),
            ("initiated_at", "disconnected_at"),
            ("acw_started_at", "acw_ended_at"),
        ),
        future_checked=(
            "initiated_at",
            "enqueued_at",
            "connected_at",
            "disconnected_at",
            "acw_started_at",
            "acw_ended_at",
        ),
        references=(("queue_id", "seed:queues"),),
    ),
    Table(
        "acd",
        "agent_state_changes",
        "One row per agent state change; a state lasts until the agent's next change.",
        (
            C("agent_id", "str", "Agent (same id as employee_id)."),
            C("state_started_at", "ts", "When the state began."),
            C("state", "str", "The new state; logged_out closes a session.", enum=AGENT_STATES),
            C("reason_code", "str", "Optional free code."),
            EXTRACTED,
        ),
        key=("agent_id", "state_started_at"),
        future_checked=("state_started_at",),
    ),
    Table(
        "wfm",
        "schedule_activities",
        "The published schedule: activities per agent and local schedule date.",
        (
            C("agent_id", "str", "Agent."),
            C("schedule_date", "date", "Local date the shift belongs to."),
            C("activity", "str", "Scheduled activity.", enum=ACTIVITIES),
            C("starts_at", "ts", "Activity start."),
            C("ends_at", "ts", "Activity end."),
            C(
                "published_at",
                "ts",
                "Publication time; a later publication of the same agent and date replaces the earlier one.",
            ),
            EXTRACTED,
        ),
        key=("agent_id", "schedule_date", "published_at", "starts_at"),
        cadence="weekly",
        kind="schedule",
        time_order=(("starts_at", "ends_at"),),
        planned=("schedule_date", "starts_at", "ends_at"),
    ),
    Table(
        "wfm",
        "forecasts",
        "Volume and handle-time forecast per queue and 30-minute interval; several versions per interval.",
        (
            C("queue_id", "str", "Queue."),
            C("interval_start", "ts", "30-minute interval start (UTC)."),
            C("forecast_contacts", "dec", "Forecast offers in the interval.", min=0),
            C("forecast_aht_s", "dec", "Forecast average handle time, seconds.", min=0),
            C("created_at", "ts", "When this forecast version was created."),
            EXTRACTED,
        ),
        key=("queue_id", "interval_start", "created_at"),
        planned=("interval_start",),
        references=(("queue_id", "seed:queues"),),
    ),
    Table(
        "survey",
        "contact_surveys",
        "Post-contact survey: one row per response id, updated when the answer arrives.",
        (
            C("response_id", "str", "Response key."),
            C("segment_id", "str", "The surveyed segment."),
            C("survey_channel", "str", "ivr, email or sms.", enum=("ivr", "email", "sms")),
            C("sent_at", "ts", "Survey sent."),
            C("responded_at", "ts", "Answered; null = sent, not answered."),
            C("csat_score", "int", "Satisfaction 1-5.", min=1, max=5),
            C("nps_score", "int", "Likelihood to recommend 0-10.", min=0, max=10),
            C("ces_score", "int", "Customer effort 1-7 (7 = very easy).", min=1, max=7),
            C("issue_resolved", "bool", "The customer says the issue was resolved."),
            C("comment", "str", "Free-text comment.", pii=True),
            C("sentiment_score", "dec", "Sentiment -1..1 from text analytics; null when no text.", min=-1, max=1),
            EXTRACTED,
        ),
        key=("response_id",),
        kind="versioned",
        time_order=(("sent_at", "responded_at"),),
        future_checked=("sent_at", "responded_at"),
        references=(("segment_id", "acd/contact_segments"),),
    ),
    Table(
        "survey",
        "employee_pulse",
        "Agent engagement survey, anonymous to team level.",
        (
            C("response_id", "str", "Response key."),
            C("team_id", "str", "Team of the respondent."),
            C("survey_date", "date", "Survey date."),
            C("esat_score", "int", "Job satisfaction 1-5.", min=1, max=5),
            C("enps_score", "int", "Employee NPS 0-10.", min=0, max=10),
            C("collaboration_score", "int", "Satisfaction with other departments' cooperation 1-5.", min=1, max=5),
            EXTRACTED,
        ),
        key=("response_id",),
        cadence="monthly",
    ),
    Table(
        "qa",
        "evaluations",
        "Quality evaluations of segments.",
        (
            C("evaluation_id", "str", "Evaluation key."),
            C("segment_id", "str", "The evaluated segment."),
            C("agent_id", "str", "Evaluated agent."),
            C("evaluator_id", "str", "Evaluator."),
            C("evaluated_at", "ts", "When evaluated."),
            C("scorecard_version", "str", "Scorecard version."),
            EXTRACTED,
        ),
        key=("evaluation_id",),
        future_checked=("evaluated_at",),
        references=(("segment_id", "acd/contact_segments"),),
    ),
    Table(
        "qa",
        "evaluation_items",
        "Scored items of each evaluation.",
        (
            C("evaluation_id", "str", "Evaluation."),
            C("item_id", "str", "Scorecard item."),
            C(
                "section",
                "str",
                "Scorecard section.",
                enum=("greeting", "knowledge", "process", "soft_skills", "compliance"),
            ),
            C("weight", "dec", "Item weight.", min=0),
            C("score", "dec", "Score given.", min=0),
            C("max_score", "dec", "Maximum score.", min=0),
            C("is_compliance_item", "bool", "A regulatory or policy item."),
            C("is_critical", "bool", "Failing it fails the whole evaluation."),
            C("passed", "bool", "Item passed."),
            EXTRACTED,
        ),
        key=("evaluation_id", "item_id"),
        references=(("evaluation_id", "qa/evaluations"),),
    ),
    Table(
        "crm",
        "customers",
        "Daily full extract of customers.",
        (
            C("customer_id", "str", "Customer key."),
            C("full_name", "str", "Name.", pii=True),
            C("email", "str", "E-mail.", pii=True),
            C("phone", "str", "Phone.", pii=True),
            C("segment", "str", "Customer segment.", enum=("consumer", "small_business", "key_account")),
            C("created_at", "ts", "Customer since."),
            C("churned_at", "ts", "Churned; null while a customer."),
            C("churn_reason", "str", "Why the customer left.", enum=("service", "price", "moved", "other")),
            C("lifetime_revenue", "dec", "Revenue to date.", min=0),
            C("currency", "str", "Currency of lifetime_revenue."),
            EXTRACTED,
        ),
        key=("customer_id",),
        kind="full_extract",
        time_order=(("created_at", "churned_at"),),
        historic=("created_at", "churned_at"),
    ),
    Table(
        "crm",
        "cases",
        "Every version of a case; the latest is the current state.",
        (
            C("case_id", "str", "Case key."),
            C("customer_id", "str", "Customer."),
            C("opened_at", "ts", "Opened."),
            C("closed_at", "ts", "Closed; null while open."),
            C("reason_code", "str", "A disposition code."),
            C("is_complaint", "bool", "The case is a complaint."),
            C(
                "complaint_category",
                "str",
                "Complaint category; null if not a complaint.",
                enum=("billing", "product", "service", "agent_conduct", "other"),
            ),
            C("escalated", "bool", "The case was escalated."),
            C("resolution_satisfied", "bool", "Complainant satisfied with the resolution; null if not asked."),
            C("status", "str", "Case status.", enum=("open", "pending", "resolved", "closed", "reopened")),
            EXTRACTED,
        ),
        key=("case_id",),
        kind="versioned",
        time_order=(("opened_at", "closed_at"),),
        future_checked=("opened_at", "closed_at"),
    ),
    Table(
        "crm",
        "case_segments",
        "Which segments worked on which case.",
        (
            C("case_id", "str", "Case."),
            C("segment_id", "str", "Segment."),
            EXTRACTED,
        ),
        key=("case_id", "segment_id"),
        references=(("segment_id", "acd/contact_segments"), ("case_id", "crm/cases")),
    ),
    Table(
        "crm",
        "next_best_actions",
        "Offers presented by agents.",
        (
            C("offer_id", "str", "Offer key."),
            C("segment_id", "str", "Segment the offer was made in."),
            C("agent_id", "str", "Presenting agent."),
            C(
                "action_type",
                "str",
                "Kind of offer.",
                enum=("upsell", "cross_sell", "retention_offer", "self_service_enrolment", "survey_invite"),
            ),
            C("presented_at", "ts", "Presented."),
            C("accepted", "bool", "Accepted by the customer."),
            C("accepted_value", "dec", "Revenue if accepted.", min=0),
            EXTRACTED,
        ),
        key=("offer_id",),
        future_checked=("presented_at",),
        references=(("segment_id", "acd/contact_segments"),),
    ),
    Table(
        "crm",
        "follow_ups",
        "Promised call-backs, complaint feedback and hand-offs; the latest version is current.",
        (
            C("follow_up_id", "str", "Follow-up key."),
            C(
                "follow_up_type",
                "str",
                "Kind of follow-up.",
                enum=("customer_callback", "feedback_reply", "info_handoff"),
            ),
            C("case_id", "str", "Case; nullable."),
            C("customer_id", "str", "Customer."),
            C("owner_agent_id", "str", "Owning agent."),
            C("created_at", "ts", "Created."),
            C("due_at", "ts", "Due."),
            C("completed_at", "ts", "Completed; null = not done."),
            EXTRACTED,
        ),
        key=("follow_up_id",),
        kind="versioned",
        time_order=(("created_at", "completed_at"),),
        future_checked=("created_at", "completed_at"),
        planned=("due_at",),
    ),
    Table(
        "hr",
        "employees",
        "Daily full extract of employees (one row per employee per extract).",
        (
            C("employee_id", "str", "Employee key (same id as agent_id)."),
            C("full_name", "str", "Name.", pii=True),
            C("email", "str", "E-mail.", pii=True),
            C("job_role", "str", "Role.", enum=("agent", "team_lead", "qa_analyst", "manager")),
            C("team_id", "str", "Team."),
            C("supervisor_id", "str", "Supervisor."),
            C("site_id", "str", "Site."),
            C("employment_type", "str", "Employment type.", enum=("full_time", "part_time", "contractor")),
            C("fte", "dec", "Full-time equivalent (1.0 = full time).", min=0, max=1.5),
            C("hire_date", "date", "Hire date."),
            C("termination_date", "date", "Last day; null while employed."),
            C(
                "termination_type",
                "str",
                "voluntary or involuntary; null while employed.",
                enum=("voluntary", "involuntary"),
            ),
            C("proficiency_level", "int", "1 (new) ... 5 (expert).", min=1, max=5),
            C("hourly_cost", "dec", "Loaded hourly cost; only aggregates of 5+ people leave staging.", pii=True, min=0),
            EXTRACTED,
        ),
        key=("employee_id",),
        kind="full_extract",
        time_order=(("hire_date", "termination_date"),),
        planned=("hire_date", "termination_date"),
        historic=("hire_date", "termination_date"),
    ),
    Table(
        "hr",
        "teams",
        "Teams; the latest version is current.",
        (
            C("team_id", "str", "Team key."),
            C("team_name", "str", "Team name."),
            C("site_id", "str", "Site."),
            C("line_of_business", "str", "Line of business."),
            C("team_lead_id", "str", "Team lead (employee id)."),
            EXTRACTED,
        ),
        key=("team_id",),
        cadence="on_change",
        kind="versioned",
    ),
    Table(
        "hr",
        "absences",
        "Absences per employee and date.",
        (
            C("absence_id", "str", "Absence key."),
            C("employee_id", "str", "Employee."),
            C("absence_date", "date", "Local date."),
            C("hours", "dec", "Hours absent.", min=0, max=24),
            C(
                "absence_type",
                "str",
                "Kind of absence.",
                enum=("sick", "unauthorised", "personal", "vacation", "training", "bereavement", "jury_duty"),
            ),
            C("is_planned", "bool", "Booked before the schedule was published."),
            C("is_authorised", "bool", "Authorised absence."),
            EXTRACTED,
        ),
        key=("absence_id",),
        cadence="weekly",
        planned=("absence_date",),
    ),
    Table(
        "finance",
        "cost_ledger",
        "Cost ledger entries (negative amounts are corrections).",
        (
            C("entry_id", "str", "Entry key."),
            C("posting_date", "date", "Posting date."),
            C("period_month", "date", "First day of the month the cost belongs to."),
            C("site_id", "str", "Site."),
            C(
                "category",
                "str",
                "Cost category.",
                enum=(
                    "agent_salaries",
                    "management_salaries",
                    "telecom",
                    "technology",
                    "facilities",
                    "training",
                    "recruiting",
                    "outsourcing",
                    "overhead_allocation",
                ),
            ),
            C("cost_behaviour", "str", "variable or fixed.", enum=("variable", "fixed")),
            C("amount", "dec", "Positive = cost; negative = correction."),
            C("currency", "str", "Currency of amount."),
            EXTRACTED,
        ),
        key=("entry_id",),
        cadence="monthly",
        planned=("period_month",),
    ),
    Table(
        "finance",
        "budget",
        "Monthly budget per site and category; the latest version is current.",
        (
            C("period_month", "date", "First day of the month."),
            C("site_id", "str", "Site."),
            C(
                "category",
                "str",
                "Cost category.",
                enum=(
                    "agent_salaries",
                    "management_salaries",
                    "telecom",
                    "technology",
                    "facilities",
                    "training",
                    "recruiting",
                    "outsourcing",
                    "overhead_allocation",
                ),
            ),
            C("currency", "str", "Currency of amount."),
            C("amount", "dec", "Budgeted amount.", min=0),
            EXTRACTED,
        ),
        key=("period_month", "site_id", "category"),
        cadence="monthly",
        kind="versioned",
        planned=("period_month",),
    ),
    Table(
        "ops",
        "incidents",
        "Technical outages; the latest version is current.",
        (
            C("incident_id", "str", "Incident key."),
            C("system", "str", "Affected system.", enum=("telephony", "crm", "network", "desktop", "wfm")),
            C("site_id", "str", "Site; null = every site."),
            C("started_at", "ts", "Started."),
            C("resolved_at", "ts", "Resolved; null while ongoing."),
            C("severity", "str", "sev1 ... sev4.", enum=("sev1", "sev2", "sev3", "sev4")),
            C("agents_affected", "int", "Agents affected.", min=0),
            EXTRACTED,
        ),
        key=("incident_id",),
        cadence="on_change",
        kind="versioned",
        time_order=(("started_at", "resolved_at"),),
        future_checked=("started_at", "resolved_at"),
    ),
    Table(
        "ops",
        "plan_items",
        "Management plans and improvement goals; the latest version is current.",
        (
            C("item_id", "str", "Plan item key."),
            C("period_month", "date", "Month of the plan."),
            C("site_id", "str", "Site."),
            C(
                "plan_type",
                "str",
                "Kind of plan.",
                enum=("work_plan", "process_improvement", "customer_survey_plan", "callback_plan", "training_plan"),
            ),
            C("target_qty", "dec", "Target quantity.", min=0),
            C("completed_qty", "dec", "Completed quantity.", min=0),
            C("due_date", "date", "Due date."),
            C("completed_date", "date", "Completed; null = not complete."),
            EXTRACTED,
        ),
        key=("item_id",),
        cadence="monthly",
        kind="versioned",
        planned=("period_month", "due_date"),
    ),
)

BY_ID: dict[str, Table] = {t.id: t for t in TABLES}
assert all(t.cadence in CADENCES for t in TABLES), [t.id for t in TABLES if t.cadence not in CADENCES]
assert all(set(t.planned) | set(t.historic) <= set(t.window_columns) for t in TABLES), "planned/historic: ts or date"
assert not any(set(t.planned) & set(t.future_checked) for t in TABLES), "a planned column cannot be future_checked"


def table(table_id: str) -> Table:
    """Look a table up by ``system/name``."""
    return BY_ID[table_id]
