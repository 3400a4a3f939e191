"""The demo's deals are linked to customer records, with a repeat customer and a referral."""

from __future__ import annotations

from sqlalchemy import select

from dealboard.db.models import Account, Contact, Deal, Stage
from dealboard.domain.accounts import fold_name
from dealboard.domain.board import Board
from dealboard.domain.demo import seed_demo
from dealboard.domain.demo_data import DEALS
from dealboard.vocabulary import ContactType, DealOrigin, StageKind


def test_every_demo_deal_links_to_the_records_its_text_names(board: Board) -> None:
    seed_demo(board, "seven-step")
    with board.database.read() as session:
        accounts = {a.id: a for a in session.scalars(select(Account))}
        contacts = {c.id: c for c in session.scalars(select(Contact))}
        deals = list(session.scalars(select(Deal)))
        won = set(session.scalars(select(Stage.id).where(Stage.kind == StageKind.WON)))
        session.expunge_all()
    # The revision's history deals (`demo_revision`) are anonymous leads: no account, no contact.
    named = [d for d in deals if d.account or d.contact]
    assert len(named) == len(DEALS)
    assert all(d.account_id is not None and d.contact_id is not None for d in named)
    assert all(d.account_id is None and d.contact_id is None for d in deals if d not in named)
    for deal in named:
        assert deal.account == accounts[deal.account_id].name
        contact = contacts[deal.contact_id]
        assert contact.account_id == deal.account_id
        assert contact.name_key == fold_name(deal.contact)
        if deal.stage_id in won:
            assert contact.contact_type is ContactType.CUSTOMER


def test_the_demo_has_a_repeat_customer_and_a_referral(board: Board) -> None:
    seed_demo(board, "seven-step")
    with board.database.read() as session:
        deals = {d.title: d for d in session.scalars(select(Deal))}
        names = dict(session.execute(select(Account.id, Account.name)).all())
        won = set(session.scalars(select(Stage.id).where(Stage.kind == StageKind.WON)))
        session.expunge_all()
    renewal = deals["Renewal 2027 + 40 seats"]
    origin = deals["Annual renewal, 250 seats"]
    assert (renewal.origin_deal_id, renewal.origin_kind) == (origin.id, DealOrigin.RENEWAL)
    assert renewal.account_id == origin.account_id and origin.stage_id in won
    assert renewal.created_at > origin.closed_at  # they came back after the win
    referral = deals["東京 office expansion 🚀"]
    referrer = deals["Campus Wi-Fi analytics"]
    assert referral.origin_kind is DealOrigin.REFERRAL
    assert referral.origin_deal_id == referrer.id and referrer.stage_id in won
    assert names[referral.referred_by_account_id] == "Westbrook University"
    assert referral.account_id != referrer.account_id
