"""`dealboard import FILE.csv`: deals from other CRMs' exports, all or nothing, precise errors."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clock import FixedClock
from dealboard.db.models import StageTransition, User
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from helpers import row_counts
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name

PIPEDRIVE = (
    "Deal - Title;Deal - Value;Deal - Currency of Value;Deal - Organization;"
    "Deal - Contact person;Deal - Owner;Deal - Stage;Deal - Status;"
    "Deal - Expected close date;Deal - Won time;Deal - Lost time;Deal - Lost reason;"
    "Deal - Deal created;Deal - ID;Deal - Label\n"
    "Fleet rollout;48.000,00;EUR;Northwind GmbH;Anna Schmidt;Lena Hoffmann;Qualify;open;"
    "15.12.2026;;;;03.11.2026 09:15;1;Hot lead\n"
    '"Kiosk ""Pilot""";12.500,50;EUR;Café Zürich;Jörg Müller;José Núñez;Pitch;won;'
    ";20.10.2026 14:00;;;01.09.2026 10:00;2;\n"
    "Support renewal;1.200;EUR;Acme;Bob;Lena Hoffmann;Pitch;lost;;;05.10.2026;"
    "Price too high;01.08.2026;3;\n"
    "Old lost;900;EUR;Initech;;;Lost;;;;;;;4;\n"
)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times without a zone are the user's local time: make that UTC unless a test says."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class Desk:
    """The manager at a terminal on the test board, with a folder for files, on the test's clock.

    An import is all or nothing, so every refusal also proves that no row was written.
    """

    cli: Cli
    board: Board
    clock: FixedClock
    folder: Path

    def write(self, content: str | bytes, name: str = "deals.csv", *, bom: bool = False) -> str:
        """Text is saved as UTF-8; bytes as they are, to test other encodings."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = self.folder / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return str(path)

    def _file(self, content: str | bytes | Path, name: str, bom: bool) -> str:
        """A Path is imported as it stands; text or bytes are saved to a file first."""
        return str(content) if isinstance(content, Path) else self.write(content, name, bom=bom)

    def imported(
        self, content: str | bytes | Path, *args: str, name: str = "deals.csv", bom: bool = False
    ) -> tuple[str, str]:
        """The file's path and what the import printed, after it succeeded without a complaint."""
        path = self._file(content, name, bom)
        code, out, err = self.cli("import", path, *args)
        assert (code, err) == (0, "")
        return path, out

    def refused(
        self, content: str | bytes | Path, *args: str, name: str = "deals.csv"
    ) -> tuple[str, list[str]]:
        """The file's path and the lines of the refusal, after checking it wrote nothing."""
        path = self._file(content, name, False)
        before = row_counts(self.board)
        code, out, err = self.cli("import", path, *args)
        assert (code, out) == (2, "")
        assert row_counts(self.board) == before
        return path, err.splitlines()

    def deals(self) -> list[dict[str, Any]]:
        code, out, _ = self.cli("deal", "list", "--all", "--format", "json")
        assert code == 0
        return json.loads(out)

    def titled(self) -> dict[str, dict[str, Any]]:
        return {d["title"]: d for d in self.deals()}

    def shown(self, deal_id: object) -> dict[str, Any]:
        code, out, _ = self.cli("deal", "show", str(deal_id), "--format", "json")
        assert code == 0
        return json.loads(out)


@pytest.fixture
def desk(cli: Cli, board: Board, timed: FixedClock, tmp_path: Path) -> Desk:  # noqa: F811
    return Desk(cli, board, timed, tmp_path)


