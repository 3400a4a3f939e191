"""Importing deals matches their accounts and contacts to records, or creates them, in bulk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, func, select

from dealboard.db.models import Account, Contact, Deal
from dealboard.domain.deals import DealFields
from dealboard.domain.exchange.csv_plan import CsvOptions
from dealboard.vocabulary import ContactType
from test_cli import cli  # noqa: F401 - the fixture is used by name
from test_import_csv import Desk, desk, utc  # noqa: F401 - fixtures by name

FILE = (
    "Title,Organization,Contact,Status,Contact type\n"
    "Fleet,ACME  corp,ann lee,open,Prospect\n"
    "Vans,Globex,Gil Bates,won,Lead\n"
    "Boats,globex,gil  bates,open,Suspect\n"
    "Solo,,Walk In,open,\n"
    "Nobody,,,open,\n"
)


def test_an_import_links_each_deal_to_its_account_by_folded_name(desk: Desk) -> None:  # noqa: F811
    board = desk.board
    existing = board.add_deal(
        DealFields(title="Old", account="Acme Corp", contact="Ann Lee", contact_type="Lead")
    )
    _, out = desk.imported(FILE)
    assert "  accounts: 1 new, 1 already on the board (matched by name)" in out
    with board.database.read() as session:
        accounts = dict(session.execute(select(Account.name, Account.id)).all())
        assert set(accounts) == {"Acme Corp", "Globex"}
        deals = {d.title: d for d in session.scalars(select(Deal))}
        assert deals["Fleet"].account == "Acme Corp"  # the record's spelling
        assert deals["Fleet"].account_id == accounts["Acme Corp"]
        assert deals["Fleet"].contact_id == deals["Old"].contact_id  # the same Ann Lee
        assert deals["Boats"].account == "Globex"
        assert deals["Boats"].contact_id == deals["Vans"].contact_id
        assert (deals["Solo"].account_id, deals["Nobody"].account_id) == (None, None)
        assert deals["Solo"].contact_id is not None and deals["Nobody"].contact_id is None
        contacts = {c.name: c for c in session.scalars(select(Contact))}
        assert set(contacts) == {"Ann Lee", "Gil Bates", "Walk In"}
        assert contacts["Ann Lee"].contact_type is ContactType.LEAD  # never moved back
        # Gil's deal was won: he is a Customer, and so is his other deal.
        assert contacts["Gil Bates"].contact_type is ContactType.CUSTOMER
        assert deals["Vans"].contact_type is ContactType.CUSTOMER
        assert deals["Boats"].contact_type is ContactType.CUSTOMER
    assert existing


def test_a_won_import_makes_existing_deals_with_that_contact_customers(desk: Desk) -> None:  # noqa: F811
    board = desk.board
    old = board.add_deal(DealFields(title="Old", account="Globex", contact="Gil Bates"))
    desk.imported(FILE)
    detail = board.deal(old)
    assert detail.summary.contact_type is ContactType.CUSTOMER
    assert ("contact_type", "Suspect", "Customer") in [
        (a.field, a.old_value, a.new_value) for a in detail.audit
    ]


def test_the_dry_run_counts_new_and_matched_accounts_and_writes_none(desk: Desk) -> None:  # noqa: F811
    board = desk.board
    board.add_deal(DealFields(title="Old", account="Globex"))
    path = desk.write(FILE)
    code, out, err = desk.cli("import", path, "--dry-run")
    assert (code, err) == (0, "")
    assert "  accounts: 1 new, 1 already on the board (matched by name)" in out
    with board.database.read() as session:
        assert session.scalar(select(func.count(Account.id))) == 1


def test_linking_a_big_import_takes_a_few_statements_not_one_per_row(desk: Desk) -> None:  # noqa: F811
    rows = "".join(f"Deal {n},Account {n % 300},Person {n % 500},open,\n" for n in range(2000))
    path = desk.write("Title,Organization,Contact,Status,Contact type\n" + rows)
    board = desk.board
    plan = board.plan_csv_import(Path(path).read_bytes(), path, CsvOptions())
    assert (plan.accounts_new, plan.accounts_matched) == (300, 0)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    engine = board.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = board.import_csv(plan)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (result.deals, result.new_accounts) == (2000, 300)
    touching = [s for s in statements if "accounts" in s or "contacts" in s]
    assert len(touching) < 20, touching
    with board.database.read() as session:
        assert session.scalar(select(func.count(Contact.id))) == 1500  # person x account pairs
        unlinked = select(func.count(Deal.id)).where(Deal.account_id.is_(None))
        assert session.scalar(unlinked) == 0


def test_a_workbook_import_matches_the_accounts_already_on_the_board(desk: Desk) -> None:  # noqa: F811
    board = desk.board
    first = board.add_deal(DealFields(title="Fleet", account="Acme Corp", contact="Ann Lee"))
    path = desk.folder / "deals.xlsx"
    path.write_bytes(board.export_xlsx())
    _, out = desk.imported(path)
    assert "  accounts: 0 new, 1 already on the board (matched by name)" in out
    with board.database.read() as session:
        deals = list(session.scalars(select(Deal).order_by(Deal.id)))
        assert len(deals) == 2 and deals[0].id == first
        assert deals[1].account_id == deals[0].account_id
        assert deals[1].contact_id == deals[0].contact_id
