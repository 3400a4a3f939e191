"""The board filter (`filters.DealFilter`) as SQL, for boards too big to load into memory.

`filtered` narrows a SELECT over deals to exactly the deals the in-memory filter keeps
with `badges.deal_badges`: words in title, account or contact, `@owner` prefixes, `#tags`
and badge words. What depends on the clock and the user's calendar (today, the first
instant of a local day, the end of a follow-up window) is worked out here, per stage,
so the database only compares stored UTC instants and dates with constants and never
needs to know the user's time zone.

Text is folded by `CaseFold`: Python's own `str.casefold()` on SQLite (the
`dealboard_fold` function `dealboard.db.engine` registers on every connection) and
`lower()` on PostgreSQL, which agrees with it for letters such as É, Ü or Å but not for
the few a full case fold expands or merges (ß and ẞ fold to "ss", ς to σ; also ſ, İ,
ligatures such as ﬁ).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, false, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from dealboard.db.engine import SQLITE_FOLD_FUNCTION
from dealboard.db.models import Deal, DealTag, Stage, User
from dealboard.domain.filters import DealFilter
from dealboard.domain.records import StageRecord
from dealboard.domain.standup_window import since_window
from dealboard.domain.touch_sql import active_since, ever_touched, reached_in_stage
from dealboard.domain.touch_sql import touches_in_stage as touches
from dealboard.vocabulary import StageKind

_Rule = TypeVar("_Rule", bound=Hashable)

#: The smallest step between two stored instants.
_TICK = timedelta(microseconds=1)


class CaseFold(FunctionElement[str]):
    """`str.casefold()` in SQL: `dealboard_fold(x)` on SQLite, `lower(x)` elsewhere.

    PostgreSQL's `lower()` folds Unicode but keeps ß, which casefold spells ss:
    that one is replaced, so "Straße" is found by typing "strasse" or "straße"
    (the typed word is casefolded) on both engines.
    """

    type = String()
    name = SQLITE_FOLD_FUNCTION
    inherit_cache = True


@compiles(CaseFold)
def _lower(element: CaseFold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"replace(lower({compiler.process(element.clauses, **kw)}), 'ß', 'ss')"


@compiles(CaseFold, "sqlite")
def _casefold_on_sqlite(element: CaseFold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FOLD_FUNCTION}({compiler.process(element.clauses, **kw)})"


def filtered(
    query: Select,
    flt: DealFilter,
    stages: Sequence[StageRecord],
    now: datetime,
    me_id: int | None = None,
) -> Select:
    """`query` narrowed to the deals `flt.matches` keeps, given each deal's `deal_badges`.

    `query` selects from `Deal` joined to `Stage` on the deal's stage; `stages` holds the
    rules of every stage its deals are in (`queries.pipeline_record`); `now` (aware) is
    the instant badges are judged at. Every condition is a comparison, IN or EXISTS on
    the deal's own row, never a join, so the result keeps one row per deal under GROUP
    BY, ORDER BY and LIMIT. Activities are read only for `quiet`, `exhausted` and
    `breach`. An empty filter returns `query` itself. `me_id` is the user `@me` stands
    for (None: `@me` keeps nothing).
    """
    if flt.is_empty:
        return query
    return query.where(*filter_conditions(flt, stages, now, me_id))


def filter_conditions(
    flt: DealFilter, stages: Sequence[StageRecord], now: datetime, me_id: int | None = None
) -> list[ColumnElement[bool]]:
    """The conditions `filtered` adds, for a query that joins `Stage` its own way."""
    conditions = [word_condition(word) for word in flt.words]
    if flt.owners or flt.mine:
        mine = Deal.owner_id == me_id if flt.mine and me_id is not None else false()
        conditions.append(or_(owner_condition(flt.owners), mine) if flt.owners else mine)
    conditions += [tag_condition(tag) for tag in flt.tags]
    conditions += [badge_condition(name, stages, now) for name in dict.fromkeys(flt.badges)]
    if flt.changed:
        conditions.append(changed_condition(now))
    return conditions


def changed_condition(now: datetime) -> ColumnElement[bool]:
    """Created, edited, moved or closed since the last stand-up (`standup_window.since_window`)."""
    start, _ = since_window(now)
    return or_(
        Deal.created_at >= start,
        Deal.updated_at >= start,
        Deal.stage_entered_at >= start,
        Deal.closed_at >= start,
    )


def word_condition(word: str) -> ColumnElement[bool]:
    """The word in the deal's title, account or contact; `%`, `_` and `\\` are plain letters."""
    if word != word.casefold():
        return false()  # no casefolded text contains a letter casefold would change
    haystack = CaseFold(Deal.title + "\n" + Deal.account + "\n" + Deal.contact)
    return haystack.contains(word, autoescape=True)