def test_a_pipedrive_export_with_bom_semicolons_and_decimal_commas_imports_every_deal(
    desk: Desk,
) -> None:
    path, out = desk.imported(PIPEDRIVE, bom=True)
    assert out.splitlines()[0] == f"imported 4 deals from {path} into seven-step"
    assert "'Deal - ID' (no matching field)" in out
    assert "new users (reps): lena.hoffmann (Lena Hoffmann), jose.nunez (José Núñez)" in out
    rows = desk.titled()
    assert set(rows) == {"Fleet rollout", 'Kiosk "Pilot"', "Support renewal", "Old lost"}
    fleet = rows["Fleet rollout"]
    assert (fleet["value"], fleet["currency"], fleet["stage"], fleet["status"]) == (
        4_800_000,
        "EUR",
        "Qualify",
        "open",
    )
    assert (fleet["owner"], fleet["account"], fleet["contact"], fleet["tags"]) == (
        "lena.hoffmann",
        "Northwind GmbH",
        "Anna Schmidt",
        ["hot-lead"],
    )
    assert fleet["expected_close"] == "2026-12-15"
    kiosk = rows['Kiosk "Pilot"']
    assert (kiosk["value"], kiosk["status"], kiosk["owner"]) == (1_250_050, "won", "jose.nunez")
    assert kiosk["closed_at"].startswith("2026-10-20")
    renewal = rows["Support renewal"]
    assert (renewal["value"], renewal["status"], renewal["loss_reason"]) == (
        120_000,
        "lost",
        "price",
    )
    assert renewal["loss_note"] == "Price too high"
    old = rows["Old lost"]
    assert (old["status"], old["loss_reason"], old["closed_at"], old["owner"]) == (
        "lost",
        "unknown",
        None,
        "maria",
    )
    history = desk.shown(renewal["id"])["history"]
    assert [(h["from"], h["to"]) for h in history] == [("Pitch", "Lost"), (None, "Pitch")]
    code, log, _ = desk.cli("log", "--deal", str(renewal["id"]))
    assert code == 0
    assert f"imported: from {Path(path).name}, line 4" in log


def test_a_hubspot_export_with_unknown_stages_is_refused_listing_them_and_how_to_map(
    desk: Desk,
) -> None:
    text = (
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline\n"
        '11,Fleet,Appointment scheduled,"12,500.00",11/30/2026,10/01/2026,maria,Sales\n'
        "12,Kiosk,Closed won,900,10/15/2026,09/01/2026,maria,Sales\n"
        "13,Pilot,Contract sent,100,12/31/2026,10/02/2026,maria,Sales\n"
        "14,Other,Appointment scheduled,5,12/31/2026,10/02/2026,maria,Sales\n"
    )
    path, errors = desk.refused(text, "--pipeline", "seven-step")
    assert errors == [
        f"{path}: unknown stages: 'Appointment scheduled' (2 deals, first on line 2), "
        "'Contract sent' (1 deal, first on line 4). Map each to a stage of seven-step "
        "(Prospect, Qualify, Research, Pitch, Overcome Objections, Close, Follow-up, Won, Lost) "
        "with --stage-map, e.g. --stage-map 'Appointment scheduled=Prospect' "
        "--stage-map 'Contract sent=Prospect'",
        f"dealboard: {path} was not imported (1 problem); nothing was written",
    ]
    _, out = desk.imported(
        Path(path),
        "--pipeline",
        "seven-step",
        "--stage-map",
        "appointment scheduled=Qualify",
        "--stage-map",
        "Contract sent=Close",
    )
    assert "'Pipeline' (--pipeline given)" in out
    assert "dates read as month/day/year: 'Close Date', 'Create Date'" in out
    rows = desk.titled()
    assert (rows["Fleet"]["stage"], rows["Fleet"]["value"]) == ("Qualify", 1_250_000)
    assert (rows["Kiosk"]["status"], rows["Pilot"]["stage"]) == ("won", "Close")
    # A won deal without a closed date closed on its close date, as HubSpot means it.
    assert rows["Kiosk"]["closed_at"] == "2026-10-15T00:00:00+00:00"
    assert rows["Fleet"]["created_at"].startswith("2026-10-01")


