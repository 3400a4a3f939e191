"""Whether a board is where the user pointed: no command makes one by accident.

Only `dealboard init`, the board UI on the user's default location, and the
restore of a whole JSON export (once the file passed every check) may create
a board (`open_board(create=True)`); every other command is refused here.

SQLite creates a file on first connect, and the migrations would then fill
it with an empty board: a mistyped `--db` on `deal list` or `report` used to
answer "no deals" with exit 0, and a manager's script believed it. So the
file's existence is checked before anything connects, and a database with
no dealboard schema (an empty PostgreSQL database, a stray SQLite file) is
refused before the migrations run.
"""

from __future__ import annotations

from sqlalchemy.engine import URL

from dealboard.db.database import Database
from dealboard.db.engine import sqlite_file
from dealboard.db.leftovers import settle_board
from dealboard.db.migrate import stored_revision
from dealboard.domain.errors import DealboardError


class NoBoard(DealboardError):
    """There is no board at the URL given; nothing was created."""


def where(url: URL) -> str:
    """The board's place for messages: its file, or its URL without the password."""
    path = sqlite_file(url)
    return str(path) if path is not None else url.render_as_string(hide_password=True)


def require_board_file(url: URL) -> None:
    """Refuse a SQLite URL whose file does not exist, before connecting creates it.

    A restore killed between its renames by an older dealboard can leave the
    board missing beside its complete copy; that is put right first, so the
    board is found rather than reported gone.
    """
    path = sqlite_file(url)
    if path is not None:
        settle_board(path)  # a restore killed mid-swap is finished (or undone) first
    if path is not None and not path.exists():
        raise NoBoard(
            f"no board at {path}; check --db / DEALBOARD_DATABASE_URL, "
            "or create one with `dealboard init`"
        )


def board_exists(url: URL) -> bool:
    """True if `url` holds a board (looked at without creating a SQLite file)."""
    try:
        require_board_file(url)
        database = Database(url)
        try:
            require_board_schema(url, database)
        finally:
            database.dispose()
    except NoBoard:
        return False
    return True


def require_board_schema(url: URL, database: Database) -> None:
    """Refuse a database that holds no dealboard board (it was never initialised)."""
    with database.engine.connect() as connection:
        revision = stored_revision(connection)
    if revision is None:
        raise NoBoard(
            f"{where(url)} holds no dealboard board; create one there with "
            "`dealboard init`, or check --db / DEALBOARD_DATABASE_URL"
        )
