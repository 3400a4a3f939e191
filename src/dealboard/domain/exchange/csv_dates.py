"""Dates and times as other systems export them, with day/month order decided per column.

Accepted: ISO (`2026-11-20`, `2026-11-20 14:00`, `2026-11-20T14:00:00Z`),
numbers with `/`, `.` or `-` (`20/11/2026`, `11/20/2026`, `20.11.2026`,
two-digit years as 20xx below 70), and English month names (`Nov 20, 2026`,
`20 Nov 2026`, `20-Nov-2026`), each optionally followed by a time (`14:00`,
`2:00 PM`) and a zone (`Z`, `UTC`, `+01:00`). Times without a zone are the
importing user's local time.

`20/11/2026` can only be day/month and `11/20/2026` only month/day; a column
whose numeric dates never say (`03/04/2026`) is refused unless
`--date-format DMY|MDY` (or a strftime pattern such as `%d/%m/%Y`) decides.
Dots (`03.04.2026`) are always day/month, as everywhere they are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from dealboard.domain.errors import InvalidInput
from dealboard.domain.exchange.problems import Problem

ACCEPTED = "use a date like 2026-11-20, 20/11/2026, 20.11.2026, Nov 20, 2026 or 20 Nov 2026"
DMY, MDY = "DMY", "MDY"
_ORDER_WORDS = {DMY: "day/month/year", MDY: "month/day/year"}

_TIME = (
    r"(?:[ t,]+(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?\s*(?P<ap>[ap]\.?m\.?)?)?"
)
_ZONE = r"\s*(?P<z>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?"
_ISO = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME + _ZONE)
_NUMERIC = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME + _ZONE
)
_DAY_MONTH = re.compile(
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[ \-](?P<mon>[a-z]{3,9})\.?[ \-,]+(?P<y>\d{4})" + _TIME + _ZONE
)
_MONTH_DAY = re.compile(
    r"(?P<mon>[a-z]{3,9})\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})" + _TIME + _ZONE
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateFormat:
    """What `--date-format` said: a day/month order, or an exact strftime pattern."""

    order: str | None = None
    pattern: str | None = None


def parse_date_format(text: str | None) -> DateFormat | None:
    """`DMY`, `MDY` or a strftime pattern containing `%`."""
    if text is None:
        return None
    raw = text.strip()
    if raw.upper() in (DMY, MDY):
        return DateFormat(order=raw.upper())
    if "%" in raw:
        try:
            datetime.strptime(datetime(2026, 11, 20, 14, 5).strftime(raw), raw)
        except ValueError as exc:
            raise InvalidInput(
                "--date-format", text, "give a strftime pattern like %d/%m/%Y"
            ) from exc
        return DateFormat(pattern=raw)
    raise InvalidInput("--date-format", text, "use DMY, MDY or a pattern like %d/%m/%Y")


@dataclass(frozen=True)
class When:
    """A parsed cell: the calendar day, and the time and zone when the cell had them."""

    day: date
    clock: time | None = None
    zone: tzinfo | None = None

    def as_date(self) -> date:
        return self.day

    def as_instant(self) -> datetime:
        """UTC; a day alone is its local midnight, a time without a zone is local time."""
        moment = datetime.combine(self.day, self.clock or time())
        if self.zone is not None:
            return moment.replace(tzinfo=self.zone).astimezone(UTC)
        return moment.astimezone().astimezone(UTC)


class DateColumn:
    """Reads one column, with the day/month order the whole column shows (or was told)."""

    def __init__(
        self, file: str, header: str, cells: list[tuple[int, str]], given: DateFormat | None
    ) -> None:
        self.header = header
        self.pattern = given.pattern if given else None
        self.order: str = DMY
        self.problem: Problem | None = None
        #: Whether the column holds numeric dates, where the order matters.
        self.numeric = given is not None
        #: The order the column's own dates prove (a day over 12), if any.
        self.evidence: str | None = None
        #: The first date that reads both ways, when nothing decides.
        self.ambiguous: tuple[int, str] | None = None
        self._cache: dict[str, When] = {}
        self._instants: dict[str, datetime] = {}
        if given is not None and given.order:
            self.order = given.order
        elif self.pattern is None:
            self._decide(file, cells)

    @property
    def order_words(self) -> str:
        return self.pattern or _ORDER_WORDS[self.order]

    def _decide(self, file: str, cells: list[tuple[int, str]]) -> None:
        evidence: dict[str, tuple[int, str]] = {}
        for line, raw in cells:
            match = _NUMERIC.fullmatch(raw.strip().lower())
            if match is None:
                continue
            self.numeric = True
            a, b = int(match["a"]), int(match["b"])
            if match["sep"] == "." or a > 12:
                evidence.setdefault(DMY, (line, raw))
            elif b > 12:
                evidence.setdefault(MDY, (line, raw))
            elif a != b and self.ambiguous is None:
                self.ambiguous = (line, raw)
        if len(evidence) == 2:
            (l1, r1), (l2, r2) = evidence[DMY], evidence[MDY]
            self.problem = Problem(
                file,
                f"dates are mixed: {r1.strip()!r} (line {l1}) is day/month but {r2.strip()!r} "
                f"(line {l2}) is month/day; correct the file or give --date-format",
                column=self.header,
            )
        elif evidence:
            self.order = next(iter(evidence))
            self.evidence = self.order
        elif self.ambiguous is not None:
            line, raw = self.ambiguous
            self.problem = Problem(
                file,
                f"{raw.strip()!r} (line {line}) can be day/month or month/day and no date in "
                "the file says which; give --date-format DMY or --date-format MDY",
                column=self.header,
            )

    def adopt(self, order: str) -> None:
        """Read an undecided column the way the file's other date columns show (one system,
        one locale); clears the ambiguity problem."""
        if self.evidence is None and self.ambiguous is not None:
            self.order, self.problem = order, None

    def instant(self, raw: str) -> datetime:
        """The cell as a UTC instant (remembered: exports repeat their dates)."""
        found = self._instants.get(raw)
        if found is None:
            found = self._instants[raw] = self.read(raw).as_instant()
        return found

    def day(self, raw: str) -> date:
        """The cell's calendar day."""
        return self.read(raw).day

    def read(self, raw: str) -> When:
        """The cell's date; InvalidInput says what is accepted."""
        found = self._cache.get(raw)
        if found is None:
            found = self._parse(raw)
            self._cache[raw] = found
        return found

    def _parse(self, raw: str) -> When:
        text = raw.strip().lower()
        if self.pattern is not None and not _ISO.fullmatch(text):
            try:
                parsed = datetime.strptime(raw.strip(), self.pattern)
            except ValueError as exc:
                raise InvalidInput(self.header, raw, f"does not match {self.pattern}") from exc
            has_time = any(c in self.pattern for c in ("%H", "%I", "%M"))
            return When(parsed.date(), parsed.time() if has_time else None, parsed.tzinfo)
        match = _ISO.fullmatch(text)
        if match:
            return _when(raw, int(match["y"]), int(match["m"]), int(match["d"]), match)
        match = _NUMERIC.fullmatch(text)
        if match:
            a, b = int(match["a"]), int(match["b"])
            day, month = (a, b) if self.order == DMY else (b, a)
            return _when(raw, _year(match["y"]), month, day, match, self.order)
        match = _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text)
        if match and match["mon"] in _MONTHS:
            return _when(raw, int(match["y"]), _MONTHS[match["mon"]], int(match["d"]), match)
        raise InvalidInput("date", raw, ACCEPTED)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _when(raw: str, year: int, month: int, day: int, match: re.Match[str], order: str = "") -> When:
    try:
        found = date(year, month, day)
    except ValueError as exc:
        read_as = f" read as {_ORDER_WORDS[order]}" if order else ""
        raise InvalidInput("date", raw, f"no such day{read_as}; {ACCEPTED}") from exc
    if match["h"] is None:
        return When(found)
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    fraction = int((match["f"] or "0").ljust(6, "0"))
    meridiem = (match["ap"] or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise InvalidInput("date", raw, "a 12-hour time runs from 1 to 12")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    try:
        clock = time(hour, minute, second, fraction)
    except ValueError as exc:
        raise InvalidInput("date", raw, f"no such time; {ACCEPTED}") from exc
    return When(found, clock, _zone(match["z"]))


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
