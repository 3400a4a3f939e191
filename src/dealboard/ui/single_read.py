"""One background read at a time for a screen that follows everyone's changes.

A burst of commits must not start a burst of overlapping reads (each would
redraw over the other, newest last or not): while a read runs, further asks are
folded into exactly one more read after it. A lost connection is reported and
the screen keeps following changes; a refusal is a one-line warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from dealboard.domain.errors import DealboardError
from dealboard.ui.worker import in_background

T = TypeVar("T")


class SingleRead:
    """Runs a screen's reads one after another; `reload` is the screen's own re-read."""

    def __init__(
        self,
        node: DOMNode,
        reload: Callable[[], None],
        *,
        what: str,
        group: str,
        idle: Callable[[], None] | None = None,
    ) -> None:
        self.node = node
        self._reload = reload
        self._what = what
        self._group = group
        self._idle = idle
        self.reading = False
        self._again = False

    def start(self, fetch: Callable[[], T], show: Callable[[T], None]) -> None:
        """Read with `fetch` in a worker and `show` the result — or ask for one more read."""
        if self.reading:
            self._again = True
            return
        self.reading = True

        def read() -> T | Exception:
            try:
                return fetch()
            except DealboardError:
                raise
            except Exception as error:  # a lost connection: say so, and keep following
                return error

        def arrived(result: T | Exception) -> None:
            self._finished()
            if isinstance(result, Exception):
                first = (str(result).strip().splitlines() or [type(result).__name__])[0]
                self.node.notify(
                    first, title=f"{self._what} not read", severity="error", markup=False
                )
            else:
                show(result)

        def refused(error: DealboardError) -> None:
            self._finished()
            self.node.notify(
                str(error), title=f"{self._what} not read", severity="warning", markup=False
            )

        in_background(self.node, read, arrived, refused=refused, group=self._group)

    def _finished(self) -> None:
        self.reading = False
        if self._again:
            self._again = False
            self._reload()
        elif self._idle is not None:
            self._idle()
