"""Saving over someone else's newer change is refused, naming who, when and what."""

from __future__ import annotations

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.conflicts import when
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Conflict
from dealboard.domain.research import ResearchFields


def _refusal(call) -> Conflict:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as caught:
        call()
    return caught.value


def test_a_stale_deal_edit_names_who_changed_what_and_when(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Pilot", value="10000"))
    mine = board.deal(deal_id).summary.version
    clock.advance(minutes=5)
    rep_board.edit_deal(deal_id, DealFields(value="12000", next_step="Call CFO"))
    conflict = _refusal(
        lambda: board.edit_deal(deal_id, DealFields(value="9000"), expected_version=mine)
    )
    assert conflict.by == "rick" and conflict.at == clock.now
    assert str(conflict).startswith(
        f"Rick Rep changed deal {deal_id} (value, next step) at {when(clock.now, clock.now)}"
    )
    assert "nothing was overwritten" in str(conflict)
    assert board.deal(deal_id).summary.value_minor == 1_200_000
    # Told, the user saves again against the version the refusal named: that is deliberate.
    board.edit_deal(deal_id, DealFields(value="9000"), expected_version=conflict.current_version)
    assert board.deal(deal_id).summary.value_minor == 900_000


def test_research_notes_saved_from_an_old_version_are_refused(
    board: Board, rep_board: Board
) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Kiosks"))
    assert board.deal(deal_id).research.version == 0
    rep_board.save_research(deal_id, ResearchFields(pain_points="Queues"), expected_version=0)
    conflict = _refusal(
        lambda: board.save_research(
            deal_id, ResearchFields(pain_points="Staff turnover"), expected_version=0
        )
    )
    assert conflict.by == "rick" and "the research notes (pain points)" in str(conflict)
    assert board.deal(deal_id).research.pain_points == "Queues"
    version = board.deal(deal_id).research.version
    assert conflict.current_version == version
    board.save_research(deal_id, ResearchFields(free_text="Ask about Q3"), expected_version=version)
    assert board.deal(deal_id).research.version == version + 1


def test_objections_and_stakeholders_carry_versions_too(board: Board, rep_board: Board) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Fleet"))
    objection_id = board.add_objection(deal_id, category="cost", text="Too dear")
    person_id = board.add_stakeholder(deal_id, name="Dana")
    detail = board.deal(deal_id)
    objection, person = detail.objections[0], detail.research.stakeholders[0]
    rep_board.answer_objection(objection_id, "ROI in 9 months", objection.version)
    rep_board.edit_stakeholder(person_id, role="CFO", expected_version=person.version)

    stale_objection = _refusal(
        lambda: board.edit_objection(objection_id, text="Far too dear", expected_version=1)
    )
    assert f"objection #{objection_id} (response, status)" in str(stale_objection)
    assert _refusal(lambda: board.set_objection_status(objection_id, "resolved", 1)).by == "rick"
    assert "stakeholder Dana (role)" in str(
        _refusal(lambda: board.remove_stakeholder(person_id, expected_version=1))
    )
    after = board.deal(deal_id)
    assert after.objections[0].text == "Too dear" and after.objections[0].version == 2
    assert after.research.stakeholders[0].role == "CFO"