def owner_condition(owners: Iterable[str]) -> ColumnElement[bool]:
    """The deal's owner's login or display name starts with any of `owners`."""
    owner = aliased(User)
    prefixes = [
        CaseFold(owner.name).startswith(prefix, autoescape=True)
        | CaseFold(owner.display_name).startswith(prefix, autoescape=True)
        for prefix in owners
        if prefix == prefix.casefold()
    ]
    return Deal.owner_id.in_(select(owner.id).where(or_(false(), *prefixes)))


def tag_condition(tag: str) -> ColumnElement[bool]:
    """The deal carries the tag (stored lower case, compared exactly as the filter does)."""
    return Deal.id.in_(select(DealTag.deal_id).where(DealTag.tag == tag))


def badge_condition(name: str, stages: Sequence[StageRecord], now: datetime) -> ColumnElement[bool]:
    """The deal shows the badge `name` (a `badges.FILTER_WORDS` word) at `now`."""
    if name not in _BADGES:
        raise ValueError(f"the badge {name!r} has no SQL form")
    today = now.astimezone().date()
    return _BADGES[name](stages, now.astimezone(UTC), today)


def local_day_start(day: date) -> datetime:
    """The first instant (UTC) whose date on the user's calendar is `day` or later.

    Local midnight, unless midnight falls in a daylight-saving gap: then a search.
    """
    guess = datetime.combine(day, time()).astimezone(UTC)
    if _local_date(guess - _TICK) < day <= _local_date(guess):
        return guess
    low = guess - timedelta(days=2)
    before, after = 0, 4 * 86_400_000_000
    while after - before > 1:
        middle = (before + after) // 2
        if _local_date(low + middle * _TICK) >= day:
            after = middle
        else:
            before = middle
    return low + after * _TICK


def _local_date(instant: datetime) -> date:
    return instant.astimezone().date()


def _open_deal() -> ColumnElement[bool]:
    return Stage.kind == StageKind.OPEN


def _late(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    return _open_deal() & (Deal.next_step_due < today)


def _due_today(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    return _open_deal() & (Deal.next_step_due == today)


def _no_step(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    return _open_deal() & Deal.next_step_due.is_(None)


def _quiet(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    """Nothing since the first instant of the local day `rot_days` before today.

    `badges.quiet_days` counts whole local days from the later of the clock start and
    the last activity: more than `rot_days` means both are before that instant.
    """

    def threshold(stage: StageRecord) -> datetime | None:
        if stage.kind is not StageKind.OPEN or stage.rot_days is None:
            return None
        return local_day_start(today - timedelta(days=stage.rot_days))

    return _per_stage(
        stages, threshold, lambda start: _clock_started_before(start) & ~active_since(start)
    )


def _exhausted(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    return _open_deal() & _per_stage(
        stages,
        lambda stage: stage.cadence_attempts,
        lambda attempts: ~reached_in_stage() & (touches() >= attempts),
    )


def _breach(stages: Sequence[StageRecord], now: datetime, today: date) -> ColumnElement[bool]:
    """No first touch past the speed to lead, or the follow-up window over (`sla`)."""

    def touch_deadline(stage: StageRecord) -> datetime | None:
        minutes = stage.speed_to_lead_minutes
        return None if minutes is None else now - timedelta(minutes=minutes)

    def follow_up(stage: StageRecord) -> tuple[int, datetime] | None:
        if stage.kind is not StageKind.OPEN or stage.cadence_attempts is None:
            return None
        if stage.cadence_days is None:
            return None
        return stage.cadence_attempts, now - timedelta(days=stage.cadence_days)

    no_touch = _per_stage(
        stages,
        touch_deadline,
        lambda deadline: (
            Deal.imported_at.is_(None) & (Deal.created_at < deadline) & ~ever_touched()
        ),
    )
    follow_up_late = _per_stage(
        stages,
        follow_up,
        lambda rule: _clock_started_before(rule[1]) & ~reached_in_stage() & (touches() < rule[0]),
    )
    return _open_deal() & or_(no_touch, follow_up_late)


def _clock_started_before(instant: datetime) -> ColumnElement[bool]:
    """`sla.clock_start(deal) < instant`: the stage entry and any import both before it."""
    return (Deal.stage_entered_at < instant) & (
        Deal.imported_at.is_(None) | (Deal.imported_at < instant)
    )


def _per_stage(
    stages: Iterable[StageRecord],
    rule: Callable[[StageRecord], _Rule | None],
    condition: Callable[[_Rule], ColumnElement[bool]],
) -> ColumnElement[bool]:
    """`condition(rule)` for each stage that has the rule: stages sharing a value share SQL."""
    stage_ids: dict[_Rule, list[int]] = defaultdict(list)
    for stage in stages:
        value = rule(stage)
        if value is not None:
            stage_ids[value].append(stage.id)
    return or_(
        false(), *(Deal.stage_id.in_(ids) & condition(value) for value, ids in stage_ids.items())
    )


_BADGES: dict[str, Callable[[Sequence[StageRecord], datetime, date], ColumnElement[bool]]] = {
    "late": _late,
    "today": _due_today,
    "nostep": _no_step,
    "quiet": _quiet,
    "exhausted": _exhausted,
    "breach": _breach,
}
