"""Reading the board view: everything at first, then only the columns a change or a scroll touched.

A read starts from what the screen shows (`previous`). A new request (another
pipeline, another filter), or a change beyond single deals, reads it all
again; otherwise the read asks the audit log what changed, re-reads the sums
and card windows of just the columns those changes touched, reads the windows
the user scrolled to, and hands every other column back as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import User
from dealboard.domain import queries, users
from dealboard.domain.changes import ChangeSet, changes_since, cursor_now
from dealboard.domain.columns import money_by_currency
from dealboard.domain.errors import NotFound
from dealboard.domain.gate import StageLoad
from dealboard.domain.records import PipelineRecord, UserRecord
from dealboard.domain.text import slug
from dealboard.domain.views.board_sql import (
    ColumnSums,
    Scope,
    column_sums,
    locate,
    stage_counts,
    stages_of,
)
from dealboard.domain.views.board_view import (
    DEFAULT_WINDOW,
    WINDOW_MARGIN,
    BoardRequest,
    BoardView,
    ColumnView,
    Located,
    Viewport,
    Window,
)
from dealboard.domain.views.cards_sql import summaries, window_rows
from dealboard.domain.views.live import Live
from dealboard.vocabulary import StageKind


def read_board(
    session: Session,
    *,
    actor: UserRecord,
    request: BoardRequest,
    viewport: Viewport,
    previous: Live[BoardView] | None,
    now: datetime,
) -> Live[BoardView]:
    """The board view for `request`, reading no more than `previous` lacks."""
    if previous is None or previous.content.request != request:
        return Live(_read_all(session, actor, request, viewport, now), cursor_now(session))
    changes, cursor = changes_since(session, previous.cursor, actor.name)
    if changes.everything:
        return Live(_read_all(session, actor, request, viewport, now), cursor, changes)
    shown = previous.content
    content = _read_changed(session, shown, viewport, changes, now)
    return Live(content, cursor, changes)


def _read_all(
    session: Session,
    actor: UserRecord,
    request: BoardRequest,
    viewport: Viewport,
    now: datetime,
) -> BoardView:
    pipelines = tuple(queries.pipeline_record(p) for p in queries.all_pipelines(session))
    pipeline = chosen_pipeline(pipelines, request.pipeline)
    scope = Scope(pipeline, request.filter, now, actor.id)
    sums = column_sums(session, scope)
    loads = _loads(session, scope, sums, {stage.id for stage in pipeline.stages})
    columns = tuple(
        _sums_only(pipeline, stage.id, sums.get(stage.id), loads.get(stage.id))
        for stage in pipeline.stages
    )
    located = _locate(session, scope, viewport.follow)
    needs = dict(viewport.needs) or {
        c.stage.id: Window(0, DEFAULT_WINDOW) for c in columns if c.is_open
    }
    view = BoardView(
        request=request,
        pipelines=pipelines,
        pipeline=pipeline,
        me=_me(session, actor),
        now=now,
        columns=columns,
        followed=viewport.follow,
        located=located,
    )
    return _with_cards(session, view, scope, _to_read(needs, located, columns))


def _read_changed(
    session: Session,
    shown: BoardView,
    viewport: Viewport,
    changes: ChangeSet,
    now: datetime,
) -> BoardView:
    scope = Scope(shown.pipeline, shown.request.filter, now, shown.me.id)
    touched = (
        stages_of(session, shown.pipeline, changes.deal_ids, changes.left_stages)
        if changes.any
        else set()
    )
    sums = column_sums(session, scope, touched) if touched else {}
    loads = _loads(session, scope, sums, touched)
    columns = tuple(
        _sums_only(shown.pipeline, c.stage.id, sums.get(c.stage.id), loads.get(c.stage.id))
        if c.stage.id in touched
        else c
        for c in shown.columns
    )
    located = _locate(session, scope, viewport.follow)
    needs = {
        stage_id: need
        for stage_id, need in viewport.needs.items()
        if stage_id in touched or not _column(columns, stage_id).covers(need)
    }
    windows = _to_read(needs, located, columns, touched)
    for stage_id in touched - set(windows):  # off screen, but read before: read the same again
        before = _column(shown.columns, stage_id)
        if before.cards:
            windows[stage_id] = Window(before.start, len(before.cards))
    if not windows and not touched and viewport.follow is None:
        return shown  # nothing changed here: the same object, so nothing is drawn again
    view = replace(shown, columns=columns, followed=viewport.follow, located=located, now=now)
    return _with_cards(session, view, scope, windows)


def _with_cards(
    session: Session, view: BoardView, scope: Scope, windows: dict[int, Window]
) -> BoardView:
    """`view` with the cards of `windows` read: a query per column, two more for all of them."""
    if not windows:
        return view
    rows = {
        stage_id: window_rows(session, scope, stage_id, window.start, window.size)
        for stage_id, window in windows.items()
    }
    cards = summaries(session, scope, rows)
    columns = tuple(
        replace(c, start=windows[c.stage.id].start, cards=cards[c.stage.id])
        if c.stage.id in windows
        else c
        for c in view.columns
    )
    return replace(view, columns=columns)


def _to_read(
    needs: dict[int, Window],
    located: Located | None,
    columns: tuple[ColumnView, ...],
    touched: set[int] | None = None,
) -> dict[int, Window]:
    """What to read per column: each need with a margin either side, and the cards around a
    followed deal, unless they are read already in a column no change touched."""
    needs = dict(needs)
    if located is not None and not _read_already(located, columns, touched or set()):
        size = needs.get(located.stage_id, Window(0, DEFAULT_WINDOW)).size
        needs[located.stage_id] = Window(max(0, located.index - size // 2), size)
    return {
        stage_id: Window(max(0, need.start - WINDOW_MARGIN), need.size + 2 * WINDOW_MARGIN)
        for stage_id, need in needs.items()
    }


def _read_already(located: Located, columns: tuple[ColumnView, ...], touched: set[int]) -> bool:
    if located.stage_id in touched:
        return False
    return _column(columns, located.stage_id).card_at(located.index) is not None


def _locate(session: Session, scope: Scope, deal_id: int | None) -> Located | None:
    if deal_id is None:
        return None
    place = locate(session, scope, deal_id)
    return None if place is None else Located(deal_id, place[0], place[1])


def _loads(
    session: Session, scope: Scope, sums: dict[int, ColumnSums], stage_ids: set[int]
) -> dict[int, int]:
    """Open deals per WIP-limited stage among `stage_ids`: the sums' counts when nothing is
    filtered out, else one more query for all of them (never one per column)."""
    limited = {
        s.id
        for s in scope.pipeline.stages
        if s.id in stage_ids and s.wip is not None and s.kind is StageKind.OPEN
    }
    if scope.filter.is_empty:
        return {i: sums[i].count if i in sums else 0 for i in limited}
    return stage_counts(session, limited)


def _sums_only(
    pipeline: PipelineRecord, stage_id: int, sums: ColumnSums | None, load: int | None = None
) -> ColumnView:
    stage = next(s for s in pipeline.stages if s.id == stage_id)
    by_currency = sums.by_currency if sums is not None else {}
    return ColumnView(
        stage=stage,
        count=sums.count if sums is not None else 0,
        totals=money_by_currency(by_currency, pipeline.currency),
        weighted=money_by_currency(by_currency, pipeline.currency, stage.probability),
        load=(
            StageLoad(stage.name, load, stage.wip)
            if stage.wip is not None and load is not None
            else None
        ),
    )


def _column(columns: list[ColumnView] | tuple[ColumnView, ...], stage_id: int) -> ColumnView:
    return next(c for c in columns if c.stage.id == stage_id)


def chosen_pipeline(pipelines: Sequence[PipelineRecord], name: str | None) -> PipelineRecord:
    """The named pipeline (by name or title, loosely), or the first."""
    if not pipelines:
        raise NotFound("pipeline", name or "(any)", "run `dealboard init` first")
    if name is None:
        return pipelines[0]
    for pipeline in pipelines:
        if slug(pipeline.name) == slug(name) or slug(pipeline.title) == slug(name):
            return pipeline
    known = ", ".join(p.name for p in pipelines)
    raise NotFound("pipeline", name, f"pipelines: {known}")


def _me(session: Session, actor: UserRecord) -> UserRecord:
    """The acting user as the board knows them now (a manager may have changed their role)."""
    user = session.scalar(select(User).where(User.id == actor.id))
    return users.to_record(user) if user is not None else actor
