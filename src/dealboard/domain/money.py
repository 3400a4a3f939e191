"""Deal values: what a sales person types, turned into integer minor units and a currency.

Accepted: `12500`, `12,500.50`, `12.5k`, `$1.2M`, `EUR 900`, `900 eur`, `€1,200`.
Money is never a float: Decimal while parsing, integers once stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dealboard.domain.errors import InvalidInput

ACCEPTED = "use an amount like 12500, 12,500.50, 12.5k, $1.2M or EUR 900"

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
#: ISO 4217 currencies without minor units; everything else is treated as cents.
_ZERO_DECIMAL = frozenset({"JPY", "KRW", "CLP", "ISK", "VND", "HUF", "XOF", "XAF", "PYG", "UGX"})
_SUFFIXES = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
#: Largest value accepted, in major units: far above any deal, far below integer overflow.
MAX_MAJOR_UNITS = Decimal(10) ** 12

_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_PATTERN = re.compile(
    r"^(?P<pre>[A-Za-z]{3}\s*|[$€£¥₹₩]\s*)?"
    + _NUMBER
    + r"\s*(?P<suffix>[kKmMbB])?"
    + r"(?P<post>\s*[A-Za-z]{3})?$"
)


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (cents) of an ISO 4217 currency."""

    minor: int
    currency: str

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)


def minor_digits(currency: str) -> int:
    """How many decimal places the currency's minor unit has."""
    return 0 if currency.upper() in _ZERO_DECIMAL else 2


def parse_money(text: str, default_currency: str, field: str = "value") -> Money:
    """Parse a typed amount; the currency defaults to the pipeline's."""
    raw = text.strip()
    match = _PATTERN.match(raw)
    if not match:
        raise InvalidInput(field, text, ACCEPTED)
    pre = (match["pre"] or "").strip()
    post = (match["post"] or "").strip()
    if pre and post:
        raise InvalidInput(field, text, "give the currency once; " + ACCEPTED)
    marker = pre or post
    currency = _SYMBOLS.get(marker, marker.upper()) if marker else default_currency.upper()
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise InvalidInput(field, text, ACCEPTED) from exc
    amount = number * _SUFFIXES[(match["suffix"] or "").lower()]
    if amount > MAX_MAJOR_UNITS:
        raise InvalidInput(field, text, f"at most {MAX_MAJOR_UNITS:,} per deal")
    digits = minor_digits(currency)
    minor = amount * (10**digits)
    if minor != minor.to_integral_value():
        places = f"{digits} decimal places" if digits else "no decimals"
        raise InvalidInput(field, text, f"{currency} amounts take {places}")
    return Money(int(minor), currency)


def parse_currency(text: str, field: str = "currency") -> str:
    """A three-letter ISO 4217 code, upper-cased."""
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(field, text, "use a three-letter currency code like USD or EUR")
    return code


def format_money(minor: int, currency: str) -> str:
    """`USD 12,500.00` — unambiguous in every locale, aligned in tables."""
    digits = minor_digits(currency)
    major = Decimal(minor).scaleb(-digits)
    return f"{currency} {major:,.{digits}f}"


def format_compact(minor: int, currency: str, digits: int | None = None) -> str:
    """`$12.5k`-style short form for cards and column headers.

    `digits` rounds to that many significant digits (`$667.7k` → `$668k` with
    3): a total that does not fit its space is abbreviated, never cut.
    """
    major = Decimal(minor).scaleb(-minor_digits(currency))
    symbol = next((s for s, code in _SYMBOLS.items() if code == currency), None)
    prefix = symbol if symbol else f"{currency} "
    scales = ((10**9, "B"), (10**6, "M"), (10**3, "k"), (1, ""))
    for index, (threshold, suffix) in enumerate(scales):
        if abs(major) < threshold and threshold > 1:
            continue
        scaled = major / threshold
        if digits is not None and scaled:
            exponent = scaled.copy_abs().adjusted() + 1 - digits
            scaled = scaled.quantize(Decimal(1).scaleb(exponent))
            if abs(scaled) >= 1000 and index > 0:  # 999.7k rounds up to the next unit
                bigger, bigger_suffix = scales[index - 1]
                scaled = (major / bigger).quantize(Decimal("0.1"))
                suffix = bigger_suffix
        elif threshold > 1:
            scaled = scaled.quantize(Decimal("0.1"))
        if threshold == 1 and digits is None:
            return f"{prefix}{major:,.0f}"
        shown = f"{scaled:f}"
        shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
        return f"{prefix}{shown}{suffix}"
    return f"{prefix}{major:,.0f}"
