"""Developer tool: writes a new migration by comparing the models with a scratch database.

Usage from a source checkout: `python -m dealboard.db.revision "what changed"`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from dealboard.db.engine import build_engine
from dealboard.db.migrate import alembic_config, upgrade


def make_revision(message: str, rev_id: str | None = None) -> None:
    """Autogenerate a revision against a scratch SQLite board at the current head."""
    with tempfile.TemporaryDirectory() as folder:
        url = URL.create("sqlite+pysqlite", database=str(Path(folder) / "scratch.sqlite3"))
        if ScriptDirectory.from_config(alembic_config()).get_current_head() is not None:
            upgrade(url)
        engine = build_engine(url)
        try:
            with engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit('usage: python -m dealboard.db.revision "message" [REV_ID]')
    make_revision(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None)
