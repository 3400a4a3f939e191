"""Two writers on one SQLite board: BEGIN IMMEDIATE makes them queue, never fail or overwrite."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from dealboard.db.database import Database
from dealboard.db.migrate import upgrade
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields


def test_read_then_write_transactions_from_two_processes_queue_up(tmp_path: Path) -> None:
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "shared.sqlite3"))
    upgrade(url)
    first, second = Database(url), Database(url)
    with first.write() as session:
        session.execute(text("CREATE TABLE counter (n INTEGER)"))
        session.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[BaseException] = []

    def bump(database: Database) -> None:
        try:
            for _ in range(25):
                with database.write() as session:
                    n = session.execute(text("SELECT n FROM counter")).scalar_one()
                    session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(db,)) for db in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with first.read() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 50
    first.dispose()
    second.dispose()


def test_two_users_ticking_and_editing_one_deal_lose_nothing(tmp_path: Path) -> None:
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "team.sqlite3"))
    maria = open_board(url, "maria", create=True)
    maria.add_user("rick")
    rick = Board(Database(url), "rick")
    deal_id = maria.add_deal(DealFields(title="Shared deal"))
    errors: list[BaseException] = []

    def work(board: Board, item: str, account: str) -> None:
        try:
            board.set_check(deal_id, item)
            board.edit_deal(deal_id, DealFields(account=account))
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(maria, "1", "Maria Inc")),
        threading.Thread(target=work, args=(rick, "2", "Rick Ltd")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    detail = maria.deal(deal_id)
    assert detail.summary.checklist_done == 2
    assert {i.checked_by for i in detail.checklist if i.checked} == {"maria", "rick"}
    edits = [a for a in detail.audit if a.field == "account"]
    assert len(edits) == 2
    assert detail.summary.account == edits[0].new_value
    maria.database.dispose()
    rick.database.dispose()
