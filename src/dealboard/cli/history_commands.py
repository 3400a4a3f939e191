"""`dealboard log | undo | redo`: the board's history, and taking your own last change back."""

from __future__ import annotations

import argparse
from typing import Any

from dealboard.cli.output import dumps, fit
from dealboard.cli.session import board_from
from dealboard.domain.history import DEFAULT_LIMIT, HistoryEntry
from dealboard.domain.text import display_safe
from dealboard.domain.times import local_minute, readable_value
from dealboard.domain.undo import UndoResult


def log_arguments(log: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard log [--since WHEN] [--user U] [--deal ID] [--limit N]`."""
    log.add_argument("--since", metavar="WHEN", help="30m, 24h, 7d, 2w, or a date (2026-11-20)")
    log.add_argument("--user", metavar="U", help="only this person's changes")
    log.add_argument("--deal", metavar="ID", help="only this deal's changes")
    log.add_argument(
        "--limit",
        metavar="N",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"the newest N changes (default {DEFAULT_LIMIT})",
    )
    log.add_argument("--format", choices=("table", "json"), default="table")
    log.set_defaults(handler=show_log)


def undo_arguments(undo: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard undo`."""
    undo.set_defaults(handler=undo_change)


def redo_arguments(redo: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard redo`."""
    redo.set_defaults(handler=redo_change)


def show_log(args: argparse.Namespace) -> int:
    entries = board_from(args).log(
        since=args.since, user=args.user, deal=args.deal, limit=args.limit
    )
    if args.format == "json":
        print(dumps([_entry_json(e) for e in entries]))
        return 0
    if not entries:
        print("no changes recorded" + (" in that window" if args.since else ""))
    for entry in entries:
        print(log_line(entry))
    return 0


def log_line(entry: HistoryEntry) -> str:
    """`2026-11-20 15:00  maria     deal 12 Lab results portal · stage: Qualify → Research`."""
    when = local_minute(entry.at)
    subject = (
        f"deal {entry.deal_id} {display_safe(entry.deal_title or '')}".rstrip()
        if entry.deal_id is not None
        else f"{entry.entity} {entry.entity_id}"
    )
    what = entry.field.replace("_", " ")
    if entry.entity not in ("deal", "checklist") or entry.deal_id is None:
        what = f"{entry.entity} {what}"
    old, new = _shown(entry.old_value), _shown(entry.new_value)
    change = new if entry.old_value is None else f"{old} → {new}"
    marker = f" ({entry.kind})" if entry.kind != "do" else ""
    return f"{when}  {fit(entry.user, 10)}{subject} · {what}: {change}{marker}"


def _shown(value: str | None) -> str:
    if value is None or value == "":
        return "—"
    text = display_safe(readable_value(value) or "").replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def _entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "user": entry.user,
        "kind": entry.kind,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "deal_id": entry.deal_id,
        "deal_title": entry.deal_title,
        "field": entry.field,
        "old": entry.old_value,
        "new": entry.new_value,
    }


def _said(result: UndoResult) -> int:
    print(result.description)
    return 0


def undo_change(args: argparse.Namespace) -> int:
    return _said(board_from(args).undo())


def redo_change(args: argparse.Namespace) -> int:
    return _said(board_from(args).redo())
