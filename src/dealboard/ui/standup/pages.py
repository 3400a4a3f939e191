"""The stand-up cut into pages that fit the screen: few things per page, one blank line apart.

Pure: a `Standup`, the space on screen and the theme's styles in, pages out. A
list too long for one page goes on over several, each page keeping its heading
(`Needs attention (2/3)`), so nothing is ever scrolled out of sight on a wall.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from dealboard.domain.goals import month_label, percent_text
from dealboard.domain.money import format_compact
from dealboard.domain.nurture import NurtureDue
from dealboard.domain.standup import Attention, InMotion, Moved, PersonStandup, Standup
from dealboard.domain.standup_forecast import Forecast
from dealboard.domain.standup_marks import OVERRIDE, override_note, skipped_note
from dealboard.domain.standup_text import (
    person_counts,
    plural,
    slipped_lines,
)
from dealboard.domain.text import display_safe
from dealboard.ui.standup.entry import Line, Mark, entry, packed
from dealboard.ui.text import fitted, one_line, plain_line

#: Rows the page heading takes (a blank line, the heading, a blank line).
HEADING_ROWS = 3
#: Rows the large numbers take (three for the digits, one label, one blank).
TILE_ROWS = 5
#: Rows kept free under the body.
FOOT_ROWS = 1
#: Rows between two entries.
GAP = 1


@dataclass(frozen=True)
class Tile:
    """One large number with its label; `tone` is `bad`, `warn`, `good` or empty."""

    value: str
    label: str
    tone: str = ""


@dataclass(frozen=True)
class Page:
    """One screenful. `key` names it so a refresh can come back to the same page."""

    key: tuple[str, ...]
    heading: Text
    tiles: tuple[Tile, ...]
    blocks: tuple[Text, ...]


def build_pages(
    standup: Standup, *, width: int, height: int, styles: Mapping[str, Style]
) -> list[Page]:
    """Every page in order: since, attention, customers due a touch (when any), forecast, then
    one (or more) per person."""
    cut = _Cutter(width, height, styles)
    pages = cut.pages(
        ("since",), _since_heading(standup), _since_tiles(standup), cut.since(standup)
    )
    pages += cut.pages(
        ("attention",),
        Text("Needs attention"),
        _attention_tiles(standup),
        [cut.attention(item) for item in standup.attention]
        or [Text("Nothing: no open SLA breach, no deal gone quiet.")],
    )
    if standup.nurture:
        pages += cut.pages(
            ("nurture",),
            Text("Customers due a touch"),
            (Tile(str(len(standup.nurture)), "due a touch", "warn"),),
            [cut.nurture(due) for due in standup.nurture],
        )
    pages += cut.pages(("forecast",), _forecast_heading(standup), *cut.forecast(standup))
    for person in standup.people:
        pages += cut.pages(
            ("person", person.owner),
            plain_line(person.display_name),
            (),
            cut.person(person, standup.label),
        )
    return pages


def _since_heading(standup: Standup) -> Text:
    return Text(standup.label[:1].upper() + standup.label[1:])


def _since_tiles(standup: Standup) -> tuple[Tile, ...]:
    totals = standup.totals
    return (
        Tile(str(totals.get("moved", 0)), "moved"),
        Tile(str(totals.get("new", 0)), "new"),
        Tile(str(totals.get("won", 0)), "won", "good" if totals.get("won") else ""),
        Tile(str(totals.get("lost", 0)), "lost", "bad" if totals.get("lost") else ""),
    )


def _attention_tiles(standup: Standup) -> tuple[Tile, ...]:
    breaches, quiet = standup.totals.get("breaches", 0), standup.totals.get("quiet", 0)
    return (
        Tile(str(breaches), "SLA breaches", "bad" if breaches else "good"),
        Tile(str(quiet), "gone quiet", "warn" if quiet else "good"),
    )


def _forecast_heading(standup: Standup) -> Text:
    target = standup.target
    if target is None:
        return Text("Forecast")
    kind = "team goal" if standup.forecast.target_is_goal else "monthly target"
    return Text(f"Forecast · {kind} {format_compact(target.minor, target.currency)}")


#: One block of a page, or a list of entries that make one block where they fit together.
Block = Text | list[Text]


def _split(blocks: list[Block], room: int) -> list[Text]:
    """Blocks taller than a page cut into page-sized pieces (a person with many deals); a
    list of entries is cut between its entries, so no entry starts on one page and ends on
    the next (unless one alone is taller than a page)."""
    pieces: list[Text] = []
    for block in blocks:
        entries = block if isinstance(block, list) else list(block.split())
        rows = [len(entry.split()) for entry in entries]
        if sum(rows) <= room or room < 1:
            pieces.append(block if isinstance(block, Text) else _joined(entries))
            continue
        group: list[Text] = []
        used = 0
        for item, height in zip(entries, rows, strict=True):
            if group and used + height > room:
                pieces.append(_joined(group))
                group, used = [], 0
            if height > room:
                lines = list(item.split())
                pieces += [_joined(lines[i : i + room]) for i in range(0, height, room)]
                continue
            group.append(item)
            used += height
        if group:
            pieces.append(_joined(group))
    return pieces


def _joined(lines: list[Text]) -> Text:
    return Text("\n", end="").join(lines)


def _safe(value: str) -> str:
    """User text for one line: control characters shown as U+FFFD, breaks as spaces."""
    return display_safe(value).replace("\n", " ").replace("\t", " ")


class _Cutter:
    """Turns entries into pages for one screen size and one set of styles."""

    def __init__(self, width: int, height: int, styles: Mapping[str, Style]) -> None:
        self.width = max(width, 20)
        self.height = height
        self.styles = styles

    def style(self, name: str) -> Style:
        return self.styles.get(name, Style())

    def pages(
        self, key: tuple[str, ...], heading: Text, tiles: tuple[Tile, ...], blocks: list[Block]
    ) -> list[Page]:
        """As many pages as the blocks need; at least one."""
        room = self.height - HEADING_ROWS - FOOT_ROWS - (TILE_ROWS if tiles else 0)
        chunks: list[list[Text]] = [[]]
        used = 0
        for block in _split(blocks, room):
            rows = len(block.split()) + (GAP if chunks[-1] else 0)
            if chunks[-1] and used + rows > room:
                chunks.append([])
                rows -= GAP
                used = 0
            chunks[-1].append(block)
            used += rows
        pages = []
        for number, chunk in enumerate(chunks):
            title = heading.copy()
            if len(chunks) > 1:
                title.append(f" ({number + 1}/{len(chunks)})")
            pages.append(Page((*key, str(number)), title, tiles, tuple(chunk)))
        return pages

    def line(self, *parts: tuple[str | Text, str]) -> Text:
        """One line of styled parts, cut to the width with an ellipsis."""
        text = Text(end="", no_wrap=True)
        for part, style in parts:
            piece = part.copy() if isinstance(part, Text) else Text(_safe(part))
            piece.stylize(self.style(style))
            text.append_text(piece)
        text.truncate(self.width, overflow="ellipsis")
        return text

    def lines(self, *lines: Text) -> Text:
        return Text("\n", end="").join(lines)

    def since(self, standup: Standup) -> list[Block]:
        """Per person: a line with their counts, then each deal (moved, new, won, lost)."""
        blocks: list[Block] = []
        for person in standup.people:
            if not person.anything_since:
                continue
            lines = [self.line((person.display_name, "name"), ("   " + person_counts(person), ""))]
            lines += [self.moved(moved) for moved in person.moved]
            for deal in person.new:
                lines.append(self.event("new", "good", deal.title, f"{deal.stage} · {deal.value}"))
            for deal in person.won:
                lines.append(self.event("won", "good", deal.title, deal.value))
            for lost in person.lost:
                why = f"{lost.deal.value} · {lost.reason or 'no reason'}"
                lines.append(self.event("lost", "bad", lost.deal.title, why))
            blocks.append(lines)
        quiet = [one_line(p.display_name) for p in standup.people if not p.anything_since]
        if not blocks:
            blocks.append(Text(f"Nothing moved, opened or closed {standup.label}."))
        if quiet:
            blocks.append(self.line((f"Nothing recorded for {', '.join(quiet)}", "dim")))
        return blocks

    def event(self, what: str, tone: str, title: str, detail: str) -> Text:
        """`  won    Lab inventory tracking  ·  $33.9k`: the detail under the title if need be."""
        return self.entry(entry((f"  {what:<6} ", tone), title, detail, self.width))

    def moved(self, moved: Moved) -> Text:
        """`  moved  Lab inventory tracking  ·  Overcome Objections → Close`, its final stage in
        full, then what the move skipped and why the gate was overridden, in words."""
        override = override_note(moved.overrides, one_line)
        return self.entry(
            entry(
                ("  moved  ", "stage"),
                moved.deal.title,
                "" if moved.forward else " (back)",
                self.width,
                stages=moved.path,
                note=skipped_note(moved.skipped, one_line),
                marks=[Mark(override, "warn")] if override else [],
            )
        )

    def entry(self, lines: list[Line]) -> Text:
        return self.lines(*(self.line(*parts) for parts in lines))

    def attention(self, item: Attention) -> Text:
        tone = "bad" if item.breach else "warn"
        first = self.line((", ".join(item.problems), tone), ("  ", ""), (item.deal.title, "name"))
        second = self.line(
            (item.owner_display, ""),
            (f" · {item.deal.stage} · {item.deal.value}", ""),
            (f" · {item.deal.account}" if item.deal.account else "", ""),
        )
        return self.lines(first, second)

    def nurture(self, due: NurtureDue) -> Text:
        """`Acme Corp` and how long untouched; then its owner and the won deal it stands on."""
        first = self.line((due.account, "name"), ("  ", ""), (due.what, "warn"))
        second = self.line((due.owner_display, ""), (f" · {due.pipeline} · {due.deal_title}", ""))
        return self.lines(first, second)

    def forecast(self, standup: Standup) -> tuple[tuple[Tile, ...], list[Text]]:
        """Large: each month's projection (and this month against the target); then a table."""
        forecast = standup.forecast
        main = forecast.target.currency if forecast.target else standup.currency
        tiles: list[Tile] = []
        for month in forecast.months:
            row = next((r for r in forecast.month(month) if r.currency == main), None)
            if row is not None:
                tiles.append(Tile(format_compact(row.projected_minor, main), f"{month:%B}"))
        first = next((r for r in forecast.month(forecast.months[0]) if r.currency == main), None)
        percent = first.percent_of(forecast.target) if first else None
        if percent is not None:
            tone = "good" if percent >= 100 else "warn" if percent >= 75 else "bad"
            tiles.insert(1, Tile(f"{percent:.0f}%", f"of target in {first.month:%B}", tone))
        team = forecast.goals.team_goal(main) if forecast.goals else None
        if team is not None and team.percent is not None:
            tiles.insert(1, Tile(f"{team.percent:.0f}%", "of team goal won", _tone(team.percent)))
        header = ["", "", "projected"]
        header += ["of target"] if forecast.target else []
        header += ["weighted", "best case", "won", "deals"]
        rows = [header]
        for row in forecast.rows:
            target = row.percent_of(forecast.target_for(row))
            cells = [f"{row.month:%B}", row.currency, _money(row.projected_minor, row.currency)]
            if forecast.target:
                cells.append("" if target is None else f"{target:.0f}%")
            cells += [
                _money(row.weighted_minor, row.currency),
                _money(row.best_case_minor, row.currency),
                _money(row.won_minor, row.currency) if row.won_deals else "—",
                str(row.deals),
            ]
            rows.append(cells)
        blocks = [self.table(rows)]
        blocks += [self.line((line, "warn")) for line in slipped_lines(forecast)]
        explained = "projected = won + weighted (value × stage probability)"
        blocks.append(self.line((explained, "dim")))
        blocks += self.goals(forecast)
        if forecast.target is None:
            blocks.append(self.line(("No team goal set: t sets this month's", "dim")))
        return tuple(tiles), blocks

    def goals(self, forecast: Forecast) -> list[Block]:
        """`Goals for November 2026`: the team's, then each owner's, won against the goal."""
        goals = forecast.goals
        if goals is None or not (goals.team or goals.owners):
            return []
        rows = [["", "", "goal", "won", "attained", "to go"]]
        tones = [""]
        for attainment in (*goals.team, *goals.owners):
            goal = attainment.goal
            currency = goal.amount.currency
            rows.append(
                [
                    goal.display_name,
                    currency,
                    _money(goal.amount.minor, currency),
                    _money(attainment.won_minor, currency),
                    percent_text(attainment),
                    _money(attainment.remaining_minor, currency)
                    if attainment.remaining_minor
                    else "met",
                ]
            )
            tones.append(_tone(attainment.percent or 0))
        heading = self.line((f"Goals for {month_label(goals.month)}", "name"))
        return [self.lines(heading, self.table(rows, tones))]

    def table(self, rows: list[list[str]], tones: list[str] | None = None) -> Text:
        """Columns two spaces apart: names left-aligned, numbers right-aligned, a dim header;
        `tones` colour each row's last-but-one cell (how far a goal has come)."""
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = []
        for number, row in enumerate(rows):
            cells = [
                cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            ]
            style = "dim" if number == 0 else ""
            parts: list[tuple[str | Text, str]] = [(cells[0], "name" if number else style)]
            parts += [("  " + cell, style) for cell in cells[1:]]
            if tones and number and tones[number]:
                parts[-2] = (parts[-2][0], tones[number])
            lines.append(self.line(*parts))
        return self.lines(*lines)

    def person(self, person: PersonStandup, label: str) -> list[Text]:
        summary = plural(person.open_deals, "open deal")
        if person.open_value:
            summary += f" · {person.open_value}"
        blocks = [self.line((summary, ""))]
        blocks += [self.motion(item) for item in person.in_motion]
        blocks += [
            self.line(("✓ won  ", "good"), (d.title, "name"), (f" · {d.value}", ""))
            for d in person.won
        ]
        blocks += [
            self.line(
                ("✗ lost  ", "bad"),
                (lost.deal.title, "name"),
                (f" · {lost.deal.value} · {lost.reason or 'no reason'}", ""),
            )
            for lost in person.lost
        ]
        if len(blocks) == 1:
            blocks.append(Text(f"Nothing in motion {label}."))
        return blocks

    def motion(self, item: InMotion) -> Text:
        """Two lines: the title and its value; the stage and what happened (late in red)."""
        value = item.deal.value
        width = min(self.width, 90)
        title = fitted(item.deal.title, max(width - len(value) - 3, 10))
        pad = " " * max(width - title.cell_len - len(value), 3)
        first = self.line((title, "name"), (pad, ""), (value, "name"))
        reasons = [(item.deal.stage, "stage")]
        for reason in item.reasons:
            tone = "bad" if reason.startswith("late ") else "good" if reason == "new" else ""
            reasons.append((reason, "warn" if reason == OVERRIDE else tone))
        return self.lines(first, self.entry(packed(reasons, self.width, indent=2)))


def _money(minor: int, currency: str) -> str:
    return format_compact(minor, currency)


def _tone(percent: float) -> str:
    """Met in green, within a quarter in amber, further in red."""
    return "good" if percent >= 100 else "warn" if percent >= 75 else "bad"
