"""Reports about why and who: losses, sources and cohorts, the owners' leaderboard.

Also the stay lengths every move keeps (what the time-in-stage report reads),
and the migration that works them out for history recorded before them.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import URL

from clock import FixedClock
from dealboard.db import migrate
from dealboard.db.models import Deal, StageTransition
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.domain.reports import REPORTS, CurrencyTotal, Duration, Rate
from dealboard.domain.reports.stays import fill_missing_stays
from dealboard.vocabulary import LossReason

DAY = timedelta(days=1)


def deal(board: Board, title: str, **fields: str) -> int:
    return board.add_deal(DealFields(title=title, **fields))


def test_losses_are_tallied_by_reason_by_the_stage_lost_from_and_by_month(
    board: Board, clock: FixedClock
) -> None:
    board.lose(deal(board, "Too dear", value="$1,000"), "price")
    for title, value in (("Went elsewhere", "EUR 500"), ("Also elsewhere", "$200")):
        deal_id = deal(board, title, value=value)
        board.move(deal_id, "Qualify", override="test")
        board.move(deal_id, "Research", override="test")
        board.lose(deal_id, "competitor", "chose the incumbent")
    back = deal(board, "Lost, then won back")
    board.move(back, "Qualify", override="test")
    board.lose(back, "timing")
    board.reopen(back)
    silent = deal(board, "Lost twice", value="$50")
    board.lose(silent, "price")
    board.reopen(silent)
    board.move(silent, "Pitch", override="test")
    clock.advance(days=15)
    board.lose(silent, "no-decision")

    report = board.report("losses")
    assert report.lost == 4
    assert report.value == (CurrencyTotal("USD", 125_000, 3), CurrencyTotal("EUR", 50_000, 1))
    assert [(t.key, t.lost) for t in report.by_reason] == [
        ("competitor", 2),
        ("no-decision", 1),
        ("price", 1),
        ("timing", 0),
        ("no-fit", 0),
        ("other", 0),
    ]
    competitor = report.by_reason[0]
    assert competitor.share == Rate(2, 4)
    assert competitor.value == (CurrencyTotal("USD", 20_000, 1), CurrencyTotal("EUR", 50_000, 1))
    assert [(t.key, t.lost) for t in report.by_stage] == [
        ("Prospect", 1),
        ("Qualify", 0),
        ("Research", 2),
        ("Pitch", 1),
        ("Overcome Objections", 0),
        ("Close", 0),
        ("Follow-up", 0),
    ]
    assert [(m.month, m.lost, m.reasons) for m in report.by_month] == [
        (date(2026, 11, 1), 3, ((LossReason.COMPETITOR, 2), (LossReason.PRICE, 1))),
        (date(2026, 12, 1), 1, ((LossReason.NO_DECISION, 1),)),
    ]
    december = board.report("losses", since="2026-12-01")
    assert december.lost == 1 and december.by_stage[3].share == Rate(1, 1)


def _cohort_history(board: Board, clock: FixedClock) -> None:
    """Web closes 2 of 3; deals offered the promotion win both times."""
    promo_web = deal(board, "Promo web", value="$1,000", source="web", add_tags=("promo",))
    web = deal(board, "Web", value="$3,000", source="web", add_tags=("q4",))
    lost = deal(board, "Web lost", value="$500", source="web")
    promo = deal(board, "Promo, no source", value="EUR 500", add_tags=("promo",))
    deal(board, "Open", value="$100")
    clock.advance(days=2)
    board.win(promo_web, override="test")
    clock.advance(days=2)
    board.win(web, override="test")
    board.lose(lost, "price")
    clock.advance(days=2)
    board.win(promo, override="test")


def test_cohorts_give_win_rate_cycle_and_value_with_their_sample_sizes(
    board: Board, clock: FixedClock
) -> None:
    _cohort_history(board, clock)
    report = board.report("cohorts")
    everyone = report.all
    assert (everyone.deals, everyone.closed, everyone.won) == (5, 4, 3)
    assert everyone.win_rate == Rate(3, 4)
    assert everyone.avg_cycle == Duration(4 * DAY, 3)
    assert everyone.won_value == (
        CurrencyTotal("USD", 400_000, 2),
        CurrencyTotal("EUR", 50_000, 1),
    )
    web, none = report.by_source
    assert (web.key, web.stats.deals, web.stats.win_rate) == ("web", 3, Rate(2, 3))
    assert web.stats.avg_cycle == Duration(3 * DAY, 2)
    assert web.stats.won_value[0].average_minor == 200_000
    assert (none.key, none.stats.win_rate, none.stats.deals) == ("(none)", Rate(1, 1), 2)
    promo, q4 = report.by_tag
    assert promo.tag == "promo"
    assert promo.with_tag.win_rate == Rate(2, 2)
    assert promo.with_tag.avg_cycle == Duration(4 * DAY, 2)
    assert promo.with_tag.won_value == (
        CurrencyTotal("USD", 100_000, 1),
        CurrencyTotal("EUR", 50_000, 1),
    )
    assert (promo.without_tag.deals, promo.without_tag.win_rate) == (3, Rate(1, 2))
    assert promo.without_tag.avg_cycle == Duration(4 * DAY, 1)
    assert promo.without_tag.won_value == (CurrencyTotal("USD", 300_000, 1),)
    assert (q4.tag, q4.with_tag.deals, q4.without_tag.deals) == ("q4", 1, 4)
    assert (report.untagged.deals, report.untagged.win_rate) == (2, Rate(0, 1))
    only_promo = board.report("cohorts", tag="promo")
    assert only_promo.all.win_rate == Rate(2, 2)
    assert only_promo.by_tag[0].without_tag.deals == 0


def _sales_team(board: Board, clock: FixedClock) -> dict[str, int]:
    """Lena answers one lead in 3 minutes and one in 10; Rick leaves his untouched."""
    board.add_user("lena", "Lena Hoffmann")
    board.add_user("rick", "Rick Rep")
    lena = Board(board.database, "lena", clock)
    ids = {
        "quick": deal(board, "Quick", owner="lena", value="$1,000"),
        "slow": deal(board, "Slow", owner="lena", value="EUR 200"),
        "ignored": deal(board, "Ignored", owner="rick"),
    }
    clock.advance(minutes=3)
    lena.add_activity(ids["quick"], kind="call", subject="Hello", done=True)
    clock.advance(minutes=7)
    lena.add_activity(ids["slow"], kind="email", subject="Hello", done=True)
    lena.add_activity(ids["slow"], kind="note", subject="Not a touch", done=True)
    board.win(ids["quick"], override="test")
    board.lose(ids["ignored"], "no-decision")
    ids["fresh"] = deal(board, "Fresh", owner="rick")
    clock.advance(minutes=2)
    return ids


def test_the_owners_leaderboard_shows_won_value_win_rate_touches_and_sla(
    board: Board, clock: FixedClock
) -> None:
    _sales_team(board, clock)
    report = board.report("owners")
    lena, rick = report.owners
    assert (lena.owner, lena.display_name) == ("lena", "Lena Hoffmann")
    assert lena.won_value == (CurrencyTotal("USD", 100_000, 1),)
    assert (lena.won, lena.win_rate, lena.activities) == (1, Rate(1, 1), 2)
    assert lena.sla == Rate(1, 2)
    assert (rick.won, rick.win_rate, rick.activities) == (0, Rate(0, 1), 0)
    assert rick.sla == Rate(0, 1)  # the fresh lead is inside its 5 minutes: not judged
    team = report.team
    assert (team.owner, team.won, team.win_rate, team.activities) == (None, 1, Rate(1, 2), 2)
    assert team.sla == Rate(1, 3)
    [only_rick] = board.report("owners", owner="rick").owners
    assert only_rick.owner == "rick"


def test_the_owners_sla_column_agrees_with_the_sla_report(board: Board, clock: FixedClock) -> None:
    _sales_team(board, clock)
    clock.advance(hours=1)
    leaderboard = {row.owner: row.sla for row in board.report("owners").owners}
    sla = board.sla_report()
    assert leaderboard == {row.owner: Rate(row.within_sla, row.judged) for row in sla.owners}
    assert board.report("owners").team.sla == Rate(sla.team.within_sla, sla.team.judged)


def test_every_move_keeps_how_long_the_deal_stayed_in_the_stage_it_left(
    board: Board, clock: FixedClock
) -> None:
    deal_id = deal(board, "Mover")
    clock.advance(hours=5)
    board.move(deal_id, "Qualify", override="test")
    clock.advance(days=1)
    board.lose(deal_id, "price")
    clock.advance(minutes=30)
    board.reopen(deal_id)
    board.undo()  # an undone move is no stay: its transition goes (the log keeps it)
    with board.database.read() as session:
        stays = session.scalars(
            select(StageTransition.stay_seconds).order_by(StageTransition.id)
        ).all()
    assert stays == [None, 5 * 3600, 86_400]


def test_the_migration_works_out_the_stays_of_history_recorded_before_it(
    empty_db_url: URL, clock: FixedClock
) -> None:
    board = open_board(empty_db_url, "maria", clock, create=True)
    deal_id = deal(board, "Old history")
    clock.advance(days=2)
    board.move(deal_id, "Qualify", override="test")
    clock.advance(hours=3)
    board.win(deal_id, override="test")
    board.database.dispose()
    migrate.downgrade(empty_db_url, "0004")
    migrate.upgrade(empty_db_url)
    board = open_board(empty_db_url, "maria", clock, create=True)
    with board.database.read() as session:
        stays = session.scalars(
            select(StageTransition.stay_seconds).order_by(StageTransition.id)
        ).all()
    assert stays == [None, 2 * 86_400, 3 * 3600]
    assert board.report("stages").stages[0].finished.median == 2 * DAY
    board.database.dispose()


def test_history_without_closing_dates_is_counted_but_not_timed(
    board: Board, clock: FixedClock
) -> None:
    """Imported deals may be won or lost with no date: counted, left out of cycles and months."""
    dated = deal(board, "Dated win", value="$100")
    undated = deal(board, "Undated win", value="$300")
    lost = deal(board, "Undated loss")
    clock.advance(days=2)
    board.win(dated, override="test")
    board.win(undated, override="test")
    board.lose(lost, "timing")
    with board.database.write() as session:
        session.execute(update(Deal).where(Deal.id.in_((undated, lost))).values(closed_at=None))
    for name in REPORTS:
        board.report(name)
    velocity = board.report("velocity")
    assert velocity.win_rate == Rate(2, 3)
    assert velocity.avg_cycle == Duration(2 * DAY, 1)
    assert board.report("cohorts").all.avg_cycle == Duration(2 * DAY, 1)
    [month] = board.report("losses").by_month
    assert (month.month, month.lost) == (None, 1)
    assert board.report("losses", since="2026-11-01").lost == 0


def test_moves_written_without_a_stay_get_one_from_the_deals_history(
    board: Board, clock: FixedClock
) -> None:
    deal_id = deal(board, "Imported")
    clock.advance(hours=7)
    board.move(deal_id, "Qualify", override="test")
    clock.advance(days=3)
    board.lose(deal_id, "price")
    with board.database.write() as session:
        session.execute(update(StageTransition).values(stay_seconds=None))
    assert board.report("stages").stages[0].finished.n == 0
    with board.database.write() as session:
        assert fill_missing_stays(session) == 2
        assert fill_missing_stays(session) == 0
    prospect, qualify, *_ = board.report("stages").stages
    assert prospect.finished.median == timedelta(hours=7)
    assert qualify.finished.median == 3 * DAY
