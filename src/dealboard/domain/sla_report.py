"""The SLA report: per owner, how fast new leads were answered and what is breaking now.

The rules themselves (touch, first response time, speed to lead, follow-up,
open breach) are defined in `dealboard.domain.sla`. One row per owner who has
a lead in the window or an open deal, then a team row that adds them up:

- **leads** (`leads`): deals created in the window, counted for whoever owns
  them now (a reassigned lead moves with its deal). Imported deals are no
  leads received here and are left out (see `sla`).
- **median first response** (`median_first_response_seconds`): over those
  leads that have had a first touch (`responded`); none when no lead has.
  The team's is the median of all its leads, not a median of medians.
- **% within SLA** (`within_sla` ÷ `judged`, `within_sla_percent`): leads whose
  first touch came within their pipeline's speed to lead, out of the leads
  that can be judged — touched, or untouched and past their minutes. A lead
  still inside its minutes, or in a pipeline with no speed to lead, is not
  judged; none when nothing is.
- **open breaches** (`open_breaches`): the owner's open deals, created at any
  time, with at least one open breach now; `no_touch` and `follow_up_late`
  count each kind (a deal may have both).
- **quiet** (`quiet`): open deals with no activity for longer than their
  stage's rot days.
- **no/late step** (`step_missing_or_late`): open deals without a next step,
  or with one past due. Flagged, but not an SLA breach.

The window is `[since, until)`; by default the last 30 days up to now.
Pure: summaries, pipelines and `now` in, a report out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dealboard.domain.badges import next_step_badge, quiet_days
from dealboard.domain.errors import InvalidInput
from dealboard.domain.history import parse_since, parse_until
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord
from dealboard.domain.sla import (
    BreachKind,
    first_response,
    open_breaches,
    responded_in_time,
)
from dealboard.vocabulary import StageKind

#: The window when none is given: leads of the last 30 days.
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class FollowUpRule:
    """A stage's cadence: `attempts` touches within `days` of entering it."""

    stage: str
    attempts: int
    days: int


@dataclass(frozen=True)
class PipelineRules:
    """The service levels one pipeline promises, as the report's heading states them."""

    pipeline: str
    title: str
    speed_to_lead_minutes: int | None
    follow_up: tuple[FollowUpRule, ...]


@dataclass(frozen=True)
class OwnerSla:
    """One row of the report; `owner` is None on the team row."""

    owner: str | None
    display_name: str
    leads: int = 0
    responded: int = 0
    median_first_response: timedelta | None = None
    within_sla: int = 0
    judged: int = 0
    open_breaches: int = 0
    no_touch: int = 0
    follow_up_late: int = 0
    quiet: int = 0
    step_missing_or_late: int = 0

    @property
    def within_sla_percent(self) -> float | None:
        """Share of judged leads answered in time, 0–100; None when no lead was judged."""
        return 100 * self.within_sla / self.judged if self.judged else None


@dataclass(frozen=True)
class SlaReport:
    """The whole report: its window, the rules applied, a row per owner and the team."""

    now: datetime
    since: datetime
    until: datetime
    pipeline: str | None
    rules: tuple[PipelineRules, ...]
    owners: tuple[OwnerSla, ...]
    team: OwnerSla


def report_window(since: str | None, until: str | None, now: datetime) -> tuple[datetime, datetime]:
    """`since`/`until` as typed (`30d`, `2w`, `2026-11-01`, `today`); default: the last 30 days.

    A date means the start of that day for `since` and its end for `until`
    (the day is included), in the user's time zone.
    """
    start = parse_since(since, now) if since else now - timedelta(days=DEFAULT_WINDOW_DAYS)
    end = parse_until(until, now) if until else now
    if start >= end:
        raise InvalidInput("since", since, "the window must start before it ends (--until)")
    return start, end


def pipeline_rules(pipeline: PipelineRecord) -> PipelineRules:
    """The pipeline's speed to lead and every stage cadence that follow-up breaches use."""
    return PipelineRules(
        pipeline.name,
        pipeline.title,
        pipeline.speed_to_lead_minutes,
        tuple(
            FollowUpRule(s.name, s.cadence_attempts, s.cadence_days)
            for s in pipeline.open_stages
            if s.cadence_attempts is not None and s.cadence_days is not None
        ),
    )


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class _Tally:
    """Counts for one owner (or the team) while the deals are read."""

    display_name: str
    response_times: list[timedelta] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, amount: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + amount

    def row(self, owner: str | None) -> OwnerSla:
        return OwnerSla(
            owner,
            self.display_name,
            median_first_response=median(self.response_times),
            **self.counts,
        )


def build_report(
    deals: Iterable[DealSummary],
    pipelines: Sequence[PipelineRecord],
    *,
    now: datetime,
    since: datetime,
    until: datetime,
    pipeline: str | None = None,
) -> SlaReport:
    """Tally `deals` (open ones, and any created in the window) into the report."""
    stages: dict[int, StageRecord] = {s.id: s for p in pipelines for s in p.stages}
    today = now.astimezone().date()
    owners: dict[str, _Tally] = {}
    team = _Tally("Team")
    for deal in deals:
        stage = stages.get(deal.stage_id)
        if stage is None:
            continue
        tally = owners.setdefault(deal.owner, _Tally(deal.owner_display or deal.owner))
        for target in (tally, team):
            if since <= deal.created_at < until and deal.imported_at is None:
                _count_lead(target, deal, stage, now)
            if deal.stage_kind is StageKind.OPEN:
                _count_open(target, deal, stage, now, today)
    return SlaReport(
        now=now,
        since=since,
        until=until,
        pipeline=pipeline,
        rules=tuple(pipeline_rules(p) for p in pipelines),
        owners=tuple(owners[name].row(name) for name in sorted(owners, key=str.casefold)),
        team=team.row(None),
    )


def _count_lead(tally: _Tally, deal: DealSummary, stage: StageRecord, now: datetime) -> None:
    tally.add("leads")
    response = first_response(deal)
    if response is not None:
        tally.add("responded")
        tally.response_times.append(response)
    in_time = responded_in_time(deal, stage.speed_to_lead_minutes, now)
    if in_time is not None:
        tally.add("judged")
        tally.add("within_sla", int(in_time))


def _count_open(
    tally: _Tally, deal: DealSummary, stage: StageRecord, now: datetime, today: date
) -> None:
    breaches = open_breaches(deal, stage, now)
    if breaches:
        tally.add("open_breaches")
    kinds = {b.kind for b in breaches}
    tally.add("no_touch", int(BreachKind.NO_TOUCH in kinds))
    tally.add("follow_up_late", int(BreachKind.FOLLOW_UP in kinds))
    tally.add("quiet", int(quiet_days(deal, stage, today) is not None))
    step = next_step_badge(deal, today)
    tally.add("step_missing_or_late", int(step is not None and step.name in ("nostep", "late")))
