"""Pipeline revisions: what an import of a changed pipeline file changed in the process.

A team changes its process by editing the pipeline file and importing it
again. When that import changes how deals are worked — a criterion added or
removed (or how one is met), a stage's cadence, probability, days before a
deal goes quiet, WIP limit or templates, the pipeline's SLA or nurture days,
a stage added or removed — the import records a revision: numbered 1, 2, 3…
per pipeline, with who imported it and when. Wording (titles, descriptions,
purposes) and the order of the stages are not process changes and record
none; neither does the first import nor re-importing an identical file.

The change report (`dealboard.domain.reports.change`) compares deals before
and after a revision in the stages it touched. A pipeline-wide change (SLA,
nurture days) touches no one stage; the report measures it at the first open
stage, where every deal starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Pipeline, PipelineRevision, User
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.exchange.json_text import json_text
from dealboard.domain.lookup import find_pipeline

#: The `what` of a change that concerns the whole pipeline rather than one stage.
PIPELINE_WIDE = frozenset({"speed to lead", "follow-up", "nurture days"})


@dataclass(frozen=True)
class RevisionChange:
    """One thing a revision changed: in a stage (`stage_id`), or pipeline-wide (None)."""

    stage_id: int | None
    stage: str | None
    what: str
    before: str | int | None
    after: str | int | None

    @property
    def text(self) -> str:
        """`Qualify: criterion added: "Budget signed off"` — one line for people."""
        where = f"{self.stage}: " if self.stage else ""
        if self.what in ("criterion added", "criterion removed", "stage added", "stage removed"):
            shown = self.after if self.after is not None else self.before
            detail = f": {shown}" if shown is not None and not self.what.startswith("stage") else ""
            return f"{where}{self.what}{detail}"
        return f"{where}{self.what} {_value(self.before)} → {_value(self.after)}"


def _value(value: object) -> str:
    return "none" if value is None else str(value)


@dataclass(frozen=True)
class RevisionRecord:
    """A recorded revision: its pipeline, number, instant, who imported it, what changed."""

    pipeline: str
    number: int
    at: datetime
    user: str
    user_display: str
    changes: tuple[RevisionChange, ...]

    @property
    def stage_ids(self) -> tuple[int, ...]:
        """The stages it touched, in the order recorded, each once."""
        seen: dict[int, None] = {}
        for change in self.changes:
            if change.stage_id is not None:
                seen.setdefault(change.stage_id, None)
        return tuple(seen)

    @property
    def pipeline_wide(self) -> tuple[RevisionChange, ...]:
        """Its changes to the pipeline as a whole (SLA, nurture days)."""
        return tuple(c for c in self.changes if c.what in PIPELINE_WIDE)


def record(
    session: Session,
    actor: User,
    pipeline: Pipeline,
    changes: list[RevisionChange],
    now: datetime,
) -> PipelineRevision | None:
    """Store the next revision of `pipeline` when the import changed the process; else None."""
    if not changes:
        return None
    last = session.scalar(
        select(func.max(PipelineRevision.number)).where(PipelineRevision.pipeline_id == pipeline.id)
    )
    revision = PipelineRevision(
        pipeline_id=pipeline.id,
        number=(last or 0) + 1,
        at=now,
        user_id=actor.id,
        changes=json_text([_change_json(c) for c in changes], indent=None),
    )
    session.add(revision)
    session.flush()
    return revision


def _change_json(change: RevisionChange) -> dict[str, object]:
    return {
        "stage_id": change.stage_id,
        "stage": change.stage,
        "what": change.what,
        "before": change.before,
        "after": change.after,
    }


def list_revisions(session: Session, pipeline: str | None) -> list[RevisionRecord]:
    """Every revision of the pipeline (default: the first), oldest first."""
    found = find_pipeline(session, pipeline)
    rows = session.execute(
        select(PipelineRevision, User)
        .join(User, User.id == PipelineRevision.user_id)
        .where(PipelineRevision.pipeline_id == found.id)
        .order_by(PipelineRevision.number)
    ).all()
    return [_record(found.name, revision, user) for revision, user in rows]


def has_revisions(session: Session, pipeline: Pipeline) -> bool:
    """Whether any import has changed the pipeline's process yet."""
    found = session.scalar(
        select(PipelineRevision.id).where(PipelineRevision.pipeline_id == pipeline.id).limit(1)
    )
    return found is not None


def find_revision(session: Session, pipeline: Pipeline, number: int | None) -> RevisionRecord:
    """Revision `number` of the pipeline, or its latest when None."""
    query = (
        select(PipelineRevision, User)
        .join(User, User.id == PipelineRevision.user_id)
        .where(PipelineRevision.pipeline_id == pipeline.id)
    )
    if number is None:
        row = session.execute(query.order_by(PipelineRevision.number.desc()).limit(1)).first()
        if row is None:
            raise NotFound(
                "revision",
                "(latest)",
                f"pipeline {pipeline.name} has none yet; import a changed pipeline file "
                "(`dealboard pipeline import FILE`) to record one",
            )
    else:
        if number < 1:
            raise InvalidInput("revision", number, "give a revision number from 1")
        row = session.execute(query.where(PipelineRevision.number == number)).first()
        if row is None:
            last = session.scalar(
                select(func.max(PipelineRevision.number)).where(
                    PipelineRevision.pipeline_id == pipeline.id
                )
            )
            known = f"1 to {last}" if last else "none yet"
            raise NotFound("revision", str(number), f"pipeline {pipeline.name} has {known}")
    return _record(pipeline.name, *row)


def _record(pipeline: str, revision: PipelineRevision, user: User) -> RevisionRecord:
    try:
        raw = json.loads(revision.changes or "[]")
    except ValueError:
        raw = []
    changes = tuple(
        RevisionChange(
            item.get("stage_id"),
            item.get("stage"),
            str(item.get("what", "")),
            item.get("before"),
            item.get("after"),
        )
        for item in raw
        if isinstance(item, dict)
    )
    return RevisionRecord(
        pipeline, revision.number, revision.at, user.name, user.display_name, changes
    )
