"""The `/` filter run by the database picks exactly the deals the in-memory filter picks.

A big board filters in SQL (`filter_sql.filtered`) instead of loading every card, so
each test builds a real board with deals in every situation a badge knows about and
checks, filter by filter, that SQL and `DealFilter.matches` + `deal_badges` agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Select, func, literal, select

from clock import FixedClock
from dealboard.db.models import Deal, Stage
from dealboard.domain.badges import FILTER_WORDS, deal_badges
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.exchange.api import CsvOptions
from dealboard.domain.filter_sql import CaseFold, filtered, local_day_start
from dealboard.domain.filters import DealFilter
from dealboard.domain.pipeline_spec import parse_pipeline_toml
from dealboard.domain.records import DealSummary, StageRecord

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)

#: A second pipeline: a slower speed to lead, and a later stage with a cadence of its own.
INBOUND = """
name = "inbound"
[sla]
speed_to_lead_minutes = 60
follow_up_attempts = 3
follow_up_days = 10
[[stages]]
name = "New"
kind = "open"
probability = 10
rot_days = 7
[[stages]]
name = "Nurture"
kind = "open"
probability = 20
rot_days = 30
cadence = { attempts = 2, days = 5 }
[[stages]]
name = "Parked"
kind = "open"
probability = 5
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""

#: Typed after `/`: every word kind alone and mixed, as users type them.
FILTERS = (
    "",
    "clinic",
    "CLINIC",
    "müller",
    "MÜLLER GMBH",
    "ÉCOLE",
    "école",
    "ecole",
    "LYCÉE",
    "ÅNGSTRÖM",
    "zoë",
    "%",
    "_",
    "\\",
    "100%",
    "0%u",
    "1_0",
    "c:\\deals",
    "deal",
    "nothing-like-this",
    "@lena",
    "@Lena",
    "@l",
    "@park",
    "@elo",
    "@élo",
    "@ÉLODIE",
    "@josé",
    "@jos",
    "@maria @lena",
    "@nobody",
    "#q4",
    "#clinic",
    "#q4 #clinic",
    "#Q4",
    "#nothing",
    *sorted(FILTER_WORDS),
    "/quiet",
    "@lena quiet",
    "#q4 clinic breach",
    "quiet breach",
    "late quiet",
    "nostep breach",
    "today @josé",
    "exhausted @lena",
    "exhausted breach",
    "@élo nostep 100%",
    "@jos @lena late",
    "#clinic nostep",
    "inbound breach",
    "lead breach",
)


def at(clock: FixedClock, **before_now: float) -> None:
    """Set the clock to that long before NOW."""
    clock.now = NOW - timedelta(**before_now)


def touch(board: Board, deal_id: int, times: int = 1, **options: object) -> None:
    for number in range(times):
        board.add_activity(deal_id, kind="call", subject=f"Call {number + 1}", done=True, **options)


def import_deals(board: Board, csv_text: str) -> None:
    plan = board.plan_csv_import(csv_text.encode(), "deals.csv", CsvOptions())
    assert plan.problems == []
    board.import_csv(plan)


