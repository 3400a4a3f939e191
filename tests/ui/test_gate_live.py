"""The checklist gate while a colleague works on the same deal: their ticks, their move."""

from __future__ import annotations

from pilot_helpers import board_screen, column_named, deal_titled, seen, settle, wait_until
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Footer
from textual.widgets._footer import FooterKey

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.research import ResearchFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.gate.checklist import ChecklistGate, CriterionBox

#: First card of Prospect on the demo board, 0/3 ticked: `L` opens the gate on it.
FLEET = "Fleet telematics rollout"


def _sam(demo_board: Board, clock: FixedClock) -> Board:
    """A second person on the same database file, who may change anyone's deal."""
    demo_board.add_user("sam", "Sam Seller", "manager")
    return Board(demo_board.database, "sam", clock)


def _gate(pilot: Pilot) -> ChecklistGate:
    gate = pilot.app.screen
    assert isinstance(gate, ChecklistGate)
    return gate


def _box(gate: ChecklistGate, text: str) -> CriterionBox:
    return next(b for b in gate.query(CriterionBox) if b.item.text == text)


def _read(widget: Widget) -> str:
    """What the widget says, its wrapped lines read as one."""
    return " ".join(seen(widget).split())


def _messages(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def _open_gate_on_fleet(pilot: Pilot) -> ChecklistGate:
    await settle(pilot)
    await pilot.press("L")
    await settle(pilot)
    return _gate(pilot)


async def test_a_colleagues_tick_appears_in_the_open_gate_with_their_name(
    demo_board: Board, clock: FixedClock
) -> None:
    sam = _sam(demo_board, clock)
    deal = deal_titled(demo_board, FLEET)
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        gate = await _open_gate_on_fleet(pilot)
        box = _box(gate, "Source recorded")
        assert not box.value
        sam.set_check(deal.id, "Source recorded", stage="Prospect")
        await wait_until(pilot, lambda: box.value, what="sam's tick in maria's gate")
        assert "[x] Source recorded · sam" in _read(box)
        assert "1/3 done" in _read(gate.query_one("#gate-status"))
        sam.set_check(deal.id, "Source recorded", stage="Prospect", checked=False)
        await wait_until(pilot, lambda: not box.value, what="sam's untick in maria's gate")
        assert "[ ] Source recorded" in _read(box)
        sam.set_check(deal.id, "Source recorded", stage="Prospect")
        await wait_until(pilot, lambda: box.value, what="sam's tick again")
        await pilot.press("escape")
        await settle(pilot)
        assert _messages(pilot)[-1] == "move cancelled"  # sam's ticks are not "your ticks"


async def test_a_colleagues_move_ends_the_gate_and_names_them(
    demo_board: Board, clock: FixedClock
) -> None:
    sam = _sam(demo_board, clock)
    deal = deal_titled(demo_board, FLEET)
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        gate = await _open_gate_on_fleet(pilot)
        sam.move(deal.id, "Qualify", override="the customer called")
        await wait_until(pilot, lambda: gate.moved_away is not None, what="the gate noticing")
        said = _read(gate.query_one("#gate-said"))
        assert "Sam Seller moved it to Qualify at" in said
        assert "nothing to do here" in said
        assert gate.query_one("#gate-move", Button).disabled
        assert gate.query_one("#gate-override", Button).disabled
        await pilot.press("ctrl+s")  # does nothing now
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ChecklistGate)
        messages = _messages(pilot)
        assert any(f"{FLEET}: Sam Seller moved it to Qualify" in m for m in messages)
        assert not any(m == f"{FLEET} → Qualify" for m in messages)  # never "your" move
        assert not any("move cancelled" in m for m in messages)
    history = demo_board.deal(deal.id).history
    assert [(t.to_stage, t.user) for t in history[:2]] == [
        ("Qualify", "sam"),
        ("Prospect", "arjun"),
    ]


async def test_move_on_a_gate_that_has_not_noticed_the_move_is_refused(
    demo_board: Board, clock: FixedClock
) -> None:
    sam = _sam(demo_board, clock)
    deal = deal_titled(demo_board, FLEET)
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        gate = await _open_gate_on_fleet(pilot)
        gate.loader.stop()  # as if sam's move landed the instant before maria's keypress
        sam.move(deal.id, "Research", override="fast track")
        for box in list(gate.query(CriterionBox)):
            await pilot.click(box)
        await settle(pilot)
        assert not gate.query_one("#gate-move", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = _messages(pilot)
        assert any(f"{FLEET}: Sam Seller moved it to Research at" in m for m in messages)
        assert not any(m == f"{FLEET} → Qualify" for m in messages)
    # No second move: the deal stays where sam put it, and maria moved nothing.
    assert deal_titled(demo_board, FLEET).stage == "Research"
    history = demo_board.deal(deal.id).history
    assert [t.user for t in history if t.from_stage is not None] == ["sam"]


async def test_tied_criteria_say_what_they_follow_at_80x24(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        moves = board_screen(pilot).moves
        renewal = deal_titled(demo_board, "Renewal 2027 + 40 seats")  # Qualify, 0/4
        moves.attempt(renewal, column_named(pilot, "Research").stage, None)
        await settle(pilot)
        gate = _gate(pilot)
        assert "Budget confirmed ↻ (follows BANT: Budget)" in _read(_box(gate, "Budget confirmed"))
        assert "(follows BANT: Timing)" in _read(_box(gate, "Timing known"))
        await pilot.press("escape")
        await settle(pilot)

        patient = deal_titled(demo_board, "Patient reminder SMS for 20 clinics")  # Research
        demo_board.save_research(patient.id, ResearchFields(buying_process=""))  # unticks it
        await settle(pilot)
        moves.attempt(patient, column_named(pilot, "Pitch").stage, None)
        await settle(pilot)
        gate = _gate(pilot)
        boxes = {b.item.text: _read(b) for b in gate.query(CriterionBox)}
        assert any("(follows Research: Buying process)" in line for line in boxes.values()), boxes


async def test_a_refused_tick_on_a_tied_criterion_says_why_in_the_dialog(
    demo_board: Board,
) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        vans = deal_titled(demo_board, "Route optimisation for last-mile vans")  # open objections
        board_screen(pilot).moves.attempt(vans, column_named(pilot, "Close").stage, None)
        await settle(pilot)
        gate = _gate(pilot)
        box = next(b for b in gate.query(CriterionBox) if b.item.follows == "objections")
        assert "↻ (follows objections)" in _read(box)
        box.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: not box.value and gate.query_one("#gate-said").display)
        said = _read(gate.query_one("#gate-said"))
        assert said.startswith("Not ticked: it follows the deal's objection log")
        assert not _messages(pilot)  # said in the dialog, not in a toast


async def test_the_gate_shows_its_own_keys_in_its_footer_and_buttons(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        gate = await _open_gate_on_fleet(pilot)
        labels = [str(b.label) for b in gate.query(Button)]
        assert labels == ["Move (ctrl+s)", "Override (o)", "Cancel (esc)"]
        keys = [(k.key, k.description) for k in gate.query_one(Footer).query(FooterKey)]
        assert keys == [
            ("space", "Tick"),
            ("ctrl+s", "Move"),
            ("o", "Override"),
            ("escape", "Cancel"),
        ]
