"""Stand-up mode's content: the window across weekends and time zones, what each page counts,
the forecast against a target, and the Markdown and text a team pastes or prints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from clock import FixedClock
from dealboard.db.models import Deal, StageTransition
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput
from dealboard.domain.money import Money
from dealboard.domain.standup import previous_working_day, since_label, since_window
from dealboard.domain.standup_text import standup_markdown, standup_plain
from helpers import tick_all
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


# -- the window -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 20)),  # Monday → Friday
        (date(2026, 11, 24), date(2026, 11, 23)),  # Tuesday → Monday
        (date(2026, 11, 27), date(2026, 11, 26)),  # Friday → Thursday
        (date(2026, 11, 28), date(2026, 11, 27)),  # Saturday → Friday
        (date(2026, 11, 29), date(2026, 11, 27)),  # Sunday → Friday
    ],
)
def test_the_previous_working_day_skips_the_weekend(today: date, expected: date) -> None:
    assert previous_working_day(today) == expected


def test_monday_in_los_angeles_looks_back_to_friday_midnight_there(
    zone: Callable[[str], None],
) -> None:
    zone("America/Los_Angeles")
    monday_morning = datetime(2026, 11, 23, 9, 0, tzinfo=LOS_ANGELES)
    start, end = since_window(monday_morning)
    assert start == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # Fri 00:00 PST, in UTC
    assert end == monday_morning.astimezone(UTC) and end.tzinfo is UTC
    assert since_label(start, monday_morning) == "since Friday"


def test_sunday_evening_west_of_utc_is_still_sunday_there(zone: Callable[[str], None]) -> None:
    zone("America/Los_Angeles")
    sunday_evening = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # Monday in UTC, Sunday 21:00 there
    assert since_window(sunday_evening)[0] == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    saturday = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
    assert since_window(saturday)[0] == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_tuesday_looks_back_to_monday(zone: Callable[[str], None]) -> None:
    zone("America/Los_Angeles")
    tuesday = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    start, _ = since_window(tuesday)
    assert start == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert since_label(start, tuesday) == "since yesterday"


def test_monday_morning_in_tokyo_is_sunday_in_utc_and_still_looks_back_to_friday(
    zone: Callable[[str], None],
) -> None:
    zone("Asia/Tokyo")
    monday_early = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # Mon 05:00 JST
    assert since_window(monday_early)[0] == datetime(2026, 11, 19, 15, 0, tzinfo=UTC)


def test_a_weekend_with_a_clock_change_starts_at_fridays_summer_midnight(
    zone: Callable[[str], None],
) -> None:
    zone("Europe/Berlin")  # summer time ended on Sunday 25 October 2026
    monday = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert since_window(monday)[0] == datetime(2026, 10, 22, 22, 0, tzinfo=UTC)  # 00:00 CEST


def test_a_time_zone_can_be_given_instead_of_the_systems(zone: Callable[[str], None]) -> None:
    zone("UTC")
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert since_window(monday)[0] == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    start, _ = since_window(monday, tz=LOS_ANGELES)
    assert start == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_since_takes_days_and_durations_like_the_rest_of_the_cli(
    zone: Callable[[str], None],
) -> None:
    zone("America/Los_Angeles")
    now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wednesday 10:00 there
    assert since_window(now, "-3d")[0] == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert since_window(now, "yesterday")[0] == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert since_window(now, "2026-11-20")[0] == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert since_window(now, "24h")[0] == now - timedelta(hours=24)
    for refused in ("tomorrow", "soon"):
        with pytest.raises(InvalidInput, match="since"):
            since_window(now, refused)


# -- the pages, on a hand-built week --------------------------------------------------


def _week(board: Board, rep_board: Board, clock: FixedClock) -> dict[str, int]:
    """Wednesday: five deals. Thursday: one moves (before the window). Friday to Sunday:
    a move, a move and its reversal, a win for Rick closed by Maria, a loss, Rick's new lead
    and his call. Monday morning: the stand-up."""
    clock.now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    ids = {
        name: board.add_deal(DealFields(title=name, value=value, owner=owner, close_date=close))
        for name, value, owner, close in (
            ("Mover", "10k", "maria", "2026-11-27"),
            ("Bounce", "5k", "maria", "2026-12-15"),
            ("Winner", "48k", "rick", None),
            ("Loser", "7k", "maria", None),
            ("Before", "3k", "maria", None),
        )
    }
    for deal in ("Mover", "Bounce", "Before"):
        tick_all(board, ids[deal], "Prospect")
    clock.now = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)
    board.move(ids["Before"], "Qualify")
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    board.move(ids["Mover"], "Qualify")
    board.move(ids["Bounce"], "Qualify")
    clock.advance(minutes=5)
    board.move(ids["Bounce"], "Prospect")
    board.win(ids["Winner"], override="signed before the demo")
    board.lose(ids["Loser"], "price", "went with the cheaper quote")
    clock.now = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    ids["New lead"] = board.add_deal(
        DealFields(title="New lead", owner="rick", next_step="Call back", next_step_due="+2d")
    )
    rep_board.add_activity(ids["New lead"], kind="call", subject="Hello", done=True)
    board.edit_deal(ids["Before"], DealFields(next_step="Send the deck", next_step_due="-1d"))
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return ids


def test_since_friday_counts_each_deal_once_for_its_owner(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _week(board, rep_board, clock)
    standup = board.standup()
    assert standup.since == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    assert standup.label == "since Friday"
    people = {p.owner: p for p in standup.people}
    assert list(people) == ["maria", "rick"]
    maria, rick = people["maria"], people["rick"]
    assert [(m.deal.title, m.path, m.forward) for m in maria.moved] == [
        ("Mover", ("Prospect", "Qualify"), True)
    ]  # Bounce went there and back: nothing to report; Before moved on Thursday
    assert [(lost.deal.title, lost.reason) for lost in maria.lost] == [("Loser", "price")]
    assert (maria.new, maria.won) == ((), ())
    assert [d.title for d in rick.won] == ["Winner"]  # closed by Maria, reported for Rick
    assert [d.title for d in rick.new] == ["New lead"]
    assert standup.totals == {
        "moved": 1,
        "new": 1,
        "won": 1,
        "lost": 1,
        "breaches": 3,
        "quiet": 0,
    }


def test_in_motion_is_moved_new_touched_or_a_step_due_today_or_late(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _week(board, rep_board, clock)
    people = {p.owner: p for p in board.standup().people}
    assert [(m.deal.title, m.reasons, m.late) for m in people["maria"].in_motion] == [
        ("Before", ("late 3d: Send the deck",), True),
        ("Mover", ("Prospect → Qualify",), False),
    ]  # furthest stage first; Bounce (back where it was, untouched) is not in motion
    assert [(m.deal.title, m.reasons) for m in people["rick"].in_motion] == [
        ("New lead", ("new", "1 touch", "due today: Call back")),
    ]  # its step was set for Saturday +2d: today
    assert (people["maria"].open_deals, people["maria"].open_value) == (3, "$18k")


def test_needs_attention_lists_breaches_first_with_their_owner(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _week(board, rep_board, clock)
    attention = board.standup().attention
    assert [(a.deal.title, a.owner, a.problems) for a in attention] == [
        ("Before", "maria", ("⚠ no touch 4d",)),
        ("Bounce", "maria", ("⚠ no touch 4d",)),
        ("Mover", "maria", ("⚠ no touch 4d",)),
    ]  # Rick's new lead was called within minutes
    clock.advance(days=20)  # nobody touches anything for three weeks
    later = board.standup()
    assert later.totals["quiet"] == 4 and later.totals["breaches"] == 4
    assert later.attention[-1].problems == ("⚠ 1/5 late", "quiet 22d")  # Rick's lead


def test_since_can_be_given_and_a_pipeline_chosen(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _week(board, rep_board, clock)
    wider = board.standup(since="2026-11-19")
    assert wider.totals["moved"] == 2 and wider.label == "since Thursday"
    board.add_template("traditional")
    assert board.standup(pipeline="traditional").people == ()
    assert board.standup(pipeline="seven-step").totals["won"] == 1


def test_the_forecast_weighs_this_month_and_next_per_currency_against_the_target(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")  # Friday 20 November 2026
    for title, value, close, stage in (
        ("Nov pitch", "100k", "2026-11-30", "Pitch"),  # 40%
        ("Nov close", "50k", "2026-11-25", "Close"),  # 80%
        ("Dec prospect", "20k", "2026-12-01", None),  # 5%
        ("January", "90k", "2027-01-04", None),
        ("Slipped", "8k", "2026-10-30", None),
        ("Undated", "1k", None, None),
        ("Euro", "EUR 30k", "2026-11-10", "Close"),
    ):
        deal = board.add_deal(DealFields(title=title, value=value, close_date=close))
        if stage:
            board.move(deal, stage, override="moved for the test")
    won = board.add_deal(DealFields(title="Signed", value="12k"))
    board.win(won, override="signed")
    forecast = board.standup(target="250k").forecast
    assert forecast.months == (date(2026, 11, 1), date(2026, 12, 1))
    assert forecast.target == Money(25_000_000, "USD")
    november_usd, november_eur = forecast.month(date(2026, 11, 1))
    assert (november_usd.currency, november_usd.deals) == ("USD", 2)
    assert november_usd.weighted_minor == 8_000_000  # 100k × 40% + 50k × 80%
    assert november_usd.open_value_minor == 15_000_000
    assert november_usd.won_minor == 1_200_000 and november_usd.won_deals == 1
    assert november_usd.projected_minor == 9_200_000
    assert november_usd.percent_of(forecast.target) == pytest.approx(36.8)
    assert (november_eur.currency, november_eur.weighted_minor) == ("EUR", 2_400_000)
    assert november_eur.percent_of(forecast.target) is None  # never converted
    (december,) = forecast.month(date(2026, 12, 1))
    assert (december.weighted_minor, december.best_case_minor) == (100_000, 2_000_000)
    assert [(s.currency, s.deals, s.value_minor) for s in forecast.slipped] == [("USD", 1, 800_000)]
    assert forecast.undated == 1
    assert board.standup(target="EUR 20k").forecast.month(date(2026, 11, 1))[0].currency == "EUR"
    with pytest.raises(InvalidInput, match="target"):
        board.standup(target="lots")


# -- Markdown and text ----------------------------------------------------------------------


def test_markdown_escapes_what_users_typed_and_keeps_the_page_order(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    ids = _week(board, rep_board, clock)
    board.edit_deal(ids["Mover"], DealFields(title="*URGENT* [x](y) <b>", account="snake_case_co"))
    text = standup_markdown(board.standup(target="100k"))
    assert text.startswith("## Stand-up · All pipelines · since Friday\n")
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Since Friday: 1 moved · 1 new · 1 won · 1 lost",
        "### Needs attention: 3 SLA breaches · 0 gone quiet",
        "### Forecast (monthly target $100k)",
        "### maria · 3 open deals · $18k",
        "### Rick Rep · 1 open deal · $0",
    ]
    assert r"**\*URGENT\* \[x\](y) \<b\>** (snake_case_co) · $10k: Prospect → Qualify" in text
    assert "[x](y)" not in text.replace(r"\[x\](y)", "")
    assert "- lost: **Loser** · $7k: price" in text
    assert "- won: **Winner** · $48k" in text
    assert (
        "- **November 2026**, USD: $49k projected of $100k target (49%) · weighted $1k"
        " · best case $58k · won $48k · 1 open deal"
    ) in text


def test_plain_text_shows_foreign_control_characters_harmlessly(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    ids = _week(board, rep_board, clock)
    with board.database.write() as session:  # as another tool might have written it
        session.execute(
            update(Deal).where(Deal.id == ids["Mover"]).values(title="Evil\x1b[2Jtitle")
        )
    text = standup_plain(board.standup())
    assert "\x1b" not in text and "Evil\ufffd[2Jtitle" in text
    assert "Since Friday: 1 moved · 1 new · 1 won · 1 lost\n" + "-" * 46 in text


# -- the command -------------------------------------------------------------------------


def test_the_standup_command_prints_text_when_piped_and_markdown_when_asked(
    cli: Cli,  # noqa: F811
    board: Board,
    rep_board: Board,
    timed: FixedClock,
    zone: Callable[[str], None],
) -> None:
    zone("UTC")
    _week(board, rep_board, timed)
    code, out, err = cli("standup", "--target", "250k")
    assert (code, err) == (0, "")
    assert out.startswith("Stand-up · All pipelines · since Friday\n=====")
    assert "From Fri 2026-11-20 00:00 to Mon 2026-11-23 09:00" in out
    assert "  - lost: Loser · $7k: price" in out
    code, out, _ = cli("standup", "--markdown", "--since", "2026-11-19", "--pipeline", "seven-step")
    assert code == 0 and out.startswith("## Stand-up · Seven-step sales process · since Thursday")
    assert cli("standup", "--text")[1].startswith("Stand-up")


def test_the_standup_command_refuses_bad_values_in_one_line(
    cli: Cli,  # noqa: F811
    timed: FixedClock,
) -> None:
    for args, field in (
        (("--target", "lots"), "target"),
        (("--since", "tomorrow"), "since"),
        (("--pipeline", "nope"), "pipeline"),
    ):
        code, out, err = cli("standup", *args)
        assert (code, out) == (2, "")
        assert err.startswith(f"dealboard: {field}:") and err.count("\n") == 1
    code, _, err = cli("standup", "--markdown", "--text")
    assert code == 2 and "not allowed with" in err


# -- how a deal moved: past the gate, over a stage -----------------------------------------


def _moves(board: Board, clock: FixedClock) -> dict[str, int]:
    """Friday: one deal moves on by the gate, one jumps a stage whose work was done ahead,
    one is pushed past the gate by Maria; one goes back. Monday morning: the stand-up."""
    clock.now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    ids = {
        name: board.add_deal(DealFields(title=name, value="10k"))
        for name in ("Plain", "Skipper", "Pushed", "Back")
    }
    for name in ("Plain", "Skipper", "Back"):
        tick_all(board, ids[name], "Prospect")
    tick_all(board, ids["Skipper"], "Qualify")
    board.move(ids["Back"], "Qualify")
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    board.move(ids["Plain"], "Qualify")
    board.move(ids["Skipper"], "Research")  # Qualify's work is done: the gate lets it jump
    board.move(ids["Pushed"], "Pitch", override="the buyer asked for the demo first")
    board.move(ids["Back"], "Prospect")
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return ids


def test_a_move_past_the_gate_or_over_a_stage_says_so_and_a_plain_move_does_not(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _moves(board, clock)
    (maria,) = board.standup().people
    moved = {m.deal.title: (m.path, m.overrides, m.skipped) for m in maria.moved}
    assert moved == {
        "Plain": (("Prospect", "Qualify"), (), ()),
        "Skipper": (("Prospect", "Research"), (), ("Qualify",)),
        "Pushed": (
            ("Prospect", "Pitch"),
            ("the buyer asked for the demo first",),
            ("Qualify", "Research"),
        ),
        "Back": (("Qualify", "Prospect"), (), ()),
    }
    reasons = {m.deal.title: m.reasons for m in maria.in_motion}
    assert reasons["Pushed"] == ("Prospect → Pitch (skipped Qualify, Research)", "⚠ override")
    assert reasons["Plain"] == ("Prospect → Qualify",)


def test_text_and_markdown_spell_out_overrides_and_skips_and_clean_the_reason(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    ids = _moves(board, clock)
    with board.database.write() as session:  # as another tool might have written it
        session.execute(
            update(StageTransition)
            .where(StageTransition.deal_id == ids["Pushed"])
            .values(override_reason="the *buyer*\x1b[2J asked\nfor the demo")
        )
    plain = standup_plain(board.standup())
    assert "  - moved: Plain · $10k: Prospect → Qualify\n" in plain
    assert "  - moved: Skipper · $10k: Prospect → Research (skipped Qualify)\n" in plain
    assert (
        "  - moved: Pushed · $10k: Prospect → Pitch (skipped Qualify, Research)"
        ' · ⚠ override: "the *buyer*\ufffd[2J asked for the demo"\n'
    ) in plain
    assert "  - moved: Back · $10k: Qualify → Prospect (back)\n" in plain
    assert "\x1b" not in plain
    markdown = standup_markdown(board.standup())
    assert (
        "- moved: **Pushed** · $10k: Prospect → Pitch (skipped Qualify, Research)"
        r' · ⚠ override: "the \*buyer\*'
    ) in markdown
    assert "- moved: **Plain** · $10k: Prospect → Qualify\n" in markdown
    assert "\x1b" not in markdown


def test_the_standup_command_marks_the_override_and_the_skip(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
    zone: Callable[[str], None],
) -> None:
    zone("UTC")
    _moves(board, timed)
    code, out, err = cli("standup", "--text")
    assert (code, err) == (0, "")
    moved = [line for line in out.splitlines() if line.startswith("  - moved: ")]
    assert moved == [
        "  - moved: Plain · $10k: Prospect → Qualify",
        "  - moved: Skipper · $10k: Prospect → Research (skipped Qualify)",
        "  - moved: Pushed · $10k: Prospect → Pitch (skipped Qualify, Research)"
        ' · ⚠ override: "the buyer asked for the demo first"',
        "  - moved: Back · $10k: Qualify → Prospect (back)",
    ]
