"""Stand-up mode's content: what happened since the last stand-up, what needs attention,
the forecast, and each person's deals in motion.

**The window.** By default it starts at midnight, in the user's time zone, of the
previous working day: Monday's stand-up looks back to Friday, Tuesday's to Monday,
a weekend one to Friday (public holidays are not known). `--since` takes what
`dealboard log --since` takes: a duration ago (`24h`, `3d`) or a day (`yesterday`,
`-3d`, `2026-11-20`) from its start. It ends now. Instants are compared in UTC.

**By person** means by the deal's owner now: a stand-up goes round the people who
answer for the deals, whoever clicked. A reassigned deal is reported for its new owner.

**Since the last stand-up**, per deal (each deal once, the first that applies):
- *won* / *lost*: closed as won / lost in the window, and still closed so;
- *new*: created in the window (in whatever stage it is now);
- *moved*: changed stage in the window and is somewhere else than at its start
  (a move and its undo cancel out); the path is every stage it went through, with the
  reasons of any gate override and the stages any forward move skipped
  (`dealboard.domain.standup_marks`).

**Needs attention**: open deals with an open SLA breach (`dealboard.domain.sla`) or
gone quiet (`badges.quiet_days`).

**Customers due a touch**: the nurture list (`dealboard.domain.nurture`) of the
stand-up's pipeline (or all), every owner's; shown only when someone is due.

**In motion** (one page per person): their open deals that were moved, created
or touched (a call, email, meeting or social touch done; not a note) in the window,
or whose next step is due today or late.

The forecast is defined in `dealboard.domain.standup_forecast`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from dealboard.db.models import Activity, Deal, Stage, StageTransition, User
from dealboard.domain.badges import quiet_days
from dealboard.domain.gate import GateStage
from dealboard.domain.money import Money, format_compact
from dealboard.domain.nurture import NurtureDue
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.domain.sla import open_breaches
from dealboard.domain.standup_forecast import Forecast
from dealboard.domain.standup_marks import (
    OVERRIDE,
    clean_reason,
    in_pipeline_order,
    skipped_note,
    stage_map,
)
from dealboard.domain.standup_window import (  # noqa: F401 - the stand-up's own names
    previous_working_day,
    since_label,
    since_window,
)
from dealboard.vocabulary import ActivityKind, StageKind


@dataclass(frozen=True)
class DealRef:
    """A deal as a stand-up line names it."""

    id: int
    title: str
    account: str
    stage: str
    value_minor: int
    currency: str

    @property
    def value(self) -> str:
        """`$48k`: short enough to say out loud."""
        return format_compact(self.value_minor, self.currency)


@dataclass(frozen=True)
class Moved:
    """A deal that changed stage in the window: every stage it passed, first to last."""

    deal: DealRef
    path: tuple[str, ...]
    forward: bool
    #: Why a manager passed the gate, for each move of the window that overrode it.
    overrides: tuple[str, ...] = ()
    #: Open stages a forward move jumped over (`gate.check_move`), in pipeline order.
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lost:
    """A deal lost in the window, and why."""

    deal: DealRef
    reason: str


@dataclass(frozen=True)
class Attention:
    """An open deal someone should look at: its breaches and quiet days, as the card says."""

    deal: DealRef
    owner: str
    owner_display: str
    problems: tuple[str, ...]
    breach: bool


@dataclass(frozen=True)
class InMotion:
    """An open deal of one person that something happened to; `reasons` say what."""

    deal: DealRef
    reasons: tuple[str, ...]
    late: bool = False


@dataclass(frozen=True)
class PersonStandup:
    """One owner: what changed in the window, and their deals in motion."""

    owner: str
    display_name: str
    moved: tuple[Moved, ...] = ()
    new: tuple[DealRef, ...] = ()
    won: tuple[DealRef, ...] = ()
    lost: tuple[Lost, ...] = ()
    in_motion: tuple[InMotion, ...] = ()
    open_deals: int = 0
    open_value: str = ""

    @property
    def anything_since(self) -> bool:
        return bool(self.moved or self.new or self.won or self.lost)


@dataclass(frozen=True)
class Standup:
    """Everything the stand-up shows, read at `now`."""

    now: datetime
    since: datetime
    scope: str
    #: The currency a typed target means when it names none (the pipeline's).
    currency: str
    people: tuple[PersonStandup, ...]
    attention: tuple[Attention, ...]
    forecast: Forecast
    label: str = ""
    totals: dict[str, int] = field(default_factory=dict)
    #: Customers due a touch, most overdue first (`dealboard.domain.nurture`).
    nurture: tuple[NurtureDue, ...] = ()

    @property
    def target(self) -> Money | None:
        return self.forecast.target


@dataclass(frozen=True)
class WindowEvent:
    """One stage transition of the window, with the deal as it is now (a query row)."""

    deal_id: int
    at: datetime
    from_stage: str | None
    from_position: int | None
    to_stage: str
    to_position: int
    deal: DealRef
    kind_now: StageKind
    owner: str
    owner_display: str
    loss_reason: str
    #: The gate override's reason, cleaned; empty when the gate let the move through.
    override: str = ""
    #: The open stages this move jumped over.
    skipped: tuple[GateStage, ...] = ()


def window_events(session: Session, start: datetime, pipeline_id: int | None) -> list[WindowEvent]:
    """Every stage transition since `start`, oldest first: one query, and one for the stages."""
    source, target, current = aliased(Stage), aliased(Stage), aliased(Stage)
    stages = stage_map(session, pipeline_id)
    query = (
        select(
            StageTransition.deal_id,
            StageTransition.at,
            source.name,
            source.position,
            target.name,
            target.position,
            Deal.title,
            Deal.account,
            current.name,
            Deal.value_minor,
            Deal.currency,
            current.kind,
            User.name,
            User.display_name,
            Deal.loss_reason,
            StageTransition.override_reason,
            StageTransition.from_stage_id,
            StageTransition.to_stage_id,
        )
        .join(Deal, Deal.id == StageTransition.deal_id)
        .outerjoin(source, source.id == StageTransition.from_stage_id)
        .join(target, target.id == StageTransition.to_stage_id)
        .join(current, current.id == Deal.stage_id)
        .join(User, User.id == Deal.owner_id)
        .where(StageTransition.at >= start)
        .order_by(StageTransition.deal_id, StageTransition.at, StageTransition.id)
    )
    if pipeline_id is not None:
        query = query.where(Deal.pipeline_id == pipeline_id)
    return [
        WindowEvent(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            DealRef(r[0], r[6], r[7], r[8], r[9], r[10]),
            r[11],
            r[12],
            r[13] or r[12],
            r[14].value if r[14] else "",
            clean_reason(r[15]),
            stages.skipped(r[16], r[17]),
        )
        for r in session.execute(query)
    ]


def won_since(
    session: Session, start: datetime, pipeline_id: int | None
) -> dict[str, tuple[int, int]]:
    """Per currency: how many deals were closed as won since `start`, and their value."""
    query = (
        select(Deal.currency, func.count(Deal.id), func.coalesce(func.sum(Deal.value_minor), 0))
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.kind == StageKind.WON, Deal.closed_at >= start)
        .group_by(Deal.currency)
    )
    if pipeline_id is not None:
        query = query.where(Deal.pipeline_id == pipeline_id)
    return {currency: (int(n), int(v)) for currency, n, v in session.execute(query)}


def touches_since(session: Session, start: datetime, pipeline_id: int | None) -> dict[int, int]:
    """Per deal: touches (calls, emails, meetings, social; not notes) done since `start`."""
    query = (
        select(Activity.deal_id, func.count(Activity.id))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(Activity.done_at >= start, Activity.kind != ActivityKind.NOTE)
        .group_by(Activity.deal_id)
    )
    if pipeline_id is not None:
        query = query.where(Deal.pipeline_id == pipeline_id)
    return {deal_id: int(count) for deal_id, count in session.execute(query)}


@dataclass
class _Person:
    display_name: str
    moved: list[Moved] = field(default_factory=list)
    new: list[DealRef] = field(default_factory=list)
    won: list[DealRef] = field(default_factory=list)
    lost: list[Lost] = field(default_factory=list)
    in_motion: list[InMotion] = field(default_factory=list)
    open_deals: list[DealSummary] = field(default_factory=list)


def _classify(events: Sequence[WindowEvent], person: _Person) -> tuple[str, ...]:
    """File one deal's events under won, lost, new or moved; returns what in-motion says."""
    last = events[-1]
    deal = last.deal
    if last.kind_now is StageKind.WON and any(e.to_stage == deal.stage for e in events):
        person.won.append(deal)
        return ()
    if last.kind_now is StageKind.LOST and any(e.to_stage == deal.stage for e in events):
        person.lost.append(Lost(deal, last.loss_reason))
        return ()
    if events[0].from_stage is None:
        person.new.append(deal)
        return ("new",)
    path: list[str] = [events[0].from_stage]
    for event in events:
        if event.to_stage != path[-1]:
            path.append(event.to_stage)
    if path[0] == path[-1]:
        return ()
    first_position = events[0].from_position or 0
    forward = last.to_position > first_position
    overrides = tuple(e.override for e in events if e.override)
    skipped = in_pipeline_order(s for e in events for s in e.skipped)
    person.moved.append(Moved(deal, tuple(path), forward, overrides, skipped))
    route = " ".join(filter(None, (" → ".join(path), skipped_note(skipped))))
    return (route, OVERRIDE) if overrides else (route,)


