"""The one way a screen reads what it shows: `LiveLoader`.

Every screen that shows data owns one loader and nothing else for reading:

- **one read at a time**: a read runs in a thread worker; asks that arrive
  meanwhile are folded into exactly one more read after it;
- **newest request wins**: `reload()` (the user asked for something else:
  another pipeline, another filter) makes the result of any read under way
  stale; it is dropped, never drawn over the newer one;
- **changes are folded**: a commit anywhere (the app's watcher), the screen's
  own write, a scroll that needs more cards: all are `refresh()`, which costs a
  look at the change log when nothing changed;
- **no echo**: the read hands back the previous content object when nothing
  relevant changed (`dealboard.domain.views.Live`), so the watcher waking for
  the screen's own commit redraws nothing and reads nothing twice.

Harlequin's exclusive workers posting typed results are the model; the domain
does the deciding (what changed, what to re-read) inside one read-only
transaction, the loader only schedules.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Generic, TypeVar

from textual.timer import Timer
from textual.widget import Widget

from dealboard.domain.errors import DealboardError
from dealboard.domain.views.live import Live
from dealboard.ui.live import live_updates
from dealboard.ui.text import notify_plain
from dealboard.ui.worker import first_line, pending_calls

V = TypeVar("V")

#: Builds a read from what the screen shows now (on the UI thread); the read runs in a thread.
ReadFactory = Callable[[Live[V] | None], Callable[[], Live[V]]]
#: Draws a read's result on the UI thread.
Show = Callable[[Live[V]], Awaitable[None] | None]


class LiveLoader(Generic[V]):
    """Reads for one screen, one at a time, newest request first, following every change."""

    def __init__(
        self,
        node: Widget,
        read: ReadFactory[V],
        show: Show[V],
        *,
        what: str,
        refused: Callable[[DealboardError], None] | None = None,
        every: float | None = None,
    ) -> None:
        """`what` names the screen in messages; `every` re-reads from scratch on a clock
        (SLA breaches come with time alone); `refused` hears the domain's refusals."""
        self.node = node
        self._read = read
        self._show = show
        self.what = what
        self._refused = refused
        self._every = every
        #: The newest read shown (None until the first one arrives).
        self.live: Live[V] | None = None
        self._asked = 0
        self._running = False
        self._again = False
        self._from_scratch = False
        self._timer: Timer | None = None
        self._stopped = False

    # -- asking ---------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A read is under way or waiting to start (tests wait for this to clear)."""
        return self._running or self._again

    def refresh(self) -> None:
        """Something may have changed (a commit, the screen's own write, a scroll): look again."""
        self._request()

    def reload(self) -> None:
        """Read everything anew: the screen asks for something else (another filter, window,
        pipeline), or the user, a reconnect or the clock says so. Reads under way are stale."""
        self._from_scratch = True
        self._asked += 1
        self._request()

    def start(self, first: Live[V] | None = None) -> None:
        """Read for the first time, and from now on whenever anyone commits a change.

        `first` is a read made before the screen opened (the board, as the process
        starts): it is drawn at once, then one more read asks what changed since.
        """
        live_updates(self.node.app).follow(self)
        if first is None:
            self._request()
            return
        self._running, self._again = True, True
        self.node.call_later(self._finished, self._asked, first)

    def stop(self) -> None:
        """The screen is going: nothing more is read or drawn."""
        self._stopped = True
        live_updates(self.node.app).forget(self)
        if self._timer is not None:
            self._timer.stop()

    # -- reading --------------------------------------------------------------

    def _request(self) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._start()

    def _start(self) -> None:
        self._running, self._again = True, False
        previous = None if self._from_scratch else self.live
        self._from_scratch = False
        asked = self._asked
        call = self._read(previous)
        app = self.node.app
        pending = pending_calls(self.node)
        token = pending.begin()

        def work() -> None:
            outcome: Live[V] | BaseException
            try:
                outcome = call()
            except Exception as error:  # reported on the UI thread; the loader keeps going
                outcome = error
            finally:
                pending.end(token)
            with suppress(RuntimeError):  # the app has closed meanwhile
                app.call_from_thread(self._finished, asked, outcome)

        self.node.run_worker(work, thread=True, group=f"live-{self.what}", exit_on_error=False)

    async def _finished(self, asked: int, outcome: Live[V] | BaseException) -> None:
        self._running = False
        if self._stopped:
            return
        if asked == self._asked:
            await self._arrived(outcome)
        if self._again or asked != self._asked:
            self._start()
        elif self._every is not None:
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.node.set_timer(self._every, self.reload)

    async def _arrived(self, outcome: Live[V] | BaseException) -> None:
        if isinstance(outcome, DealboardError):
            if self._refused is not None:
                self._refused(outcome)
            else:
                notify_plain(
                    self.node, str(outcome), title=f"{self.what} not read", severity="warning"
                )
            return
        if isinstance(outcome, BaseException):
            notify_plain(
                self.node, first_line(outcome), title=f"{self.what} not read", severity="error"
            )
            return
        shown, self.live = self.live, outcome
        if shown is not None and outcome.content is shown.content:
            return
        drawn = self._show(outcome)
        if inspect.isawaitable(drawn):
            await drawn
