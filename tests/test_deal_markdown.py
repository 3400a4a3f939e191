"""`Y`: a deal as a Markdown note for chat or email, with whatever users typed kept literal."""

from __future__ import annotations

from datetime import timedelta

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deal_markdown import deal_markdown, escape
from dealboard.domain.deals import DealFields
from helpers import tick_all


def test_the_note_lists_the_facts_progress_objections_and_latest_touches(
    board: Board, clock: FixedClock
) -> None:
    yesterday = board.today() - timedelta(days=1)  # "-1d" is the user's calendar, not UTC's
    deal_id = board.add_deal(
        DealFields(
            title="Fleet telematics",
            account="Harbor Freight",
            contact="Dana Whitfield",
            contact_type="lead",
            value="48k",
            close_date="2027-03-23",
            next_step="Send the pilot plan",
            next_step_due="-1d",
        )
    )
    tick_all(board, deal_id, "Prospect")
    board.move(deal_id, "Qualify")
    board.set_bant(deal_id, "budget", "yes", "48k approved")
    board.set_bant(deal_id, "need", "partial")
    open_id = board.add_objection(deal_id, category="cost", text="Too dear")
    done_id = board.add_objection(deal_id, category="timing", text="After Q1")
    board.set_objection_status(done_id, "resolved")
    for number in range(1, 5):
        clock.advance(hours=1)
        board.add_activity(deal_id, kind="call", subject=f"Call {number}", done=True, outcome="ok")
    note = deal_markdown(board.deal(deal_id), board.today())
    assert note.startswith(f"**Fleet telematics** (#{deal_id})\n\n- Account: Harbor Freight\n")
    assert "- Contact: Dana Whitfield (Lead)\n" in note
    assert "- Owner: maria\n" in note
    assert "- Value: USD 48,000.00\n" in note
    assert "- Stage: Qualify, 1/4 exit criteria done (seven-step pipeline)\n" in note
    assert "- Expected close: 2027-03-23\n" in note
    assert f"- Next step: Send the pilot plan, due {yesterday} (overdue)\n" in note
    assert "- BANT: B·n·: budget yes (48k approved); need partial\n" in note
    assert (
        "To leave Qualify:\n- [x] Budget confirmed\n- [ ] Decision maker identified\n"
        "- [ ] Need stated\n- [ ] Timing known\n"
    ) in note
    assert "Unresolved objections:\n- cost, expressed, open: Too dear\n" in note
    assert "After Q1" not in note and open_id
    assert f"Latest touches:\n- {board.today()} call, Call 4: ok\n" in note
    assert "Call 2" in note and "Call 1" not in note  # the latest three only
    assert note.endswith("\n") and "\n\n\n" not in note


def test_user_text_cannot_break_the_formatting(board: Board) -> None:
    deal_id = board.add_deal(
        DealFields(title="*Big* [deal](http://evil) <b>now</b> snake_case _x_", account="A`B")
    )
    note = deal_markdown(board.deal(deal_id), board.today())
    first = note.splitlines()[0]
    assert first == (
        r"**\*Big\* \[deal\](http://evil) \<b\>now\</b\> snake_case \_x\_**" f" (#{deal_id})"
    )
    assert r"- Account: A\`B" in note
    assert escape("line one\nline two\t end") == "line one line two end"


def test_a_bare_deal_says_what_is_not_set(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Kiosks"))
    note = deal_markdown(board.deal(deal_id), board.today())
    assert "- Account: not set\n- Contact: not set\n" in note
    assert "- Value: USD 0.00\n" in note
    assert "- Expected close: not set\n- Next step: not set\n- BANT: not asked yet\n" in note
    assert "objections" not in note and "touches" not in note


def test_a_lost_deal_says_why(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Kiosks"))
    board.lose(deal_id, "price", "went with the *cheapest*")
    note = deal_markdown(board.deal(deal_id), board.today())
    assert r"- Stage: Lost: price, went with the \*cheapest\* (seven-step pipeline)" in note
    assert "To leave" not in note
