"""How the CLI prints deals: aligned tables for people, stable JSON for scripts.

Every string from the database passes through `display_safe`, so nothing a
user typed can reach the terminal as a control sequence; and every command
writes through `SafeWriter` (see `safe_streams`), which cleans whatever a
print forgot. JSON keeps control characters as `\\u` escapes instead, so a
script still reads the exact value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TextIO

from dealboard.cli.table_widths import cell_width, grown_to_fit, shrunk_to
from dealboard.domain.badges import deal_badges
from dealboard.domain.columns import Column, board_columns, checklist_progress, days_in_stage
from dealboard.domain.exchange.json_text import json_text
from dealboard.domain.money import format_compact, format_money
from dealboard.domain.records import (
    DealDetail,
    DealSummary,
    PipelineRecord,
    StageRecord,
)
from dealboard.domain.text import display_safe


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def deal_json(deal: DealSummary) -> dict[str, Any]:
    """The documented JSON object of one deal (`deal list --format json`)."""
    return {
        "id": deal.id,
        "title": deal.title,
        "account": deal.account,
        "contact": deal.contact,
        "pipeline": deal.pipeline,
        "stage": deal.stage,
        "status": deal.status,
        "owner": deal.owner,
        "value": deal.value_minor,
        "currency": deal.currency,
        "expected_close": _iso(deal.expected_close),
        "contact_type": deal.contact_type.value,
        "source": deal.source,
        "tags": list(deal.tags),
        "next_step": deal.next_step,
        "next_step_due": _iso(deal.next_step_due),
        "checklist_done": deal.checklist_done,
        "checklist_total": deal.checklist_total,
        "open_objections": deal.open_objections,
        "stage_entered_at": _iso(deal.stage_entered_at),
        "created_at": _iso(deal.created_at),
        "closed_at": _iso(deal.closed_at),
        "loss_reason": deal.loss_reason.value if deal.loss_reason else None,
        "loss_note": deal.loss_note,
        "version": deal.version,
    }


def detail_json(detail: DealDetail) -> dict[str, Any]:
    """`deal show --format json`: the deal plus checklist, notes, objections and history."""
    research = detail.research
    data = deal_json(detail.summary)
    data["bant"] = {a.item.value: {"state": a.state.value, "note": a.note} for a in detail.bant}
    lineage = detail.lineage
    data["origin_deal_id"] = lineage.origin_deal_id if lineage else None
    data["origin_kind"] = lineage.origin_kind.value if lineage and lineage.origin_kind else None
    data["referred_by"] = lineage.referred_by or None if lineage else None
    data["checklist"] = [
        {
            "stage": i.stage,
            "position": i.position,
            "text": i.text,
            "checked": i.checked,
            "by": i.checked_by,
            "at": _iso(i.checked_at),
        }
        for i in detail.checklist
    ]
    data["notes"] = {
        "interests": research.interests,
        "buying_process": research.buying_process,
        "key_objectives": research.key_objectives,
        "decision_timing": research.decision_timing,
        "pain_points": research.pain_points,
        "free_text": research.free_text,
        "stakeholders": [
            {
                "name": s.name,
                "role": s.role,
                "influence": s.influence.value,
                "stance": s.stance.value,
            }
            for s in research.stakeholders
        ],
    }
    data["objections"] = [
        {
            "id": o.id,
            "category": o.category.value,
            "hidden": o.hidden,
            "text": o.text,
            "response": o.response,
            "status": o.status.value,
            "created_at": _iso(o.created_at),
            "resolved_at": _iso(o.resolved_at),
        }
        for o in detail.objections
    ]
    data["activities"] = [
        {
            "id": a.id,
            "kind": a.kind.value,
            "subject": a.subject,
            "by": a.user,
            "due_at": _iso(a.due_at),
            "done_at": _iso(a.done_at),
            "outcome": a.outcome,
        }
        for a in detail.activities
    ]
    data["history"] = [
        {
            "from": t.from_stage,
            "to": t.to_stage,
            "by": t.user,
            "at": _iso(t.at),
            "override_reason": t.override_reason,
        }
        for t in detail.history
    ]
    return data


def dumps(data: Any) -> str:
    """JSON as printed: UTF-8 text, keys in the documented order, two-space indent.

    Control characters and bidi overrides stay in the data as `\\u001b`-style
    escapes: a script reads the exact value, a terminal never sees the raw one.
    """
    return json_text(data, indent=2)


def terminal_safe(text: str) -> str:
    """`display_safe` for whole output: CSV's CRLF line ends survive, lone controls do not."""
    return "\r\n".join(display_safe(part) for part in text.split("\r\n"))


