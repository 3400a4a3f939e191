"""Objections, research notes, stakeholders and activities: logged, audited, validated."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clock import FixedClock
from dealboard.domain.activities import due_day
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.domain.research import ResearchFields
from dealboard.vocabulary import Influence, ObjectionCategory, ObjectionStatus, Stance
from helpers import row_counts


@pytest.fixture
def deal_id(board: Board) -> int:
    return board.add_deal(DealFields(title="Fleet rollout"))


def test_an_objection_is_logged_answered_resolved_and_counted(
    board: Board, deal_id: int, clock: FixedClock
) -> None:
    first = board.add_objection(deal_id, category="Cost", text="Too expensive")
    board.add_objection(deal_id, category="timing", text="Budget is next year", hidden=True)
    assert board.list_deals()[0].open_objections == 2
    board.answer_objection(first, "Phased rollout halves year-one cost")
    objection = board.deal(deal_id).objections[0]
    assert objection.category is ObjectionCategory.COST
    assert objection.status is ObjectionStatus.ANSWERED
    assert objection.response == "Phased rollout halves year-one cost"
    assert board.list_deals()[0].open_objections == 1
    clock.advance(hours=2)
    board.set_objection_status(first, "resolved")
    resolved = board.deal(deal_id).objections[0]
    assert resolved.status is ObjectionStatus.RESOLVED and resolved.resolved_at == clock.now
    board.set_objection_status(first, "open")
    assert board.deal(deal_id).objections[0].resolved_at is None
    board.edit_objection(first, category="product", text="Needs SSO", hidden=True)
    edited = board.deal(deal_id).objections[0]
    assert (edited.category, edited.text, edited.hidden) == (
        ObjectionCategory.PRODUCT,
        "Needs SSO",
        True,
    )
    audit = board.deal(deal_id).audit
    assert {a.field for a in audit if a.entity == "objection"} >= {"status", "text", "response"}


def test_an_objection_logged_with_a_response_is_answered(board: Board, deal_id: int) -> None:
    answered = board.add_objection(
        deal_id, category="cost", text="Too expensive", response="Phased rollout"
    )
    board.add_objection(deal_id, category="timing", text="Next year", response="   ")
    statuses = {o.id: o.status for o in board.deal(deal_id).objections}
    assert statuses[answered] is ObjectionStatus.ANSWERED
    assert sorted(statuses.values()) == [ObjectionStatus.ANSWERED, ObjectionStatus.OPEN]
    assert board.list_deals()[0].open_objections == 1
    created = [a for a in board.deal(deal_id).audit if a.entity == "objection"]
    assert ("status", None, "answered") in [(a.field, a.old_value, a.new_value) for a in created]


def test_a_response_edited_into_an_open_objection_answers_it_and_emptying_it_reopens(
    board: Board, deal_id: int
) -> None:
    objection_id = board.add_objection(deal_id, category="cost", text="Too expensive")
    board.edit_objection(objection_id, response="Phased rollout halves year-one cost")
    assert board.deal(deal_id).objections[0].status is ObjectionStatus.ANSWERED
    board.edit_objection(objection_id, response="")
    assert board.deal(deal_id).objections[0].status is ObjectionStatus.OPEN
    board.edit_objection(objection_id, response="Phased rollout")
    board.set_objection_status(objection_id, "resolved")
    board.edit_objection(objection_id, response="")
    assert board.deal(deal_id).objections[0].status is ObjectionStatus.RESOLVED
    board.undo()  # the emptying, then the edit that answered it, come back one by one
    board.undo()
    board.undo()
    assert board.deal(deal_id).objections[0].status is ObjectionStatus.OPEN


def test_bad_objection_input_names_the_field_and_writes_nothing(board: Board, deal_id: int) -> None:
    counts = row_counts(board)
    with pytest.raises(InvalidInput, match="objection category: 'money' is not accepted; use"):
        board.add_objection(deal_id, category="money", text="x")
    with pytest.raises(InvalidInput, match="objection text"):
        board.add_objection(deal_id, category="cost", text="   ")
    with pytest.raises(InvalidInput, match="objection text"):
        board.add_objection(deal_id, category="cost", text="bad\x1b[2J")
    with pytest.raises(NotFound):
        board.add_objection(999, category="cost", text="x")
    with pytest.raises(NotFound):
        board.set_objection_status(999, "resolved")
    objection = board.add_objection(deal_id, category="cost", text="Price")
    with pytest.raises(InvalidInput, match="objection status"):
        board.set_objection_status(objection, "done")
    assert len(board.deal(deal_id).objections) == 1
    assert row_counts(board)["deals"] == counts["deals"]


def test_research_notes_save_only_what_was_given(board: Board, deal_id: int) -> None:
    board.save_research(deal_id, ResearchFields(interests="Fewer idle trucks", pain_points="Fuel"))
    board.save_research(deal_id, ResearchFields(buying_process="CFO signs above $50k\nIT reviews"))
    notes = board.deal(deal_id).research
    assert notes.interests == "Fewer idle trucks"
    assert notes.pain_points == "Fuel"
    assert notes.buying_process == "CFO signs above $50k\nIT reviews"
    counts = row_counts(board)
    board.save_research(deal_id, ResearchFields(interests="Fewer idle trucks"))
    assert row_counts(board) == counts  # unchanged: no audit rows
    with pytest.raises(InvalidInput, match="pain points"):
        board.save_research(deal_id, ResearchFields(pain_points="x" * 20_001))


def test_stakeholders_are_added_edited_and_removed(board: Board, deal_id: int) -> None:
    person = board.add_stakeholder(deal_id, name="Tom Reyes", role="CFO", influence="HIGH")
    board.add_stakeholder(deal_id, name="Ana", stance="champion")
    board.edit_stakeholder(person, stance="skeptic")
    people = board.deal(deal_id).research.stakeholders
    tom = next(p for p in people if p.name == "Tom Reyes")
    assert (tom.role, tom.influence, tom.stance) == ("CFO", Influence.HIGH, Stance.SKEPTIC)
    board.remove_stakeholder(person)
    assert [p.name for p in board.deal(deal_id).research.stakeholders] == ["Ana"]
    with pytest.raises(InvalidInput, match="stance"):
        board.add_stakeholder(deal_id, name="X", stance="hostile")
    with pytest.raises(InvalidInput, match="stakeholder name"):
        board.add_stakeholder(deal_id, name="")
    with pytest.raises(NotFound):
        board.remove_stakeholder(person)


def test_activities_are_scheduled_done_and_listed_newest_first(
    board: Board, deal_id: int, clock: FixedClock
) -> None:
    call = board.add_activity(deal_id, kind="call", subject="Discovery call", due="+2d")
    clock.advance(hours=1)
    board.add_activity(deal_id, kind="Email", subject="Sent the deck", done=True)
    listed = board.deal(deal_id).activities
    assert [a.subject for a in listed] == ["Discovery call", "Sent the deck"]
    assert due_day(listed[0].due_at) == board.today() + timedelta(days=2)
    clock.advance(days=3)
    board.complete_activity(call, "Booked a demo")
    done = next(a for a in board.deal(deal_id).activities if a.id == call)
    assert done.done_at == clock.now and done.outcome == "Booked a demo"
    with pytest.raises(RuleViolation, match="already done"):
        board.complete_activity(call)
    with pytest.raises(InvalidInput, match="activity kind"):
        board.add_activity(deal_id, kind="fax", subject="x")
    with pytest.raises(InvalidInput, match="due"):
        board.add_activity(deal_id, kind="call", subject="x", due="someday")


def test_a_touch_logged_with_a_next_step_sets_the_deals_next_step(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet"))
    board.add_activity(
        deal_id, kind="email", subject="Sent deck", done=True, next_step="Call", next_step_due="+3d"
    )
    summary = board.deal(deal_id).summary
    assert (summary.next_step, summary.next_step_due) == ("Call", board.today() + timedelta(3))
    with pytest.raises(InvalidInput, match="next step"):
        board.add_activity(deal_id, kind="call", subject="x", done=True, next_step_due="+1d")
    assert len(board.deal(deal_id).activities) == 1  # the refused touch wrote nothing
