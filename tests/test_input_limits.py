"""No input crashes the command line or costs minutes: oversized, deep or foreign files are
refused early, in one line naming the file (and the field), with exit code 2, and nothing
is written. Every file here is generated; every test runs in well under two seconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.domain.board import Board
from dealboard.domain.errors import InvalidInput
from dealboard.domain.exchange import csv_source, restore
from dealboard.domain.pipeline_spec import (
    MAX_CRITERIA,
    MAX_FILE_BYTES,
    MAX_STAGES,
    parse_pipeline_toml,
)
from dealboard.ui.themes import MAX_THEME_BYTES, load_themes, theme_from_file, user_themes_folder

DEEP = 100_000


class Cli:
    """`dealboard` in-process against one database, as the default manager."""

    def __init__(self, url: URL | str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url if isinstance(url, str) else url.render_as_string(hide_password=False)
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", self.url, *args])  # the login is maria (conftest)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


@contextmanager
def quickly(seconds: float = 2.0) -> Iterator[None]:
    started = time.perf_counter()
    yield
    assert time.perf_counter() - started < seconds


def one_line(err: str) -> str:
    assert err.startswith("dealboard: ") or ": " in err
    assert "Traceback" not in err
    return err


# -- JSON restore ---------------------------------------------------------------


def test_a_json_import_nested_100k_deep_is_one_line(cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * DEEP + "]" * DEEP)
    with quickly():
        code, out, err = cli("import", str(deep))
    assert (code, out) == (2, "")
    assert f"{deep}: nested too deeply" in err
    assert "Traceback" not in err


def test_an_oversized_json_import_is_refused_unread(cli: Cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(restore.MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    with quickly():
        code, _, err = cli("import", str(huge))
    assert code == 2
    assert err == f"dealboard: {huge}: over {restore.MAX_FILE_BYTES:,} bytes; " + (
        "dealboard imports files up to that\n"
    )


def test_a_json_import_is_validated_like_typed_input(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli("deal", "add", "--title", "Fleet rollout", "--value", "$5k")
    assert code == 0, err
    _, exported, _ = cli("export")
    document = json.loads(exported)
    document["users"][0]["name"] = "[@click=app.quit]boss[/]"
    document["deals"][0]["title"] = ("long line\n" * 100_000)[:1_000_000]
    document["deals"][0]["value_minor"] = -5
    document["deal_tags"] = [{"deal_id": document["deals"][0]["id"], "tag": "Not A Tag"}]
    source = tmp_path / "board.json"
    source.write_text(json.dumps(document))
    target_url = f"sqlite+pysqlite:///{tmp_path / 'target.sqlite3'}"
    with quickly():
        code, out, err = Cli(target_url, capsys)("import", str(source))
    assert (code, out) == (2, "")
    assert f"{source}: users[0].name: '[@click=app.quit]boss[/]' is not accepted; use 1-64" in err
    assert f"{source}: deals[0].title: " in err and "contains U+000A" in err
    assert f"{source}: deals[0].value_minor: -5 is not accepted" in err
    assert f"{source}: deal_tags[0].tag: 'Not A Tag' is not accepted" in err
    assert "nothing was written" in err
    assert not (tmp_path / "target.sqlite3").exists()  # checked before any board was made


def test_a_json_import_keeps_the_shapes_a_pipeline_file_must_have(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli("deal", "add", "--title", "Fleet rollout")
    _, exported, _ = cli("export")
    document = json.loads(exported)
    won = next(s for s in document["stages"] if s["kind"] == "won")
    won["kind"] = "open"  # a pipeline that can no longer close a deal as won
    padded = json.loads(exported)
    padded["deals"][0]["title"] = "  Fleet rollout  "  # typing it would have trimmed it
    target = URL.create("sqlite+pysqlite", database=str(tmp_path / "target.sqlite3"))
    for changed, problem in (
        (document, "pipelines[0] (seven-step): '0 won stages' is not accepted; exactly one won"),
        (padded, "deals[0].title: '  Fleet rollout  ' is not accepted; trim the spaces"),
    ):
        source = tmp_path / "board.json"
        source.write_text(json.dumps(changed))
        code, out, err = Cli(target, capsys)("import", str(source))
        assert (code, out) == (2, "")
        assert f"{source}: {problem}" in err
    assert not (tmp_path / "target.sqlite3").exists()


def test_a_million_character_title_on_one_line_is_refused_by_its_length(
    cli: Cli, tmp_path: Path
) -> None:
    cli("deal", "add", "--title", "Fleet rollout")
    _, exported, _ = cli("export")
    document = json.loads(exported)
    document["deals"][0]["title"] = "x" * 1_000_000
    source = tmp_path / "board.json"
    source.write_text(json.dumps(document))
    code, _, err = cli("import", "--dry-run", str(source))
    assert code == 2
    assert f"{source}: deals[0].title: 'xxx" in err
    assert "1000000 characters; at most 200" in err


# -- pipeline and theme files ---------------------------------------------------


def stages_toml(stages: int = 3, criteria: int = 1) -> str:
    listed = ", ".join(f'"criterion {i}"' for i in range(criteria))
    opened = "".join(
        f'[[stages]]\nname = "Step {i}"\nkind = "open"\nprobability = 10\ncriteria = [{listed}]\n'
        for i in range(stages - 2)
    )
    closed = '[[stages]]\nname = "Won"\nkind = "won"\n[[stages]]\nname = "Lost"\nkind = "lost"\n'
    return f'name = "big"\n{opened}{closed}'


def test_a_pipeline_with_200k_criteria_is_refused_before_it_is_parsed(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "big.toml"
    path.write_text(stages_toml(criteria=200_000))
    assert path.stat().st_size > MAX_FILE_BYTES
    with quickly(1.0):
        code, out, err = cli("pipeline", "import", str(path))
    assert (code, out) == (2, "")
    size = path.stat().st_size
    assert err == (
        f"dealboard: big.toml: '{size:,} bytes' is not accepted; at most 1,000,000; "
        "no pipeline is\n"
    )


def test_too_many_criteria_or_stages_are_refused_by_count() -> None:
    with quickly(1.0), pytest.raises(InvalidInput) as criteria:
        parse_pipeline_toml(stages_toml(criteria=MAX_CRITERIA + 1))
    assert str(criteria.value) == (
        f"stages[1].criteria: '{MAX_CRITERIA + 1} criteria' is not accepted; "
        f"at most {MAX_CRITERIA} criteria"
    )
    with pytest.raises(InvalidInput) as stages:
        parse_pipeline_toml(stages_toml(stages=MAX_STAGES + 1))
    assert "at most 50 stages" in str(stages.value)
    parse_pipeline_toml(stages_toml(stages=MAX_STAGES, criteria=MAX_CRITERIA))  # the limits pass


def test_a_repeated_criterion_is_still_named() -> None:
    toml = stages_toml(criteria=2).replace('"criterion 1"', '"criterion 0"')
    with pytest.raises(InvalidInput, match=r"stages\[1\]\.criteria\[2\]: .* must be different"):
        parse_pipeline_toml(toml)


def test_a_pipeline_file_nested_deep_is_one_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('name = "deep"\nstages = ' + "[" * DEEP + "]" * DEEP + "\n")
    with quickly():
        code, _, err = cli("pipeline", "import", str(path))
    assert code == 2
    assert err == (
        "dealboard: deep.toml: 'TOML' is not accepted; is nested too deeply to be a pipeline\n"
    )


def test_a_theme_file_nested_deep_or_oversized_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = user_themes_folder()
    folder.mkdir(parents=True)
    nested = "[" * 20_000 + "]" * 20_000  # fits in MAX_THEME_BYTES
    (folder / "deep.toml").write_text('primary = "#000000"\nx = ' + nested)
    (folder / "huge.toml").write_text('primary = "#000000"\n' + "#" * MAX_THEME_BYTES)
    with quickly():
        catalog = load_themes()
    reasons = {problem.path.name: problem.reason for problem in catalog.problems}
    assert reasons == {
        "deep.toml": "not a theme: nested too deeply",
        "huge.toml": f"over {MAX_THEME_BYTES:,} bytes; a theme is a few dozen lines",
    }
    with pytest.raises(ValueError, match="nested too deeply"):
        theme_from_file(folder / "deep.toml")


# -- CSV ------------------------------------------------------------------------


def test_a_csv_with_one_overlong_line_is_refused_quickly(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Title,Value\n" + "x" * (csv_source.MAX_LINE_CHARS * 3) + ",5\n")
    with quickly():
        code, out, err = cli("import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:2: this line has 3,000,002 characters; at most 1,000,000")
    assert err.endswith("nothing was written\n")


def test_a_csv_with_an_overlong_value_is_refused_by_its_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    note = "word\n" * (csv_source.MAX_FIELD_CHARS // 4)
    path.write_text(f'Title,Notes\nFleet,"{note}"\n')
    with quickly():
        code, _, err = cli("import", "--dry-run", str(path))
    assert code == 2
    assert f"{path}:2: a value of the record starting here is over 100,000 characters" in err


def test_a_csv_with_an_unclosed_quote_at_scale_is_refused_quickly(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text('Title,Value\n"Fleet,5\n' + "more,1\n" * 200_000)
    with quickly():
        code, _, err = cli("import", str(path))
    assert code == 2
    assert f"{path}:2: " in err


def test_an_oversized_csv_is_refused_unread(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(csv_source.MAX_FILE_BYTES + 1)
    with quickly():
        code, _, err = cli("import", str(path))
    assert code == 2
    assert err == f"dealboard: {path}: over 100,000,000 bytes; dealboard imports files up to that\n"


def test_a_json_import_with_rows_that_cannot_stand_together_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    _, exported, _ = cli("export")
    document = json.loads(exported)
    maria = document["users"][0]
    document["users"].append({**maria, "id": maria["id"] + 100, "name": "MARIA"})
    document["stages"][1]["name"] = document["stages"][0]["name"].upper()
    source = tmp_path / "board.json"
    source.write_text(json.dumps(document))
    code, _, err = cli("import", "--dry-run", str(source))
    assert code == 2
    assert f"{source}: users[1].name: 'MARIA' repeats users[0]" in err
    assert f"{source}: stages[1].name: 'PROSPECT' repeats stages[0]" in err
