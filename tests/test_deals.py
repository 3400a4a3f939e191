"""Creating and editing deals: validation, audit, and never overwriting someone else's change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from helpers import row_counts


def test_a_deal_keeps_every_field_as_typed(board: Board) -> None:
    board.add_user("sam", "Sam Seller")
    deal_id = board.add_deal(
        DealFields(
            title="Renewal 2027 + 40 seats",
            value="EUR 12,500.50",
            account="Contoso Clinics",
            contact="Dr. Ana Ruiz",
            owner="sam",
            contact_type="lead",
            source="Referral",
            close_date="+14d",
            add_tags=("#Q4", "enterprise"),
        ),
        stage="Qualify",
    )
    deal = board.deal(deal_id).summary
    assert (deal.title, deal.account, deal.contact, deal.owner) == (
        "Renewal 2027 + 40 seats",
        "Contoso Clinics",
        "Dr. Ana Ruiz",
        "sam",
    )
    assert (deal.value_minor, deal.currency) == (1_250_050, "EUR")
    assert deal.contact_type.value == "Lead"
    assert deal.expected_close == board.today() + timedelta(days=14)  # the user's calendar
    assert deal.tags == ("enterprise", "q4")
    assert deal.stage == "Qualify"


def test_a_bad_field_writes_nothing(board: Board) -> None:
    before = row_counts(board)
    with pytest.raises(InvalidInput, match="close date: 'soon'"):
        board.add_deal(DealFields(title="Fine", value="5k", close_date="soon"))
    with pytest.raises(NotFound, match="owner: no owner 'ghost'; known users: maria"):
        board.add_deal(DealFields(title="Fine", owner="ghost"))
    with pytest.raises(InvalidInput, match=r"title: .*control characters"):
        board.add_deal(DealFields(title="evil\x1b[2J"))
    assert row_counts(board) == before


def test_edits_are_audited_field_by_field(board: Board, clock) -> None:
    deal_id = board.add_deal(DealFields(title="Pilot", value="10k"))
    clock.advance(hours=2)
    board.edit_deal(
        deal_id, DealFields(value="12.5k", next_step="Send proposal", next_step_due="tomorrow")
    )
    detail = board.deal(deal_id)
    tomorrow = board.today() + timedelta(days=1)
    assert detail.summary.next_step_due == tomorrow
    changes = {
        (a.field, a.old_value, a.new_value)
        for a in detail.audit
        if a.action == "update" and a.entity == "deal"
    }
    assert changes == {
        ("value", "USD 10,000.00", "USD 12,500.00"),
        ("next_step", "", "Send proposal"),
        ("next_step_due", None, tomorrow.isoformat()),
    }
    assert all(a.user == "maria" for a in detail.audit)


def test_an_edit_from_a_stale_version_is_refused(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Pilot"))
    version = board.deal(deal_id).summary.version
    board.edit_deal(deal_id, DealFields(account="Globex"), expected_version=version)
    with pytest.raises(Conflict, match=r"\(account\) at .* while you were editing"):
        board.edit_deal(deal_id, DealFields(account="Initech"), expected_version=version)
    assert board.deal(deal_id).summary.account == "Globex"


def test_listing_filters_by_stage_owner_and_status(board: Board) -> None:
    board.add_user("sam", "Sam Seller")
    first = board.add_deal(DealFields(title="A", owner="sam"))
    second = board.add_deal(DealFields(title="B"))
    board.add_deal(DealFields(title="C"), stage="Pitch")
    board.lose(second, "price")
    assert [d.title for d in board.list_deals()] == ["A", "C"]
    assert [d.title for d in board.list_deals(owner="sam")] == ["A"]
    assert [d.title for d in board.list_deals(stage="pitch")] == ["C"]
    assert {d.title for d in board.list_deals(include_closed=True)} == {"A", "B", "C"}
    assert board.deal(first).summary.owner_display == "Sam Seller"


def test_unknown_deal_is_named(board: Board) -> None:
    with pytest.raises(NotFound, match="deal: no deal 999"):
        board.deal(999)
    with pytest.raises(InvalidInput, match="deal: 'abc'"):
        board.move("abc", "Qualify")


def test_only_a_manager_reassigns_a_deal(board: Board, rep_board: Board) -> None:
    mine = rep_board.add_deal(DealFields(title="Rick's own"))
    with pytest.raises(RuleViolation, match="only a manager may reassign a deal; rick is a rep"):
        rep_board.edit_deal(mine, DealFields(owner="maria"))
    with pytest.raises(RuleViolation, match="only a manager may give a new deal"):
        rep_board.add_deal(DealFields(title="For Maria", owner="maria"))
    assert rep_board.deal(mine).summary.owner == "rick"
    board.edit_deal(mine, DealFields(owner="maria"))
    assert board.deal(mine).summary.owner == "maria"