def test_a_bad_amount_on_line_7_names_file_line_column_and_what_is_accepted(desk: Desk) -> None:
    rows = [f"Deal {n},{n}000" for n in range(1, 6)]
    rows.insert(5, '"Deal 6","12,3,4"')
    path, errors = desk.refused("Title,Amount\n" + "\n".join(rows) + "\n")
    assert errors == [
        f"{path}:7: column \"Amount\": '12,3,4' is not accepted; "
        "use an amount like 12500, 12,500.50, 12.5k, $1.2M or EUR 900",
        f"dealboard: {path} was not imported (1 problem); nothing was written",
    ]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        pytest.param(
            'Title,Notes\nFleet,"fine"\nKiosk,"two\nlines"\nPilot,"never closed\nat all\n',
            (),
            ':5: column "Notes": this quoted value has no closing quote (the file ends inside it)',
            id="truncated-quote-is-placed-where-the-value-starts",
        ),
        pytest.param(
            "Title,Close date\nFleet,25/04/2027\nKiosk,04/25/2027\n",
            (),
            ": column \"Close date\": dates are mixed: '25/04/2027' (line 2) is day/month "
            "but '04/25/2027' (line 3) is month/day; correct the file or give --date-format",
            id="day-first-and-month-first-mixed-in-a-column",
        ),
        pytest.param(
            "Title,Close date\nFleet,2027|04|03\nKiosk,nope\n",
            ("--date-format", "%Y|%m|%d"),
            ":3: column \"Close date\": 'nope' is not accepted; does not match %Y|%m|%d",
            id="strftime-date-format-reads-exactly-that",
        ),
        pytest.param(
            "Subject,Worth\nFleet,100\n",
            (),
            ": no column holds the deal title (columns: 'Subject', 'Worth'); "
            "name it with --map 'COLUMN=title'",
            id="no-title-column-says-how-to-name-one",
        ),
        pytest.param(
            "Title,Account\nFleet,Acme\nKiosk,Café\n".encode("latin-1"),
            (),
            ":3: byte 0xE9 is not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8) "
            "and import it again",
            id="not-utf8-names-the-line-of-the-bad-byte",
        ),
    ],
)
def test_a_file_read_otherwise_than_meant_is_refused_naming_the_place_and_the_fix(
    desk: Desk, content: str | bytes, args: tuple[str, ...], message: str
) -> None:
    path, errors = desk.refused(content, *args)
    assert errors[0] == path + message


def test_text_after_a_closing_quote_is_reported_with_its_line_and_column(desk: Desk) -> None:
    path, errors = desk.refused('Title,Account\nFleet,"Acme" Inc\n')
    assert errors[0].startswith(f'{path}:2: column "Account": a quoted value must end')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Title|Amount|Stage\nFleet|100|Qualify\n",
            ":1: the header row is one column 'Title|Amount|Stage'; "
            "separate columns with a comma, a semicolon or a tab",
        ),
        (
            "Title;Amount;Stage\nFleet,100,Qualify\n",
            ":2: 1 field where the header has 3 columns; "
            "is this row separated by another character than a semicolon?",
        ),
        (
            "Title,Amount\nFleet,100,Qualify,x\n",
            ":2: 4 fields where the header has 2 columns; "
            "a value containing a comma must be in double quotes",
        ),
    ],
    ids=["pipes", "header-semicolons-rows-commas", "unquoted-comma"],
)
def test_a_wrong_delimiter_is_named_precisely_and_nothing_is_written(
    desk: Desk, text: str, message: str
) -> None:
    path, errors = desk.refused(text)
    assert errors[0] == path + message


def test_tabs_quoted_newlines_and_thousands_separators_are_read(desk: Desk) -> None:
    text = (
        "Name\tAmount\tNotes\tTags\tCompany\n"
        'Fleet\t"$1,250,000.50"\t"line one\nline two"\tq4; Enterprise Deal\tAcme\n'
        "Kiosk\t12 500\t\t\t=SUM(A1)\n"
    )
    _, out = desk.imported(text, name="deals.tsv")
    assert "read as tab-separated UTF-8" in out
    rows = desk.titled()
    assert rows["Fleet"]["value"] == 125_000_050
    assert rows["Fleet"]["tags"] == ["enterprise-deal", "q4"]
    assert rows["Kiosk"]["value"] == 1_250_000
    assert rows["Kiosk"]["account"] == "=SUM(A1)"
    assert desk.shown(rows["Fleet"]["id"])["notes"]["free_text"] == "line one\nline two"


def test_line_breaks_in_one_line_fields_become_spaces(desk: Desk) -> None:
    desk.imported('Name,Person,Company\n"Fleet\r\nphase 2","Dana\nWhitfield","Acme\tLtd"\n')
    (row,) = desk.deals()
    assert (row["title"], row["contact"], row["account"]) == (
        "Fleet phase 2",
        "Dana Whitfield",
        "Acme Ltd",
    )


