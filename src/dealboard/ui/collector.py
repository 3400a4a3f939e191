"""Keeping Python's garbage collector out of the way of key presses.

A full collection walks every container object the app holds: on a board at
200×60, Textual's own line caches alone are ~100,000 of them, and a pass took
50-150 ms, often enough (every few hundred keys) to be felt as a stuck key.
So, once the board is first on screen:

- what exists then (the app, its screens, the modules) is frozen out of every
  later collection: it lives as long as the app;
- full collections no longer start by themselves in the middle of typing
  (young generations are still collected as usual, a millisecond each);
- a full collection runs on a quiet minute's clock instead, so garbage cycles
  are still freed.
"""

from __future__ import annotations

import gc

from textual.app import App

#: Seconds between the full collections the app runs itself.
FULL_COLLECTION_SECONDS = 60.0
#: Young collections between full ones, were the clock never to run (Python's default: 10).
FULL_COLLECTION_THRESHOLD = 1000


def calm_collector(app: App[object]) -> None:
    """Freeze what exists, and move full collections to a clock of their own.

    Process-wide: the command line asks for it (`DealboardApp(calm_collector=True)`);
    tests, which run many apps in one process, do not.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
    app.set_interval(FULL_COLLECTION_SECONDS, full_collection)


def full_collection() -> None:
    """A full collection, from a timer.

    Not `gc.collect` itself: Textual takes a built-in with a `__self__` for a
    bound method and fails on it, which ended the app a minute after it started.
    """
    gc.collect()
