"""The command line as a script sees it: output, JSON, exit codes, nothing written on refusal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db import migrate
from dealboard.db.engine import build_engine
from dealboard.domain import identity
from dealboard.domain.board import Board


class Cli:
    """Runs `dealboard` in-process against one database as one user."""

    def __init__(self, url: URL, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url.render_as_string(hide_password=False)
        self.capsys = capsys

    def __call__(self, *args: str, user: str = "maria") -> tuple[int, str, str]:
        with pytest.MonkeyPatch.context() as patch:  # `user` is who is logged in
            patch.setattr(identity, "login_for", lambda _database: user)
            code = main(["--db", self.url, *args])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The CLI on the test board (opened first by the manager, maria)."""
    return Cli(db_url, capsys)


def deal_counts(cli: Cli) -> tuple[int, int]:
    code, out, _ = cli("deal", "list", "--all", "--format", "json")
    assert code == 0
    deals = json.loads(out)
    detail_lengths = 0
    for deal in deals:
        _, shown, _ = cli("deal", "show", str(deal["id"]), "--format", "json")
        detail_lengths += len(json.loads(shown)["history"])
    return len(deals), detail_lengths


def test_deal_add_prints_the_new_id_and_list_shows_it(cli: Cli) -> None:
    code, out, err = cli(
        "deal",
        "add",
        "--title",
        "Fleet rollout",
        "--value",
        "$48k",
        "--account",
        "Northwind",
        "--tag",
        "q4",
        "--close-date",
        "2026-12-15",
    )
    assert (code, err) == (0, "")
    deal_id = int(out)
    code, out, _ = cli("deal", "list", "--format", "json")
    [deal] = json.loads(out)
    assert deal["id"] == deal_id
    assert {
        k: deal[k]
        for k in (
            "title",
            "account",
            "stage",
            "status",
            "owner",
            "value",
            "currency",
            "expected_close",
        )
    } == {
        "title": "Fleet rollout",
        "account": "Northwind",
        "stage": "Prospect",
        "status": "open",
        "owner": "maria",
        "value": 4_800_000,
        "currency": "USD",
        "expected_close": "2026-12-15",
    }
    code, out, _ = cli("deal", "list")
    assert "Fleet rollout" in out and "USD 48,000.00" in out and "0/3" in out


def test_deal_show_json_carries_checklist_notes_objections_history(cli: Cli) -> None:
    _, out, _ = cli("deal", "add", "--title", "Pilot")
    deal_id = out.strip()
    assert cli("check", deal_id, "1")[0] == 0
    code, out, _ = cli("deal", "show", deal_id, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"checklist", "notes", "objections", "history"} <= data.keys()
    first = data["checklist"][0]
    assert (first["stage"], first["position"], first["checked"], first["by"]) == (
        "Prospect",
        1,
        True,
        "maria",
    )
    assert first["text"] == "Fits the target customer profile"
    assert data["history"][0]["to"] == "Prospect"
    code, out, _ = cli("deal", "show", deal_id)
    assert "1. [x] Fits the target customer profile" in out


def test_a_refused_move_exits_3_lists_the_criteria_and_writes_nothing(cli: Cli) -> None:
    _, out, _ = cli("deal", "add", "--title", "Pilot")
    deal_id = out.strip()
    before = deal_counts(cli)
    code, out, err = cli("move", deal_id, "Qualify")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Prospect: A contact person is known" in err
    assert deal_counts(cli) == before


def test_check_then_move_then_win_and_lose(cli: Cli) -> None:
    _, out, _ = cli("deal", "add", "--title", "Pilot")
    deal_id = out.strip()
    for item in ("1", "A contact person is known", "source"):
        assert cli("check", deal_id, item)[0] == 0
    code, out, _ = cli("move", deal_id, "Qualify")
    assert (code, out) == (0, f"deal {deal_id}: Prospect -> Qualify\n")
    assert cli("check", deal_id, "1", "--uncheck", "--stage", "Prospect")[0] == 0
    code, _, err = cli("win", deal_id)
    assert code == 3 and "Qualify: Budget confirmed" in err
    code, _, err = cli("lose", deal_id, "--reason", "bored")
    assert code == 2 and err.startswith("dealboard: reason: 'bored'")
    assert cli("lose", deal_id, "--reason", "price", "--note", "Too dear")[0] == 0
    _, out, _ = cli("deal", "show", deal_id, "--format", "json")
    data = json.loads(out)
    assert (data["status"], data["loss_reason"], data["loss_note"]) == ("lost", "price", "Too dear")


