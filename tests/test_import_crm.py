"""`dealboard import` of real CRM exports (Salesforce, HubSpot, Pipedrive, Zoho) as CSV and .xlsx,
every problem in one run, nothing invented silently, and `.xlsx` export read back."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from clock import FixedClock
from dealboard.domain.board import Board
from helpers import row_counts
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name
from test_import_csv import Desk, utc  # noqa: F401 - the autouse fixture is used by name

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def desk(cli: Cli, board: Board, timed: FixedClock, tmp_path: Path) -> Desk:  # noqa: F811
    return Desk(cli, board, timed, tmp_path)


def workbook(path: Path, text: str) -> Path:
    """The CSV text as an .xlsx sheet the way CRMs write one: numbers as numbers, ISO days as
    Excel dates, true/false as booleans, everything else as text."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Deals"
    for number, row in enumerate(csv.reader(io.StringIO(text))):
        cells: list[Any] = []
        for cell in row:
            if number == 0:
                cells.append(cell)
            elif _ISO_DAY.fullmatch(cell):
                cells.append(date.fromisoformat(cell))
            elif _NUMBER.fullmatch(cell):
                cells.append(float(cell) if "." in cell else int(cell))
            elif cell in ("true", "false"):
                cells.append(cell == "true")
            else:
                cells.append(cell or None)
        sheet.append(cells)
    book.save(path)
    return path


def imported_as(desk: Desk, fmt: str, text: str, *args: str) -> str:
    """Import `text` as a CSV file or as an .xlsx workbook; what the import printed."""
    if fmt == "csv":
        return desk.imported(text, *args)[1]
    return desk.imported(workbook(desk.folder / "deals.xlsx", text), *args)[1]


