"""`R` opens the Reports screen: every report as bars beside the domain's figures, live."""

from __future__ import annotations

import pytest
from pilot_helpers import (
    after_a_change_elsewhere,
    app_opened_with,
    open_with,
    press_and_settle,
    seen,
    settle,
)
from textual.pilot import Pilot
from textual.widgets import Tabs

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.reports.charts import FULL
from dealboard.ui.reports.screen import ReportsScreen
from dealboard.ui.reports.wording import days_text, money_text, rate_text


def _chart(pilot: Pilot) -> list[str]:
    """The report's lines as the user reads them."""
    return [
        line.rstrip() for line in seen(pilot.app.screen.query_one("#reports-chart")).splitlines()
    ]


def _row(pilot: Pilot, label: str) -> str:
    """The first line of the chart that starts with `label`."""
    return next(line for line in _chart(pilot) if line.startswith(label))


def _title(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#reports-title"))


def _active(pilot: Pilot) -> str:
    return pilot.app.screen.query_one(Tabs).active


def _reached(pilot: Pilot) -> str:
    """How many deals reached Prospect, as the funnel's first row says."""
    return _row(pilot, "Prospect").split()[-5]


async def test_r_opens_the_funnel_with_the_domains_counts_then_esc_goes_back(
    demo_board: Board,
) -> None:
    funnel = demo_board.report("funnel")
    async with app_opened_with(demo_board, "R", (80, 24)) as pilot:
        assert isinstance(pilot.app.screen, ReportsScreen)
        assert _active(pilot) == "funnel"
        assert "Reports · Seven-step sales process · all time · everyone" in _title(pilot)
        first = funnel.steps[0]
        prospect = _row(pilot, first.stage)
        assert prospect.split()[-5:] == [
            str(first.reached),
            *rate_text(first.to_next).split(),
            *rate_text(first.from_first).split(),
        ]
        widths = []
        for step in funnel.steps:
            line = _row(pilot, step.stage)
            assert rate_text(step.from_first) in line
            widths.append(line.count(FULL))
        assert widths == sorted(widths, reverse=True) and widths[-1] > 0  # a funnel
        assert f"{funnel.deals} deals created: {funnel.open} open" in "\n".join(_chart(pilot))
        await press_and_settle(pilot, "escape")
        assert isinstance(pilot.app.screen, BoardScreen)


async def test_number_keys_and_arrows_choose_the_report(demo_board: Board) -> None:
    async with app_opened_with(demo_board, "R", (120, 36)) as pilot:
        await pilot.press("2")
        assert _active(pilot) == "stages"
        await pilot.press("right")
        assert _active(pilot) == "velocity"
        await pilot.press("tab")
        assert _active(pilot) == "forecast"
        await pilot.press("left", "left", "left", "left")
        assert _active(pilot) == "change"  # round the end
        await pilot.press("shift+tab", "6")
        assert _active(pilot) == "cohorts"
        assert _chart(pilot)[1:3] == ["", "By lead source"]
        await pilot.click("#losses")
        await pilot.pause()
        assert _active(pilot) == "losses"
        assert _chart(pilot)[2] == "By reason"


@pytest.mark.usefixtures("demo_in_utc")
async def test_every_report_shows_the_figures_the_domain_worked_out(demo_board: Board) -> None:
    stages = demo_board.report("stages")
    velocity = demo_board.report("velocity")
    forecast = demo_board.report("forecast")
    losses = demo_board.report("losses")
    cohorts = demo_board.report("cohorts")
    owners = demo_board.report("owners")
    async with app_opened_with(demo_board, "R", (120, 60)) as pilot:
        await pilot.press("2")
        for stage in stages.stages:
            figures = _row(pilot, stage.stage).split()
            assert figures[-6:-3] == [
                days_text(stage.finished.median),
                days_text(stage.finished.p90),
                str(stage.finished.n),
            ]

        await pilot.press("3")
        await pilot.pause()
        tiles = [str(d.value) for d in pilot.app.screen.query("#reports-factors Digits")]
        assert tiles[:2] == [str(velocity.open_deals), str(round(velocity.win_rate.percent))]
        for row in velocity.currencies:
            assert money_text(row.per_day_minor, row.currency) in _row(pilot, row.currency)

        await pilot.press("4")
        usd = forecast.totals[0]
        assert _row(pilot, "total").split() == [
            "total",
            money_text(usd.weighted_minor, "USD"),
            money_text(usd.best_case_minor, "USD"),
            str(usd.deals),
        ]
        assert _row(pilot, "overdue") and _row(pilot, "no date")
        assert [line for line in _chart(pilot) if line.startswith(("EUR", "GBP"))]

        await pilot.press("5")
        text = "\n".join(_chart(pilot))
        assert f"{losses.lost} deals lost" in text
        for tally in losses.by_reason:
            assert rate_text(tally.share) in _row(pilot, tally.key.replace("-", " "))

        await pilot.press("6")
        for cohort in cohorts.by_source:
            assert rate_text(cohort.stats.win_rate) in _row(pilot, cohort.key)

        await pilot.press("7")
        leader = owners.owners[0]
        line = _row(pilot, leader.display_name)
        assert money_text(leader.won_value[0].total_minor, "USD") in line
        assert rate_text(leader.win_rate) in line and rate_text(leader.sla) in line
        assert rate_text(owners.team.win_rate) in _row(pilot, "Team")


async def test_an_empty_board_says_so_in_a_sentence(board: Board) -> None:
    async with app_opened_with(board, "R", (80, 24)) as pilot:
        said = []
        for key in "1234567":
            await pilot.press(key)
            said.append(_chart(pilot)[0])
        assert said == [
            "No deals were created in this window.",
            "No deal has spent time in a stage in this window.",
            "No open deals and no deals closed in this window.",
            "No open deals to forecast.",
            "No deals were lost in this window.",
            "No deals were created in this window.",
            "No deals closed and no touches logged in this window.",
        ]
        await pilot.press("3")
        assert not pilot.app.screen.query_one("#reports-factors").display


async def test_a_change_made_elsewhere_shows_without_a_key(
    demo_board: Board, clock: FixedClock
) -> None:
    before = demo_board.report("funnel")
    other = Board(Database(demo_board.database.url), "lena", clock)
    async with app_opened_with(demo_board, "R", (80, 24)) as pilot:
        assert _reached(pilot) == str(before.steps[0].reached)
        other.add_deal(DealFields(title="Kiosk rollout"))
        await after_a_change_elsewhere(pilot)
        assert _reached(pilot) == str(before.steps[0].reached + 1)
        assert f"{before.deals + 1} deals created" in "\n".join(_chart(pilot))
    other.database.dispose()


async def test_w_changes_the_window_and_o_steps_through_the_owners(demo_board: Board) -> None:
    recent = demo_board.report("funnel", since="90d")
    arjuns = demo_board.report("funnel", owner="arjun")
    async with app_opened_with(demo_board, "R", (100, 30)) as pilot:
        await press_and_settle(pilot, "w")
        assert "last 90 days" in _title(pilot)
        assert _reached(pilot) == str(recent.steps[0].reached)
        await press_and_settle(pilot, "w", "w")
        assert "all time" in _title(pilot)
        await press_and_settle(pilot, "o")
        assert "@arjun" in _title(pilot)
        assert _reached(pilot) == str(arjuns.steps[0].reached)


async def test_bars_scale_to_the_width_of_the_terminal(demo_board: Board) -> None:
    async with app_opened_with(demo_board, "R", (80, 24)) as pilot:
        narrow = _row(pilot, "Prospect")
        assert len(narrow) <= 80 - 4
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        wide = _row(pilot, "Prospect")
        assert wide.count(FULL) > 2 * narrow.count(FULL)
        assert wide.split()[-5:] == narrow.split()[-5:]
        await pilot.resize_terminal(80, 24)
        await press_and_settle(pilot, "4", "pagedown")  # three currencies: more than a screen
        assert pilot.app.screen.query_one("#reports-body").scroll_y > 0


def test_the_funnel_at_120_by_36(demo_board: Board, snap_compare) -> None:
    assert snap_compare(
        DealboardApp(demo_board),
        terminal_size=(120, 36),
        run_before=lambda pilot: open_with(pilot, "R"),
    )


@pytest.mark.usefixtures("demo_in_utc")
def test_the_forecast_on_the_projector_at_120_by_36(demo_board: Board, snap_compare) -> None:
    async def open_forecast(pilot: Pilot) -> None:
        await open_with(pilot, "R", theme="projector")
        await pilot.press("4")
        await pilot.pause()

    assert snap_compare(DealboardApp(demo_board), terminal_size=(120, 36), run_before=open_forecast)


async def test_velocity_tiles_carry_their_sample_sizes(demo_board: Board) -> None:
    velocity = demo_board.report("velocity")
    async with app_opened_with(demo_board, "R", (100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        labels = [
            seen(s).strip() for s in pilot.app.screen.query("#reports-factors .reports-label")
        ]
        rate = velocity.win_rate
        assert labels[1] == f"% won ({rate.hits}/{rate.n})"
        assert labels[3] == f"days cycle (n={velocity.avg_cycle.n})"
        results = pilot.app.screen.query("#reports-results Digits")
        shown = [str(d.value) for d in results if d.parent.display]  # type: ignore[union-attr]
        assert shown == [money_text(r.per_day_minor, r.currency) for r in velocity.currencies]
