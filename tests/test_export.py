"""`dealboard export` and restoring a JSON export: the whole board out, and back the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, ProgrammingError

from dealboard.db.base import Base
from dealboard.db.database import Database
from dealboard.db.models import Goal, Pipeline, PipelineRevision, SavedView, User
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.domain.demo import seed_demo
from dealboard.domain.exchange.board_json import HEADER_KEYS
from dealboard.domain.exchange.csv_export import neutralise
from dealboard.domain.exchange.restore import existing_rows
from dealboard.domain.reports import REPORTS
from dealboard.domain.research import ResearchFields
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name
from test_import_csv import PIPEDRIVE, Desk, desk, utc  # noqa: F401 - fixtures by name


@pytest.fixture
def empty(empty_db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The CLI on a database with no tables yet: where a JSON export is restored."""
    return Cli(empty_db_url, capsys)


def printed(cli: Cli, *args: str) -> str:  # noqa: F811
    code, out, err = cli("export", *args)
    assert (code, err) == (0, "")
    return out


def exported(cli: Cli, *args: str) -> dict[str, Any]:  # noqa: F811
    return json.loads(printed(cli, *args))


def saved(desk: Desk, name: str = "board.json", *args: str) -> Path:  # noqa: F811
    """The export written to a file in the test's folder, which the command names."""
    path = desk.folder / name
    code, out, err = desk.cli("export", *args, "-o", str(path))
    assert (code, out, err) == (0, f"exported to {path}\n", "")
    return path


def restored(empty: Cli, path: Path, *args: str, user: str = "maria") -> str:
    code, out, err = empty("import", str(path), *args, user=user)
    assert (code, err) == (0, "")
    return out


def rows_in(url: URL) -> dict[str, int]:
    """Tables of the database at `url` that hold rows (it may have no schema yet)."""
    database = Database(url)
    try:
        with database.read() as read:
            return existing_rows(read)
    except (OperationalError, ProgrammingError):  # no tables: nothing was created
        return {}
    finally:
        database.dispose()


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def busy_board(desk: Desk) -> None:  # noqa: F811
    """The demo team's deals, an imported file, an undo and a redo: every table has rows."""
    board = desk.board
    seed_demo(board, "seven-step")
    desk.imported(PIPEDRIVE)
    deal = board.add_deal(
        DealFields(title="Kiosks ⚡ «Zürich»", value="EUR 1,200.50", add_tags=("q4",))
    )
    board.save_research(deal, ResearchFields(free_text="line one\n\tline two", pain_points="x"))
    board.add_stakeholder(deal, name="Ana Ng", role="CFO", influence="high", stance="champion")
    objection = board.add_objection(deal, category="cost", text="Too dear", hidden=True)
    board.answer_objection(objection, "Payment plan")
    board.add_activity(deal, kind="call", subject="Intro", done=True, reached=True)
    board.set_bant(deal, "budget", "yes", "confirmed")
    board.move(deal, "Qualify", override="known customer")
    board.undo()
    board.redo()
    process_records(board)


def process_records(board: Board) -> None:
    """Rows for the tables of goals, saved views, pipeline revisions, WIP and nurture days."""
    with board.database.write() as session:
        maria = session.scalars(select(User).where(User.name == "maria")).one()
        pipeline = session.scalars(select(Pipeline)).first()
        assert pipeline is not None
        pipeline.nurture_days = 45
        stage = pipeline.stages[1]
        stage.wip_max, stage.wip_hard = 12, True
        session.add(
            Goal(
                user_id=None,
                month="2026-11",
                amount_minor=5_000_000,
                currency="USD",
                set_by_id=maria.id,
                set_at=board.now(),
            )
        )
        session.add(
            Goal(
                user_id=maria.id,
                month="2026-12",
                amount_minor=900_000,
                currency="USD",
                set_by_id=maria.id,
                set_at=board.now(),
            )
        )
        session.add(
            SavedView(
                user_id=maria.id, name="Hot Q4", query="owner:maria #q4", created_at=board.now()
            )
        )
        changes = [
            {
                "stage_id": stage.id,
                "stage": stage.name,
                "what": "wip",
                "before": None,
                "after": "12 (hard)",
            }
        ]
        session.add(
            PipelineRevision(
                pipeline_id=pipeline.id,
                number=1 + len(session.scalars(select(PipelineRevision.id)).all()),
                at=board.now(),
                user_id=maria.id,
                changes=json.dumps(changes),
            )
        )