SALESFORCE = (
    "Id,Name,StageName,Amount,CloseDate,CreatedDate,LeadSource,NextStep,IsClosed,IsWon,OwnerId\n"
    "006A1,Fleet rollout,Qualification,48000,2026-12-15,2026-10-01T09:15:00.000Z,Web,"
    "Call CFO,false,false,005X1\n"
    "006A2,Kiosk pilot,Closed Won,12500.5,2026-10-20,2026-09-01T10:00:00.000Z,Partner,,"
    "true,true,005X2\n"
    "006A3,Support renewal,Closed Lost,1200,2026-10-05,2026-08-01T10:00:00.000Z,,,"
    "true,false,005X1\n"
    "006A4,Old thing,Negotiation/Review,900,2026-12-01,,,,false,false,005X1\n"
)
SALESFORCE_REPORT = (
    "Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,Opportunity Owner,"
    "Closed,Won,Probability (%)\n"
    "Fleet rollout,Northwind,Qualification,48000,2026-12-15,2026-10-01,Lena Hoffmann,"
    "false,false,20\n"
    "Kiosk pilot,Café Zürich,Negotiation/Review,12500.5,2026-10-20,2026-09-01,José Núñez,"
    "true,true,100\n"
    "Support renewal,Acme,Negotiation/Review,1200,2026-10-05,2026-08-01,Lena Hoffmann,"
    "true,false,0\n"
)
HUBSPOT_INTERNAL = (
    "hs_object_id,dealname,dealstage,pipeline,amount,deal_currency_code,closedate,createdate,"
    "hubspot_owner_id,hs_is_closed_won\n"
    "11,Fleet rollout,appointmentscheduled,default,48000,EUR,2026-12-15T00:00:00Z,"
    "2026-10-01T09:15:00Z,4711,false\n"
    "12,Kiosk pilot,closedwon,default,12500.5,EUR,2026-10-20T00:00:00Z,"
    "2026-09-01T10:00:00Z,4712,true\n"
    "13,Support renewal,closedlost,default,1200,EUR,2026-10-05T00:00:00Z,"
    "2026-08-01T10:00:00Z,4711,false\n"
)
HUBSPOT_DISPLAY = (
    "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Currency,Close Date,Create Date,Deal owner,"
    "Associated Company,Is Closed Won\n"
    "11,Fleet rollout,Appointment scheduled,Sales Pipeline,48000,EUR,2026-12-15,2026-10-01,"
    "Lena Hoffmann,Northwind,false\n"
    "12,Kiosk pilot,Closed won,Sales Pipeline,12500.5,EUR,2026-10-20,2026-09-01,José Núñez,"
    "Café Zürich,true\n"
    "13,Support renewal,Closed lost,Sales Pipeline,1200,EUR,2026-10-05,2026-08-01,"
    "Lena Hoffmann,Acme,false\n"
)
PIPEDRIVE = (
    "Deal - ID,Deal - Title,Deal - Stage,Deal - Value,Deal - Currency,Deal - Owner,"
    "Deal - Expected close date,Deal - Deal created,Deal - Status,Deal - Won time,"
    "Deal - Lost time,Deal - Lost reason,Deal - Organization\n"
    "1,Fleet rollout,Qualified,48000,EUR,Lena Hoffmann,2026-12-15,2026-10-01 09:15:00,open,,,,"
    "Northwind\n"
    "2,Kiosk pilot,Negotiations Started,12500.5,EUR,José Núñez,,2026-09-01 10:00:00,won,"
    "2026-10-20 14:00:00,,,Café Zürich\n"
    "3,Support renewal,Negotiations Started,1200,EUR,Lena Hoffmann,,2026-08-01 10:00:00,lost,,"
    "2026-10-05 11:00:00,Price too high,Acme\n"
)
ZOHO = (
    "Deal Name,Stage,Amount,Closing Date,Created Time,Account Name,Deal Owner,Probability (%),"
    "Reason For Loss,Lead Source\n"
    "Fleet rollout,Qualification,48000,2026-12-15,2026-10-01 09:15:00,Northwind,Lena Hoffmann,"
    "10,,Web\n"
    "Kiosk pilot,Closed Won,12500.5,2026-10-20,2026-09-01 10:00:00,Café Zürich,José Núñez,"
    "100,,Partner\n"
    "Support renewal,Closed-Lost to Competition,1200,2026-10-05,2026-08-01 10:00:00,Acme,"
    "Lena Hoffmann,0,,Web\n"
)
_REPORT_MAPS = ("--stage-map", "Qualification=Qualify", "--stage-map", "Negotiation/Review=Close")
CRMS = {
    "salesforce-api": (SALESFORCE, _REPORT_MAPS),
    "salesforce-report": (SALESFORCE_REPORT, _REPORT_MAPS),
    "hubspot-internal": (
        HUBSPOT_INTERNAL,
        ("--pipeline", "seven-step", "--stage-map", "appointmentscheduled=Qualify"),
    ),
    "hubspot-display": (
        HUBSPOT_DISPLAY,
        ("--pipeline", "seven-step", "--stage-map", "Appointment scheduled=Qualify"),
    ),
    "pipedrive": (
        PIPEDRIVE,
        ("--stage-map", "Qualified=Qualify", "--stage-map", "Negotiations Started=Close"),
    ),
    "zoho": (ZOHO, ("--stage-map", "Qualification=Qualify")),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("crm", list(CRMS))
def test_crm_exports_land_with_their_stages_outcomes_amounts_owners_and_dates(
    desk: Desk, crm: str, fmt: str
) -> None:
    text, args = CRMS[crm]
    out = imported_as(desk, fmt, text, *args)
    rows = desk.titled()
    fleet, kiosk, renewal = rows["Fleet rollout"], rows["Kiosk pilot"], rows["Support renewal"]
    assert (fleet["stage"], fleet["status"], fleet["value"]) == ("Qualify", "open", 4_800_000)
    assert (kiosk["stage"], kiosk["status"], kiosk["value"]) == ("Won", "won", 1_250_050)
    assert (renewal["stage"], renewal["status"], renewal["value"]) == ("Lost", "lost", 120_000)
    assert fleet["expected_close"] == "2026-12-15"
    assert fleet["created_at"].startswith("2026-10-01")
    assert kiosk["created_at"].startswith("2026-09-01")
    assert kiosk["closed_at"].startswith("2026-10-20")
    assert renewal["closed_at"].startswith("2026-10-05")
    # The same person owns Fleet and the renewal, another the kiosk; never the importer.
    assert fleet["owner"] == renewal["owner"] != kiosk["owner"]
    assert "maria" not in {fleet["owner"], kiosk["owner"]}
    if crm == "zoho":
        assert renewal["loss_reason"] == "unknown"
    if "Organization" in text or "Account Name" in text or "Associated Company" in text:
        assert (fleet["account"], kiosk["account"]) == ("Northwind", "Café Zürich")
    if crm == "salesforce-api":
        assert rows["Old thing"]["stage"] == "Close"
        assert "1 deal had no creation date: created 2026-11-20 15:00 UTC (the import time)" in out
    if fmt == "xlsx":
        assert "read as the first sheet of an Excel workbook ('Deals')" in out


def test_salesforce_api_names_are_read_not_skipped(desk: Desk) -> None:
    _, out = desk.imported(SALESFORCE, *_REPORT_MAPS, "--dry-run")
    assert (
        "columns: 'Name' → title, 'StageName' → stage, 'Amount' → value, "
        "'CloseDate' → expected_close, 'CreatedDate' → created, 'LeadSource' → source, "
        "'NextStep' → next_step, 'IsClosed' → is_closed, 'IsWon' → is_won, 'OwnerId' → owner"
    ) in out
    assert "skipped columns: 'Id' (no matching field)" in out
    assert (
        "2 won or lost deals had no closed date: closed on their expected close date "
        "(Salesforce and HubSpot keep the closing day there)"
    ) in out


def test_true_false_columns_that_contradict_the_status_are_refused(desk: Desk) -> None:
    path, errors = desk.refused("Title,Status,IsWon\nFleet,lost,true\n")
    assert errors[0] == f"{path}:2: column \"Status\": 'lost' but the true/false columns say won"
    path, errors = desk.refused("Title,StageName,IsWon\nFleet,Closed Lost,true\n")
    assert errors[0] == f"{path}:2: column \"IsWon\": 'won' does not fit the stage Lost (lost)"


def test_a_stage_like_column_that_matched_nothing_stops_the_import(desk: Desk) -> None:
    text = "Title,Opportunity Stage (current),Amount\nFleet,Prospecting,100\nKiosk,Closed Won,5\n"
    path, errors = desk.refused(text)
    assert errors == [
        f"{path}: column 'Opportunity Stage (current)' looks like the deals' stage but is not "
        "read as one; read it with --map 'Opportunity Stage (current)=stage' (or --stage-map "
        "NAME=STAGE), put every deal in one stage with --all-in STAGE, or leave it out with "
        "--map 'Opportunity Stage (current)=skip'",
        f"dealboard: {path} was not imported (1 problem); nothing was written",
    ]
    _, out = desk.imported(Path(path), "--all-in", "Qualify", "--dry-run")
    assert "'Opportunity Stage (current)' (--all-in given)" in out
    _, out = desk.imported(Path(path), "--stage-map", "Prospecting=Research")
    assert "stages read from 'Opportunity Stage (current)'" in out
    assert {d["title"]: d["stage"] for d in desk.deals()} == {"Fleet": "Research", "Kiosk": "Won"}


def test_all_in_puts_every_deal_in_one_stage_and_says_so(desk: Desk) -> None:
    text = "Title,StageName\nFleet,Prospecting\nKiosk,Whatever\n"
    _, out = desk.imported(text, "--all-in", "pitch")
    assert "every deal put in Pitch (--all-in); the file's stages not read" in out
    assert "'StageName' (--all-in given)" in out
    assert {d["stage"] for d in desk.deals()} == {"Pitch"}
    _, errors = desk.refused(text, "--all-in", "Nowhere")
    assert errors[0].startswith("--all-in: no stage 'Nowhere' in seven-step (Prospect, ")


def test_a_dry_run_lists_every_kind_of_problem_at_once_with_its_fix(desk: Desk) -> None:
    rows = [
        "Fleet,Prospect,x,2026-10-01",
        "Kiosk,Demo booked,y,2026-10-01",
        "Pilot,Contract out,z,yesterday",
        "Other,Demo booked,w,2026-10-01",
        "Fifth,Prospect,v,2026-10-01",
    ]
    path = desk.write("Subject,Stage,Amount,Created\n" + "\n".join(rows) + "\n")
    before = row_counts(desk.board)
    code, out, err = desk.cli("import", path, "--dry-run")
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == (
        f"{path}: no column holds the deal title (columns: 'Subject', 'Stage', 'Amount', "
        "'Created'); name it with --map 'COLUMN=title'"
    )
    assert lines[1].startswith(
        f"{path}: unknown stages: 'Demo booked' (2 deals, first on line 3), "
        "'Contract out' (1 deal, first on line 4). Map each to a stage of seven-step"
    )
    assert lines[1].endswith(
        "e.g. --stage-map 'Demo booked=Prospect' --stage-map 'Contract out=Prospect'"
    )
    assert lines[2] == (
        f'{path}: column "Amount": 5 rows refused (lines 2, 3, 4, 5, 6); correct them in the '
        "file, or leave the column out with --map 'Amount=skip'"
    )
    assert lines[3].startswith(f"  {path}:2: column \"Amount\": 'x' is not accepted")
    assert lines[4].startswith(f"{path}:4: column \"Created\": 'yesterday' is not accepted")
    assert lines[5] == f"dealboard: {path} would be refused (8 problems); nothing was written"
    assert "dry run: nothing was written" in out
    _, errors = desk.refused(Path(path))
    assert errors[:5] == lines[:5]  # the real import refuses with the same full list
    assert row_counts(desk.board) == before


@pytest.mark.parametrize("target", ["tag", "tags", "Tags"])
def test_a_column_maps_to_tags_by_either_name_and_the_slugging_is_shown(
    desk: Desk, target: str
) -> None:
    _, out = desk.imported(
        "Title,Product\nFleet,GTX Plus Basic\nKiosk,gtx\n", "--map", f"Product={target}"
    )
    assert "tags made lower-case with dashes, e.g. 'GTX Plus Basic' → 'gtx-plus-basic'" in out
    assert desk.titled()["Fleet"]["tags"] == ["gtx-plus-basic"]


def test_invented_values_are_said_and_the_creation_date_can_be_given(desk: Desk) -> None:
    _, out = desk.imported("Title,Owner\nFleet,\nKiosk,maria\n")
    assert (
        "2 deals had no creation date: created 2026-11-20 15:00 UTC (the import time); "
        "set another with --created-default DATE"
    ) in out
    assert "2 open deals had no stage: put in the pipeline's first stage" in out
    assert "1 deal had no owner: owned by you" in out
    _, out = desk.imported("Title\nPilot\n", "--created-default", "2026-01-15")
    assert "1 deal had no creation date: created 2026-01-15 00:00 UTC;" in out
    assert desk.titled()["Pilot"]["created_at"] == "2026-01-15T00:00:00+00:00"
    _, errors = desk.refused("Title\nLater\n", "--created-default", "2027-01-01")
    assert errors[0] == "--created-default: 2027-01-01 is in the future"


TRICKY = (
    "Title,Amount,Currency,Stage,Status,Account,Tags,Created,Closed,Expected close date,Notes\n"
    '"=HYPERLINK(""http://x"",""go"")",1200.50,EUR,Pitch,,"+1 upsell",Hot lead,'
    '2026-10-01T09:15:00Z,,2026-12-15,"-5% discount\nsecond line"\n'
    "@home,900,USD,,won,Acme,,2026-09-01T10:00:00Z,2026-10-20T14:00:00Z,,\n"
    "Plain,0,EUR,,lost,,,2026-08-01T10:00:00Z,2026-10-05T11:00:00Z,,\n"
)
_KEPT = (
    "title",
    "value",
    "currency",
    "stage",
    "status",
    "owner",
    "account",
    "tags",
    "created_at",
    "closed_at",
    "expected_close",
    "loss_reason",
)


def test_an_xlsx_export_keeps_text_as_text_and_imports_back_the_same(desk: Desk) -> None:
    desk.imported(TRICKY)
    target = desk.folder / "out.xlsx"
    code, out, err = desk.cli("export", "-o", str(target))
    assert (code, err) == (0, "")
    sheet = load_workbook(target).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["ID", "Title", "Value"]
    titles = {c.value: c.data_type for c in sheet["B"][1:]}
    assert titles == {'=HYPERLINK("http://x","go")': "s", "@home": "s", "Plain": "s"}
    notes = sheet.cell(2, header.index("Notes") + 1)
    assert (notes.value, notes.data_type) == ("-5% discount\nsecond line", "s")
    assert isinstance(sheet.cell(2, header.index("Value") + 1).value, int | float)
    before = [tuple(str(d[k]) for k in _KEPT) for d in desk.deals()]
    _, out = desk.imported(target)
    assert "imported 3 deals" in out
    after = Counter(tuple(str(d[k]) for k in _KEPT) for d in desk.deals())
    assert after == Counter(before * 2)


def test_export_format_xlsx_needs_a_file(desk: Desk) -> None:
    code, out, err = desk.cli("export", "--format", "xlsx")
    assert (code, out) == (2, "")
    assert "write a workbook to a file with -o FILE.xlsx" in err


def test_a_workbook_without_the_xlsx_suffix_and_an_old_xls_are_recognised(desk: Desk) -> None:
    book = workbook(desk.folder / "deals.xlsx", "Title,Amount\nFleet,100\n")
    renamed = book.rename(desk.folder / "export.dat")
    desk.imported(renamed)
    assert desk.titled()["Fleet"]["value"] == 10_000
    old = desk.folder / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    _, errors = desk.refused(old)
    assert errors[0] == f"{old}: an old Excel (.xls) file; save it as .xlsx or CSV UTF-8"
