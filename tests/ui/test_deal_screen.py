"""A rep opens a deal in a pipeline review: reads it, logs objections, notes and touches."""

from __future__ import annotations

from pilot_helpers import Host, after_a_change_elsewhere, seen, settle
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, TabbedContent, TextArea

from dealboard.db.engine import build_engine
from dealboard.domain.board import Board
from dealboard.domain.records import DealSummary
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.deal.note_view import NoteView
from dealboard.ui.deal.objection_dialog import ObjectionDialog
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.deal.stakeholder_dialog import StakeholderDialog
from dealboard.ui.deal.summary import DealHeader
from dealboard.ui.deal.text_prompt import TextPrompt
from dealboard.vocabulary import ObjectionStatus

TELEHEALTH = "Telehealth platform, 3-year"
KIOSKS = "Multi-site patient intake kiosks"


def rows(pilot: Pilot, table_id: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def deal_named(board: Board, start: str) -> DealSummary:
    return next(d for d in board.list_deals(include_closed=True) if d.title.startswith(start))


def open_deal(board: Board, start: str) -> Host:
    return Host(board, DealScreen(deal_named(board, start).id))


def active_panel(pilot: Pilot) -> str:
    return pilot.app.screen.query_one(TabbedContent).active


async def type_text(pilot: Pilot, words: str) -> None:
    await pilot.press(*words)


async def test_the_summary_shows_the_deal_and_research_is_open(demo_board: Board) -> None:
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = seen(pilot.app.screen.query_one(DealHeader))
        for fact in (
            f"#{deal_named(demo_board, TELEHEALTH).id} {TELEHEALTH}",
            "Coastal Pediatrics Group",
            "Overcome Objections",
            "USD 138,000.00",
            "Next: Call with their compliance officer",
            "☑ 0/2",
            "✋ 1 open",
            "#healthcare",
        ):
            assert fact in header
        assert active_panel(pilot) == "research"
        names = [row[0] for row in rows(pilot, "stakeholder-table")]
        assert names == ["Dr. Alan Moore", "Janet Ross", "Victor Salas"]
        buying = pilot.app.screen.query_one("#note-buying_process", NoteView).text
        assert "partners vote" in buying


async def test_panels_switch_by_number_keys_and_by_clicking_the_tabs(demo_board: Board) -> None:
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert active_panel(pilot) == "objections"
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#objection-table")
        assert len(rows(pilot, "objection-table")) == 3
        await pilot.press("3")
        assert active_panel(pilot) == "activity"
        await pilot.click("#--content-tab-research")
        await pilot.pause()
        assert active_panel(pilot) == "research"
        await pilot.click("#--content-tab-objections")
        await pilot.pause()
        assert active_panel(pilot) == "objections"


async def test_an_objection_is_logged_answered_resolved_and_reopened(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ObjectionDialog)
        await type_text(pilot, "Kiosks cost more than tablets")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        assert rows(pilot, "objection-table") == [
            ["product", "expressed", "open", "Kiosks cost more than tablets"]
        ]
        assert "1 objection · 1 open" in seen(pilot.app.screen.query_one("#objection-count"))
        tab = pilot.app.screen.query_one(TabbedContent).get_tab("objections")
        assert tab.label.plain == "2 Objections (1 open)"
        assert "✋ 1 open" in seen(pilot.app.screen.query_one(DealHeader))
        [objection] = demo_board.deal(deal.id).objections
        assert (objection.text, objection.status) == (
            "Kiosks cost more than tablets",
            ObjectionStatus.OPEN,
        )

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPrompt)
        await type_text(pilot, "Five-year cost is lower")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [objection] = demo_board.deal(deal.id).objections
        assert (objection.response, objection.status) == (
            "Five-year cost is lower",
            ObjectionStatus.ANSWERED,
        )
        assert rows(pilot, "objection-table")[0][2] == "answered"
        assert "Five-year cost is lower" in seen(pilot.app.screen.query_one("#objection-detail"))

        await pilot.press("v")
        await settle(pilot)
        assert demo_board.deal(deal.id).objections[0].status is ObjectionStatus.RESOLVED
        assert rows(pilot, "objection-table")[0][2] == "resolved"
        assert "✋" not in seen(pilot.app.screen.query_one(DealHeader))

        await pilot.press("o")
        await settle(pilot)
        assert demo_board.deal(deal.id).objections[0].status is ObjectionStatus.OPEN


