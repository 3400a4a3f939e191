"""`dealboard report NAME` as scripts and people see it: the JSON keys, table, Markdown, CSV.

The JSON key sets are pinned here exactly, so renaming or dropping a documented
key fails a test (`dealboard.cli.report_json` documents them).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import update

from clock import FixedClock
from dealboard.db.models import Deal, User
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.reports import REPORTS
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name

HEADER = ["report", "generated_at", "pipeline", "currency", "since", "until", "owner", "tag"]
RATE = {"count", "n", "percent"}
MONEY = {"total", "count", "average"}
STAYS = {"n", "median_seconds", "p90_seconds"}
GROUP = {"deals", "closed", "won", "win_rate", "avg_cycle_seconds", "avg_cycle_n", "won_value"}
OWNER = {"owner", "display_name", "won", "won_value", "win_rate", "activities", "sla"}
OWNER |= {  # the month's goal (dealboard.domain.goals)
    "goal_month",
    "goal_minor",
    "goal_currency",
    "goal_month_won_minor",
    "attainment",
    "remaining_minor",
}


def _history(board: Board, clock: FixedClock) -> None:
    """A little of everything: two currencies, a source, a tag, a touch, a win and a loss."""
    board.add_user("lena", "Lena Hoffmann")
    won = board.add_deal(
        DealFields(title="Won", value="$1,000", owner="lena", source="web", add_tags=("promo",))
    )
    lost = board.add_deal(DealFields(title="Lost", value="EUR 500", close_date="2026-12-01"))
    board.add_deal(DealFields(title="Open", value="$200", close_date="2026-11-01"))
    board.add_deal(DealFields(title="Undated", value="$300"))
    clock.advance(minutes=3)
    Board(board.database, "lena", clock).add_activity(won, kind="call", subject="Hi", done=True)
    clock.advance(days=2)
    board.move(won, "Qualify", override="test")
    clock.advance(days=2)
    board.win(won, override="test")
    board.lose(lost, "price")


def _json(cli: Cli, name: str, *args: str) -> dict[str, Any]:  # noqa: F811
    code, out, err = cli("report", name, "--format", "json", *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_every_report_json_has_exactly_the_documented_keys(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _history(board, timed)
    funnel = _json(cli, "funnel")
    assert list(funnel) == [*HEADER, "deals", "open", "won", "lost", "steps", "not_measured"]
    assert set(funnel["steps"][0]) == {"stage", "kind", "reached", "to_next", "from_first"}
    assert set(funnel["steps"][0]["to_next"]) == RATE and funnel["steps"][-1]["to_next"] is None

    stages = _json(cli, "stages")
    assert list(stages) == [*HEADER, "stages", "not_measured"]
    assert set(stages["stages"][0]) == {"stage", "finished", "ongoing"}
    assert set(stages["stages"][0]["finished"]) == set(stages["stages"][0]["ongoing"]) == STAYS

    velocity = _json(cli, "velocity")
    assert list(velocity) == [
        *HEADER,
        "open_deals",
        "win_rate",
        "avg_cycle_seconds",
        "avg_cycle_n",
        "currencies",
    ]
    assert list(velocity["currencies"]) == ["USD"]  # EUR was only lost: no open, no won
    usd = velocity["currencies"]["USD"]
    assert set(usd) == {"open_deals", "won_value", "velocity_per_day", "missing"}
    assert set(usd["won_value"]) == MONEY

    forecast = _json(cli, "forecast")
    assert list(forecast) == [*HEADER, "first_month", "last_month", "buckets", "totals"]
    assert [b["bucket"] for b in forecast["buckets"]] == ["overdue", "2026-11", "no-date"]
    assert set(forecast["buckets"][0]) == {"bucket", "kind", "amounts"}
    assert set(forecast["buckets"][1]["amounts"]["USD"]) == {"deals", "weighted", "best_case"}

    losses = _json(cli, "losses")
    assert list(losses) == [
        *HEADER,
        "lost",
        "value",
        "by_reason",
        "by_stage",
        "by_month",
        "not_measured",
    ]
    assert set(losses["by_reason"][0]) == {"reason", "lost", "share", "value"}
    assert set(losses["by_stage"][0]) == {"stage", "lost", "share", "value"}
    assert set(losses["by_month"][0]) == {"month", "lost", "reasons"}
    assert set(losses["value"]["EUR"]) == MONEY and set(losses["by_reason"][0]["share"]) == RATE

    cohorts = _json(cli, "cohorts")
    assert list(cohorts) == [*HEADER, "all", "by_source", "by_tag", "untagged"]
    assert set(cohorts["all"]) == set(cohorts["untagged"]) == GROUP
    assert set(cohorts["by_source"][0]) == {"source", *GROUP}
    assert set(cohorts["by_tag"][0]) == {"tag", "with", "without"}
    assert set(cohorts["by_tag"][0]["with"]) == GROUP

    owners = _json(cli, "owners")
    assert list(owners) == [*HEADER, "owners", "team"]
    assert set(owners["owners"][0]) == set(owners["team"]) == OWNER
    assert set(owners["team"]["sla"]) == RATE


def test_report_json_numbers_and_filters(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _history(board, timed)
    funnel = _json(cli, "funnel", "--owner", "lena", "--tag", "#Promo", "--since", "2026-11-01")
    assert (funnel["owner"], funnel["tag"], funnel["until"]) == ("lena", "promo", None)
    assert funnel["since"].startswith("2026-1")  # the local midnight, in UTC
    assert (funnel["deals"], funnel["won"]) == (1, 1)
    assert funnel["steps"][1]["from_first"] == {"count": 1, "n": 1, "percent": 100.0}
    velocity = _json(cli, "velocity")
    assert velocity["win_rate"] == {"count": 1, "n": 2, "percent": 50.0}
    assert velocity["avg_cycle_seconds"] == 4 * 86_400 + 180
    assert velocity["currencies"]["USD"]["won_value"] == {
        "total": 100_000,
        "count": 1,
        "average": 100_000,
    }
    # 2 open × 1/2 × $1,000 ÷ 4 days 3 minutes = $249.87 a day.
    assert velocity["currencies"]["USD"]["velocity_per_day"] == 24_987
    stages = _json(cli, "stages")["stages"]
    # Prospect was left after 2 days 3 minutes (won later) and 4 days 3 minutes (lost).
    assert stages[0]["finished"] == {
        "n": 2,
        "median_seconds": 3 * 86_400 + 180,
        "p90_seconds": 4 * 86_400 + 180,
    }
    owners = _json(cli, "owners")
    assert owners["owners"][0]["owner"] == "lena"
    assert owners["owners"][0]["sla"] == {"count": 1, "n": 1, "percent": 100.0}
    cohorts = _json(cli, "sources")
    assert [s["source"] for s in cohorts["by_source"]] == [None, "web"]
    forecast = _json(cli, "forecast", "--until", "2026-12-31")
    assert (forecast["first_month"], forecast["last_month"]) == ("2026-11", "2026-12")
    assert forecast["totals"] == {"USD": {"deals": 2, "weighted": 2_500, "best_case": 50_000}}


def test_report_tables_fit_80_columns_with_numbers_right_aligned(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _history(board, timed)
    for name in REPORTS:
        code, out, err = cli("report", name)
        assert (code, err) == (0, ""), name
        assert max(len(line) for line in out.splitlines()) <= 80, name
    code, out, _ = cli("report", "funnel")
    lines = out.splitlines()
    assert lines[0] == "Funnel · Seven-step sales process (seven-step)"
    assert lines[1] == "window: all time (deals created in the window)"
    assert lines[2] == "4 deals: 2 open, 1 won, 1 lost"
    assert lines[4].split() == ["STAGE", "REACHED", "TO", "NEXT", "FROM", "FIRST"]
    assert lines[5].split() == ["Prospect", "4", "25%", "(1/4)", "100%", "(4/4)"]
    assert lines[-1].split() == ["Won", "1", "—", "25%", "(1/4)"]
    assert lines[5].index("4 ") < lines[4].index("REACHED") + len("REACHED")
    code, out, _ = cli("report", "owners")
    rows = out.splitlines()
    assert rows[-2].startswith("─") and rows[-1].split()[:3] == ["Team", "1", "$1k"]


def test_report_markdown_is_a_table_per_section(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _history(board, timed)
    code, out, _ = cli("report", "losses", "--format", "md")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "**Losses · Seven-step sales process (seven-step)**"
    assert "*By reason*" in lines and "*By stage lost from*" in lines
    header = lines.index("| REASON | LOST | SHARE | VALUE |")
    assert lines[header + 1] == "| --- | ---: | ---: | ---: |"
    assert lines[header + 2] == "| price | 1 | 100% (1/1) | EUR 500.00 |"


def test_report_csv_has_one_header_row_and_plain_numbers(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    _history(board, timed)
    _, out, _ = cli("report", "owners", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "owner",
        "won",
        "won_value_USD",
        "win_rate_percent",
        "win_rate_count",
        "win_rate_n",
        "activities",
        "sla_percent",
        "sla_count",
        "sla_n",
    ]
    assert rows[1] == ["Lena Hoffmann", "1", "1000.00", "100.0", "1", "1", "1", "100.0", "1", "1"]
    assert rows[-1][0] == "Team"
    _, out, _ = cli("report", "losses", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["section", "key", "lost"]
    assert {r[0] for r in rows[1:]} == {"by_reason", "by_stage_lost_from", "by_month"}
    assert rows[1][:7] == ["by_reason", "price", "1", "100.0", "1", "1", "500.00"]


def test_report_csv_neutralises_formulas_and_no_escape_reaches_the_output(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    board.add_deal(DealFields(title="Trap", source='=HYPERLINK("http://evil","x")'))
    board.add_deal(DealFields(title="Minus", source="-2+3"))
    board.add_deal(DealFields(title="At", source="@SUM(A1)"))
    with board.database.write() as write:
        write.execute(update(Deal).where(Deal.title == "At").values(source="@SUM(A1)\x1b[2J"))
        write.execute(update(User).values(display_name="Maria \x1b]0;owned\x07"))
    code, out, _ = cli("report", "cohorts", "--format", "csv")
    keys = [row[1] for row in csv.reader(io.StringIO(out)) if row[0] == "by_source"]
    assert sorted(keys) == ["'-2+3", '\'=HYPERLINK("http://evil","x")', "'@SUM(A1)\ufffd[2J"]
    for name in ("cohorts", "owners"):
        for fmt in ("table", "md", "csv", "json"):
            code, out, _ = cli("report", name, "--format", fmt)
            assert code == 0 and "\x1b" not in out and "\x07" not in out, (name, fmt)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("funnel", "--since", "soon"), "since: 'soon' is not accepted"),
        (("stages", "--since", "1d", "--until", "2d"), "must start before it ends"),
        (("losses", "--owner", "nobody"), "nobody"),
        (("owners", "--format", "xml"), "invalid choice"),
    ],
)
def test_reports_refuse_bad_options_in_one_line(
    cli: Cli,  # noqa: F811
    args: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = cli("report", *args)
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1
