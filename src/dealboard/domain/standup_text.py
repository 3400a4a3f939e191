"""The stand-up as text: Markdown to paste into chat (`--markdown`, `y` on the screen), or plain.

Both walk the same four sections in the same order as the screen's pages. What
users typed (titles, accounts, stage and person names, next steps) is squeezed
onto one line and made safe: escaped for Markdown (`deal_markdown.escape`), or
stripped of control characters for a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dealboard.domain.deal_markdown import escape
from dealboard.domain.goals import attainment_line, month_label
from dealboard.domain.money import format_compact
from dealboard.domain.standup import DealRef, Moved, PersonStandup, Standup
from dealboard.domain.standup_forecast import Forecast, MonthForecast
from dealboard.domain.standup_marks import override_note, skipped_note
from dealboard.domain.text import display_safe


@dataclass(frozen=True)
class _Style:
    """How one kind of text spells user text, headings, bold and list items."""

    user: Callable[[str], str]
    heading: Callable[[str], str]
    bold: Callable[[str], str]
    bullet: str
    title: Callable[[str], str]


def _one_line(value: str) -> str:
    return " ".join(display_safe(value).split())


MARKDOWN = _Style(
    user=escape,
    heading=lambda text: f"### {text}",
    bold=lambda text: f"**{text}**",
    bullet="- ",
    title=lambda text: f"## {text}",
)
PLAIN = _Style(
    user=_one_line,
    heading=lambda text: f"{text}\n{'-' * len(text)}",
    bold=lambda text: text,
    bullet="  - ",
    title=lambda text: f"{text}\n{'=' * len(text)}",
)


def standup_markdown(standup: Standup) -> str:
    """The stand-up as Markdown, ending with a newline."""
    return _render(standup, MARKDOWN)


def standup_plain(standup: Standup) -> str:
    """The stand-up as plain text for a terminal or a pipe, ending with a newline."""
    return _render(standup, PLAIN)


def month_name(month: date) -> str:
    """`November 2026`."""
    return f"{month:%B %Y}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 deal`, `3 deals`."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def since_counts(standup: Standup) -> str:
    """`2 moved · 1 new · 1 won · 0 lost`."""
    totals = standup.totals
    return " · ".join(f"{totals.get(k, 0)} {k}" for k in ("moved", "new", "won", "lost"))


def person_counts(person: PersonStandup) -> str:
    """`1 moved · 2 new · 1 won ($48k)`: only what happened."""
    parts = []
    if person.moved:
        parts.append(f"{len(person.moved)} moved")
    if person.new:
        parts.append(f"{len(person.new)} new")
    if person.won:
        won = _total(person.won)
        parts.append(f"{len(person.won)} won ({won})")
    if person.lost:
        parts.append(f"{len(person.lost)} lost")
    return " · ".join(parts)


def moved_route(moved: Moved, user: Callable[[str], str] = str) -> str:
    """`Qualify → Pitch`, `Pitch → Qualify (back)`, or with its marks spelt out:
    `Qualify → Pitch (skipped Research) · ⚠ override: "signed early"`."""
    route = " ".join(
        filter(
            None,
            (
                " → ".join(user(stage) for stage in moved.path),
                "" if moved.forward else "(back)",
                skipped_note(moved.skipped, user),
            ),
        )
    )
    override = override_note(moved.overrides, user)
    return f"{route} · {override}" if override else route


def forecast_line(row: MonthForecast, forecast: Forecast) -> str:
    """`$201k projected of $250k target (80%) · weighted $198k · won $3.2k · best case $266k`."""
    target = forecast.target_for(row)
    percent = row.percent_of(target)
    projected = f"{format_compact(row.projected_minor, row.currency)} projected"
    if percent is not None and target is not None:
        projected += f" of {format_compact(target.minor, target.currency)} target ({percent:.0f}%)"
    parts = [
        projected,
        f"weighted {format_compact(row.weighted_minor, row.currency)}",
        f"best case {format_compact(row.best_case_minor, row.currency)}",
    ]
    if row.won_deals:
        parts.append(f"won {format_compact(row.won_minor, row.currency)}")
    parts.append(plural(row.deals, "open deal"))
    return " · ".join(parts)


def slipped_lines(forecast: Forecast) -> list[str]:
    """Open deals left out of the months: close date passed, or none."""
    lines = [
        f"{plural(s.deals, 'open deal')} past the expected close date "
        f"({format_compact(s.value_minor, s.currency)})"
        for s in forecast.slipped
    ]
    if forecast.undated:
        lines.append(f"{plural(forecast.undated, 'open deal')} without an expected close date")
    return lines


def _total(deals: tuple[DealRef, ...]) -> str:
    sums: dict[str, int] = {}
    for deal in deals:
        sums[deal.currency] = sums.get(deal.currency, 0) + deal.value_minor
    return " + ".join(format_compact(v, c) for c, v in sorted(sums.items()))


def _deal(deal: DealRef, style: _Style, *, stage: bool = False) -> str:
    text = style.bold(style.user(deal.title))
    if deal.account:
        text += f" ({style.user(deal.account)})"
    if stage:
        text += f" · {style.user(deal.stage)}"
    return f"{text} · {deal.value}"


def _render(standup: Standup, style: _Style) -> str:
    local = standup.since.astimezone()
    lines = [
        style.title(f"Stand-up · {style.user(standup.scope)} · {standup.label}"),
        f"From {local:%a %Y-%m-%d %H:%M} to {standup.now.astimezone():%a %Y-%m-%d %H:%M}",
        "",
    ]
    lines += _since(standup, style)
    lines += _attention(standup, style)
    lines += _nurture(standup, style)
    lines += _forecast(standup, style)
    for person in standup.people:
        lines += _person(person, style, standup.label)
    return "\n".join(lines).rstrip() + "\n"


def _since(standup: Standup, style: _Style) -> list[str]:
    label = standup.label[0].upper() + standup.label[1:]
    lines = [style.heading(f"{label}: {since_counts(standup)}"), ""]
    quiet = []
    for person in standup.people:
        if not person.anything_since:
            quiet.append(style.user(person.display_name))
            continue
        lines.append(f"{style.bold(style.user(person.display_name))}: {person_counts(person)}")
        lines += [
            f"{style.bullet}moved: {_deal(moved.deal, style)}: {moved_route(moved, style.user)}"
            for moved in person.moved
        ]
        lines += [f"{style.bullet}new: {_deal(d, style, stage=True)}" for d in person.new]
        lines += [f"{style.bullet}won: {_deal(d, style)}" for d in person.won]
        lines += [
            f"{style.bullet}lost: {_deal(lost.deal, style)}: {lost.reason or 'no reason'}"
            for lost in person.lost
        ]
        lines.append("")
    if quiet:
        lines += [f"Nothing recorded for {', '.join(quiet)}", ""]
    return lines


def _attention(standup: Standup, style: _Style) -> list[str]:
    totals = standup.totals
    heading = (
        f"Needs attention: {plural(totals.get('breaches', 0), 'SLA breach', 'SLA breaches')}"
        f" · {totals.get('quiet', 0)} gone quiet"
    )
    lines = [style.heading(heading), ""]
    if not standup.attention:
        return [*lines, "Nothing: no open SLA breach, no deal gone quiet", ""]
    for item in standup.attention:
        problems = ", ".join(item.problems)
        owner = style.user(item.owner_display)
        lines.append(f"{style.bullet}{problems}: {_deal(item.deal, style, stage=True)} · {owner}")
    return [*lines, ""]


def _nurture(standup: Standup, style: _Style) -> list[str]:
    """Customers due a touch; nothing at all when nobody is (most boards, most days)."""
    if not standup.nurture:
        return []
    lines = [style.heading(f"Customers due a touch: {len(standup.nurture)}"), ""]
    for due in standup.nurture:
        owner = style.user(due.owner_display)
        lines.append(f"{style.bullet}{style.bold(style.user(due.account))}: {due.what} · {owner}")
    return [*lines, ""]


def _forecast(standup: Standup, style: _Style) -> list[str]:
    forecast = standup.forecast
    heading = "Forecast"
    if forecast.target is not None:
        kind = "team goal" if forecast.target_is_goal else "monthly target"
        heading += f" ({kind} {format_compact(forecast.target.minor, forecast.target.currency)})"
    lines = [style.heading(heading), ""]
    for month in forecast.months:
        for row in forecast.month(month):
            lines.append(
                f"{style.bullet}{style.bold(month_name(month))}, {row.currency}: "
                f"{forecast_line(row, forecast)}"
            )
    lines += [f"{style.bullet}{line}" for line in slipped_lines(forecast)]
    lines += _goals(forecast, style)
    return [*lines, ""]


def _goals(forecast: Forecast, style: _Style) -> list[str]:
    """`Goals for November 2026:` then the team's and each owner's attainment."""
    goals = forecast.goals
    if goals is None or not (goals.owners or goals.team):
        return []
    lines = ["", f"Goals for {month_label(goals.month)}:"]
    for attainment in (*goals.team, *goals.owners):
        who = style.bold(style.user(attainment.goal.display_name))
        lines.append(f"{style.bullet}{who}: {attainment_line(attainment)}")
    return lines


def _person(person: PersonStandup, style: _Style, label: str) -> list[str]:
    heading = f"{style.user(person.display_name)} · {plural(person.open_deals, 'open deal')}"
    if person.open_value:
        heading += f" · {person.open_value}"
    lines = [style.heading(heading), ""]
    for item in person.in_motion:
        reasons = "; ".join(style.user(r) for r in item.reasons)
        lines.append(f"{style.bullet}{_deal(item.deal, style, stage=True)}: {reasons}")
    closed = [f"won: {_deal(d, style)}" for d in person.won]
    closed += [f"lost: {_deal(lost.deal, style)}" for lost in person.lost]
    lines += [f"{style.bullet}{line}" for line in closed]
    if not person.in_motion and not closed:
        lines.append(f"Nothing in motion {label}")
    return [*lines, ""]
