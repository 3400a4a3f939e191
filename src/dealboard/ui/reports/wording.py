"""Report figures as short words for charts: rates with their counts, days, money per currency.

A rate is never shown without its sample (`84% (36/43)`), an undefined one is
`—` (the domain gives None, never a division by zero), and money is always in
its own currency through `dealboard.domain.money`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from dealboard.domain.money import format_compact
from dealboard.domain.reports import CurrencyTotal, Rate
from dealboard.domain.sla import response_time_text

#: Shown for a figure that cannot be known (nothing to divide by, no stays).
UNKNOWN = "—"
_DAY = 86_400


def rate_text(rate: Rate | None) -> str:
    """`84% (36/43)`; `—` when nothing could be counted; empty when there is no rate at all."""
    if rate is None:
        return ""
    if rate.percent is None:
        return UNKNOWN
    return f"{round(rate.percent)}% ({rate.hits}/{rate.n})"


def days(delta: timedelta | None) -> float | None:
    """A duration in days, for a bar's length."""
    return None if delta is None else delta.total_seconds() / _DAY


def days_text(delta: timedelta | None) -> str:
    """`15.7d` from a day on; shorter stays as hours and minutes (`5h 03m`); `—` for none."""
    if delta is None:
        return UNKNOWN
    if delta.total_seconds() >= _DAY:
        return f"{delta.total_seconds() / _DAY:.1f}d"
    return response_time_text(delta)


def money_text(minor: int, currency: str) -> str:
    """`$296.2k`, `EUR 88k`: short, in the deal's own currency."""
    return format_compact(minor, currency)


def totals_text(totals: Iterable[CurrencyTotal]) -> str:
    """Every currency's total, main one first: `$667.7k · €39.8k`; `—` when there is none."""
    shown = [money_text(t.total_minor, t.currency) for t in totals if t.count]
    return " · ".join(shown) or UNKNOWN


def month_text(month: date) -> str:
    """`Nov 2026`."""
    return f"{month:%b %Y}"


def count_text(count: int, noun: str) -> str:
    """`1 deal`, `3 deals`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