def test_the_json_export_names_its_format_and_holds_every_table(desk: Desk) -> None:  # noqa: F811
    busy_board(desk)
    data = exported(desk.cli)
    tables = [t.name for t in Base.metadata.sorted_tables]
    assert list(data) == [*HEADER_KEYS, *tables]
    assert (data["format"], data["format_version"], data["pipeline"]) == ("dealboard", 1, None)
    assert data["exported_at"] == "2026-11-20T15:00:00+00:00"
    assert data["schema_revision"]
    assert all(data[t] for t in tables), [t for t in tables if not data[t]]
    deal = next(d for d in data["deals"] if d["title"] == "Kiosks ⚡ «Zürich»")
    assert (deal["value_minor"], deal["currency"], deal["contact_type"]) == (
        120050,
        "EUR",
        "Suspect",
    )
    assert deal["created_at"] == "2026-11-20T15:00:00+00:00"
    assert [d["id"] for d in data["deals"]] == sorted(d["id"] for d in data["deals"])


def test_export_then_import_into_an_empty_database_gives_the_same_board_and_reports(
    desk: Desk,  # noqa: F811
    empty: Cli,
    empty_db_url: URL,
) -> None:
    board = desk.board
    busy_board(desk)
    path = saved(desk)
    out = restored(empty, path, user="someone-else")
    assert out.startswith(f"{path}: restored 1 pipeline, 6 users, ")
    assert without_time(exported(empty)) == without_time(json.loads(path.read_text()))
    restored_board = open_board(empty_db_url, "maria", desk.clock, first_template=None, create=True)
    try:
        for name in REPORTS:
            window = {"since": "2020-01-01"}  # losses cannot yet count undated losses
            assert restored_board.report(name, **window) == board.report(name, **window), name
        assert restored_board.list_deals(include_closed=True) == board.list_deals(
            include_closed=True
        )
        for deal in board.list_deals(include_closed=True):
            assert restored_board.deal(deal.id) == board.deal(deal.id)
        assert restored_board.log(limit=10_000) == board.log(limit=10_000)
        # The restored board goes on: undo still works, new rows get fresh ids.
        assert restored_board.undo().deal_id is not None
        new = restored_board.add_deal(DealFields(title="After the move"))
        assert new == max(d.id for d in board.list_deals(include_closed=True)) + 1
    finally:
        restored_board.database.dispose()


def test_a_json_import_into_a_database_that_holds_anything_is_refused(desk: Desk) -> None:  # noqa: F811
    desk.board.add_deal(DealFields(title="Fleet"))
    path = saved(desk)
    _, (first, last) = desk.refused(path)
    assert first.startswith(f"{path}: this database already holds data (1 pipelines")
    assert first.endswith(
        "a JSON export is restored into an empty database only, so every id stays the same: "
        "name a new one with --db"
    )
    assert last == f"dealboard: {path} was not imported (1 problem); nothing was written"


def test_a_dry_run_restore_checks_everything_and_writes_nothing(
    desk: Desk,  # noqa: F811
    empty: Cli,
    empty_db_url: URL,
) -> None:
    desk.board.add_deal(DealFields(title="Fleet"))
    out = restored(empty, saved(desk), "--dry-run")
    assert out.splitlines()[-1] == "dry run: nothing was written"
    assert "would restore 1 pipeline, 1 user, 1 deal" in out
    assert rows_in(empty_db_url) == {}


