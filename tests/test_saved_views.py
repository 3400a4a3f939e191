"""Saved views: a named `/` filter per user, and the built-in "mine" and "changed since
the last stand-up" views."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from clock import FixedClock
from dealboard.cli.main import main
from dealboard.db.models import Deal
from dealboard.domain.badges import deal_badges
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.filter_sql import filtered
from dealboard.domain.filters import DealFilter
from dealboard.domain.saved_views import BUILT_IN, ViewExists
from dealboard.domain.standup import since_window

BUILT_IN_NAMES = [v.name for v in BUILT_IN]
#: The rep of the `rep_board` fixture.
REP = "rick"


def names(board: Board) -> list[str]:
    return [v.name for v in board.list_views()]


def titles(board: Board, view: str, **options: object) -> list[str]:
    return sorted(d.title for d in board.deals_in_view(view, **options))  # type: ignore[arg-type]


def test_save_list_replace_and_delete(board: Board) -> None:
    assert names(board) == BUILT_IN_NAMES
    saved = board.save_view("  Big deals ", "  #q4   clinic ")
    assert (saved.name, saved.query, saved.built_in) == ("Big deals", "#q4 clinic", False)
    board.save_view("alpha", "@lena")
    assert names(board) == [*BUILT_IN_NAMES, "alpha", "Big deals"]
    with pytest.raises(ViewExists, match="already have a view called 'Big deals'"):
        board.save_view("big DEALS", "quiet")
    assert board.find_view("big deals").query == "#q4 clinic"
    board.save_view("big DEALS", "quiet", replace=True)
    assert board.find_view("Big deals").query == "quiet"
    assert names(board) == [*BUILT_IN_NAMES, "alpha", "big DEALS"]
    assert board.delete_view("BIG deals").name == "big DEALS"
    assert names(board) == [*BUILT_IN_NAMES, "alpha"]
    with pytest.raises(NotFound, match="your views: alpha"):
        board.delete_view("big deals")


@pytest.mark.parametrize(
    ("name", "query", "field", "says"),
    [
        ("", "quiet", "name", "give 1 to 60 characters"),
        ("x" * 61, "quiet", "name", "61 characters; at most 60"),
        ("bell\x07", "quiet", "name", "contains U+0007"),
        ("Mine", "#q4", "name", "a built-in view has that name"),
        ("ok", "   ", "filter", "give 1 to 500 characters"),
        ("ok", "late \x1b[31m", "filter", "contains U+001B"),
        ("ok", "changed:lunch", "filter", "the only window is changed:standup"),
    ],
)
def test_bad_names_and_filters_are_one_line_refusals(
    board: Board, name: str, query: str, field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        board.save_view(name, query)
    assert refused.value.field == field and says in str(refused.value)
    assert "\n" not in str(refused.value)
    assert names(board) == BUILT_IN_NAMES


def test_built_in_views_cannot_be_deleted(board: Board) -> None:
    with pytest.raises(InvalidInput, match="built-in views cannot be deleted"):
        board.delete_view("mine")


def test_hostile_names_are_kept_as_typed(board: Board) -> None:
    board.save_view("[@click=app.quit]boom [/]", "[b] #x")
    view = board.find_view("[@click=app.quit]boom [/]")
    assert (view.name, view.query) == ("[@click=app.quit]boom [/]", "[b] #x")


def test_each_user_sees_and_changes_only_their_own_views(board: Board, rep_board: Board) -> None:
    board.save_view("big", "#q4")
    assert names(rep_board) == BUILT_IN_NAMES
    with pytest.raises(NotFound):
        rep_board.find_view("big")
    with pytest.raises(NotFound, match="none saved yet"):
        rep_board.delete_view("big")
    rep_board.save_view("big", "quiet")  # the same name, his own
    assert board.find_view("big").query == "#q4"
    rep_board.delete_view("big")
    assert board.find_view("big").query == "#q4"


def test_views_are_the_logins_not_the_teammate_a_manager_acts_for(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    acting = Board(board.database, "maria", clock, acting_for=REP)
    acting.save_view("for rick", "@me")
    assert "for rick" in names(board) and "for rick" not in names(rep_board)


def test_mine_is_the_deals_of_the_user_the_board_acts_as(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    board.add_user("meg", "Megan")
    board.add_deal(DealFields(title="Maria's"))
    board.add_deal(DealFields(title="Rick's", owner=REP))
    board.add_deal(DealFields(title="Megan's", owner="meg"))
    assert titles(board, "mine") == ["Maria's"]
    assert titles(rep_board, "Mine") == ["Rick's"]
    assert titles(Board(board.database, "maria", clock, acting_for=REP), "mine") == ["Rick's"]
    board.save_view("me or meg", "@me @meg")
    assert titles(board, "me or meg") == ["Maria's", "Megan's"]
    # `@me` is exact; a prefix finds Megan
    assert DealFilter.parse("@me").mine and DealFilter.parse("@meg").owners == ("meg",)


def _week(board: Board, clock: FixedClock) -> dict[str, int]:
    """Deals made and changed around a weekend; stand-ups look back to the working day."""
    clock.now = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # Thursday
    ids = {t: board.add_deal(DealFields(title=t)) for t in ("Old", "Edited", "Moved", "Won")}
    clock.now = datetime(2026, 11, 19, 23, 59, 59, tzinfo=UTC)
    ids["Thursday night"] = board.add_deal(DealFields(title="Thursday night"))
    clock.now = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # Friday midnight: in the window
    ids["Friday"] = board.add_deal(DealFields(title="Friday"))
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    board.move(ids["Moved"], "Qualify", override="the buyer called us")
    board.win(ids["Won"], override="signed early")
    clock.now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # Monday
    board.edit_deal(ids["Edited"], DealFields(next_step="Call", next_step_due="+1d"))
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return ids


def test_changed_since_the_last_standup_looks_back_over_the_weekend(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    _week(board, clock)
    view = "changed since the last stand-up"
    assert titles(board, view) == ["Edited", "Friday", "Moved"]
    assert titles(board, view, include_closed=True) == ["Edited", "Friday", "Moved", "Won"]
    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # Tuesday looks back to Monday
    assert titles(board, view) == ["Edited"]


def test_changed_since_follows_the_users_time_zone(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("America/Los_Angeles")  # Friday starts at 08:00 UTC there
    _week(board, clock)
    assert titles(board, "changed since the last stand-up") == ["Edited", "Moved"]


def test_the_new_terms_agree_in_sql_and_in_memory(
    board: Board, rep_board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("Europe/Berlin")
    ids = _week(board, clock)
    board.edit_deal(ids["Old"], DealFields(owner=REP))
    now = board.now()
    pipeline = board.pipeline()
    stages = {s.id: s for s in pipeline.stages}
    me = board.whoami()
    start, _ = since_window(now)
    deals = board.list_deals(include_closed=True)
    for query in ("@me", "changed:standup", "@me changed:standup", f"@{REP} @me", "@me late"):
        wanted = DealFilter.parse(query)
        memory = sorted(
            d.id
            for d in deals
            if wanted.matches(
                d,
                frozenset(b.name for b in deal_badges(d, stages[d.stage_id], now)),
                me=me.name,
                changed_since=start,
            )
        )
        base = select(Deal.id).join(Deal.stage)
        with board.database.read() as session:
            sql = sorted(session.scalars(filtered(base, wanted, pipeline.stages, now, me.id)))
        assert sql == memory, query
    assert not DealFilter.parse("changed:standup").matches(deals[0])  # no window given


def test_deal_list_view_and_view_commands(
    board: Board, timed: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    url = board.database.url.render_as_string(hide_password=False)
    board.add_deal(DealFields(title="Clinic pilot", add_tags=("q4",)))
    board.add_deal(DealFields(title="Fleet"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("view", "save", "Q4 deals", "#q4")[0] == 0
    code, out, _ = run("view", "list", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert [v["name"] for v in listed] == [*BUILT_IN_NAMES, "Q4 deals"]
    assert listed[-1] == {"name": "Q4 deals", "query": "#q4", "built_in": False}
    code, out, _ = run("view", "list")
    assert "Q4 deals" in out and "#q4" in out and "mine" in out
    code, out, _ = run("deal", "list", "--view", "q4 deals", "--format", "json")
    assert [d["title"] for d in json.loads(out)] == ["Clinic pilot"]
    code, out, _ = run("deal", "list", "--view", "mine")
    assert "Clinic pilot" in out and "Fleet" in out
    code, _, err = run("view", "save", "Q4 deals", "#x")
    assert code != 0 and "already have a view" in err and "--replace" in err
    assert run("view", "save", "Q4 deals", "#x", "--replace")[0] == 0
    code, _, err = run("view", "save", "bad", "changed:lunch")
    assert code != 0 and err.count("\n") == 1 and "filter" in err
    code, _, err = run("deal", "list", "--view", "nope")
    assert code != 0 and "views: mine" in err
    assert run("view", "delete", "Q4 deals")[0] == 0
    code, out, _ = run("view", "list", "--format", "json")
    assert [v["name"] for v in json.loads(out)] == BUILT_IN_NAMES
