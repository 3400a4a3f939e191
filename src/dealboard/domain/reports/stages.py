"""Time in stage: where deals stall, as the median and 90th percentile of their stays.

A **stay** runs from a deal entering an open stage to its next move (on, back,
or out as won or lost), whoever made it. A deal that came back to a stage has
one stay per visit. Each move records the stay it ends (`stay_seconds`), so
no report has to pair up a deal's moves again.

- **Finished stays** (`finished`): stays that ended inside the window; their
  median and nearest-rank 90th percentile. This is where deals stall.
- **Ongoing stays** (`ongoing`): deals in the stage now, measured up to the
  moment of the report, whatever the window. Kept apart from the finished
  figures (they would pull them down), but shown beside them with their count,
  so a stage where deals sit and do not leave is still visible.

- **Imported stays** are not measured: the stays an import wrote from another
  system (`stage_transitions.imported`) and an open deal's stay counted from
  its import because the file did not say when it entered the stage
  (`import_stays`). Both are left out of the figures above; `not_measured`
  counts the deals they belong to, so the report can say so.

The pipeline's, owner's and tag's deals, whenever created. Four queries: the
finished and the ongoing stays counted per stage, the imported stays left
out, then one statement picking
the values at the median and p90 ranks (`LIMIT 1 OFFSET k` along
`ix_stage_transitions_from_stay`, and along the deals of each stage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, distinct, false, func, select, true
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTransition
from dealboard.domain.import_stays import stays_begun_at_import
from dealboard.domain.reports.scope import (
    ReportScope,
    deal_conditions,
    in_window,
    tagged_deals,
)
from dealboard.domain.reports.sql import MedianP90, median_p90, percentile_ranks


@dataclass(frozen=True)
class StageTime:
    """One open stage: how long finished stays took, and how long current ones have lasted."""

    stage: str
    finished: MedianP90
    ongoing: MedianP90


@dataclass(frozen=True)
class StagesReport:
    """Time in each open stage, in pipeline order."""

    scope: ReportScope
    stages: tuple[StageTime, ...]
    #: Deals whose stays here were imported, not measured, and are left out of the figures.
    not_measured: int = 0

    @property
    def imported_note(self) -> str | None:
        """The one line that says imported stays were left out; None when none were."""
        return not_measured_note(self.not_measured, "time in stage")


def build_stages(session: Session, scope: ReportScope) -> StagesReport:
    """Count the stays per stage, then fetch only the values at the ranks wanted."""
    stage_ids = [s.id for s in scope.open_stages]
    left = [
        StageTransition.from_stage_id.in_(stage_ids),
        StageTransition.imported == false(),
        *_finished_conditions(scope),
    ]
    begun_at_import = stays_begun_at_import()
    here = [Deal.stage_id.in_(stage_ids), *deal_conditions(scope)]
    ongoing, imported_now = _ongoing_counts(session, here, begun_at_import)
    here.append(~begun_at_import)
    finished = _counts(session, StageTransition.from_stage_id, left)
    imported_left = session.scalar(
        select(func.count(distinct(StageTransition.deal_id))).where(
            StageTransition.from_stage_id.in_(stage_ids),
            StageTransition.imported == true(),
            *_finished_conditions(scope),
        )
    )
    if scope.owner_id is None and scope.tag is None:
        finished_values = _index_picks(session, finished, left)
    else:
        finished_values = _window_picks(
            session, StageTransition.from_stage_id, StageTransition.stay_seconds, left, finished
        )
    entered = _window_picks(
        session, Deal.stage_id, Deal.stage_entered_at, here, ongoing, descending=True
    )
    ongoing_values = {
        stage_id: {rank: _age(at, scope.now) for rank, at in by_rank.items()}
        for stage_id, by_rank in entered.items()
    }
    return StagesReport(
        scope=scope,
        stages=tuple(
            StageTime(
                s.name,
                median_p90(finished.get(s.id, 0), finished_values.get(s.id, {})),
                median_p90(ongoing.get(s.id, 0), ongoing_values.get(s.id, {})),
            )
            for s in scope.open_stages
        ),
        not_measured=imported_now + (imported_left or 0),
    )


def not_measured_note(deals: int, what: str) -> str | None:
    """`12 imported deals' time in stage is not measured and left out`, or None for none."""
    if not deals:
        return None
    whose = "1 imported deal's" if deals == 1 else f"{deals:,} imported deals'"
    return f"{whose} {what} is not measured and left out"


def _ongoing_counts(
    session: Session, here: Sequence[ColumnElement[bool]], begun_at_import: ColumnElement[bool]
) -> tuple[dict[int, int], int]:
    """Deals in each stage now whose stay is measured, and how many are counted from an import."""
    rows = session.execute(
        select(Deal.stage_id, begun_at_import, func.count())
        .where(*here)
        .group_by(Deal.stage_id, begun_at_import)
    ).all()
    measured: dict[int, int] = {}
    imported = 0
    for stage_id, from_import, count in rows:
        if from_import:
            imported += count
        else:
            measured[stage_id] = measured.get(stage_id, 0) + count
    return measured, imported


def _finished_conditions(scope: ReportScope) -> list[ColumnElement[bool]]:
    """Measured stays that ended in the window, of the deals in scope.

    The stage already names the pipeline; only an owner or a tag needs the deals.
    """
    conditions = [
        StageTransition.stay_seconds.is_not(None),
        *in_window(StageTransition.at, scope),
    ]
    if scope.owner_id is not None:
        owned = select(Deal.id).where(Deal.owner_id == scope.owner_id)
        conditions.append(StageTransition.deal_id.in_(owned))
    if scope.tag is not None:
        conditions.append(StageTransition.deal_id.in_(tagged_deals(scope.tag)))
    return conditions


def _counts(
    session: Session, group: ColumnElement[int], conditions: Sequence[ColumnElement[bool]]
) -> dict[int, int]:
    query = select(group, func.count()).where(*conditions).group_by(group)
    return dict(session.execute(query).all())


def _index_picks(
    session: Session, counts: dict[int, int], conditions: Sequence[ColumnElement[bool]]
) -> dict[int, dict[int, Any]]:
    """The stays at the wanted ranks by walking `ix_stage_transitions_from_stay` in order.

    One statement of scalar subqueries, `ORDER BY stay_seconds LIMIT 1 OFFSET rank−1`
    each: milliseconds where ranking every stay would take most of a second.
    """
    picks = [
        (stage_id, rank)
        for stage_id, count in counts.items()
        for rank in sorted(set(percentile_ranks(count)))
    ]
    if not picks:
        return {}
    columns = [
        select(StageTransition.stay_seconds)
        .where(StageTransition.from_stage_id == stage_id, *conditions)
        .order_by(StageTransition.stay_seconds)
        .limit(1)
        .offset(rank - 1)
        .scalar_subquery()
        .label(f"p{i}")
        for i, (stage_id, rank) in enumerate(picks)
    ]
    values = session.execute(select(*columns)).one()
    found: dict[int, dict[int, Any]] = {}
    for (stage_id, rank), value in zip(picks, values, strict=True):
        found.setdefault(stage_id, {})[rank] = value
    return found


def _window_picks(
    session: Session,
    group: ColumnElement[int],
    value: ColumnElement[Any],
    conditions: Sequence[ColumnElement[bool]],
    counts: dict[int, int],
    *,
    descending: bool = False,
) -> dict[int, dict[int, Any]]:
    """The values at the wanted ranks, numbered per group by `ROW_NUMBER()`.

    For a filtered set (one owner's deals, one tag's): only the rows that pass
    the filter are numbered, so the cost follows the filter.
    """
    ranks = {rank for count in counts.values() for rank in percentile_ranks(count)}
    if not ranks:
        return {}
    numbered = (
        select(
            group.label("grp"),
            value.label("value"),
            func.row_number()
            .over(partition_by=group, order_by=value.desc() if descending else value)
            .label("rn"),
        )
        .where(*conditions)
        .subquery("numbered")
    )
    rows = session.execute(
        select(numbered.c.grp, numbered.c.rn, numbered.c.value).where(
            numbered.c.rn.in_(sorted(ranks))
        )
    )
    found: dict[int, dict[int, Any]] = {}
    for stage_id, rank, value in rows:
        if rank in percentile_ranks(counts.get(stage_id, 0)):
            found.setdefault(stage_id, {})[rank] = value
    return found


def _age(entered: datetime, now: datetime) -> float:
    return max((now - entered).total_seconds(), 0.0)