class SafeWriter:
    """A text stream that cleans everything written through it with `terminal_safe`.

    The one choke point for stdout and stderr: every command prints through
    it, so stored text from older versions or other tools (which input
    validation never saw) cannot reach the terminal as an escape sequence,
    whichever print forgot to clean it. Everything else is the wrapped stream's.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Clean, then write; returns the length given, as a text stream does."""
        try:
            self.stream.write(terminal_safe(text))
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk: name the stream, so the CLI can say which
            raise _named(exc, self.stream) from None
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream; its errors name it, as `write`'s do."""
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _named(exc, self.stream) from None

    def writelines(self, lines: Iterable[str]) -> None:
        """Each line through `write`."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _named(error: OSError, stream: TextIO) -> OSError:
    if error.filename is not None:
        return error
    names = {"<stdout>": "standard output", "<stderr>": "standard error"}
    return OSError(error.errno, error.strerror, names.get(getattr(stream, "name", ""), "output"))


@contextmanager
def safe_streams() -> Iterator[None]:
    """stdout and stderr through `SafeWriter` for one command; stdout flushed at the end.

    Flushing inside means a full disk or a closed pipe is raised while the
    command's error handling can still turn it into one line.
    """
    out, err = sys.stdout, sys.stderr
    safe_out = SafeWriter(out)
    sys.stdout, sys.stderr = safe_out, SafeWriter(err)  # type: ignore[assignment]
    try:
        yield
        safe_out.flush()
    finally:
        sys.stdout, sys.stderr = out, err


def fit(text: str, width: int) -> str:
    """Cut to `width` terminal columns with an ellipsis, then pad."""
    text = display_safe(text).replace("\n", " ")
    if cell_width(text) > width:
        out, used = [], 0
        for char in text:
            w = cell_width(char)
            if used + w > width - 1:
                break
            out.append(char)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - cell_width(text))


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[int],
    *,
    whole: Sequence[int] = (),
) -> str:
    """A plain aligned table; the last column is not padded; columns in `whole` are never cut."""
    body = list(rows)
    widths = grown_to_fit(headers, body, widths, set(whole))
    lines = []
    for row in [headers, *body]:
        cells = [fit(c, w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


#: `deal list` columns never cut: id, owner and value (what is typed back or trusted).
_WHOLE_DEAL_COLUMNS = {0, 4, 5}
#: How far the title and account give way on a narrow terminal, before the stage does.
_NARROWEST_DEAL_PROSE = {1: 10, 2: 7}


def deals_table(deals: Sequence[DealSummary], columns: int | None = None) -> str:
    """`deal list` for people, within `columns` cells when given (see `table_widths`)."""
    rows = [
        [
            str(d.id),
            d.title,
            d.account,
            d.stage,
            d.owner,
            format_money(d.value_minor, d.currency),
            _iso(d.expected_close) or "",
            checklist_progress(d),
        ]
        for d in deals
    ]
    headers = ["ID", "TITLE", "ACCOUNT", "STAGE", "OWNER", "VALUE", "CLOSE", "CHECK"]
    widths = grown_to_fit(headers, rows, [5, 34, 20, 19, 10, 17, 10, 5], _WHOLE_DEAL_COLUMNS)
    content = grown_to_fit(headers, rows, [0] * len(headers), set(range(len(headers))))
    padding = dict(enumerate(content))  # first drop blank padding, which cuts nothing
    prose = {i: min(least, content[i]) for i, least in _NARROWEST_DEAL_PROSE.items()}
    stage = {3: min(8, content[3])}
    return table(headers, rows, shrunk_to(widths, columns, [padding, prose, stage]))


def board_text(pipeline: PipelineRecord, deals: Sequence[DealSummary], now: datetime) -> str:
    """A printable board: one block per stage, with count, total and weighted value."""
    lines = [f"{display_safe(pipeline.title)}  ({pipeline.name})", ""]
    for column in board_columns(pipeline, deals):
        stage = column.stage
        heading = f"{stage.name}  {_count_text(column)}  {column.totals_text()}"
        if column.is_open:
            heading += f"  weighted {column.weighted_text()} ({stage.probability}%)"
        lines.append(display_safe(heading))
        if column.is_open:
            lines.extend("  " + _card_line(deal, stage, now) for deal in column.deals)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _count_text(column: Column) -> str:
    """`12 deals`, or `12/15 deals` against a WIP limit (`⚠ 15/15 deals, full` at a hard one)."""
    count, limit = len(column.deals), column.stage.wip
    if limit is None or not column.is_open:
        return f"{count} deals"
    shown = f"{count}/{limit.max} deals"
    if count < limit.max:
        return shown
    return f"⚠ {shown}, full" if limit.hard else f"⚠ {shown}"


def _card_line(deal: DealSummary, stage: StageRecord, now: datetime) -> str:
    today = now.astimezone().date()
    flags = [badge.text for badge in deal_badges(deal, stage, now)]
    if deal.open_objections:
        flags.append(f"{deal.open_objections} obj")
    return (
        f"#{deal.id:<4} {fit(deal.title, 34)} {fit(deal.account, 18)} "
        f"{fit(format_compact(deal.value_minor, deal.currency), 8)} {fit(deal.owner, 8)} "
        f"{days_in_stage(deal, today):>3}d {fit(checklist_progress(deal), 4)} {' '.join(flags)}"
    ).rstrip()