def test_ambiguous_day_month_dates_need_a_date_format(desk: Desk) -> None:
    path, errors = desk.refused("Title,Close date\nFleet,03/04/2027\nKiosk,05/06/2027\n")
    assert errors[0] == (
        f"{path}: column \"Close date\": '03/04/2027' (line 2) can be day/month or month/day "
        "and no date in the file says which; give --date-format DMY or --date-format MDY"
    )
    desk.imported(Path(path), "--date-format", "MDY")
    assert {d["expected_close"] for d in desk.deals()} == {"2027-03-04", "2027-05-06"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-11-20", "2026-11-20T00:00:00+00:00"),
        ("2026-11-20T14:00:00Z", "2026-11-20T14:00:00+00:00"),
        ("2026-11-20 14:00", "2026-11-20T14:00:00+00:00"),
        ("2026-11-20T14:00:00+01:00", "2026-11-20T13:00:00+00:00"),
        ("20.11.2026", "2026-11-20T00:00:00+00:00"),
        ("20/11/2026 2:30 PM", "2026-11-20T14:30:00+00:00"),
        ('"Nov 20, 2026"', "2026-11-20T00:00:00+00:00"),
        ("20 November 2026", "2026-11-20T00:00:00+00:00"),
        ("20-Nov-2026", "2026-11-20T00:00:00+00:00"),
        ("20/11/26", "2026-11-20T00:00:00+00:00"),
    ],
)
def test_created_dates_in_common_formats(desk: Desk, cell: str, expected: str) -> None:
    desk.imported(f"Title,Created\nFleet,{cell}\n")
    assert desk.deals()[0]["created_at"] == expected