def build_standup(
    *,
    now: datetime,
    since: datetime,
    scope: str,
    currency: str,
    events: Iterable[WindowEvent],
    open_deals: Iterable[DealSummary],
    touches: Mapping[int, int],
    stages: dict[int, StageRecord],
    forecast: Forecast,
    nurture: Sequence[NurtureDue] = (),
) -> Standup:
    """Put the loaded rows together into the stand-up (pure)."""
    today = now.astimezone().date()
    people: dict[str, _Person] = {}
    happened: dict[int, list[str]] = defaultdict(list)
    by_deal: dict[int, list[WindowEvent]] = defaultdict(list)
    for event in events:
        by_deal[event.deal_id].append(event)
    for deal_events in by_deal.values():
        last = deal_events[-1]
        person = people.setdefault(last.owner, _Person(last.owner_display))
        happened[last.deal_id].extend(_classify(deal_events, person))
    attention: list[Attention] = []
    for summary in open_deals:
        stage = stages.get(summary.stage_id)
        if stage is None or stage.kind is not StageKind.OPEN:
            continue
        person = people.setdefault(summary.owner, _Person(summary.owner_display or summary.owner))
        person.open_deals.append(summary)
        ref = _ref(summary)
        breaches = open_breaches(summary, stage, now)
        idle = quiet_days(summary, stage, today)
        if breaches or idle is not None:
            problems = tuple(b.text for b in breaches) + ((f"quiet {idle}d",) if idle else ())
            attention.append(
                Attention(ref, summary.owner, person.display_name, problems, bool(breaches))
            )
        done = touches.get(summary.id, 0)
        if done:
            happened[summary.id].append("1 touch" if done == 1 else f"{done} touches")
        motion = _in_motion(summary, ref, happened.get(summary.id, []), today)
        if motion is not None:
            person.in_motion.append(motion)
    order = {s.id: s.position for s in stages.values()}
    attention.sort(key=lambda a: (not a.breach, a.owner_display.casefold(), a.deal.title))
    rows = tuple(
        _person_row(name, people[name], order)
        for name in sorted(people, key=lambda n: (people[n].display_name.casefold(), n))
    )
    totals = {
        "moved": sum(len(p.moved) for p in rows),
        "new": sum(len(p.new) for p in rows),
        "won": sum(len(p.won) for p in rows),
        "lost": sum(len(p.lost) for p in rows),
        "breaches": sum(a.breach for a in attention),
        "quiet": sum(any(p.startswith("quiet") for p in a.problems) for a in attention),
    }
    return Standup(
        now=now,
        since=since,
        scope=scope,
        currency=currency,
        people=rows,
        attention=tuple(attention),
        forecast=forecast,
        label=since_label(since, now),
        totals=totals,
        nurture=tuple(nurture),
    )


