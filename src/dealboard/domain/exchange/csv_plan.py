"""What a CSV import would do: the deals it adds, checked and ready to write, or its problems.

The plan is built (by `csv_reading`) against a snapshot of the board's
pipelines and users, and written by `csv_write` in one transaction; nothing
here touches the database except reading that snapshot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Pipeline, User
from dealboard.domain import text
from dealboard.domain.exchange.csv_columns import ColumnPlan
from dealboard.domain.exchange.csv_dates import DateFormat
from dealboard.domain.exchange.problems import Problem
from dealboard.vocabulary import ContactType, LossReason, StageKind


@dataclass(frozen=True)
class StageInfo:
    """A stage as the importer needs it."""

    id: int
    name: str
    kind: StageKind


@dataclass(frozen=True)
class PipelineInfo:
    """A pipeline's stages by loose name, its first open, won and lost stages."""

    id: int
    name: str
    title: str
    currency: str
    stages: tuple[StageInfo, ...]

    def stage(self, name: str) -> StageInfo | None:
        wanted = text.slug(name)
        return next((s for s in self.stages if text.slug(s.name) == wanted), None)

    def first_of(self, kind: StageKind) -> StageInfo:
        return next(s for s in self.stages if s.kind is kind)


@dataclass(frozen=True)
class BoardSnapshot:
    """What the plan is checked against: pipelines in board order, and who is on the board."""

    pipelines: tuple[PipelineInfo, ...]
    #: login (lower case) → login, and display name (case-folded) → login.
    logins: dict[str, str]
    display_names: dict[str, str]


def snapshot(session: Session) -> BoardSnapshot:
    """Read the pipelines and users once."""
    pipelines = tuple(
        PipelineInfo(
            p.id,
            p.name,
            p.title,
            p.currency,
            tuple(StageInfo(s.id, s.name, s.kind) for s in p.stages),
        )
        for p in session.scalars(select(Pipeline).order_by(Pipeline.id))
    )
    logins: dict[str, str] = {}
    display: dict[str, str] = {}
    for user in session.scalars(select(User).order_by(User.id)):
        logins[user.name.lower()] = user.name
        display.setdefault(user.display_name.casefold(), user.name)
    return BoardSnapshot(pipelines, logins, display)


@dataclass(frozen=True)
class CsvOptions:
    """How to read the file: target pipeline, column and stage maps, day/month order."""

    pipeline: str | None = None
    maps: tuple[str, ...] = ()
    stage_maps: tuple[str, ...] = ()
    date_format: DateFormat | None = None
    #: `--all-in STAGE`: every deal goes into this stage; the file's stages are not read.
    all_in: str | None = None
    #: `--created-default DATE`: the creation time of deals whose row has none.
    created_default: datetime | None = None
    #: The file is an Excel workbook (.xlsx), not CSV text.
    workbook: bool = False
    #: `--lost-from COLUMN`: the column naming the stage a closed deal was lost (or won) from.
    lost_from: str | None = None


@dataclass
class DealRow:
    """One deal, validated and ready to insert."""

    line: int
    pipeline_id: int
    stage_id: int
    #: The open stage the deal is recorded as entering when created; None for a lost deal
    #: whose file does not say where it was lost (it is recorded as created lost).
    entry_stage_id: int | None
    kind: StageKind
    title: str
    account: str
    contact: str
    value_minor: int
    currency: str
    owner: str
    contact_type: ContactType
    source: str
    tags: tuple[str, ...]
    expected_close: date | None
    next_step: str
    next_step_due: date | None
    created_at: datetime
    closed_at: datetime | None
    loss_reason: LossReason | None
    loss_note: str
    notes: str
    #: When an open deal entered its stage, by the file; None: unknown, counted from the import.
    stage_entered_at: datetime | None = None


@dataclass
class ImportPlan:
    """Everything an import would do, and everything that stops it."""

    file: str
    #: How the file was read: "comma-separated UTF-8", "Excel sheet 'Deals'".
    read_as: str
    columns: ColumnPlan
    #: Rows in the file (blank ones left out).
    rows: int = 0
    deals: list[DealRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: login → display name of owners who are not users yet.
    new_users: dict[str, str] = field(default_factory=dict)
    #: header → how its dates were read ("day/month/year").
    date_orders: dict[str, str] = field(default_factory=dict)
    decimal_comma: tuple[str, ...] = ()
    pipelines: dict[int, str] = field(default_factory=dict)
    stage_names: dict[int, str] = field(default_factory=dict)
    #: Values the file lacked and the import supplied, counted per kind: "created"
    #: (the import time or --created-default), "owner" (the importing user), "stage"
    #: (the first stage), "closed from expected close" (a closed deal's closing day).
    invented: Counter[str] = field(default_factory=Counter)
    #: One tag from the file and what it became (`GTX Plus Basic` → `gtx-plus-basic`).
    tag_example: tuple[str, str] | None = None
    #: A column read as the stage because `--stage-map` was given and it looked like one.
    stage_column_guessed: str | None = None
    #: `--all-in STAGE` and `--created-default`, as given; when the plan was made.
    all_in: str | None = None
    created_default: datetime | None = None
    imported_at: datetime | None = None
    #: Accounts the deals name (folded) that the board does not have yet, and those it has.
    accounts_new: int = 0
    accounts_matched: int = 0

    def counts(self) -> Counter[str]:
        """Deals by status, plus lost ones without a reason and closed ones without a date."""
        tally: Counter[str] = Counter(d.kind.value for d in self.deals)
        tally["unknown reason"] = sum(1 for d in self.deals if d.loss_reason is LossReason.UNKNOWN)
        tally["no closed date"] = sum(
            1 for d in self.deals if d.kind is not StageKind.OPEN and d.closed_at is None
        )
        return tally

    def by_stage(self) -> list[tuple[str, str, int]]:
        """(pipeline, stage, deals) in board order."""
        tally = Counter((d.pipeline_id, d.stage_id) for d in self.deals)
        order = list(self.stage_names)
        return [
            (self.pipelines[p], self.stage_names[s], n)
            for (p, s), n in sorted(tally.items(), key=lambda item: order.index(item[0][1]))
        ]
