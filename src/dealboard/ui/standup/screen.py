"""Stand-up mode (`S` on the board, or `dealboard standup`): full screen, paged, for a projector.

No header, no footer: one thin line says where the room is (`3/9`) and which
keys turn the page. Pages, in order: since the last stand-up, needs attention,
the forecast, then one per person (`dealboard.ui.standup.pages` cuts them to fit).

It reads through its `LiveLoader`, again whenever anyone commits a change (and
once a minute, for breaches that come with time alone), and stays on the page it
was showing. The board underneath keeps refreshing too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from dealboard.domain.money import format_money
from dealboard.domain.standup import Standup
from dealboard.domain.standup_text import standup_markdown
from dealboard.domain.views import Live
from dealboard.ui.clipboard import copy_text
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.palette import binding_commands
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.standup.pages import Page, build_pages
from dealboard.ui.text import plain_line
from dealboard.ui.worker import in_background

#: Seconds between reads when nothing changes (breaches come with time alone).
REFRESH_SECONDS = 60
#: Most tiles a page shows.
MAX_TILES = 4
#: Widest the page's text runs, however wide the screen (short lines read from afar).
MAX_WIDTH = 120
_STYLES = ("name", "stage", "dim", "good", "warn", "bad")


def _binding(name: str, key: str, action: str, description: str, **kw: object) -> Binding:
    """A stand-up key whose id (`standup.<name>`) is its name in a user's keymap."""
    return Binding(key, action, description, id=f"standup.{name}", **kw)  # type: ignore[arg-type]


