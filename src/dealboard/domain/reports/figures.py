"""The figures every report is made of: a rate with its sample size, money per currency.

A rate is never shown without the count behind it (`67% (2/3)`), so a 100 %
win rate on one deal cannot pass for a trend. Money is never converted:
dealboard keeps no exchange rates, so every sum is kept per currency, the
pipeline's currency first, the others alphabetical.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Rate:
    """`hits` out of `n` (won out of closed, reached out of entered…)."""

    hits: int
    n: int

    @property
    def percent(self) -> float | None:
        """0–100; None when there is nothing to divide by."""
        return 100 * self.hits / self.n if self.n else None

    @property
    def fraction(self) -> float | None:
        """0–1; None when `n` is 0."""
        return self.hits / self.n if self.n else None


@dataclass(frozen=True)
class CurrencyTotal:
    """A sum of deal values in one currency (minor units) and how many deals it adds up."""

    currency: str
    total_minor: int
    count: int

    @property
    def average_minor(self) -> int | None:
        """The mean deal value, rounded half up to the minor unit; None for no deals."""
        if not self.count:
            return None
        return (2 * self.total_minor + self.count) // (2 * self.count)


@dataclass(frozen=True)
class Duration:
    """A mean or percentile of durations, with the number of stays or deals behind it."""

    value: timedelta | None
    n: int


def currency_order(codes: Iterable[str], main: str) -> list[str]:
    """The pipeline's currency first, then the others alphabetically; each once."""
    return sorted(set(codes), key=lambda code: (code != main, code))


def totals(sums: dict[str, tuple[int, int]], main: str) -> tuple[CurrencyTotal, ...]:
    """`{currency: (total, count)}` as ordered `CurrencyTotal`s (currencies with deals only)."""
    return tuple(
        CurrencyTotal(code, *sums[code]) for code in currency_order(sums, main) if sums[code][1]
    )


def add_into(sums: dict[str, tuple[int, int]], currency: str, total: int, count: int) -> None:
    """Accumulate one grouped row into `sums`."""
    old_total, old_count = sums.get(currency, (0, 0))
    sums[currency] = (old_total + int(total or 0), old_count + int(count or 0))


def seconds(value: float | None) -> timedelta | None:
    """A duration the database computed in seconds (None stays None)."""
    return None if value is None else timedelta(seconds=round(float(value)))
