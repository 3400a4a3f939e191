"""A card's last line: SLA breaches, next step, attempts, quiet days, BANT — on fixed timestamps."""

from __future__ import annotations

from datetime import timedelta

from clock import FixedClock
from dealboard.domain.badges import Badge, Tone, deal_badges
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.pipeline_spec import parse_pipeline_toml

CADENCED = """
name = "cadenced"
[sla]
speed_to_lead_minutes = 5
follow_up_attempts = 3
follow_up_days = 10
[[stages]]
name = "Prospect"
kind = "open"
probability = 5
rot_days = 7
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""


def badges(board: Board, deal_id: int) -> list[tuple[str, str, Tone]]:
    pipeline = board.pipeline("cadenced")
    deal = board.deal(deal_id).summary
    stage = next(s for s in pipeline.stages if s.id == deal.stage_id)
    return [(b.name, b.text, b.tone) for b in deal_badges(deal, stage, board.now())]


def test_attempts_count_up_then_say_no_reply_or_reached(board: Board, clock: FixedClock) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(
        DealFields(title="Fleet", next_step="Call", next_step_due="+1d"), pipeline="cadenced"
    )
    tomorrow = (board.today() + timedelta(days=1)).strftime("%a %d")  # Sat 21 in UTC
    assert badges(board, deal_id) == [
        ("due", f"→ {tomorrow}", Tone.PLAIN),
        ("attempts", "0/3", Tone.PLAIN),
    ]
    for _ in range(3):
        board.add_activity(deal_id, kind="call", subject="No answer", done=True)
    board.add_activity(deal_id, kind="note", subject="Notes are not attempts", done=True)
    assert badges(board, deal_id)[1] == ("exhausted", "3/3 no reply", Tone.ALERT)
    board.add_activity(deal_id, kind="email", subject="They wrote back", done=True, reached=True)
    assert badges(board, deal_id)[1] == ("reached", "4/3 ✓", Tone.GOOD)


def test_next_step_late_today_and_missing(board: Board, clock: FixedClock) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(
        DealFields(title="Fleet", next_step="Call", next_step_due="today"), pipeline="cadenced"
    )
    board.add_activity(deal_id, kind="call", subject="First call", done=True)
    assert badges(board, deal_id)[0] == ("today", "→ today", Tone.WARN)
    clock.advance(days=3)
    assert badges(board, deal_id)[0] == ("late", "late 3d", Tone.ALERT)
    board.edit_deal(deal_id, DealFields(next_step=""))
    assert badges(board, deal_id)[0] == ("nostep", "no step", Tone.ALERT)


def test_quiet_counts_from_the_last_activity_or_the_stage_entry(
    board: Board, clock: FixedClock
) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(DealFields(title="Fleet"), pipeline="cadenced")
    clock.advance(days=8)
    assert ("quiet", "quiet 8d", Tone.WARN) in badges(board, deal_id)
    board.add_activity(deal_id, kind="email", subject="Nudge", done=True)
    assert not any(name == "quiet" for name, _, _ in badges(board, deal_id))
    clock.advance(days=9)
    assert ("quiet", "quiet 9d", Tone.WARN) in badges(board, deal_id)


def test_the_bant_mark_shows_once_something_is_answered(board: Board) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(DealFields(title="Fleet"), pipeline="cadenced")
    assert not any(name == "bant" for name, _, _ in badges(board, deal_id))
    board.set_bant(deal_id, "need", "yes")
    assert badges(board, deal_id)[-1] == ("bant", "··N·", Tone.PLAIN)
    assert Badge("bant", "··N·") == Badge("bant", "··N·", Tone.PLAIN)


def test_an_untouched_lead_shows_how_long_it_has_waited_once_past_the_minutes(
    board: Board, clock: FixedClock
) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(
        DealFields(title="Fleet", next_step="Call", next_step_due="+1d"), pipeline="cadenced"
    )
    clock.advance(minutes=5)
    assert badges(board, deal_id)[0][0] == "due"  # 5 minutes is in time
    clock.advance(seconds=1)
    assert badges(board, deal_id)[0] == ("breach", "⚠ no touch 5m", Tone.ALERT)
    clock.advance(hours=3)
    assert badges(board, deal_id)[0] == ("breach", "⚠ no touch 3h", Tone.ALERT)
    board.add_activity(deal_id, kind="note", subject="A note is not a touch", done=True)
    assert badges(board, deal_id)[0][0] == "breach"
    board.add_activity(deal_id, kind="call", subject="Late, but called", done=True)
    assert not any(name == "breach" for name, _, _ in badges(board, deal_id))


def test_a_follow_up_window_over_with_attempts_missing_replaces_the_attempts_badge(
    board: Board, clock: FixedClock
) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(
        DealFields(title="Fleet", next_step="Call", next_step_due="+30d"), pipeline="cadenced"
    )
    board.add_activity(deal_id, kind="call", subject="No answer", done=True)
    clock.advance(days=10)
    assert [b for b in badges(board, deal_id) if b[0] in ("attempts", "breach")] == [
        ("attempts", "1/3", Tone.PLAIN)
    ]
    clock.advance(seconds=1)
    assert [b for b in badges(board, deal_id) if b[0] in ("attempts", "breach")] == [
        ("breach", "⚠ 1/3 late", Tone.ALERT)
    ]
    assert badges(board, deal_id)[1][0] == "due"  # the breach leads the line
    board.add_activity(deal_id, kind="email", subject="Late attempt", done=True)
    board.add_activity(deal_id, kind="email", subject="Last attempt", done=True)
    assert [n for n, _, _ in badges(board, deal_id)] == ["due", "exhausted"]


def test_closed_deals_carry_no_breach(board: Board, clock: FixedClock) -> None:
    board.import_pipeline(parse_pipeline_toml(CADENCED))
    deal_id = board.add_deal(DealFields(title="Fleet"), pipeline="cadenced")
    clock.advance(days=20)
    assert badges(board, deal_id)[0] == ("breach", "⚠ no touch 20d", Tone.ALERT)
    assert ("breach", "⚠ 0/3 late", Tone.ALERT) in badges(board, deal_id)
    board.lose(deal_id, "no-decision")
    assert badges(board, deal_id) == []
