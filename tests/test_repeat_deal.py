"""Repeat business: from a won or follow-up deal, the customer's next deal, linked to it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from dealboard.db.models import Account, AuditEntry, Deal
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.domain.repeat_deal import RepeatRequest, is_after_sale, refusal
from dealboard.domain.research import ResearchFields
from dealboard.vocabulary import ContactType, DealOrigin
from helpers import row_counts
from test_cli import Cli


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The CLI on the test board, as its manager."""
    return Cli(db_url, capsys)


def won_customer(board: Board, *, owner: str | None = None) -> int:
    """Acme's fleet deal, researched, with two stakeholders, won."""
    deal_id = board.add_deal(
        DealFields(
            title="Fleet telematics",
            value="48000",
            account="Acme Corp",
            contact="Ana Ruiz",
            owner=owner,
            source="Trade show",
        )
    )
    board.save_research(
        deal_id, ResearchFields(pain_points="Fuel costs", buying_process="CFO signs")
    )
    board.add_stakeholder(deal_id, name="Dana Buyer", role="CFO", influence="high")
    board.add_stakeholder(deal_id, name="Lee Ops", role="Fleet manager", stance="supporter")
    board.win(deal_id, override="Signed early")
    return deal_id


def test_a_renewal_carries_the_customer_its_people_and_notes(board: Board) -> None:
    board.add_user("sam", "Sam Seller")
    origin = won_customer(board, owner="sam")

    new_id = board.start_repeat_deal(origin, RepeatRequest(kind="renewal"))

    detail = board.deal(new_id)
    deal = detail.summary
    assert (deal.title, deal.account, deal.contact) == (
        "Renewal: Fleet telematics",
        "Acme Corp",
        "Ana Ruiz",
    )
    assert (deal.stage, deal.pipeline) == ("Prospect", "seven-step")
    assert deal.owner == "sam"  # the customer stays with its rep, even when a manager starts it
    assert deal.value_minor == 4_800_000  # a renewal renews the contract's value
    assert (deal.source, deal.contact_type) == ("Renewal", ContactType.CUSTOMER)
    assert detail.research.pain_points == "Fuel costs"
    assert detail.research.buying_process == "CFO signs"
    assert [
        (s.name, s.role, s.influence.value, s.stance.value) for s in detail.research.stakeholders
    ] == [
        ("Dana Buyer", "CFO", "high", "neutral"),
        ("Lee Ops", "Fleet manager", "medium", "supporter"),
    ]
    assert detail.lineage is not None
    assert (detail.lineage.origin_deal_id, detail.lineage.origin_kind) == (
        origin,
        DealOrigin.RENEWAL,
    )
    assert (detail.lineage.origin_title, detail.lineage.referred_by) == ("Fleet telematics", "")
    with board.database.read() as session:
        old, new = session.get(Deal, origin), session.get(Deal, new_id)
        assert old is not None and new is not None
        assert (new.account_id, new.contact_id) == (old.account_id, old.contact_id)
        assert new.referred_by_account_id is None
        audited = {
            (e.action, e.field, e.new_value)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.deal_id == new_id))
        }
    assert ("create", "origin", f"renewal from #{origin}") in audited
    assert ("create", "title", "Renewal: Fleet telematics") in audited
    assert board.deal(origin).summary.status == "won"  # the old deal is left as it was


def test_from_follow_up_into_another_pipeline_with_a_title_and_value(board: Board) -> None:
    board.add_template("traditional")
    origin = board.add_deal(DealFields(title="Pilot", account="Globex", contact="Kim"))
    board.move(origin, "Follow-up", override="Signed on the spot")

    new_id = board.start_repeat_deal(
        f"#{origin}",
        RepeatRequest(kind="Cross Sell", title="Driver app", value="9.5k", pipeline="traditional"),
    )

    deal = board.deal(new_id).summary
    assert (deal.title, deal.account, deal.value_minor) == ("Driver app", "Globex", 950_000)
    assert (deal.pipeline, deal.stage, deal.source) == ("traditional", "Find", "Cross-sell")
    assert board.deal(new_id).research.stakeholders == ()


def test_a_referral_is_a_new_customer_named_by_the_old_one(board: Board) -> None:
    origin = won_customer(board)

    new_id = board.start_repeat_deal(
        origin, RepeatRequest(kind="referral", account="  Initech ", contact="Bill")
    )

    detail = board.deal(new_id)
    deal = detail.summary
    assert (deal.title, deal.account, deal.contact) == ("Referral: Initech", "Initech", "Bill")
    assert deal.source == "Referral from Acme Corp"
    assert deal.value_minor == 0
    assert detail.research.stakeholders == ()  # the referrer's people stay with the referrer
    assert detail.research.pain_points == ""
    assert detail.lineage is not None
    assert (detail.lineage.origin_kind, detail.lineage.referred_by) == (
        DealOrigin.REFERRAL,
        "Acme Corp",
    )
    with board.database.read() as session:
        new = session.get(Deal, new_id)
        acme = session.scalars(select(Account).where(Account.name == "Acme Corp")).one()
        assert new is not None and new.referred_by_account_id == acme.id
        assert new.account_id != acme.id and new.origin_deal_id == origin


