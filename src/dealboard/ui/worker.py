"""Database calls off the UI thread, their answers back on it.

Every query and write goes through `in_background`: the call runs in a thread
worker and its result (or the rule it broke) is handed to a callback on the
UI thread, so a slow disk or a busy PostgreSQL never freezes a key press.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from dealboard.domain.errors import DealboardError

T = TypeVar("T")

#: Called with the refusal when the domain says no (bad input, a rule, a conflict).
OnRefusal = Callable[[DealboardError], None]


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
        app.notify(str(error), title="Not done", severity="warning", markup=False)

    def work() -> None:
        try:
            result = call()
        except DealboardError as error:
            app.call_from_thread(refused or report, error)
            return
        except Exception as error:  # a lost connection must not close the board
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            app.call_from_thread(
                app.notify,
                first,
                title="Not done: unexpected error",
                severity="error",
                markup=False,
            )
            return
        if done is not None:
            app.call_from_thread(done, result)

    return node.run_worker(work, thread=True, group=group, exit_on_error=False)
