"""Round trips under generated data: whatever the board accepts comes back out exactly.

Each example builds a board through the domain (so only text the board
accepts is in it: any Unicode but control characters, huge and empty
fields), exports it, imports that into a fresh database and exports again.
Hypothesis cannot use function-scoped fixtures, so every example makes its
own databases: a copy of the migrated template on SQLite, or two schemas on
PostgreSQL that are emptied for each example.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from clock import FixedClock
from conftest import TEST_DATABASE_ENV, PostgresSchemas
from dealboard.db.base import Base
from dealboard.db.migrate import upgrade
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput
from dealboard.domain.exchange.csv_plan import CsvOptions
from dealboard.domain.exchange.csv_source import FORMULA_STARTS
from dealboard.domain.exchange.problems import ImportRefused
from dealboard.domain.research import ResearchFields
from dealboard.domain.text import forbidden_character

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Any character the board accepts on one line: no controls, no surrogates, no bidi overrides.
LINE_CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=BIDI)
TRICKY = st.sampled_from(["=", "+", "-", "@", "'", "'=", '"', ",", ";", "é", "😀", "ن", " "])


def line_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Single-line text as stored (trimmed), often starting with a formula character."""
    body = st.text(LINE_CHARS, max_size=max_size)
    return st.one_of(body, st.builds(lambda a, b: a + b, TRICKY, body)).map(
        lambda s: s.strip()[:max_size].strip()
    )


TITLES = line_text().filter(bool)
NOTES = st.one_of(
    st.text(st.one_of(LINE_CHARS, st.sampled_from("\n\t")), max_size=300),
    st.integers(1_000, 20_000).map(lambda n: ("Ünïcode ☃ line\n\t" * n)[:n]),
).map(lambda s: s.replace("\r", "").strip())
TAGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True), max_size=3)
VALUES = st.one_of(
    st.none(),
    st.integers(0, 10**11).map(lambda n: f"{n // 100}.{n % 100:02d}"),
    st.integers(0, 10**9).map(lambda n: f"JPY {n}"),
    st.integers(0, 10**9).map(lambda n: f"EUR {n / 100:.2f}"),
)


@dataclass(frozen=True)
class DealStory:
    """One generated deal and what happens to it."""

    fields: DealFields
    stage: str
    ending: str
    note: str
    loss_note: str


DEALS = st.builds(
    DealStory,
    fields=st.builds(
        DealFields,
        title=TITLES,
        value=VALUES,
        account=line_text(),
        contact=line_text(),
        owner=st.sampled_from(["maria", "lena"]),
        contact_type=st.sampled_from(["Suspect", "Prospect", "Lead", "Customer"]),
        source=line_text(),
        close_date=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(str)),
        next_step=line_text(),
        add_tags=TAGS.map(tuple),
    ),
    stage=st.sampled_from(["Prospect", "Qualify", "Pitch", "Close"]),
    ending=st.sampled_from(["open", "open", "won", "lost"]),
    note=NOTES,
    loss_note=NOTES.map(lambda s: s[:2000].strip()),
)


class Scratch:
    """Fresh, migrated, empty databases for each example."""

    def __init__(self, template: URL | Path, postgres: PostgresSchemas | None) -> None:
        self.template = template
        self.postgres = postgres
        self._schemas: list[URL] = []

    @contextmanager
    def pair(self) -> Iterator[tuple[URL, URL]]:
        if self.postgres is None:
            assert isinstance(self.template, Path)
            with tempfile.TemporaryDirectory() as folder:
                urls = []
                for name in ("source", "target"):
                    path = Path(folder) / f"{name}.sqlite3"
                    shutil.copyfile(self.template, path)
                    urls.append(URL.create("sqlite+pysqlite", database=str(path)))
                yield urls[0], urls[1]
            return
        while len(self._schemas) < 2:
            url = self.postgres.new()
            upgrade(url)
            self._schemas.append(url)
        for url in self._schemas:
            _empty(url)
        yield self._schemas[0], self._schemas[1]


def _empty(url: URL) -> None:
    engine = create_engine(url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="module")
def scratch(migrated_template: URL | Path, postgres: PostgresSchemas | None) -> Scratch:
    return Scratch(migrated_template, postgres)


@contextmanager
def opened(url: URL, *, first_template: str | None = "seven-step") -> Iterator[Board]:
    board = open_board(url, "maria", FixedClock(), first_template=first_template, create=True)
    try:
        yield board
    finally:
        board.database.dispose()


def tell(board: Board, stories: list[DealStory]) -> None:
    """Make the deals through the board's own operations."""
    board.add_user("lena", "Lena Hoffmann")
    for story in stories:
        deal = board.add_deal(story.fields, stage=story.stage)
        if story.note:
            board.save_research(deal, ResearchFields(free_text=story.note, pain_points=story.note))
        if story.ending == "won":
            board.win(deal, override="generated")
        elif story.ending == "lost":
            board.lose(deal, "price", story.loss_note)


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


EXAMPLES = settings(
    # Each example builds two databases; on PostgreSQL that costs more, so fewer there.
    max_examples=10 if os.environ.get(TEST_DATABASE_ENV, "").strip() else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@EXAMPLES
@given(stories=st.lists(DEALS, max_size=6))
def test_json_export_import_export_is_identical(scratch: Scratch, stories: list[DealStory]) -> None:
    with scratch.pair() as (source_url, target_url):
        with opened(source_url) as source:
            tell(source, stories)
            first = source.export_json()
        data = _json_bytes(first)
        with opened(target_url, first_template=None) as target:
            target.restore_json(data, "board.json")
            again = target.export_json()
        assert without_time(again) == without_time(first)


@EXAMPLES
@given(stories=st.lists(DEALS, max_size=6))
def test_csv_export_import_export_is_identical(scratch: Scratch, stories: list[DealStory]) -> None:
    with scratch.pair() as (source_url, target_url):
        with opened(source_url) as source:
            tell(source, stories)
            first = source.export_csv()
        for row in csv.reader(io.StringIO(first)):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
        with opened(target_url) as target:
            plan = target.plan_csv_import(first.encode(), "deals.csv", CsvOptions())
            assert plan.problems == []
            target.import_csv(plan)
            again = target.export_csv()
        assert again == first


@EXAMPLES
@given(
    before=line_text(50),
    control=st.characters(whitelist_categories=("Cc",)).filter(lambda c: c not in "\n\r\t"),
    after=line_text(50),
)
def test_control_characters_never_get_in_through_an_import(
    scratch: Scratch, before: str, control: str, after: str
) -> None:
    title = f"x{before}{control}{after}x"
    with scratch.pair() as (source_url, target_url):
        with opened(source_url) as source:
            with pytest.raises(InvalidInput):
                source.add_deal(DealFields(title=title))
            cell = '"' + title.replace('"', '""') + '"'
            plan = source.plan_csv_import(f"Title\n{cell}\n".encode(), "in.csv", CsvOptions())
            [problem] = plan.problems
            assert (problem.line, problem.column) == (2, "Title")
            assert f"contains U+{ord(control):04X}" in problem.message
            document = source.export_json()
        document["pipelines"][0]["title"] = title
        with opened(target_url, first_template=None) as target:
            with pytest.raises(ImportRefused) as refused:
                target.restore_json(_json_bytes(document), "board.json")
            assert f"title contains U+{ord(control):04X}" in str(refused.value)
            assert forbidden_character(title, multiline=True) == control


def _json_bytes(document: dict[str, Any]) -> bytes:
    import json

    return json.dumps(document, ensure_ascii=False).encode()