class StandupScreen(Screen[None]):
    """The stand-up, one page at a time; dismissed back to the board."""

    CSS_PATH = ["standup.tcss", "../spinner.tcss"]
    COMPONENT_CLASSES = {f"standup--{name}" for name in _STYLES}
    AUTO_FOCUS = ""
    BINDINGS = [
        _binding(
            "page-next", "space,right,l,pagedown", "page(1)", "Next page", key_display="space"
        ),
        _binding(
            "page-previous", "left,h,backspace,pageup", "page(-1)", "Previous page", key_display="←"
        ),
        _binding("page-first", "home,g", "first_page", "First page"),
        _binding("target", "t", "target", "Set this month's team goal (managers)"),
        _binding("copy", "y", "copy", "Copy the stand-up as Markdown (for chat)"),
        _binding("back", "escape,q,S", "back", "Back to the board", key_display="esc"),
        _binding("reload", "ctrl+r", "reload", "Reload", show=False),
        _binding("view-mine", "m", "board_view('mine')", "Board: my deals (the view mine)"),
        _binding(
            "view-changed",
            "c",
            "board_view('changed since the last stand-up')",
            "Board: deals changed since the last stand-up",
        ),
    ]

    def __init__(
        self, pipeline: str | None = None, since: str | None = None, target: str | None = None
    ) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.since = since
        #: The monthly target as typed; remembered on the app for the session.
        self.target = target
        self.standup: Standup | None = None
        self.pages: list[Page] = []
        self.index = 0
        self.loader: LiveLoader[Standup] = LiveLoader(
            self, self._read, self._arrived, what="Stand-up", every=REFRESH_SECONDS
        )

    def compose(self) -> ComposeResult:
        with Horizontal(id="standup-bar"):
            yield Static(Text("Stand-up: loading…"), id="standup-where")
            yield Static(id="standup-page-number")
        with Center(id="standup-center"), Vertical(id="standup-page"):
            yield Static(id="standup-heading")
            with Horizontal(id="standup-tiles"):
                for number in range(MAX_TILES):
                    with Vertical(classes="standup-tile", id=f"standup-tile-{number}"):
                        yield Digits("", id=f"standup-digits-{number}")
                        yield Static(classes="standup-label", id=f"standup-label-{number}")
            yield Static(id="standup-body")
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.query_one("#standup-tiles").display = False
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    # -- loading ----------------------------------------------------------------------

    def _read(self, previous: Live[Standup] | None) -> Callable[[], Live[Standup]]:
        """The stand-up; again on every change, and each minute (breaches come with time)."""
        board = board_of(self)
        pipeline, since, target = self.pipeline, self.since, self.target
        return lambda: board.views.standup(pipeline, since, target, previous)

    def _arrived(self, live: Live[Standup]) -> None:
        self.show(live.content)

    # -- drawing ----------------------------------------------------------------------

    def show(self, standup: Standup) -> None:
        """Cut the stand-up into pages for this screen size, staying on the same page."""
        self.standup = standup
        self._paginate()

    def on_resize(self, event: events.Resize) -> None:
        if self.standup is not None:
            self._paginate()

    def _paginate(self) -> None:
        assert self.standup is not None
        key = self.pages[self.index].key if self.pages else None
        width = min(self.size.width - 4, MAX_WIDTH)
        height = self.size.height - 1  # the bar
        styles = {name: self._style(f"standup--{name}") for name in _STYLES}
        self.pages = build_pages(self.standup, width=width, height=height, styles=styles)
        self.index = self._find(key)
        self._draw()

    def _find(self, key: tuple[str, ...] | None) -> int:
        """The page with `key`; else the first page of its section; else the nearest."""
        if key is None:
            return 0
        keys = [page.key for page in self.pages]
        if key in keys:
            return keys.index(key)
        section = key[:-1]
        same = [i for i, k in enumerate(keys) if k[:-1] == section]
        if same:
            return same[-1] if int(key[-1]) > 0 else same[0]
        return min(self.index, len(self.pages) - 1)

    def _draw(self) -> None:
        assert self.standup is not None
        page = self.pages[self.index]
        where = plain_line(f"Stand-up · {self.standup.scope} · {self.standup.label}")
        self.query_one("#standup-where", Static).update(where)
        number = Text(f"{self.index + 1}/{len(self.pages)}", style="bold")
        keys = "space next · ← back · esc" if self.size.width >= 100 else "space · ← · esc"
        number.append(f"   {keys}", style=self._style("standup--dim"))
        self.query_one("#standup-page-number", Static).update(number)
        self.query_one("#standup-heading", Static).update(page.heading)
        tiles = self.query_one("#standup-tiles")
        tiles.display = bool(page.tiles)
        for number_, tile in enumerate(self.query(".standup-tile")):
            shown = page.tiles[number_] if number_ < len(page.tiles) else None
            tile.display = shown is not None
            if shown is None:
                continue
            tile.query_one(Digits).update(shown.value)
            tile.query_one(".standup-label", Static).update(Text(shown.label))
            for tone in ("good", "warn", "bad"):
                tile.set_class(shown.tone == tone, f"-{tone}")
        body = Text("\n\n", end="").join(page.blocks) if page.blocks else Text()
        self.query_one("#standup-body", Static).update(body)

    def _style(self, component: str) -> Style:
        return text_style(self, component)

    # -- actions ----------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        if not self.pages:
            return
        self.index = max(0, min(self.index + step, len(self.pages) - 1))
        self._draw()

    def action_first_page(self) -> None:
        if self.pages:
            self.index = 0
            self._draw()

    def action_target(self) -> None:
        """Set this month's team goal (managers): stored, so every stand-up after holds it."""
        board = board_of(self)
        in_background(
            self, lambda: board.require_manager("set the team goal"), lambda _: self._ask_goal()
        )

    def _ask_goal(self) -> None:
        from dealboard.ui.standup.target import TargetPrompt

        board = board_of(self)
        currency = self.standup.currency if self.standup else "USD"
        goals = self.standup.forecast.goals if self.standup else None
        team = goals.team_goal(currency) if goals else None
        month = goals.month if goals else None
        initial = format_money(team.goal.amount.minor, team.goal.amount.currency) if team else ""

        def store(typed: str) -> None:
            if typed.strip():
                board.set_goal("team", typed, month, currency=currency)
            else:
                board.clear_goal("team", month)

        def stored(_: None) -> None:
            self.target = None  # a target typed on the command line gives way to the goal
            self.app.standup_target = None  # type: ignore[attr-defined]
            self.loader.reload()

        def chosen(typed: str | None) -> None:
            if typed is None or (not typed.strip() and team is None):
                return
            in_background(self, lambda: store(typed), stored)

        self.app.push_screen(TargetPrompt(currency, initial, month), chosen)

    def action_copy(self) -> None:
        if self.standup is not None:
            copy_text(self, standup_markdown(self.standup), "the stand-up (Markdown)")

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every stand-up key as a named command."""
        return binding_commands(self)

    def action_board_view(self, name: str) -> None:
        """Leave the stand-up for the board, shown through a built-in view (`saved_views`)."""
        from dealboard.ui.standup.views import board_through

        board_through(self, name)
