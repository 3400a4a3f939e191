"""Prints how long `dealboard import` takes for a large CRM export (a figure, not a test).

Run: `python tests/benchmarks/import_csv.py [ROWS] [--db URL]`. Writes a CSV of
ROWS deals (default 100,000) the way a CRM exports them — quoted values,
thousands separators, day/month dates, several owners, a third of the deals
won or lost — then imports it into a throwaway SQLite board (or the given
URL) through the command line, and exports the board again. The target is
100,000 rows in under 15 s on SQLite.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from dealboard.cli.main import main as dealboard

HEADERS = [
    "Deal Name",
    "Amount",
    "Deal Stage",
    "Status",
    "Deal owner",
    "Company",
    "Contact",
    "Lead Source",
    "Close Date",
    "Create Date",
    "Closed Date",
    "Closed Lost Reason",
    "Tags",
    "Record ID",
]
STAGES = ["Prospect", "Qualify", "Research", "Pitch", "Overcome Objections", "Close"]
OWNERS = [f"{first} {last}" for first in ("Ana", "Ben", "Chloé", "Dev") for last in ("Ng", "Roe")]
REASONS = ["Price too high", "Went with a competitor", "", "No decision", "Timing"]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A HubSpot-like export: one deal per row."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for number in range(rows):
            created = start + timedelta(days=rng.randrange(0, 900))
            status = rng.choices(["open", "won", "lost"], weights=(6, 2, 2))[0]
            closed = created + timedelta(days=rng.randrange(1, 60)) if status != "open" else None
            writer.writerow(
                [
                    f"Deal {number} — {rng.choice(['Fleet', 'Kiosk', 'Renewal', 'Pilot'])}",
                    f"{rng.randrange(500, 500_000):,}.{rng.randrange(100):02d}",
                    rng.choice(STAGES),
                    status,
                    rng.choice(OWNERS),
                    f"Account {rng.randrange(5000)}",
                    f"Contact {rng.randrange(20000)}",
                    rng.choice(["Web", "Referral", "Event", ""]),
                    (created + timedelta(days=90)).strftime("%d/%m/%Y"),
                    created.strftime("%d/%m/%Y") + " 09:30",
                    closed.strftime("%d/%m/%Y") if closed else "",
                    rng.choice(REASONS) if status == "lost" else "",
                    rng.choice(["q4", "q4, enterprise", "", "smb"]),
                    str(100000 + number),
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int, nargs="?", default=100_000)
    parser.add_argument("--db", help="SQLAlchemy URL of an empty database to fill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = (
            make_url(args.db)
            if args.db
            else URL.create("sqlite+pysqlite", database=str(Path(folder) / "bench.sqlite3"))
        )
        db = url.render_as_string(hide_password=False)
        source = Path(folder) / "deals.csv"
        write_csv(source, args.rows)
        size = source.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size:.1f} MB: {source.name}")
        if dealboard(["--db", db, "init"]) != 0:
            raise SystemExit("could not create the board")
        start, cpu = time.perf_counter(), time.process_time()
        code = dealboard(["--db", db, "import", str(source)])
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        if code != 0:
            raise SystemExit(f"import failed with exit code {code}")
        print(f"import {args.rows:,} rows: {took:.1f} s ({cpu:.1f} s of CPU)")
        for fmt in ("json", "csv"):
            start = time.perf_counter()
            out = Path(folder) / f"board.{fmt}"
            dealboard(["--db", db, "export", "--format", fmt, "-o", str(out)])
            took = time.perf_counter() - start
            print(f"export {fmt}: {took:.1f} s, {out.stat().st_size / 1e6:.1f} MB")
        restored = URL.create("sqlite+pysqlite", database=str(Path(folder) / "restored.sqlite3"))
        start = time.perf_counter()
        target = restored.render_as_string(hide_password=False)
        code = dealboard(["--db", target, "import", str(Path(folder) / "board.json")])
        print(f"restore the JSON export into an empty board: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
