"""One deal as a short Markdown note, to paste into chat or an email (`Y` on the board).

Plain enough to read unrendered: a bold title, a list of facts, the stage's
checklist, what the buyer still objects to and the last few touches. Whatever
a user typed is squeezed onto one line and has the characters that would start
formatting (`*`, `_`, `` ` ``, `[`…) escaped, so a title like `*URGENT* [x](y)`
arrives as typed and cannot turn into a link.
"""

from __future__ import annotations

import re
from datetime import date

from dealboard.domain.bant import mark
from dealboard.domain.money import format_money
from dealboard.domain.records import ActivityRecord, DealDetail
from dealboard.domain.text import display_safe
from dealboard.vocabulary import BantState, ObjectionStatus, StageKind

#: How many of the latest done activities the note lists.
RECENT_ACTIVITIES = 3
#: Characters that start formatting; `_` only at a word's edge (`snake_case` stays readable).
_SPECIAL = re.compile(r"[\\`*\[\]<>~]|(?<![^\W_])_|_(?![^\W_])")
_NOT_SET = "not set"


def escape(value: str) -> str:
    """User text made literal in Markdown, on one line, without control characters."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(display_safe(value).split()))


def deal_markdown(detail: DealDetail, today: date) -> str:
    """The Markdown note about the deal, ending with a newline."""
    deal = detail.summary
    lines = [f"**{escape(deal.title)}** (#{deal.id})", ""]
    contact = escape(deal.contact) if deal.contact else _NOT_SET
    if deal.contact:
        contact += f" ({deal.contact_type.value})"
    stage = escape(deal.stage)
    if deal.stage_kind is not StageKind.OPEN:
        if deal.stage.casefold() != deal.status:
            stage += f" ({deal.status})"
        if deal.loss_reason is not None:
            note = f", {escape(deal.loss_note)}" if deal.loss_note else ""
            stage += f": {deal.loss_reason.value}{note}"
    elif deal.checklist_total:
        stage += f", {deal.checklist_done}/{deal.checklist_total} exit criteria done"
    stage += f" ({escape(deal.pipeline)} pipeline)"
    lines += [
        f"- Account: {escape(deal.account) or _NOT_SET}",
        f"- Contact: {contact}",
        f"- Owner: {escape(deal.owner_display or deal.owner)}",
        f"- Value: {format_money(deal.value_minor, deal.currency)}",
        f"- Stage: {stage}",
        f"- Expected close: {deal.expected_close.isoformat() if deal.expected_close else _NOT_SET}",
        f"- Next step: {_next_step(detail, today)}",
        f"- BANT: {_bant(detail)}",
    ]
    criteria = [i for i in detail.checklist if i.stage == deal.stage]
    if criteria and deal.stage_kind is StageKind.OPEN:
        lines += ["", f"To leave {escape(deal.stage)}:"]
        lines += [f"- [{'x' if i.checked else ' '}] {escape(i.text)}" for i in criteria]
    unresolved = [o for o in detail.objections if o.status is not ObjectionStatus.RESOLVED]
    if unresolved:
        lines += ["", "Unresolved objections:"]
        for o in unresolved:
            how = "hidden" if o.hidden else "expressed"
            answer = f" (answered: {escape(o.response)})" if o.response else ""
            lines.append(f"- {o.category.value}, {how}, {o.status.value}: {escape(o.text)}{answer}")
    recent = [a for a in detail.activities if a.done_at is not None][:RECENT_ACTIVITIES]
    if recent:
        lines += ["", "Latest touches:"]
        lines += [_activity(a) for a in recent]
    return "\n".join(lines) + "\n"


def _next_step(detail: DealDetail, today: date) -> str:
    deal = detail.summary
    if not deal.next_step:
        return _NOT_SET
    text = escape(deal.next_step)
    if deal.next_step_due is None:
        return text + ", no date"
    late = " (overdue)" if deal.next_step_due < today and deal.stage_kind is StageKind.OPEN else ""
    return f"{text}, due {deal.next_step_due.isoformat()}{late}"


def _bant(detail: DealDetail) -> str:
    answers = [a for a in detail.bant if a.state is not BantState.UNKNOWN]
    if not answers:
        return "not asked yet"
    given = tuple((a.item, a.state) for a in detail.bant)
    parts = []
    for answer in answers:
        note = f" ({escape(answer.note)})" if answer.note else ""
        parts.append(f"{answer.item.value} {answer.state.value}{note}")
    return f"{mark(given)}: " + "; ".join(parts)


def _activity(activity: ActivityRecord) -> str:
    assert activity.done_at is not None
    when = activity.done_at.astimezone().date().isoformat()
    outcome = f": {escape(activity.outcome)}" if activity.outcome else ""
    return f"- {when} {activity.kind.value}, {escape(activity.subject)}{outcome}"
