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
from dealboard.domain.views import BoardView, Live
from dealboard.settings import remember_theme, settings_path, shown
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.clipboard import Copier
from dealboard.ui.collector import calm_collector
from dealboard.ui.keymap import load_keymap
from dealboard.ui.live import DatabaseChanged, LiveUpdates
from dealboard.ui.text import notify_plain
from dealboard.ui.theme_choice import install_themes
from dealboard.ui.themes import theme_variable_defaults


class DealboardApp(App[None]):
    """dealboard's board UI for one user on one database."""

    TITLE = "dealboard"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
    ]

    def __init__(
        self,
        board: Board,
        *,
        pipeline: str | None = None,
        theme: str | None = None,
        calm_collector: bool = False,
        first_view: Live[BoardView] | None = None,
    ) -> None:
        """`theme` (from `--theme`) applies to this run only; palette choices are saved.

        `calm_collector` tunes the process's garbage collector once the board is up
        (`dealboard.ui.collector`): the command line's choice, not a test's.
        `first_view` is the board read before the app started (`dealboard.cli.launch`).
        """
        super().__init__()
        self._first_view = first_view
        self._calm_collector = calm_collector
        self.board = board
        self.start_pipeline = pipeline
        self.live = LiveUpdates(self, board)
        #: How `y` and `Y` reach a clipboard (tests swap it to try each way).
        self.copier = Copier()
        #: One-line reasons a theme file or the settings were not used, and where a
        #: palette choice is saved for this kind of terminal.
        self.theme_start = install_themes(self, theme)
        #: From here on a theme change is the user's choice, and is saved.
        self._remember_theme_changes = True

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The board's own variables, for themes that leave some out."""
        return theme_variable_defaults(self.current_theme)

    def watch_theme(self, name: str) -> None:
        """Save a theme picked in the command palette, so the next start uses it."""
        if not getattr(self, "_remember_theme_changes", False):
            return
        try:
            remember_theme(name, self.theme_start.settings_key)
        except OSError as error:
            notify_plain(
                self,
                f"theme not saved to {shown(settings_path())}: {error.strerror or error}",
                severity="warning",
            )

    def on_mount(self) -> None:
        for problem in self.theme_start.problems:
            notify_plain(self, problem, title="Themes", severity="warning")
        self._use_keymap()
        self.push_screen(BoardScreen(self.start_pipeline, self._first_view))
        self._first_view = None
        self.live.start()

    def _use_keymap(self) -> None:
        """The user's own keys from `keymap.toml`; a file that cannot be used changes nothing."""
        keymap = load_keymap()
        if keymap.problem is not None:
            notify_plain(self, keymap.problem, title="Keymap", severity="warning")
        elif keymap.keymap:
            self.set_keymap(keymap.keymap)

    def on_unmount(self) -> None:
        self.live.stop()

    def on_board_screen_shown(self) -> None:
        """The board is up: from now on full garbage collections wait for a quiet moment.

        Half a second on, so the collection that starts it never holds up the first
        picture on its way to the terminal (Textual writes it from another thread).
        """
        if self._calm_collector:
            self.set_timer(0.5, lambda: calm_collector(self))

    def on_database_changed(self, message: DatabaseChanged) -> None:
        self.live.tell_loaders(message.full_reload)

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
