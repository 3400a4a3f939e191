"""The deal form takes an owner the way people name them: a login or a display name."""

from __future__ import annotations

from pilot_helpers import Host, settle
from test_deal_form import new_deal_form, only_deal, problem, type_into

from dealboard.domain.board import Board


async def test_the_owner_field_takes_a_display_name_and_lists_the_people_it_could_mean(
    board: Board,
) -> None:
    board.add_user("mlopez", "Maria Lopez")
    board.add_user("mgarcia", "Maria Garcia")
    async with Host(board, new_deal_form(board)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_into(pilot, "title", "Parking sensors")
        await type_into(pilot, "owner", "Mari")
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = problem(pilot, "owner")
        assert "3 people match" in shown and "mgarcia (Maria Garcia)" in shown
        assert board.list_deals() == []
        await type_into(pilot, "owner", "maria lopez")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert only_deal(board, "Parking sensors").owner == "mlopez"
