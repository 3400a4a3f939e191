"""Every live screen's read: one read-only transaction each, following the change log.

A screen hands back what it shows (`previous`); the read asks the audit log
what changed since, and reads again only when that matters to the screen.
None of these reads takes a write lock: a colleague's long import never stops
a board from opening. The acting user is resolved once (`Board.whoami`) and
only looked up by id afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from dealboard.domain import queries, users
from dealboard.domain.changes import ChangeSet
from dealboard.domain.errors import NotFound
from dealboard.domain.records import DealDetail
from dealboard.domain.views.board_read import chosen_pipeline, read_board
from dealboard.domain.views.board_sql import Scope, open_deal_ids
from dealboard.domain.views.board_view import BoardRequest, BoardView, Viewport
from dealboard.domain.views.gate_view import GateView, read_gate
from dealboard.domain.views.live import Live, follow
from dealboard.domain.views.report_set import ReportRequest, ReportSet

if TYPE_CHECKING:
    from dealboard.domain import agenda, templates
    from dealboard.domain.board import Board
    from dealboard.domain.sla_report import SlaReport
    from dealboard.domain.standup import Standup
    from dealboard.domain.views.account_view import AccountDetail, AccountSummary

T = TypeVar("T")


class Views:
    """The reads behind the board, deal, agenda, SLA, reports, stand-up and templates screens."""

    def __init__(self, board: Board) -> None:
        self.board = board

    def _follow(
        self,
        previous: Live[T] | None,
        read: Callable[[Session], T],
        relevant: Callable[[ChangeSet], bool] = lambda changes: changes.any,
    ) -> Live[T]:
        with self.board.database.read() as session:
            return follow(session, previous, self.board.user_name, read, relevant)

    def board_view(
        self, request: BoardRequest, viewport: Viewport, previous: Live[BoardView] | None
    ) -> Live[BoardView]:
        """The columns of one pipeline: sums of every deal, the cards around the viewport."""
        actor = self.board.whoami()
        with self.board.database.read() as session:
            return read_board(
                session,
                actor=actor,
                request=request,
                viewport=viewport,
                previous=previous,
                now=self.board.now(),
            )

    def open_deal_ids(self, request: BoardRequest) -> list[int]:
        """Every open deal the board shows for `request` (to mark them all, say)."""
        with self.board.database.read() as session:
            pipelines = [queries.pipeline_record(p) for p in queries.all_pipelines(session)]
            pipeline = chosen_pipeline(pipelines, request.pipeline)
            scope = Scope(pipeline, request.filter, self.board.now())
            return open_deal_ids(session, scope)

    def deal(self, deal_id: int, previous: Live[DealDetail] | None) -> Live[DealDetail]:
        """One deal with everything about it; read again only when that deal changed."""

        def read(session: Session) -> DealDetail:
            detail = queries.deal_detail(session, deal_id)
            if detail is None:
                raise NotFound("deal", deal_id)
            return detail

        return self._follow(previous, read, lambda changes: changes.touches(deal_id))

    def gate(self, deal_id: int, previous: Live[GateView] | None) -> Live[GateView]:
        """What an open checklist gate follows; read again only when that deal changed."""
        return self._follow(
            previous,
            lambda session: read_gate(session, deal_id),
            lambda changes: changes.touches(deal_id),
        )

    def agenda(
        self, previous: Live[agenda.AgendaView] | None, *, team: bool = False
    ) -> Live[agenda.AgendaView]:
        """The acting user's overdue, today's and upcoming work; `team`: everyone's (managers)."""
        from dealboard.domain import agenda

        board = self.board

        def read(session: Session) -> agenda.AgendaView:
            person = users.find_user(session, board.user_name, "user", by_name=False)
            return agenda.agenda_view(session, person, board.today(), team=team)

        return self._follow(previous, read)

    def sla(
        self, pipeline: str | None, since: str | None, previous: Live[SlaReport] | None
    ) -> Live[SlaReport]:
        """The SLA report of one pipeline (or all) over a window ending now."""
        from dealboard.domain.views.readers import read_sla_report

        now = self.board.now()
        return self._follow(
            previous,
            lambda session: read_sla_report(
                session, pipeline=pipeline, since=since, until=None, now=now
            ),
        )

    def reports(self, request: ReportRequest, previous: Live[ReportSet] | None) -> Live[ReportSet]:
        """Every report for one pipeline, window and owner."""
        from dealboard.domain.views.readers import read_report_set

        now = self.board.now()
        return self._follow(previous, lambda session: read_report_set(session, request, now))

    def standup(
        self,
        pipeline: str | None,
        since: str | None,
        target: str | None,
        previous: Live[Standup] | None,
    ) -> Live[Standup]:
        """The stand-up pages' data."""
        from dealboard.domain.views.readers import read_standup

        now, today = self.board.now(), self.board.today()
        return self._follow(
            previous,
            lambda session: read_standup(
                session, pipeline=pipeline, since=since, target=target, now=now, today=today
            ),
        )

    def templates(
        self, deal_id: int, previous: Live[templates.StageTemplates] | None
    ) -> Live[templates.StageTemplates]:
        """The deal's stage templates, filled in; read again when the deal changed."""
        from dealboard.domain import templates

        actor = self.board.user_name
        return self._follow(
            previous,
            lambda session: templates.stage_templates(session, deal_id, actor),
            lambda changes: changes.touches(deal_id),
        )

    def accounts(
        self, previous: Live[tuple[AccountSummary, ...]] | None
    ) -> Live[tuple[AccountSummary, ...]]:
        """Every account with a deal: open and won sums, last touch, open objections."""
        from dealboard.domain.views.account_read import account_summaries

        return self._follow(previous, account_summaries)

    def account(
        self,
        previous: Live[AccountDetail] | None,
        *,
        account_id: int | None = None,
        deal_id: int | None = None,
    ) -> Live[AccountDetail]:
        """One account's whole story (the account of `deal_id` when no id is given); read
        again on any deal change, since a deal may join the account."""
        from dealboard.domain.views.account_read import account_detail, account_of_deal

        def read(session: Session) -> AccountDetail:
            found = account_id if account_id is not None else account_of_deal(session, deal_id)
            return account_detail(session, found)

        return self._follow(previous, read)