def test_override_is_for_managers(cli: Cli) -> None:
    assert cli("user", "add", "rick")[0] == 0
    _, out, _ = cli("deal", "add", "--title", "Pilot", user="rick")
    deal_id = out.strip()
    code, _, err = cli("move", deal_id, "Pitch", "--override", "because", user="rick")
    assert code == 3 and "only a manager" in err
    code, out, _ = cli("move", deal_id, "Pitch", "--override", "exec sponsor")
    assert code == 0 and "gate overridden" in out
    _, out, _ = cli("deal", "show", deal_id, "--format", "json")
    assert json.loads(out)["history"][0]["override_reason"] == "exec sponsor"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deal", "add", "--title", "X", "--value", "lots"), "value: 'lots' is not accepted"),
        (("deal", "add", "--title", ""), "title: "),
        (("deal", "add", "--title", "X", "--close-date", "soonish"), "close date: 'soonish'"),
        (("deal", "add", "--title", "X", "--stage", "Nowhere"), "stage: no stage 'Nowhere'"),
        (("deal", "add"), "required: --title"),
        (("deal", "edit", "77", "--title", "Y"), "deal: no deal 77"),
        (("move", "abc", "Qualify"), "deal: 'abc'"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli: Cli, args: tuple[str, ...], message: str) -> None:
    before = deal_counts(cli)
    code, _, err = cli(*args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert deal_counts(cli) == before


def test_deal_edit_changes_fields_and_guards_versions(cli: Cli) -> None:
    _, out, _ = cli("deal", "add", "--title", "Pilot")
    deal_id = out.strip()
    code, out, _ = cli(
        "deal",
        "edit",
        deal_id,
        "--value",
        "12.5k",
        "--next-step",
        "Call CFO",
        "--due",
        "tomorrow",
        "--if-version",
        "1",
    )
    assert code == 0 and "version 2" in out
    code, _, err = cli("deal", "edit", deal_id, "--title", "Other", "--if-version", "1")
    assert code == 4 and "since the version you gave; nothing was overwritten" in err
    assert "--if-version 2" in err and "Your text is kept" not in err
    _, out, _ = cli("deal", "show", deal_id, "--format", "json")
    data = json.loads(out)
    assert (data["title"], data["value"], data["next_step"]) == ("Pilot", 1_250_000, "Call CFO")


def test_pipeline_export_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("pipeline", "export", "seven-step")
    assert code == 0 and out.startswith('name = "seven-step"')
    edited = out.replace('"Source recorded"', '"Source recorded in the CRM"')
    path = tmp_path / "seven.toml"
    path.write_text(edited)
    code, out, _ = cli("pipeline", "import", str(path))
    assert (code, out) == (0, "pipeline seven-step updated (9 stages)\n")
    assert cli("pipeline", "export", "seven-step")[1] == edited
    path.write_text(edited.replace("probability = 10", "probability = 140", 1))
    code, _, err = cli("pipeline", "import", str(path))
    assert code == 2 and err.startswith("dealboard: stages[2].probability: 140")


def test_db_commands_report_the_schema(cli: Cli) -> None:
    code, out, _ = cli("db", "current")
    assert code == 0 and "(head)" in out
    code, out, _ = cli("db", "history")
    assert code == 0 and "<base> -> 0001" in out and "initial schema" in out
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "already at the newest schema" in out


def test_an_unreachable_database_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--db", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2", "deal", "list"]
    )
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("dealboard: cannot use the database")
    assert err.count("\n") == 1


@pytest.mark.slow
def test_python_dash_m_runs_and_never_shows_a_traceback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    subprocess.run([sys.executable, "-m", "dealboard", "--db", db, "init"], check=True, timeout=60)
    done = subprocess.run(
        [sys.executable, "-m", "dealboard", "--db", db, "move", "1", "Qualify"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "dealboard: deal: no deal 1\n"
    version = subprocess.run(
        [sys.executable, "-m", "dealboard", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert version.stdout.startswith("dealboard ")


def test_a_newer_database_is_refused_with_exit_1_and_left_alone(
    empty_db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate.upgrade(empty_db_url)
    db_url = empty_db_url  # its own database: the shared PostgreSQL template must stay at head
    cli = Cli(db_url, capsys)
    engine = build_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zzzz_future'"))
    engine.dispose()
    for args in (("deal", "list"), ("db", "current"), ("db", "upgrade")):
        code, out, err = cli(*args)
        assert code == 1
        assert out == ""
        assert err.startswith("dealboard: this database is at schema revision zzzz_future")
    assert migrate.schema_state(db_url).current == "zzzz_future"


def test_dealboard_alone_prints_the_board_with_totals(cli: Cli) -> None:
    cli("deal", "add", "--title", "Fleet rollout", "--value", "48k", "--stage", "Pitch")
    cli("deal", "add", "--title", "Clinic pilot", "--value", "12k", "--stage", "Pitch")
    code, out, _ = cli()
    assert code == 0
    assert "Pitch  2/6 deals  $60k  weighted" in out  # against its WIP limit
    assert "Fleet rollout" in out


def test_escape_sequences_never_reach_the_output(cli: Cli, db_url: URL) -> None:
    _, out, _ = cli("deal", "add", "--title", "Plain")
    engine = build_engine(db_url)  # a row written by another tool, bypassing validation
    with engine.begin() as connection:
        connection.execute(text("UPDATE deals SET account = :a"), {"a": "Evil\x1b]0;pwned\x07Co"})
    engine.dispose()
    for args in (("deal", "list"), ("deal", "show", out.strip()), ()):
        _, shown, _ = cli(*args)
        assert "\x1b" not in shown
        assert "\x07" not in shown