def _broken(document: dict[str, Any], change: str) -> None:
    deal = document["deals"][0]
    if change == "format":
        del document["format"]
    elif change == "version":
        document["format_version"] = 2
    elif change == "escape":
        deal["title"] = "\x1b]52;c;ZXZpbA==\x07"
    elif change == "reference":
        deal["stage_id"] = 999
    elif change == "type":
        deal["value_minor"] = "12"
    elif change == "word":
        deal["contact_type"] = "Friend"
    elif change == "naive":
        deal["created_at"] = "2026-11-20T15:00:00"
    elif change == "table":
        document["sprockets"] = []
    elif change == "column":
        deal["colour"] = "red"
    elif change == "older":
        document["schema_revision"] = "0001"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("format", 'not a dealboard export (it has no "format": "dealboard")'),
        ("version", "format_version: 2 is not 1; upgrade dealboard to import it"),
        ("escape", "deals[0] (id 1): title contains U+001B, a control character"),
        ("reference", "deals[0]: stage_id 999 refers to no row of stages in the file"),
        ("type", 'deals[0] (id 1): value_minor: "12" is not a whole number'),
        ("word", 'deals[0] (id 1): contact_type: "Friend" is not one of Suspect, Prospect'),
        ("naive", 'deals[0] (id 1): created_at: "2026-11-20T15:00:00" has no time zone'),
        ("table", "sprockets: not a table dealboard knows"),
        ("column", "deals[0] (id 1): 'colour' is not a column of deals"),
        ("older", "schema_revision: '0001' is older than this dealboard's"),
    ],
)
def test_a_damaged_json_export_is_refused_naming_the_row_and_column(
    desk: Desk,  # noqa: F811
    empty: Cli,
    empty_db_url: URL,
    change: str,
    message: str,
) -> None:
    desk.board.add_deal(DealFields(title="Fleet"))
    document = exported(desk.cli)
    _broken(document, change)
    path = desk.folder / "board.json"
    path.write_text(json.dumps(document))
    code, out, err = empty("import", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith(f"{path}: {message}")
    assert rows_in(empty_db_url) == {}


def test_a_json_syntax_error_names_line_and_column(
    board: Board, tmp_path: Path, empty: Cli
) -> None:
    path = tmp_path / "board.json"
    path.write_text('{\n  "format": "dealboard",\n  "deals": [,]\n}\n')
    code, _, err = empty("import", str(path))
    assert code == 2
    assert err.splitlines()[0] == f"{path}:3: column 13: not valid JSON (Expecting value)"


def test_one_pipeline_exports_with_its_deals_and_history_and_restores_alone(
    desk: Desk,  # noqa: F811
    empty: Cli,
) -> None:
    board = desk.board
    board.add_template("milestones")
    kept = board.add_deal(DealFields(title="Milestone deal"), pipeline="milestones")
    board.move(kept, "Qualify", override="test")
    other = board.add_deal(DealFields(title="Seven-step deal"))
    board.move(other, "Qualify", override="test")
    data = exported(desk.cli, "--pipeline", "milestones")
    assert data["pipeline"] == "milestones"
    assert [p["name"] for p in data["pipelines"]] == ["milestones"]
    assert [d["title"] for d in data["deals"]] == ["Milestone deal"]
    assert {r["deal_id"] for r in data["audit_log"]} == {kept, None}
    assert {r["deal_id"] for r in data["changes"]} == {kept, None}
    assert [u["name"] for u in data["users"]] == ["maria"]
    path = desk.folder / "milestones.json"
    path.write_text(json.dumps(data))
    assert "(pipeline milestones)" in restored(empty, path)
    assert without_time(exported(empty)) | {"pipeline": "milestones"} == without_time(data)


def test_the_csv_export_is_one_row_per_deal_with_headers_import_reads(desk: Desk) -> None:  # noqa: F811
    desk.imported(PIPEDRIVE)
    out = printed(desk.cli, "--format", "csv")
    assert not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    kiosk = next(r for r in rows if r["Title"] == 'Kiosk "Pilot"')
    assert {k: kiosk[k] for k in ("Value", "Currency", "Stage", "Status", "Owner")} == {
        "Value": "12500.50",
        "Currency": "EUR",
        "Stage": "Won",
        "Status": "won",
        "Owner": "jose.nunez",
    }
    assert kiosk["Closed"] == "2026-10-20T14:00:00+00:00"
    _, out = desk.imported(out, "--dry-run", name="again.csv")
    assert "skipped columns: 'ID' (no matching field)" in out
    assert "4 deals would be imported" in out


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(desk: Desk) -> None:  # noqa: F811
    board = desk.board
    board.add_deal(
        DealFields(
            title='=HYPERLINK("http://evil.example","Click")',
            account="+1 555 0100",
            contact="-2+3",
            source="@SUM(A1)",
            next_step="'=already quoted",
        )
    )
    out = printed(desk.cli, "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["Title"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert (row["Account"], row["Contact"], row["Source"]) == ("'+1 555 0100", "'-2+3", "'@SUM(A1)")
    assert row["Next step"] == "''=already quoted"
    assert (neutralise("\tcmd"), neutralise("\rcmd"), neutralise("plain")) == (
        "'\tcmd",
        "'\rcmd",
        "plain",
    )
    # and reading the file back gives the text as it was typed
    desk.imported(out, "--map", "ID=skip", name="export.csv")
    copy = board.list_deals(include_closed=True)[-1]
    assert (copy.title, copy.account, copy.contact, copy.source, copy.next_step) == (
        '=HYPERLINK("http://evil.example","Click")',
        "+1 555 0100",
        "-2+3",
        "@SUM(A1)",
        "'=already quoted",
    )


def test_export_to_a_file_writes_it_whole_with_a_bom_for_spreadsheets(desk: Desk) -> None:  # noqa: F811
    desk.board.add_deal(DealFields(title="Café"))
    (desk.folder / "deals.csv").write_text("old content")
    target = saved(desk, "deals.csv", "--format", "csv")
    assert target.read_bytes().startswith(b"\xef\xbb\xbfID,Title,")
    assert [p.name for p in desk.folder.iterdir() if p.name.startswith(".")] == []
    assert saved(desk).read_bytes().startswith(b"{")
    code, _, err = desk.cli("export", "-o", str(desk.folder / "missing" / "x.json"))
    assert code == 2
    assert err.startswith("dealboard: --output: ")
