"""What a report covers: one pipeline, a time window, and optionally one owner or one tag.

Resolved once from what the user typed, then handed to every report builder;
`deal_conditions` is the SQL filter all of them share, so `--owner` and
`--tag` mean the same thing in every report.

- **pipeline**: named, or the board's first. Stage-based reports need one.
- **since / until**: `[since, until)`; each report says which instant of a deal
  it holds against the window. None means unbounded: by default a report
  covers everything recorded (the forecast: from this month on).
  Typed like `report sla`: a duration ago (`30d`, `2w`) or a day (`2026-11-01`,
  `today`); a day given to `until` is included whole. Days are the user's:
  from local midnight to local midnight, whatever the offset that day.
- **owner**: deals whose owner is that user *now* (a reassigned deal counts for
  its new owner).
- **tag**: deals carrying that tag now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from dealboard.db import zones
from dealboard.db.models import Deal, DealTag
from dealboard.domain import queries, users
from dealboard.domain.deals import parse_tag
from dealboard.domain.errors import InvalidInput
from dealboard.domain.history import parse_since, parse_until
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.records import PipelineRecord, StageRecord
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class ReportScope:
    """The resolved question: which pipeline, which window, whose deals, asked when."""

    pipeline: PipelineRecord
    since: datetime | None
    until: datetime | None
    owner: str | None
    tag: str | None
    #: The instant the report was computed (open stays and ages are measured up to it).
    now: datetime
    #: The user's offset from UTC now, in seconds: used only where `zone` is unknown.
    utc_offset: int = 0
    #: The user's tz database zone (`America/Los_Angeles`), so each instant falls in
    #: the user's month by its own offset (summer or winter); None: the process's local
    #: time on SQLite, `utc_offset` on PostgreSQL.
    zone: str | None = None
    owner_id: int | None = field(default=None, repr=False, compare=False)

    @property
    def currency(self) -> str:
        """The pipeline's own currency: listed first wherever amounts are per currency."""
        return self.pipeline.currency

    @property
    def open_stages(self) -> tuple[StageRecord, ...]:
        """The pipeline's open stages, in order."""
        return self.pipeline.open_stages

    @property
    def this_month(self) -> date:
        """The first day of the user's current month."""
        return self.now.astimezone().date().replace(day=1)


def parse_window(
    since: str | None, until: str | None, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """`since`/`until` as typed; None where not given (unbounded)."""
    start = parse_since(since, now) if since else None
    end = parse_until(until, now) if until else None
    if start is not None and end is not None and start >= end:
        raise InvalidInput("since", since, "the window must start before it ends (--until)")
    return start, end


class ReportFilters(TypedDict, total=False):
    """What a report may be asked for besides its name, as the user typed it."""

    pipeline: str | None
    since: str | None
    until: str | None
    owner: str | None
    tag: str | None


def resolve_scope(
    session: Session,
    *,
    now: datetime,
    pipeline: str | None = None,
    since: str | None = None,
    until: str | None = None,
    owner: str | None = None,
    tag: str | None = None,
) -> ReportScope:
    """Look up the pipeline, owner and tag the user named; refuse unknown ones."""
    start, end = parse_window(since, until, now)
    record = queries.pipeline_record(find_pipeline(session, pipeline))
    person = users.find_user(session, owner, "owner") if owner else None
    offset = now.astimezone().utcoffset()
    return ReportScope(
        pipeline=record,
        since=start,
        until=end,
        owner=person.name if person else None,
        tag=parse_tag(tag) if tag else None,
        now=now,
        utc_offset=int(offset.total_seconds()) if offset else 0,
        zone=zones.local_zone_name(),
        owner_id=person.id if person else None,
    )


def deal_conditions(scope: ReportScope) -> list[ColumnElement[bool]]:
    """The deals a report may look at: the pipeline's, the owner's, the tag's."""
    conditions: list[ColumnElement[bool]] = [Deal.pipeline_id == scope.pipeline.id]
    if scope.owner_id is not None:
        conditions.append(Deal.owner_id == scope.owner_id)
    if scope.tag is not None:
        conditions.append(Deal.id.in_(tagged_deals(scope.tag)))
    return conditions


def tagged_deals(tag: str) -> Select:
    """The ids of the deals carrying `tag` (along `ix_deal_tags_tag`)."""
    return select(DealTag.deal_id).where(DealTag.tag == tag)


def in_window(column: ColumnElement, scope: ReportScope) -> list[ColumnElement[bool]]:
    """`column` inside `[since, until)`, each bound only when given."""
    conditions: list[ColumnElement[bool]] = []
    if scope.since is not None:
        conditions.append(column >= scope.since)
    if scope.until is not None:
        conditions.append(column < scope.until)
    return conditions


def stage_ids(scope: ReportScope, *kinds: StageKind) -> list[int]:
    """The ids of the pipeline's stages of these kinds.

    Reports filter deals by `stage_id IN (…)` rather than joining the stages: the
    deals' board index answers it, and no row needs a lookup of its stage.
    """
    return [s.id for s in scope.pipeline.stages if s.kind in kinds]


def stage_kinds(scope: ReportScope) -> dict[int, StageKind]:
    """Each stage id of the pipeline and its kind."""
    return {s.id: s.kind for s in scope.pipeline.stages}
