"""Cells as other CRMs write them, read as dealboard's own: amounts, statuses, loss reasons, owners.

The domain's rules still decide what is valid (`parse_money`, `parse_tag`,
`valid_login`); this module only bridges the spellings found in real exports
to what those rules accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dealboard.domain.errors import InvalidInput
from dealboard.domain.money import Money, parse_money
from dealboard.domain.moves import parse_loss_reason
from dealboard.domain.users import login_from_name
from dealboard.vocabulary import LossReason, StageKind

_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f'’](?=\d{3}(?!\d))")
_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}(?!\d)|\d\.\d{3}(?!\d)")
_DOT_DECIMAL = re.compile(r"\d\.\d{1,2}(?!\d)|\d,\d{3}\.")

_STATUS_WORDS = {
    StageKind.OPEN: ("open", "active", "in progress", "pending"),
    StageKind.WON: ("won", "closed won", "closedwon", "win", "deal won"),
    StageKind.LOST: (
        "lost",
        "closed lost",
        "closedlost",
        "loss",
        "deal lost",
        "closed lost to competition",  # Zoho's default stage
    ),
}
_STATUSES = {word: kind for kind, words in _STATUS_WORDS.items() for word in words}
STATUS_ACCEPTED = "use open, won or lost (Closed Won and Closed Lost work too)"

#: Words in a free-text loss reason that name one of dealboard's categories.
_REASON_WORDS: tuple[tuple[LossReason, re.Pattern[str]], ...] = tuple(
    (category, re.compile(r"\b(" + "|".join(words) + r")\b"))
    for category, words in (
        (LossReason.COMPETITOR, ("competitors?", "competition", "went with", "chose another")),
        (LossReason.NO_DECISION, ("no decision", "went quiet", "unresponsive", "no response")),
        (LossReason.PRICE, ("price", "pricing", "cost", "expensive", "budget")),
        (LossReason.TIMING, ("timing", "not now", "next year", "too early", "too late")),
        (LossReason.NO_FIT, ("no fit", "not a fit", "poor fit", "requirements?", "features?")),
    )
)


class AmountColumn:
    """Reads one amount column: decimal comma (`12.500,50`) when the column shows it.

    A column is read with a decimal comma when some amount ends in a comma and
    one or two digits, or groups thousands with dots, and none has a decimal
    point; otherwise amounts are read as the domain reads them (`12,500.50`).
    Spaces and apostrophes grouping thousands (`12 500`, `12'500`) are dropped.
    """

    def __init__(self, cells: Iterable[str]) -> None:
        comma = dot = False
        for cell in cells:
            comma = comma or bool(_COMMA_DECIMAL.search(cell))
            dot = dot or bool(_DOT_DECIMAL.search(cell))
        self.decimal_comma = comma and not dot

    def read(self, raw: str, currency: str) -> Money:
        text = _GROUP_SPACES.sub("", raw.strip())
        if self.decimal_comma:
            text = text.replace(".", "").replace(",", ".")
        try:
            return parse_money(text, currency)
        except InvalidInput as exc:
            raise InvalidInput("value", raw, exc.accepted) from None


def read_status(raw: str) -> StageKind | None:
    """open/won/lost as other systems say it; None for an empty cell."""
    words = re.sub(r"[^a-z]+", " ", raw.casefold()).strip()
    if not words:
        return None
    if words in _STATUSES:
        return _STATUSES[words]
    raise InvalidInput("status", raw, STATUS_ACCEPTED)


_FLAGS = {
    **dict.fromkeys(("true", "yes", "y", "1", "x", "wahr", "vrai", "ja", "oui"), True),
    **dict.fromkeys(("false", "no", "n", "0", "falsch", "faux", "nein", "non"), False),
}
FLAG_ACCEPTED = "use true or false (yes/no, 1/0)"


def read_flag(raw: str) -> bool | None:
    """Salesforce's IsClosed/IsWon and HubSpot's hs_is_closed_won: true/false; None if empty."""
    word = raw.strip().casefold()
    if not word:
        return None
    if word in _FLAGS:
        return _FLAGS[word]
    raise InvalidInput("flag", raw, FLAG_ACCEPTED)


def is_flag(raw: str) -> bool:
    """Whether a cell reads as true/false (a Salesforce report's Closed column)."""
    return raw.strip().casefold() in _FLAGS


def read_loss_reason(raw: str) -> tuple[LossReason, str]:
    """A category and the note to keep: the text itself unless it was just a category's name.

    Empty is `unknown` (history from other systems often lacks it); text naming
    no category is `other`, with the text kept as the note.
    """
    text = raw.strip()
    if not text:
        return LossReason.UNKNOWN, ""
    try:
        return parse_loss_reason(text, allow_unknown=True), ""
    except InvalidInput:
        pass
    folded = text.casefold()
    for category, words in _REASON_WORDS:
        if words.search(folded):
            return category, text
    return LossReason.OTHER, text


def tags_of(raw: str) -> list[str]:
    """`Hot lead, Q4` → `hot-lead`, `q4` (the domain's tag rule then checks each)."""
    parts = re.split(r"[,;|]", raw)
    return [re.sub(r"\s+", "-", p.strip().lstrip("#")) for p in parts if p.strip()]


def login_for(name: str) -> str:
    """A login made from a person's name: `José Núñez` → `jose.nunez` (`users.login_from_name`)."""
    return login_from_name(name)
