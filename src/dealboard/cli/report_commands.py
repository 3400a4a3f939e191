"""`dealboard report NAME`: the manager's questions answered for people and scripts.

`report funnel|stages|velocity|forecast|losses|cohorts|owners [--pipeline P]
[--since WHEN] [--until WHEN] [--owner U] [--tag T] [--format table|json|md|csv]`
and `report change [--pipeline P] [--revision N] [--owner U] [--tag T] [--format …]`
prints one of `dealboard.domain.reports.REPORTS` (`sources` is another name for
`cohorts`). Definitions live in each report's domain module; the JSON of every
one of them is documented key by key in `dealboard.cli.report_json`, and the
table, Markdown and CSV forms in `dealboard.cli.report_render`.

`report sla [--pipeline P] [--since WHEN] [--until WHEN] [--format table|json]`
prints one row per owner and a team row (definitions: `dealboard.domain.sla`
and `dealboard.domain.sla_report`). Its JSON is one object with these keys:

- `report`: `"sla"`; `generated_at`, `since`, `until`: ISO 8601 instants (UTC);
  leads are the deals created in `[since, until)`.
- `pipeline`: the pipeline asked for, or null for all.
- `rules`: per pipeline, `{pipeline, speed_to_lead_minutes, follow_up: [{stage,
  attempts, days}]}`.
- `owners`: rows, by owner login; `team`: the same keys for everyone, `owner` null.
  A row: `owner`, `display_name`, `leads`, `responded`,
  `median_first_response_seconds` (null when no lead was touched), `within_sla`,
  `judged`, `within_sla_percent` (one decimal; null when nothing was judged),
  `open_breaches` (deals), `no_touch`, `follow_up_late`, `quiet`,
  `step_missing_or_late`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from dealboard.cli.output import cell_width, dumps, fit
from dealboard.cli.parser import OneLineParser
from dealboard.cli.report_json import report_json
from dealboard.cli.report_render import csv_text, markdown_text, table_text
from dealboard.cli.report_views import report_view
from dealboard.cli.session import board_from
from dealboard.domain.reports import REPORTS, Report, ReportSpec
from dealboard.domain.sla import response_time_text
from dealboard.domain.sla_report import (
    DEFAULT_WINDOW_DAYS,
    OwnerSla,
    PipelineRules,
    SlaReport,
)
from dealboard.domain.text import display_safe

_SLA_HELP = f"""\
One row per owner, then the team:
  LEADS          deals created in the window (by default the last {DEFAULT_WINDOW_DAYS} days),
                 counted for whoever owns them now
  1ST RESPONSE   median time from a lead's creation to its first touch
                 (a call, email, meeting or social touch logged as done; not a note)
  IN SLA         leads first touched within the pipeline's speed to lead, out of
                 the leads that can be judged (touched, or untouched past the minutes)
  BREACHES       open deals breaking an SLA now, whenever created: no touch yet
                 past the speed to lead, or the follow-up window over with attempts
                 missing and no reply
  QUIET          open deals with no activity for longer than their stage allows
  NO/LATE STEP   open deals without a next step, or with one past due

