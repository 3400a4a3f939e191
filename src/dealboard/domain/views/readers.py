"""The bigger screens' reads as functions of one session: stand-up, SLA report, every report.

`Board` runs each in a read transaction of its own for the command line; the
live screens run them through `Views`, inside the same read-only transaction
that asks the change log what is new, so what a screen shows is one moment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import User
from dealboard.domain import queries, reports, standup, users
from dealboard.domain.errors import NotFound
from dealboard.domain.goals import month_goals, month_of
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.nurture import due_for_nurture
from dealboard.domain.reports.scope import ReportScope, resolve_scope
from dealboard.domain.sla_report import SlaReport, build_report, report_window
from dealboard.domain.standup_forecast import (
    build_forecast,
    choose_target,
    forecast_until,
    month_start,
    parse_target,
)
from dealboard.domain.views.report_set import ReportRequest, ReportSet


def read_standup(
    session: Session,
    *,
    pipeline: str | None,
    since: str | None,
    target: str | None,
    now: datetime,
    today: date,
) -> standup.Standup:
    """The stand-up (definitions in `dealboard.domain.standup`)."""
    start, _ = standup.since_window(now, since)
    this_month = datetime.combine(month_start(today), datetime.min.time()).astimezone()
    found = find_pipeline(session, pipeline) if pipeline else None
    records = [
        queries.pipeline_record(p)
        for p in queries.all_pipelines(session)
        if found is None or p.id == found.id
    ]
    if not records:
        raise NotFound("pipeline", "(any)", "run `dealboard init` first")
    pipeline_id = found.id if found is not None else None
    conditions = queries.list_conditions(
        pipeline_id=pipeline_id, stage_id=None, owner_id=None, include_closed=False
    )
    open_deals = queries.deal_summaries(session, *conditions)
    events = standup.window_events(session, start, pipeline_id)
    touches = standup.touches_since(session, start, pipeline_id)
    won = standup.won_since(session, this_month, pipeline_id)
    until = forecast_until(today)
    forecasts = [
        reports.build_forecast(session, ReportScope(p, None, until, None, None, now))
        for p in records
    ]
    currency = records[0].currency
    goals = month_goals(session, month_of(today))
    forecast = build_forecast(
        forecasts,
        won,
        today=today,
        target=choose_target(parse_target(target, currency), goals, currency),
        currencies=dict.fromkeys(p.currency for p in records),
        goals=goals,
    )
    return standup.build_standup(
        now=now,
        since=start,
        scope=records[0].title if found is not None else "All pipelines",
        currency=currency,
        events=events,
        open_deals=open_deals,
        touches=touches,
        stages={s.id: s for p in records for s in p.stages},
        forecast=forecast,
        nurture=due_for_nurture(session, today, pipeline_id=pipeline_id),
    )


def read_sla_report(
    session: Session,
    *,
    pipeline: str | None,
    since: str | None,
    until: str | None,
    now: datetime,
) -> SlaReport:
    """Per owner: leads of the window, first response, breaches (`dealboard.domain.sla_report`)."""
    start, end = report_window(since, until, now)
    found = find_pipeline(session, pipeline).id if pipeline else None
    records = [
        queries.pipeline_record(p)
        for p in queries.all_pipelines(session)
        if found is None or p.id == found
    ]
    conditions = queries.sla_conditions(pipeline_id=found, since=start, until=end)
    deals = queries.deal_summaries(session, *conditions)
    return build_report(
        deals,
        records,
        now=now,
        since=start,
        until=end,
        pipeline=records[0].name if found is not None else None,
    )


def read_report_set(session: Session, request: ReportRequest, now: datetime) -> ReportSet:
    """Every report of `REPORTS` for `request`, so switching between them reads nothing."""
    scope = resolve_scope(
        session, now=now, pipeline=request.pipeline, since=request.since, owner=request.owner
    )
    built = {name: spec.build(session, scope) for name, spec in reports.REPORTS.items()}
    people = sorted(
        (users.to_record(u) for u in session.scalars(select(User))),
        key=lambda user: user.name.casefold(),
    )
    pipelines = [queries.pipeline_record(p) for p in queries.all_pipelines(session)]
    return ReportSet(request, scope.pipeline, built, pipelines, people)
