"""Altair charts of the dashboard and their PNG export (vl-convert renders Vega-Lite without a browser).

Charts only draw the numbers handed to them (KPI rows as published): no aggregate or transform computes a KPI.
Every chart has a fixed width so that its PNG for a weekly report looks like the page; heights include the title,
legend and axes (Streamlit fits a stretched chart into its height).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

WIDTH = 640
# The interval day is one tall figure of four aligned panels, drawn at its own width (Streamlit does not stretch a
# vertical concatenation), which fits the wide layout at 1440 px and a report page.
INTERVAL_WIDTH = 880
ACTUAL = "#1f5fa8"
TARGET = "#6b7280"
BREACH = "#d1495b"
GOOD = "#2a9d8f"
PALETTE = ["#1f5fa8", "#e76f51", "#2a9d8f", "#e9c46a", "#8d5fd3", "#6b7280", "#f4a261", "#264653"]
# Vega-Lite number formats per KPI unit (kpi_definitions.unit).
UNIT_FORMAT = {
    "ratio": ".0%",
    "seconds": ",.0f",
    "hours": ",.0f",
    "count": ",.1f",
    "score": ",.2f",
    "points": ",.0f",
    "currency": ",.2f",
    "minutes": ",.0f",
}


def _fmt(unit: str) -> str:
    return UNIT_FORMAT.get(unit, ",.2f")


def _dated(frame: pd.DataFrame, column: str = "period_start") -> pd.DataFrame:
    out = frame.copy()
    out[column] = pd.to_datetime(out[column])
    return out


def kpi_trend(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    reference: str = "target_value",
    reference_label: str = "target",
    series: str = "scope_id",
    height: int = 300,
    shade_above: bool = False,
) -> alt.Chart:
    """One KPI over time per series (site, queue or team), the target (or baseline) dashed, unreliable rows hollow.

    `reference` is the published column drawn as the dashed line: target_value (kpi_targets) or baseline_value
    (compliance); rows flagged is_reliable = false are drawn as hollow grey points and say so in the tooltip.
    """
    data = _dated(frame)
    data["reliability"] = data["is_reliable"].map({True: "reliable", False: "unreliable (small sample)"})
    x = alt.X("period_start:T", title=None)
    color = alt.Color(
        f"{series}:N",
        title=None,
        scale=alt.Scale(range=PALETTE),
        legend=alt.Legend(orient="top") if data[series].nunique() > 1 else None,
    )
    tooltip = [
        alt.Tooltip("period_start:T", title="period"),
        alt.Tooltip(f"{series}:N", title="scope"),
        alt.Tooltip("value:Q", title=title, format=_fmt(unit)),
        alt.Tooltip(f"{reference}:Q", title=reference_label, format=_fmt(unit)),
        alt.Tooltip("sample_size:Q", title="sample"),
        alt.Tooltip("reliability:N", title="reliability"),
    ]
    base = alt.Chart(data).encode(x=x)
    line = base.mark_line(strokeWidth=2.5).encode(
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=_fmt(unit)), scale=alt.Scale(zero=False, padding=12)),
        color=color,
    )
    points = base.mark_point(filled=True, size=45).encode(
        y="value:Q",
        color=color,
        tooltip=tooltip,
        fill=alt.condition(
            "datum.is_reliable",
            alt.Color(f"{series}:N", scale=alt.Scale(range=PALETTE), legend=None),
            alt.value("white"),
        ),
        stroke=alt.condition(
            "datum.is_reliable",
            alt.Color(f"{series}:N", scale=alt.Scale(range=PALETTE), legend=None),
            alt.value("#9ca3af"),
        ),
    )
    layers = [line, points]
    if data[reference].notna().any():
        layers.insert(
            0,
            base.mark_line(strokeDash=[6, 4], strokeWidth=1.5, color=TARGET, interpolate="step-after").encode(
                y=f"{reference}:Q",
                detail=f"{series}:N",
                tooltip=[alt.Tooltip(f"{reference}:Q", title=reference_label, format=_fmt(unit))],
            ),
        )
    if shade_above and data[reference].notna().any():
        layers.insert(
            0,
            base.mark_area(color=BREACH, opacity=0.08, interpolate="step-after").encode(
                y=f"{reference}:Q", y2=alt.datum(1)
            ),
        )
    return alt.layer(*layers).properties(title=title, width=WIDTH, height=height)


def stacked_parts(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    part_labels: dict[str, str],
    x_field: str = "period_start",
    x_type: str = "T",
) -> alt.Chart:
    """Published parts of a KPI stacked per period (AHT = talk + hold + ACW; shrinkage = planned + unplanned)."""
    data = frame[frame["kpi_name"].isin(part_labels)].copy()
    if x_type == "T":
        data = _dated(data, x_field)
    data["part"] = data["kpi_name"].map(part_labels)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{x_field}:{x_type}", title=None),
            y=alt.Y("value:Q", stack="zero", title=None, axis=alt.Axis(format=_fmt(unit))),
            color=alt.Color(
                "part:N",
                title=None,
                sort=list(part_labels.values()),
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("part:N"),
            tooltip=[
                alt.Tooltip(f"{x_field}:{x_type}", title="period"),
                "part:N",
                alt.Tooltip("value:Q", format=_fmt(unit)),
            ],
        )
        .properties(title=title, width=WIDTH, height=300)
    )


def ranked_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    value_format: str,
    highlight: str | None = None,
    reference: str | None = None,
) -> alt.Chart:
    """Horizontal bars, largest first (contact reasons, teams, quarantine rules, service-level modes).

    `highlight` names a boolean column drawn in the accent colour; `reference` a column drawn as a tick (target).
    """
    data = frame.copy()
    color = (
        alt.condition(f"datum.{highlight}", alt.value(ACTUAL), alt.value("#9db8d9")) if highlight else alt.value(ACTUAL)
    )
    base = alt.Chart(data).encode(y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=value_format)),
        color=color,
        tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=value_format)],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#374151").encode(
        x=f"{value}:Q", text=alt.Text(f"{value}:Q", format=value_format)
    )
    layers = [bars, labels]
    if reference and data[reference].notna().any():
        layers.append(base.mark_tick(color=BREACH, thickness=2, size=18).encode(x=f"{reference}:Q"))
    height = 90 + 30 * data[category].nunique()
    return alt.layer(*layers).properties(title=title, width=WIDTH - 160, height=height)


def _fixed_colors(field: str, colors: dict[str, str]) -> alt.Color:
    """A nominal colour with a fixed colour per value (red always means understaffed) and the legend on top."""
    return alt.Color(
        f"{field}:N",
        title=None,
        scale=alt.Scale(domain=list(colors), range=list(colors.values())),
        legend=alt.Legend(orient="top"),
    )


def interval_day(frame: pd.DataFrame, title: str, asa_target: float | None) -> alt.VConcatChart:
    """A queue's day per 30-minute interval, four aligned panels: offers, service level vs target, ASA vs target,
    Erlang C required vs scheduled agents; understaffed intervals (published staffing_gap < 0) shaded red."""
    data = frame.copy()
    data["local_interval_start"] = pd.to_datetime(data["local_interval_start"])
    data["interval_end"] = data["local_interval_start"] + pd.Timedelta(minutes=30)
    data["staffing"] = data["is_understaffed"].map({True: "understaffed", False: "staffed"})
    x = alt.X("local_interval_start:T", title=None, axis=alt.Axis(format="%H:%M"))
    base = alt.Chart(data).encode(x=x)
    shade = (
        alt.Chart(data[data["is_understaffed"]]).mark_rect(color=BREACH, opacity=0.10).encode(x=x, x2="interval_end:T")
    )
    time_tip = alt.Tooltip("local_interval_start:T", title="interval", format="%H:%M")

    offers = (
        base.mark_bar(width={"band": 0.85})
        .encode(
            y=alt.Y("offers:Q", title="offers"),
            color=_fixed_colors("staffing", {"staffed": ACTUAL, "understaffed": BREACH}),
            tooltip=[time_tip, "offers:Q", "staffing:N"],
        )
        .properties(title="Offers per interval", height=110)
    )

    sl_line = base.mark_line(point=True, color=ACTUAL).encode(
        y=alt.Y("service_level:Q", title="service level", axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            time_tip,
            alt.Tooltip("service_level:Q", format=".1%"),
            alt.Tooltip("sl_numerator:Q", title="met"),
            alt.Tooltip("sl_denominator:Q", title="counted"),
        ],
    )
    sl_target = base.mark_line(strokeDash=[6, 4], color=TARGET, interpolate="step-after").encode(
        y="service_level_target:Q", tooltip=[alt.Tooltip("service_level_target:Q", title="target", format=".0%")]
    )
    service_level = alt.layer(shade, sl_target, sl_line).properties(title="Service level vs target", height=120)

    asa_layers = [
        shade,
        base.mark_line(point=True, color="#e76f51").encode(
            y=alt.Y("average_speed_of_answer_s:Q", title="ASA (s)"),
            tooltip=[time_tip, alt.Tooltip("average_speed_of_answer_s:Q", title="ASA s", format=",.0f")],
        ),
    ]
    if asa_target is not None:
        asa_layers.insert(
            1,
            alt.Chart(pd.DataFrame({"target": [asa_target]}))
            .mark_rule(strokeDash=[6, 4], color=TARGET)
            .encode(y="target:Q"),
        )
    asa = alt.layer(*asa_layers).properties(title="Average speed of answer vs target", height=110)

    agents_long = data.melt(
        id_vars=["local_interval_start"],
        value_vars=["site_required_agents", "scheduled_agents"],
        var_name="series",
        value_name="agents",
    )
    agents_long["series"] = agents_long["series"].map(
        {"site_required_agents": "required (Erlang C)", "scheduled_agents": "scheduled"}
    )
    agents = alt.layer(
        shade,
        alt.Chart(agents_long)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("agents:Q", title="agents"),
            color=_fixed_colors("series", {"required (Erlang C)": BREACH, "scheduled": GOOD}),
            tooltip=[
                alt.Tooltip("local_interval_start:T", title="interval", format="%H:%M"),
                "series:N",
                alt.Tooltip("agents:Q", format=",.1f"),
            ],
        ),
    ).properties(title="Agents required vs scheduled (site and line of business)", height=120)

    return (
        alt.vconcat(*(panel.properties(width=INTERVAL_WIDTH) for panel in (offers, service_level, asa, agents)))
        .resolve_scale(x="shared", color="independent")
        .properties(title=title)
    )


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as a PNG (for a weekly report), rendered by vl-convert without a browser."""
    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)
