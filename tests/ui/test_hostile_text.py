"""A hostile team: every text a user can write holds markup, escape sequences, C1 and bidi.

The rows are written straight into the database, as an older version or another
tool could have written them (input validation refuses control characters).
Then a manager walks every screen and dialog. Nothing may crash, no
`[@click=app.quit]` may act, the markup must read literally, and no ESC, C1
control or bidi override may reach the terminal, or the clipboard.
"""

from __future__ import annotations

import re

from pilot_helpers import settle, wait_until
from sqlalchemy import text
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select

from dealboard.db.engine import build_engine
from dealboard.domain.board import Board
from dealboard.domain.text import clipboard_safe
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.card_list import CardList
from dealboard.ui.board.reassigning import ReassignDialog
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.clipboard import Copier, CopyByHand
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.gate.checklist import ChecklistGate
from dealboard.ui.gate.closing import ConfirmWon, LostDialog
from dealboard.ui.templates.screen import TemplatesScreen

MARKUP = "[/] [@click=app.quit]x [b]bold[/b]"
ESCAPES = "\x1b[31mred\x1b]0;pwned\x07 \x9b \u202e"
#: For the long text columns.
HOSTILE = f"{MARKUP} {ESCAPES}"
#: For names of at most 40 characters (stages, tags), before a suffix that keeps them apart.
SHORT = "[/][@click=app.quit]x\x1b[31m\x9b\u202e"
#: What must never be drawn: the characters `display_safe` replaces.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What must never be copied: the same, but for line breaks and tabs.
CLIP_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: Every user-writable text column, set to hostile text (`:h` long, `:s` short).
_PLANTED = (
    "UPDATE users SET display_name = :h || ' ' || name",
    "UPDATE users SET name = SUBSTR(:s || name, 1, 64) WHERE name <> 'maria'",
    "UPDATE pipelines SET title = :h, description = :h, name = :s || CAST(id AS TEXT)",
    "UPDATE stages SET name = :s || CAST(id AS TEXT), purpose = :h",
    "UPDATE stage_criteria SET text = SUBSTR(:h || ' ' || text, 1, 200)",
    "UPDATE stage_templates SET name = SUBSTR(:h || ' ' || name, 1, 120), subject = :h,"
    " body = :h || CHAR_NL || body",
    "UPDATE deals SET title = SUBSTR(:h || ' ' || title, 1, 200), account = :h, contact = :h,"
    " source = :h, next_step = :h, loss_note = :h",
    "UPDATE deal_tags SET tag = SUBSTR(:s || tag, 1, 40)",
    "UPDATE bant_answers SET note = :h",
    "UPDATE research_notes SET interests = :h || CHAR_NL || :h, buying_process = :h,"
    " key_objectives = :h, decision_timing = :h, pain_points = :h, free_text = :h",
    "UPDATE stakeholders SET name = :h, role = :h",
    "UPDATE objections SET text = :h, response = :h",
    "UPDATE activities SET subject = :h, outcome = :h",
    "UPDATE stage_transitions SET override_reason = :h WHERE override_reason IS NOT NULL",
    "UPDATE audit_log SET old_value = :h WHERE old_value IS NOT NULL",
    "UPDATE audit_log SET new_value = :h WHERE new_value IS NOT NULL",
    "UPDATE accounts SET name = SUBSTR(:h || ' ' || name, 1, 200)",
    "UPDATE deals SET account = (SELECT name FROM accounts WHERE accounts.id = deals.account_id)"
    " WHERE account_id IS NOT NULL",
    "UPDATE contacts SET name = SUBSTR(:h || ' ' || name, 1, 200)",
    "INSERT INTO saved_views (user_id, name, query, created_at) SELECT id, SUBSTR(:h, 1, 60),"
    " :h, CURRENT_TIMESTAMP FROM users WHERE name = 'maria'",
)


def plant_hostile_text(board: Board) -> None:
    """Overwrite every user-writable text with hostile text, bypassing the domain."""
    engine = build_engine(board.database.url)
    with engine.begin() as connection:
        # The second stage has no exit criteria: `c` on it says so, naming the stage.
        second = "(SELECT id FROM stages WHERE name = 'Qualify')"
        connection.execute(
            text(
                "DELETE FROM checklist_ticks WHERE criterion_id IN "
                f"(SELECT id FROM stage_criteria WHERE stage_id IN {second})"
            )
        )
        connection.execute(text(f"DELETE FROM stage_criteria WHERE stage_id IN {second}"))
        for statement in _PLANTED:
            # Typed once, so PostgreSQL takes one parameter for text and varchar columns alike.
            sql = statement.replace("CHAR_NL", "'\n'")
            sql = sql.replace(":h", "CAST(:h AS TEXT)").replace(":s", "CAST(:s AS TEXT)")
            connection.execute(text(sql), {"h": HOSTILE, "s": SHORT})
    engine.dispose()


