"""A rep adds a deal and corrects one, with the form checking as they type."""

from __future__ import annotations

from datetime import timedelta

from pilot_helpers import Host, seen, settle
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.records import DealSummary
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.form import DealForm


def problem(pilot: Pilot, name: str) -> str:
    widget = pilot.app.screen.query_one(f"#problem-{name}", Static)
    return seen(widget) if widget.display else ""


def new_deal_form(board: Board) -> DealForm:
    pipeline = board.pipeline()
    return DealForm(None, pipeline, pipeline.stages[1])


async def type_into(pilot: Pilot, name: str, text: str) -> None:
    """Go to the field, clear it and type `text` key by key."""
    field = pilot.app.screen.query_one(f"#field-{name}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def only_deal(board: Board, title: str) -> DealSummary:
    return next(d for d in board.list_deals(include_closed=True) if d.title == title)


async def test_a_bad_value_is_named_under_its_field_and_nothing_is_saved(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Fleet renewal")
        await type_into(pilot, "value", "12.5q")
        assert problem(pilot, "value") == ""  # not while typing a first attempt
        await pilot.press("tab")
        shown = problem(pilot, "value")
        assert "value: '12.5q' is not accepted" in shown
        assert "12.5k" in shown
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealForm)
        assert board.list_deals() == []
        await type_into(pilot, "value", "12.5k")
        assert problem(pilot, "value") == ""  # fixed: the message goes at once


async def test_every_field_is_checked_on_save(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "close_date", "next year")
        await type_into(pilot, "tags", "#q4 #q4/q1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "title:" in problem(pilot, "title")
        assert "close date: 'next year' is not accepted" in problem(pilot, "close_date")
        assert "+14d" in problem(pilot, "close_date")
        assert "tag: '#q4/q1' is not accepted" in problem(pilot, "tags")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#field-title")
        assert board.list_deals() == []


async def test_a_new_deal_is_saved_in_the_chosen_stage(board: Board) -> None:
    host = Host(board, new_deal_form(board))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Fleet renewal")
        await type_into(pilot, "value", "$1.2M")
        await type_into(pilot, "account", "Acme Freight")
        await type_into(pilot, "contact", "Dana Lee")
        pilot.app.screen.query_one("#field-contact_type", Select).value = "Lead"
        await type_into(pilot, "close_date", "+14d")
        await type_into(pilot, "next_step", "Send the pilot plan")
        await type_into(pilot, "next_step_due", "tomorrow")
        await type_into(pilot, "tags", "#Q4 #expansion")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DealForm)
    deal = only_deal(board, "Fleet renewal")
    assert host.results == [deal.id]
    assert deal.stage == board.pipeline().stages[1].name
    assert (deal.value_minor, deal.currency) == (120_000_000, "USD")
    assert (deal.account, deal.contact, deal.contact_type.value) == (
        "Acme Freight",
        "Dana Lee",
        "Lead",
    )
    assert deal.expected_close == board.today() + timedelta(days=14)
    assert deal.next_step_due == board.today() + timedelta(days=1)
    assert deal.tags == ("expansion", "q4")
    assert deal.owner == "maria"


async def test_an_edit_saves_only_what_changed_and_the_tag_difference(board: Board) -> None:
    deal_id = board.add_deal(
        DealFields(title="Lab portal", account="Helix Labs", value="9k", add_tags=("q4", "old"))
    )
    deal = only_deal(board, "Lab portal")
    host = Host(board, DealForm(deal, board.pipeline()))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.query_one("#field-tags", Input).value == "#old #q4"
        await type_into(pilot, "title", "Lab results portal")
        await type_into(pilot, "tags", "#q4 #renewal")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert host.results == [deal_id]
    edited = only_deal(board, "Lab results portal")
    assert edited.tags == ("q4", "renewal")
    assert (edited.account, edited.value_minor) == ("Helix Labs", 900_000)
    assert edited.version == deal.version + 1


async def test_someone_elses_change_is_not_overwritten(board: Board, rep_board: Board) -> None:
    board.add_deal(DealFields(title="Kiosks"))
    deal = only_deal(board, "Kiosks")
    board.set_role("rick", "manager")  # he may change maria's deal
    async with Host(board, DealForm(deal, board.pipeline())).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rep_board.edit_deal(deal.id, DealFields(title="Kiosks, phase 1"))
        await type_into(pilot, "title", "Kiosks for all clinics")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealForm)
        told = " ".join(seen(pilot.app.screen.query_one("#editor-problem")).split())
        assert f"Rick Rep changed deal {deal.id} (title) at" in told
        assert "nothing was overwritten" in told
        assert pilot.app.screen.query_one("#field-title", Input).value == "Kiosks for all clinics"
        assert only_deal(board, "Kiosks, phase 1").id == deal.id
        await pilot.press("ctrl+s")  # told whose change it was, the user saves deliberately
        await settle(pilot)
        assert not isinstance(pilot.app.screen, DealForm)
    assert only_deal(board, "Kiosks for all clinics").id == deal.id


async def test_an_unknown_owner_is_refused_under_the_owner_field(board: Board) -> None:
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Parking sensors")
        await type_into(pilot, "owner", "nobody")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "nobody" in problem(pilot, "owner")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#field-owner")
    assert board.list_deals() == []


async def test_escape_with_changes_asks_before_discarding(board: Board) -> None:
    host = Host(board, new_deal_form(board))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert "Discard changes?" in seen(pilot.app.screen.query_one(".confirm-question"))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DealForm)
        assert pilot.app.screen.query_one("#field-title", Input).value == "Half typed"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DealForm | ConfirmDialog)
    assert host.results == [None]
    assert board.list_deals() == []


async def test_escape_without_changes_just_closes(board: Board) -> None:
    host = Host(board, new_deal_form(board))
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DealForm | ConfirmDialog)
    assert host.results == [None]


async def test_a_title_with_markup_and_escapes_is_shown_literally(board: Board) -> None:
    board.add_deal(DealFields(title="[@click=app.quit]x Price [/] off"))
    deal = only_deal(board, "[@click=app.quit]x Price [/] off")
    async with Host(board, DealForm(deal, board.pipeline())).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        heading = seen(pilot.app.screen.query_one(".dialog-heading"))
        assert "[@click=app.quit]x Price [/] off" in heading
        await pilot.click(".dialog-heading")
        await pilot.pause()
        assert pilot.app.is_running and isinstance(pilot.app.screen, DealForm)


async def test_the_form_fits_80x24_by_scrolling_and_200x60_whole(board: Board) -> None:
    for size in ((80, 24), (200, 60)):
        async with Host(board, new_deal_form(board)).run_test(size=size) as pilot:
            await settle(pilot)
            screen = pilot.app.screen
            whole = screen.region
            assert whole.contains_region(screen.query_one("#editor-save").region)
            tags = screen.query_one("#field-tags", Input)
            tags.focus()
            await pilot.pause()
            assert whole.contains_region(tags.region)
            if size == (200, 60):
                assert whole.contains_region(screen.query_one("#field-title").region)