--since and --until take a duration ago (30m, 24h, 7d, 2w) or a day
(2026-11-01, today, yesterday); a day given to --until is included."""


def report_arguments(report: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard report sla` and one command per report in `REPORTS`."""
    reports = report.add_subparsers(
        title="reports", metavar="REPORT", parser_class=OneLineParser, required=True
    )
    sla = reports.add_parser(
        "sla",
        parents=[common],
        help="speed to lead, follow-up and breaches per owner",
        description="Service levels per owner: how fast new leads were answered, "
        "and which deals break an SLA now.",
        epilog=_SLA_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sla.add_argument("--pipeline", metavar="P", help="only this pipeline (default: all)")
    sla.add_argument(
        "--since",
        metavar="WHEN",
        help=f"leads created from then (default: {DEFAULT_WINDOW_DAYS}d ago)",
    )
    sla.add_argument(
        "--until",
        metavar="WHEN",
        help="leads created before then (default: now; a day is included)",
    )
    sla.add_argument("--format", choices=("table", "json"), default="table")
    sla.set_defaults(handler=show_sla)
    for spec in REPORTS.values():
        if spec.name == "change":
            _add_change_report(reports, common, spec)
        else:
            _add_report(reports, common, spec)


_WINDOW_HELP = """\
The window is [--since, --until); unbounded unless given. Each takes a
duration ago (30d, 2w) or a day (2026-11-01, today); a day given to --until
is included. This report's window selects: {window}.
Money is per currency in minor units in JSON, never converted; every rate is
shown with its sample size. JSON keys are documented in `dealboard.cli.report_json`."""


def _add_report(reports: Any, common: argparse.ArgumentParser, spec: ReportSpec) -> None:
    parser = reports.add_parser(
        spec.name,
        aliases=list(ALIASES.get(spec.name, ())),
        parents=[common],
        help=spec.question,
        description=f"{spec.title}: {spec.question}.",
        epilog=_WINDOW_HELP.format(window=spec.window),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pipeline", metavar="P", help="which pipeline (default: the first)")
    parser.add_argument("--since", metavar="WHEN", help="start of the window (default: none)")
    parser.add_argument("--until", metavar="WHEN", help="end of the window (default: none)")
    parser.add_argument("--owner", metavar="U", help="only deals owned by U now (login or name)")
    parser.add_argument("--tag", metavar="T", help="only deals tagged T")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(handler=show_report, report_name=spec.name)


_CHANGE_HELP = """\
For each stage the revision touched (a pipeline-wide change such as the SLA:
the first open stage), deals are split by when they first entered the stage.
Moved on and time in stage judge each deal over its first 30 days in the
stage: deals that entered under 30 days ago are waiting, and deals that
entered in the 30 days before the revision lived under both processes and are
left out. Win rate and cycle count the deals that passed the stage and have
closed. Verdicts: two-proportion z-test (rates) and Mann-Whitney U (times),
better or worse when p < 0.05, no verdict with fewer than 20 deals a side.
Definitions: `dealboard.domain.reports.change`; JSON keys: `dealboard.cli.report_json`."""


def _add_change_report(reports: Any, common: argparse.ArgumentParser, spec: ReportSpec) -> None:
    """`report change [--pipeline P] [--revision N] [--owner U] [--tag T] [--format …]`."""
    parser = reports.add_parser(
        spec.name,
        parents=[common],
        help=spec.question,
        description=f"{spec.title}: {spec.question}.",
        epilog=_CHANGE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pipeline", metavar="P", help="which pipeline (default: the first)")
    parser.add_argument(
        "--revision",
        metavar="N",
        type=int,
        help="which revision (default: the latest; see `dealboard pipeline revisions`)",
    )
    parser.add_argument("--owner", metavar="U", help="only deals owned by U now (login or name)")
    parser.add_argument("--tag", metavar="T", help="only deals tagged T")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(handler=show_report, report_name=spec.name, since=None, until=None)


#: Other names a report answers to on the command line.
ALIASES = {"cohorts": ("sources",)}
FORMATS = ("table", "json", "md", "csv")


def show_report(args: argparse.Namespace) -> int:
    """Run the report and print it in the format asked for."""
    if args.report_name == "change":
        report: Report = board_from(args).change_report(
            args.revision, pipeline=args.pipeline, owner=args.owner, tag=args.tag
        )
    else:
        report = board_from(args).report(
            args.report_name,
            pipeline=args.pipeline,
            since=args.since,
            until=args.until,
            owner=args.owner,
            tag=args.tag,
        )
    if args.format == "json":
        print(dumps(report_json(args.report_name, report)))
        return 0
    view = report_view(args.report_name, report)
    render = {"table": table_text, "md": markdown_text, "csv": csv_text}[args.format]
    print(render(view))
    return 0


def show_sla(args: argparse.Namespace) -> int:
    report = board_from(args).sla_report(args.pipeline, args.since, args.until)
    if args.format == "json":
        print(dumps(sla_json(report)))
    else:
        print(sla_table(report))
    return 0


def sla_json(report: SlaReport) -> dict[str, Any]:
    """The documented JSON object of `report sla`."""
    return {
        "report": "sla",
        "generated_at": _utc(report.now),
        "since": _utc(report.since),
        "until": _utc(report.until),
        "pipeline": report.pipeline,
        "rules": [_rules_json(r) for r in report.rules],
        "owners": [_row_json(row) for row in report.owners],
        "team": _row_json(report.team),
    }


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _rules_json(rules: PipelineRules) -> dict[str, Any]:
    return {
        "pipeline": rules.pipeline,
        "speed_to_lead_minutes": rules.speed_to_lead_minutes,
        "follow_up": [
            {"stage": f.stage, "attempts": f.attempts, "days": f.days} for f in rules.follow_up
        ],
    }


def _row_json(row: OwnerSla) -> dict[str, Any]:
    median = row.median_first_response
    percent = row.within_sla_percent
    return {
        "owner": row.owner,
        "display_name": row.display_name,
        "leads": row.leads,
        "responded": row.responded,
        "median_first_response_seconds": round(median.total_seconds()) if median else None,
        "within_sla": row.within_sla,
        "judged": row.judged,
        "within_sla_percent": round(percent, 1) if percent is not None else None,
        "open_breaches": row.open_breaches,
        "no_touch": row.no_touch,
        "follow_up_late": row.follow_up_late,
        "quiet": row.quiet,
        "step_missing_or_late": row.step_missing_or_late,
    }


_HEADERS = ("OWNER", "LEADS", "1ST RESPONSE", "IN SLA", "BREACHES", "QUIET", "NO/LATE STEP")
_WIDTHS = (15, 5, 12, 11, 8, 5, 12)


def sla_table(report: SlaReport) -> str:
    """The heading (window and rules), one line per owner, a rule, the team line."""
    local = "%Y-%m-%d %H:%M"
    scope = f"pipeline {report.pipeline}" if report.pipeline else "all pipelines"
    lines = [
        display_safe(
            f"SLA report · {scope} · leads created {report.since.astimezone():{local}} "
            f"→ {report.until.astimezone():{local}}"
        ),
        *(display_safe(rules_line(r)) for r in report.rules),
        "",
        _line(_HEADERS),
    ]
    lines += [_line(_cells(row)) for row in report.owners]
    if not report.owners:
        lines.append("no leads in the window and no open deals")
    lines.append("─" * (sum(_WIDTHS) + 2 * (len(_WIDTHS) - 1)))
    lines.append(_line(_cells(report.team)))
    return "\n".join(lines)


def rules_line(rules: PipelineRules) -> str:
    """`seven-step: first touch within 5 min; Prospect: 5 attempts in 14 days`."""
    parts = [
        f"first touch within {rules.speed_to_lead_minutes} min"
        if rules.speed_to_lead_minutes is not None
        else "no speed to lead set"
    ]
    parts += [f"{f.stage}: {f.attempts} attempts in {f.days} days" for f in rules.follow_up]
    return f"{rules.pipeline}: " + "; ".join(parts)


def percent_text(row: OwnerSla) -> str:
    """`67% (2/3)`, or `—` when no lead could be judged."""
    percent = row.within_sla_percent
    if percent is None:
        return "—"
    return f"{round(percent)}% ({row.within_sla}/{row.judged})"


def _cells(row: OwnerSla) -> tuple[str, ...]:
    return (
        row.display_name,
        str(row.leads),
        response_time_text(row.median_first_response),
        percent_text(row),
        str(row.open_breaches),
        str(row.quiet),
        str(row.step_missing_or_late),
    )


def _line(cells: tuple[str, ...]) -> str:
    """The owner cut to fit on the left; everything else right-aligned under its heading."""
    out = [fit(cells[0], _WIDTHS[0])]
    for cell, width in zip(cells[1:], _WIDTHS[1:], strict=True):
        text = display_safe(cell)
        out.append(" " * max(width - cell_width(text), 0) + text)
    return "  ".join(out).rstrip()
