"""A teammate adding deals non-stop, run as its own process by tests/test_backup.py.

`backup_writer.py URL ACTOR`: adds deals through `Board` in short transactions,
prints `writing` after the first commit, and stops at the first line on stdin
(or when stdin closes). Prints a JSON summary: deals added and the slowest add,
so the test can show a backup never held writers up.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time

from sqlalchemy.engine import make_url

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields


def main() -> int:
    url, actor = sys.argv[1], sys.argv[2]
    board = Board(Database(make_url(url)), actor)
    added, slowest = 0, 0.0
    try:
        while True:
            started = time.monotonic()
            board.add_deal(DealFields(title=f"written while backing up {added}", value="1k"))
            slowest = max(slowest, time.monotonic() - started)
            added += 1
            if added == 1:
                print("writing", flush=True)
            ready, _, _ = select.select([sys.stdin], [], [], 0)
            if ready:
                break
    finally:
        board.database.dispose()
    print(json.dumps({"added": added, "slowest_seconds": round(slowest, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
