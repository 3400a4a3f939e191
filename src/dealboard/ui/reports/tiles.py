"""Velocity in large numbers: its four factors, then what they come to per currency.

Each tile is a short value for `Digits` (digits, `$£€`, `.`, a trailing `k`
or `M`) and a one-line label carrying the sample size, so a 100 % win rate on
one deal cannot pass for a trend.
"""

from __future__ import annotations

from dealboard.domain.reports import VelocityReport
from dealboard.ui.reports.wording import days, money_text

#: A tile: the large value and the line under it.
Tile = tuple[str, str]
#: Most currencies given a result tile (the table below lists every one).
MAX_RESULTS = 4


def velocity_factors(report: VelocityReport) -> list[Tile]:
    """Open deals × win rate × average won value (the pipeline's currency) ÷ cycle."""
    rate, cycle = report.win_rate, report.avg_cycle
    main = report.currencies[0] if report.currencies else None
    average = main.won_value.average_minor if main else None
    cycle_days = days(cycle.value)
    return [
        (str(report.open_deals), "open deals"),
        (
            "-" if rate.percent is None else str(round(rate.percent)),
            f"% won ({rate.hits}/{rate.n})",
        ),
        (
            "-" if average is None or main is None else money_text(average, main.currency),
            f"avg won {main.currency if main else ''} (n={main.won_value.count if main else 0})",
        ),
        ("-" if cycle_days is None else f"{cycle_days:.1f}", f"days cycle (n={cycle.n})"),
    ]


def velocity_results(report: VelocityReport) -> list[Tile]:
    """Per currency: the value moving through per day; `-` with the reason when unknown."""
    tiles = []
    for row in report.currencies[:MAX_RESULTS]:
        if row.per_day_minor is None:
            tiles.append(("-", f"{row.currency}: {row.missing}"))
            continue
        tiles.append((money_text(row.per_day_minor, row.currency), f"{row.currency} per day"))
    return tiles
