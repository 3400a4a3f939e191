"""Text accounts become account records on upgrade, on both engines, and no deal is lost."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import URL

from dealboard.db import migrate
from dealboard.db.engine import build_engine

_DEALS = [
    # (id, account, contact, contact_type, stage)
    (1, "Acme Corp", "Ann Lee", "Lead", "open"),
    (2, "  ACME   corp ", "ann  lee", "Prospect", "won"),
    (3, "Globex", "", "Suspect", "open"),
    (4, "", "Solo Buyer", "Prospect", "open"),
    (5, "", "", "Suspect", "open"),
    (6, "acme corp", "Bob Ray", "Suspect", "lost"),
]


def _seed_before_accounts(url: URL) -> None:
    """A board at revision 0010 with text accounts spelt several ways."""
    engine = build_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, name, display_name, role, created_at)"
                " VALUES (1, 'sam', 'Sam', 'manager', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pipelines (id, name, title, description, currency, created_at)"
                " VALUES (1, 'p', 'P', '', 'USD', '2026-01-01 00:00:00')"
            )
        )
        for stage_id, kind in ((1, "open"), (2, "won"), (3, "lost")):
            connection.execute(
                text(
                    "INSERT INTO stages (id, pipeline_id, name, position, kind, probability,"
                    " purpose) VALUES (:id, 1, :name, :id, :kind, 0, '')"
                ),
                {"id": stage_id, "name": kind.title(), "kind": kind},
            )
        stage_of = {"open": 1, "won": 2, "lost": 3}
        for deal_id, account, contact, contact_type, stage in _DEALS:
            connection.execute(
                text(
                    "INSERT INTO deals (id, pipeline_id, stage_id, title, account, contact,"
                    " value_minor, currency, owner_id, contact_type, source, next_step,"
                    " position, stage_entered_at, created_at, updated_at, loss_note, version)"
                    " VALUES (:id, 1, :stage, :title, :account, :contact, 0, 'USD', 1, :type,"
                    " '', '', 0, :at, :at, :at, '', 1)"
                ),
                {
                    "id": deal_id,
                    "stage": stage_of[stage],
                    "title": f"Deal {deal_id}",
                    "account": account,
                    "contact": contact,
                    "type": contact_type,
                    "at": f"2026-01-0{deal_id} 00:00:00",
                },
            )
    engine.dispose()


def test_text_accounts_become_records_and_come_back(empty_db_url: URL) -> None:
    migrate.upgrade(empty_db_url)
    migrate.downgrade(empty_db_url, "0010")
    _seed_before_accounts(empty_db_url)

    migrate.upgrade(empty_db_url)

    engine = build_engine(empty_db_url)
    with engine.connect() as connection:
        accounts = connection.execute(
            text("SELECT id, name, name_key FROM accounts ORDER BY id")
        ).all()
        deals = {
            row.id: row
            for row in connection.execute(
                text("SELECT id, account, account_id, contact_id FROM deals ORDER BY id")
            )
        }
        contacts = {
            row.name_key: row
            for row in connection.execute(
                text("SELECT id, account_id, name, name_key, contact_type FROM contacts")
            )
        }
    engine.dispose()
    assert [(a.name, a.name_key) for a in accounts] == [
        ("Acme Corp", "acme corp"),
        ("Globex", "globex"),
    ]
    acme = accounts[0].id
    assert len(deals) == len(_DEALS)
    assert [deals[i].account_id for i in (1, 2, 6)] == [acme, acme, acme]
    assert [deals[i].account for i in (1, 2, 6)] == ["Acme Corp"] * 3
    assert deals[4].account_id is None and deals[5].account_id is None
    assert deals[5].contact_id is None
    assert set(contacts) == {"ann lee", "bob ray", "solo buyer"}
    # Ann's deal was won: she is a Customer; Bob's lost deal leaves him where he was.
    assert contacts["ann lee"].contact_type == "Customer"
    assert contacts["bob ray"].contact_type == "Suspect"
    assert contacts["solo buyer"].account_id is None
    assert deals[1].contact_id == deals[2].contact_id == contacts["ann lee"].id

    migrate.downgrade(empty_db_url, "0010")
    engine = build_engine(empty_db_url)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id, account FROM deals ORDER BY id")).all()
    engine.dispose()
    assert [(row.id, row.account) for row in kept] == [
        (1, "Acme Corp"),
        (2, "Acme Corp"),
        (3, "Globex"),
        (4, ""),
        (5, ""),
        (6, "Acme Corp"),
    ]
