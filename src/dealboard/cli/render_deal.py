"""`dealboard deal show` for people: the card, its checklist, notes, objections and history."""

from __future__ import annotations

from datetime import date, datetime

from dealboard.domain.activities import due_day
from dealboard.domain.money import format_money
from dealboard.domain.records import DealDetail
from dealboard.domain.text import display_safe
from dealboard.domain.times import local_minute
from dealboard.vocabulary import StageKind


def _when(value: datetime | None) -> str:
    return local_minute(value) if value else ""


def deal_text(detail: DealDetail, today: date) -> str:
    """A readable page about one deal; all user text made display-safe."""
    d = detail.summary
    status = d.stage if d.stage_kind is StageKind.OPEN else f"{d.stage} ({d.status})"
    lines = [
        f"#{d.id} {d.title}",
        f"  stage      {status} · {d.pipeline} · since {_when(d.stage_entered_at)}",
        f"  value      {format_money(d.value_minor, d.currency)}",
        f"  account    {d.account}",
        f"  contact    {d.contact} ({d.contact_type.value})",
        f"  owner      {d.owner_display} ({d.owner})",
        f"  source     {d.source}",
        f"  close      {d.expected_close.isoformat() if d.expected_close else ''}",
        f"  tags       {' '.join('#' + t for t in d.tags)}",
    ]
    if d.next_step:
        due = d.next_step_due
        overdue = " OVERDUE" if due is not None and due < today else ""
        lines.append(
            f"  next step  {d.next_step} (due {due.isoformat() if due else 'not set'}{overdue})"
        )
    if d.loss_reason:
        lines.append(f"  lost       {d.loss_reason.value}: {d.loss_note}")
    lines += _lineage_lines(detail)
    lines.append(f"  version    {d.version}")
    if detail.bant:
        lines += ["", "BANT"]
        for answer in detail.bant:
            note = f"  {answer.note}" if answer.note else ""
            lines.append(f"  {answer.item.value:<10} {answer.state.value:<8}{note}".rstrip())
    lines += ["", "Checklist"]
    current_stage = None
    for item in detail.checklist:
        if item.stage != current_stage:
            current_stage = item.stage
            marker = "  <- current stage" if item.stage == d.stage else ""
            lines.append(f"  {item.stage}{marker}")
        tick = "x" if item.checked else " "
        who = f"  ({item.checked_by}, {_when(item.checked_at)})" if item.checked else ""
        lines.append(f"    {item.position}. [{tick}] {item.text}{who}")
    research = detail.research
    notes = [
        ("interests", research.interests),
        ("buying process", research.buying_process),
        ("objectives", research.key_objectives),
        ("decision timing", research.decision_timing),
        ("pain points", research.pain_points),
        ("notes", research.free_text),
    ]
    if any(text for _, text in notes) or research.stakeholders:
        lines += ["", "Research notes"]
        lines += [f"  {label}: {text}" for label, text in notes if text]
        for s in research.stakeholders:
            lines.append(
                f"  stakeholder: {s.name}, {s.role} (influence {s.influence.value}, "
                f"{s.stance.value})"
            )
    if detail.objections:
        lines += ["", "Objections"]
        for o in detail.objections:
            kind = "hidden" if o.hidden else "expressed"
            lines.append(f"  [{o.status.value}] {o.category.value}, {kind}: {o.text}")
            if o.response:
                lines.append(f"      response: {o.response}")
    if detail.activities:
        lines += ["", "Activities"]
        for a in detail.activities:
            due = due_day(a.due_at).isoformat() if a.due_at else "—"
            state = f"done {_when(a.done_at)}" if a.done_at else f"due {due}"
            outcome = f" — {a.outcome}" if a.outcome else ""
            lines.append(f"  {a.kind.value:<8} {a.subject} ({state}, {a.user}){outcome}")
    lines += ["", "History"]
    for t in detail.history:
        source = t.from_stage or "created"
        override = f"  OVERRIDE: {t.override_reason}" if t.override_reason else ""
        lines.append(f"  {_when(t.at)}  {source} -> {t.to_stage}  by {t.user}{override}")
    return "\n".join(display_safe(line) for line in lines) + "\n"


def _lineage_lines(detail: DealDetail) -> list[str]:
    """`from #12 Fleet (renewal) · referred by Globex`: where a repeat deal came from."""
    lineage = detail.lineage
    if lineage is None:
        return []
    parts = []
    if lineage.origin_deal_id is not None:
        kind = f" ({lineage.origin_kind.value})" if lineage.origin_kind else ""
        title = f" {lineage.origin_title}" if lineage.origin_title else ""
        parts.append(f"from #{lineage.origin_deal_id}{title}{kind}")
    if lineage.referred_by:
        parts.append(f"referred by {lineage.referred_by}")
    return [f"  lineage    {' · '.join(parts)}"] if parts else []