async def test_enter_edits_the_objection_under_the_cursor(demo_board: Board) -> None:
    deal = deal_named(demo_board, TELEHEALTH)
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "down", "down", "enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ObjectionDialog)
        assert dialog.query_one("#field-text", TextArea).text.startswith("Partners may balk")
        dialog.query_one("#field-category", Select).value = "timing"
        dialog.query_one("#field-hidden", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
    edited = demo_board.deal(deal.id).objections[2]
    assert (edited.category.value, edited.hidden) == ("timing", False)
    assert edited.text.startswith("Partners may balk")


async def test_a_refused_objection_keeps_the_dialog_and_the_typing(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "a", "tab")  # on to the response, the objection left empty
        await type_text(pilot, "We would answer")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ObjectionDialog)
        assert "objection text" in seen(dialog.query_one("#problem-text"))
        assert dialog.query_one("#field-response", TextArea).text == "We would answer"
    assert demo_board.deal(deal.id).objections == ()


async def test_q_goes_back_when_nothing_is_typed(demo_board: Board) -> None:
    host = open_deal(demo_board, TELEHEALTH)
    async with host.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DealScreen)
    assert host.results == [None]


async def test_a_reload_keeps_what_is_being_typed(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"jjjj", "e")  # past the four stakeholders: the first note
        await type_text(pilot, " typing")
        demo_board.add_objection(deal.id, category="timing", text="Not before the budget")
        await after_a_change_elsewhere(pilot)  # another user's change shows up by itself
        assert rows(pilot, "objection-table")[0][3] == "Not before the budget"
        note = pilot.app.screen.query_one("#note-editor", TextArea)
        assert note.text.endswith(" typing")


async def test_stakeholders_are_added_edited_and_removed(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    count = len(demo_board.deal(deal.id).research.stakeholders)
    async with open_deal(demo_board, KIOSKS).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StakeholderDialog)
        await type_text(pilot, "Priya Shah")
        await pilot.press("tab")
        await type_text(pilot, "CFO")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ["Priya Shah", "CFO", "medium", "neutral"] in rows(pilot, "stakeholder-table")
        added = demo_board.deal(deal.id).research.stakeholders[-1]
        assert (added.name, added.role) == ("Priya Shah", "CFO")

        await pilot.press("ctrl+end", "enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, StakeholderDialog)
        assert dialog.query_one("#field-name", Input).value == "Priya Shah"
        dialog.query_one("#field-stance", Select).value = "blocker"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_board.deal(deal.id).research.stakeholders[-1].stance.value == "blocker"

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert "Priya Shah" in seen(pilot.app.screen.query_one(".confirm-detail"))
        await pilot.press("y")
        await settle(pilot)
        assert "Priya Shah" not in [row[0] for row in rows(pilot, "stakeholder-table")]
    assert len(demo_board.deal(deal.id).research.stakeholders) == count


async def test_activity_and_history_are_listed_newest_first(demo_board: Board) -> None:
    deal = deal_named(demo_board, TELEHEALTH)
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        shown = [row[0] for row in rows(pilot, "activity-table")]
        assert shown == sorted(shown, reverse=True)
        assert rows(pilot, "activity-table")[0][2].startswith("HIPAA ca")
        moves = [row[1] for row in rows(pilot, "history-table")]
        assert moves[0] == "Pitch → Overcome Objections"
        assert moves[-1] == "created in Prospect"

        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Called about the BAA")
        await pilot.press("ctrl+s")
        await settle(pilot)
        subjects = [row[2] for row in rows(pilot, "activity-table")]
        assert "Called about …" in subjects  # cut to fit 80 columns
        logged = next(
            a for a in demo_board.deal(deal.id).activities if a.subject.startswith("Called")
        )
        assert logged.done_at is not None

        await pilot.press("ctrl+home", "c")  # the scheduled HIPAA call, now done
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPrompt)
        await type_text(pilot, "They will sign")
        await pilot.press("ctrl+s")
        await settle(pilot)
    hipaa = next(a for a in demo_board.deal(deal.id).activities if a.subject.startswith("HIPAA"))
    assert hipaa.done_at is not None and hipaa.outcome == "They will sign"


