"""Times whole `dealboard` processes in a real terminal (figures with targets, not a test).

Run from the repository with the project's virtualenv Python:

    python tests/benchmarks/bench_launch.py [--sizes 1000 10000 100000]
        [--engines sqlite postgresql] [--repeat N]

(`--help` lists the rest: timeout, poll interval, idle window, PostgreSQL URL.)

What it prints, each figure beside its target with PASS or FAIL:

1. Launch → cards on screen: from starting the `dealboard` console script to a
   card title ("Deal number …") being visible, on boards of each size and
   engine; interleaved with the same measure of a bare Textual app showing one
   `Static`. Medians, and the ratio dealboard/bare (≤ 2.5× at 10k deals, ≤ 4×
   at 100k; 1k has no target).
2. Peak RSS of dealboard on the 100k boards (≤ 250 MB), via /usr/bin/time.
3. Idle CPU of dealboard sitting on a 10k board (< 1 % of one core).
4. `dealboard deal show ID --format json` against `python -c "import sqlalchemy"`
   on the 10k SQLite board: medians and ratio (≤ 2×).
5. Launch → cards on the 10k SQLite board while another process holds its
   write lock for 20 s (≤ 1 s), whether the screen shows an error when the
   cards appear, and every error or status message seen on the way, timed.

Why this method: a user waits for a whole process (interpreter start, imports,
migration check, first queries, first paint), which the headless harness of
bench_ui.py cannot see. So each app runs as its own process in a detached tmux
session (a real pseudo-terminal, 200×60, nothing attached) and the clock stops
when `tmux capture-pane` first shows the text: what a person would see. Each
poll costs a few ms of CPU, the same for both apps; dividing by the bare app,
measured in the same run, cancels most of the machine's speed and noise, so the
medians and ratios are the figures to read.

Every launched process gets the same curated environment: a throwaway
XDG_CONFIG_HOME / XDG_DATA_HOME (no developer settings or themes),
TERM=xterm-256color, COLORTERM=truecolor. Boards are created by the login this
script runs as, so a timed launch adds no user. SQLite boards are files in a
temporary folder; PostgreSQL boards get a fresh schema per size (vacuumed and
analysed after filling, as autovacuum would), dropped at the end even after a
failure, Ctrl-C or SIGTERM. Every wait has a timeout. Exit status: 0 when every
figure was taken (whether PASS or FAIL), 1 when an app showed an error or
nothing instead of its text (the screen is printed), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy
import textual
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

sys.path.insert(0, str(Path(__file__).parent))
from bench_board import fill

import dealboard
from dealboard.db.models import Deal
from dealboard.domain.board import open_board

CARD_TEXT = "Deal number"
BARE_TEXT = "bare app ready"
COLUMNS, LINES = 200, 60
RATIO_TARGETS = {10_000: 2.5, 100_000: 4.0}
RSS_TARGET_MB = 250.0
IDLE_TARGET_PERCENT = 1.0
CLI_RATIO_TARGET = 2.0
LOCKED_TARGET_SECONDS = 1.0
#: How long the lock holder keeps the SQLite write lock.
LOCK_HOLD_SECONDS = 20.0
#: Quiet time after the cards appear before idle CPU is sampled.
IDLE_SETTLE_SECONDS = 2.0
#: Screen words that mean an error message rather than a quiet board.
ERROR_WORDS = ("locked", "busy", "not done", "nothing was saved", "error", "traceback", "failed")
#: Status lines worth reporting though they are not errors.
STATUS_WORDS = ("waiting for the database",)
#: Spinner frames (braille) and the borders Textual draws around toasts.
SCREEN_DECORATION = re.compile(r"[\u2800-\u28ff▌▐│┃▕▏]")
NOT_MEASURED = "  (not measured in this run: see the log on stderr)"
GNU_TIME = Path("/usr/bin/time")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")

BARE_APP = '''\
"""A bare Textual app: the baseline launch time."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("bare app ready")


