"""Reports against hand-built histories with known answers: funnel, stages, velocity, forecast.

Every deal is created, moved, won and lost through the board as a person would,
with the test's clock moved between steps, so the transitions are the real ones.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.reports import (
    REPORTS,
    BucketKind,
    CurrencyTotal,
    ForecastAmount,
    MedianP90,
    Rate,
)
from dealboard.vocabulary import StageKind

DAY = timedelta(days=1)


def deal(board: Board, title: str, stage: str | None = None, **fields: str) -> int:
    return board.add_deal(DealFields(title=title, **fields), stage=stage)


def test_an_empty_pipeline_gives_zeros_and_nones_in_every_report(board: Board) -> None:
    for name in REPORTS:
        assert board.report(name).scope.pipeline.name == "seven-step"
    funnel = board.report("funnel")
    assert (funnel.deals, funnel.open, funnel.won, funnel.lost) == (0, 0, 0, 0)
    assert [s.reached for s in funnel.steps] == [0] * 8
    assert funnel.steps[0].to_next == Rate(0, 0) and funnel.steps[0].to_next.percent is None
    assert funnel.steps[-1].to_next is None and funnel.steps[-1].kind is StageKind.WON
    stages = board.report("stages")
    assert {(s.finished, s.ongoing) for s in stages.stages} == {
        (MedianP90(0, None, None), MedianP90(0, None, None))
    }
    velocity = board.report("velocity")
    assert velocity.open_deals == 0 and velocity.currencies == ()
    assert velocity.win_rate.percent is None and velocity.avg_cycle.value is None
    forecast = board.report("forecast")
    assert [b.kind for b in forecast.buckets] == [BucketKind.OVERDUE, BucketKind.NO_DATE]
    assert forecast.totals == () and all(b.amounts == () for b in forecast.buckets)
    losses = board.report("losses")
    assert losses.lost == 0 and losses.by_month == () and losses.value == ()
    assert {t.lost for t in (*losses.by_reason, *losses.by_stage)} == {0}
    assert losses.by_reason[0].share.percent is None
    cohorts = board.report("cohorts")
    assert cohorts.all.deals == 0 and cohorts.all.win_rate.percent is None
    assert cohorts.by_source == () and cohorts.by_tag == ()
    owners = board.report("owners")
    assert owners.owners == ()
    assert owners.team.sla == Rate(0, 0) and owners.team.win_rate.percent is None


def test_unknown_reports_owners_and_windows_are_refused(board: Board) -> None:
    with pytest.raises(InvalidInput, match="use one of funnel, stages"):
        board.report("pipeline")
    with pytest.raises(NotFound):
        board.report("owners", owner="nobody")
    with pytest.raises(NotFound):
        board.report("funnel", pipeline="renewals")
    with pytest.raises(InvalidInput, match="start before it ends"):
        board.report("funnel", since="2026-11-20", until="2026-11-01")


def test_the_funnel_counts_the_furthest_stage_a_deal_ever_entered(
    board: Board, clock: FixedClock
) -> None:
    backwards = deal(board, "Went back, then lost")
    board.move(backwards, "Qualify", override="test")
    board.move(backwards, "Research", override="test")
    board.move(backwards, "Qualify")
    board.lose(backwards, "price")
    jumped = deal(board, "Jumped to Pitch, then won")
    board.move(jumped, "Pitch", override="test")
    board.win(jumped, override="test")
    deal(board, "Created in Research", stage="Research")
    reopened = deal(board, "Lost, reopened, lost again")
    board.lose(reopened, "timing")
    board.reopen(reopened)
    board.move(reopened, "Qualify", override="test")
    board.lose(reopened, "price")
    deal(board, "Just arrived")
    clock.advance(days=3)
    deal(board, "Later")

    funnel = board.report("funnel", until="2026-11-20")
    assert (funnel.deals, funnel.open, funnel.won, funnel.lost) == (5, 2, 1, 2)
    assert [(s.stage, s.reached) for s in funnel.steps] == [
        ("Prospect", 5),
        ("Qualify", 4),
        ("Research", 3),
        ("Pitch", 1),
        ("Overcome Objections", 1),
        ("Close", 1),
        ("Follow-up", 1),
        ("Won", 1),
    ]
    assert funnel.steps[0].to_next == Rate(4, 5)
    assert funnel.steps[2].to_next == Rate(1, 3)
    assert funnel.steps[2].from_first == Rate(3, 5)
    assert funnel.steps[0].from_first.percent == 100
    assert board.report("funnel").deals == 6
    assert board.report("funnel", since="2026-11-21").deals == 1


def _ten_stays(board: Board, clock: FixedClock) -> list[int]:
    """Ten deals leave Prospect after 1, 2, … 10 days; then sit in Qualify."""
    ids = [deal(board, f"Deal {n}") for n in range(1, 11)]
    for deal_id in ids:
        clock.advance(days=1)
        board.move(deal_id, "Qualify", override="test")
    return ids


def test_time_in_stage_is_the_median_and_nearest_rank_p90_of_the_stays(
    board: Board, clock: FixedClock
) -> None:
    _ten_stays(board, clock)
    report = board.report("stages")
    prospect, qualify, *rest = report.stages
    assert prospect.stage == "Prospect"
    assert prospect.finished == MedianP90(10, timedelta(days=5.5), 9 * DAY)
    assert prospect.ongoing == MedianP90(0, None, None)
    # In Qualify now for 9, 8, … 0 days.
    assert qualify.finished.n == 0
    assert qualify.ongoing == MedianP90(10, timedelta(days=4.5), 8 * DAY)
    assert {s.finished.n + s.ongoing.n for s in rest} == {0}


def test_time_in_stage_filtered_by_owner_or_tag_gives_the_same_figures(
    board: Board, clock: FixedClock
) -> None:
    ids = _ten_stays(board, clock)
    for deal_id in ids:
        board.edit_deal(deal_id, DealFields(add_tags=("spring",)))
    everyone = board.report("stages").stages
    assert board.report("stages", owner="maria").stages == everyone
    assert board.report("stages", tag="#Spring").stages == everyone
    board.edit_deal(ids[9], DealFields(remove_tags=("spring",)))
    tagged = board.report("stages", tag="spring").stages[0]
    assert tagged.finished == MedianP90(9, 5 * DAY, 9 * DAY)


def test_stays_count_in_the_window_they_ended_in_and_a_revisit_is_a_stay_of_its_own(
    board: Board, clock: FixedClock
) -> None:
    deal_id = deal(board, "Back and forth")
    clock.advance(days=2)
    board.move(deal_id, "Qualify", override="test")
    clock.advance(days=1)
    board.move(deal_id, "Prospect")
    clock.advance(days=4)
    board.move(deal_id, "Qualify", override="test")
    prospect, qualify, *_ = board.report("stages").stages
    assert prospect.finished == MedianP90(2, 3 * DAY, 4 * DAY)
    assert qualify.finished == MedianP90(1, DAY, DAY)
    assert qualify.ongoing == MedianP90(1, timedelta(0), timedelta(0))
    recent = board.report("stages", since="2026-11-24").stages[0]
    assert recent.finished == MedianP90(1, 4 * DAY, 4 * DAY)


def test_velocity_shows_each_factor_per_currency(board: Board, clock: FixedClock) -> None:
    small = deal(board, "Small", value="$1,000")
    large = deal(board, "Large", value="$3,000")
    euro = deal(board, "Euro", value="EUR 500")
    lost = deal(board, "Lost", value="$9,000")
    clock.advance(days=10)
    board.win(small, override="test")
    clock.advance(days=10)
    board.win(large, override="test")
    board.lose(lost, "price")
    clock.advance(days=10)
    board.win(euro, override="test")
    for n in range(4):
        deal(board, f"Open {n}", value="$100")
    deal(board, "Pounds", value="GBP 100")

    report = board.report("velocity")
    assert report.open_deals == 5
    assert report.win_rate == Rate(3, 4)
    assert report.avg_cycle.value == 20 * DAY and report.avg_cycle.n == 3
    usd, eur, gbp = report.currencies
    assert usd.currency == "USD" and usd.open_deals == 4
    assert usd.won_value == CurrencyTotal("USD", 400_000, 2)
    assert usd.won_value.average_minor == 200_000
    # 4 open × 3/4 × $2,000 ÷ 20 days = $300 a day.
    assert usd.per_day_minor == 30_000 and usd.missing is None
    assert (eur.currency, eur.open_deals, eur.per_day_minor) == ("EUR", 0, 0)
    assert gbp.per_day_minor is None and gbp.missing == "no GBP deal was won in the window"
    assert board.report("velocity", since="2026-12-15").win_rate == Rate(1, 1)


def test_velocity_is_none_with_a_reason_instead_of_dividing_by_zero(
    board: Board, clock: FixedClock
) -> None:
    deal(board, "Open", value="$100")
    [row] = board.report("velocity").currencies
    assert (row.per_day_minor, row.missing) == (None, "no deal was closed in the window")
    board.lose(deal(board, "Lost"), "price")
    [row] = board.report("velocity").currencies
    assert row.missing == "no deal was won in the window"
    board.win(deal(board, "Won at once", value="$50"), override="test")
    report = board.report("velocity")
    assert report.avg_cycle.value == timedelta(0)
    assert report.currencies[0].missing == "the average cycle length is zero"


def test_the_forecast_buckets_open_deals_by_expected_close_month_per_currency(
    board: Board,
) -> None:
    deal(board, "This month", value="$1,000", close_date="2026-11-25")
    pitch = deal(board, "December", value="$2,000", close_date="2026-12-10")
    board.move(pitch, "Pitch", override="test")
    euro = deal(board, "Euro December", value="EUR 500", close_date="2026-12-01")
    board.move(euro, "Qualify", override="test")
    deal(board, "Overdue", value="$300", close_date="2026-10-01")
    deal(board, "Undated", value="$700")
    deal(board, "Odd cents", value="$3.33", close_date="2027-02-01")
    board.win(deal(board, "Won", value="$5,000", close_date="2026-11-30"), override="test")

    report = board.report("forecast")
    assert (report.first_month, report.last_month) == (date(2026, 11, 1), None)
    assert [(b.kind, b.label) for b in report.buckets] == [
        (BucketKind.OVERDUE, "overdue"),
        (BucketKind.MONTH, "2026-11"),
        (BucketKind.MONTH, "2026-12"),
        (BucketKind.MONTH, "2027-02"),
        (BucketKind.NO_DATE, "no date"),
    ]
    overdue, november, december, february, undated = (b.amounts for b in report.buckets)
    assert overdue == (ForecastAmount("USD", 1, 1_500, 30_000),)
    assert november == (ForecastAmount("USD", 1, 5_000, 100_000),)
    assert december == (
        ForecastAmount("USD", 1, 80_000, 200_000),
        ForecastAmount("EUR", 1, 5_000, 50_000),
    )
    assert february == (ForecastAmount("USD", 1, 16, 333),)  # 5 % of $3.33, rounded down
    assert undated == (ForecastAmount("USD", 1, 3_500, 70_000),)
    assert report.totals == (
        ForecastAmount("USD", 5, 90_016, 400_333),
        ForecastAmount("EUR", 1, 5_000, 50_000),
    )
    november_only = board.report("forecast", until="2026-11-30")
    assert november_only.last_month == date(2026, 11, 1)
    assert [b.label for b in november_only.buckets] == ["overdue", "2026-11", "no date"]
    from_december = board.report("forecast", since="2026-12-01", until="2026-12-31")
    assert [b.label for b in from_december.buckets] == ["overdue", "2026-12", "no date"]
