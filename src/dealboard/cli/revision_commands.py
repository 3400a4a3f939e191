"""`dealboard pipeline revisions [--pipeline P] [--format table|json]`: the process changes.

Each import of a changed pipeline file that changed the process is a revision
(`dealboard.domain.revisions`): numbered per pipeline, with who imported it and
when. `report change --revision N` compares deals before and after one.

The JSON is a list, oldest first, of `{"pipeline", "number", "at"` (ISO 8601,
UTC)`, "user"` (login)`, "user_display", "changes"}`; each change is `{"stage"`
(null: pipeline-wide)`, "what", "before", "after"}`.
"""

from __future__ import annotations

import argparse
from datetime import UTC
from typing import Any

from dealboard.cli.output import dumps
from dealboard.cli.session import board_from
from dealboard.domain.revisions import RevisionRecord
from dealboard.domain.text import display_safe


def revision_arguments(actions: Any, common: argparse.ArgumentParser) -> None:
    """Add `revisions` to the `pipeline` commands."""
    revisions = actions.add_parser(
        "revisions",
        parents=[common],
        help="process changes recorded by pipeline imports",
        description="Every import that changed the pipeline's process: what, who and when. "
        "Compare before and after one with `dealboard report change --revision N`.",
    )
    revisions.add_argument("--pipeline", metavar="P", help="which pipeline (default: the first)")
    revisions.add_argument("--format", choices=("table", "json"), default="table")
    revisions.set_defaults(handler=show_revisions)


def show_revisions(args: argparse.Namespace) -> int:
    found = board_from(args).revisions(args.pipeline)
    if args.format == "json":
        print(dumps([revision_json(r) for r in found]))
        return 0
    if not found:
        print("no revisions yet: import a changed pipeline file to record one")
        return 0
    lines: list[str] = []
    for revision in found:
        when = f"{revision.at.astimezone():%Y-%m-%d %H:%M}"
        lines.append(f"#{revision.number}  {when}  {revision.user} ({revision.user_display})")
        lines += [f"    {change.text}" for change in revision.changes]
    print("\n".join(display_safe(line) for line in lines))
    return 0


def revision_json(revision: RevisionRecord) -> dict[str, Any]:
    """The documented object of one revision."""
    return {
        "pipeline": revision.pipeline,
        "number": revision.number,
        "at": revision.at.astimezone(UTC).isoformat(),
        "user": revision.user,
        "user_display": revision.user_display,
        "changes": [
            {"stage": c.stage, "what": c.what, "before": c.before, "after": c.after}
            for c in revision.changes
        ],
    }
