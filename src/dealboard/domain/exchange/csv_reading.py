"""Reading a CSV table row by row into an import plan, through the domain's own rules.

Every cell goes through the rules a deal typed on the board goes through
(titles, money, tags, logins), so an imported deal is one the board could
have made. Values that repeat down a column (accounts, owners, stages, dates)
are checked once per distinct text: 100,000 rows take a few seconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from dealboard.domain import accounts, text
from dealboard.domain.deals import parse_contact_type, parse_tag
from dealboard.domain.errors import DealboardError, InvalidInput
from dealboard.domain.exchange.csv_columns import plan_columns
from dealboard.domain.exchange.csv_dates import DateColumn, When
from dealboard.domain.exchange.csv_guesses import outcome_of, suggested_stage
from dealboard.domain.exchange.csv_history import HistoryReader, find_history_columns
from dealboard.domain.exchange.csv_layout import settle_columns
from dealboard.domain.exchange.csv_plan import (
    BoardSnapshot,
    CsvOptions,
    DealRow,
    ImportPlan,
    PipelineInfo,
    StageInfo,
    snapshot,
)
from dealboard.domain.exchange.csv_source import CsvTable, unneutralise
from dealboard.domain.exchange.csv_values import (
    AmountColumn,
    login_for,
    read_flag,
    read_loss_reason,
    read_status,
    tags_of,
)
from dealboard.domain.exchange.problems import Problem, reason
from dealboard.domain.money import parse_currency
from dealboard.vocabulary import ContactType, LossReason, StageKind

_DATE_FIELDS = ("created", "closed", "expected_close", "next_step_due")


class _Planner:
    """Reads rows one by one against the snapshot, collecting deals and problems."""

    def __init__(
        self,
        table: CsvTable,
        board: BoardSnapshot,
        options: CsvOptions,
        actor: str,
        now: datetime,
    ) -> None:
        self.table = table
        self.file = table.file
        self.board = board
        self.options = options
        self.actor = actor
        self.now = now
        columns, problems = plan_columns(table.headers, options.maps, table.file)
        self.plan = ImportPlan(
            table.file, table.read_as, columns, len(table.rows), problems=problems
        )
        self.fields = columns.fields
        self.plan.all_in, self.plan.imported_at = options.all_in, now
        self.plan.created_default = options.created_default
        self.unknown_stages: dict[tuple[int, str], list[int]] = {}
        self.unknown_pipelines: dict[str, list[int]] = {}
        self.logins = dict(board.logins)
        self.logins.setdefault(actor.lower(), actor)
        self.display_names = dict(board.display_names)
        self.default_pipeline: PipelineInfo | None = None
        self.stage_maps: dict[str, str] = {}
        self.dates: dict[int, DateColumn] = {}
        self.amounts: AmountColumn | None = None
        self._caches: dict[str, dict[str, Any]] = {}
        self._line_readers: dict[str, Callable[[str], str]] = {
            name: _folded(functools.partial(text.clean_line, name.replace("_", " ")))
            for name in ("account", "contact", "source", "next_step")
        }
        self._stage_cache: dict[tuple[int, str], StageInfo | None] = {}
        self._all_in: dict[int, StageInfo | None] = {}
        self._tags_seen: set[str] = set()

    # -- set-up -------------------------------------------------------------

    def prepare(self) -> bool:
        """Check the columns and options; False when rows cannot be read at all.

        Rows are still read after a problem with one column (an undecided date
        order, a bad --map), so a dry run lists every problem in one go.
        """
        problems = self.plan.problems
        # -- stage history (csv_history): lost-from and stage-entered columns --------
        self.plan.columns, history = find_history_columns(
            self.table, self.plan.columns, self.options.maps, self.options.lost_from
        )
        self.fields = self.plan.columns.fields  # (settle_columns changes it in place)
        self.history = HistoryReader(
            self.table, history, self.options.date_format, self.dates, problems
        )
        # ---------------------------------------------------------------------------
        if "title" not in self.fields:
            problems.append(self._no_title())
        self.default_pipeline = self._default_pipeline()
        settle_columns(self.plan, self.table, self.options)
        for raw in self.options.stage_maps:
            name, sep, stage = raw.partition("=")
            if not sep or not name.strip() or not stage.strip():
                problems.append(
                    Problem("--stage-map", f"{raw!r}: write NAME=STAGE, e.g. 'Demo=Pitch'")
                )
                continue
            self.stage_maps[text.slug(name)] = stage.strip()
        for name in _DATE_FIELDS:
            for index in self.fields.get(name, ()):
                header = self.table.headers[index]
                cells = [(line, cells[index]) for line, cells in self.table.rows if cells[index]]
                self.dates[index] = DateColumn(self.file, header, cells, self.options.date_format)
        proven = {c.evidence for c in self.dates.values() if c.evidence is not None}
        for _, column in sorted(self.dates.items()):
            if len(proven) == 1:
                column.adopt(next(iter(proven)))
            if column.problem is not None:
                problems.append(column.problem)
            elif column.numeric:
                self.plan.date_orders[column.header] = column.order_words
        if "value" in self.fields:
            index = self.fields["value"][0]
            self.amounts = AmountColumn(cells[index] for _, cells in self.table.rows)
            if self.amounts.decimal_comma:
                self.plan.decimal_comma = (self.table.headers[index],)
        for info in self.board.pipelines:
            self.plan.pipelines[info.id] = info.name
            for stage in info.stages:
                self.plan.stage_names[stage.id] = stage.name
        default = self.options.created_default
        if default is not None and default > self.now:
            problems.append(Problem("--created-default", f"{default:%Y-%m-%d} is in the future"))
        # Rows are read even without a title column, so every other problem shows too.
        return self.default_pipeline is not None or "pipeline" in self.fields

    def _no_title(self) -> Problem:
        headers = self.table.headers
        if len(headers) == 1:
            return Problem(
                self.file,
                f"the header row is one column {headers[0][:60]!r}; "
                "separate columns with a comma, a semicolon or a tab",
                1,
            )
        shown = ", ".join(repr(h) for h in headers)
        return Problem(
            self.file,
            f"no column holds the deal title (columns: {shown}); name it with --map 'COLUMN=title'",
        )

    def _default_pipeline(self) -> PipelineInfo | None:
        if not self.board.pipelines:
            self.plan.problems.append(Problem(self.file, "the board has no pipeline yet"))
            return None
        if self.options.pipeline is None:
            return self.board.pipelines[0]
        wanted = text.slug(self.options.pipeline)
        for info in self.board.pipelines:
            if wanted in (text.slug(info.name), text.slug(info.title)):
                return info
        known = ", ".join(p.name for p in self.board.pipelines)
        self.plan.problems.append(
            Problem("--pipeline", f"no pipeline {self.options.pipeline!r}; pipelines: {known}")
        )
        return None

    # -- rows ---------------------------------------------------------------

    def run(self) -> ImportPlan:
        if self.prepare():
            for line, cells in self.table.rows:
                self._row(line, cells)
            self._report_unknown()
        return self.plan

    def _cell(self, cells: tuple[str, ...], name: str) -> str:
        for index in self.fields.get(name, ()):
            value = cells[index]
            if value:
                if value[0] == "'" and self.table.neutralised:
                    value = unneutralise(value)
                value = value.strip()
                if value:
                    return value
        return ""

    def _problem(self, line: int, name: str, message: str) -> None:
        indexes = self.fields.get(name, ())
        column = self.table.headers[indexes[0]] if indexes else name
        self.plan.problems.append(Problem(self.file, message, line, column))

    def _read(
        self, line: int, name: str, raw: str, read: Callable[[str], Any], *, cached: bool = True
    ) -> Any:
        """`read(raw)`, remembered per text for columns that repeat; a refusal becomes a problem."""
        cache = self._caches.setdefault(name, {}) if cached else None
        found = cache.get(raw, _MISSING) if cache is not None else _MISSING
        if found is _MISSING:
            try:
                found = read(raw)
            except InvalidInput as exc:
                found = _Refused(reason(exc))
            except DealboardError as exc:
                found = _Refused(str(exc))
            if cache is not None:
                cache[raw] = found
        if isinstance(found, _Refused):
            self._problem(line, name, found.message)
            return _MISSING
        return found

    def _row(self, line: int, cells: tuple[str, ...]) -> None:
        before = len(self.plan.problems)
        cell, read = self._cell, self._read
        title = ""  # without a title column (reported once) the rest of the row is checked
        if "title" in self.fields:
            title = read(line, "title", cell(cells, "title"), _folded(text.title), cached=False)
        lines: dict[str, Any] = {}
        for name in ("account", "contact", "source", "next_step"):
            raw = cell(cells, name)
            lines[name] = read(line, name, raw, self._line_readers[name]) if raw else ""
        raw = cell(cells, "notes")
        notes = read(line, "notes", raw, _notes, cached=False) if raw else ""
        pipeline = self._pipeline(line, cell(cells, "pipeline"))
        if pipeline is None:
            return
        currency = pipeline.currency
        raw_currency = cell(cells, "currency")
        if raw_currency:
            currency = read(line, "currency", raw_currency, parse_currency)
            if currency is _MISSING:
                currency = pipeline.currency
        value_minor = 0
        raw_value = cell(cells, "value")
        if raw_value and self.amounts is not None:
            try:
                money = self.amounts.read(raw_value, currency)
            except InvalidInput as exc:
                self._problem(line, "value", reason(exc))
            else:
                if raw_currency and money.currency != currency:
                    self._problem(
                        line,
                        "value",
                        f"{raw_value!r} is in {money.currency}, the row says {currency}",
                    )
                value_minor, currency = money.minor, money.currency
        owner = self._owner(line, cell(cells, "owner"))
        raw = cell(cells, "contact_type")
        contact_type = read(line, "contact_type", raw, parse_contact_type) if raw else None
        raw = cell(cells, "tags")
        tags = read(line, "tags", raw, _tags) if raw else ()
        if raw and tags is not _MISSING:
            self._note_tag_example(raw)
        dates = {name: self._date(line, cells, name) for name in _DATE_FIELDS}
        placed = self._place(line, cells, pipeline)
        if placed is None or len(self.plan.problems) > before:
            return
        stage, entry, kind = placed
        created = dates["created"] or self.options.created_default or self.now
        # -- stage history (csv_history) --------------------------------------------
        entered = None
        if kind is StageKind.OPEN:
            entered = self.history.entered(line, cells, cell(cells, "stage"), stage, self.now)
            entered = max(entered, created) if entered is not None else None
        elif entry is None:
            entry = self.history.left_stage(line, cells, pipeline, self._stage)
            if entry is None and kind is StageKind.WON:
                entry = pipeline.first_of(StageKind.OPEN)  # won: past every open stage
        # ---------------------------------------------------------------------------
        self._check_times(line, created, dates["closed"], kind)
        closed = dates["closed"] if kind is not StageKind.OPEN else None
        from_expected = False
        if kind is not StageKind.OPEN and closed is None and dates["expected_close"]:
            # HubSpot and Salesforce keep a closed deal's closing day in its close date.
            day = When(dates["expected_close"]).as_instant()
            closed = day if created <= day <= self.now else None
            from_expected = closed is not None
        reason_text, note = cell(cells, "lost_reason"), cell(cells, "lost_note")
        loss_reason: LossReason | None = None
        if kind is StageKind.LOST:
            loss_reason, note_from_reason = read_loss_reason(reason_text)
            note = "\n".join(n for n in (note_from_reason, note) if n)
            note = read(line, "lost_note", note, _loss_note, cached=False) if note else ""
        elif reason_text or note:
            name = "lost_reason" if reason_text else "lost_note"
            self._problem(line, name, f"a loss is given but the deal is {kind.value}")
        if dates["next_step_due"] and not lines["next_step"]:
            self._problem(line, "next_step_due", "a due date needs a next step in the same row")
        if len(self.plan.problems) > before or "title" not in self.fields:
            return
        invented = self.plan.invented
        invented["created"] += dates["created"] is None
        invented["owner"] += not cell(cells, "owner")
        invented["closed from expected close"] += from_expected
        invented["stage"] += (
            kind is StageKind.OPEN and not cell(cells, "stage") and self.options.all_in is None
        )
        self.plan.deals.append(
            DealRow(
                line=line,
                pipeline_id=pipeline.id,
                stage_id=stage.id,
                entry_stage_id=entry.id if entry is not None else None,
                kind=kind,
                title=title,
                account=lines["account"],
                contact=lines["contact"],
                value_minor=value_minor,
                currency=currency,
                owner=owner,
                contact_type=contact_type or ContactType.SUSPECT,
                source=lines["source"],
                tags=tags,
                expected_close=dates["expected_close"],
                next_step=lines["next_step"],
                next_step_due=dates["next_step_due"],
                created_at=created,
                closed_at=closed,
                loss_reason=loss_reason,
                loss_note=note if kind is StageKind.LOST else "",
                notes=notes,
                stage_entered_at=entered,
            )
        )

    def _date(self, line: int, cells: tuple[str, ...], name: str) -> Any:
        instant = name in ("created", "closed")
        for index in self.fields.get(name, ()):
            raw = cells[index]
            if not raw or raw.isspace():
                continue
            column = self.dates[index]
            if column.problem is not None:
                return None  # the column's problem is reported once, not on every row
            try:
                return column.instant(raw) if instant else column.day(raw)
            except InvalidInput as exc:
                header = self.table.headers[index]
                self.plan.problems.append(Problem(self.file, reason(exc), line, header))
                return None
        return None

    def _check_times(self, line: int, created: datetime, closed: object, kind: StageKind) -> None:
        if created > self.now:
            self._problem(line, "created", f"{created:%Y-%m-%d %H:%M} UTC is in the future")
        if not isinstance(closed, datetime):
            return
        if kind is StageKind.OPEN:
            self._problem(line, "closed", "a closed date is given but the deal is open")
        elif closed > self.now:
            self._problem(line, "closed", f"{closed:%Y-%m-%d %H:%M} UTC is in the future")
        elif closed < created:
            self._problem(
                line,
                "closed",
                f"closed {closed:%Y-%m-%d} before it was created ({created:%Y-%m-%d})",
            )

    def _pipeline(self, line: int, raw: str) -> PipelineInfo | None:
        if not raw:
            return self.default_pipeline
        wanted = text.slug(raw)
        for info in self.board.pipelines:
            if wanted in (text.slug(info.name), text.slug(info.title)):
                return info
        self.unknown_pipelines.setdefault(raw, []).append(line)
        return None

    def _place(
        self, line: int, cells: tuple[str, ...], pipeline: PipelineInfo
    ) -> tuple[StageInfo, StageInfo | None, StageKind] | None:
        """The deal's stage, the open stage it entered first, and whether it is open/won/lost.

        The open stage is None for a closed deal when the file's stage does not name one.
        """
        raw_status = self._cell(cells, "status")
        status = self._read(line, "status", raw_status, read_status) if raw_status else None
        if status is _MISSING:
            return None
        flagged = self._flagged(line, cells)
        if flagged is _MISSING:
            return None
        if flagged is not None:
            if status not in (None, flagged):
                self._problem(
                    line, "status", f"{raw_status!r} but the true/false columns say {flagged}"
                )
                return None
            raw_status, status = flagged.value, flagged
            said_by = (
                "status"
                if "status" in self.fields
                else next(name for name in ("is_won", "is_closed") if name in self.fields)
            )
        else:
            said_by = "status"
        first_open = pipeline.first_of(StageKind.OPEN)
        if self.options.all_in is not None:
            stage = self._all_in_stage(pipeline)
            if stage is None:
                return None
            raw_stage = stage.name
        else:
            raw_stage = self._cell(cells, "stage")
        if not raw_stage:
            if status in (None, StageKind.OPEN):
                return first_open, first_open, StageKind.OPEN
            return pipeline.first_of(status), None, status
        stage = self._stage(line, pipeline, raw_stage)
        if stage is None:
            return None
        if stage.kind is StageKind.OPEN:
            kind = status or StageKind.OPEN
            final = stage if kind is StageKind.OPEN else pipeline.first_of(kind)
            return final, stage, kind
        if status not in (None, stage.kind):
            self._problem(
                line, said_by, f"{raw_status!r} does not fit the stage {stage.name} ({stage.kind})"
            )
            return None
        return stage, None, stage.kind

    def _flagged(self, line: int, cells: tuple[str, ...]) -> StageKind | None:
        """The outcome IsClosed/IsWon columns give, None if they give none (or are absent)."""
        if "is_closed" not in self.fields and "is_won" not in self.fields:
            return None
        flags = []
        for name in ("is_closed", "is_won"):
            raw = self._cell(cells, name)
            flags.append(self._read(line, name, raw, read_flag) if raw else None)
        if _MISSING in flags:
            return _MISSING
        return outcome_of(flags[0], flags[1])

    def _all_in_stage(self, pipeline: PipelineInfo) -> StageInfo | None:
        """`--all-in STAGE` in this pipeline; a stage it lacks is reported once."""
        if pipeline.id not in self._all_in:
            wanted = self.options.all_in or ""
            stage = pipeline.stage(wanted)
            if stage is None:
                names = ", ".join(s.name for s in pipeline.stages)
                self.plan.problems.append(
                    Problem("--all-in", f"no stage {wanted!r} in {pipeline.name} ({names})")
                )
            else:
                self.plan.all_in = stage.name  # as the board spells it, for the summary
            self._all_in[pipeline.id] = stage
        return self._all_in[pipeline.id]

    def _note_tag_example(self, raw: str) -> None:
        """Remember the first tag the file spells otherwise than the board will."""
        if self.plan.tag_example is not None or raw in self._tags_seen:
            return
        self._tags_seen.add(raw)
        for part in re.split(r"[,;|]", raw):
            try:
                made = _tags(part)
            except DealboardError:
                continue
            if made and made[0] != part.strip():
                self.plan.tag_example = (part.strip(), made[0])
                return

    def _stage(self, line: int, pipeline: PipelineInfo, raw: str) -> StageInfo | None:
        key = (pipeline.id, raw)
        if key in self._stage_cache:
            stage = self._stage_cache[key]
        else:
            stage = self._find_stage(line, pipeline, raw)
            self._stage_cache[key] = stage
        if stage is None:
            self.unknown_stages.setdefault(key, []).append(line)
        return stage

    def _find_stage(self, line: int, pipeline: PipelineInfo, raw: str) -> StageInfo | None:
        mapped = self.stage_maps.get(text.slug(raw))
        if mapped is not None:
            stage = pipeline.stage(mapped)
            if stage is None:
                names = ", ".join(s.name for s in pipeline.stages)
                self.plan.problems.append(
                    Problem(
                        "--stage-map",
                        f"{raw!r}={mapped!r}: {mapped!r} is not a stage of {pipeline.name} "
                        f"({names})",
                    )
                )
                return pipeline.stages[0]  # reported once; stops the import all the same
            return stage
        stage = pipeline.stage(raw)
        if stage is None:
            try:
                kind = read_status(raw)  # HubSpot and Salesforce: "Closed Won"
            except InvalidInput:
                kind = None
            if kind in (StageKind.WON, StageKind.LOST):
                return pipeline.first_of(kind)
        return stage

    def _owner(self, line: int, raw: str) -> str:
        if not raw:
            return self.actor
        folded = raw.casefold()
        known = self.logins.get(folded) or self.display_names.get(folded)
        if known is not None:
            return known
        try:
            display = text.clean_line("owner", raw, max_length=120, required=True)
        except InvalidInput as exc:
            self._problem(line, "owner", reason(exc))
            return self.actor
        login = login_for(raw) or "user"  # one rule, `Dinesh` or `Richard Hendricks`
        base, number = login, 1
        while login.lower() in self.logins:
            number += 1
            login = f"{base[:60]}-{number}"
        self.plan.new_users[login] = display
        self.logins[login.lower()] = login
        self.display_names[folded] = login
        return login

    def _report_unknown(self) -> None:
        problems = self.plan.problems
        if self.unknown_pipelines:
            known = ", ".join(p.name for p in self.board.pipelines)
            listing = _listing(self.unknown_pipelines)
            problems.append(
                Problem(
                    self.file,
                    f"unknown pipelines: {listing}; the board has {known}. Import into one with "
                    "--pipeline NAME, or leave the column out with --map 'COLUMN=skip'",
                )
            )
        by_pipeline: dict[int, dict[str, list[int]]] = {}
        for (pipeline_id, name), lines in self.unknown_stages.items():
            by_pipeline.setdefault(pipeline_id, {})[name] = lines
        for info in self.board.pipelines:
            unknown = by_pipeline.get(info.id)
            if not unknown:
                continue
            names = ", ".join(s.name for s in info.stages)
            flags = " ".join(f"--stage-map '{n}={suggested_stage(n, info)}'" for n in unknown)
            problems.append(
                Problem(
                    self.file,
                    f"unknown stages: {_listing(unknown)}. Map each to a stage of {info.name} "
                    f"({names}) with --stage-map, e.g. {flags}",
                )
            )


class _Refused:
    """A remembered refusal of one cell text."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


