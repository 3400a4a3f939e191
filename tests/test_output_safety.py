"""Stored text from older versions or other tools never reaches a terminal raw.

Input validation refuses control characters now, but rows written before it
(or by another tool) can hold ESC, C1 controls and bidi overrides. These
tests write such rows straight into the database and read them back through
every command that prints: text and CSV show U+FFFD instead, JSON keeps the
exact value as escapes.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.cli.output import dumps, terminal_safe
from dealboard.domain.board import Board

#: What an attacker would store: a colour, a C1 CSI clearing the screen, a bidi override, a bell.
HOSTILE = "Acme\x1b[31m red\x9b2J clear\u202egnp.exe\x07"
RAW = ("\x1b", "\x9b", "\u202e", "\x07")


class Cli:
    """`dealboard` in-process, as the default manager."""

    def __init__(self, url: URL, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url.render_as_string(hide_password=False)
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", self.url, "--as", "maria", *args])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def hostile(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> tuple[Cli, int]:
    """A board whose deal, account, pipeline, stage, criterion and user names hold escapes."""
    cli = Cli(db_url, capsys)
    code, out, _ = cli("deal", "add", "--title", "placeholder", "--value", "$5k")
    assert code == 0
    deal_id = int(out)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE deals SET title = :v, account = :v, contact = :v, source = :v, "
                "next_step = :v, next_step_due = :due WHERE id = :id"
            ),
            {"v": HOSTILE, "id": deal_id, "due": "2020-01-01"},
        )
        connection.execute(text("UPDATE pipelines SET title = :v"), {"v": HOSTILE})
        connection.execute(text("UPDATE users SET display_name = :v"), {"v": HOSTILE})
        connection.execute(
            text(
                "UPDATE stage_criteria SET text = :v "
                "WHERE id = (SELECT MIN(id) FROM stage_criteria)"
            ),
            {"v": HOSTILE},
        )
        connection.execute(
            text("UPDATE stages SET purpose = :v, name = 'Pro\x1bspect' WHERE position = 1"),
            {"v": HOSTILE + "\nsecond line"},
        )
    engine.dispose()
    return cli, deal_id


def strings(value: object) -> set[str]:
    """Every string anywhere in a parsed JSON document."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values()), set())
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value), set())
    return set()


def assert_clean(out: str, err: str) -> None:
    for char in RAW:
        assert char not in out, f"raw U+{ord(char):04X} on stdout"
        assert char not in err, f"raw U+{ord(char):04X} on stderr"


@pytest.mark.parametrize(
    "command",
    [
        ("deal", "list"),
        ("deal", "list", "--all"),
        ("board",),
        ("pipeline", "list"),
        ("user", "list"),
        ("agenda",),
        ("log",),
        ("standup", "--text"),
        ("standup", "--markdown"),
        ("playbook",),
        ("playbook", "--format", "html"),
        ("report", "funnel"),
        ("report", "forecast"),
        ("report", "owners"),
        ("report", "cohorts"),
        ("report", "sla"),
        ("export", "--format", "csv"),
    ],
)
def test_text_output_shows_no_raw_control_characters(
    hostile: tuple[Cli, int], command: tuple[str, ...]
) -> None:
    cli, _ = hostile
    code, out, err = cli(*command)
    assert code == 0, err
    assert_clean(out, err)


def test_deal_show_text_replaces_them_and_keeps_its_lines(hostile: tuple[Cli, int]) -> None:
    cli, deal_id = hostile
    code, out, err = cli("deal", "show", str(deal_id))
    assert code == 0, err
    assert_clean(out, err)
    assert "Acme\ufffd[31m red\ufffd2J clear\ufffdgnp.exe\ufffd" in out
    assert out.count("\n") > 5


@pytest.mark.parametrize(
    "command",
    [
        ("deal", "list", "--format", "json"),
        ("deal", "show", "{id}", "--format", "json"),
        ("export",),
        ("report", "cohorts", "--format", "json"),
        ("agenda", "--format", "json"),
    ],
)
def test_json_keeps_the_exact_value_as_escapes(
    hostile: tuple[Cli, int], command: tuple[str, ...]
) -> None:
    cli, deal_id = hostile
    code, out, err = cli(*(part.format(id=deal_id) for part in command))
    assert code == 0, err
    assert_clean(out, err)
    assert "\\u001b" in out and "\\u009b" in out and "\\u202e" in out
    assert HOSTILE in strings(json.loads(out))


