"""`switchboard summary` headlines the latest complete period (is_complete), never a partial one.

On the test data set (5 January – 4 May 2026) May is published but incomplete, so the monthly headlines are April's;
the last day, 4 May, is complete, so the daily headlines are that day's.
"""

from __future__ import annotations

import duckdb

from switchboard import summary


def test_summary_headlines_the_latest_complete_period(warehouse):
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        operational = "\n".join(summary.operational_headlines(con))
        monthly = "\n".join(summary.monthly_headlines(con))
        overview = "\n".join(summary.kpi_family_overview(con))
        partial_may = con.execute(
            "select count(*) from marts.kpi_experience where period_grain = 'month' and period_start = '2026-05-01' "
            "and not is_complete"
        ).fetchone()[0]
    assert partial_may > 0, "the test data must publish a partial month for this test to mean anything"
    assert "nyc on 2026-05-04" in operational and "krk on 2026-05-04" in operational
    assert "(April 2026)" in operational  # cost per contact of the latest complete month
    assert "in April 2026" in monthly and "May 2026" not in monthly
    # kpi_compliance (weeks and months): latest complete period never the partial week of 4 May or May
    compliance = overview[overview.index("kpi_compliance") :].splitlines()[3:]
    latest = {row.split()[0]: row.split()[2:4] for row in compliance if row.strip()}
    complete = [pair[1] for pair in latest.values() if len(pair) == 2]
    assert complete and max(complete) == "2026-04-27", latest
    assert any(pair[0] in ("2026-05-01", "2026-05-04") for pair in latest.values()), latest