async def test_markup_and_escape_sequences_are_shown_literally(demo_board: Board) -> None:
    deal = deal_named(demo_board, KIOSKS)
    engine = build_engine(demo_board.database.url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE deals SET title = :t, account = :a WHERE id = :id"),
            {"t": "[@click=app.quit]x Price [/] off", "a": "Evil\x1b[2J\x07Co", "id": deal.id},
        )
    engine.dispose()
    demo_board.add_objection(deal.id, category="cost", text="[b]loud[/b] [@click=app.quit]q")
    demo_board.add_stakeholder(deal.id, name="[red]Eve[/red]")
    async with Host(demo_board, DealScreen(deal.id)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = seen(pilot.app.screen.query_one(DealHeader))
        assert "[@click=app.quit]x Price [/] off" in header
        assert "Evil\ufffd[2J\ufffdCo" in header and "\x1b" not in header
        assert "[red]Eve[/red]" in [row[0] for row in rows(pilot, "stakeholder-table")]
        await pilot.click(DealHeader)
        await pilot.press("2")
        assert rows(pilot, "objection-table")[0][3] == "[b]loud[/b] [@click=app.quit]q"
        assert "[@click=app.quit]q" in seen(pilot.app.screen.query_one("#objection-detail"))
        await pilot.click("#objection-detail")
        await pilot.pause()
        assert pilot.app.is_running and isinstance(pilot.app.screen, DealScreen)


async def test_summary_is_above_at_80_columns_and_beside_at_200(demo_board: Board) -> None:
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = pilot.app.screen.query_one("#deal-summary").region
        panels = pilot.app.screen.query_one("#deal-panels").region
        assert summary.bottom <= panels.y and panels.width == 80
    async with open_deal(demo_board, TELEHEALTH).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        summary = pilot.app.screen.query_one("#deal-summary").region
        panels = pilot.app.screen.query_one("#deal-panels").region
        assert summary.right <= panels.x and panels.height > 50
        header = seen(pilot.app.screen.query_one(DealHeader))
        assert "Leave Overcome Objections when" in header
        assert "[ ] Proposal / quote sent" in header


async def test_bant_is_answered_from_its_panel(demo_board: Board) -> None:
    prospect = "Fleet telematics rollout"  # not qualified yet: nothing answered
    deal = deal_named(demo_board, prospect)
    async with open_deal(demo_board, prospect).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert active_panel(pilot) == "bant"
        assert [r[1] for r in rows(pilot, "bant-table")] == ["unknown"] * 4
        await pilot.press("down", "enter")  # authority
        await settle(pilot)
        dialog = pilot.app.screen
        dialog.query_one("#field-state", Select).value = "partial"
        dialog.query_one("#field-note", Input).focus()
        await pilot.press(*"Dana [b]signs[/b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        shown = rows(pilot, "bant-table")[1]
        assert shown[1] == "partial" and shown[2] == "Dana [b]signs[/b]"
    authority = demo_board.deal(deal.id).bant[1]
    assert (authority.state.value, authority.note) == ("partial", "Dana [b]signs[/b]")
