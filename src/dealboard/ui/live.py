"""Live updates: the app's one watcher, its wake-ups handed to every screen's loader.

Each `LiveLoader` joins when its screen mounts and leaves when it goes; a
commit anywhere asks each of them to look again (a look at the change log that
costs nothing when the commit was already read). A modal on top of a screen is
left alone, so a form being filled in keeps its input while the board behind it
redraws.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.app import App
from textual.message import Message

from dealboard.domain.board import Board
from dealboard.domain.changes import Watcher, watch

if TYPE_CHECKING:
    from dealboard.ui.live_loader import LiveLoader


class DatabaseChanged(Message):
    """Posted to the app (from the watcher's thread: posting is thread-safe)."""

    def __init__(self, full_reload: bool) -> None:
        super().__init__()
        self.full_reload = full_reload


class LiveUpdates:
    """Started when the app mounts, stopped when it unmounts.

    The app handles `DatabaseChanged` by calling `tell_loaders`.
    """

    def __init__(self, app: App[Any], board: Board) -> None:
        self.app = app
        self.board = board
        self._watcher: Watcher | None = None
        self._loaders: list[LiveLoader[Any]] = []

    def start(self) -> None:
        self._watcher = watch(self.board.database.url, self._changed_elsewhere)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    def follow(self, loader: LiveLoader[Any]) -> None:
        """`loader` reads again whenever the database changes."""
        self._loaders.append(loader)

    @property
    def busy(self) -> bool:
        """Some screen is reading, or about to (tests wait until none is)."""
        return any(loader.busy for loader in self._loaders)

    def all_read_past(self, change_id: int) -> bool:
        """Every screen has read the changes up to audit row `change_id` and is idle."""
        return all(
            loader.live is not None and loader.live.cursor.high >= change_id and not loader.busy
            for loader in self._loaders
        )

    def forget(self, loader: LiveLoader[Any]) -> None:
        with suppress(ValueError):
            self._loaders.remove(loader)

    def _changed_elsewhere(self, full_reload: bool) -> None:
        """Runs on the watcher's thread."""
        with suppress(RuntimeError):  # the app's loop has closed
            self.app.post_message(DatabaseChanged(full_reload))

    def tell_loaders(self, full_reload: bool) -> None:
        """On the UI thread: every screen looks again (from scratch after a lost connection)."""
        for loader in list(self._loaders):
            if full_reload:
                loader.reload()
            else:
                loader.refresh()


class LiveApp(Protocol):
    """What the loaders need of an app: its board and its watcher."""

    board: Board
    live: LiveUpdates


def live_updates(app: App[Any]) -> LiveUpdates:
    """The app's watcher (the board app, or a test's host app)."""
    return cast(LiveApp, app).live
