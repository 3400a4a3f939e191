"""The change report's reads: one stage's deals, counted by side, in two grouped queries.

Each deal counts once, by its first visit to the stage. A finished visit is
its first move out (each move out records the stay it ends, `stay_seconds`),
so the deal entered `stay_seconds` before that move; a deal that never left
is in the stage now (`stage_entered_at`). Everything is measured in seconds
from the revision's instant, and the database sorts each deal onto its side
(`before`, `after`, `straddling`, `waiting`; `unknown` when a move has no
stay) with the horizon rule of `dealboard.domain.reports.change`.

Durations come back grouped to the hour ({hours: deals}): the Mann–Whitney
test works on ranks with ties, so grouping loses nothing that matters and
turns 100,000 rows into a few hundred.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTransition
from dealboard.domain.import_stays import stays_begun_at_import
from dealboard.domain.reports.scope import ReportScope, deal_conditions
from dealboard.domain.reports.sql import seconds_between

#: The type of an instant, for the revision's instant as a bound value.
_AT = StageTransition.__table__.c.at.type
_HOUR = 3600.0


@dataclass
class Side:
    """What one side (before or after) of one stage adds up to."""

    judged: int = 0
    moved_on: int = 0
    won: int = 0
    lost: int = 0
    still_open: int = 0
    #: Time in stage to the hour, capped at the horizon: {hours: deals}.
    stays: Counter[float] = field(default_factory=Counter)
    #: Creation to won, to the hour, of the won deals that passed: {hours: deals}.
    cycles: Counter[float] = field(default_factory=Counter)


@dataclass
class StageCounts:
    """Both sides of one stage and the deals left out of them."""

    before: Side = field(default_factory=Side)
    after: Side = field(default_factory=Side)
    straddling: int = 0
    waiting: int = 0
    not_measured: int = 0


@dataclass(frozen=True)
class StageQuestion:
    """Which stage, which revision instant, and the stage ids its outcomes are read against."""

    stage_id: int
    at: datetime
    horizon: int
    forward: frozenset[int]
    won: frozenset[int]
    lost: frozenset[int]


def count_stage(session: Session, scope: ReportScope, asked: StageQuestion) -> StageCounts:
    """Two grouped queries: first visits that ended (with the won deals' cycles), deals still in."""
    counts = StageCounts()
    revision = literal(asked.at, type_=_AT)
    now = (scope.now - asked.at).total_seconds()
    in_scope = select(Deal.id).where(*deal_conditions(scope))
    first = (
        select(StageTransition.deal_id.label("deal_id"), func.min(StageTransition.at).label("at"))
        .where(
            StageTransition.from_stage_id == asked.stage_id,
            StageTransition.deal_id.in_(in_scope),
        )
        .group_by(StageTransition.deal_id)
        .subquery("first")
    )
    stay = StageTransition.stay_seconds
    entered = seconds_between(revision, StageTransition.at) - stay
    forward = StageTransition.to_stage_id.in_(asked.forward)
    capped = case((stay > asked.horizon, asked.horizon), else_=stay)
    cycle = seconds_between(Deal.created_at, Deal.closed_at)
    visits = (
        select(
            case((stay.is_(None), "unknown"), else_=_side(entered, now, asked.horizon)).label(
                "side"
            ),
            case((and_(stay <= asked.horizon, forward), 1), else_=0).label("moved"),
            case((forward, 1), else_=0).label("passed"),
            _kind(asked).label("kind"),
            StageTransition.imported.label("imported"),
            func.round(capped / _HOUR).label("hours"),
            case(
                (and_(forward, Deal.stage_id.in_(asked.won)), func.round(cycle / _HOUR)),
                else_=None,
            ).label("cycle"),
        )
        .select_from(StageTransition)
        .join(
            first,
            and_(first.c.deal_id == StageTransition.deal_id, first.c.at == StageTransition.at),
        )
        .join(Deal, Deal.id == StageTransition.deal_id)
        .where(StageTransition.from_stage_id == asked.stage_id)
        .subquery("visits")
    )
    grouped = (visits.c.side, visits.c.moved, visits.c.passed, visits.c.kind, visits.c.imported,
               visits.c.hours, visits.c.cycle)  # fmt: skip
    for side_name, moved, passed, kind, imported, hours, cycle, deals in session.execute(
        select(*grouped, func.count()).group_by(*grouped)
    ):
        if side_name == "unknown":
            counts.not_measured += deals
            continue
        side = _sorted_onto(counts, side_name, deals)
        if side is None:
            continue
        side.judged += deals
        side.moved_on += moved * deals
        if imported:
            counts.not_measured += deals
        else:
            side.stays[float(hours)] += deals
        if passed:
            _outcome(side, kind, deals)
        if cycle is not None:
            side.cycles[float(cycle)] += deals
    _still_there(session, scope, asked, counts, revision, now)
    return counts


def _still_there(
    session: Session,
    scope: ReportScope,
    asked: StageQuestion,
    counts: StageCounts,
    revision: ColumnElement[datetime],
    now: float,
) -> None:
    """Deals in the stage now that never left it: judged as not moved on, at the horizon."""
    left_before = exists().where(
        StageTransition.deal_id == Deal.id, StageTransition.from_stage_id == asked.stage_id
    )
    entered = seconds_between(revision, Deal.stage_entered_at)
    there = (
        select(
            _side(entered, now, asked.horizon).label("side"),
            stays_begun_at_import().label("from_import"),
        )
        .where(Deal.stage_id == asked.stage_id, ~left_before, *deal_conditions(scope))
        .subquery("there")
    )
    for side_name, from_import, deals in session.execute(
        select(there.c.side, there.c.from_import, func.count()).group_by(
            there.c.side, there.c.from_import
        )
    ):
        side = _sorted_onto(counts, side_name, deals)
        if side is None:
            continue
        side.judged += deals
        if from_import:
            counts.not_measured += deals
        else:
            side.stays[asked.horizon / _HOUR] += deals


def _side(entered: ColumnElement[float], now: float, horizon: int) -> ColumnElement[str]:
    """Before, after, or left out, for a deal that entered `entered` seconds after the revision."""
    return case(
        (entered > now - horizon, "waiting"),
        (entered >= 0, "after"),
        (entered > -horizon, "straddling"),
        else_="before",
    )


def _kind(asked: StageQuestion) -> ColumnElement[str]:
    return case(
        (Deal.stage_id.in_(asked.won), "won"),
        (Deal.stage_id.in_(asked.lost), "lost"),
        else_="open",
    )


def _sorted_onto(counts: StageCounts, name: str, deals: int) -> Side | None:
    if name == "straddling":
        counts.straddling += deals
        return None
    if name == "waiting":
        counts.waiting += deals
        return None
    return counts.before if name == "before" else counts.after


def _outcome(side: Side, kind: str, deals: int) -> None:
    if kind == "won":
        side.won += deals
    elif kind == "lost":
        side.lost += deals
    else:
        side.still_open += deals
