"""A spinner that appears only when the database is slow to answer (locked, or far away).

Calls normally answer in milliseconds, so nothing shows; after `SHOW_AFTER`
seconds the user sees that dealboard is waiting, not frozen, and can keep
moving around the board meanwhile.
"""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from dealboard.ui.worker import pending_calls

#: Seconds a database call may take before the spinner shows.
SHOW_AFTER = 0.4
_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class DatabaseSpinner(Static):
    """In the top right corner of a screen; hidden while the database keeps up.

    Styled in `spinner.tcss`, which the screens that show it list in `CSS_PATH`.
    """

    def __init__(self) -> None:
        super().__init__(id="database-spinner")
        self._frame = 0
        self._ticking: Timer | None = None

    def on_mount(self) -> None:
        pending_calls(self).listeners.append(self._call_began)

    def on_unmount(self) -> None:
        listeners = pending_calls(self).listeners
        if self._call_began in listeners:
            listeners.remove(self._call_began)

    def _call_began(self) -> None:
        """Tick only while calls are under way: an idle board wakes for nothing."""
        if self._ticking is None:
            self._ticking = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        waited = pending_calls(self).longest_wait()
        if not pending_calls(self).any and self._ticking is not None:
            self._ticking.stop()
            self._ticking = None
        slow = waited >= SHOW_AFTER
        if slow:
            self._frame = (self._frame + 1) % len(_FRAMES)
            label = f"{_FRAMES[self._frame]} waiting for the database… {waited:.0f} s"
            self.update(Text(label))
            # Top right, over the title line: it never pushes the columns about.
            self.styles.offset = (max(self.screen.size.width - len(label) - 2, 0), 0)
        if self.display != slow:
            self.display = slow
