"""`dealboard touch`: logging touches from the command line, and the cadence advice."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import URL

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from test_cli import Cli


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_touches_count_attempts_and_the_last_one_suggests_no_decision(
    cli: Cli, board: Board
) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet"))
    for number in range(1, 5):
        code, out, _ = cli(
            "touch", str(deal_id), "call", f"Call {number}", "--outcome", "voicemail"
        )
        assert code == 0 and f"attempts in Prospect: {number}/5" in out
        assert "no decision" not in out
    code, out, _ = cli("touch", f"#{deal_id}", "email", "Last try")
    assert code == 0
    assert "5/5 attempts in Prospect and no reply" in out
    assert f"dealboard lose {deal_id} no-decision" in out
    assert "Last try" in [a.subject for a in board.deal(deal_id).activities]


def test_a_reached_buyer_stops_the_advice_and_next_step_is_set(cli: Cli, board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet"))
    code, out, _ = cli(
        "touch", str(deal_id), "call", "Intro", "--reached", "--next-step", "Demo", "--due", "+3d"
    )
    assert code == 0 and "1/5" in out
    summary = board.deal(deal_id).summary
    assert summary.reached_in_stage and summary.next_step == "Demo"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("call", ""), "subject: '' is not accepted"),
        (("fax", "Hello"), "activity kind: 'fax' is not accepted; use one of call, email"),
        (("call", "Hi", "--due", "+1d"), "next step: '' is not accepted"),
        (("call", "Hi", "--planned", "someday"), "due: 'someday'"),
    ],
)
def test_bad_touches_are_one_line_and_write_nothing(
    cli: Cli, board: Board, args: tuple[str, ...], message: str
) -> None:
    deal_id = board.add_deal(DealFields(title="Fleet"))
    code, out, err = cli("touch", str(deal_id), *args)
    assert code == 2, (out, err)
    assert message in err and err.count("\n") == 1
    assert board.deal(deal_id).activities == ()