def build_varied_board(board: Board, clock: FixedClock) -> dict[str, int]:
    """Deals in every situation a badge or a filter word tells apart; ids by nickname."""
    board.import_pipeline(parse_pipeline_toml(INBOUND))
    at(clock, days=60)
    board.add_user("lena", "Lena Park")
    board.add_user("jose", "José Núñez")
    board.add_user("elodie", "Élodie Durand")
    ids: dict[str, int] = {}

    def deal(
        name: str,
        days_ago: float,
        pipeline: str | None = None,
        stage: str | None = None,
        **fields: object,
    ) -> int:
        at(clock, days=days_ago)
        fields.setdefault("title", name)
        ids[name] = board.add_deal(DealFields(**fields), pipeline=pipeline, stage=stage)  # type: ignore[arg-type]
        return ids[name]

    # Prospect (seven-step): rot 14 days, cadence 5 within 14 days, speed to lead 5 minutes.
    muller = deal(
        "Müller GmbH rollout",
        40,
        account="Müller GmbH Clinics",
        contact="Zoë Ångström",
        owner="lena",
        value="12000",
        add_tags=("q4", "clinic"),
        next_step="Call",
        next_step_due="2026-11-10",
    )
    at(clock, days=30)
    touch(board, muller)
    ecole = deal(
        "ÉCOLE pilot",
        2,
        account="Lycée Français",
        owner="jose",
        value="900",
        next_step="Visit",
        next_step_due="2026-11-20",
    )
    touch(board, ecole)
    deal("100% uptime_deal", 1 / 24, owner="elodie", value="100", add_tags=("q4",))
    deal("Five minutes ago", 5 / 1440, next_step="Call", next_step_due="2026-11-21")
    deal("Five minutes and a second ago", (5 * 60 + 1) / 86400)
    fleet = deal(
        "Fleet clinic", 10, owner="lena", add_tags=("q4",), next_step="x", next_step_due="+12d"
    )
    touch(board, fleet, times=5)
    kiosk = deal("Kiosk clinic", 20, owner="jose", next_step="Demo", next_step_due="2026-11-25")
    touch(board, kiosk)
    touch(board, kiosk, reached=True)  # the window is over, but they answered: no breach
    answered = deal("Answered at last", 5, next_step="x", next_step_due="2026-12-01")
    touch(board, answered, times=4)
    touch(board, answered, reached=True)  # five attempts and an answer: not exhausted
    notes = deal("Notes only Clinic", 2 / 24, next_step="Call", next_step_due="2026-11-20")
    board.add_activity(notes, kind="note", subject="Not a touch", done=True)
    board.add_activity(notes, kind="call", subject="Planned, not done", due="2026-11-21")
    planned = deal("Planned call", 20, next_step="Call", next_step_due="2026-12-01")
    at(clock, days=2)
    board.add_activity(planned, kind="call", subject="Planning counts as activity", due="+1d")
    slow = deal("Slow follow-up", 16, owner="lena", next_step="Call", next_step_due="2026-11-19")
    at(clock, days=15)
    touch(board, slow, times=2)
    deal("Window ends now", 14, account="Account 14", next_step="x", next_step_due="+20d")
    touch(board, ids["Window ends now"])
    deal("Window ended", 14 + 1 / 86400, account="Account 14", next_step="x", next_step_due="+20d")
    touch(board, ids["Window ended"])
    back = deal("Back to prospect", 30, owner="elodie")
    touch(board, back, times=5)
    at(clock, days=25)
    board.move(back, "Qualify", override="test")
    at(clock, days=1)
    board.move(back, "Prospect", override="test")
    # Later stages: no cadence; rot 14 (Qualify) and 21 (Research).
    seats = deal("100 seats", 3, value="5000", next_step="Sign", next_step_due="+5d")
    touch(board, seats)
    board.move(seats, "Qualify", override="test")
    path = deal("Path C:\\deals", 20, owner="lena", contact="Ana_Bo")
    touch(board, path)
    board.move(path, "Qualify", override="test")
    research = deal("Research clinic", 30, owner="jose", add_tags=("clinic",))
    touch(board, research)
    at(clock, days=22)
    board.move(research, "Research", override="test")
    on_hold = deal("Research on hold", 19, account="Account 18")
    touch(board, on_hold)
    at(clock, days=18)
    board.move(on_hold, "Research", override="test")  # quiet after 21 days here, not 14
    # Closed deals: no badges at all, whatever their dates.
    won = deal("Won clinic deal", 30, owner="lena", value="7000", add_tags=("q4",))
    board.win(won, override="test")
    lost = deal("Lost Müller", 30, owner="jose", next_step="x", next_step_due="2026-11-01")
    board.lose(lost, "no-decision")
    # Imported: speed to lead does not judge them; quiet and follow-up count from the import.
    at(clock, days=20)
    import_deals(board, "Title,Owner,Created\nImported long ago,lena,2026-01-05\n")
    at(clock, hours=1)
    import_deals(board, "Title,Owner,Created,Tags\nImported just now,maria,2026-02-01,q4\n")
    # The inbound pipeline: speed to lead 60 minutes; Nurture's own cadence 2 within 5 days.
    deal("Inbound lead", 30 / 1440, pipeline="inbound", account="Zoë & co")
    deal("Inbound late lead", 2 / 24, pipeline="inbound", owner="elodie")
    cooling = deal(
        "Inbound cooling", 9, pipeline="inbound", next_step="x", next_step_due="2026-12-01"
    )
    touch(board, cooling)  # New is quiet after 7 days
    nurture = deal("Nurture ÉCOLE", 8, pipeline="inbound", owner="jose")
    touch(board, nurture, reached=True)  # a reply in New: Nurture's attempts start again
    at(clock, days=6)
    board.move(nurture, "Nurture", override="test")
    touch(board, nurture)
    tired = deal("Nurture tired", 8, pipeline="inbound", owner="lena")
    at(clock, days=3)
    board.move(tired, "Nurture", override="test")
    touch(board, tired, times=2)
    deal("Parked forever", 50, pipeline="inbound", stage="Parked", add_tags=("clinic",))
    clock.now = NOW
    return {
        **ids,
        **{d.title: d.id for d in board.list_deals(include_closed=True) if "Imported" in d.title},
    }


