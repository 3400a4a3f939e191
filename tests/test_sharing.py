"""One SQLite board shared by a Unix group on a server, and `dealboard doctor` checking it.

These use SQLite files in tmp_path on purpose, so they run in the PostgreSQL
run too; only the last test uses the suite's database, and only on PostgreSQL.
"""

from __future__ import annotations

import grp
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db import health

PRIMARY_GROUP = grp.getgrgid(os.getgid()).gr_name


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def db_arg(path: Path) -> str:
    return f"sqlite:///{path}"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def finding_line(out: str, name: str) -> str:
    """The printed line of one check, e.g. `  warn  journal mode: not WAL …`."""
    [line] = [line for line in out.splitlines() if line[8:].startswith(f"{name}:")]
    return line


@pytest.fixture
def local_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A mounts table saying everything is on a local ext4 disk."""
    table = tmp_path / "mounts"
    table.write_text("/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n")
    monkeypatch.setattr(health, "MOUNTS_TABLE", table)
    return table


@pytest.fixture
def shared_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A board made with `init --shared` and the user's primary group."""
    path = tmp_path / "sales" / "board.sqlite3"
    code, _, err = run(capsys, "init", "--db", db_arg(path), "--shared", PRIMARY_GROUP)
    assert (code, err) == (0, "")
    return path


def test_init_shared_gives_directory_and_file_to_the_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sales" / "board.sqlite3"
    code, out, err = run(capsys, "init", "--db", db_arg(path), "--shared", PRIMARY_GROUP)
    assert (code, err) == (0, "")
    gid = grp.getgrnam(PRIMARY_GROUP).gr_gid
    assert mode_of(path.parent) == 0o2770
    assert mode_of(path) == 0o660
    assert path.parent.stat().st_gid == gid == path.stat().st_gid
    for leftover in path.parent.glob("board.sqlite3-*"):  # -wal/-shm, if anyone still had them
        assert (mode_of(leftover), leftover.stat().st_gid) == (0o660, gid)
    assert f"shared with group {PRIMARY_GROUP}" in out
    assert f"{path.parent}" in out and "mode 2770" in out
    assert f"{path}" in out and "mode 0660" in out
    assert f"usermod -aG {PRIMARY_GROUP}" in out
    assert f"DEALBOARD_DATABASE_URL=sqlite:///{path}" in out


