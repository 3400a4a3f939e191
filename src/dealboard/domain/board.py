"""The board as a service: every operation the CLI and the UI can ask for, one transaction each.

Callers pass plain values and get plain records back; a refused rule or a
bad value raises a `DealboardError` and leaves the database untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal, Unpack, overload

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dealboard.db.database import Database
from dealboard.db.migrate import upgrade
from dealboard.db.models import Deal, Pipeline, User
from dealboard.domain import (
    activities,
    bant,
    deals,
    history,
    moves,
    objections,
    ordering,
    pipelines,
    queries,
    research,
    users,
)
from dealboard.domain.errors import Conflict, InvalidInput, NotFound
from dealboard.domain.first_use import serialise_first_use
from dealboard.domain.lookup import find_pipeline, find_stage, load_deal, parse_deal_id
from dealboard.domain.moved_meanwhile import refuse_if_moved
from dealboard.domain.permissions import deal_to_change
from dealboard.domain.pipeline_spec import DEFAULT_TEMPLATE, PipelineSpec, load_builtin
from dealboard.domain.records import (
    ChecklistItem,
    DealDetail,
    DealSummary,
    MoveResult,
    PipelineRecord,
    UserRecord,
)
from dealboard.domain.research import ResearchFields
from dealboard.domain.retry import retried
from dealboard.vocabulary import BantState

if TYPE_CHECKING:
    # Features a board seldom needs at once are imported by the methods that use them:
    # opening a board (the command line's, the UI's) loads none of them.
    from dealboard.domain import agenda, goals, reports, saved_views, standup, templates
    from dealboard.domain.exchange import api as exchange
    from dealboard.domain.playbook import Audience, Playbook
    from dealboard.domain.repeat_deal import RepeatRequest
    from dealboard.domain.sla_report import SlaReport
    from dealboard.domain.undo import UndoResult
    from dealboard.domain.views.account_view import AccountDetail, AccountSummary
    from dealboard.domain.views.service import Views

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, UTC."""
    return datetime.now(UTC)


