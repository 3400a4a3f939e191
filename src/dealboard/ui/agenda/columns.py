"""How the Agenda's columns share the terminal's width: the thing to do first, always.

At 80 columns the When, Due, Kind, Deal and Stage columns used to eat the
row, and the to-do itself (`Call att…`) was what got cut. Here the to-do is
measured first and never cut while anything else can give: the deal title
shrinks before it, and the less needed columns come in only when there is
room for them, in this order: the owner's full name (team agenda), the kind,
the weekday and date instead of `late 2d`, the stage. A wide terminal shows
them all. Too narrow for a deal column of its own, the deal title follows
each to-do in its column, as much as that row leaves room for; an ellipsis
on the to-do is the very last resort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from dealboard.domain.agenda import AgendaItem, When
from dealboard.ui.text import fitted, one_line, plain_line

#: A DataTable cell is padded by one column on either side.
PADDING = 2
#: The agenda table's vertical scrollbar (agenda.tcss).
SCROLLBAR = 1
#: The deal title keeps this much before a column less needed than it comes in.
DEAL_ROOM = 16
#: Between a to-do and its deal when they share a column.
SEPARATOR = " · "
#: The style key of a deal title that follows its to-do.
DEAL = "deal"
_LABELS = {
    When.OVERDUE: "overdue",
    When.TODAY: "today",
    When.UPCOMING: "upcoming",
    When.NURTURE: "nurture",
}


@dataclass(frozen=True)
class Layout:
    """Which columns the table has at one width, and how wide each is."""

    team: bool
    owner_names: bool = False
    kind: bool = False
    dated: bool = False
    stage: bool = False
    #: The deal title follows the to-do in its column: no room for a column of its own.
    shared: bool = False
    deal: int = DEAL_ROOM
    todo: int = 5

    def headings(self, widths: Widths) -> list[tuple[str, int]]:
        """(label, width) of each column, left to right."""
        columns: list[tuple[str, int]] = []
        if self.team:
            columns.append(
                ("Owner", widths.owner) if self.owner_names else ("Who", widths.initials)
            )
        if self.dated:
            columns += [("When", widths.when), ("Due", widths.date)]
        else:
            columns.append(("Due", widths.relative))
        if self.kind:
            columns.append(("Kind", widths.kind))
        if not self.shared:
            columns.append(("Deal", self.deal))
        if self.stage:
            columns.append(("Stage", widths.stage))
        columns.append(("To do · deal" if self.shared else "To do", self.todo))
        return columns

    def width(self, widths: Widths) -> int:
        """Every column with its padding: what the table needs across."""
        return sum(width + PADDING for _, width in self.headings(widths))


@dataclass(frozen=True)
class Widths:
    """The widest cell (or heading) of each column among the items shown."""

    initials: int
    owner: int
    when: int
    date: int
    relative: int
    kind: int
    deal: int
    stage: int
    todo: int

    @classmethod
    def of(cls, items: Sequence[AgendaItem], today: date) -> Widths:
        """Measured in terminal cells (a CJK character takes two)."""

        def widest(heading: str, values: Sequence[str]) -> int:
            return max([cell_len(heading), *(cell_len(one_line(v)) for v in values)])

        return cls(
            initials=widest("Who", list(short_owners(items).values())),
            owner=widest("Owner", [owner_name(i) for i in items]),
            when=widest("When", [_LABELS[i.when] for i in items]),
            date=widest("Due", [i.due.strftime("%a %d %b") for i in items]),
            relative=widest("Due", [due_label(i, today) for i in items]),
            kind=widest("Kind", [i.kind for i in items]),
            deal=widest("Deal", [i.deal_title for i in items]),
            stage=widest("Stage", [i.stage for i in items]),
            todo=widest("To do", [i.what for i in items]),
        )


def plan(widths: Widths, across: int, *, team: bool) -> Layout:
    """The richest layout whose to-do column shows every to-do in full at `across` columns.

    When even the plainest leaves the deal title too little room, the title
    follows each to-do in the to-do's column, taking what that row leaves.
    """
    room = across - SCROLLBAR
    layout = Layout(team=team, deal=min(widths.deal, DEAL_ROOM), todo=widths.todo)
    if layout.width(widths) > room:
        shared = replace(layout, shared=True)
        return replace(shared, todo=max(room - shared.width(widths) + shared.todo, 5))
    upgrades = [{"kind": True}, {"dated": True}, {"stage": True}]
    for upgrade in [{"owner_names": True}] * team + upgrades:
        richer = replace(layout, **upgrade)
        if richer.width(widths) <= room:
            layout = richer
    return replace(layout, deal=min(widths.deal, layout.deal + room - layout.width(widths)))


def rows(
    layout: Layout, items: Sequence[AgendaItem], today: date, styles: Mapping[When | str, Style]
) -> list[tuple[int, tuple[Text, ...]]]:
    """(item key, cells) of each row; a team agenda names each owner once, atop their rows."""
    short = short_owners(items)
    shown: list[tuple[int, tuple[Text, ...]]] = []
    previous: str | None = None
    for item in items:
        owner = None
        if item.owner != previous:
            owner = owner_name(item) if layout.owner_names else short[item.owner]
        previous = item.owner
        shown.append((item.key, cells(layout, item, today=today, owner=owner, styles=styles)))
    return shown


def cells(
    layout: Layout,
    item: AgendaItem,
    *,
    today: date,
    owner: str | None,
    styles: Mapping[When | str, Style],
) -> tuple[Text, ...]:
    """One row; `owner` is the owner's label on the first row of their group, else None."""
    style = styles[item.when]
    row: list[Text] = []
    if layout.team:
        row.append(plain_line(owner or ""))
    if layout.dated:
        row += [Text(_LABELS[item.when], style=style), Text(item.due.strftime("%a %d %b"))]
    else:
        row.append(Text(due_label(item, today), style=style))
    if layout.kind:
        row.append(plain_line(item.kind))
    if not layout.shared:
        row.append(fitted(item.deal_title, layout.deal))
    if layout.stage:
        row.append(plain_line(item.stage))
    row.append(_todo(layout, item, styles[DEAL]))
    return tuple(row)