def test_init_shared_twice_reports_nothing_to_change(
    shared_board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", "--db", db_arg(shared_board), "--shared", PRIMARY_GROUP)
    assert code == 0
    assert "already on the board" in out and out.count("(already so)") == 2


def test_init_shared_hands_the_files_to_another_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        others = [g.gr_gid for g in grp.getgrall() if g.gr_gid != os.getgid()]
    else:
        others = [g for g in os.getgroups() if g != os.getgid()]
    if not others:
        pytest.skip("this user is in no group besides their primary one")
    other = grp.getgrgid(others[0])
    path = tmp_path / "team" / "board.sqlite3"
    code, _, err = run(capsys, "init", "--db", db_arg(path), "--shared", other.gr_name)
    assert (code, err) == (0, "")
    assert path.parent.stat().st_gid == other.gr_gid == path.stat().st_gid
    assert (mode_of(path.parent), mode_of(path)) == (0o2770, 0o660)


def test_an_unknown_group_is_one_line_exit_2_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sales" / "board.sqlite3"
    code, out, err = run(capsys, "init", "--db", db_arg(path), "--shared", "no-such-group-zq")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "no group 'no-such-group-zq'" in err and "getent group" in err
    assert not path.exists() and not path.parent.exists()


def test_shared_refuses_a_postgresql_url_naming_database_roles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    code, out, err = run(capsys, "init", "--db", url, "--shared", PRIMARY_GROUP)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "database roles" in err


def test_shared_refuses_to_take_over_a_directory_holding_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    before = mode_of(tmp_path)
    path = tmp_path / "board.sqlite3"
    code, _, err = run(capsys, "init", "--db", db_arg(path), "--shared", PRIMARY_GROUP)
    assert code == 2 and "'notes.txt'" in err and "directory of its own" in err
    assert not path.exists() and mode_of(tmp_path) == before


def test_doctor_passes_a_shared_board_and_changes_nothing(
    shared_board: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {
        p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in shared_board.parent.iterdir()
    }
    code, out, err = run(capsys, "doctor", "--db", db_arg(shared_board))
    assert (code, err) == (0, "")
    names = ("database file", "directory", "file permissions", "copies", "journal mode")
    for name in (*names, "integrity", "migrations"):
        assert finding_line(out, name).startswith("  ok  "), out
    assert "setgid" in finding_line(out, "directory")
    assert "ext4" in finding_line(out, "filesystem")
    assert "FAIL" not in out
    after = {
        p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in shared_board.parent.iterdir()
    }
    assert after == before


def test_doctor_fails_a_world_readable_file(
    shared_board: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared_board.chmod(0o644)
    code, out, _ = run(capsys, "doctor", "--db", db_arg(shared_board))
    line = finding_line(out, "file permissions")
    assert line.startswith("  FAIL  ") and "mode 0644" in line and "customer data" in line
    assert f"chmod o-rwx {shared_board}" in out
    assert code == 1  # customer data open to every local user is a failure


def test_doctor_warns_when_a_shared_file_is_not_group_writable(
    shared_board: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared_board.chmod(0o640)
    _, out, _ = run(capsys, "doctor", "--db", db_arg(shared_board))
    line = finding_line(out, "file permissions")
    assert line.startswith("  warn  ") and "its group cannot write it" in line


def test_doctor_flags_a_database_not_in_wal_mode_and_leaves_it_so(
    shared_board: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(shared_board)
    assert connection.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    connection.close()
    _, out, _ = run(capsys, "doctor", "--db", db_arg(shared_board))
    assert finding_line(out, "journal mode").startswith("  warn  journal mode: not WAL")
    assert shared_board.read_bytes()[18:20] == b"\x01\x01"  # still a rollback journal
    assert not list(shared_board.parent.glob("*-wal"))


def test_doctor_flags_an_empty_file_as_having_no_schema(
    tmp_path: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    _, out, _ = run(capsys, "doctor", "--db", db_arg(path))
    assert finding_line(out, "migrations").startswith("  warn  migrations: no schema yet")
    assert path.stat().st_size == 0


def test_doctor_flags_a_database_stamped_at_no_revision(
    tmp_path: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "unstamped.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.commit()
    connection.close()
    _, out, _ = run(capsys, "doctor", "--db", db_arg(path))
    line = finding_line(out, "migrations")
    assert line.startswith("  warn  migrations: no schema yet") and "pending" in line


def test_doctor_fails_a_database_newer_than_this_dealboard(
    shared_board: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(shared_board)
    connection.execute("UPDATE alembic_version SET version_num = 'zzzz_future'")
    connection.commit()
    connection.close()
    code, out, _ = run(capsys, "doctor", "--db", db_arg(shared_board))
    assert code == 1
    assert finding_line(out, "migrations").startswith("  FAIL  migrations: at revision zzzz_future")


def test_doctor_fails_a_board_on_nfs(
    shared_board: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = tmp_path / "mounts"
    table.write_text(
        "/dev/sda1 / ext4 rw,relatime 0 0\n"
        f"fileserver:/export/sales {shared_board.parent.resolve()} nfs4 rw,vers=4.2 0 0\n"
    )
    monkeypatch.setattr(health, "MOUNTS_TABLE", table)
    code, out, _ = run(capsys, "doctor", "--db", db_arg(shared_board))
    assert code == 1
    line = finding_line(out, "filesystem")
    assert line.startswith("  FAIL  filesystem: nfs4 mounted at")
    assert "WAL does not work on network filesystems; use PostgreSQL" in line
    assert out.splitlines()[-1].startswith("1 failed")


def test_the_innermost_mount_wins_and_escaped_spaces_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "with space" / "inner"
    folder.mkdir(parents=True)
    outer = str(tmp_path.resolve() / "with space").replace(" ", "\\040")
    table = tmp_path / "mounts"
    table.write_text(
        f"/dev/sda1 / ext4 rw 0 0\nhost:/x {outer} cifs rw 0 0\n"
        f"tmpfs {tmp_path.resolve()} tmpfs rw 0 0\n"
    )
    assert health.mount_of(folder / "b.sqlite3", table) == (
        str(tmp_path.resolve() / "with space"),
        "cifs",
    )
    assert health.mount_of(tmp_path / "b.sqlite3", table) == (str(tmp_path.resolve()), "tmpfs")
    assert health.mount_of(folder, tmp_path / "no-such-table") is None


def test_doctor_on_a_missing_file_says_so_and_creates_nothing(
    tmp_path: Path, local_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere" / "board.sqlite3"
    code, out, err = run(capsys, "doctor", "--db", db_arg(path))
    assert (code, err) == (1, "")
    assert finding_line(out, "database file").startswith(
        f"  FAIL  database file: no database at {path}"
    )
    assert not path.exists() and not path.parent.exists()


def test_doctor_on_postgresql_checks_the_connection_and_migrations(
    db_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    if db_url.get_backend_name() != "postgresql":
        pytest.skip("needs DEALBOARD_TEST_DATABASE_URL pointing at PostgreSQL")
    code, out, err = run(capsys, "doctor", "--db", db_url.render_as_string(hide_password=False))
    assert (code, err) == (0, "")
    assert finding_line(out, "connection").startswith("  ok    connection: connected to")
    assert finding_line(out, "migrations").startswith("  ok    migrations: at ")
    assert out.rstrip().endswith("all checks passed")