def stages_of(board: Board) -> list[StageRecord]:
    return [stage for pipeline in board.pipelines() for stage in pipeline.stages]


def every_deal() -> Select:
    return select(Deal.id).join(Stage, Stage.id == Deal.stage_id)


def in_sql(board: Board, query: str, now: datetime, base: Select | None = None) -> list[int]:
    """What the database selects for the filter (from every deal unless `base` is given)."""
    statement = filtered(
        base if base is not None else every_deal(), DealFilter.parse(query), stages_of(board), now
    )
    with board.database.read() as session:
        return list(session.scalars(statement))


def in_memory(board: Board, now: datetime) -> Callable[[str], list[DealSummary]]:
    """What the board does today: load every deal, then keep those the filter matches."""
    stage_of = {s.id: s for s in stages_of(board)}
    loaded = board.list_deals(include_closed=True)
    badges = {
        d.id: frozenset(b.name for b in deal_badges(d, stage_of[d.stage_id], now)) for d in loaded
    }

    def matching(query: str) -> list[DealSummary]:
        wanted = DealFilter.parse(query)
        return [d for d in loaded if wanted.matches(d, badges[d.id])]

    return matching


def disagreements(board: Board, queries: tuple[str, ...], now: datetime) -> dict[str, object]:
    """Each filter on which SQL and memory differ, with the ids only one of them found."""
    matching = in_memory(board, now)
    found = {}
    for query in queries:
        python = {d.id for d in matching(query)}
        sql = set(in_sql(board, query, now))
        if python != sql:
            found[query] = {"only python": sorted(python - sql), "only sql": sorted(sql - python)}
    return found


@pytest.fixture
def varied(board: Board, clock: FixedClock, zone: Callable[[str], None]) -> dict[str, int]:
    zone("Europe/Berlin")
    return build_varied_board(board, clock)


# -- the same deals as in memory ---------------------------------------------------


def test_every_filter_selects_the_same_deals_in_sql_as_in_memory(
    board: Board, varied: dict[str, int]
) -> None:
    assert disagreements(board, FILTERS, NOW) == {}


@pytest.mark.parametrize("zone_name", ["Pacific/Auckland", "America/Los_Angeles"])
def test_the_same_deals_far_from_utc_and_hours_later(
    board: Board, varied: dict[str, int], zone: Callable[[str], None], zone_name: str
) -> None:
    zone(zone_name)
    for hours in (0, 7, 9.5, 13, 24 * 4):
        assert disagreements(board, FILTERS, NOW + timedelta(hours=hours)) == {}, hours