def _ref(deal: DealSummary) -> DealRef:
    return DealRef(deal.id, deal.title, deal.account, deal.stage, deal.value_minor, deal.currency)


def _in_motion(
    deal: DealSummary, ref: DealRef, happened: list[str], today: date
) -> InMotion | None:
    reasons = list(happened)
    late = False
    due = deal.next_step_due
    step = " ".join(deal.next_step.split()) or "next step"
    if due is not None and due < today:
        late = True
        reasons.append(f"late {(today - due).days}d: {step}")
    elif due == today:
        reasons.append(f"due today: {step}")
    return InMotion(ref, tuple(reasons), late) if reasons else None


def _person_row(owner: str, person: _Person, order: dict[int, int]) -> PersonStandup:
    by_stage = {d.id: order.get(d.stage_id, 0) for d in person.open_deals}
    in_motion = sorted(
        person.in_motion, key=lambda m: (-by_stage.get(m.deal.id, 0), m.deal.title.casefold())
    )
    return PersonStandup(
        owner,
        person.display_name,
        tuple(person.moved),
        tuple(person.new),
        tuple(person.won),
        tuple(person.lost),
        tuple(in_motion),
        len(person.open_deals),
        money_totals((d.value_minor, d.currency) for d in person.open_deals),
    )


def money_totals(amounts: Iterable[tuple[int, str]]) -> str:
    """`$312k`, or `$312k + €40k` when currencies mix (never converted); empty when none."""
    sums: dict[str, int] = {}
    for minor, currency in amounts:
        sums[currency] = sums.get(currency, 0) + minor
    return " + ".join(format_compact(v, c) for c, v in sorted(sums.items()))
