"""The service levels a team promises its leads, and when a deal breaks them.

The numbers come from the pipeline file: `[sla] speed_to_lead_minutes` and
`follow_up_attempts` within `follow_up_days` (the first stage's cadence), or a
stage's own `cadence = { attempts, days }`. The rules, as a sales team reads them:

**Touch.** A call, email, meeting or social touch logged as done. A note is not
a touch (nobody heard from us).

**First response time** = the first touch − the moment the deal was created
(the lead arrived). Both are instants, stored in UTC, so time zones never
change it: a lead created at 23:58 and called at 00:03 the next day took
5 minutes, wherever the rep or the server sits.

**Speed to lead** (default 5 minutes): the first touch comes within N minutes.
- *Open breach*: an open deal, in any stage, with no touch yet and older than
  N minutes. The card says `⚠ no touch 3h` (how long the lead has waited) until
  someone touches it or the deal is closed.
- *Missed*: the first touch came, but after N minutes. It counts against
  "% within SLA" in the report, but the card says nothing: it cannot be fixed
  any more.
- A lead still inside its N minutes, untouched, is not judged yet.

**Follow-up** (default 5 attempts within 14 days): counted from the moment the
deal entered the stage that has the cadence (by default only the first stage,
so for a new lead: from its creation). Attempts are touches done since then;
a touch logged as *reached* (a reply, a call picked up) ends the run.
- *Open breach*: still in that stage after the days are up, fewer attempts
  made than promised, and no reply. The card says `⚠ 2/5 late`. It ends when
  the missing attempts are made, the buyer answers, or the deal moves on or
  is closed.
- All attempts made and no reply is not a breach: the card says `5/5 no reply`,
  the cue to close the deal as lost, no decision.
- There is no pace rule inside the window: the card's `2/5` shows progress and
  the next step's date says when the next attempt is due.

**Imported deals** (`dealboard import`) were leads in another system, long
before they reached this board: speed to lead does not judge them (they are
no lead received here, in the report either), and their follow-up window and
quiet days count from the import at the earliest (`clock_start`). Otherwise a
team's first look at its imported pipeline would be a wall of breaches.

**Not breaches, shown beside them.** A missing or past-due next step (`no step`,
`late 3d`) and a deal gone quiet (no activity for longer than its stage's
`rot_days`: `quiet 9d`, see `badges.quiet_days`) are flagged on the card and
counted in their own columns of the SLA report, not as breaches.

Everything here is pure: plain records and `now` in, answers out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dealboard.domain.records import DealSummary, StageRecord
from dealboard.vocabulary import StageKind


class BreachKind(StrEnum):
    """Which promise an open breach breaks."""

    NO_TOUCH = "no-touch"
    FOLLOW_UP = "follow-up"


@dataclass(frozen=True)
class Breach:
    """One open breach on one deal; `text` is what the card shows."""

    kind: BreachKind
    text: str


def clock_start(deal: DealSummary) -> datetime:
    """When the deal's current stage started to count on this board: entry, or the import."""
    if deal.imported_at is not None and deal.imported_at > deal.stage_entered_at:
        return deal.imported_at
    return deal.stage_entered_at


def first_response(deal: DealSummary) -> timedelta | None:
    """Creation to first touch (never negative); None while the lead is untouched."""
    if deal.first_touch_at is None:
        return None
    return max(deal.first_touch_at - deal.created_at, timedelta(0))


def responded_in_time(deal: DealSummary, minutes: int | None, now: datetime) -> bool | None:
    """Whether the first touch came within `minutes` of creation.

    None when there is no rule, or the lead is untouched and its minutes are not
    up yet (too early to judge).
    """
    if minutes is None or deal.imported_at is not None:
        return None
    deadline = deal.created_at + timedelta(minutes=minutes)
    if deal.first_touch_at is not None:
        return deal.first_touch_at <= deadline
    return False if now > deadline else None


def waiting_for_first_touch(
    deal: DealSummary, minutes: int | None, now: datetime
) -> timedelta | None:
    """How long an open, untouched lead has waited, once that is past the speed to lead."""
    if minutes is None or deal.stage_kind is not StageKind.OPEN:
        return None
    if deal.first_touch_at is not None or deal.imported_at is not None:
        return None
    waited = now - deal.created_at
    return waited if waited > timedelta(minutes=minutes) else None


def follow_up_late(deal: DealSummary, stage: StageRecord, now: datetime) -> bool:
    """The stage's cadence window is over with attempts missing and no reply."""
    if deal.stage_kind is not StageKind.OPEN or stage.kind is not StageKind.OPEN:
        return False
    if stage.cadence_attempts is None or stage.cadence_days is None:
        return False
    if deal.reached_in_stage or deal.touches_in_stage >= stage.cadence_attempts:
        return False
    return now > clock_start(deal) + timedelta(days=stage.cadence_days)


def open_breaches(deal: DealSummary, stage: StageRecord, now: datetime) -> tuple[Breach, ...]:
    """The deal's open breaches, speed to lead first; empty for a closed deal."""
    breaches: list[Breach] = []
    waited = waiting_for_first_touch(deal, stage.speed_to_lead_minutes, now)
    if waited is not None:
        breaches.append(Breach(BreachKind.NO_TOUCH, f"⚠ no touch {short_duration(waited)}"))
    if follow_up_late(deal, stage, now):
        made = f"{deal.touches_in_stage}/{stage.cadence_attempts}"
        breaches.append(Breach(BreachKind.FOLLOW_UP, f"⚠ {made} late"))
    return tuple(breaches)


def short_duration(delta: timedelta) -> str:
    """`45s`, `12m`, `3h`, `2d`: the largest whole unit, short enough for a card."""
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def response_time_text(delta: timedelta | None) -> str:
    """A first response time as people read it: `4m 10s`, `1h 05m`, `2d 3h`, or `—`."""
    if delta is None:
        return "—"
    seconds = max(round(delta.total_seconds()), 0)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    if days:
        return f"{days}d {hour}h"
    if hours:
        return f"{hours}h {minute:02d}m"
    if minutes:
        return f"{minutes}m {second:02d}s"
    return f"{second}s"