def shown_as(name: str) -> str:
    """A stored name as it must read: literally, each run of control characters one U+FFFD."""
    assert "\x1b" in name and "[/]" in name
    return re.sub(f"{UNSAFE.pattern}+", "\ufffd", name)


def screen_text(screen: Screen[object]) -> str:
    """Every character a screen hands to the terminal, line by line (its toasts included)."""
    strips = screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_safe(pilot: Pilot, where: str, *literal: str) -> None:
    """The app is up, nothing unsafe is drawn, and each `literal` reads as typed on top."""
    assert pilot.app.is_running, f"the app quit at {where}"
    for screen in pilot.app.screen_stack:  # the dialog and every screen under it
        for line in screen_text(screen).splitlines():
            bad = UNSAFE.search(line)
            assert bad is None, f"{where}: U+{ord(bad.group()):04X} drawn in {line.strip()!r}"
    shown = screen_text(pilot.app.screen)
    for expected in literal:
        assert expected in shown, f"{where}: {expected!r} not shown"


async def keys(pilot: Pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def open_on(pilot: Pilot, kind: type, *pressed: str) -> None:
    """Press keys and wait until a screen of `kind` is on top (a dialog, or back under it)."""
    await pilot.press(*pressed)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)


async def test_hostile_text_is_shown_literally_everywhere(demo_board: Board) -> None:
    first = demo_board.list_deals(stage="Prospect")[0]  # the card the cursor starts on
    demo_board.add_stakeholder(first.id, name="Eve")
    demo_board.add_objection(first.id, category="cost", text="Too dear", response="Discount")
    demo_board.add_activity(first.id, kind="call", subject="Call back", due="tomorrow")
    plant_hostile_text(demo_board)
    first_stage, second_stage = (stage.name for stage in demo_board.pipeline().stages[:2])
    copied: list[str] = []
    app = DealboardApp(demo_board)
    app.copier = Copier(system_copy=copied.append, terminal_usable=lambda _: False, environ={})
    async with app.run_test(size=(160, 50), notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        assert_safe(pilot, "board", "[/]", "[@click=app.quit]x", "[b]bold[/b]")
        await pilot.click("#board-title", offset=(6, 0))  # on `[@click=app.quit]x`: no link
        await pilot.click(CardList, offset=(7, 1))
        assert_safe(pilot, "clicks on the text")

        # The checklist of the first stage: its criteria, then a tick, undone.
        await open_on(pilot, ChecklistGate, "c")
        assert_safe(pilot, "checklist", "[@click=app.quit]x [b]bold[/b]")
        await keys(pilot, "space")
        await open_on(pilot, BoardScreen, "escape")
        await keys(pilot, "u")
        assert_safe(pilot, "undo notification", "Undone")

        # The manager's reassign list: display names and logins.
        await open_on(pilot, ReassignDialog, "O")
        assert_safe(pilot, "reassign dialog", "[@click=app.quit]x")
        await keys(pilot, "enter")
        assert pilot.app.screen.query_one(Select).expanded
        assert_safe(pilot, "reassign owner list", "[@click=app.quit]x [b]bold[/b]")
        await keys(pilot, "escape")
        await open_on(pilot, BoardScreen, "escape")

        await open_on(pilot, LostDialog, "x")
        assert_safe(pilot, "lost dialog", "[@click=app.quit]x")
        await open_on(pilot, BoardScreen, "escape")
        await open_on(pilot, ChecklistGate, "w")
        assert_safe(pilot, "gate on won", "[@click=app.quit]x [b]bold[/b]")
        await open_on(pilot, BoardScreen, "escape")
        assert_safe(pilot, "move cancelled", "move cancelled")
        # A manager overrides the gate: "Mark as won?" names the deal.
        await open_on(pilot, ChecklistGate, "w")
        await pilot.click("#gate-override")
        await pilot.press(*"ok")
        await open_on(pilot, ConfirmWon, "enter")
        assert_safe(pilot, "confirm won", "[@click=app.quit]x [b]bold[/b]")
        await open_on(pilot, BoardScreen, "n")

        await open_on(pilot, DealScreen, "enter")
        await deal_screen_panels(pilot)

        await open_on(pilot, TemplatesScreen, "t")
        assert_safe(pilot, "templates", "[@click=app.quit]x [b]bold[/b]")
        await keys(pilot, "y")
        await wait_until(pilot, lambda: bool(copied), what="the template copied")
        assert_safe(pilot, "copied notification", "Copied")
        await open_on(pilot, BoardScreen, "escape")
        await keys(pilot, "Y")
        await wait_until(pilot, lambda: len(copied) == 2, what="the summary copied")
        app.copier = Copier(environ={"DEALBOARD_CLIPBOARD": "off"})
        await open_on(pilot, CopyByHand, "y")
        assert_safe(pilot, "copy by hand", "[@click=app.quit]x [b]bold[/b]")
        await open_on(pilot, BoardScreen, "escape")

        # Enter on the SLA screen's first owner filters the board by their login.
        await keys(pilot, "M")
        assert_safe(pilot, "SLA", "[@click=app.quit]x")
        await open_on(pilot, BoardScreen, "enter")
        assert_safe(pilot, "board filtered by a login", "@[/][@click=app.quit]x")
        await keys(pilot, "escape", "escape")

        for key, where in (("A", "agenda"), ("question_mark", "help")):
            await keys(pilot, key)
            assert not isinstance(pilot.app.screen, BoardScreen), where
            assert_safe(pilot, where)
            await open_on(pilot, BoardScreen, "escape")

        await keys(pilot, "p")
        assert_safe(pilot, "pipeline picker", "[@click=app.quit]x [b]bold[/b]")
        await open_on(pilot, BoardScreen, "escape")

        # The customer: the account screen, its contacts and lineage; a saved view's name.
        await keys(pilot, "C")
        assert not isinstance(pilot.app.screen, BoardScreen), "account screen"
        assert_safe(pilot, "account screen", "[@click=app.quit]x [b]bold[/b]")
        await open_on(pilot, BoardScreen, "escape")
        await keys(pilot, "V")
        assert_safe(pilot, "views", "[@click=app.quit]x")
        await keys(pilot, "down", "down", "enter")
        assert_safe(pilot, "a saved view of hostile text")
        await keys(pilot, "escape")
        await open_on(pilot, BoardScreen, "escape")
        await keys(pilot, "N")
        assert_safe(pilot, "repeat deal")
        await open_on(pilot, BoardScreen, "escape")

        await keys(pilot, "R")
        for number in range(1, 9):
            await keys(pilot, str(number))
            assert_safe(pilot, f"report {number}")
        await keys(pilot, "o")
        assert_safe(pilot, "reports for one owner", "[@click=app.quit]x")
        await open_on(pilot, BoardScreen, "escape")

        await keys(pilot, "S")
        for page in range(len(pilot.app.screen.pages)):  # type: ignore[attr-defined]
            assert_safe(pilot, f"stand-up page {page + 1}")
            await keys(pilot, "space")
        await open_on(pilot, BoardScreen, "escape")

        await keys(pilot, "ctrl+p")
        assert_safe(pilot, "command palette")
        await keys(pilot, *"theme", "enter")
        assert_safe(pilot, "theme picker")
        await keys(pilot, "escape")
        await open_on(pilot, BoardScreen, "escape")

        # The second stage has no criteria; `c` says so by name, `H` moves back out of it.
        await keys(pilot, "l", "c")
        assert_safe(
            pilot, "no criteria notification", f"{shown_as(second_stage)} has no exit criteria"
        )
        await keys(pilot, "H")
        assert_safe(pilot, "moved notification", "→", shown_as(first_stage))
        assert pilot.app.is_running
    for clip in copied:
        assert "click=app.quit" in clip and "\n" in clip
        assert CLIP_UNSAFE.search(clip) is None, repr(clip)


async def deal_screen_panels(pilot: Pilot) -> None:
    """Every panel of the deal, and the dialogs that edit what they show."""
    assert_safe(pilot, "deal screen", "[@click=app.quit]x [b]bold[/b]")
    edits = (("1", "e"), ("1", "d"), ("2", "e"), ("2", "r"), ("3", "c"), ("4", None), ("5", "e"))
    for panel, edit in edits:
        await keys(pilot, panel)
        assert_safe(pilot, f"deal panel {panel}", "[@click=app.quit]x")
        if edit is not None:
            await keys(pilot, edit)
            assert not isinstance(pilot.app.screen, DealScreen), f"{edit} on panel {panel}"
            assert_safe(pilot, f"dialog {edit} on panel {panel}", "[@click=app.quit]x")
            await open_on(pilot, DealScreen, "escape")
    await keys(pilot, "E")
    assert not isinstance(pilot.app.screen, DealScreen)
    assert_safe(pilot, "deal form", "[@click=app.quit]x")
    await open_on(pilot, DealScreen, "escape")
    await open_on(pilot, BoardScreen, "escape")


def test_copied_text_keeps_its_lines_and_loses_its_control_characters() -> None:
    copied = clipboard_safe("Hi\r\n\tthere \x1b[31mred\x1b]0;pwned\x07 \x9b\u202e!\n")
    assert copied == "Hi\n\tthere \ufffd[31mred\ufffd]0;pwned\ufffd \ufffd!\n"