#: Marks "not read" (absent from a cache, or refused) where None is a real value.
_MISSING: Any = object()


def _notes(raw: str) -> str:
    return text.clean_text("notes", raw)


def _loss_note(raw: str) -> str:
    return text.clean_text("lost note", raw, max_length=2000)


def _tags(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(parse_tag(t) for t in tags_of(raw)))


def _listing(found: dict[str, list[int]]) -> str:
    parts = []
    for name, lines in found.items():
        deals = "1 deal" if len(lines) == 1 else f"{len(lines)} deals"
        parts.append(f"{name!r} ({deals}, first on line {lines[0]})")
    return ", ".join(parts)


def plan_import(
    session: Session,
    table: CsvTable,
    options: CsvOptions,
    *,
    actor: str,
    now: datetime,
) -> ImportPlan:
    """Read every row of `table` against the board; the plan lists deals or problems."""
    plan = _Planner(table, snapshot(session), options, actor, now).run()
    plan.accounts_new, plan.accounts_matched = accounts.account_tally(
        session, (deal.account for deal in plan.deals)
    )
    return plan


_LINE_BREAKS = re.compile(r"[\r\n\t]+")


def _folded(reader: Callable[[str], str]) -> Callable[[str], str]:
    """A one-line field from another CRM may hold line breaks (a pasted address, a
    contact typed on two lines); they become single spaces instead of refusing the file."""
    return lambda raw: reader(_LINE_BREAKS.sub(" ", raw))