def test_exported_json_restores_the_exact_title(hostile: tuple[Cli, int]) -> None:
    cli, _ = hostile
    _, out, _ = cli("export")
    [deal] = json.loads(out)["deals"]
    assert deal["title"] == HOSTILE


def test_csv_export_cleans_cells_but_keeps_rows(hostile: tuple[Cli, int]) -> None:
    cli, _ = hostile
    _, out, _ = cli("export", "--format", "csv")
    header, row = csv.reader(io.StringIO(out, newline=""))
    assert row[header.index("Title")] == "Acme\ufffd[31m red\ufffd2J clear\ufffdgnp.exe\ufffd"
    assert out.endswith("\r\n")


def test_csv_export_to_a_file_is_cleaned_too(hostile: tuple[Cli, int], tmp_path: Path) -> None:
    cli, _ = hostile
    target = tmp_path / "deals.csv"
    code, _, err = cli("export", "--format", "csv", "-o", str(target))
    assert code == 0, err
    written = target.read_text(encoding="utf-8-sig")
    assert_clean(written, "")
    assert "\ufffd[31m" in written


def test_an_error_quoting_user_input_is_one_clean_line(hostile: tuple[Cli, int]) -> None:
    cli, _ = hostile
    code, out, err = cli("import", "no\x1b[2Jsuch\nfile\u202e.csv")
    assert code == 2
    assert_clean(out, err)
    assert err.count("\n") == 1 and err.startswith("dealboard: ")


def test_dumps_escapes_c1_and_bidi_and_round_trips() -> None:
    value = {"t": "a\x1bb\x9bc\u202ed\u2066e\x7f\u2028 é 日本"}
    shown = dumps(value)
    assert all(c not in shown for c in "\x1b\x9b\u202e\u2066\x7f\u2028")
    assert "é 日本" in shown
    assert json.loads(shown) == value


def test_terminal_safe_keeps_crlf_line_ends_only() -> None:
    assert terminal_safe("a,b\r\nc\rd\te\n") == "a,b\r\nc\ufffdd\te\n"


# -- output that cannot be written, a database that cannot be reached ---------

full_disk = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


@full_disk
def test_export_to_a_full_disk_is_one_line(hostile: tuple[Cli, int]) -> None:
    cli, _ = hostile
    code, out, err = cli("export", "-o", "/dev/full")
    assert (code, out, err) == (1, "", "dealboard: /dev/full: No space left on device\n")
    assert Path("/dev/full").is_char_device()  # written to, never renamed over


@full_disk
@pytest.mark.parametrize("command", [("export",), ("deal", "list")])
def test_stdout_on_a_full_disk_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    # A board of its own: whoever runs the tests is its first user, whatever the login rules.
    url = f"sqlite+pysqlite:///{tmp_path / 'board.sqlite3'}"
    dealboard = [sys.executable, "-m", "dealboard", "--db", url]
    subprocess.run([*dealboard, "init"], capture_output=True, timeout=60, check=True)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*dealboard, *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "dealboard: standard output: No space left on device\n",
    )


@pytest.mark.parametrize(
    ("url", "driver"),
    [("mysql://u@h/db", "mysql"), ("mssql://u@h/db", "mssql"), ("nosuch://u@h/db", "nosuch")],
)
def test_a_database_without_a_driver_is_one_line(
    capsys: pytest.CaptureFixture[str], url: str, driver: str
) -> None:
    code = main(["--db", url, "deal", "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"dealboard: cannot use the database: no driver for {driver}; ")
    assert err.count("\n") == 1


def test_a_usage_error_quoting_what_was_typed_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deal", "list", "\x1b]0;pwned\x07\u202e"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("dealboard: unrecognized arguments: \ufffd]0;pwned\ufffd\ufffd")
    assert err.count("\n") == 1 and "\x1b" not in err and "\u202e" not in err
