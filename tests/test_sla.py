"""Service levels on fixed timestamps: first response, breaches, quiet, time zones, the report."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord
from dealboard.domain.sla import (
    BreachKind,
    first_response,
    follow_up_late,
    open_breaches,
    responded_in_time,
    response_time_text,
    short_duration,
    waiting_for_first_touch,
)
from dealboard.domain.sla_report import build_report, median, report_window
from dealboard.vocabulary import ContactType, StageKind

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

PROSPECT = StageRecord(1, "Prospect", 1, StageKind.OPEN, 5, 14, (), 5, 14, speed_to_lead_minutes=5)
QUALIFY = StageRecord(2, "Qualify", 2, StageKind.OPEN, 10, 14, (), speed_to_lead_minutes=5)
LOST = StageRecord(3, "Lost", 3, StageKind.LOST, 0, None, (), speed_to_lead_minutes=5)
PIPELINE = PipelineRecord(1, "p", "P", "", "USD", (PROSPECT, QUALIFY, LOST), 5)


def lead(**changes: object) -> DealSummary:
    """A new lead in Prospect, created at T0, owned by rick, nothing done yet."""
    deal = DealSummary(
        id=1,
        title="Fleet",
        account="",
        contact="",
        pipeline="p",
        stage="Prospect",
        stage_id=1,
        stage_kind=StageKind.OPEN,
        owner="rick",
        owner_display="Rick Rep",
        value_minor=0,
        currency="USD",
        contact_type=ContactType.SUSPECT,
        source="",
        tags=(),
        expected_close=None,
        next_step="Call",
        next_step_due=T0.date() + timedelta(days=30),
        position=0,
        stage_entered_at=T0,
        created_at=T0,
        closed_at=None,
        loss_reason=None,
        loss_note="",
        checklist_done=0,
        checklist_total=0,
        open_objections=0,
        version=1,
    )
    return replace(deal, **changes)  # type: ignore[arg-type]


# -- the rules, pure --------------------------------------------------------------


def test_first_response_is_creation_to_first_touch_and_five_minutes_is_in_time() -> None:
    assert first_response(lead()) is None
    on_time = lead(first_touch_at=T0 + timedelta(minutes=5))
    assert first_response(on_time) == timedelta(minutes=5)
    assert responded_in_time(on_time, 5, now=T0 + timedelta(days=9)) is True
    late = lead(first_touch_at=T0 + timedelta(minutes=5, seconds=1))
    assert responded_in_time(late, 5, now=T0 + timedelta(days=9)) is False
    assert responded_in_time(late, None, now=T0) is None  # no rule, nothing judged
    # untouched: not judged while the minutes run, missed once they are up
    assert responded_in_time(lead(), 5, now=T0 + timedelta(minutes=5)) is None
    assert responded_in_time(lead(), 5, now=T0 + timedelta(minutes=5, seconds=1)) is False


def test_a_touch_logged_before_the_deal_counts_as_instant() -> None:
    early = lead(first_touch_at=T0 - timedelta(minutes=1))
    assert first_response(early) == timedelta(0)


def test_an_open_untouched_lead_past_its_minutes_is_an_open_breach() -> None:
    assert waiting_for_first_touch(lead(), 5, T0 + timedelta(minutes=5)) is None
    assert waiting_for_first_touch(lead(), 5, T0 + timedelta(hours=3)) == timedelta(hours=3)
    assert waiting_for_first_touch(lead(), None, T0 + timedelta(days=3)) is None
    touched_late = lead(first_touch_at=T0 + timedelta(hours=2))
    assert waiting_for_first_touch(touched_late, 5, T0 + timedelta(hours=3)) is None
    closed = lead(stage_kind=StageKind.LOST, stage_id=3)
    assert open_breaches(closed, LOST, T0 + timedelta(days=3)) == ()
    [breach] = open_breaches(lead(), QUALIFY, T0 + timedelta(hours=3))  # any open stage
    assert (breach.kind, breach.text) == (BreachKind.NO_TOUCH, "⚠ no touch 3h")


def test_follow_up_is_late_only_after_the_window_with_attempts_missing_and_no_reply() -> None:
    touched = {"first_touch_at": T0, "touches_in_stage": 2}
    end = T0 + timedelta(days=14)
    assert not follow_up_late(lead(**touched), PROSPECT, end)
    assert follow_up_late(lead(**touched), PROSPECT, end + timedelta(seconds=1))
    after = end + timedelta(days=1)
    assert not follow_up_late(lead(**touched, reached_in_stage=True), PROSPECT, after)
    assert not follow_up_late(lead(first_touch_at=T0, touches_in_stage=5), PROSPECT, after)
    assert not follow_up_late(lead(**touched, stage_id=2), QUALIFY, after)  # no cadence there
    # the window runs from entering the stage, not from creation
    moved_back = lead(**touched, stage_entered_at=T0 + timedelta(days=10))
    assert not follow_up_late(moved_back, PROSPECT, after)
    [breach] = open_breaches(lead(**touched), PROSPECT, after)
    assert (breach.kind, breach.text) == (BreachKind.FOLLOW_UP, "⚠ 2/5 late")


def test_an_untouched_lead_past_its_window_breaks_both_promises() -> None:
    kinds = [b.kind for b in open_breaches(lead(), PROSPECT, T0 + timedelta(days=15))]
    assert kinds == [BreachKind.NO_TOUCH, BreachKind.FOLLOW_UP]


def test_durations_read_short_on_cards_and_plain_in_the_report() -> None:
    assert [short_duration(timedelta(seconds=s)) for s in (59, 61, 7200, 172800)] == [
        "59s",
        "1m",
        "2h",
        "2d",
    ]
    assert response_time_text(None) == "—"
    assert response_time_text(timedelta(minutes=4, seconds=10)) == "4m 10s"
    assert response_time_text(timedelta(hours=1, minutes=5)) == "1h 05m"
    assert response_time_text(timedelta(days=2, hours=3, minutes=59)) == "2d 3h"


def test_time_zones_never_change_a_first_response() -> None:
    created = datetime(2026, 11, 20, 23, 58, tzinfo=NEW_YORK)
    touched = datetime(2026, 11, 21, 0, 3, tzinfo=NEW_YORK)
    assert first_response(lead(created_at=created, first_touch_at=touched)) == timedelta(minutes=5)
    # the same instants written with other offsets
    deal = lead(created_at=created.astimezone(TOKYO), first_touch_at=touched.astimezone(UTC))
    assert first_response(deal) == timedelta(minutes=5)
    assert responded_in_time(deal, 5, now=touched + timedelta(days=1)) is True


def test_median_of_odd_and_even_counts_and_of_nothing() -> None:
    minutes = [timedelta(minutes=m) for m in (9, 1, 5)]
    assert median(minutes) == timedelta(minutes=5)
    assert median([*minutes, timedelta(minutes=20)]) == timedelta(minutes=7)
    assert median([timedelta(minutes=1), timedelta(minutes=2)]) == timedelta(seconds=90)
    assert median([]) is None


# -- the report, pure --------------------------------------------------------------


def _report(deals: list[DealSummary], now: datetime):  # type: ignore[no-untyped-def]
    return build_report(
        deals, [PIPELINE], now=now, since=now - timedelta(days=30), until=now, pipeline=None
    )


def test_the_report_counts_leads_of_the_window_and_breaches_of_any_age() -> None:
    now = T0 + timedelta(days=20)
    deals = [
        lead(id=1, owner="ana", owner_display="Ana", first_touch_at=T0 + timedelta(minutes=3)),
        lead(id=2, owner="ana", owner_display="Ana", first_touch_at=T0 + timedelta(hours=2)),
        lead(id=3, first_touch_at=T0 + timedelta(minutes=1), touches_in_stage=5),
        lead(id=4, created_at=now - timedelta(minutes=2), stage_entered_at=now),  # too early
        lead(id=5, created_at=now - timedelta(days=90), stage_entered_at=now),  # old, untouched
        lead(id=6, stage_id=3, stage_kind=StageKind.LOST),  # lost untouched lead: missed
    ]
    report = _report(deals, now)
    ana, rick = report.owners
    assert (ana.owner, ana.display_name, ana.leads, ana.responded) == ("ana", "Ana", 2, 2)
    assert ana.median_first_response == timedelta(minutes=61, seconds=30)
    assert (ana.within_sla, ana.judged, ana.within_sla_percent) == (1, 2, 50.0)
    assert ana.open_breaches == 2  # both are 20 days in Prospect with attempts missing
    assert (ana.no_touch, ana.follow_up_late) == (0, 2)
    assert (rick.leads, rick.responded, rick.within_sla, rick.judged) == (3, 1, 1, 2)
    assert rick.median_first_response == timedelta(minutes=1)
    assert (rick.open_breaches, rick.no_touch) == (1, 1)  # the 90-day-old one, not the new one
    assert report.team.owner is None
    assert (report.team.leads, report.team.within_sla, report.team.judged) == (5, 2, 4)
    assert report.team.median_first_response == timedelta(minutes=3)
    assert report.team.open_breaches == 3
    assert report.team.quiet == 3  # the three 20 days idle in Prospect (rot 14)


def test_no_leads_means_no_percent_and_no_median_not_a_division_by_zero() -> None:
    now = T0 + timedelta(days=100)
    quiet_old = lead(first_touch_at=T0, touches_in_stage=5, last_activity_at=T0)
    report = _report([quiet_old], now)
    [rick] = report.owners
    assert (rick.leads, rick.judged) == (0, 0)
    assert rick.within_sla_percent is None and rick.median_first_response is None
    assert (rick.open_breaches, rick.quiet) == (0, 1)
    empty = _report([], now)
    assert empty.owners == () and empty.team.within_sla_percent is None


def test_a_missing_or_late_next_step_is_counted_apart_from_breaches() -> None:
    now = T0 + timedelta(days=3)
    touched = {"first_touch_at": T0, "last_activity_at": T0}
    deals = [
        lead(id=1, next_step="", next_step_due=None, **touched),
        lead(id=2, next_step_due=T0.date(), **touched),
        lead(id=3, **touched),
    ]
    team = _report(deals, now).team
    assert (team.step_missing_or_late, team.open_breaches) == (2, 0)


def test_the_window_defaults_to_30_days_and_takes_days_or_durations() -> None:
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert report_window(None, None, now) == (now - timedelta(days=30), now)
    since, until = report_window("7d", "24h", now)
    assert (since, until) == (now - timedelta(days=7), now - timedelta(hours=24))
    with pytest.raises(InvalidInput, match="until"):
        report_window(None, "soon", now)
    with pytest.raises(InvalidInput, match="start before it ends"):
        report_window("1d", "2d", now)


# -- on a real database ----------------------------------------------------------


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run as a user far east of UTC; the process zone is put back afterwards."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_lead_created_at_2358_and_called_at_0003_took_five_minutes(
    board: Board, clock: FixedClock, local_zone: None
) -> None:
    clock.now = datetime(2026, 11, 20, 23, 58, tzinfo=LOS_ANGELES)
    deal_id = board.add_deal(DealFields(title="Late-night lead"))
    clock.now = datetime(2026, 11, 21, 0, 3, tzinfo=LOS_ANGELES)
    board.add_activity(deal_id, kind="call", subject="Called back", done=True)
    summary = board.deal(deal_id).summary
    assert summary.created_at == datetime(2026, 11, 21, 7, 58, tzinfo=UTC)  # stored as UTC
    assert first_response(summary) == timedelta(minutes=5)
    clock.now = datetime(2026, 11, 22, 9, 0, tzinfo=TOKYO)
    report = board.sla_report()
    assert report.team.median_first_response == timedelta(minutes=5)
    assert (report.team.within_sla, report.team.judged, report.team.open_breaches) == (1, 1, 0)
    # a day typed for --since is the user's day: Auckland's 22 Nov starts at 11:00 UTC on the 21st
    since, until = report_window("2026-11-22", "2026-11-22", board.now())
    assert since == datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    assert until - since == timedelta(days=1)
    assert board.sla_report(since="2026-11-22").team.leads == 0
    assert board.sla_report(since="2026-11-21").team.leads == 1
    assert board.sla_report(since="2026-11-20", until="2026-11-20").team.leads == 0
    assert board.sla_report(since="2026-11-20", until="2026-11-21").team.leads == 1


def test_the_board_report_per_owner_on_fixed_timestamps(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    start = clock.now
    old = board.add_deal(DealFields(title="Old and forgotten", owner="rick"))
    clock.now = start + timedelta(days=40)
    fast = board.add_deal(DealFields(title="Fast", next_step="Demo", next_step_due="+3d"))
    slow = board.add_deal(
        DealFields(title="Slow", owner="rick", next_step="x", next_step_due="-1d")
    )
    waiting = board.add_deal(DealFields(title="Waiting", owner="rick"))
    clock.advance(minutes=4)
    board.add_activity(fast, kind="email", subject="Thanks for asking", done=True)
    board.add_activity(slow, kind="note", subject="A note is not a touch", done=True)
    clock.advance(hours=2)
    board.add_activity(slow, kind="call", subject="Finally", done=True)
    clock.advance(days=1)
    report = board.sla_report()
    assert [o.owner for o in report.owners] == ["maria", "rick"]
    maria, rick = report.owners
    assert (maria.leads, maria.within_sla, maria.judged, maria.open_breaches) == (1, 1, 1, 0)
    assert maria.median_first_response == timedelta(minutes=4)
    assert (rick.leads, rick.responded, rick.within_sla, rick.judged) == (2, 1, 0, 2)
    assert rick.median_first_response == timedelta(hours=2, minutes=4)
    assert (rick.open_breaches, rick.no_touch) == (2, 2)  # Waiting and the 41-day-old one
    assert rick.quiet == 1 and rick.step_missing_or_late == 3
    assert [d.id for d in board.breached_deals(owner="rick")] == [old, waiting]
    board.lose(old, "no-decision")
    assert board.sla_report().team.open_breaches == 1
    assert board.sla_report(pipeline="seven-step").pipeline == "seven-step"
    assert rep_board.sla_report().team.leads == 3  # anyone may read it