Bare().run()
'''

LOCK_HOLDER = """\
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@dataclass(frozen=True)
class Sighting:
    """An error or status line, first seen on screen `seconds` after the launch."""

    seconds: float
    line: str


class BenchmarkError(Exception):
    """A measurement could not be taken; what the terminal showed, if anything."""

    def __init__(self, message: str, screen: str = "", sightings: Sequence[Sighting] = ()) -> None:
        super().__init__(message)
        self.screen = screen
        self.sightings = list(sightings)


# -- the private tmux server ----------------------------------------------------


class Tmux:
    """A tmux server of our own (own socket, no config file), killed at the end."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"bench-launch-{os.getpid()}"
        self.env = env
        self._sessions = 0

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", os.devnull, *args]
        return subprocess.run(command, capture_output=True, text=True, env=self.env, check=False)

    def must(self, *args: str) -> str:
        result = self(*args)
        if result.returncode:
            raise BenchmarkError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self) -> None:
        """Start the server with a session that outlives the measured ones.

        Then no measured launch pays for starting tmux, and a pane whose
        program ended stays readable (remain-on-exit) until it is killed.
        """
        self.must("new-session", "-d", "-s", "keeper", "-x", str(COLUMNS), "-y", str(LINES), "cat")
        self.must("set-option", "-g", "remain-on-exit", "on")
        self.must("set-option", "-g", "status", "off")

    def stop(self) -> None:
        """Kill the server (and anything still running in it) and remove its socket."""
        socket = self("display-message", "-p", "#{socket_path}").stdout.strip()
        self("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)

    def new_session(self, argv: Sequence[str]) -> str:
        """Run `argv` directly (no shell) in a new detached 200×60 session; its name."""
        self._sessions += 1
        name = f"launch{self._sessions}"
        self.must(
            "new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES), "-s", name, "--", *argv
        )
        return name

    def screen(self, name: str) -> tuple[str, bool]:
        """The pane's visible text, and whether its program has ended (one tmux call)."""
        result = self(
            "capture-pane", "-p", "-t", name, ";", "display-message", "-p", "-t", name,
            "#{pane_dead}",
        )  # fmt: skip
        if result.returncode:
            return "", True
        body, _, dead = result.stdout.rstrip("\n").rpartition("\n")
        return body.rstrip(), dead.strip() == "1"

    def value(self, name: str, variable: str) -> str:
        return self("display-message", "-p", "-t", name, f"#{{{variable}}}").stdout.strip()


# -- the benchmark's shared state -------------------------------------------------


@dataclass
class Bench:
    """What every measurement needs: tmux, the environment, the limits, and notes."""

    tmux: Tmux
    env: dict[str, str]
    folder: Path
    dealboard: Path
    bare_script: Path
    timeout: float
    poll: float
    notes: dict[str, str] = field(default_factory=dict)

    def in_terminal(self, argv: Sequence[str]) -> list[str]:
        """`argv` with exactly the benchmark's environment (tmux sets its own TERM)."""
        return ["env", "-i", *(f"{key}={value}" for key, value in self.env.items()), *argv]

    def dealboard_argv(self, url: URL) -> list[str]:
        return [str(self.dealboard), "--db", url.render_as_string(hide_password=False)]

    def bare_argv(self) -> list[str]:
        return [sys.executable, str(self.bare_script)]

    def note(self, message: str, key: str | None = None) -> None:
        """Remember an oddity for the report, once per `key` (default: the message)."""
        key = message if key is None else key
        if key not in self.notes:
            log(f"note: {message}")
            self.notes[key] = message


def log(message: str) -> None:
    """Progress on stderr, so stdout is only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def isolated_environment(home: Path) -> dict[str, str]:
    """The environment of every launched process: nothing of the developer's config."""
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    user = getpass.getuser()
    env.update(
        USER=user,
        LOGNAME=user,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
    )
    return env


# -- one app on screen --------------------------------------------------------------


@dataclass
class Shown:
    """An app whose text is on screen."""

    session: str
    seconds: float
    screen: str
    #: Error and status lines seen at any poll up to now, in order.
    sightings: list[Sighting]


def lines_with(screen: str, words: Sequence[str]) -> list[str]:
    """Lines holding one of `words`, without spinner frames, toast borders or wide gaps."""
    lines = (
        re.sub(r"\s{3,}", "   ", SCREEN_DECORATION.sub("", line)).strip()
        for line in screen.splitlines()
    )
    return [line for line in lines if any(word in line.lower() for word in words)]


def error_lines(screen: str) -> list[str]:
    return lines_with(screen, ERROR_WORDS)


def watch_messages(screen: str, seconds: float, seen: dict[str, Sighting]) -> None:
    """Remember when each message first showed (a counting "… 3 s" is one message)."""
    for line in lines_with(screen, ERROR_WORDS + STATUS_WORDS):
        seen.setdefault(message_key(line), Sighting(seconds, line))


def message_key(line: str) -> str:
    """The same message whatever its counters say."""
    return re.sub(r"\d+", "#", line)


def wait_for_text(bench: Bench, session: str, wanted: str, start: float) -> Shown:
    """Poll the pane until `wanted` is visible; BenchmarkError if it ends or times out."""
    seen: dict[str, Sighting] = {}
    while True:
        screen, dead = bench.tmux.screen(session)
        elapsed = time.perf_counter() - start
        watch_messages(screen, elapsed, seen)
        if wanted in screen:
            return Shown(session, elapsed, screen, list(seen.values()))
        if dead or elapsed > bench.timeout:
            why = "the program ended" if dead else f"{bench.timeout:.0f} s passed"
            message = f"{why} before {wanted!r} was on screen"
            raise BenchmarkError(message, screen, list(seen.values()))
        time.sleep(bench.poll)


def wait_until_ended(bench: Bench, session: str) -> bool:
    deadline = time.perf_counter() + bench.timeout
    while time.perf_counter() < deadline:
        if bench.tmux.screen(session)[1]:
            return True
        time.sleep(bench.poll)
    return False


def close(bench: Bench, session: str, label: str) -> None:
    """Quit the app with `q` (waiting for it to end), then remove its session."""
    if not bench.tmux.screen(session)[1]:
        bench.tmux("send-keys", "-t", session, "q")
        if not wait_until_ended(bench, session):
            bench.note(f"{label}: still running {bench.timeout:.0f} s after q; killed")
    status = bench.tmux.value(session, "pane_dead_status")
    if status not in ("", "0"):
        bench.note(f"{label}: exited with status {status} after q")
    bench.tmux("kill-session", "-t", session)


@contextlib.contextmanager
def on_screen(bench: Bench, argv: Sequence[str], wanted: str, label: str) -> Iterator[Shown]:
    """Launch `argv` in its own session, timed until `wanted` shows; closed on leaving."""
    start = time.perf_counter()
    session = bench.tmux.new_session(bench.in_terminal(argv))
    try:
        yield wait_for_text(bench, session, wanted, start)
    finally:
        close(bench, session, label)


def time_launch(bench: Bench, argv: Sequence[str], wanted: str, label: str) -> float:
    """Seconds to `wanted` on screen; error messages, and status lines still up, are noted."""
    with on_screen(bench, argv, wanted, label) as shown:
        for line in error_lines("\n".join(s.line for s in shown.sightings)):
            bench.note(f"{label}: the screen showed {line!r}", f"{label} {message_key(line)}")
        for line in lines_with(shown.screen, STATUS_WORDS):
            message = f"{label}: {wanted!r} showed while the screen still said {line!r}"
            bench.note(message, f"{label} status {message_key(line)}")
        return shown.seconds


def app_pid(bench: Bench, session: str) -> int:
    """The Python process in the pane: the pane's own process or one of its descendants."""
    queue = [int(bench.tmux.value(session, "pane_pid"))]
    while queue:
        pid = queue.pop(0)
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/exe").resolve().name.startswith("python"):
                return pid
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        queue.extend(int(child) for child in children)
    raise BenchmarkError(f"no Python process in tmux session {session}")


# -- boards -----------------------------------------------------------------------


def in_schema(base: URL, schema: str) -> URL:
    """The URL with every connection's search_path set to `schema` (as tests/conftest.py)."""
    return base.update_query_dict({"options": f"-csearch_path={schema}"})


def build_board(url: URL, count: int) -> None:
    """A board opened by this login (so its manager), with `count` open deals."""
    started = time.perf_counter()
    board = open_board(url, create=True)
    try:
        fill(board, count)
    finally:
        board.database.dispose()
    if url.get_backend_name() == "postgresql":
        vacuum_analyse(url)
    log(f"filled {count:,} deals in {time.perf_counter() - started:.1f} s")


def vacuum_analyse(url: URL) -> None:
    """What autovacuum would have done by the time anyone opens a real board."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            tables = connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).all()
            for table in tables:
                connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
    finally:
        engine.dispose()


@contextlib.contextmanager
def sqlite_board(folder: Path, count: int) -> Iterator[URL]:
    path = folder / f"board-{count}.sqlite3"
    try:
        url = URL.create("sqlite+pysqlite", database=str(path))
        build_board(url, count)
        yield url
    finally:
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()


@contextlib.contextmanager
def postgres_board(base: URL, count: int) -> Iterator[URL]:
    schema = f"bench_launch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = in_schema(base, schema)
        build_board(url, count)
        yield url
    finally:
        drop_schema(admin, schema)


def drop_schema(admin: Engine, schema: str) -> None:
    try:
        with admin.connect() as connection:
            connection.execute(text("SET lock_timeout = '20s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    except SQLAlchemyError as exc:
        log(f"could not drop schema {schema} (drop it by hand): {exc}")
    finally:
        admin.dispose()


def board_for(
    engine: str, count: int, bench: Bench, postgres: URL
) -> contextlib.AbstractContextManager[URL]:
    if engine == "sqlite":
        return sqlite_board(bench.folder, count)
    return postgres_board(postgres, count)


def check_postgres(base: URL) -> None:
    engine = create_engine(base)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise BenchmarkError(f"PostgreSQL at {base} is unreachable: {exc}") from exc
    finally:
        engine.dispose()


# -- 1. launch → cards ----------------------------------------------------------------


@dataclass
class LaunchRow:
    engine: str
    deals: int
    dealboard: list[float]
    bare: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.dealboard) / statistics.median(self.bare)


def launch_series(bench: Bench, url: URL, engine: str, count: int, repeat: int) -> LaunchRow:
    """dealboard and the bare app, launched alternately `repeat` times each."""
    row = LaunchRow(engine, count, [], [])
    label = f"{engine} {count:,}"
    for _ in range(repeat):
        row.dealboard.append(time_launch(bench, bench.dealboard_argv(url), CARD_TEXT, label))
        row.bare.append(time_launch(bench, bench.bare_argv(), BARE_TEXT, "bare app"))
        log(f"{label}: dealboard {row.dealboard[-1]:.3f} s, bare {row.bare[-1]:.3f} s")
    return row


# -- 2. peak RSS ----------------------------------------------------------------------


@dataclass
class RssRow:
    engine: str
    deals: int
    megabytes: float
    how: str


def peak_rss(bench: Bench, url: URL, engine: str, count: int) -> RssRow:
    """Peak resident memory of one launch that reaches the cards and quits."""
    label = f"{engine} {count:,} (RSS)"
    argv = bench.dealboard_argv(url)
    if os.access(GNU_TIME, os.X_OK):
        report = bench.folder / "peak-rss.txt"
        report.unlink(missing_ok=True)
        with on_screen(
            bench, [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv], CARD_TEXT, label
        ):
            pass
        lines = report.read_text().split() if report.exists() else []
        if not lines or not lines[-1].isdigit():
            raise BenchmarkError(f"/usr/bin/time wrote no peak RSS for {label}")
        kib, how = int(lines[-1]), "/usr/bin/time %M"
    else:
        with on_screen(bench, argv, CARD_TEXT, label) as shown:
            kib, how = vm_hwm_kib(app_pid(bench, shown.session)), "VmHWM before quitting"
    row = RssRow(engine, count, kib * 1024 / 1e6, how)
    log(f"{label}: peak RSS {row.megabytes:.0f} MB")
    return row


def vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise BenchmarkError(f"no VmHWM for process {pid}")


# -- 3. idle CPU ----------------------------------------------------------------------


@dataclass
class IdleRow:
    what: str
    percent: float


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(bench: Bench, argv: Sequence[str], wanted: str, what: str, window: float) -> IdleRow:
    """Percent of one core used while the app sits untouched on its first screen."""
    with on_screen(bench, argv, wanted, what) as shown:
        pid = app_pid(bench, shown.session)
        time.sleep(IDLE_SETTLE_SECONDS)
        began, used = time.perf_counter(), cpu_seconds(pid)
        time.sleep(window)
        percent = (cpu_seconds(pid) - used) / (time.perf_counter() - began) * 100
    log(f"{what}: idle CPU {percent:.2f} %")
    return IdleRow(what, percent)


# -- 4. deal show vs import sqlalchemy ---------------------------------------------------


@dataclass
class CliRow:
    deal_show: list[float]
    import_sqlalchemy: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.deal_show) / statistics.median(self.import_sqlalchemy)


def middle_deal_id(url: URL, count: int) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                select(Deal.id).where(Deal.title == f"Deal number {count // 2}")
            )
    finally:
        engine.dispose()
    if found is None:
        raise BenchmarkError(f"no 'Deal number {count // 2}' on the board")
    return found


def run_timed(bench: Bench, argv: Sequence[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=bench.env,
        timeout=bench.timeout,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        raise BenchmarkError(f"{' '.join(argv)} exited {result.returncode}", result.stderr)
    return seconds


def check_deal_show(bench: Bench, argv: Sequence[str], deal_id: int) -> None:
    """One untimed run that must print the deal as JSON (and warms the caches)."""
    result = subprocess.run(
        argv, capture_output=True, text=True, env=bench.env, timeout=bench.timeout, check=False
    )
    try:
        shown = json.loads(result.stdout)
    except json.JSONDecodeError:
        shown = None
    if result.returncode or not isinstance(shown, dict) or shown.get("id") != deal_id:
        raise BenchmarkError(
            f"{' '.join(argv)} exited {result.returncode} without the deal as JSON",
            result.stderr or result.stdout[:2000],
        )


def cli_times(bench: Bench, url: URL, count: int, repeat: int) -> CliRow:
    deal_id = middle_deal_id(url, count)
    show = [*bench.dealboard_argv(url), "deal", "show", str(deal_id), "--format", "json"]
    check_deal_show(bench, show, deal_id)
    row = CliRow([], [])
    for _ in range(repeat):
        row.deal_show.append(run_timed(bench, show))
        row.import_sqlalchemy.append(run_timed(bench, [sys.executable, "-c", "import sqlalchemy"]))
    log(
        f"deal show median {statistics.median(row.deal_show):.3f} s, "
        f"import sqlalchemy {statistics.median(row.import_sqlalchemy):.3f} s"
    )
    return row


# -- 5. launch on a locked database ----------------------------------------------------


@dataclass
class LockedResult:
    #: Launch → cards; None when no cards came within the timeout.
    seconds: float | None
    #: Whether the holder still had the lock when the cards appeared (or the wait ended).
    lock_still_held: bool
    #: Error lines on screen when the cards appeared (or the wait ended).
    at_end: list[str]
    #: Error and status lines seen at any poll, with when they first showed.
    sightings: list[Sighting]
    screen: str


@contextlib.contextmanager
def write_lock_held(bench: Bench, path: Path) -> Iterator[subprocess.Popen[str]]:
    """A separate process holding the SQLite file's write lock (BEGIN IMMEDIATE)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path), str(LOCK_HOLD_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
        env=bench.env,
    )
    try:
        said = holder.stdout
        if said is None:
            raise BenchmarkError("the lock holder has no output pipe")
        with selectors.DefaultSelector() as selector:
            selector.register(said, selectors.EVENT_READ)
            ready = selector.select(bench.timeout)
        if not ready or said.readline().strip() != "locked":
            raise BenchmarkError("the lock holder did not report 'locked'")
        yield holder
    finally:
        holder.kill()
        holder.wait()


def locked_launch(bench: Bench, url: URL) -> LockedResult:
    path = Path(str(url.database))
    label = "sqlite locked"
    with write_lock_held(bench, path) as holder:
        try:
            with on_screen(bench, bench.dealboard_argv(url), CARD_TEXT, label) as shown:
                held = holder.poll() is None
                at_cards = error_lines(shown.screen)
                result = LockedResult(shown.seconds, held, at_cards, shown.sightings, shown.screen)
        except BenchmarkError as failure:
            held, at_end = holder.poll() is None, error_lines(failure.screen)
            result = LockedResult(None, held, at_end, failure.sightings, failure.screen)
            bench.note(f"{label}: {failure}")
    shown_seconds = "none" if result.seconds is None else f"{result.seconds:.2f} s"
    log(f"{label}: launch → cards {shown_seconds}")
    return result


# -- running everything ---------------------------------------------------------------


@dataclass
class Results:
    launches: list[LaunchRow] = field(default_factory=list)
    rss: list[RssRow] = field(default_factory=list)
    idle: list[IdleRow] = field(default_factory=list)
    cli: CliRow | None = None
    locked: LockedResult | None = None


def measure_board(
    bench: Bench, args: argparse.Namespace, results: Results, engine: str, count: int
) -> None:
    """Every measurement that uses this engine's board of `count` deals."""
    log(f"{engine}: building a board of {count:,} open deals")
    with board_for(engine, count, bench, make_url(args.postgres_url)) as url:
        results.launches.append(launch_series(bench, url, engine, count, args.repeat))
        if count == args.rss_size:
            results.rss.append(peak_rss(bench, url, engine, count))
        if count == args.detail_size:
            results.idle.append(
                idle_cpu(
                    bench,
                    bench.dealboard_argv(url),
                    CARD_TEXT,
                    f"dealboard, {engine} {count:,}",
                    args.idle_seconds,
                )
            )
            if engine == "sqlite":
                results.cli = cli_times(bench, url, count, args.cli_repeat)
                results.locked = locked_launch(bench, url)


def measure_all(bench: Bench, args: argparse.Namespace, results: Results) -> None:
    if args.detail_size in args.sizes:
        results.idle.append(
            idle_cpu(bench, bench.bare_argv(), BARE_TEXT, "bare Textual app", args.idle_seconds)
        )
    for engine in args.engines:
        for count in args.sizes:
            measure_board(bench, args, results, engine, count)


@contextlib.contextmanager
def bench_setup(args: argparse.Namespace) -> Iterator[Bench]:
    dealboard = Path(sys.executable).parent / "dealboard"
    if not dealboard.exists():
        raise BenchmarkError(f"no {dealboard}: run this with the project's virtualenv Python")
    with tempfile.TemporaryDirectory(prefix="bench-launch-") as name:
        folder = Path(name)
        bare_script = folder / "bare_app.py"
        bare_script.write_text(BARE_APP)
        env = isolated_environment(folder / "home")
        tmux = Tmux(env)
        try:
            tmux.start()
            yield Bench(
                tmux, env, folder, dealboard, bare_script, args.timeout, args.poll_ms / 1000
            )
        finally:
            tmux.stop()


# -- the report -------------------------------------------------------------------------


def mark(passed: bool | None) -> str:
    return "—" if passed is None else ("PASS" if passed else "FAIL")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """First column left-aligned, the others right-aligned."""
    print(f"\n{title}")
    if not rows:
        print(NOT_MEASURED)
        return
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  " + "  ".join(cells).rstrip())


def print_launches(rows: Sequence[LaunchRow], repeat: int) -> None:
    table = []
    for row in rows:
        target = RATIO_TARGETS.get(row.deals)
        table.append(
            [
                row.engine,
                f"{row.deals:,}",
                ms(statistics.median(row.dealboard)),
                ms(statistics.median(row.bare)),
                f"{row.ratio:.1f}×",
                "—" if target is None else f"≤ {target:g}×",
                mark(None if target is None else row.ratio <= target),
                " ".join(f"{s:.2f}" for s in row.dealboard),
                " ".join(f"{s:.2f}" for s in row.bare),
            ]
        )
    print_table(
        f"1. Launch → cards on screen (median of {repeat}, {COLUMNS}×{LINES} tmux pane)",
        ["engine", "deals", "dealboard", "bare app", "ratio", "target", "result",
         "dealboard runs (s)", "bare runs (s)"],
        table,
    )  # fmt: skip


def print_rss(rows: Sequence[RssRow]) -> None:
    print_table(
        "2. Peak RSS of dealboard (launch → cards → q)",
        ["engine", "deals", "peak RSS", "target", "result", "measured by"],
        [
            [
                row.engine,
                f"{row.deals:,}",
                f"{row.megabytes:,.0f} MB",
                f"≤ {RSS_TARGET_MB:g} MB",
                mark(row.megabytes <= RSS_TARGET_MB),
                row.how,
            ]
            for row in rows
        ],
    )


def print_idle(rows: Sequence[IdleRow], window: float) -> None:
    table = []
    for row in rows:
        judged = row.what.startswith("dealboard")
        target = f"< {IDLE_TARGET_PERCENT:g} %" if judged else "(reference)"
        passed = row.percent < IDLE_TARGET_PERCENT if judged else None
        table.append([row.what, f"{row.percent:.2f} %", target, mark(passed)])
    print_table(
        f"3. Idle CPU, % of one core ({window:g} s window, {IDLE_SETTLE_SECONDS:g} s after cards)",
        ["app", "CPU", "target", "result"],
        table,
    )


def print_cli(row: CliRow | None, size: int, repeat: int) -> None:
    table = []
    if row is not None:
        table.append(
            [
                "deal show --format json",
                ms(statistics.median(row.deal_show)),
                ms(statistics.median(row.import_sqlalchemy)),
                f"{row.ratio:.1f}×",
                f"≤ {CLI_RATIO_TARGET:g}×",
                mark(row.ratio <= CLI_RATIO_TARGET),
            ]
        )
    print_table(
        f"4. CLI on the {size:,}-deal SQLite board (median of {repeat}, plain subprocess)",
        ["command", "dealboard", "python -c 'import sqlalchemy'", "ratio", "target", "result"],
        table,
    )


def print_locked(result: LockedResult | None, size: int, timeout: float) -> None:
    print(
        f"\n5. Launch → cards on a {size:,}-deal SQLite board while another process holds"
        f" its write lock (released {LOCK_HOLD_SECONDS:g} s after the launch)"
    )
    if result is None:
        print(NOT_MEASURED)
        return
    if result.seconds is None:
        figure, passed = f"no cards within {timeout:g} s", False
    else:
        figure, passed = f"{result.seconds:.2f} s", result.seconds <= LOCKED_TARGET_SECONDS
    moment = "when the cards appeared" if result.seconds is not None else "at the end of the wait"
    print(f"  launch → cards   {figure}   target ≤ {LOCKED_TARGET_SECONDS:g} s   {mark(passed)}")
    print(f"  lock still held {moment}: {'yes' if result.lock_still_held else 'no'}")
    print(f"  error message on screen {moment}: {'yes' if result.at_end else 'no'}")
    for line in result.at_end:
        print(f"      {line}")
    if result.sightings:
        print("  messages seen while waiting (first shown, after launch):")
        for sighting in result.sightings:
            print(f"    {sighting.seconds:6.2f} s  {sighting.line}")
    if result.seconds is None:
        print_screen(result.screen)


def print_screen(screen: str) -> None:
    """The screen's non-blank lines, numbered from 1 at the top."""
    print(f"  --- screen ({COLUMNS}×{LINES}, blank lines left out) ---")
    for number, line in enumerate(screen.splitlines(), start=1):
        if line.strip():
            print(f"  {number:3}| {line.rstrip()}")
    print("  ---")


def code_under_test() -> str:
    """Which dealboard is measured: version, source folder, git revision (dirty if edited)."""
    source = Path(dealboard.__file__).parent
    revision = subprocess.run(
        ["git", "--no-optional-locks", "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        cwd=source,
        check=False,
    ).stdout.strip()
    return f"dealboard {dealboard.__version__} from {source} (git {revision or 'none'})"


def print_header(args: argparse.Namespace, code: str, load_before: Sequence[float]) -> None:
    tmux_version = subprocess.run(["tmux", "-V"], capture_output=True, text=True, check=False)
    print(f"dealboard launch benchmark, {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %Z}")
    print(f"  load average before  {format_load(load_before)}")
    print(f"  load average after   {format_load(os.getloadavg())}")
    print(
        f"  python {sys.version.split()[0]}, textual {textual.__version__}, "
        f"sqlalchemy {sqlalchemy.__version__}, {tmux_version.stdout.strip()}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  {code}")
    print(
        f"  sizes {' '.join(f'{s:,}' for s in args.sizes)}; engines {' '.join(args.engines)}; "
        f"repeat {args.repeat}; poll every {args.poll_ms:g} ms; timeout {args.timeout:g} s"
    )


def format_load(load: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in load) + "  (1, 5, 15 min)"


def print_report(
    args: argparse.Namespace,
    code: str,
    results: Results,
    bench: Bench | None,
    load_before: Sequence[float],
) -> None:
    print_header(args, code, load_before)
    print_launches(results.launches, args.repeat)
    print_rss(results.rss)
    print_idle(results.idle, args.idle_seconds)
    print_cli(results.cli, args.detail_size, args.cli_repeat)
    print_locked(results.locked, args.detail_size, args.timeout)
    if bench is not None and bench.notes:
        print("\nNotes")
        for note in bench.notes.values():
            print(f"  - {note}")


# -- entry point --------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--engines", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--repeat", type=int, default=5, help="launches of each app per board")
    parser.add_argument("--rss-size", type=int, default=100_000, help="board size for peak RSS")
    parser.add_argument(
        "--detail-size",
        type=int,
        default=10_000,
        help="board size for idle CPU, `deal show` and the locked database",
    )
    parser.add_argument("--idle-seconds", type=float, default=10.0, help="idle sampling window")
    parser.add_argument("--cli-repeat", type=int, default=10, help="runs of each CLI command")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds any wait may take")
    parser.add_argument("--poll-ms", type=float, default=10.0, help="pause between screen polls")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args(argv)
    for size in (args.rss_size, args.detail_size):
        if size not in args.sizes:
            log(f"board size {size:,} is not in --sizes: its checks are skipped")
    if "sqlite" not in args.engines:
        log("sqlite is not in --engines: the `deal show` and locked-database checks are skipped")
    return args


def stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started, load_before, code = time.perf_counter(), os.getloadavg(), code_under_test()
    results, bench, failed = Results(), None, None
    try:
        if "postgresql" in args.engines:
            check_postgres(make_url(args.postgres_url))
        with bench_setup(args) as bench:
            measure_all(bench, args, results)
    except BenchmarkError as failure:
        log(f"FAILED: {failure}")
        failed = failure
    except KeyboardInterrupt:
        log("interrupted; the temporary boards and schemas were removed")
        return 130
    print_report(args, code, results, bench, load_before)
    print(f"\nTotal run time {(time.perf_counter() - started) / 60:.1f} min")
    if failed is not None:
        print(f"\nFAILED: {failed}")
        for sighting in failed.sightings:
            print(f"  {sighting.seconds:6.2f} s  {sighting.line}")
        if failed.screen:
            print_screen(failed.screen)
        return 1
    return 1 if results.locked is not None and results.locked.seconds is None else 0


if __name__ == "__main__":
    raise SystemExit(main())
