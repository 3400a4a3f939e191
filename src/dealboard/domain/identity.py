"""Who is at the keyboard: the login the operating system or the database vouches for.

Environment variables (`$USER`, `$LOGNAME`) are not identity: anyone can set
them, so `USER=boss dealboard …` must not make anyone a manager. On SQLite the
acting user is the OS account the process runs as (its uid, looked up in the
password database); on PostgreSQL it is the role the server authenticated
(`session_user`), so a team across machines is told apart by the server, not
by each client's say-so.
"""

from __future__ import annotations

import os

from sqlalchemy import func, select

from dealboard.db.database import Database
from dealboard.domain.errors import InvalidInput
from dealboard.domain.users import valid_login


def os_login() -> str:
    """The name of the account this process runs as, from its uid (never the environment)."""
    try:
        import pwd
    except ImportError:  # Windows: no uid; the login name is the best the OS offers
        import getpass

        return getpass.getuser()
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no account (containers): still one stable name per uid
        return f"uid{uid}"


def database_login(database: Database) -> str:
    """The role the PostgreSQL server authenticated for this connection.

    `session_user`, not `current_user`: a member of a group role could switch
    to it (`options=-c role=sales` in the URL) and `current_user` would follow.
    """
    with database.read() as session:
        return str(session.scalar(select(func.session_user())))


def login_for(database: Database) -> str:
    """The board login of whoever runs this process against `database`.

    SQLite has no accounts of its own, so the OS account is the login; a
    server database knows who connected, and that is the login.
    """
    name = os_login() if database.is_sqlite else database_login(database)
    try:
        return valid_login(name, "login")
    except InvalidInput:
        source = "OS account" if database.is_sqlite else "database role"
        raise InvalidInput(
            "login",
            name,
            f"the {source} name cannot be a board login; "
            "use one of 1-64 letters, digits, '_', '.', '@' or '-'",
        ) from None
