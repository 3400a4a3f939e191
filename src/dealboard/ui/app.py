"""The Textual application: wires the board, themes, key map and command palette.

The app owns one `Board` (the domain facade for one acting user); screens call
it through `dealboard.ui.worker.in_background`, never on the UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from dealboard.domain.board import Board
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.live import DatabaseChanged, LiveUpdates
from dealboard.ui.themes import DEFAULT_THEME, THEME_VARIABLE_DEFAULTS, load_themes


class DealboardApp(App[None]):
    """dealboard's board UI for one user on one database."""

    TITLE = "dealboard"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit", show=False, id="quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="help"),
    ]

    def __init__(self, board: Board, *, pipeline: str | None = None) -> None:
        super().__init__()
        self.board = board
        self.start_pipeline = pipeline
        self.live = LiveUpdates(self, board)
        themes, self.theme_problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if DEFAULT_THEME in self.available_themes:
            self.theme = DEFAULT_THEME

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The board's own colour names, for themes (Textual's or a user's) that lack them."""
        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        for problem in self.theme_problems:
            self.notify(
                f"theme {problem.path.name} not used: {problem.reason}",
                severity="warning",
                markup=False,
            )
        self.push_screen(BoardScreen(self.start_pipeline))
        self.live.start()

    def on_unmount(self) -> None:
        self.live.stop()

    def on_database_changed(self, message: DatabaseChanged) -> None:
        self.live.tell_screens(message.full_reload)

    def action_help(self) -> None:
        from dealboard.ui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every board action is also in the command palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
