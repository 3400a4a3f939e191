"""The Reports screen (`R` on the board): the manager's questions as charts, live.

Eight reports of `dealboard.domain.reports`, one at a time: `1`–`8` or
`←`/`→` (tab) choose; up and down scroll. Each is drawn as bars beside their
exact figures (`dealboard.ui.reports.charts` says why block characters), so
it reads at 80×24 and from the back of a room. `w` changes the window (all
time, the last 90 days, this year), `o` steps through the owners, `p` picks
another pipeline (it opens on the board's).

Every report is read in one read (the screen's `LiveLoader`), again whenever
anyone commits a change. An empty window says so in a sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static, Tab, Tabs

from dealboard.domain.reports import REPORTS, Report, VelocityReport
from dealboard.domain.views import Live, ReportSet
from dealboard.ui.deal.common import board_of
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.palette import binding_commands
from dealboard.ui.reports.change_views import change_blocks
from dealboard.ui.reports.charts import Block, ChartView, Words
from dealboard.ui.reports.flow_views import (
    forecast_blocks,
    funnel_blocks,
    stages_blocks,
    velocity_blocks,
)
from dealboard.ui.reports.loading import WINDOW_PHRASES, WINDOWS, ReportRequest
from dealboard.ui.reports.people_views import cohorts_blocks, losses_blocks, owners_blocks
from dealboard.ui.reports.tiles import velocity_factors, velocity_results
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import plain_line

#: How each report is drawn, by name (the order is `REPORTS`').
VIEWS: dict[str, Callable[..., list[Block]]] = {
    "funnel": funnel_blocks,
    "stages": stages_blocks,
    "velocity": velocity_blocks,
    "forecast": forecast_blocks,
    "losses": losses_blocks,
    "cohorts": cohorts_blocks,
    "owners": owners_blocks,
    "change": change_blocks,
}
NAMES = tuple(REPORTS)
_TILE_ROWS = ("factors", "results")
_TILES_PER_ROW = 4
#: What each report counts, `{when}` being the window (the forecast looks ahead instead).
_COUNTS = {
    "funnel": "deals created {when}",
    "stages": "stays that ended {when}; deals in a stage now",
    "velocity": "deals closed {when}; open deals now",
    "forecast": "deals open now; overdue and undated ones in rows of their own",
    "losses": "deals lost {when}",
    "cohorts": "deals created {when}",
    "owners": "deals closed, touches done and leads created {when}",
    "change": "deals entering the stages the latest revision touched, before vs after it "
    "(the window does not apply)",
}


def _binding(name: str, key: str, action: str, description: str, **kw: object) -> Binding:
    """A reports key whose id (`reports.<name>`) is its name in a user's keymap."""
    return Binding(key, action, description, id=f"reports.{name}", **kw)  # type: ignore[arg-type]


class ReportTabs(Tabs, can_focus=False):
    """The report chooser; the screen's keys drive it, so it never takes the focus."""


class ReportBody(VerticalScroll, inherit_bindings=False):
    """Scrolls with up/down and the page keys; left and right stay the screen's."""

    BINDINGS = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="reports.scroll-up"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="reports.scroll-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="reports.page-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reports.page-down"),
        Binding("home,g", "scroll_home", "Top", show=False, id="reports.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="reports.bottom"),
    ]


