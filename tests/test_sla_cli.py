"""`dealboard report sla` and `reassign --breached-only`, as a script and a person see them."""

from __future__ import annotations

import json

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from helpers import row_counts
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def _team(board: Board, clock: FixedClock) -> dict[str, int]:
    """Lena answers in 3 minutes; Rick in 2 hours, and leaves one lead untouched."""
    board.add_user("lena", "Lena Hoffmann")
    board.add_user("rick", "Rick <Rep>")
    ids = {
        "lena": board.add_deal(DealFields(title="Clinic", owner="lena", next_step="Demo")),
        "rick": board.add_deal(DealFields(title="Fleet", owner="rick")),
        "waiting": board.add_deal(DealFields(title="Kiosks", owner="rick")),
    }
    clock.advance(minutes=3)
    board.add_activity(ids["lena"], kind="call", subject="Hi", done=True)
    clock.advance(hours=2)
    board.add_activity(ids["rick"], kind="email", subject="Hi", done=True)
    clock.advance(days=1)
    return ids


def test_report_sla_json_has_the_documented_keys_and_numbers(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _team(board, timed)
    code, out, err = cli("report", "sla", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == [
        "report",
        "generated_at",
        "since",
        "until",
        "pipeline",
        "rules",
        "owners",
        "team",
    ]
    assert data["report"] == "sla" and data["pipeline"] is None
    assert data["until"] == "2026-11-21T17:03:00+00:00"
    assert data["since"] == "2026-10-22T17:03:00+00:00"  # 30 days by default
    assert data["rules"] == [
        {
            "pipeline": "seven-step",
            "speed_to_lead_minutes": 5,
            "follow_up": [{"stage": "Prospect", "attempts": 5, "days": 14}],
        }
    ]
    lena, rick = data["owners"]
    assert lena == {
        "owner": "lena",
        "display_name": "Lena Hoffmann",
        "leads": 1,
        "responded": 1,
        "median_first_response_seconds": 180,
        "within_sla": 1,
        "judged": 1,
        "within_sla_percent": 100.0,
        "open_breaches": 0,
        "no_touch": 0,
        "follow_up_late": 0,
        "quiet": 0,
        "step_missing_or_late": 1,
    }
    assert (rick["leads"], rick["responded"], rick["within_sla"], rick["judged"]) == (2, 1, 0, 2)
    assert rick["median_first_response_seconds"] == 2 * 3600 + 180
    assert rick["within_sla_percent"] == 0.0 and rick["open_breaches"] == 1
    team = data["team"]
    assert team["owner"] is None and team["display_name"] == "Team"
    assert (team["leads"], team["within_sla"], team["judged"]) == (3, 1, 3)
    assert team["within_sla_percent"] == 33.3
    code, out, _ = cli("report", "sla", "--since", "30d", "--until", "2d", "--format", "json")
    empty = json.loads(out)["team"]
    assert (empty["leads"], empty["within_sla_percent"]) == (0, None)
    assert empty["median_first_response_seconds"] is None
    assert empty["open_breaches"] == 1  # breaches are of now, whatever the window


def test_report_sla_table_is_one_line_per_owner_then_the_team(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _team(board, timed)
    code, out, _ = cli("report", "sla", "--pipeline", "seven-step")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("SLA report · pipeline seven-step · leads created ")
    assert lines[1] == "seven-step: first touch within 5 min; Prospect: 5 attempts in 14 days"
    assert lines[3].split() == [
        "OWNER",
        "LEADS",
        "1ST",
        "RESPONSE",
        "IN",
        "SLA",
        "BREACHES",
        "QUIET",
        "NO/LATE",
        "STEP",
    ]
    assert lines[4].split() == [
        "Lena",
        "Hoffmann",
        "1",
        "3m",
        "00s",
        "100%",
        "(1/1)",
        "0",
        "0",
        "1",
    ]
    assert lines[5].split() == ["Rick", "<Rep>", "2", "2h", "03m", "0%", "(0/2)", "1", "0", "2"]
    assert lines[7].split() == ["Team", "3", "1h", "03m", "33%", "(1/3)", "1", "0", "3"]
    assert max(len(line) for line in lines[3:]) <= 80
    code, out, _ = cli("report", "sla", "--since", "30d", "--until", "2d")
    assert "—" in out.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "soon"), "since: 'soon' is not accepted"),
        (("--until", "later"), "until: 'later' is not accepted"),
        (("--since", "1d", "--until", "2d"), "must start before it ends"),
        (("--pipeline", "nope"), "nope"),
    ],
)
def test_report_sla_refuses_a_bad_window_in_one_line(
    cli: Cli,  # noqa: F811
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = cli("report", "sla", *args)
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1


def test_report_without_a_name_says_which_reports_exist(cli: Cli) -> None:  # noqa: F811
    code, _, err = cli("report")
    assert code == 2 and "REPORT" in err


def test_reassign_breached_only_moves_just_the_neglected_deals(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    ids = _team(board, timed)
    qualified = board.add_deal(
        DealFields(title="Untouched in Qualify", owner="rick"), stage="Qualify"
    )
    timed.advance(hours=1)
    code, out, _ = cli("reassign", "--from", "rick", "--to", "lena", "--breached-only", "--dry-run")
    assert code == 0 and "2 deals would go" in out
    assert f"#{ids['waiting']} Kiosks" in out and "Fleet" not in out
    code, out, _ = cli(
        "reassign", "--from", "rick", "--to", "lena", "--breached-only", "--stage", "Prospect"
    )
    assert code == 0 and out.splitlines()[-1] == "1 deal reassigned from rick to lena"
    owners = {d.id: d.owner for d in board.list_deals()}
    assert (owners[ids["waiting"]], owners[ids["rick"]], owners[qualified]) == (
        "lena",
        "rick",
        "rick",
    )
    audit = board.deal(ids["waiting"]).audit
    [change] = [a for a in audit if a.field == "owner" and a.action == "update"]
    assert (change.user, change.old_value, change.new_value) == ("maria", "rick", "lena")
    code, out, _ = cli("reassign", "--from", "lena", "--to", "rick", "--breached-only")
    assert code == 0 and out.splitlines()[-1] == "1 deal reassigned from lena to rick"
    code, out, _ = cli("reassign", "--from", "lena", "--to", "rick", "--breached-only")
    assert code == 0 and out == "no breached open deals of lena match; nothing reassigned\n"


def test_a_rep_may_not_reassign_breached_deals(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    ids = _team(board, timed)
    before = row_counts(board)
    code, _, err = cli("reassign", "--from", "rick", "--to", "lena", "--breached-only", user="rick")
    assert code == 3 and "only a manager" in err
    assert row_counts(board) == before
    assert board.deal(ids["waiting"]).summary.owner == "rick"