def test_each_badge_word_keeps_exactly_the_deals_showing_that_badge(
    board: Board, varied: dict[str, int]
) -> None:
    """Spelt out once, so agreeing with memory is known to mean the right deals."""
    title = {deal_id: name for name, deal_id in varied.items()}

    def named(query: str) -> list[str]:
        return sorted(title[i] for i in in_sql(board, query, NOW))

    assert named("late") == ["Müller GmbH rollout", "Slow follow-up"]
    assert named("today") == ["Notes only Clinic", "ÉCOLE pilot"]
    assert named("nostep") == [
        "100% uptime_deal",
        "Back to prospect",
        "Five minutes and a second ago",
        "Imported just now",
        "Imported long ago",
        "Inbound late lead",
        "Inbound lead",
        "Nurture tired",
        "Nurture ÉCOLE",
        "Parked forever",
        "Path C:\\deals",
        "Research clinic",
        "Research on hold",
    ]
    assert named("quiet") == [
        "Imported long ago",  # 20 days since the import, though created in January
        "Inbound cooling",  # 9 days in New (rot 7)
        "Kiosk clinic",
        "Müller GmbH rollout",
        "Path C:\\deals",
        "Research clinic",  # 22 days in Research (rot 21), touched before it moved
        "Slow follow-up",
    ]
    assert named("exhausted") == ["Fleet clinic", "Nurture tired"]
    assert named("breach") == [
        "100% uptime_deal",
        "Five minutes and a second ago",  # "Five minutes ago" is still in time
        "Imported long ago",  # follow-up window from the import, no speed to lead
        "Inbound late lead",  # "Inbound lead" has 60 minutes
        "Müller GmbH rollout",
        "Notes only Clinic",
        "Nurture ÉCOLE",  # Nurture's own cadence: 1 of 2 in 5 days
        "Parked forever",
        "Planned call",  # a planned call is no touch, though it keeps the deal from going quiet
        "Slow follow-up",
        "Window ended",  # "Window ends now" has its full 14 days still
    ]
    assert named("#q4 clinic breach") == ["Müller GmbH rollout"]
    assert named("@lena quiet") == [
        "Imported long ago",
        "Müller GmbH rollout",
        "Path C:\\deals",
        "Slow follow-up",
    ]
    assert named("_") == ["100% uptime_deal", "Path C:\\deals"]  # the contact is Ana_Bo
    assert named("1_0") == named("0%u") == []  # as wildcards they would find "100 seats"


def test_column_totals_and_a_page_of_cards_agree_with_memory(
    board: Board, varied: dict[str, int]
) -> None:
    """How a big board reads: counts and sums per column, and one window of one column."""
    prospect = next(s.id for s in stages_of(board) if s.name == "Prospect")
    totals = (
        select(Deal.stage_id, func.count(), func.sum(Deal.value_minor))
        .join(Stage, Stage.id == Deal.stage_id)
        .group_by(Deal.stage_id)
    )
    page = every_deal().where(Deal.stage_id == prospect).order_by(Deal.position, Deal.id)
    matching = in_memory(board, NOW)
    for query in ("", "clinic", "@lena", "#q4", "quiet", "breach", "nostep @elo @jos", "today"):
        memory = matching(query)
        expected: dict[int, tuple[int, int]] = {}
        for deal in memory:
            count, value = expected.get(deal.stage_id, (0, 0))
            expected[deal.stage_id] = (count + 1, value + deal.value_minor)
        statement = filtered(totals, DealFilter.parse(query), stages_of(board), NOW)
        with board.database.read() as session:
            got = {stage: (count, value) for stage, count, value in session.execute(statement)}
        assert got == expected, query
        column = sorted(
            (d for d in memory if d.stage_id == prospect), key=lambda d: (d.position, d.id)
        )
        window = page.limit(3).offset(1)
        assert in_sql(board, query, NOW, window) == [d.id for d in column[1:4]], query
    assert len(in_sql(board, "", NOW, page)) > 4  # the window really cuts the column


# -- at local midnight ------------------------------------------------------------


@pytest.mark.parametrize("zone_name", ["Pacific/Auckland", "America/Los_Angeles"])
def test_quiet_late_and_today_turn_at_the_users_midnight_not_utcs(
    board: Board, clock: FixedClock, zone: Callable[[str], None], zone_name: str
) -> None:
    zone(zone_name)
    local = ZoneInfo(zone_name)
    start_of_7th = datetime(2026, 11, 7, tzinfo=local)
    clock.now = datetime(2026, 10, 1, 12, 0, tzinfo=local)
    end_of_6th = board.add_deal(DealFields(title="Touched at the end of the 6th"))
    on_7th = board.add_deal(DealFields(title="Touched as the 7th began"))
    clock.now = start_of_7th - TICK
    touch(board, end_of_6th)
    import_deals(board, "Title,Created\nImported at the end of the 6th,2026-01-05\n")
    clock.now = start_of_7th
    touch(board, on_7th)
    created_7th = board.add_deal(DealFields(title="Created as the 7th began"))
    due_20th = board.add_deal(
        DealFields(title="Due 20th", next_step="x", next_step_due="2026-11-20")
    )
    due_21st = board.add_deal(
        DealFields(title="Due 21st", next_step="x", next_step_due="2026-11-21")
    )
    imported = next(d.id for d in board.list_deals() if d.title.startswith("Imported"))
    assert local_day_start(start_of_7th.date()) == start_of_7th.astimezone(UTC)
    words = ("late", "today", "quiet", "nostep", "breach", "quiet breach", "late today")
    before_midnight = datetime(2026, 11, 21, tzinfo=local) - TICK  # still the 20th there
    after_midnight = datetime(2026, 11, 21, tzinfo=local)
    for now in (before_midnight, after_midnight):
        assert disagreements(board, words, now) == {}, now
    assert in_sql(board, "today", before_midnight) == [due_20th]
    assert in_sql(board, "late", before_midnight) == []
    assert in_sql(board, "today", after_midnight) == [due_21st]
    assert in_sql(board, "late", after_midnight) == [due_20th]
    assert in_sql(board, "quiet", before_midnight) == []
    assert sorted(in_sql(board, "quiet", after_midnight)) == sorted([end_of_6th, imported])
    assert on_7th not in in_sql(board, "quiet", after_midnight)
    assert created_7th not in in_sql(board, "quiet", after_midnight)