def test_bad_requests_are_refused_and_write_nothing(board: Board) -> None:
    origin = won_customer(board)
    early = board.add_deal(DealFields(title="Still qualifying", account="Acme Corp"))
    lost = board.add_deal(DealFields(title="Gone", account="Acme Corp"))
    board.lose(lost, "price")
    before = row_counts(board)

    with pytest.raises(InvalidInput, match="kind: 'resale' is not accepted; use upsell, cross"):
        board.start_repeat_deal(origin, RepeatRequest(kind="resale"))
    with pytest.raises(RuleViolation, match=r"this deal is in Prospect, not won or in Follow-up"):
        board.start_repeat_deal(early, RepeatRequest(kind="upsell"))
    with pytest.raises(RuleViolation, match="a lost deal starts no repeat business"):
        board.start_repeat_deal(lost, RepeatRequest(kind="upsell"))
    with pytest.raises(InvalidInput, match="account: '' is not accepted; a referral names"):
        board.start_repeat_deal(origin, RepeatRequest(kind="referral"))
    with pytest.raises(InvalidInput, match="a referral is for a new customer, not the referrer"):
        board.start_repeat_deal(origin, RepeatRequest(kind="referral", account="ACME  corp"))
    with pytest.raises(
        InvalidInput, match="Upsell is for the same customer; a new customer is a referral"
    ):
        board.start_repeat_deal(origin, RepeatRequest(kind="upsell", account="Initech"))
    with pytest.raises(InvalidInput, match="value"):
        board.start_repeat_deal(origin, RepeatRequest(kind="upsell", value="lots"))
    with pytest.raises(NotFound, match="pipeline: no pipeline 'nowhere'"):
        board.start_repeat_deal(origin, RepeatRequest(kind="upsell", pipeline="nowhere"))
    with pytest.raises(NotFound, match="deal: no deal 999"):
        board.start_repeat_deal(999, RepeatRequest(kind="upsell"))
    assert row_counts(board) == before


def test_a_rep_starts_repeat_business_from_their_own_customers_only(
    board: Board, rep_board: Board
) -> None:
    mine = won_customer(board, owner=rep_board.actor_name)
    theirs = won_customer(board)

    new_id = rep_board.start_repeat_deal(mine, RepeatRequest(kind="upsell"))
    assert rep_board.deal(new_id).summary.owner == rep_board.actor_name
    assert len(rep_board.deal(new_id).research.stakeholders) == 2
    with pytest.raises(
        RuleViolation, match=r"cannot start repeat business from deal \d+: it is maria's"
    ):
        rep_board.start_repeat_deal(theirs, RepeatRequest(kind="upsell"))


def test_the_after_sale_stage_of_every_shipped_pipeline(board: Board) -> None:
    for template in ("traditional", "social", "milestones"):
        board.add_template(template)
    allowed = {
        p.name: [s.name for s in p.stages if is_after_sale(s, p.stages)] for p in board.pipelines()
    }
    assert allowed == {
        "seven-step": ["Follow-up", "Won"],
        "traditional": ["Follow-up", "Sold"],
        "social": ["Nurture & Expand", "Won"],
        "milestones": ["Won"],
    }
    social = board.pipeline("social")
    perform = next(s for s in social.stages if s.name == "Perform")
    assert refusal(perform, social.stages) == (
        "repeat business starts from a customer: this deal is in Perform, "
        "not won or in Nurture & Expand"
    )


def test_the_command_line_starts_and_shows_a_repeat_deal(board: Board, cli: Cli) -> None:
    origin = won_customer(board)

    code, out, err = cli("deal", "repeat", str(origin), "--kind", "renewal")
    assert (code, err) == (0, "")
    new_id = origin + 1
    assert out == f"deal {new_id} started: Renewal: Fleet telematics (renewal from #{origin})\n"

    code, out, _ = cli(
        "deal",
        "repeat",
        str(origin),
        "--kind",
        "referral",
        "--account",
        "Initech",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["origin_deal_id"], data["origin_kind"], data["referred_by"]) == (
        origin,
        "referral",
        "Acme Corp",
    )
    assert (data["account"], data["source"]) == ("Initech", "Referral from Acme Corp")

    code, out, _ = cli("deal", "show", str(new_id))
    assert f"  lineage    from #{origin} Fleet telematics (renewal)\n" in out
    code, out, _ = cli("deal", "show", str(data["id"]))
    assert "referred by Acme Corp" in out
    code, out, _ = cli("deal", "show", str(origin), "--format", "json")
    assert (json.loads(out)["origin_deal_id"], json.loads(out)["referred_by"]) == (None, None)

    code, _, err = cli("deal", "repeat", str(new_id), "--kind", "upsell")
    assert code == 3 and err.count("\n") == 1 and "not won or in Follow-up" in err
    code, _, err = cli("deal", "repeat", str(origin), "--kind", "resale")
    assert code == 2 and "kind: 'resale' is not accepted" in err
