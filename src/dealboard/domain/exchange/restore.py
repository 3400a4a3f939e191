"""Putting a board's JSON export into an empty database, exactly as it was.

Ids are kept, so every reference (history rows, undo, reports) stays true and
exporting the restored board gives the same document. That is only possible
in an empty database, so a database that holds anything is refused. Every
value is checked against its column (type, vocabulary, control characters,
references to rows in the file) before anything is written, and the whole
restore is one transaction. It writes no history row of its own: the history
in the file is the board's history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Enum,
    Integer,
    String,
    Table,
    bindparam,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealboard.db.base import UtcDateTime, utcnow
from dealboard.db.migrate import history as migration_history
from dealboard.db.models import Deal
from dealboard.db.watch import announce
from dealboard.domain import accounts
from dealboard.domain.exchange.board_json import FORMAT, FORMAT_VERSION, HEADER_KEYS, tables
from dealboard.domain.exchange.bulk import insert_rows
from dealboard.domain.exchange.json_text import json_text
from dealboard.domain.exchange.problems import ImportRefused, Problem
from dealboard.domain.exchange.restore_rules import MAX_OTHER_TEXT, RULES, consistency, refusal
from dealboard.domain.text import forbidden_character
from dealboard.vocabulary import StageKind

#: Older schema revisions whose exports restore as they are: every later migration only
#: added tables and columns (empty or at their defaults in such an export), and the one
#: data step, text accounts into records (0011), is what `restore` does for any deal
#: that names an account or contact but links no record.
REPLAYED_REVISIONS = frozenset({"0010"})
#: Problems listed before the check gives up on a badly broken file.
_MAX_PROBLEMS = 200
#: The largest export restored: years of a busy team (100,000 deals and a million history
#: rows) is about 300 MB. Anything bigger is refused before it is read or parsed.
MAX_FILE_BYTES = 1_000_000_000


@dataclass(frozen=True)
class RestoreResult:
    """Rows per table that were (or, in a dry run, would be) written."""

    counts: dict[str, int]
    pipeline: str | None
    exported_at: str | None


@dataclass(frozen=True)
class CheckedExport:
    """A JSON export that passed every check: what a restore writes, table by table."""

    file: str
    document: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]

    @property
    def result(self) -> RestoreResult:
        """What restoring it writes (a dry run's answer)."""
        return result_of(self.document, self.rows)


def checked_export(data: bytes, file: str, *, postgres: bool) -> CheckedExport:
    """Parse and check a whole export before any database is touched (ImportRefused if not).

    Checked first, so a refused file never leaves a new, empty board behind.
    """
    document = load_document(data, file)
    return CheckedExport(file, document, check_document(document, file, postgres=postgres))


def load_document(data: bytes, file: str) -> dict[str, Any]:
    """Parse the file as JSON; a syntax error names its line and column."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused([Problem(file, "not UTF-8 text", line)]) from exc
    except json.JSONDecodeError as exc:
        message = f"column {exc.colno}: not valid JSON ({exc.msg})"
        raise ImportRefused([Problem(file, message, exc.lineno)]) from exc
    except RecursionError:
        message = "nested too deeply to be a dealboard export (lists in lists in lists…)"
        raise ImportRefused([Problem(file, message)]) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(
            [Problem(file, 'not a dealboard export (it has no "format": "dealboard")')]
        )
    return document


class _Checker:
    """Turns the document's rows into column values, collecting every problem."""

    def __init__(self, file: str, postgres: bool) -> None:
        self.file = file
        self.postgres = postgres
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(Problem(self.file, f"{where}: {message}"))

    def header(self, document: dict[str, Any]) -> None:
        version = document.get("format_version")
        if version != FORMAT_VERSION:
            newer = isinstance(version, int) and version > FORMAT_VERSION
            hint = "; upgrade dealboard to import it" if newer else ""
            self.add("format_version", f"{version!r} is not {FORMAT_VERSION}{hint}")
        revision = document.get("schema_revision")
        known = [r.revision for r in migration_history()]
        if revision not in known:
            self.add(
                "schema_revision",
                f"{revision!r} is unknown to this dealboard (exported by a newer one? upgrade)",
            )
        elif revision != known[-1] and revision not in REPLAYED_REVISIONS:
            # Later migrations may fill columns from older data; a restore cannot run them.
            self.add(
                "schema_revision",
                f"{revision!r} is older than this dealboard's {known[-1]!r}; restore it with the "
                "dealboard that exported it, then open the board with this one to upgrade it",
            )
        names = {t.name for t in tables()}
        for key in document:
            if key not in names and key not in HEADER_KEYS:
                self.add(key, "not a table dealboard knows")

    def rows(self, table: Table, raw: object) -> list[dict[str, Any]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(table.name, "must be a list of rows")
            return []
        readers = {c.name: _reader(c) for c in table.columns}
        result = []
        for index, item in enumerate(raw):
            where = f"{table.name}[{index}]"
            if not isinstance(item, dict):
                self.add(where, "must be an object of column values")
                continue
            if "id" in item:
                where += f" (id {item['id']})"
            for key in item:
                if key not in readers:
                    self.add(where, f"{key!r} is not a column of {table.name}")
            row = {}
            for column in table.columns:
                field = f"{table.name}[{index}].{column.name}"
                row[column.name] = self._value(where, field, column, item, readers[column.name])
            result.append(row)
        return result

    def _value(
        self,
        where: str,
        field: str,
        column: Column[Any],
        item: dict[str, Any],
        read: Callable[[Any], Any],
    ) -> Any:
        if column.name not in item:
            default = column.default.arg if column.default is not None else None
            if column.nullable or (default is not None and not callable(default)):
                return default
            self.add(where, f"{column.name} is missing")
            return None
        value = item[column.name]
        if value is None:
            if not column.nullable:
                self.add(where, f"{column.name} may not be null")
            return None
        try:
            converted = read(value)
        except (TypeError, ValueError) as exc:
            self.add(where, f"{column.name}: {_short(value)} {exc}")
            return None
        if isinstance(converted, str) and not self._check_text(where, column, converted):
            return converted
        refused = refusal(column.table.name, column.name, converted)
        if refused is not None:
            self.add(field, refused)
        return converted

    def _check_text(self, where: str, column: Column[Any], value: str) -> bool:
        """Any text column: no control characters, no more than fits; False if refused.

        The length is checked on SQLite too, which would store any length: the
        board must not hold what PostgreSQL (or typed input) would refuse.
        Columns with a rule of their own (`restore_rules`) are checked by it next.
        """
        bad = forbidden_character(value, multiline=True)
        if bad is not None:
            self.add(where, f"{column.name} contains U+{ord(bad):04X}, a control character")
            return False
        if (column.table.name, column.name) in RULES:
            return True  # the rule says what is accepted, in the typed input's words
        length = getattr(column.type, "length", None) or MAX_OTHER_TEXT
        if len(value) > length:
            self.add(where, f"{column.name} has {len(value):,} characters; at most {length:,}")
            return False
        return True

    def references(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Every foreign key points at a row of the file."""
        ids = {t.name: {r["id"] for r in rows[t.name]} for t in tables() if "id" in t.columns}
        for table in tables():
            keyed = [(c, k.column.table.name) for c in table.columns for k in c.foreign_keys]
            for index, row in enumerate(rows[table.name]):
                for column, target in keyed:
                    value = row[column.name]
                    if value is not None and value not in ids.get(target, ()):
                        self.add(
                            f"{table.name}[{index}]",
                            f"{column.name} {value} refers to no row of {target} in the file",
                        )


def _short(value: object) -> str:
    shown = json_text(value, indent=None)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _reader(column: Column[Any]) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return _instant
    if isinstance(kind, Enum) and kind.enum_class is not None:
        enum_class = kind.enum_class

        def word(value: Any) -> Any:
            if not isinstance(value, str):
                raise TypeError("is not a word")
            try:
                return enum_class(value)
            except ValueError:
                allowed = ", ".join(m.value for m in enum_class)  # type: ignore[attr-defined]
                raise ValueError(f"is not one of {allowed}") from None

        return word
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Integer):
        return _big_integer if isinstance(kind, BigInteger) else _integer
    if isinstance(kind, Date):
        return _day
    if isinstance(kind, String):
        return _string
    raise TypeError(f"no reader for {column.table.name}.{column.name} ({kind})")


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("is not an ISO 8601 instant")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("has no time zone; write it in UTC like 2026-11-20T15:00:00+00:00")
    return parsed


def _day(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise TypeError("is not a date like 2026-11-20")
    return date.fromisoformat(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("is not true or false")
    return value


def _integer(value: Any, bits: int = 32) -> int:
    """A whole number that fits the column (PostgreSQL would refuse it mid-restore otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("is not a whole number")
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise ValueError(f"does not fit a {bits}-bit whole number")
    return value


def _big_integer(value: Any) -> int:
    return _integer(value, 64)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("is not a string")
    return value


def check_document(
    document: dict[str, Any], file: str, *, postgres: bool
) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as column values; raises ImportRefused listing what is wrong."""
    checker = _Checker(file, postgres)
    checker.header(document)
    rows = {t.name: checker.rows(t, document.get(t.name)) for t in tables()}
    if not checker.problems:
        checker.references(rows)
    if not checker.problems:
        for where, why in consistency(rows):
            checker.add(where, why)
    if checker.problems:
        raise ImportRefused(checker.problems)
    return rows


def existing_rows(session: Session) -> dict[str, int]:
    """Tables of the target database that already hold rows."""
    found = {}
    for table in tables():
        count = session.scalar(select(func.count()).select_from(table)) or 0
        if count:
            found[table.name] = count
    return found


def require_empty(session: Session, file: str) -> None:
    """Refuse to restore over anything: ids must stay as they were."""
    found = existing_rows(session)
    if found:
        held = ", ".join(f"{n} {name}" for name, n in found.items())
        raise ImportRefused(
            [
                Problem(
                    file,
                    f"this database already holds data ({held}); a JSON export is restored "
                    "into an empty database only, so every id stays the same: "
                    "name a new one with --db",
                )
            ]
        )


def restore(
    session: Session,
    document: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    file: str,
) -> RestoreResult:
    """Insert every row with its id, then move PostgreSQL's id sequences past them."""
    try:
        for table in tables():
            found = rows[table.name]
            if "id" in table.columns:
                found = sorted(found, key=lambda row: row["id"])
            if table.name == "deals":  # a deal's origin may come later in id order
                found = [row | {"origin_deal_id": None} for row in found]
            insert_rows(session, table, found)
        _origins(session, rows["deals"])
        session.flush()
    except IntegrityError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ImportRefused([Problem(file, f"the database refused the rows: {first}")]) from exc
    if session.get_bind().dialect.name == "postgresql":
        _advance_sequences(session)
    _link_unlinked(session, rows)  # after the sequences: it may add accounts and contacts
    announce(session, None)
    return result_of(document, rows)


def _origins(session: Session, deals: list[dict[str, Any]]) -> None:
    """Each deal's origin deal, once every deal is in."""
    origins = [
        {"deal": row["id"], "origin": row["origin_deal_id"]}
        for row in deals
        if row["origin_deal_id"] is not None
    ]
    if origins:
        table = Deal.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("deal"))
            .values(origin_deal_id=bindparam("origin")),
            origins,
        )


def _link_unlinked(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Deals that name an account or contact but link no record (an export from before
    accounts were records) are linked now, as upgrading the board would have: one record
    per folded name, a won deal's contact a Customer. The deals' own types stay as written."""
    won = {stage["id"] for stage in rows["stages"] if stage["kind"] is StageKind.WON}
    unlinked = [
        row
        for row in rows["deals"]
        if (row["account"] and row["account_id"] is None)
        or (row["contact"] and row["contact_id"] is None)
    ]
    if not unlinked:
        return
    oldest_first = sorted(unlinked, key=lambda row: (row["created_at"], row["id"]))
    parties = [
        accounts.Party(row["account"], row["contact"], row["contact_type"], row["stage_id"] in won)
        for row in oldest_first
    ]
    linked = accounts.link_many(session, parties, utcnow())
    table = Deal.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("deal"))
        .values(
            account_id=bindparam("a_id"),
            account=bindparam("a_name"),
            contact_id=bindparam("c_id"),
        ),
        [
            {
                "deal": row["id"],
                "a_id": link.account_id,
                "a_name": link.account or row["account"],
                "c_id": link.contact_id,
            }
            for row, link in zip(oldest_first, linked.links, strict=True)
        ],
    )


def result_of(document: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> RestoreResult:
    """What a restore of this document writes."""
    return RestoreResult(
        {name: len(found) for name, found in rows.items()},
        document.get("pipeline"),
        document.get("exported_at"),
    )


def _advance_sequences(session: Session) -> None:
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or key[0].autoincrement is False:
            continue
        name = key[0].name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), MAX({name})) "
                f"FROM {table.name} HAVING MAX({name}) IS NOT NULL"
            ),
            {"table": table.name, "column": name},
        )
