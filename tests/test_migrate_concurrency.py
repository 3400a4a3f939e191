"""Six processes open a board with an old schema at the same moment: one migrates, the others
wait for it, and every one of them goes on to work (none fails "busy").

Runs on the selected engine: a SQLite file (the write lock serialises the
upgrade) or a PostgreSQL schema (an advisory lock does). The openers' usual
lock wait is cut to 50 ms, as if the upgrade were of a board big enough to
take longer than a writer waits: without its own long wait, most would fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.db import migrate
from dealboard.domain import identity
from dealboard.domain.board import open_board
from dealboard.domain.deals import DealFields

PROCESSES = 6
#: A writer's usual lock wait, made shorter than any migration takes, as on a big board.
SHORT_WAIT_MS = 50
#: Each process waits on stdin after its imports, so all start the upgrade together.
OPENER = f"""
import sys
from dealboard.cli.main import main
from dealboard.db import engine
engine.SQLITE_BUSY_TIMEOUT_MS = engine.POSTGRES_LOCK_TIMEOUT_MS = {SHORT_WAIT_MS}
print("ready", flush=True)
sys.stdin.readline()
sys.exit(main(sys.argv[1:]))
"""

pytestmark = pytest.mark.slow


def old_board(url: URL) -> str:
    """A board with a deal, stepped back to the first migration: every later one is pending."""
    board = open_board(url, "maria", create=True)
    # The openers are whoever this process runs as: the OS account, or PostgreSQL's role.
    opener = (
        identity.os_login() if board.database.is_sqlite else identity.database_login(board.database)
    )
    board.add_user(opener, "The openers", "rep")
    board.add_deal(DealFields(title="Kept through the upgrade", account="Acme"))
    board.database.dispose()
    oldest = migrate.history()[0].revision
    migrate.downgrade(url, oldest)
    assert migrate.schema_state(url).current == oldest
    return oldest


def test_processes_opening_an_old_board_together_all_wait_for_one_upgrade(
    empty_db_url: URL, tmp_path: Path
) -> None:
    old_board(empty_db_url)
    db = empty_db_url.render_as_string(hide_password=False)
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, "--db", db, "deal", "list"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline() == "ready\n"
        for opener in openers:
            assert opener.stdin is not None
            opener.stdin.write("go\n")
            opener.stdin.flush()
        results = [opener.communicate(timeout=120) for opener in openers]
    finally:
        for opener in openers:
            if opener.poll() is None:
                opener.kill()
                opener.wait()
    failures = [
        (opener.returncode, err)
        for opener, (_, err) in zip(openers, results, strict=True)
        if opener.returncode != 0 or err
    ]
    assert failures == [], failures
    assert all("Kept through the upgrade" in out for out, _ in results)
    assert migrate.schema_state(empty_db_url).up_to_date
    if empty_db_url.get_backend_name() == "sqlite":
        path = Path(str(empty_db_url.database))
        copies = list(path.parent.glob(f"{path.name}.*.bak"))
        assert len(copies) == 1, "upgraded once, so copied once"
