"""Money, dates and text as users type them: what is accepted and the message for what is not."""

from __future__ import annotations

from datetime import date

import pytest

from dealboard.domain.dates import parse_date
from dealboard.domain.errors import InvalidInput
from dealboard.domain.money import Money, format_compact, format_money, parse_money
from dealboard.domain.text import clean_line, clean_text, display_safe, title


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12500", Money(1_250_000, "USD")),
        ("12,500.50", Money(1_250_050, "USD")),
        ("12.5k", Money(1_250_000, "USD")),
        ("$1.2M", Money(120_000_000, "USD")),
        ("EUR 900", Money(90_000, "EUR")),
        ("900 eur", Money(90_000, "EUR")),
        ("€1,200", Money(120_000, "EUR")),
        ("£99.99", Money(9_999, "GBP")),
        ("JPY 1500", Money(1_500, "JPY")),
        ("  7K ", Money(700_000, "USD")),
        ("0", Money(0, "USD")),
        ("1.2345k", Money(123_450, "USD")),
    ],
)
def test_money_as_typed_becomes_minor_units(typed: str, expected: Money) -> None:
    assert parse_money(typed, "USD") == expected


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("", "12.5k"),
        ("twelve", "12.5k"),
        ("-500", "12.5k"),
        ("12.505", "2 decimal places"),
        ("JPY 10.5", "no decimals"),
        ("1,2,3", "12.5k"),
        ("12,50", "12.5k"),
        ("$ 5 USD", "currency once"),
        ("5x", "12.5k"),
        ("99999999999999", "at most"),
        ("1.2.3", "12.5k"),
    ],
)
def test_bad_money_is_refused_naming_the_field(typed: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money(typed, "USD")
    message = str(caught.value)
    assert message.startswith("value: ")
    assert hint in message


def test_money_is_shown_unambiguously_and_compactly() -> None:
    assert format_money(1_250_050, "USD") == "USD 12,500.50"
    assert format_money(1_500, "JPY") == "JPY 1,500"
    assert format_compact(120_000_000, "USD") == "$1.2M"
    assert format_compact(1_250_000, "EUR") == "€12.5k"
    assert format_compact(90_000, "CHF") == "CHF 900"


TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 21)),
        ("+14d", date(2026, 12, 4)),
        ("+2w", date(2026, 12, 4)),
        ("-3d", date(2026, 11, 17)),
    ],
)
def test_dates_as_typed(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["2026-02-30", "next week", "14d", "+d", "31/12/2026", ""])
def test_bad_dates_are_refused_with_the_accepted_forms(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(typed, TODAY, field="close date")
    assert str(caught.value).startswith("close date: ")
    assert "+14d" in str(caught.value)


def test_titles_are_one_to_two_hundred_characters() -> None:
    assert title("  Fleet rollout  ") == "Fleet rollout"
    assert title("x" * 200) == "x" * 200
    with pytest.raises(InvalidInput, match=r"title: .*at most 200"):
        title("x" * 201)
    with pytest.raises(InvalidInput, match=r"title: .*1 to 200"):
        title("   ")


@pytest.mark.parametrize(
    "sneaky", ["\x1b[2J", "bell\x07", "tab\there", "a\nb", "\u202eevil", "\x9b"]
)
def test_control_characters_are_refused_in_single_line_fields(sneaky: str) -> None:
    with pytest.raises(InvalidInput, match=r"account: .*control characters"):
        clean_line("account", sneaky)


def test_notes_keep_newlines_but_refuse_escapes() -> None:
    assert clean_text("notes", "line one\r\nline two\tx") == "line one\nline two\tx"
    with pytest.raises(InvalidInput, match="notes: "):
        clean_text("notes", "hello \x1b]52;c;aGk=\x07")


def test_display_safe_defuses_escapes_from_foreign_rows() -> None:
    assert display_safe("ok\x1b[31mred") == "ok\ufffd[31mred"
    assert "\x1b" not in display_safe("\x1b\x1b\x9b")
    assert display_safe("東京 office 🚀") == "東京 office 🚀"