def _todo(layout: Layout, item: AgendaItem, deal_style: Style) -> Text:
    """The to-do in full if it fits at all, then (sharing) as much of the deal title as fits."""
    todo = plain_line(item.what)
    if layout.shared:
        todo.append(SEPARATOR, deal_style)
        todo.append_text(plain_line(item.deal_title, deal_style))
    todo.truncate(layout.todo, overflow="ellipsis")
    return todo


def due_label(item: AgendaItem, today: date) -> str:
    """What the Due column says: `relative_due`, or `nurture` for a customer due a touch (its
    to-do says how long since the last one)."""
    return _LABELS[When.NURTURE] if item.when is When.NURTURE else relative_due(item.due, today)


def relative_due(due: date, today: date) -> str:
    """`late 3d`, `today`, `Fri 04`, `Dec 13`: the board's words for a due day (`next_step_badge`).

    It says how urgent without colour, in fewer columns than When and Due.
    """
    days = (due - today).days
    if days < 0:
        return f"late {-days}d"
    if days == 0:
        return "today"
    return due.strftime("%a %d") if days < 7 else due.strftime("%b %d")


def owner_name(item: AgendaItem) -> str:
    """The owner as the team knows them (display name, else login)."""
    return item.owner_display_name or item.owner


def short_owners(items: Sequence[AgendaItem]) -> dict[str, str]:
    """Owner login → initials (`AM` for Arjun Mehta); the login where initials would clash."""
    names = {item.owner: owner_name(item) for item in items}
    initials = {login: _initials(name, login) for login, name in names.items()}
    taken = list(initials.values())
    return {login: short if taken.count(short) == 1 else login for login, short in initials.items()}


def _initials(name: str, login: str) -> str:
    words = one_line(name).split()
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return login