class Board:
    """One board (database) as seen by one acting user.

    `actor` is the login the OS or the database vouched for (see
    `dealboard.domain.identity`); `acting_for` is the teammate a manager works
    for (`--as`), whose name the changes then carry, recorded as "actor as
    acting_for".
    """

    def __init__(
        self,
        database: Database,
        actor: str,
        clock: Clock = system_clock,
        *,
        acting_for: str | None = None,
    ) -> None:
        self.database = database
        self.actor_name = actor
        self.acting_for = None if (acting_for or actor).lower() == actor.lower() else acting_for
        self.clock = clock
        self._me: UserRecord | None = None

    @property
    def user_name(self) -> str:
        """Whose name this board's changes carry: the teammate acted for, else the login."""
        return self.acting_for or self.actor_name

    # -- time -------------------------------------------------------------

    def now(self) -> datetime:
        """The instant recorded on changes."""
        return self.clock()

    def today(self) -> date:
        """The user's calendar day, for `today`, `+14d` and overdue checks."""
        return self.clock().astimezone().date()

    @contextmanager
    def _writing(self) -> Iterator[tuple[Session, User]]:
        try:
            with self.database.write() as session:
                yield (
                    session,
                    users.acting_user(
                        session, self.actor_name, self.now(), acting_for=self.acting_for
                    ),
                )
        except StaleDataError as exc:
            raise Conflict(
                "someone else changed this deal at the same moment; "
                "nothing was overwritten, try again"
            ) from exc

    # -- pipelines --------------------------------------------------------

    @retried
    def ensure_pipeline(self, template: str = DEFAULT_TEMPLATE) -> bool:
        """Give an empty board its first pipeline; True if one was created."""
        with self.database.read() as session:
            if session.scalar(select(func.count(Pipeline.id))):
                return False
        with self._writing() as (session, actor):
            serialise_first_use(session)
            if session.scalar(select(func.count(Pipeline.id))):
                return False
            pipelines.apply_spec(session, actor, load_builtin(template), self.now())
            return True

    @retried
    def add_template(self, template: str) -> bool:
        """Add a shipped pipeline template; False if the board has it already."""
        spec = load_builtin(template)
        with self._writing() as (session, actor):
            serialise_first_use(session)
            if pipelines.pipeline_exists(session, spec.name):
                return False
            pipelines.apply_spec(session, actor, spec, self.now())
            return True

    @retried
    def import_pipeline(self, spec: PipelineSpec) -> bool:
        """Create or update a pipeline from a validated file; True if it was created."""
        with self._writing() as (session, actor):
            return pipelines.apply_spec(session, actor, spec, self.now())[1]

    def export_pipeline(self, name: str | None) -> PipelineSpec:
        """The pipeline as a file."""
        with self.database.read() as session:
            return pipelines.export_spec(session, name)

    def pipelines(self) -> list[PipelineRecord]:
        """Every pipeline with its stages, in creation order."""
        with self.database.read() as session:
            return [queries.pipeline_record(p) for p in queries.all_pipelines(session)]

    def pipeline(self, name: str | None = None) -> PipelineRecord:
        """One pipeline (the first when no name is given)."""
        with self.database.read() as session:
            return queries.pipeline_record(find_pipeline(session, name))

    # -- users ------------------------------------------------------------

    def whoami(self) -> UserRecord:
        """The acting user, looked up once; only a first-time login writes (to join the board).

        A read, so opening a board never waits for the write lock another
        process holds; the answer is kept for the life of this `Board`.
        """
        if self._me is None:
            known = None
            if self.acting_for is None:
                with self.database.read() as session:
                    found = users.find_login(session, self.actor_name)
                    known = users.to_record(found) if found is not None else None
            self._me = known or self._join()
        return self._me

    def require_manager(self, what: str) -> None:
        """Refuse unless the acting user is a manager, for acts outside the board's own
        transactions (replacing the whole board with a backup)."""
        users.require_manager(self.whoami(), what)

    @retried
    def _join(self) -> UserRecord:
        with self._writing() as (_session, actor):
            return users.to_record(actor)

    @property
    def views(self) -> Views:
        """The live screens' reads (`dealboard.domain.views`)."""
        from dealboard.domain.views.service import Views

        return Views(self)

    def users(self) -> list[UserRecord]:
        """Everyone on the board."""
        with self.database.read() as session:
            return [users.to_record(u) for u in session.scalars(select(User).order_by(User.name))]

    @retried
    def add_user(self, name: str, display_name: str = "", role: str = "rep") -> UserRecord:
        """Add a teammate."""
        with self._writing() as (session, actor):
            return users.to_record(
                users.add_user(session, actor, name, display_name, role, self.now())
            )

    @retried
    def set_role(self, name: str, role: str) -> UserRecord:
        """Make someone a rep or a manager (managers only)."""
        with self._writing() as (session, actor):
            return users.to_record(users.set_role(session, actor, name, role, self.now()))

    # -- deals ------------------------------------------------------------

    @retried
    def add_deal(
        self, fields: deals.DealFields, *, pipeline: str | None = None, stage: str | None = None
    ) -> int:
        """Create a deal; returns its id."""
        with self._writing() as (session, actor):
            deal = deals.create_deal(
                session,
                actor,
                fields,
                pipeline_name=pipeline,
                stage_name=stage,
                now=self.now(),
                today=self.today(),
            )
            return deal.id

    @retried
    def edit_deal(
        self, deal_id: int | str, fields: deals.DealFields, expected_version: int | None = None
    ) -> DealSummary:
        """Change fields of a deal; `expected_version` guards against overwriting others."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            deals.edit_deal(
                session,
                actor,
                deal_id,
                fields,
                expected_version=expected_version,
                now=self.now(),
                today=self.today(),
            )
            session.flush()
            return queries.deal_summaries(session, Deal.id == deal_id)[0]

    def deals_by_id(self, deal_ids: Iterable[int]) -> list[DealSummary]:
        """Just these deals (a board refreshing the cards someone else changed)."""
        wanted = sorted(set(deal_ids))
        with self.database.read() as session:
            return queries.deal_summaries(session, Deal.id.in_(wanted)) if wanted else []

    @retried
    def reassign(self, deal_ids: Iterable[int | str], to: str) -> int:
        """Give deals to another owner, all or none (managers); returns how many changed hands.

        Each deal's owner change is recorded in its history, in one transaction.
        """
        ids = sorted({parse_deal_id(d) for d in deal_ids})
        if not ids:
            raise InvalidInput("deals", "none", "mark at least one deal to reassign")
        with self._writing() as (session, actor):
            users.require_manager(actor, "reassign deals")
            new_owner = users.find_user(session, to, "owner")
            changed = 0
            for deal_id in ids:
                deal = load_deal(session, deal_id, for_update=True)
                if deal.owner_id == new_owner.id:
                    continue
                deals.edit_deal(
                    session,
                    actor,
                    deal_id,
                    deals.DealFields(owner=new_owner.name),
                    expected_version=None,
                    now=self.now(),
                    today=self.today(),
                )
                changed += 1
            return changed

    def list_deals(
        self,
        *,
        pipeline: str | None = None,
        stage: str | None = None,
        owner: str | None = None,
        include_closed: bool = False,
    ) -> list[DealSummary]:
        """Deals in board order; open ones unless a stage or `include_closed` is given."""
        with self.database.read() as session:
            found = find_pipeline(session, pipeline) if pipeline or stage else None
            stage_id = find_stage(found, stage).id if found is not None and stage else None
            owner_id = users.find_user(session, owner, "owner").id if owner else None
            conditions = queries.list_conditions(
                pipeline_id=found.id if found else None,
                stage_id=stage_id,
                owner_id=owner_id,
                include_closed=include_closed,
            )
            return queries.deal_summaries(session, *conditions)

    def deal(self, deal_id: int | str) -> DealDetail:
        """Everything about one deal."""
        deal_id = parse_deal_id(deal_id)
        with self.database.read() as session:
            detail = queries.deal_detail(session, deal_id)
        if detail is None:
            raise NotFound("deal", deal_id)
        return detail

    # -- the process ------------------------------------------------------

    @retried
    def set_check(
        self, deal_id: int | str, item: str, *, stage: str | None = None, checked: bool = True
    ) -> ChecklistItem:
        """Tick (or untick) an exit criterion."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return moves.set_check(
                session, actor, deal_id, item, stage_name=stage, checked=checked, now=self.now()
            )

    @retried
    def set_bant(
        self, deal_id: int | str, item: str, state: str, note: str | None = None
    ) -> BantState:
        """Answer a BANT question (budget, authority, need, timing: unknown/no/partial/yes)."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return bant.set_answer(session, actor, deal_id, item, state, note, self.now())

    def stage_templates(self, deal_id: int | str) -> templates.StageTemplates:
        """The call scripts and emails of the deal's current stage, filled in for the deal."""
        from dealboard.domain import templates

        deal_id = parse_deal_id(deal_id)
        with self.database.read() as session:
            return templates.stage_templates(session, deal_id, self.user_name)

    @retried
    def move(
        self,
        deal_id: int | str,
        stage: str,
        override: str | None = None,
        position: int | None = None,
        *,
        before: int | None = None,
        after: int | None = None,
        from_stage: str | None = None,
    ) -> MoveResult:
        """Move through the gate (managers may override with a reason).

        Where the card lands in the target column: in front of deal `before` or
        just after deal `after` (as a drop saw it), else at 0-based `position`,
        else last (see `ordering.Spot`). `from_stage`, the stage the user saw the
        deal in, refuses the move if someone moved it since (`moved_meanwhile`).
        """
        deal_id = parse_deal_id(deal_id)
        spot = ordering.Spot(position, before, after)
        with self._writing() as (session, actor):
            self._still_in(session, deal_id, from_stage)
            if spot != ordering.LAST:
                ordering.lock_pipeline_of(session, deal_id)
            result = moves.move_deal(
                session, actor, deal_id, stage, override=override, now=self.now()
            )
            if spot != ordering.LAST:  # a "move" to its own column is a reorder
                deal = load_deal(session, deal_id)
                if result.moved:
                    ordering.place(session, deal, spot)
                else:
                    ordering.reorder(session, actor, deal, spot, self.now())
            return result

    def _still_in(self, session: Session, deal_id: int, from_stage: str | None) -> None:
        if from_stage is not None:
            deal = load_deal(session, deal_id, for_update=True)
            refuse_if_moved(session, deal, from_stage, self.user_name, self.now())

    @retried
    def reorder(
        self,
        deal_id: int | str,
        position: int | None = None,
        *,
        before: int | None = None,
        after: int | None = None,
    ) -> None:
        """Put an open deal elsewhere in its own column: in front of `before`, after `after`,
        or at 0-based `position`."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            ordering.lock_pipeline_of(session, deal_id)
            deal = deal_to_change(session, actor, deal_id, "reorder")
            spot = ordering.Spot(position, before, after)
            ordering.reorder(session, actor, deal, spot, self.now())

    @retried
    def win(
        self, deal_id: int | str, override: str | None = None, *, from_stage: str | None = None
    ) -> MoveResult:
        """Close as won (refused if the deal left `from_stage`, when given, meanwhile)."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            self._still_in(session, deal_id, from_stage)
            return moves.win_deal(session, actor, deal_id, override=override, now=self.now())

    @retried
    def lose(self, deal_id: int | str, reason: str, note: str = "") -> MoveResult:
        """Close as lost with a reason category and an optional note."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return moves.lose_deal(session, actor, deal_id, reason, note, now=self.now())

    @retried
    def reopen(
        self, deal_id: int | str, stage: str | None = None, override: str | None = None
    ) -> MoveResult:
        """Bring a closed deal back into an open stage (a manager may pass a full one)."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return moves.reopen_deal(
                session, actor, deal_id, stage, now=self.now(), override=override
            )

    def agenda(self, user: str | None = None, *, team: bool = False) -> list[agenda.AgendaItem]:
        """What `user` (default: the acting user) has to do: overdue, today, upcoming.

        `team` (managers only): every owner's, grouped by owner.
        """
        from dealboard.domain import agenda

        with self.database.read() as session:
            person = users.find_user(session, user or self.user_name, "user")
            return agenda.agenda(session, person, self.today(), team=team)

    def standup(
        self, pipeline: str | None = None, since: str | None = None, target: str | None = None
    ) -> standup.Standup:
        """The stand-up: since the previous working day (or `since`), attention, forecast, people.

        `target` is a monthly target as typed (`250k`); definitions in `dealboard.domain.standup`.
        """
        from dealboard.domain.views.readers import read_standup

        with self.database.read() as session:
            return read_standup(
                session,
                pipeline=pipeline,
                since=since,
                target=target,
                now=self.now(),
                today=self.today(),
            )

    def sla_report(
        self, pipeline: str | None = None, since: str | None = None, until: str | None = None
    ) -> SlaReport:
        """Per owner: leads of the window (default the last 30 days), first response, breaches.

        Definitions in `dealboard.domain.sla` and `dealboard.domain.sla_report`.
        """
        from dealboard.domain.views.readers import read_sla_report

        with self.database.read() as session:
            return read_sla_report(
                session, pipeline=pipeline, since=since, until=until, now=self.now()
            )

    def breached_deals(
        self,
        *,
        owner: str | None = None,
        pipeline: str | None = None,
        stage: str | None = None,
    ) -> list[DealSummary]:
        """Open deals with an open SLA breach now (no first touch in time, follow-up late)."""
        from dealboard.domain.sla import open_breaches

        now = self.now()
        stages = {s.id: s for p in self.pipelines() for s in p.stages}
        return [
            deal
            for deal in self.list_deals(pipeline=pipeline, stage=stage, owner=owner)
            if deal.stage_id in stages and open_breaches(deal, stages[deal.stage_id], now)
        ]

    @overload
    def report(
        self, name: Literal["funnel"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.FunnelReport: ...
    @overload
    def report(
        self, name: Literal["stages"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.StagesReport: ...
    @overload
    def report(
        self, name: Literal["velocity"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.VelocityReport: ...
    @overload
    def report(
        self, name: Literal["forecast"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.ForecastReport: ...
    @overload
    def report(
        self, name: Literal["losses"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.LossesReport: ...
    @overload
    def report(
        self, name: Literal["cohorts"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.CohortsReport: ...
    @overload
    def report(
        self, name: Literal["owners"], **filters: Unpack[reports.ReportFilters]
    ) -> reports.OwnersReport: ...
    @overload
    def report(self, name: str, **filters: Unpack[reports.ReportFilters]) -> reports.Report: ...

    def report(self, name: str, **filters: Unpack[reports.ReportFilters]) -> reports.Report:
        """Run a report of `reports.REPORTS`: funnel, stages, velocity, forecast, losses…

        Filters as typed: the pipeline (default the first), the window (`30d`,
        `2026-01-01`; unbounded unless given), the deals' current owner, a tag.
        Definitions in each `dealboard.domain.reports` module.
        """
        from dealboard.domain import reports
        from dealboard.domain.reports.scope import resolve_scope

        spec = reports.REPORTS.get(name)
        if spec is None:
            raise InvalidInput("report", name, "use one of " + ", ".join(reports.REPORTS))
        with self.database.read() as session:
            scope = resolve_scope(session, now=self.now(), **filters)
            return spec.build(session, scope)

    def log(
        self,
        *,
        since: str | None = None,
        user: str | None = None,
        deal: int | str | None = None,
        limit: int = history.DEFAULT_LIMIT,
    ) -> list[history.HistoryEntry]:
        """Recorded changes, oldest first: the newest `limit` matching the filters."""
        if limit < 1:
            raise InvalidInput("limit", limit, "give a whole number of 1 or more")
        deal_id = parse_deal_id(deal) if deal is not None else None
        when = history.parse_since(since, self.now()) if since else None
        with self.database.read() as session:
            user_id = users.find_user(session, user, "user").id if user else None
            return history.history(
                session, since=when, user_id=user_id, deal_id=deal_id, limit=limit
            )

    @retried
    def undo(self) -> UndoResult:
        """Put back the acting user's latest change (refused if others changed that deal since)."""
        from dealboard.domain import undo

        with self._writing() as (session, actor):
            return undo.undo(session, actor, self.now())

    @retried
    def redo(self) -> UndoResult:
        """Make again the change the acting user last undid."""
        from dealboard.domain import undo

        with self._writing() as (session, actor):
            return undo.redo(session, actor, self.now())

    # -- objections -----------------------------------------------------------

    @retried
    def add_objection(
        self,
        deal_id: int | str,
        *,
        category: str,
        text: str,
        hidden: bool = False,
        response: str = "",
    ) -> int:
        """Log an objection the buyer raised (expressed, or hidden and inferred)."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return objections.add_objection(
                session,
                actor,
                deal_id,
                category=category,
                text=text,
                hidden=hidden,
                response=response,
                now=self.now(),
            )

    @retried
    def edit_objection(
        self,
        objection_id: int,
        *,
        category: str | None = None,
        text: str | None = None,
        hidden: bool | None = None,
        response: str | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Correct an objection; None leaves a field unchanged."""
        with self._writing() as (session, actor):
            objections.edit_objection(
                session,
                actor,
                objection_id,
                category=category,
                text=text,
                hidden=hidden,
                response=response,
                now=self.now(),
                expected_version=expected_version,
            )

    @retried
    def answer_objection(
        self, objection_id: int, response: str, expected_version: int | None = None
    ) -> None:
        """Record the answer given; the objection becomes `answered`."""
        with self._writing() as (session, actor):
            objections.answer_objection(
                session, actor, objection_id, response, self.now(), expected_version
            )

    @retried
    def set_objection_status(
        self, objection_id: int, status: str, expected_version: int | None = None
    ) -> None:
        """`open`, `answered` or `resolved`."""
        with self._writing() as (session, actor):
            objections.set_objection_status(
                session, actor, objection_id, status, self.now(), expected_version
            )

    # -- research -------------------------------------------------------------

    @retried
    def save_research(
        self, deal_id: int | str, fields: ResearchFields, expected_version: int | None = None
    ) -> None:
        """Save research notes; None fields are left as they are."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            research.save_research(session, actor, deal_id, fields, self.now(), expected_version)

    @retried
    def add_stakeholder(
        self,
        deal_id: int | str,
        *,
        name: str,
        role: str = "",
        influence: str = "medium",
        stance: str = "neutral",
    ) -> int:
        """Add a person on the buyer's side."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return research.add_stakeholder(
                session,
                actor,
                deal_id,
                name=name,
                role=role,
                influence=influence,
                stance=stance,
                now=self.now(),
            )

    @retried
    def edit_stakeholder(
        self,
        stakeholder_id: int,
        *,
        name: str | None = None,
        role: str | None = None,
        influence: str | None = None,
        stance: str | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Change a stakeholder; None leaves a field unchanged."""
        with self._writing() as (session, actor):
            research.edit_stakeholder(
                session,
                actor,
                stakeholder_id,
                name=name,
                role=role,
                influence=influence,
                stance=stance,
                now=self.now(),
                expected_version=expected_version,
            )

    @retried
    def remove_stakeholder(self, stakeholder_id: int, expected_version: int | None = None) -> None:
        """Take a stakeholder off the deal."""
        with self._writing() as (session, actor):
            research.remove_stakeholder(
                session, actor, stakeholder_id, self.now(), expected_version
            )

    # -- activities -----------------------------------------------------------

    @retried
    def add_activity(
        self,
        deal_id: int | str,
        *,
        kind: str,
        subject: str,
        due: str | None = None,
        done: bool = False,
        outcome: str = "",
        next_step: str = "",
        next_step_due: str | None = None,
        reached: bool = False,
    ) -> int:
        """Schedule a touch (`due`) or log one that is done, optionally with the next step."""
        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            return activities.add_activity(
                session,
                actor,
                deal_id,
                kind=kind,
                subject=subject,
                due=due,
                done=done,
                outcome=outcome,
                today=self.today(),
                now=self.now(),
                next_step=next_step,
                next_step_due=next_step_due,
                reached=reached,
            )

    @retried
    def complete_activity(self, activity_id: int, outcome: str = "") -> None:
        """Mark a scheduled activity done."""
        with self._writing() as (session, actor):
            activities.complete_activity(session, actor, activity_id, outcome, self.now())

    # -- the playbook ---------------------------------------------------------

    def playbook(self, pipeline: str | None = None, audience: Audience | str = "team") -> Playbook:
        """The pipeline's process written down: everything for the team, the steps for a buyer."""
        from dealboard.domain.choices import parse_choice
        from dealboard.domain.playbook import Audience, build_playbook

        chosen = parse_choice(Audience, str(audience), "for")
        with self.database.read() as session:
            return build_playbook(session, pipeline, chosen, self.today())

    # -- import and export (dealboard.domain.exchange) ------------------------

    def plan_csv_import(
        self, data: bytes, file: str, options: exchange.CsvOptions
    ) -> exchange.ImportPlan:
        """Read a CSV file (or workbook) against the board: the deals it would add, and every
        problem in it."""
        from dealboard.domain.exchange import api as exchange

        table = exchange.table_of(data, file, options)
        with self.database.read() as session:
            return exchange.plan_import(
                session, table, options, actor=self.user_name, now=self.now()
            )

    @retried
    def import_csv(self, plan: exchange.ImportPlan) -> exchange.ImportResult:
        """Write a planned import, all or nothing (managers); refused while it has problems."""
        from dealboard.domain.exchange import api as exchange

        if plan.problems:
            raise exchange.ImportRefused(plan.problems)
        with self._writing() as (session, actor):
            return exchange.write_plan(session, actor, plan, self.now())

    def export_json(self, pipeline: str | None = None) -> dict[str, object]:
        """The whole board (or one pipeline and its deals) as one lossless JSON document."""
        from dealboard.domain.exchange import api as exchange

        with self.database.read() as session:
            return exchange.export_board(session, pipeline=pipeline, now=self.now())

    def export_csv(self, pipeline: str | None = None) -> str:
        """One CSV row per deal, formula-safe, with headers `import` reads back."""
        from dealboard.domain.exchange import api as exchange

        with self.database.read() as session:
            return exchange.export_csv(session, pipeline=pipeline)

    def export_xlsx(self, pipeline: str | None = None) -> bytes:
        """The CSV export's rows as an Excel workbook (text cells never become formulas)."""
        from dealboard.domain.exchange import api as exchange

        with self.database.read() as session:
            return exchange.export_xlsx(session, pipeline=pipeline)

    # -- accounts (dealboard.domain.views.account_read) -------------------------

    def accounts(self) -> tuple[AccountSummary, ...]:
        """Every account with a deal: open and won sums, last touch, open objections."""
        from dealboard.domain.views.account_read import account_summaries

        with self.database.read() as session:
            return account_summaries(session)

    def account(self, name_or_id: str) -> AccountDetail:
        """One account by name (case and spacing folded) or id: its whole story."""
        from dealboard.domain.views.account_read import account_detail, find_account_id

        with self.database.read() as session:
            return account_detail(session, find_account_id(session, name_or_id))

    @retried
    def restore_json(
        self, data: bytes, file: str, *, dry_run: bool = False
    ) -> exchange.RestoreResult:
        """Put a JSON export into this empty database with every id kept (a dry run checks only)."""
        from dealboard.domain.exchange import api as exchange

        postgres = not self.database.is_sqlite
        return self.restore_checked(exchange.checked_export(data, file, postgres=postgres), dry_run)

    def restore_checked(
        self, export: exchange.CheckedExport, dry_run: bool = False
    ) -> exchange.RestoreResult:
        """Put an already checked export into this empty database (a dry run checks only)."""
        from dealboard.domain.exchange import api as exchange

        if dry_run:
            with self.database.read() as session:
                exchange.require_empty(session, export.file)
            return export.result
        with self.database.write() as session:
            exchange.require_empty(session, export.file)
            return exchange.restore(session, export.document, export.rows, export.file)

    # -- repeat business ----------------------------------------------------

    @retried
    def start_repeat_deal(self, deal_id: int | str, request: RepeatRequest) -> int:
        """A new deal for the customer of won (or follow-up) deal `deal_id`; returns its id.

        See `dealboard.domain.repeat_deal` for what it carries and who may start one.
        """
        from dealboard.domain import repeat_deal

        deal_id = parse_deal_id(deal_id)
        with self._writing() as (session, actor):
            deal = repeat_deal.start_repeat_deal(
                session, actor, deal_id, request, now=self.now(), today=self.today()
            )
            return deal.id

    # -- saved views (`dealboard.domain.saved_views`) ----------------------

    def list_views(self) -> list[saved_views.ViewRecord]:
        """The built-in views and the logged-in user's own, by name."""
        from dealboard.domain import saved_views

        with self.database.read() as session:
            return saved_views.list_views(session, users.find_login(session, self.actor_name))

    def find_view(self, name: str) -> saved_views.ViewRecord:
        """The built-in or own view called `name`."""
        from dealboard.domain import saved_views

        with self.database.read() as session:
            viewer = users.find_login(session, self.actor_name)
            return saved_views.find_view(session, viewer, name)

    @retried
    def save_view(self, name: str, query: str, *, replace: bool = False) -> saved_views.ViewRecord:
        """Save the filter `query` as the logged-in user's view `name` (`replace`: over theirs)."""
        from dealboard.domain import saved_views

        with self.database.write() as session:
            viewer = users.acting_user(session, self.actor_name, self.now())
            return saved_views.save_view(session, viewer, name, query, self.now(), replace=replace)

    @retried
    def delete_view(self, name: str) -> saved_views.ViewRecord:
        """Delete the logged-in user's own view `name`."""
        from dealboard.domain import saved_views

        with self.database.write() as session:
            viewer = users.acting_user(session, self.actor_name, self.now())
            return saved_views.delete_view(session, viewer, name)

    def deals_in_view(
        self,
        name: str,
        *,
        pipeline: str | None = None,
        stage: str | None = None,
        owner: str | None = None,
        include_closed: bool = False,
    ) -> list[DealSummary]:
        """`list_deals` through a view's filter (`@me` is the user the board acts as)."""
        from dealboard.domain import saved_views

        me = self.whoami()
        with self.database.read() as session:
            view = saved_views.find_view(session, users.find_login(session, self.actor_name), name)
            found = find_pipeline(session, pipeline) if pipeline or stage else None
            conditions = queries.list_conditions(
                pipeline_id=found.id if found else None,
                stage_id=find_stage(found, stage).id if found is not None and stage else None,
                owner_id=users.find_user(session, owner, "owner").id if owner else None,
                include_closed=include_closed,
            )
            return saved_views.deals_in_view(
                session, view.query, conditions, pipeline=found, me_id=me.id, now=self.now()
            )

    # -- goals ------------------------------------------------------------

    @retried
    def set_goal(
        self, owner: str, amount: str, month: str | None = None, *, currency: str | None = None
    ) -> goals.GoalRecord:
        """Set or replace a monthly won-value goal for an owner or `team` (managers only);
        `currency` for an amount typed without one (default: the board's main currency)."""
        from dealboard.domain import goals

        with self._writing() as (session, actor):
            return goals.set_goal(
                session,
                actor,
                owner,
                amount,
                month,
                today=self.today(),
                now=self.now(),
                currency=currency,
            )

    @retried
    def clear_goal(self, owner: str, month: str | None = None) -> int:
        """Remove an owner's or the team's goal for a month (managers only)."""
        from dealboard.domain import goals

        with self._writing() as (session, actor):
            return goals.clear_goal(
                session, actor, owner, month, today=self.today(), now=self.now()
            )

    def month_goals(self, month: str | None = None) -> goals.MonthGoals:
        """A month's goals (default: this month) with the won value against each."""
        from dealboard.domain import goals

        with self.database.read() as session:
            return goals.month_goals(session, goals.parse_month(month, self.today()))


def open_board(
    url: URL,
    actor: str | None = None,
    clock: Clock = system_clock,
    *,
    first_template: str | None = DEFAULT_TEMPLATE,
    acting_for: str | None = None,
    create: bool = False,
) -> Board:
    """Open (and if needed upgrade) the board at `url`, ready to use.

    Only `create=True` (`dealboard init`, the board UI on the default
    location) may make a new board; anything else refuses a URL where no
    board is (`presence.NoBoard`), so a mistyped `--db` fails instead of
    reporting an empty board. A board without a pipeline gets
    `first_template`, so dealboard works with no set-up. `actor=None` means
    whoever is logged in: the OS account on SQLite, the authenticated role on
    PostgreSQL. Raises `DatabaseTooNew`
    without touching anything when the database was written by a newer
    dealboard. The schema check runs on the board's own engine, so an
    up-to-date board is opened with one connection.
    """
    from dealboard.domain import identity, presence

    if acting_for is not None and create and not presence.board_exists(url):
        raise InvalidInput("--as", acting_for, "a new board has no teammates yet; leave it out")
    if not create:
        presence.require_board_file(url)
    database = Database(url)
    try:
        if not create:
            presence.require_board_schema(url, database)
        upgrade(url, engine=database.engine)
        login = actor if actor is not None else identity.login_for(database)
        board = Board(database, login, clock, acting_for=acting_for)
        if acting_for is not None:
            board.whoami()  # a rep's `--as`, or a name nobody has, fails before anything runs
        if first_template is not None:
            board.ensure_pipeline(first_template)
    except BaseException:
        database.dispose()
        raise
    return board
