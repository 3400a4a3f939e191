"""The SLA screen (`M` on the board): per owner, for the stand-up projector.

Three large numbers for the team (share of leads touched in time, open
breaches, deals gone quiet), then one plain row per owner and a team row.
The rules behind the numbers are in `dealboard.domain.sla` and
`dealboard.domain.sla_report`; this screen only shows them.

It reads through its `LiveLoader`, again whenever anyone commits a change, and
once a minute besides: a lead's minutes run out with nobody touching the database.
Enter on a row closes it and filters the board to that owner's breaches; `m`
does the same and marks those cards, so `O` reassigns them (managers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Static

from dealboard.domain.sla import response_time_text
from dealboard.domain.sla_report import OwnerSla, PipelineRules, SlaReport
from dealboard.domain.views import Live
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import fitted, plain_line

#: The windows `w` steps through, in days; the first is where the screen opens.
WINDOWS = (30, 7, 90)
#: Seconds between reads when nothing changes (breaches come with time alone).
REFRESH_SECONDS = 60
_COLUMNS = ("Owner", "Leads", "1st touch", "In SLA", "Breaches", "Quiet", "No/late step")
#: Below this width the table's cells get one space of padding instead of two.
_ROOMY_WIDTH = 100


@dataclass(frozen=True)
class BoardRequest:
    """What the board should do when the screen closes on a row."""

    #: A board filter: `@lena breach`, or `breach` for the team row.
    filter: str
    #: Mark the cards the filter shows, ready for `O` (reassign).
    mark: bool = False


class SlaScreen(Screen[BoardRequest | None]):
    """Service levels per owner; dismisses with what the board should show, or None."""

    CSS_PATH = ["sla.tcss", "../spinner.tcss"]
    COMPONENT_CLASSES = {"sla--bad", "sla--warn", "sla--zero", "sla--team"}
    BINDINGS = [
        Binding("escape,q,M", "back", "Back", id="sla.back"),
        # (priority: the table's own enter would otherwise take the key, and the footer's mention)
        Binding(
            "enter",
            "show_breaches",
            "Show their breaches on the board",
            id="sla.breaches",
            priority=True,
        ),
        Binding("m", "show_breaches(True)", "Mark breached cards", id="sla.mark"),
        Binding("w", "window", "Window 30/7/90 days", id="sla.window"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="sla.reload"),
    ]

    def __init__(self, pipeline: str | None = None) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.window_days = WINDOWS[0]
        self.report: SlaReport | None = None
        #: Row keys in table order: an owner's login, None for the team row.
        self.row_owners: list[str | None] = []
        self.loader: LiveLoader[SlaReport] = LiveLoader(
            self, self._read, self._arrived, what="SLA", every=REFRESH_SECONDS
        )

    def compose(self) -> ComposeResult:
        yield Static(Text("SLA: loading…"), id="sla-title")
        with Horizontal(id="sla-headline"):
            for name in ("in-time", "breaches", "quiet"):
                with Vertical(classes="sla-tile", id=f"tile-{name}"):
                    yield Digits("-", id=f"digits-{name}")
                    yield Static(classes="sla-label", id=f"label-{name}")
        table: DataTable[object] = RecordTable(id="sla-table", cursor_type="row", cell_padding=1)
        table.add_columns(*_COLUMNS)
        with Center(id="sla-body"):
            yield table
        yield Static(id="sla-rules")
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    # -- loading ----------------------------------------------------------------------

    def _read(self, previous: Live[SlaReport] | None) -> Callable[[], Live[SlaReport]]:
        """The report for the window shown; again on every change, and each minute besides."""
        board, pipeline, since = board_of(self), self.pipeline, f"{self.window_days}d"
        return lambda: board.views.sla(pipeline, since, previous)

    def _arrived(self, live: Live[SlaReport]) -> None:
        self.show(live.content)

    def on_screen_resume(self) -> None:
        self.loader.refresh()

    # -- drawing ----------------------------------------------------------------------

    def show(self, report: SlaReport) -> None:
        self.report = report
        team = report.team
        scope = report.rules[0].title if report.pipeline and report.rules else "All pipelines"
        title = plain_line(f"SLA · {scope} · leads of the last {self.window_days} days")
        self.query_one("#sla-title", Static).update(title)
        percent = team.within_sla_percent
        minutes = _speed_to_lead(report.rules)
        self._tile(
            "in-time",
            "-" if percent is None else f"{round(percent)}",
            f"% touched in {minutes}" if minutes else "% touched in time",
            bad=False,
            good=percent == 100,
        )
        self._tile("breaches", str(team.open_breaches), "open breaches", bad=team.open_breaches > 0)
        self._tile("quiet", str(team.quiet), "deals gone quiet", bad=team.quiet > 0)
        rows = [*report.owners, team]
        self.row_owners = [row.owner for row in rows]
        table = self.query_one("#sla-table", DataTable)
        width = self.app.size.width
        table.cell_padding = 2 if width >= _ROOMY_WIDTH else 1
        name_width = max(14, min(30, width - (80 if width >= _ROOMY_WIDTH else 66)))
        fill_table(table, [(i, self._cells(row, name_width)) for i, row in enumerate(rows)])
        named = len(report.rules) > 1
        rules = [_rules_text(r, named) for r in report.rules]
        legend = Text("\n").join(
            [
                *(plain_line(r) for r in rules),
                Text("1st touch: median time from a new lead to its first call, email or meeting"),
            ]
        )
        self.query_one("#sla-rules", Static).update(legend)
        table.focus()

    def _tile(self, name: str, value: str, label: str, *, bad: bool, good: bool = False) -> None:
        self.query_one(f"#digits-{name}", Digits).update(value)
        self.query_one(f"#label-{name}", Static).update(Text(label))
        tile = self.query_one(f"#tile-{name}")
        tile.set_class(bad, "-bad")
        tile.set_class(good, "-good")

    def _cells(self, row: OwnerSla, name_width: int) -> tuple[Text, ...]:
        base = self._style("sla--team") if row.owner is None else Style()
        percent = row.within_sla_percent
        in_sla = "—" if percent is None else f"{round(percent)}% ({row.within_sla}/{row.judged})"
        name = fitted(row.display_name, name_width)
        name.stylize(base)
        return (
            name,
            _number(str(row.leads), base),
            _number(response_time_text(row.median_first_response), base),
            _number(in_sla, base),
            self._count(row.open_breaches, "sla--bad", base),
            self._count(row.quiet, "sla--warn", base),
            self._count(row.step_missing_or_late, "sla--warn", base),
        )

    def _count(self, count: int, alarm: str, base: Style) -> Text:
        return _number(str(count), base + self._style(alarm if count else "sla--zero"))

    def _style(self, component: str) -> Style:
        return text_style(self, component)

    # -- actions ----------------------------------------------------------------------

    def action_show_breaches(self, mark: bool = False) -> None:
        key = highlighted_key(self.query_one("#sla-table", DataTable))
        if key is None or key >= len(self.row_owners):
            return
        owner = self.row_owners[key]
        self.dismiss(BoardRequest(f"@{owner} breach" if owner else "breach", mark))

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_show_breaches()

    def action_window(self) -> None:
        self.window_days = WINDOWS[(WINDOWS.index(self.window_days) + 1) % len(WINDOWS)]
        self.loader.reload()

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)


def _number(value: str, style: Style) -> Text:
    return Text(value, style=style, justify="right", no_wrap=True, end="")


def _speed_to_lead(rules: tuple[PipelineRules, ...]) -> str:
    """`5 min` when every pipeline shown promises the same, else empty."""
    minutes = {r.speed_to_lead_minutes for r in rules if r.speed_to_lead_minutes is not None}
    return f"{minutes.pop()} min" if len(minutes) == 1 else ""


def _rules_text(rules: PipelineRules, named: bool) -> str:
    """`SLA: first touch within 5 min · 5 attempts in 14 days in Prospect`."""
    parts = []
    if rules.speed_to_lead_minutes is not None:
        parts.append(f"first touch within {rules.speed_to_lead_minutes} min")
    parts += [f"{f.attempts} attempts in {f.days} days in {f.stage}" for f in rules.follow_up]
    return f"{rules.title if named else 'SLA'}: " + (" · ".join(parts) or "none set")
