"""What a card says about a deal beyond its numbers: SLA breaches, next step, cadence, quiet, BANT.

One function decides the badges, so the board's cards, the text board and the
filter (`/breach`, `/quiet`, `/late`…) always agree. Pure: it reads the loaded
summary, the stage's settings and the time, never the database. The SLA rules
behind the `breach` badges are spelt out in `dealboard.domain.sla`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dealboard.domain.bant import mark
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.domain.sla import BreachKind, clock_start, open_breaches
from dealboard.vocabulary import StageKind


class Tone(StrEnum):
    """How a badge is coloured (the card maps tones to theme styles)."""

    PLAIN = "plain"
    ALERT = "alert"
    WARN = "warn"
    GOOD = "good"


@dataclass(frozen=True)
class Badge:
    """`name` is what the filter matches (`late`, `quiet`…); `text` is what the card shows."""

    name: str
    text: str
    tone: Tone = Tone.PLAIN


#: Filter words that select by badge rather than by text.
FILTER_WORDS = frozenset({"late", "today", "nostep", "quiet", "exhausted", "breach"})


def quiet_days(deal: DealSummary, stage: StageRecord, today: date) -> int | None:
    """Days without activity when that is longer than the stage allows (`rot_days`), else None.

    Entering the stage counts as activity, so a deal just moved is not quiet;
    so does arriving by import (`sla.clock_start`).
    """
    if stage.kind is not StageKind.OPEN or stage.rot_days is None:
        return None
    last = clock_start(deal)
    if deal.last_activity_at is not None and deal.last_activity_at > last:
        last = deal.last_activity_at
    idle = (today - last.astimezone().date()).days
    return idle if idle > stage.rot_days else None


def cadence_exhausted(deal: DealSummary, stage: StageRecord) -> bool:
    """Every attempt of the stage's cadence made and the buyer never answered."""
    return (
        stage.cadence_attempts is not None
        and deal.touches_in_stage >= stage.cadence_attempts
        and not deal.reached_in_stage
    )


def next_step_badge(deal: DealSummary, today: date) -> Badge | None:
    """`→ Fri 28`, `→ today`, `late 3d` or `no step` for an open deal."""
    if deal.stage_kind is not StageKind.OPEN:
        return None
    due = deal.next_step_due
    if due is None:
        return Badge("nostep", "no step", Tone.ALERT)
    if due < today:
        return Badge("late", f"late {(today - due).days}d", Tone.ALERT)
    if due == today:
        return Badge("today", "→ today", Tone.WARN)
    shown = due.strftime("%a %d") if (due - today).days < 7 else due.strftime("%b %d")
    return Badge("due", f"→ {shown}", Tone.PLAIN)


def deal_badges(deal: DealSummary, stage: StageRecord, now: datetime) -> tuple[Badge, ...]:
    """The badges of a card's last line, most urgent first: open SLA breaches lead.

    A follow-up breach (`⚠ 2/5 late`) takes the place of the attempts badge (`2/5`).
    """
    today = now.astimezone().date()
    breaches = open_breaches(deal, stage, now)
    badges = [Badge("breach", b.text, Tone.ALERT) for b in breaches]
    step = next_step_badge(deal, today)
    if step is not None:
        badges.append(step)
    follow_up_late = any(b.kind is BreachKind.FOLLOW_UP for b in breaches)
    if stage.cadence_attempts is not None and deal.stage_kind is StageKind.OPEN:
        made = f"{deal.touches_in_stage}/{stage.cadence_attempts}"
        if deal.reached_in_stage:
            badges.append(Badge("reached", f"{made} ✓", Tone.GOOD))
        elif cadence_exhausted(deal, stage):
            badges.append(Badge("exhausted", f"{made} no reply", Tone.ALERT))
        elif not follow_up_late:
            badges.append(Badge("attempts", made))
    idle = quiet_days(deal, stage, today)
    if idle is not None:
        badges.append(Badge("quiet", f"quiet {idle}d", Tone.WARN))
    if deal.bant:
        badges.append(Badge("bant", mark(deal.bant)))
    return tuple(badges)
