"""Running a write again when it lost a race for a lock, before telling the user.

A write is one short transaction, so running it again from the start is safe:
nothing of the failed attempt was kept. SQLite already waits `busy_timeout`
inside `BEGIN IMMEDIATE`; PostgreSQL aborts one side of a deadlock at once, so
a short, jittered back-off lets the two writers go one after the other.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from dealboard.db.database import TransientWriteError
from dealboard.domain.errors import Busy

S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")

#: Pauses between attempts, in seconds (each gets up to as much again of jitter).
BACKOFF = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8)
#: No new attempt starts this many seconds after the first. Each attempt already
#: waits for the lock (SQLite's 2 s busy timeout, PostgreSQL's 0.5 s lock_timeout),
#: so the last one may end up to that much later: "busy" comes within about 5 s,
#: where retrying without a deadline kept a stuck writer's user waiting some 16 s.
DEADLINE_SECONDS = 3.5


def retried(write: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Wrap a one-transaction write so transient lock errors are retried, then reported as Busy."""

    @functools.wraps(write)
    def attempt(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        started = time.monotonic()
        for pause in (*BACKOFF, None):
            try:
                return write(self, *args, **kwargs)
            except TransientWriteError as exc:
                if pause is None or time.monotonic() - started + pause > DEADLINE_SECONDS:
                    raise Busy(
                        "the database is busy: other writers kept it locked; "
                        "nothing was saved, try again in a moment"
                    ) from exc
                time.sleep(pause + random.uniform(0, pause))
        raise AssertionError("unreachable: the last attempt returns or raises")

    return attempt
