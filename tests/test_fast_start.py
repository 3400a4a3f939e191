"""Starting fast: the head comes from the migration files; each command imports what it uses.

`dealboard --version` and `--help` load no SQLAlchemy, Alembic, Textual or
Rich; opening a board that is already at the newest schema loads no Alembic;
the garbage collector sits out the start-up. The import rules are checked in
fresh interpreters, since this one has imported everything already.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL

from dealboard.cli.commands import COMMANDS, Command
from dealboard.cli.main import main
from dealboard.db import migrate
from dealboard.resources import migrations_folder

HEAVY = {"sqlalchemy", "alembic", "textual", "rich"}


def alembic_head(folder: Path) -> str | None:
    return ScriptDirectory(str(folder)).get_current_head()


def write_migrations(folder: Path, follows: dict[str, str | None]) -> Path:
    """One migration file per revision, each following the revision given (None: the first)."""
    versions = folder / "versions"
    versions.mkdir(parents=True)
    for revision, earlier in follows.items():
        (versions / f"{revision}_step.py").write_text(
            f'"""step {revision}"""\n\n'
            f"revision: str = {revision!r}\n"
            f"down_revision: str | None = {earlier!r}\n"
        )
    return folder


# -- the head, from the files ---------------------------------------------------


def test_the_shipped_head_and_lineage_are_what_alembic_finds() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    expected = {}
    for script_revision in script.walk_revisions():
        earlier = script_revision.down_revision
        expected[script_revision.revision] = (
            () if earlier is None else (earlier,) if isinstance(earlier, str) else tuple(earlier)
        )
    assert migrate.read_revisions(migrations_folder() / "versions") == expected


def test_a_merge_after_a_branch_point_is_the_one_head(tmp_path: Path) -> None:
    folder = write_migrations(tmp_path, {"base": None, "left": "base", "right": "base"})
    (folder / "versions" / "merge_both.py").write_text(
        '"""merge"""\n\n'
        'revision = "merge"  # both branches\n'
        "down_revision = (\n"
        '    "left",\n'
        '    "right",\n'
        ")\n"
        "branch_labels = None\n"
    )
    assert migrate.find_head(migrate.read_revisions(folder / "versions")) == "merge"
    assert alembic_head(folder) == "merge"


def test_a_branch_point_without_a_merge_is_refused_naming_both_heads(tmp_path: Path) -> None:
    folder = write_migrations(tmp_path, {"base": None, "left": "base", "right": "base"})
    with pytest.raises(migrate.MigrationsUnreadable, match=r"2 heads \(left, right\); merge"):
        migrate.find_head(migrate.read_revisions(folder / "versions"))
    with pytest.raises(CommandError, match="multiple heads"):
        alembic_head(folder)


@pytest.mark.parametrize(
    ("follows", "message"),
    [
        ({"first": None, "second": "gone"}, "second follows gone, which is not in the migrations"),
        ({"first": None, "ping": "pong", "pong": "ping"}, "ping, pong follow each other in a loop"),
        ({}, "holds no revision"),
    ],
    ids=["gap", "loop", "empty"],
)
def test_a_broken_lineage_is_refused_clearly(
    tmp_path: Path, follows: dict[str, str | None], message: str
) -> None:
    folder = write_migrations(tmp_path, follows)
    with pytest.raises(migrate.MigrationsUnreadable, match=message):
        migrate.find_head(migrate.read_revisions(folder / "versions"))


def test_a_file_without_a_plain_revision_is_refused(tmp_path: Path) -> None:
    folder = write_migrations(tmp_path, {"first": None})
    (folder / "versions" / "odd.py").write_text('revision = "x" + "y"\ndown_revision = "first"\n')
    with pytest.raises(migrate.MigrationsUnreadable, match=r"odd\.py: revision is not a plain"):
        migrate.read_revisions(folder / "versions")
    (folder / "versions" / "odd.py").write_text('down_revision = "first"\n')
    with pytest.raises(migrate.MigrationsUnreadable, match=r"odd\.py: no revision"):
        migrate.read_revisions(folder / "versions")


def test_a_migration_added_later_is_the_head_with_no_constant_to_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = migrate.head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_folder(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_later.py").write_text(
        f'revision = "9999"\ndown_revision = "{shipped}"\n'
    )
    monkeypatch.setattr(migrate, "migrations_folder", lambda: folder)
    assert migrate.head_revision() == "9999" == alembic_head(folder)


# -- what each start imports ----------------------------------------------------

_RUN_CLI = """
import contextlib, io, json, sys
from dealboard.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

_OPEN_SCHEMA = """
import json, sys
from sqlalchemy.engine import make_url
from dealboard.db import migrate
state = migrate.upgrade(make_url(sys.argv[1]))
print(json.dumps({"code": int(not state.up_to_date), "modules": sorted(sys.modules)}))
"""


def imported_by(script: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after `script` ran (which must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["code"] == 0, done.stderr
    return set(result["modules"])


def packages(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_no_database_domain_or_ui(option: str) -> None:
    modules = imported_by(_RUN_CLI, option)
    assert packages(modules) & HEAVY == set()
    assert {m for m in modules if m.startswith(("dealboard.domain", "dealboard.db"))} == set()


def test_an_up_to_date_schema_is_checked_without_alembic(db_url: URL) -> None:
    modules = imported_by(_OPEN_SCHEMA, db_url.render_as_string(hide_password=False))
    assert "alembic" not in packages(modules)


@pytest.fixture
def shown_deal(db_url: URL, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`deal show 1 --format json` arguments for an up-to-date board holding deal 1."""
    db = db_url.render_as_string(hide_password=False)
    assert main(["--db", db, "deal", "add", "--title", "Fleet rollout"]) == 0
    assert capsys.readouterr().out == "1\n"
    return ["--db", db, "deal", "show", "1", "--format", "json"]


@pytest.mark.slow
def test_deal_show_on_an_up_to_date_board_loads_no_alembic_and_no_ui(
    shown_deal: list[str],
) -> None:
    modules = imported_by(_RUN_CLI, *shown_deal)
    assert packages(modules) & {"alembic", "textual", "rich"} == set()
    assert not any(m.startswith("dealboard.ui") for m in modules)


_PAUSED_START = """
import contextlib, gc, io, json, sys
from dealboard.cli.main import main
gc.disable()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_the_collector_paused_for_start_up_runs_again_once_the_command_is_loaded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PAUSED_START, "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["code"] == 0 and result["collecting"] and result["frozen"] > 0


def test_main_called_in_process_leaves_the_collector_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frozen = gc.get_freeze_count()
    assert main(["--version"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen


# -- the grammar, still whole -------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_every_command_shows_its_help(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command.name, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: dealboard {command.name} ")


def test_the_top_level_help_lists_every_command_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    positions = [out.index(f"\n    {command.name} ") for command in COMMANDS]
    assert positions == sorted(positions)
