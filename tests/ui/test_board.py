"""A sales rep's pipeline review on the board, keys first, then the mouse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pilot_helpers import (
    board_screen,
    card_titles,
    column_named,
    deal_titled,
    record_calls,
    settle,
    shown_text,
    wait_until,
)
from sqlalchemy import text

from dealboard.db.engine import build_engine
from dealboard.domain.badges import deal_badges
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.views import board_read
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.cards import CARD_HEIGHT
from dealboard.ui.board.column import ClosedSummary
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.gate.checklist import ChecklistGate, CriterionBox
from dealboard.ui.gate.closing import ConfirmWon, LostDialog
from dealboard.vocabulary import LossReason, StageKind
from helpers import write_research

MANAGER, REP = "maria", "rick"


async def test_the_board_shows_open_stages_with_sums_and_cards(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        shown = [c.stage.name for c in screen.visible_columns()]
        assert shown == [s.name for s in demo_board.pipeline().open_stages]
        prospect = column_named(pilot, "Prospect")
        assert len(prospect.cards.deals) == 6
        header = str(prospect.query_one("ColumnHeader").render())
        assert "Prospect 6" in header and "$234.8k + £180k" in header and "5%" in header
        text_shown = shown_text(pilot, "Prospect")
        assert "Fleet telematics" in text_shown and "☑0/3" in text_shown
        summary = str(screen.query_one("#closed-summary").render())
        assert "Won" in summary and "Lost" in summary


async def test_arrow_and_vim_keys_walk_the_board(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        assert screen.focused_deal.title == "Fleet telematics rollout"
        await pilot.press("j", "down")
        assert screen.focused_deal.title == "Student attendance app pilot"
        await pilot.press("G")
        assert screen.focused_deal.title == card_titles(pilot, "Prospect")[-1]
        await pilot.press("g", "l")
        assert screen.focused_column.stage.name == "Qualify"
        await pilot.press("right", "h")
        assert screen.focused_column.stage.name == "Qualify"
        await pilot.press("4")
        assert screen.focused_column.stage.name == "Pitch"
        await pilot.press("1", "j")
        assert screen.focused_deal.title == "Online booking for 12 clinics"


async def test_the_focused_column_is_always_in_view_at_80_columns(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        await pilot.press("7")
        await settle(pilot)
        follow_up = column_named(pilot, "Follow-up")
        holder = screen.query_one("#columns")
        assert holder.region.contains_region(follow_up.region)


async def test_a_complete_checklist_moves_at_once_and_focus_follows(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")  # 東京 office expansion: 3/3 ticked
        await pilot.press("L")
        await settle(pilot)
        assert deal_titled(demo_board, "東京 office expansion 🚀").stage == "Qualify"
        screen = board_screen(pilot)
        assert screen.focused_column.stage.name == "Qualify"
        assert screen.focused_deal.title == "東京 office expansion 🚀"
        assert "東京 office expansion" in shown_text(pilot, "Qualify")


async def test_the_gate_blocks_then_ticks_are_saved_and_move_is_allowed(
    demo_board: Board,
) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")  # Fleet telematics rollout: 0/3
        await settle(pilot)
        gate = pilot.app.screen
        assert isinstance(gate, ChecklistGate)
        assert gate.query_one("#gate-move").disabled
        assert [b.item.text for b in gate.query(CriterionBox)] == [
            "Fits the target customer profile",
            "A contact person is known",
            "Source recorded",
        ]
        await pilot.press("space")  # tick the first
        await settle(pilot)
        await pilot.press("escape")  # cancel: the card stays, the tick stays
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ChecklistGate)
        deal = deal_titled(demo_board, "Fleet telematics rollout")
        assert deal.stage == "Prospect" and deal.checklist_done == 1

        await pilot.press("L")
        await settle(pilot)
        gate = pilot.app.screen
        for box in gate.query(CriterionBox):
            if not box.value:
                await pilot.click(box)
        await settle(pilot)
        assert not gate.query_one("#gate-move").disabled
        await pilot.click("#gate-move")
        await settle(pilot)
        assert deal_titled(demo_board, "Fleet telematics rollout").stage == "Qualify"


async def test_a_move_that_skips_a_stage_says_so(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        deal = screen.focused_deal
        pitch = column_named(pilot, "Pitch").stage
        screen.moves.attempt(deal, pitch, None)
        await settle(pilot)
        gate = pilot.app.screen
        assert isinstance(gate, ChecklistGate)
        note = str(gate.query_one("#gate-note").render())
        assert "skips Qualify, Research" in note
        stages = [str(label.render()) for label in gate.query(".gate-stage")]
        assert stages == ["Prospect", "Qualify", "Research"]


async def test_only_a_manager_sees_the_override(demo_board: Board, clock) -> None:
    demo_board.add_user(REP, "Rick Rep", "rep")
    rep = Board(demo_board.database, REP, clock)
    async with DealboardApp(rep).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert not pilot.app.screen.query("#gate-override")
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.click("#gate-override")
        await pilot.press(*"customer asked", "enter")
        await settle(pilot)
    assert deal_titled(demo_board, "Fleet telematics rollout").stage == "Qualify"
    history = demo_board.deal(deal_titled(demo_board, "Fleet telematics rollout").id).history
    assert any(t.override_reason == "customer asked" and t.user == MANAGER for t in history)


async def test_moving_back_needs_no_gate(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l", "H")
        await settle(pilot)
    assert deal_titled(demo_board, "Cold-chain monitoring, 40 trucks").stage == "Prospect"


async def test_reordering_a_card_within_its_column(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        titles = card_titles(pilot, "Prospect")
        assert titles[:2] == ["Online booking for 12 clinics", "Fleet telematics rollout"]
        assert board_screen(pilot).focused_deal.title == "Fleet telematics rollout"
        await pilot.press("shift+up")
        await settle(pilot)
    stored = [d.title for d in demo_board.list_deals(stage="Prospect")]
    assert stored[:2] == ["Fleet telematics rollout", "Online booking for 12 clinics"]


async def test_closing_as_lost_asks_for_a_reason(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LostDialog)
        await pilot.click("#lost-save")  # no reason chosen yet
        assert "reason" in str(pilot.app.screen.query_one("#lost-error").render())
        await pilot.press("down", "space")  # second choice: no decision
        pilot.app.screen.query_one("#lost-note").value = "Went quiet after the pilot"
        await pilot.click("#lost-save")
        await settle(pilot)
    deal = deal_titled(demo_board, "Fleet telematics rollout")
    assert deal.stage_kind is StageKind.LOST
    assert deal.loss_reason is LossReason.NO_DECISION
    assert deal.loss_note == "Went quiet after the pilot"


async def test_won_needs_every_stage_done_and_a_confirmation(demo_board: Board) -> None:
    deal_id = demo_board.add_deal(DealFields(title="Quick win"), stage="Follow-up")
    write_research(demo_board, deal_id)  # Research's criteria follow the notes
    for item in demo_board.deal(deal_id).checklist:
        if not item.checked:
            demo_board.set_check(deal_id, item.text, stage=item.stage)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("7", "G", "w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmWon)
        await pilot.press("n")
        await settle(pilot)
        assert deal_titled(demo_board, "Quick win").stage_kind is StageKind.OPEN
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert deal_titled(demo_board, "Quick win").stage_kind is StageKind.WON


async def test_filter_by_owner_tag_and_words_then_escape(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"@kenji")
        await settle(pilot)
        screen = board_screen(pilot)
        owners = {d.owner for c in screen.visible_columns() for d in c.cards.deals}
        assert owners == {"kenji"}
        await pilot.press("enter", "j")  # the filter stays; keys walk the board again
        await pilot.press("slash", "ctrl+u", *"clinic")
        await settle(pilot)
        titles = [d.title for c in screen.visible_columns() for d in c.cards.deals]
        assert titles and all("clinic" in t.lower() or "Clinic" in t for t in titles)
        shown = screen.visible_columns()
        assert all(c.cards.deals for c in shown) and len(shown) < 7  # no empty columns
        await pilot.press("escape")
        await settle(pilot)
        assert len(column_named(pilot, "Prospect").cards.deals) == 6
        assert len(screen.visible_columns()) == 7


async def test_filter_quiet_keeps_the_deals_gone_quiet(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"quiet")
        await settle(pilot)
        screen = board_screen(pilot)
        shown = [d for c in screen.visible_columns() for d in c.cards.deals]
        assert "Warehouse WMS upgrade" in [d.title for d in shown]
        total = len(demo_board.list_deals())
        assert 0 < len(shown) < total
        stages = {s.id: s for s in demo_board.pipeline("seven-step").stages}
        for deal in shown:
            names = {b.name for b in deal_badges(deal, stages[deal.stage_id], demo_board.now())}
            assert "quiet" in names, deal.title


async def test_zoom_and_closed_cards_and_pipeline_switch(demo_board: Board) -> None:
    demo_board.add_template("milestones")
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert [c.stage.name for c in screen.query("StageColumn") if c.display] == ["Prospect"]
        await pilot.press("l")
        await settle(pilot)
        assert [c.stage.name for c in screen.query("StageColumn") if c.display] == ["Qualify"]
        await pilot.press("z", "o")
        await settle(pilot)
        assert [c.stage.name for c in screen.visible_columns()][-2:] == ["Won", "Lost"]
        assert column_named(pilot, "Won").cards.deals
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("G", "k", "j", "enter")  # the picker walks like the board
        await settle(pilot)
        assert screen.view is not None and screen.view.pipeline.name == "milestones"
        assert next(c.stage.name for c in screen.visible_columns()) == "Engage"


async def test_user_text_is_shown_literally_never_as_markup_or_escapes(board: Board) -> None:
    board.add_deal(DealFields(title="[@click=app.quit]x", account="Price [/] off"))
    board.add_deal(DealFields(title="Safe"))
    engine = build_engine(board.database.url)
    with engine.begin() as connection:  # written by another tool, bypassing validation
        connection.execute(
            text("UPDATE deals SET account = :a WHERE title = 'Safe'"), {"a": "Evil\x1b[2J\x07Co"}
        )
    engine.dispose()
    async with DealboardApp(board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = shown_text(pilot, "Prospect")
        assert "[@click=app.quit]x" in shown
        assert "Price [/] off" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "Evil" in shown
        await pilot.click(column_named(pilot, "Prospect").cards, offset=(3, 1))
        await settle(pilot)
        assert pilot.app.is_running


async def test_dragging_a_card_to_the_next_column_moves_it(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        prospect = column_named(pilot, "Prospect").cards
        qualify = column_named(pilot, "Qualify").cards
        fourth_card = (3, CARD_HEIGHT * 3 + 2)  # 東京 office expansion (checklist complete)
        await pilot.mouse_down(prospect, offset=fourth_card)
        await pilot.hover(prospect, offset=(10, CARD_HEIGHT * 3 + 2))
        await pilot.hover(qualify, offset=(5, 1))
        await pilot.pause()
        ghost = board_screen(pilot).query_one("#drag-ghost")
        assert ghost.display
        assert column_named(pilot, "Qualify").has_class("-drop-target")
        assert qualify.drop_slot == 0
        await pilot.mouse_up(qualify, offset=(5, 1))
        await settle(pilot)
        assert not ghost.display
    assert next(d.title for d in demo_board.list_deals(stage="Qualify")) == (
        "東京 office expansion 🚀"
    )


async def test_dropping_a_card_with_open_criteria_opens_the_same_gate(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        prospect = column_named(pilot, "Prospect").cards
        qualify = column_named(pilot, "Qualify").cards
        await pilot.mouse_down(prospect, offset=(3, 2))
        await pilot.hover(qualify, offset=(5, 6))
        await pilot.mouse_up(qualify, offset=(5, 6))
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChecklistGate)
        await pilot.press("escape")
        await settle(pilot)
    assert deal_titled(demo_board, "Fleet telematics rollout").stage == "Prospect"


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_card_dropped_on_the_won_lost_panel_asks_to_close_it(
    demo_board: Board, size: tuple[int, int]
) -> None:
    async with DealboardApp(demo_board).run_test(size=size) as pilot:
        await settle(pilot)
        prospect = column_named(pilot, "Prospect").cards
        summary = pilot.app.screen.query_one(ClosedSummary)
        lost_line = summary.first_line_of("lost") + 1
        await pilot.mouse_down(prospect, offset=(3, 2))
        await pilot.hover(summary, offset=(3, lost_line))
        assert summary.has_class("-drop-target")
        await pilot.mouse_up(summary, offset=(3, lost_line))
        await settle(pilot)
        assert isinstance(pilot.app.screen, LostDialog)  # not a silent nothing
        await pilot.press("escape")
        await settle(pilot)
        await pilot.mouse_down(prospect, offset=(3, 2))
        await pilot.hover(summary, offset=(3, 1))
        await pilot.mouse_up(summary, offset=(3, 1))
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChecklistGate | ConfirmWon)  # winning asks first
        await pilot.press("escape")
        await settle(pilot)
    assert deal_titled(demo_board, "Fleet telematics rollout").stage == "Prospect"


async def test_escape_cancels_a_drag_and_the_card_stays(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        prospect = column_named(pilot, "Prospect").cards
        qualify = column_named(pilot, "Qualify").cards
        await pilot.mouse_down(prospect, offset=(3, CARD_HEIGHT * 3 + 2))
        await pilot.hover(qualify, offset=(5, 6))
        await pilot.press("escape")
        await pilot.mouse_up(qualify, offset=(5, 6))
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ChecklistGate)
    assert deal_titled(demo_board, "東京 office expansion 🚀").stage == "Prospect"


async def test_focus_survives_a_reload_and_a_change_by_someone_else(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l", "j", "j")
        screen = board_screen(pilot)
        focused = screen.focused_deal.title
        demo_board.add_deal(DealFields(title="Arrived meanwhile"), stage="Qualify")
        demo_board.reorder(deal_titled(demo_board, "Arrived meanwhile").id, 0)
        await pilot.press("r")
        await settle(pilot)
        assert screen.focused_deal.title == focused
        assert card_titles(pilot, "Qualify")[0] == "Arrived meanwhile"


async def test_question_mark_lists_every_key_and_the_palette_every_action(
    demo_board: Board,
) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(s.render()) for s in pilot.app.screen.query("Static"))
        for words in ("Move on", "Checklist", "Filter", "Zoom column", "Switch pipeline"):
            assert words in help_text
        await pilot.press("escape")
        commands = [c.title for c in pilot.app.get_system_commands(board_screen(pilot))]
        for title in ("Move on", "Move back", "Won", "Lost", "New", "Filter", "Switch pipeline"):
            assert title in commands


async def test_wide_characters_and_long_titles_never_break_a_column(board: Board) -> None:
    board.add_deal(DealFields(title="東京 office expansion 🚀 " * 6, account="Meridian 分析 " * 5))
    board.add_deal(DealFields(title="x" * 200))
    async with DealboardApp(board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cards = column_named(pilot, "Prospect").cards
        width = cards.scrollable_content_region.width
        lines = [cards.render_line(y) for y in range(cards.size.height)]
        assert all(line.cell_length == width for line in lines)
        assert any("…" in line.text for line in lines)


async def test_help_on_a_deal_lists_its_own_keys_not_the_boards(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(pilot.app.screen.query_one("#help-keys").render())
        assert "Back" in keys and "Quit" not in keys and "Move on" not in keys


async def test_a_change_made_elsewhere_appears_within_a_second(demo_board: Board, clock) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(demo_board.database, "lena", clock)  # a demo teammate, on another board
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("l", "j")
        screen = board_screen(pilot)
        focused = screen.focused_deal.title
        moved = deal_titled(demo_board, "Lab results portal")  # Qualify, 4/4 ticked
        lena.move(moved.id, "Research")
        await wait_until(  # no key pressed: the board notices on its own
            pilot,
            lambda: "Lab results portal" in card_titles(pilot, "Research"),
            timeout=3,
            then_settle=False,  # (the flash is brief: a settle on a loaded machine outlives it)
        )
        assert moved.id in column_named(pilot, "Research").cards.flash_ids
        await settle(pilot)
        assert screen.focused_deal.title == focused


async def test_an_edit_elsewhere_rereads_only_that_column(
    demo_board: Board, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_board.set_role("lena", "manager")  # she may change anyone's deal
    lena = Board(demo_board.database, "lena", clock)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        edited = deal_titled(demo_board, "Lab results portal")
        windows = record_calls(monkeypatch, board_read, "window_rows", arg=2)  # stage ids
        sums = record_calls(monkeypatch, board_read, "column_sums", arg=2)
        lena.edit_deal(edited.id, DealFields(title="Lab results portal, phase 2"))
        await wait_until(
            pilot, lambda: "Lab results portal, phase 2" in card_titles(pilot, "Qualify")
        )
        qualify = column_named(pilot, "Qualify").stage.id
        assert windows == [qualify]  # that column's cards, not the board's
        assert sums == [{qualify}]
        assert edited.id in column_named(pilot, "Qualify").cards.flash_ids


async def test_a_logs_a_touch_with_its_next_step_from_the_board(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet rollout"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Intro call")
        screen = pilot.app.screen
        screen.query_one("#field-outcome").value = "Interested, wants pricing"
        screen.query_one("#field-next_step").value = "Send pricing"
        screen.query_one("#field-next_step_due").value = "+2d"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert board_screen(pilot) is pilot.app.screen
    detail = board.deal(deal_id)
    assert [(a.kind.value, a.subject, a.outcome) for a in detail.activities] == [
        ("call", "Intro call", "Interested, wants pricing")
    ]
    assert detail.activities[0].done_at is not None
    assert detail.summary.next_step == "Send pricing"
    assert detail.summary.next_step_due == board.today() + timedelta(days=2)


async def test_the_last_unanswered_attempt_suggests_lost_no_decision(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet rollout"))
    for number in range(4):
        board.add_activity(deal_id, kind="call", subject=f"Call {number + 1}", done=True)
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "4/5" in shown_text(pilot, "Prospect")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Call 5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        toasts = [str(n.message) for n in pilot.app._notifications]
        assert any("5/5 attempts in Prospect and no reply" in t for t in toasts), toasts
        assert "5/5 no reply" in shown_text(pilot, "Prospect")
        await pilot.press("x")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LostDialog)
        assert dialog.reason is LossReason.NO_DECISION
        assert "no decision" in str(dialog.query_one("#lost-suggestion").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    closed = board.deal(deal_id).summary
    assert (closed.stage_kind, closed.loss_reason) == (StageKind.LOST, LossReason.NO_DECISION)


async def test_a_lead_turns_breached_on_screen_as_its_minutes_run_out(
    board: Board, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BoardScreen, "badge_refresh_seconds", 0.1)
    board.add_deal(DealFields(title="Fresh lead"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "no touch" not in shown_text(pilot, "Prospect")
        clock.advance(minutes=6)
        await wait_until(pilot, lambda: "⚠ no touch" in shown_text(pilot, "Prospect"))


async def test_lost_suggests_nothing_while_attempts_remain(board: Board) -> None:
    board.add_deal(DealFields(title="Fleet rollout"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert pilot.app.screen.reason is None
        assert not pilot.app.screen.query("#lost-suggestion")


async def test_marked_cards_are_reassigned_by_a_manager(demo_board: Board, clock) -> None:
    async with DealboardApp(demo_board).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        first = screen.focused_deal
        await pilot.press("v", "j", "space")
        second = screen.focused_deal
        assert screen.marked == {first.id, second.id}
        assert "2 marked" in str(screen.query_one("#board-title").render())
        shown = shown_text(pilot, "Prospect").splitlines()
        marks = [i for i, line in enumerate(shown) if line.startswith("◆")]
        assert len(marks) == 2  # the second is under the cursor too: its bar stays visible
        assert shown[marks[1] + 1].startswith("▌") and not shown[marks[0] + 1].startswith("▌")
        await pilot.press("O")
        await settle(pilot)
        pilot.app.screen.query_one("#field-owner").value = "lena"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.marked == set()
    owners = {d.id: d.owner for d in demo_board.list_deals()}
    assert owners[first.id] == owners[second.id] == "lena"


async def test_a_rep_is_told_only_managers_reassign(demo_board: Board, clock) -> None:
    lena = Board(demo_board.database, "lena", clock)
    async with DealboardApp(lena).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "O")
        await settle(pilot)
        assert board_screen(pilot) is pilot.app.screen
        assert any("Only a manager" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("escape")
        assert board_screen(pilot).marked == set()
