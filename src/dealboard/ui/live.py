"""Live updates: the app's one watcher, its wake-ups handed to the screens on the UI thread.

Screens that show data define `database_changed(full_reload)`; a modal on top
of them is left alone, so a form being filled in keeps its input while the
board behind it redraws.
"""

from __future__ import annotations

from contextlib import suppress

from textual.app import App
from textual.message import Message

from dealboard.domain.board import Board
from dealboard.domain.changes import Watcher, watch


class DatabaseChanged(Message):
    """Posted to the app (from the watcher's thread: posting is thread-safe)."""

    def __init__(self, full_reload: bool) -> None:
        super().__init__()
        self.full_reload = full_reload


class LiveUpdates:
    """Started when the app mounts, stopped when it unmounts.

    The app handles `DatabaseChanged` by calling `tell_screens`.
    """

    def __init__(self, app: App[object], board: Board) -> None:
        self.app = app
        self.board = board
        self._watcher: Watcher | None = None

    def start(self) -> None:
        self._watcher = watch(self.board, self._changed_elsewhere)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    def _changed_elsewhere(self, full_reload: bool) -> None:
        """Runs on the watcher's thread."""
        with suppress(RuntimeError):  # the app's loop has closed
            self.app.post_message(DatabaseChanged(full_reload))

    def tell_screens(self, full_reload: bool) -> None:
        """On the UI thread: every screen that shows data reads it again."""
        for screen in self.app.screen_stack:
            changed = getattr(screen, "database_changed", None)
            if changed is not None:
                changed(full_reload)
