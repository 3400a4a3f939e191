"""The stage history a CSV file knows: where a closed deal left off, and since when an open
deal has been in its stage.

Another CRM's export says a deal is lost, rarely from which stage; without
that, the import can only make the history up, and a made-up "lost from the
first stage" would say every loss happened at the start. So:

- **Stage lost from** (`lost_stage`): a column `Lost stage`, `Last stage`,
  `Stage lost from`… or the one `--lost-from COLUMN` names. A lost deal is
  recorded as entering that stage, then Lost; a won deal as entering it, then
  Won. Pipedrive needs none: its `Stage` column keeps the open stage of a
  closed deal, and the importer already reads it so.
- **Stage entered** (`stage_entered`): Pipedrive `Stage change time`,
  Salesforce `LastStageChangeDate`, or HubSpot's `Date entered "<stage>"`
  columns (the one for the deal's stage, else the latest given). An open deal
  has been in its stage since then; without one, since the import.

These columns are found among the ones the field guess left unused, so the
alias tables of `csv_columns` stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dealboard.domain import text
from dealboard.domain.errors import InvalidInput
from dealboard.domain.exchange.csv_columns import ColumnPlan, normal_header
from dealboard.domain.exchange.csv_dates import DateColumn, DateFormat
from dealboard.domain.exchange.csv_plan import PipelineInfo, StageInfo
from dealboard.domain.exchange.csv_source import CsvTable, unneutralise
from dealboard.domain.exchange.problems import Problem, reason
from dealboard.vocabulary import StageKind

LOST_STAGE = "lost_stage"
STAGE_ENTERED = "stage_entered"

#: Headers (as `normal_header` writes them) naming the open stage a closed deal left.
LOST_STAGE_HEADERS = frozenset(
    {
        "lost stage",
        "last stage",
        "stage lost from",
        "lost from stage",
        "lost from",
        "lost at stage",
        "lost in stage",
        "stage when lost",
        "last open stage",
        "stage before close",
        "stage before closing",
    }
)

#: Headers holding when the deal entered the stage it is in.
STAGE_ENTERED_HEADERS = frozenset(
    {
        "stage change time",
        "stage changed",
        "stage change date",
        "stage changed at",
        "last stage change",
        "last stage change date",
        "last stage change time",
        "laststagechangedate",
        "stage entered",
        "stage entered at",
        "stage entered date",
        "entered stage",
        "date entered stage",
        "date entered current stage",
        "in stage since",
    }
)

#: HubSpot: `Date entered "Appointment Scheduled (Sales Pipeline)"`, one column per stage.
_DATE_ENTERED = re.compile(r"^\s*date\s+entered\s+(?P<stage>.+?)\s*$", re.IGNORECASE)
_QUOTES = "\"'“”‘’"


@dataclass
class HistoryColumns:
    """Where the file keeps its stage history, and the problems found finding it."""

    lost_stage: int | None = None
    #: (column index, the stage it is for as a slug; "" for "the deal's stage, whichever").
    entered: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def find_history_columns(
    table: CsvTable, columns: ColumnPlan, maps: tuple[str, ...], lost_from: str | None
) -> tuple[ColumnPlan, HistoryColumns]:
    """Claim the unused columns that hold stage history; the plan then lists them as used."""
    found = HistoryColumns()
    headers = table.headers
    used = {i for indexes in columns.fields.values() for i in indexes}
    left_out = {normal_header(m.partition("=")[0]) for m in maps if _maps_to_skip(m)}
    claimed: dict[int, str] = {}
    if lost_from is not None:
        wanted = lost_from.strip()
        index = next(
            (i for i, h in enumerate(headers) if h.casefold() == wanted.casefold()),
            next(
                (i for i, h in enumerate(headers) if normal_header(h) == normal_header(wanted)),
                None,
            ),
        )
        if index is None:
            shown = ", ".join(repr(h) for h in headers)
            found.problems.append(
                Problem(
                    "--lost-from", f"{table.file} has no column {wanted!r}; its columns: {shown}"
                )
            )
        elif index in used:
            found.problems.append(
                Problem("--lost-from", f"{headers[index]!r} is already read as another field")
            )
        else:
            claimed[index] = LOST_STAGE
    for index, header in enumerate(headers):
        name = normal_header(header) if header else ""
        if index in used or index in claimed or not name or name in left_out:
            continue
        if name in LOST_STAGE_HEADERS and lost_from is None and LOST_STAGE not in claimed.values():
            claimed[index] = LOST_STAGE
        elif name in STAGE_ENTERED_HEADERS:
            claimed[index] = STAGE_ENTERED
            found.entered.append((index, ""))
        elif (match := _DATE_ENTERED.match(header)) is not None:
            claimed[index] = STAGE_ENTERED
            found.entered.append((index, _stage_slug(match["stage"])))
    found.lost_stage = next((i for i, f in claimed.items() if f == LOST_STAGE), None)
    if not claimed:
        return columns, found
    fields = dict(columns.fields)
    for index, name in sorted(claimed.items()):
        fields[name] = (*fields.get(name, ()), index)
    skipped = tuple(
        (h, why) for h, why in columns.skipped if h not in {headers[i] for i in claimed}
    )
    order = sorted((i, f) for f, indexes in fields.items() for i in indexes)
    return ColumnPlan(fields, skipped, tuple((headers[i], f) for i, f in order)), found


def _maps_to_skip(raw: str) -> bool:
    column, sep, target = raw.partition("=")
    return bool(sep and column.strip()) and target.strip().lower() in ("skip", "")


def _stage_slug(raw: str) -> str:
    """`"Appointment Scheduled (Sales Pipeline)"` → `appointment-scheduled`."""
    name = raw.strip().strip(_QUOTES).strip()
    name = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    return text.slug(name)


class HistoryReader:
    """Reads the history columns of each row, reporting bad cells as problems of the file."""

    def __init__(
        self,
        table: CsvTable,
        found: HistoryColumns,
        date_format: DateFormat | None,
        dates: dict[int, DateColumn],
        problems: list[Problem],
    ) -> None:
        self.table = table
        self.found = found
        self.problems = problems
        problems.extend(found.problems)
        for index, _ in found.entered:
            cells = [(line, cells[index]) for line, cells in table.rows if cells[index]]
            dates[index] = DateColumn(table.file, table.headers[index], cells, date_format)
        self.dates = dates

    def _cell(self, cells: tuple[str, ...], index: int) -> str:
        value = cells[index]
        if value[:1] == "'":
            value = unneutralise(value)
        return value.strip()

    def left_stage(
        self,
        line: int,
        cells: tuple[str, ...],
        pipeline: PipelineInfo,
        find: Callable[[int, PipelineInfo, str], StageInfo | None],
    ) -> StageInfo | None:
        """The open stage the file says a closed deal left; None when it does not say.

        `find` is the importer's own stage lookup (loose names, --stage-map, unknown
        names listed once at the end). A closed stage named here says nothing.
        """
        if self.found.lost_stage is None:
            return None
        raw = self._cell(cells, self.found.lost_stage)
        if not raw:
            return None
        stage = find(line, pipeline, raw)
        return stage if stage is not None and stage.kind is StageKind.OPEN else None

    def entered(
        self,
        line: int,
        cells: tuple[str, ...],
        raw_stage: str,
        stage: StageInfo,
        now: datetime,
    ) -> datetime | None:
        """When the deal entered `stage` by the file; None when the file does not say.

        The column for the deal's stage wins (HubSpot keeps one per stage), then a
        column for whichever stage, then the latest of the per-stage columns.
        """
        wanted = {text.slug(raw_stage), text.slug(stage.name)} - {""}
        exact: datetime | None = None
        general: datetime | None = None
        latest: datetime | None = None
        for index, for_stage in self.found.entered:
            raw = self._cell(cells, index)
            if not raw:
                continue
            column = self.dates[index]
            if column.problem is not None:
                return None  # reported once for the column
            try:
                at = column.instant(raw)
            except InvalidInput as exc:
                header = self.table.headers[index]
                self.problems.append(Problem(self.table.file, reason(exc), line, header))
                return None
            if at > now:
                header = self.table.headers[index]
                self.problems.append(
                    Problem(
                        self.table.file, f"{at:%Y-%m-%d %H:%M} UTC is in the future", line, header
                    )
                )
                return None
            if for_stage and for_stage in wanted:
                exact = at
            elif not for_stage:
                general = general or at
            else:
                latest = at if latest is None else max(latest, at)
        return exact or general or latest