def test_a_day_whose_midnight_is_skipped_starts_when_its_clocks_do(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    """Chile moves its clocks from 00:00 to 01:00: 6 September 2026 begins at 01:00 there."""
    zone("America/Santiago")
    first_instant = datetime(2026, 9, 6, 4, 0, tzinfo=UTC)  # 01:00 -03
    assert local_day_start(date(2026, 9, 6)) == first_instant
    clock.now = datetime(2026, 8, 1, tzinfo=UTC)
    late_on_5th = board.add_deal(DealFields(title="Touched at 23:30 on the 5th"))
    early_on_6th = board.add_deal(DealFields(title="Touched at 01:00 on the 6th"))
    clock.now = first_instant - timedelta(minutes=30)
    touch(board, late_on_5th)
    clock.now = first_instant
    touch(board, early_on_6th)
    fourteen_days_on = datetime(2026, 9, 20, 12, 0, tzinfo=UTC)  # Prospect is quiet after 14
    assert disagreements(board, ("quiet",), fourteen_days_on) == {}
    assert in_sql(board, "quiet", fourteen_days_on) == [late_on_5th]


# -- how it is built --------------------------------------------------------------


def test_words_owners_tags_and_next_steps_never_read_activities(board: Board) -> None:
    """Typing in the filter box stays cheap: activities are read only for badges needing them."""
    stages = stages_of(board)
    query = every_deal()
    assert filtered(query, DealFilter.parse("  "), stages, NOW) is query

    def sql(typed: str) -> str:
        return str(filtered(query, DealFilter.parse(typed), stages, NOW))

    assert "activities" not in sql("clinic @lena #q4 late today nostep")
    assert all("activities" in sql(word) for word in ("quiet", "exhausted", "breach"))
    assert "JOIN" not in sql("clinic @lena #q4 quiet exhausted breach").replace("JOIN stages", "")


def test_a_german_street_is_found_however_its_sharp_s_is_typed(board: Board) -> None:
    street = board.add_deal(DealFields(title="Hauptstraße GmbH"))
    with board.database.read() as session:
        assert session.scalar(select(CaseFold(literal("ÉCOLE Straße")))) == "école strasse"
    for typed in ("STRASSE", "straße", "HAUPTSTRAẞE", "hauptstrasse"):
        assert in_sql(board, typed, NOW) == [street], typed
    assert disagreements(board, ("strasse", "STRAẞE"), NOW) == {}


def test_sqlite_folds_case_as_python_does_where_lower_cannot(board: Board) -> None:
    if not board.database.is_sqlite:
        pytest.skip("PostgreSQL folds with lower() (ß aside): ligatures such as ﬁ stay")
    street = board.add_deal(DealFields(title="Hauptstraße ﬁnance"))
    with board.database.read() as session:
        assert session.scalar(select(CaseFold(literal("ÉCOLE Straße")))) == "école strasse"
    for typed in ("STRASSE", "straße", "HAUPTSTRASSE", "finance", "ﬁ"):
        assert in_sql(board, typed, NOW) == [street], typed
    assert disagreements(board, ("strasse", "STRAẞE", "ﬁnance"), NOW) == {}
