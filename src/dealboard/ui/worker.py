"""Database calls off the UI thread, their answers back on it.

Every query and write goes through `in_background`: the call runs in a thread
worker and its result (or the rule it broke) is handed to a callback on the
UI thread, so a slow disk or a busy PostgreSQL never freezes a key press.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from dealboard.domain.errors import DealboardError
from dealboard.ui.text import notify_plain

T = TypeVar("T")

#: Called with the refusal when the domain says no (bad input, a rule, a conflict).
OnRefusal = Callable[[DealboardError], None]


class PendingCalls:
    """Database calls under way, so a spinner can show when one is slow (a locked database).

    Started on the UI thread, finished on worker threads: hence the lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started: dict[int, float] = {}
        self._next = 0
        #: Told (on the UI thread) whenever a call begins: spinners wake only then.
        self.listeners: list[Callable[[], None]] = []

    def begin(self) -> int:
        with self._lock:
            self._next += 1
            self._started[self._next] = time.monotonic()
            token = self._next
        for listener in list(self.listeners):
            listener()
        return token

    def end(self, token: int) -> None:
        with self._lock:
            self._started.pop(token, None)

    @property
    def any(self) -> bool:
        """Whether a call is under way."""
        with self._lock:
            return bool(self._started)

    def longest_wait(self) -> float:
        """Seconds the oldest unfinished call has been running (0 when none is)."""
        with self._lock:
            oldest = min(self._started.values(), default=None)
        return 0.0 if oldest is None else time.monotonic() - oldest


def first_line(error: BaseException) -> str:
    """An error as one line for a notification (a driver's message can run to many)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def pending_calls(node: DOMNode) -> PendingCalls:
    """The app's one `PendingCalls` (made on first use)."""
    app = node.app
    pending = getattr(app, "_dealboard_pending", None)
    if pending is None:
        pending = PendingCalls()
        app._dealboard_pending = pending  # type: ignore[attr-defined]
    return pending


def in_background(
    node: DOMNode,
    call: Callable[[], T],
    done: Callable[[T], None] | None = None,
    *,
    refused: OnRefusal | None = None,
    group: str = "database",
) -> Worker[None]:
    """Run `call` in a thread; then `done(result)` or `refused(error)` on the UI thread.

    A refusal nobody handles becomes a one-line notification; any other failure
    (a lost database connection, say) is reported the same way rather than
    closing the board under the user.
    """
    app = node.app

    def report(error: DealboardError) -> None:
        notify_plain(app, str(error), title="Not done", severity="warning")

    pending = pending_calls(node)
    token = pending.begin()

    def work() -> None:
        try:
            finish()
        finally:
            pending.end(token)

    def finish() -> None:
        try:
            result = call()
        except DealboardError as error:
            app.call_from_thread(refused or report, error)
            return
        except Exception as error:  # a lost connection must not close the board
            app.call_from_thread(
                notify_plain,
                app,
                first_line(error),
                title="Not done: unexpected error",
                severity="error",
            )
            return
        if done is not None:
            try:
                app.call_from_thread(done, result)
            except Exception as error:  # a bug in the answer's handling: say so, never hide it
                app.call_from_thread(
                    notify_plain,
                    app,
                    f"{type(error).__name__}: {error}",
                    title="Not done: unexpected error",
                    severity="error",
                )

    return node.run_worker(work, thread=True, group=group, exit_on_error=False)
