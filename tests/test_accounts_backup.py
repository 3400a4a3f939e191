"""A JSON export carries customers, lineage, limits, goals, views and revisions; a restore checks
them like typed input, and an export from before accounts were records still restores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from dealboard.db.models import Account, Contact, Deal
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.vocabulary import ContactType, DealOrigin
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name
from test_export import empty, exported, process_records, restored, rows_in, without_time  # noqa: F401
from test_import_csv import Desk, desk, utc  # noqa: F401 - fixtures by name

#: What migration 0011 added: an export from before it has none of these.
_NEW_TABLES = ("accounts", "contacts", "pipeline_revisions", "goals", "saved_views")
_NEW_DEAL_COLUMNS = (
    "account_id",
    "contact_id",
    "origin_deal_id",
    "origin_kind",
    "referred_by_account_id",
)


def customers(board: Board) -> dict[str, int]:
    """Three deals: a won one, its renewal (made *before* it in id order) and a referral."""
    renewal = board.add_deal(
        DealFields(title="Renewal", account="ACME  corp", contact="ann lee", contact_type="Lead")
    )
    won = board.add_deal(DealFields(title="Fleet", account="Acme Corp", contact="Ann Lee"))
    board.win(won, override="signed")
    referral = board.add_deal(DealFields(title="Kiosks", account="Globex", contact="Gil"))
    with board.database.write() as session:
        acme = session.scalars(select(Account).where(Account.name_key == "acme corp")).one()
        for deal_id, kind, origin, referrer in (
            (renewal, DealOrigin.RENEWAL, won, None),
            (referral, DealOrigin.REFERRAL, won, acme.id),
        ):
            deal = session.get(Deal, deal_id)
            assert deal is not None
            deal.origin_deal_id, deal.origin_kind = origin, kind
            deal.referred_by_account_id = referrer
    return {"renewal": renewal, "won": won, "referral": referral}


def save(desk: Desk, document: dict[str, Any], name: str = "board.json") -> Path:  # noqa: F811
    path = desk.folder / name
    path.write_text(json.dumps(document))
    return path


def test_customers_lineage_and_process_records_restore_exactly(
    desk: Desk,  # noqa: F811
    empty: Cli,  # noqa: F811
    empty_db_url: URL,
) -> None:
    ids = customers(desk.board)
    process_records(desk.board)
    document = exported(desk.cli)
    for table in _NEW_TABLES:
        assert document[table], table
    restored(empty, save(desk, document))
    assert without_time(exported(empty)) == without_time(document)
    board = open_board(empty_db_url, "maria", desk.clock, first_template=None, create=True)
    try:
        with board.database.read() as session:
            renewal = session.get(Deal, ids["renewal"])
            referral = session.get(Deal, ids["referral"])
            assert renewal is not None and referral is not None
            assert (renewal.origin_deal_id, renewal.origin_kind) == (
                ids["won"],
                DealOrigin.RENEWAL,
            )
            assert renewal.account == "ACME corp" and renewal.contact_type is ContactType.CUSTOMER
            assert referral.referred_by_account_id == renewal.account_id
        # New records after a restore get fresh ids (the sequences moved past the file's).
        board.add_deal(DealFields(title="Next", account="Initech", contact="Peter"))
    finally:
        board.database.dispose()


def _damage(document: dict[str, Any], change: str) -> None:
    deal = next(d for d in document["deals"] if d["title"] == "Renewal")
    if change == "account text":
        deal["account"] = "Acme Corporation"
    elif change == "name key":
        document["accounts"][0]["name_key"] = "ACME"
    elif change == "same account twice":
        document["accounts"].append(dict(document["accounts"][0], id=99, name="ACME Corp"))
        document["accounts"][-1]["name_key"] = "acme corp"
    elif change == "foreign contact":
        other = next(c for c in document["contacts"] if c["name"] == "Gil")
        deal["contact_id"] = other["id"]
    elif change == "own origin":
        deal["origin_deal_id"] = deal["id"]
    elif change == "missing origin":
        deal["origin_deal_id"] = 999
    elif change == "wip":
        document["stages"][1]["wip_max"] = 0
    elif change == "nurture":
        document["pipelines"][0]["nurture_days"] = 99_999
    elif change == "month":
        document["goals"][0]["month"] = "2026-13"
    elif change == "revision":
        document["pipeline_revisions"][0]["changes"] = "not json"
    elif change == "origin kind":
        deal["origin_kind"] = "gift"
    elif change == "view name":
        document["saved_views"][0]["name"] = " Hot "


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("account text", "deals[0] (id 1): account 'Acme Corporation' is not its record's name"),
        ("name key", "accounts[0].name_key: 'ACME' is not the name folded"),
        ("same account twice", "accounts[2].name: 'ACME Corp' repeats accounts[0]"),
        ("foreign contact", "deals[0] (id 1): contact 2 is not a contact of its account"),
        ("own origin", "deals[0] (id 1): origin_deal_id names the deal itself"),
        ("missing origin", "deals[0]: origin_deal_id 999 refers to no row of deals in the file"),
        ("wip", "stages[1].wip_max: 0 is not accepted; give a whole number from 1 to 10,000"),
        ("nurture", "pipelines[0].nurture_days: 99999 is not accepted; give a whole number"),
        ("month", "goals[0].month: '2026-13' is not accepted; give a month as YYYY-MM"),
        ("revision", "pipeline_revisions[0].changes: 'not json' is not accepted; must be a JSON"),
        ("view name", "saved_views[0].name: ' Hot ' is not accepted; trim the spaces"),
        ("origin kind", 'deals[0] (id 1): origin_kind: "gift" is not one of upsell, cross-sell'),
    ],
)
def test_a_restore_refuses_records_that_could_not_stand_on_a_board(
    desk: Desk,  # noqa: F811
    empty: Cli,  # noqa: F811
    empty_db_url: URL,
    change: str,
    message: str,
) -> None:
    customers(desk.board)
    process_records(desk.board)
    document = exported(desk.cli)
    _damage(document, change)
    path = save(desk, document)
    code, out, err = empty("import", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith(f"{path}: {message}"), err
    assert rows_in(empty_db_url) == {}


def test_an_export_from_before_account_records_restores_and_links_its_deals(
    desk: Desk,  # noqa: F811
    empty: Cli,  # noqa: F811
    empty_db_url: URL,
) -> None:
    board = desk.board
    first = board.add_deal(DealFields(title="Fleet", account="Acme Corp", contact="Ann Lee"))
    second = board.add_deal(DealFields(title="Vans", account="ACME  corp", contact="ann lee"))
    board.add_deal(DealFields(title="Nobody"))
    board.win(second, override="signed")
    document = exported(desk.cli)
    document["schema_revision"] = "0010"
    for table in _NEW_TABLES:
        del document[table]
    for deal in document["deals"]:
        for column in _NEW_DEAL_COLUMNS:
            del deal[column]
    document["deals"][1]["account"] = "ACME  corp"  # as the board kept it before records
    for pipeline in document["pipelines"]:
        del pipeline["nurture_days"]
    for stage in document["stages"]:
        del stage["wip_max"], stage["wip_hard"]
    out = restored(empty, save(desk, document, "old.json"))
    assert "restored 1 pipeline" in out
    restored_board = open_board(empty_db_url, "maria", desk.clock, first_template=None)
    try:
        with restored_board.database.read() as session:
            deals = {d.title: d for d in session.scalars(select(Deal))}
            assert deals["Fleet"].account_id == deals["Vans"].account_id is not None
            assert deals["Vans"].account == "Acme Corp"  # the oldest deal's spelling
            assert deals["Fleet"].contact_id == deals["Vans"].contact_id is not None
            assert deals["Nobody"].account_id is None
            contact = session.get(Contact, deals["Vans"].contact_id)
            assert contact is not None and contact.contact_type is ContactType.CUSTOMER
            assert session.scalars(select(Account.name)).all() == ["Acme Corp"]
        restored_board.add_deal(DealFields(title="Next", account="Initech", contact="Peter"))
    finally:
        restored_board.database.dispose()
    assert first


def test_one_pipeline_carries_its_deals_customers_and_forgets_origins_elsewhere(
    desk: Desk,  # noqa: F811
    empty: Cli,  # noqa: F811
) -> None:
    board = desk.board
    board.add_template("milestones")
    won = board.add_deal(DealFields(title="Fleet", account="Acme", contact="Ann"))
    board.win(won, override="signed")
    board.add_deal(DealFields(title="Elsewhere", account="Globex"))
    upsell = board.add_deal(
        DealFields(title="Upsell", account="Acme", contact="Ann"), pipeline="milestones"
    )
    with board.database.write() as session:
        deal = session.get(Deal, upsell)
        assert deal is not None
        deal.origin_deal_id, deal.origin_kind = won, DealOrigin.UPSELL
    data = exported(desk.cli, "--pipeline", "milestones")
    assert [a["name"] for a in data["accounts"]] == ["Acme"]
    assert [c["name"] for c in data["contacts"]] == ["Ann"]
    (deal_row,) = data["deals"]
    assert (deal_row["origin_deal_id"], deal_row["origin_kind"]) == (None, "upsell")
    assert "(pipeline milestones)" in restored(empty, save(desk, data, "milestones.json"))
    assert without_time(exported(empty)) | {"pipeline": "milestones"} == without_time(data)
