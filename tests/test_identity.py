"""Who you are is who you logged in as: not `$USER`, not `--as`, and no board appears by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from conftest import PostgresSchemas
from dealboard.db import migrate
from dealboard.db.database import Database
from dealboard.db.models import Pipeline, User
from dealboard.domain import identity
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.vocabulary import Role
from helpers import row_counts
from test_cli import Cli

#: The real lookups, kept before the test fixtures stand in for them.
REAL_LOGIN_FOR = identity.login_for
REAL_OS_LOGIN = identity.os_login()


def dealboard(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`dealboard` in its own process, as the OS account running the tests."""
    return subprocess.run(
        [sys.executable, "-m", "dealboard", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line on the test board, whose first user and manager is maria."""
    return Cli(db_url, capsys)


def test_the_environment_cannot_make_anyone_a_manager(board: Board, db_url: URL) -> None:
    """A subprocess, so the real login is looked up: the OS account, or the database role."""
    real = REAL_OS_LOGIN if board.database.is_sqlite else str(db_url.username)
    if real == "maria":
        pytest.skip("the tests run as an OS account called maria")
    board.add_user("sam", "Sam Seller", "rep")
    url = db_url.render_as_string(hide_password=False)
    pretend = {"USER": "maria", "LOGNAME": "maria", "USERNAME": "maria", "PGUSER": "maria"}
    added = dealboard("--db", url, "deal", "add", "--title", "Mine", **pretend)
    assert added.returncode == 0, added.stderr
    deal = board.deal(int(added.stdout)).summary
    assert deal.owner == real  # the uid's account or the server's role, whatever $USER says
    refused = dealboard("--db", url, "user", "role", "sam", "manager", **pretend)
    assert refused.returncode == 3
    assert refused.stderr == f"dealboard: only a manager may change roles; {real} is a rep\n"
    borrowed = dealboard("--db", url, "--as", "maria", "user", "role", "sam", "manager")
    assert borrowed.returncode == 3
    assert "only a manager may act as someone else" in borrowed.stderr
    roles = {u.name: u.role for u in board.users()}
    assert roles == {"maria": Role.MANAGER, "sam": Role.REP, real: Role.REP}


def test_a_manager_acting_for_a_teammate_is_recorded_as_both(cli: Cli, board: Board) -> None:
    board.add_user("sam", "Sam Seller", "rep")
    code, out, err = cli("--as", "sam", "deal", "add", "--title", "Fleet for Sam")
    assert (code, err) == (0, "")
    deal_id = int(out)
    assert board.deal(deal_id).summary.owner == "sam"
    code, out, _ = cli("log", "--deal", str(deal_id), "--format", "json")
    assert code == 0
    assert {entry["user"] for entry in json.loads(out)} == {"maria as sam"}
    assert {entry.user for entry in board.deal(deal_id).audit} == {"maria as sam"}


def test_a_rep_cannot_act_for_anyone(cli: Cli, board: Board) -> None:
    board.add_user("sam", "Sam Seller", "rep")
    before = row_counts(board)
    code, out, err = cli("--as", "maria", "deal", "add", "--title", "Forged", user="sam")
    assert (code, out) == (3, "")
    assert err == "dealboard: only a manager may act as someone else (--as maria); sam is a rep\n"
    assert row_counts(board) == before


def test_as_a_login_nobody_has_is_refused_and_creates_no_user(cli: Cli, board: Board) -> None:
    code, out, err = cli("--as", "mraia", "deal", "list")
    assert (code, out) == (2, "")
    assert err.startswith("dealboard: user: no user 'mraia'")
    assert err.count("\n") == 1 and "known users: maria" in err
    assert [u.name for u in board.users()] == ["maria"]


def test_a_read_command_on_a_mistyped_path_fails_and_creates_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "typo").mkdir()
    typo = tmp_path / "typo" / "boadr.sqlite3"
    cli.url = f"sqlite:///{typo}"
    for args in (
        ("deal", "list"),
        ("report", "funnel"),
        ("board",),
        ("deal", "add", "--title", "x"),
    ):
        code, out, err = cli(*args)
        assert (code, out) == (2, ""), args
        assert err == (
            f"dealboard: no board at {typo}; check --db / DEALBOARD_DATABASE_URL, "
            "or create one with `dealboard init`\n"
        )
    assert list(typo.parent.iterdir()) == []
    code, _, _ = cli("init")
    assert code == 0 and typo.exists()


def test_a_database_without_a_board_is_refused_until_init(
    empty_db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(empty_db_url, capsys)
    code, out, err = cli("deal", "list")
    assert (code, out) == (2, "")
    assert "no board at" in err or "holds no dealboard board" in err
    assert err.count("\n") == 1
    assert migrate.schema_state(empty_db_url).current is None  # nothing was migrated in
    assert cli("init")[0] == 0
    assert cli("deal", "list")[0] == 0


def test_the_login_on_sqlite_is_the_os_account(db_url: URL) -> None:
    database = Database(db_url)
    try:
        if not database.is_sqlite:
            pytest.skip("PostgreSQL names its role instead (see the next test)")
        assert REAL_LOGIN_FOR(database) == REAL_OS_LOGIN
    finally:
        database.dispose()


def test_the_login_on_postgresql_is_the_authenticated_role(
    postgres: PostgresSchemas | None, db_url: URL
) -> None:
    if postgres is None:
        pytest.skip("PostgreSQL only")
    role, team = f"rep_{uuid.uuid4().hex[:8]}", f"team_{uuid.uuid4().hex[:8]}"
    schema = db_url.query["options"].split("=", 1)[1]
    with postgres.admin.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{team}" NOLOGIN'))
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN IN ROLE "{team}"'))
        connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'))
    plain = Database(db_url.set(username=role))
    # A member switching to its group role on connecting is still the member who logged in.
    switched = Database(
        db_url.set(username=role).update_query_dict(
            {"options": f"-csearch_path={schema} -crole={team}"}
        )
    )
    try:
        assert REAL_LOGIN_FOR(plain) == role
        assert REAL_LOGIN_FOR(switched) == role
    finally:
        plain.dispose()
        switched.dispose()
        with postgres.admin.begin() as connection:
            for name in (role, team):
                connection.execute(text(f'DROP OWNED BY "{name}"'))
                connection.execute(text(f'DROP ROLE "{name}"'))


@pytest.mark.parametrize("schema", ["migrated", "none"])
def test_people_starting_an_empty_board_together_make_one_manager(
    db_url: URL, empty_db_url: URL, schema: str
) -> None:
    url = db_url if schema == "migrated" else empty_db_url
    people = [f"starter{n}" for n in range(6)]
    ready = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def start(login: str) -> None:
        ready.wait()
        try:
            board = open_board(url, login, create=True)
            board.add_deal(DealFields(title=f"First deal of {login}"))
            board.database.dispose()
        except BaseException as exc:  # collected: a thread's exception would vanish
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(login,)) for login in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    database = Database(url)
    with database.read() as session:
        managers = session.scalar(select(func.count()).where(User.role == Role.MANAGER))
        pipelines = session.scalar(select(func.count(Pipeline.id)))
        users = session.scalar(select(func.count(User.id)))
    database.dispose()
    assert (managers, pipelines, users) == (1, 1, len(people))


def test_a_rep_cannot_fill_a_team_board_with_demo_teammates(cli: Cli, board: Board) -> None:
    board.add_user("sam", "Sam Seller", "rep")
    code, _, err = cli("init", "--demo", user="sam")
    assert code == 3 and "only a manager may fill the board with demo deals" in err
    assert [u.name for u in board.users()] == ["maria", "sam"]
    assert board.list_deals() == []


def test_a_refused_or_dry_run_restore_creates_no_board(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli("deal", "add", "--title", "Kept")
    _, exported, _ = cli("export")
    good = tmp_path / "good.json"
    good.write_text(exported)
    broken = tmp_path / "broken.json"
    broken.write_text(exported.replace('"format": "dealboard"', '"format": "other"'))
    (tmp_path / "new").mkdir()
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "new" / "board.sqlite3"))
    target = Cli(url, capsys)
    assert target("import", str(broken))[0] == 2
    code, out, _ = target("import", str(good), "--dry-run")
    assert code == 0 and "dry run: nothing was written" in out
    assert list((tmp_path / "new").iterdir()) == []
    assert target("import", str(good))[0] == 0
    restored = open_board(url)
    assert [d.title for d in restored.list_deals()] == ["Kept"]
    restored.database.dispose()


def test_init_as_someone_on_a_new_board_is_refused_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = tmp_path / "board.sqlite3"
    url = URL.create("sqlite+pysqlite", database=str(place))
    code, _, err = Cli(url, capsys)("--as", "sam", "init")
    assert code == 2 and "--as: 'sam' is not accepted; a new board has no teammates yet" in err
    assert not place.exists()