def test_a_time_without_a_zone_is_the_users_local_time(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    desk.imported("Title,Created\nFleet,20.11.2026 14:00\nKiosk,2026-11-20T14:00:00Z\n")
    assert [d["created_at"] for d in desk.deals()] == [
        "2026-11-20T13:00:00+00:00",
        "2026-11-20T14:00:00+00:00",
    ]


def test_lost_history_without_reasons_or_dates_imports_as_unknown_with_dates_left_empty(
    desk: Desk,
) -> None:
    text = (
        "Title,Status,Lost reason,Stage\n"
        "A,lost,,\n"
        "B,Closed Lost,went with a competitor,Pitch\n"
        "C,lost,budget cut,\n"
        "D,lost,no-fit,\n"
    )
    _, out = desk.imported(text)
    assert "4 lost (1 lost without a reason (unknown); 4 closed without a date)" in out
    rows = desk.titled()
    assert [(rows[t]["loss_reason"], rows[t]["loss_note"]) for t in "ABCD"] == [
        ("unknown", ""),
        ("competitor", "went with a competitor"),
        ("price", "budget cut"),
        ("no-fit", ""),
    ]
    assert {rows[t]["closed_at"] for t in "ABCD"} == {None}


def test_closed_deals_feed_the_history_reports(desk: Desk) -> None:
    desk.imported(
        "Title,Amount,Status,Stage,Created,Closed,Lost reason\n"
        "W1,1000,won,Close,2026-09-01,2026-09-11,\n"
        "W2,3000,won,Pitch,2026-09-01,2026-09-21,\n"
        "L1,500,lost,Qualify,2026-09-01,2026-09-05,price\n"
        "L2,700,lost,,2026-09-01,2026-09-02,\n"
        "O1,900,,Research,2026-10-01,,\n"
    )
    board = desk.board
    velocity = board.report("velocity", since="2026-09-01")
    assert (velocity.win_rate.hits, velocity.win_rate.n) == (2, 4)
    assert velocity.avg_cycle.value is not None
    assert velocity.avg_cycle.value.days == 15
    losses = board.report("losses")
    assert {t.key: t.lost for t in losses.by_reason if t.lost} == {"price": 1, "unknown": 1}
    # L2's file does not say where it was lost: "(unknown)", not a made-up first stage.
    assert {t.key: t.lost for t in losses.by_stage if t.lost} == {"Qualify": 1, "(unknown)": 1}
    assert [(m.month.isoformat(), m.lost) for m in losses.by_month] == [("2026-09-01", 2)]
    funnel = board.report("funnel")
    assert funnel is not None
    with board.database.read() as read:
        moves = read.execute(
            select(StageTransition.from_stage_id, StageTransition.stay_seconds)
        ).all()
    # one creation each, and one close for each closed deal but L2, created lost
    assert len(moves) == 8
    stays = sorted(stay for source, stay in moves if source is not None)
    assert stays == [86_400 * days for days in (4, 10, 20)]
    assert board.report("stages") is not None


def test_every_report_runs_on_imported_history_without_dates(desk: Desk) -> None:
    from dealboard.domain.reports import REPORTS

    desk.imported("Title,Status,Stage\nW,won,\nL,lost,\nO,,Pitch\n")
    for name in REPORTS:
        assert desk.board.report(name) is not None


def test_dry_run_reports_everything_and_writes_nothing(desk: Desk) -> None:
    rows = "\n".join(f"Deal {n},{'x' if n % 2 else n}" for n in range(1, 51))
    path = desk.write("Title,Value,Probability\n" + rows.replace("\n", ",50\n") + ",50\n")
    before = row_counts(desk.board)
    code, out, err = desk.cli("import", path, "--dry-run")
    assert code == 2
    assert out.splitlines()[0] == (
        f"{path}: 50 rows, 25 of them ready to import into seven-step; "
        "the problems listed stop the import"
    )
    assert "'Probability' (no matching field)" in out
    assert out.splitlines()[-1] == "dry run: nothing was written"
    problems = err.splitlines()
    # One column's 25 bad cells are one group: their lines, the fix, and an example.
    assert problems[0] == (
        f'{path}: column "Value": 25 rows refused (lines 2, 4, 6, 8, 10, 12, 14, 16 and 17 '
        "more); correct them in the file, or leave the column out with --map 'Value=skip'"
    )
    assert problems[1].startswith(f"  {path}:2: column \"Value\": 'x' is not accepted")
    assert problems[-1] == f"dealboard: {path} would be refused (25 problems); nothing was written"
    assert len(problems) == 3
    _, errors = desk.refused(Path(path))
    assert errors[:2] == problems[:2]  # the real import refuses with the same full list
    assert row_counts(desk.board) == before


def test_a_clean_dry_run_exits_zero_and_writes_nothing(desk: Desk) -> None:
    before = row_counts(desk.board)
    _, out = desk.imported(PIPEDRIVE, "--dry-run")
    assert "4 deals would be imported" in out
    assert row_counts(desk.board) == before
    with desk.board.database.read() as read:
        assert read.scalars(select(User.name)).all() == ["maria"]


def test_only_a_manager_may_import(desk: Desk) -> None:
    desk.board.add_user("rick", "Rick Rep")
    before = row_counts(desk.board)
    code, out, err = desk.cli("import", desk.write(PIPEDRIVE), user="rick")
    assert (code, out) == (3, "")
    assert err == "dealboard: only a manager may import deals; rick is a rep\n"
    assert row_counts(desk.board) == before


def test_map_reads_and_skips_columns_and_names_mistakes(desk: Desk) -> None:
    path = Path(desk.write("Subject,Worth,Name\nFleet,100,Ann\n"))
    _, errors = desk.refused(path, "--map", "Worth=amount")
    assert errors[0].startswith("--map: 'Worth=amount': no field 'amount'; use one of")
    _, errors = desk.refused(path, "--map", "Price=value")
    assert errors[0] == (
        f"--map: {path} has no column 'Price'; its columns: 'Subject', 'Worth', 'Name'"
    )
    desk.imported(path, "--map", "subject=title", "--map", "Worth=value", "--map", "Name=contact")
    [deal] = desk.deals()
    assert (deal["title"], deal["value"], deal["contact"]) == ("Fleet", 10000, "Ann")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Fleet,open,Won,,", "2: column \"Status\": 'open' does not fit the stage Won (won)"),
        ("Fleet,won,,2026-10-02,2026-10-01", '2: column "Closed": closed 2026-10-01 before it'),
        ("Fleet,,,,2026-10-01", '2: column "Closed": a closed date is given but the deal is open'),
        ("Fleet,,,2027-01-01,", '2: column "Created": 2027-01-01 00:00 UTC is in the future'),
        ("Fleet,maybe,,,", "2: column \"Status\": 'maybe' is not accepted; use open, won or lost"),
        ("\x1b[31mFleet,,,,", "2: column \"Title\": '\\\\x1b[31mFleet' is not accepted; contains"),
    ],
    ids=["status-vs-stage", "closed-before-created", "open-but-closed", "future", "status", "esc"],
)
def test_rows_that_contradict_themselves_are_refused(desk: Desk, row: str, message: str) -> None:
    path, errors = desk.refused("Title,Status,Stage,Created,Closed\n" + row + "\n")
    assert errors[0].startswith(f"{path}:{message}")


