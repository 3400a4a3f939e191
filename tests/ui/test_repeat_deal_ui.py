"""A rep turns a customer's follow-up deal into their next deal with one key, and a referral."""

from __future__ import annotations

from pilot_helpers import board_screen, column_named, press_and_settle, seen, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.research import ResearchFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.repeat_dialog import RepeatDialog
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.deal.summary import DealHeader
from dealboard.vocabulary import DealOrigin


def customer_in_follow_up(board: Board) -> int:
    """Acme's fleet deal, researched, with a stakeholder, signed and now in Follow-up."""
    deal_id = board.add_deal(
        DealFields(title="Fleet telematics", value="48k", account="Acme Corp", contact="Ana Ruiz")
    )
    board.save_research(deal_id, ResearchFields(pain_points="Fuel costs"))
    board.add_stakeholder(deal_id, name="Dana Buyer", role="CFO")
    board.move(deal_id, "Follow-up", override="Signed on the first call")
    return deal_id


def toasts(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


def deals_from(board: Board, origin: int) -> list[int]:
    return [
        d.id
        for d in board.list_deals(include_closed=True)
        if (lineage := board.deal(d.id).lineage) is not None and lineage.origin_deal_id == origin
    ]


async def test_n_then_a_kind_then_enter_starts_the_renewal_and_the_board_lands_on_it(
    board: Board,
) -> None:
    origin = customer_in_follow_up(board)
    async with DealboardApp(board).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "7")  # Follow-up
        assert board_screen(pilot).focused_deal.id == origin  # type: ignore[union-attr]

        await press_and_settle(pilot, "N")
        dialog = pilot.app.screen
        assert isinstance(dialog, RepeatDialog)
        assert dialog.query_one("#field-title", Input).value == "Upsell: Fleet telematics"
        await pilot.press("down", "down")  # upsell, cross-sell, renewal
        assert dialog.query_one("#field-title", Input).value == "Renewal: Fleet telematics"
        await pilot.press("enter")  # the kind is chosen: on to the title
        assert dialog.query_one("#field-title", Input).has_focus
        await press_and_settle(pilot, "enter")  # the title as filled in: create

        await wait_until(pilot, lambda: bool(deals_from(board, origin)), what="the new deal")
        [new_id] = deals_from(board, origin)
        detail = board.deal(new_id)
        assert (detail.summary.title, detail.summary.account, detail.summary.stage) == (
            "Renewal: Fleet telematics",
            "Acme Corp",
            "Prospect",
        )
        assert detail.lineage is not None and detail.lineage.origin_kind is DealOrigin.RENEWAL
        assert [s.name for s in detail.research.stakeholders] == ["Dana Buyer"]
        assert detail.research.pain_points == "Fuel costs"

        screen = board_screen(pilot)
        await wait_until(
            pilot,
            lambda: screen.focused_deal is not None and screen.focused_deal.id == new_id,
            what="the cursor on the new card",
        )
        assert "Renewal: Fleet telematics" in [
            d.title for d in column_named(pilot, "Prospect").cards.deals
        ]
        assert (
            f"Deal #{new_id} started: Renewal: Fleet telematics (Acme Corp), from #{origin}"
            in toasts(pilot)
        )

        await press_and_settle(pilot, "enter")  # open it: its summary says where it came from
        assert isinstance(pilot.app.screen, DealScreen)
        assert f"From #{origin} Acme Corp renewal" in seen(pilot.app.screen.query_one(DealHeader))


async def test_an_early_deal_says_why_there_is_no_repeat_business_yet(board: Board) -> None:
    early = board.add_deal(DealFields(title="Still qualifying", account="Acme Corp"))
    async with DealboardApp(board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "N")
        assert not isinstance(pilot.app.screen, RepeatDialog)
        assert (
            f"No new deal from #{early}: repeat business starts from a customer: this deal is "
            "in Prospect, not won or in Follow-up"
        ) in toasts(pilot)
    assert len(board.list_deals(include_closed=True)) == 1


async def test_a_referral_names_its_new_customer_and_the_referrer(board: Board) -> None:
    origin = customer_in_follow_up(board)
    async with DealboardApp(board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_and_settle(pilot, "7", "enter")  # the deal screen of the follow-up deal
        assert isinstance(pilot.app.screen, DealScreen)
        await press_and_settle(pilot, "N")
        dialog = pilot.app.screen
        assert isinstance(dialog, RepeatDialog)
        await pilot.press("end", "enter")  # referral: on to the new customer's name
        account = dialog.query_one("#field-account", Input)
        assert account.has_focus
        await pilot.press(*"Initech")
        assert dialog.query_one("#field-title", Input).value == "Referral: Initech"
        await press_and_settle(pilot, "enter")

        await wait_until(pilot, lambda: bool(deals_from(board, origin)), what="the referral")
        [new_id] = deals_from(board, origin)
        detail = board.deal(new_id)
        assert (detail.summary.account, detail.summary.source) == (
            "Initech",
            "Referral from Acme Corp",
        )
        assert detail.lineage is not None and detail.lineage.referred_by == "Acme Corp"
        assert detail.research.stakeholders == ()  # the referrer's people stay with the referrer
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, DealScreen) and pilot.app.screen.deal_id == new_id,
            what="the new deal's screen",
        )
        assert "Referred by Acme Corp" in seen(pilot.app.screen.query_one(DealHeader))
