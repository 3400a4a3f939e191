"""A won deal makes a Customer, undoing the win puts the contact back, and an undone account
or contact edit relinks the deal to the records its text names."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from clock import FixedClock
from dealboard.db.models import Account, Contact, Deal
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput
from dealboard.vocabulary import ContactType
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def records(board: Board, deal_id: int) -> tuple[str, str | None, str, str | None, str]:
    """(deal's account text, its record's name, contact text, its record's name, deal's type)."""
    with board.database.read() as session:
        deal = session.get(Deal, deal_id)
        assert deal is not None
        account = session.get(Account, deal.account_id) if deal.account_id else None
        contact = session.get(Contact, deal.contact_id) if deal.contact_id else None
        return (
            deal.account,
            account.name if account else None,
            deal.contact,
            contact.name if contact else None,
            deal.contact_type.value,
        )


def contact_type(board: Board, name: str) -> ContactType:
    with board.database.read() as session:
        return session.scalars(select(Contact.contact_type).where(Contact.name == name)).one()


def test_winning_makes_the_contact_and_their_other_deals_customers(board: Board) -> None:
    first = board.add_deal(
        DealFields(title="Fleet", account="Acme Corp", contact="Ann Lee", contact_type="Lead")
    )
    second = board.add_deal(DealFields(title="Vans", account="ACME  corp", contact="ann lee"))
    other = board.add_deal(DealFields(title="Boats", account="Acme Corp", contact="Bob Ray"))
    assert records(board, second)[:4] == ("Acme Corp", "Acme Corp", "ann lee", "Ann Lee")
    assert records(board, second)[4] == "Lead"  # the type is Ann's: a Lead already

    board.win(first, override="signed")

    assert records(board, first)[4] == "Customer"
    assert records(board, second)[4] == "Customer"
    assert records(board, other)[4] == "Suspect"  # another person at the same customer
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER
    audit = [(a.field, a.old_value, a.new_value) for a in board.deal(second).audit]
    assert ("contact_type", "Lead", "Customer") in audit


def test_undoing_a_win_puts_the_contact_back_and_redo_makes_them_customer_again(
    board: Board,
) -> None:
    first = board.add_deal(
        DealFields(title="Fleet", account="Acme", contact="Ann Lee", contact_type="Lead")
    )
    second = board.add_deal(DealFields(title="Vans", account="Acme", contact="Ann Lee"))
    board.win(first, override="signed")

    result = board.undo()

    assert result.deal_id == first
    assert records(board, first)[4] == "Lead"
    assert records(board, second)[4] == "Lead"
    assert contact_type(board, "Ann Lee") is ContactType.LEAD
    assert board.deal(first).summary.stage == "Prospect"

    board.redo()
    assert records(board, first)[4] == "Customer"
    assert records(board, second)[4] == "Customer"
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER


def test_a_second_win_of_a_customer_changes_nothing_about_them(board: Board) -> None:
    first = board.add_deal(DealFields(title="Fleet", account="Acme", contact="Ann Lee"))
    second = board.add_deal(DealFields(title="Renewal", account="Acme", contact="Ann Lee"))
    board.win(first, override="signed")
    board.win(second, override="signed")
    board.undo()  # the second win: Ann stays a Customer, the first win made her one
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER
    assert records(board, second)[4] == "Customer"


def test_undoing_a_win_keeps_a_customer_who_has_another_won_deal(
    board: Board, db_url: URL, clock: FixedClock
) -> None:
    first = board.add_deal(
        DealFields(title="Fleet", account="Acme", contact="Ann Lee", contact_type="Lead")
    )
    second = board.add_deal(DealFields(title="Vans", account="Acme", contact="Ann Lee"))
    board.win(first, override="signed")
    board.add_user("sam", role="manager")
    colleague = open_board(db_url, "sam", clock)
    try:
        colleague.win(second, override="signed")  # Ann stays a Customer through this one
    finally:
        colleague.database.dispose()
    result = board.undo()  # the first win
    assert result.deal_id == first
    assert "contact type" not in result.description
    assert board.deal(first).summary.stage == "Prospect"
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER
    assert records(board, first)[4] == "Customer"
    undo_rows = [a for a in board.deal(first).audit if a.kind == "undo"]
    assert "contact_type" not in {a.field for a in undo_rows}
    assert "stage" in {a.field for a in undo_rows}


def test_undoing_an_account_edit_relinks_the_deal(board: Board) -> None:
    deal = board.add_deal(DealFields(title="Fleet", account="Acme Corp", contact="Ann Lee"))
    board.edit_deal(deal, DealFields(account="globex  INC", contact="Gil Bates"))
    assert records(board, deal)[:4] == ("globex INC", "globex INC", "Gil Bates", "Gil Bates")

    board.undo()
    assert records(board, deal)[:4] == ("Acme Corp", "Acme Corp", "Ann Lee", "Ann Lee")
    with board.database.read() as session:
        deal_row = session.get(Deal, deal)
        assert deal_row is not None
        contact = session.get(Contact, deal_row.contact_id)
        assert contact is not None and contact.account_id == deal_row.account_id

    board.redo()
    assert records(board, deal)[:4] == ("globex INC", "globex INC", "Gil Bates", "Gil Bates")


def test_clearing_the_account_by_undo_unlinks_it(board: Board) -> None:
    deal = board.add_deal(DealFields(title="Fleet"))
    board.edit_deal(deal, DealFields(account="Acme"))
    board.undo()
    assert records(board, deal) == ("", None, "", None, "Suspect")


def test_every_way_of_winning_makes_a_customer(board: Board, cli: Cli) -> None:  # noqa: F811
    dragged = board.add_deal(DealFields(title="Dragged", account="Acme", contact="Ann Lee"))
    board.move(dragged, "Won", override="signed", before=None)  # a drop on the Won column
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER
    typed = board.add_deal(DealFields(title="Typed", account="Globex", contact="Gil Bates"))
    code, _, err = cli("win", str(typed), "--override", "signed")
    assert (code, err) == (0, "")
    assert contact_type(board, "Gil Bates") is ContactType.CUSTOMER
    assert records(board, typed)[4] == "Customer"


def test_a_deal_cannot_say_a_contact_is_less_than_they_are_and_raising_them_undoes(
    board: Board,
) -> None:
    first = board.add_deal(
        DealFields(title="Fleet", account="Acme", contact="Ann Lee", contact_type="Lead")
    )
    vans = board.add_deal(  # a new deal with Ann takes her type, whatever the form said
        DealFields(title="Vans", account="Acme", contact="Ann Lee", contact_type="Prospect")
    )
    assert records(board, vans)[4] == "Lead"
    with pytest.raises(InvalidInput, match=r"contact type: .*Ann Lee is already a Lead"):
        board.edit_deal(vans, DealFields(contact_type="Prospect"))
    assert records(board, vans)[4] == "Lead"  # nothing half-written
    board.edit_deal(vans, DealFields(title="Vans, 12", contact_type="Lead"))  # unchanged: fine

    board.edit_deal(first, DealFields(contact_type="Customer"))
    assert contact_type(board, "Ann Lee") is ContactType.CUSTOMER
    board.undo()
    assert contact_type(board, "Ann Lee") is ContactType.LEAD
    assert records(board, first)[4] == "Lead"


def test_undoing_a_switch_to_a_customer_leaves_the_first_person_as_they_were(
    board: Board,
) -> None:
    bought = board.add_deal(DealFields(title="Fleet", account="Acme", contact="Alice"))
    board.win(bought, override="signed")
    deal = board.add_deal(
        DealFields(title="Vans", account="Acme", contact="Bob", contact_type="Lead")
    )
    board.edit_deal(deal, DealFields(contact="Alice"))
    assert records(board, deal)[3:] == ("Alice", "Customer")

    board.undo()

    assert records(board, deal)[2:] == ("Bob", "Bob", "Lead")
    assert contact_type(board, "Bob") is ContactType.LEAD  # never bought: not a Customer
    assert contact_type(board, "Alice") is ContactType.CUSTOMER