def test_utf16_with_its_mark_is_read(desk: Desk) -> None:
    desk.imported("Title\tAmount\nKiosk Café\t100\n".encode("utf-16"), name="excel.txt")
    assert desk.deals()[0]["title"] == "Kiosk Café"


def test_owners_match_existing_users_by_login_or_name(desk: Desk) -> None:
    desk.board.add_user("lena", "Lena Hoffmann")
    _, out = desk.imported(
        "Title,Owner\nA,LENA\nB,lena hoffmann\nC,Sam Tan\nD,Sam Tan\nE,sam@example.com\n"
    )
    assert "new users (reps): sam.tan (Sam Tan), sam@example.com" in out
    assert [d["owner"] for d in desk.deals()] == [
        "lena",
        "lena",
        "sam.tan",
        "sam.tan",
        "sam@example.com",
    ]


def test_imported_deals_are_added_after_the_cards_already_in_a_column(desk: Desk) -> None:
    first = desk.board.add_deal(DealFields(title="Already here"))
    desk.imported("Title\nNew one\nNew two\n")
    titles = [d.title for d in desk.board.list_deals(stage="Prospect")]
    assert titles == ["Already here", "New one", "New two"]
    assert desk.board.deal(first).summary.position == 0


def test_json_options_are_refused_for_csv_only_flags(desk: Desk) -> None:
    _, errors = desk.refused("{}", "--map", "a=title", name="board.json")
    assert any("only CSV imports take it" in line for line in errors)


def test_a_missing_file_is_one_line(cli: Cli, board: Board, tmp_path: Path) -> None:  # noqa: F811
    code, out, err = cli("import", str(tmp_path / "nope.csv"))
    assert (code, out) == (2, "")
    assert err == f"dealboard: {tmp_path / 'nope.csv'}: no such file\n"


def _card_badges(board: Board) -> dict[str, list[str]]:
    from dealboard.domain.badges import deal_badges

    stages = {s.id: s for p in board.pipelines() for s in p.stages}
    return {
        d.title: [b.text for b in deal_badges(d, stages[d.stage_id], board.now())]
        for d in board.list_deals()
    }


def test_imported_open_deals_are_no_new_leads_and_their_clocks_start_at_the_import(
    desk: Desk,
) -> None:
    """A pipeline brought over from another CRM must not open as a wall of breaches."""
    board = desk.board
    desk.imported(
        "Title,Stage,Owner,Created\n"
        "Old prospect,Prospect,rick,2025-03-01\n"
        "Old pitch,Pitch,rick,2025-06-01\n"
    )
    fresh = board.add_deal(DealFields(title="New lead", owner="rick"))
    desk.clock.advance(hours=1)
    badges = _card_badges(board)
    assert not [b for b in badges["Old prospect"] if "⚠" in b or "quiet" in b]
    assert not [b for b in badges["Old pitch"] if "⚠" in b or "quiet" in b]
    assert "⚠ no touch 1h" in badges["New lead"]
    assert [d.id for d in board.breached_deals()] == [fresh]
    report = board.sla_report(since="2020-01-01")
    assert (report.team.leads, report.team.judged, report.team.no_touch) == (1, 1, 1)
    owners = board.report("owners", since="2020-01-01")
    assert [(r.owner, r.sla.n) for r in owners.owners if r.sla.n] == [("rick", 1)]
    assert owners.team.sla.n == 1

    desk.clock.advance(days=22)  # past Prospect's 5 attempts in 14 days and both rot days
    badges = _card_badges(board)
    assert "⚠ 0/5 late" in badges["Old prospect"]
    assert "quiet 22d" in badges["Old prospect"] and "quiet 22d" in badges["Old pitch"]
    assert not [b for b in badges["Old prospect"] if "no touch" in b]
