"""`C` opens the customer's account: every deal across pipelines, lifetime won value, lineage;
the agenda and the stand-up name customers due a touch."""

from __future__ import annotations

import pytest
from pilot_helpers import app_opened_with, press_and_settle, seen, settle
from textual.pilot import Pilot
from textual.widgets import DataTable

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.repeat_deal import RepeatRequest
from dealboard.ui.account.screen import AccountScreen
from dealboard.ui.agenda.screen import AgendaScreen
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.deal.screen import DealScreen


def _acme(board: Board) -> dict[str, int]:
    """Acme: won in USD and EUR, lost once, open on this board and in another pipeline."""
    board.add_template("traditional")
    deals = {}
    for title, value in (("Fleet", "48k"), ("EU fleet", "EUR 10k")):
        deals[title] = board.add_deal(DealFields(title=title, value=value, account="Acme Corp"))
        board.win(deals[title], override="signed")
    deals["Kiosks"] = board.add_deal(
        DealFields(title="Kiosks [red]x[/red]", value="5k", account="acme corp")
    )
    board.lose(deals["Kiosks"], "price")
    deals["Renewal"] = board.start_repeat_deal(
        deals["Fleet"],
        RepeatRequest("renewal", title="Renewal", value="20k", pipeline="traditional"),
    )
    deals["Expansion"] = board.add_deal(
        DealFields(title="Expansion", value="30k", account="Acme Corp")
    )
    return deals


def _rows(pilot: Pilot) -> list[tuple[str, str]]:
    """(row key, the row as read) of the account's deals table."""
    table = pilot.app.screen.query_one("#account-deals", DataTable)
    return [
        (
            str(table.coordinate_to_cell_key((i, 0))[0].value),
            " | ".join(str(c) for c in table.get_row_at(i)),
        )
        for i in range(table.row_count)
    ]


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_c_on_a_card_shows_every_deal_of_the_customer_and_enter_opens_one(
    board: Board, size: tuple[int, int]
) -> None:
    deals = _acme(board)
    async with app_opened_with(board, "C", size) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, AccountScreen)
        assert "Acme Corp · customer" in seen(screen.query_one("#account-title"))
        summary = seen(screen.query_one("#account-summary"))
        assert "2 open" in summary and "2 won · lifetime $48k + €10k" in summary
        rows = _rows(pilot)
        text = "\n".join(row for _, row in rows)
        assert "Open (2)" in text and "Won (2)" in text and "Lost (1)" in text
        renewal = next(row for key, row in rows if key == str(deals["Renewal"]))
        assert "traditional" in renewal and "Prospect" not in renewal
        assert "Kiosks [red]x[/red]" in text  # shown as typed, never as markup
        lineage = seen(screen.query_one("#account-details")).split("Lineage")[1]
        assert "#1 Fleet (won)" in lineage and f"└ renewal #{deals['Renewal']} Renewal" in lineage
        for region in (screen.query_one("#account-deals"), screen.query_one("#account-side")):
            assert region.size.height >= 3 and region.size.width >= 30
        first = int(rows[1][0])  # the cursor starts on the first deal, not its heading
        await press_and_settle(pilot, "enter")
        assert isinstance(pilot.app.screen, DealScreen)
        assert pilot.app.screen.deal_id == first
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, AccountScreen)
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, BoardScreen)


async def test_c_on_the_deal_screen_opens_its_account_and_a_deal_without_one_says_so(
    board: Board,
) -> None:
    _acme(board)
    lonely = board.add_deal(DealFields(title="No account yet"))
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(DealScreen(lonely))
        await settle(pilot)
        await press_and_settle(pilot, "C")
        assert isinstance(pilot.app.screen, DealScreen)  # nothing to open: told, not moved
        await press_and_settle(pilot, "escape")
        expansion = next(d for d in board.list_deals() if d.title == "Expansion")
        pilot.app.push_screen(DealScreen(expansion.id))
        await settle(pilot)
        await press_and_settle(pilot, "C")
        assert isinstance(pilot.app.screen, AccountScreen)
        assert pilot.app.screen.detail is not None
        assert pilot.app.screen.detail.summary.name == "Acme Corp"


async def test_the_agenda_lists_a_customer_due_a_touch_and_enter_opens_its_account(
    board: Board, clock: FixedClock
) -> None:
    won = board.add_deal(DealFields(title="Fleet", value="48k", account="Acme Corp"))
    board.win(won, override="signed")
    board.add_deal(DealFields(title="Kiosks", next_step="Call", next_step_due="+100d"))
    clock.advance(days=100)
    async with app_opened_with(board, "A", (100, 30)) as pilot:
        assert isinstance(pilot.app.screen, AgendaScreen)
        table = pilot.app.screen.query_one("#agenda-table", DataTable)
        rows = [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert "Call" in rows[0]  # next steps first, customers to nurture after them
        assert "nurture" in rows[1] and "Acme Corp: Won 100 days ago" in rows[1]
        assert "1 to nurture" in seen(pilot.app.screen.query_one("#agenda-title"))
        await press_and_settle(pilot, "down", "enter")
        assert isinstance(pilot.app.screen, AccountScreen)
        assert pilot.app.screen.account_id is not None


async def test_the_stand_up_has_a_page_of_customers_due_a_touch(
    board: Board, clock: FixedClock
) -> None:
    won = board.add_deal(DealFields(title="Fleet", value="48k", account="Acme Corp"))
    board.win(won, override="signed")
    clock.advance(days=120)
    async with app_opened_with(board, "S", (100, 30)) as pilot:
        await press_and_settle(pilot, "space", "space")
        heading = seen(pilot.app.screen.query_one("#standup-heading"))
        assert "Customers due a touch" in heading
        body = seen(pilot.app.screen.query_one("#standup-body"))
        assert "Acme Corp" in body and "Won 120 days ago" in body