class ReportsScreen(Screen[None]):
    """Every report for one pipeline, window and owner; dismissed back to the board."""

    CSS_PATH = ["reports.tcss", "../spinner.tcss"]
    AUTO_FOCUS = "#reports-body"
    BINDINGS = [
        *[
            _binding(name, str(n), f"show('{name}')", f"Report: {REPORTS[name].title}", show=False)
            for n, name in enumerate(NAMES, start=1)
        ],
        _binding(
            "next",
            "right,l,tab",
            "step(1)",
            "Next",
            show=True,
            key_display="→",
            tooltip="Next report",
        ),
        _binding(
            "previous",
            "left,h,shift+tab",
            "step(-1)",
            "Previous",
            show=True,
            key_display="←",
            tooltip="Previous report",
        ),
        _binding(
            "window",
            "w",
            "window",
            "Window",
            show=True,
            tooltip="Window: all time, last 90 days, this year",
        ),
        _binding(
            "owner", "o", "owner", "Owner", show=True, tooltip="Owner: everyone, then each person"
        ),
        _binding(
            "pipeline",
            "p",
            "pipeline",
            "Pipeline",
            show=True,
            tooltip="Pipeline: another one's reports",
        ),
        _binding(
            "back",
            "escape,q,R",
            "back",
            "Back",
            show=True,
            key_display="esc",
            tooltip="Back to the board",
        ),
        _binding("reload", "ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, pipeline: str | None = None, report: str = NAMES[0]) -> None:
        super().__init__()
        self.request = ReportRequest(pipeline)
        self.current = report
        self.loaded: ReportSet | None = None
        self.loader: LiveLoader[ReportSet] = LiveLoader(
            self, self._read, self._arrived, what="Reports"
        )

    def compose(self) -> ComposeResult:
        yield Static(Text("Reports: loading…"), id="reports-title")
        yield ReportTabs(
            *[
                Tab(plain_line(f"{n} {name.capitalize()}"), id=name)
                for n, name in enumerate(NAMES, 1)
            ],
            active=self.current,
            id="reports-tabs",
        )
        with ReportBody(id="reports-body"):
            yield ChartView(id="reports-about")
            for row in _TILE_ROWS:
                with Horizontal(classes="reports-tiles", id=f"reports-{row}"):
                    for number in range(_TILES_PER_ROW):
                        with Vertical(classes="reports-tile", id=f"{row}-{number}"):
                            yield Digits("")
                            yield Static(classes="reports-label")
            yield ChartView(id="reports-chart")
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        for row in _TILE_ROWS:
            self.query_one(f"#reports-{row}").display = False
        self.query_one("#reports-chart", ChartView).show([Words("Reading the reports…", "note")])
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    # -- loading ----------------------------------------------------------------------

    def _read(self, previous: Live[ReportSet] | None) -> Callable[[], Live[ReportSet]]:
        """Every report for the choices shown, in one read; again whenever anyone commits."""
        board = board_of(self)
        asked = self.request.asked(board.today())
        return lambda: board.views.reports(asked, previous)

    def _arrived(self, live: Live[ReportSet]) -> None:
        self.show(live.content)

    def on_screen_resume(self) -> None:
        self.loader.refresh()

    def _ask(self, **changes: object) -> None:
        """Change what is asked for and read again (the title says so at once)."""
        self.request = replace(self.request, **changes)  # type: ignore[arg-type]
        self._title()
        self.loader.reload()

    # -- drawing ----------------------------------------------------------------------

    def show(self, loaded: ReportSet) -> None:
        self.loaded = loaded
        self._title()
        self._draw()

    def _title(self) -> None:
        request = self.request
        pipeline = self.loaded.pipeline.title if self.loaded else request.pipeline or "…"
        owner = f"@{request.owner}" if request.owner else "everyone"
        title = plain_line(f"Reports · {pipeline} · {WINDOWS[request.window]} · {owner}")
        self.query_one("#reports-title", Static).update(title)

    def _draw(self) -> None:
        if self.loaded is None:
            return
        spec = REPORTS[self.current]
        report = self.loaded.reports[self.current]
        question = f"{spec.question[:1].upper()}{spec.question[1:]}"
        counts = _COUNTS[spec.name].format(when=WINDOW_PHRASES[self.request.window])
        about = Words(f"{question} · {counts}")
        self.query_one("#reports-about", ChartView).show([about])
        self.query_one("#reports-chart", ChartView).show(VIEWS[self.current](report))
        self._tiles(report)

    def _tiles(self, report: Report) -> None:
        """Velocity's four factors, then its result per currency, as large numbers."""
        shown = isinstance(report, VelocityReport) and bool(report.currencies)
        factors = velocity_factors(report) if isinstance(report, VelocityReport) else []
        results = velocity_results(report) if isinstance(report, VelocityReport) else []
        for row, tiles in zip(_TILE_ROWS, (factors, results), strict=True):
            line = self.query_one(f"#reports-{row}")
            line.display = shown
            for number, tile in enumerate(line.query(".reports-tile")):
                value, label = tiles[number] if number < len(tiles) else ("", "")
                tile.display = number < len(tiles)
                tile.query_one(Digits).update(value)
                tile.query_one(".reports-label", Static).update(plain_line(label))

    # -- actions ----------------------------------------------------------------------

    def action_show(self, name: str) -> None:
        """Draw another report at once; the tabs follow."""
        if name != self.current:
            self.current = name
            self.query_one(ReportBody).scroll_home(animate=False)
            self._draw()
        self.query_one(ReportTabs).active = name

    @on(Tabs.TabActivated)
    def _clicked(self, event: Tabs.TabActivated) -> None:
        if event.tab.id in VIEWS:
            self.action_show(event.tab.id)

    def action_step(self, step: int) -> None:
        index = (NAMES.index(self.current) + step) % len(NAMES)
        self.action_show(NAMES[index])

    def action_window(self) -> None:
        keys = list(WINDOWS)
        self._ask(window=keys[(keys.index(self.request.window) + 1) % len(keys)])

    def action_owner(self) -> None:
        """Everyone, then each person in name order, then everyone again."""
        if self.loaded is None:
            return
        names = [None, *(person.name for person in self.loaded.people)]
        current = names.index(self.request.owner) if self.request.owner in names else 0
        self._ask(owner=names[(current + 1) % len(names)])

    def action_pipeline(self) -> None:
        from dealboard.ui.board.pipeline_picker import PipelinePicker

        if self.loaded is None:
            return

        def chosen(name: str | None) -> None:
            if name and name != self.loaded.pipeline.name:  # type: ignore[union-attr]
                self._ask(pipeline=name)

        self.app.push_screen(
            PipelinePicker(self.loaded.pipelines, self.loaded.pipeline.name), chosen
        )

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every Reports key as a named command."""
        return binding_commands(self, title=lambda b: f"Reports: {b.tooltip or b.description}")
