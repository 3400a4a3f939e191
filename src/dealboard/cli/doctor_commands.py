"""`dealboard doctor`: checks the board's database is safe for a team, changes nothing."""

from __future__ import annotations

import argparse

from dealboard.cli.session import where
from dealboard.db.engine import resolve_database_url
from dealboard.db.health import Finding, Status, check_database, failed
from dealboard.domain.text import display_safe

#: How each status is shown; a failure stands out in capitals.
_LABELS = {Status.OK: "ok", Status.WARN: "warn", Status.FAIL: "FAIL"}


def doctor_arguments(doctor: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard doctor [--full]`."""
    doctor.add_argument(
        "--full",
        action="store_true",
        help="run SQLite's full integrity check (every index against its table; slower on a "
        "big board) instead of the quick check",
    )
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    """Print every finding; exit 1 when any check failed."""
    findings = check_database(resolve_database_url(args.db), full=args.full)
    print(_one_line(f"checking {where(args)}"))
    for finding in findings:
        print(finding_text(finding))
    print(summary(findings))
    return 1 if failed(findings) else 0


def finding_text(finding: Finding) -> str:
    """`  warn  name: explanation` and, when there is one, an indented `fix:` line."""
    line = f"  {_LABELS[finding.status]:<4}  {finding.name}: {_one_line(finding.detail)}"
    if finding.fix and finding.status is not Status.OK:
        line += f"\n        fix: {_one_line(finding.fix)}"
    return line


def summary(findings: list[Finding]) -> str:
    """One closing line counting failures and warnings."""
    fails = sum(f.status is Status.FAIL for f in findings)
    warns = sum(f.status is Status.WARN for f in findings)
    if not fails and not warns:
        return "all checks passed"
    parts = []
    if fails:
        parts.append(f"{fails} failed")
    if warns:
        parts.append(f"{warns} warning{'s' if warns != 1 else ''}")
    return ", ".join(parts)


def _one_line(text: str) -> str:
    """Paths come from the user: no control character or line break reaches the terminal."""
    return display_safe(text).replace("\n", " ").replace("\t", " ")
