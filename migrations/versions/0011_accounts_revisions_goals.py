"""accounts, lineage, WIP limits, pipeline revisions, goals and saved views

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Customers become records: `accounts` (one per name, case and spacing folded)
and their `contacts`; a deal links to both, and to the deal it was started
from (`origin_deal_id`, `origin_kind`: upsell, cross-sell, renewal, referral;
a referral names the referring customer). Every deal's text account becomes
an account here: the same name folded is one account, named as its oldest
deal spelt it, and the deal's text is set to that name; its text contact
becomes a contact of that account whose type is the furthest any of its deals
reached (a won deal makes a Customer). No deal is dropped or changed
otherwise; downgrading drops the records and keeps each deal's text.

Also: `pipelines.nurture_days` (customers untouched this long are due a
call), `stages.wip_max`/`wip_hard` (work-in-progress limits),
`pipeline_revisions` (what an import of a changed pipeline file changed),
`goals` (a month's won-value goal per owner or for the team) and
`saved_views` (a user's named board filters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CONTACT_TYPES = ("Suspect", "Prospect", "Lead", "Customer")
_SPACES = re.compile(r"\s+")


def _fold(name: str) -> str:
    """The matching key of a name, frozen here as this revision folded it."""
    return _SPACES.sub(" ", name).strip().casefold()[:200]


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("name_key", name=op.f("uq_accounts_name_key")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column(
            "contact_type",
            sa.Enum(
                *_CONTACT_TYPES, name="contact_type", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_contacts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("account_id", "name_key", name=op.f("uq_contacts_account_id_name_key")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_name_key"), ["name_key"], unique=False)
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_goals_goal_not_negative")),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"], name=op.f("fk_goals_set_by_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_goals_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index("ix_goals_month_user", ["month", "user_id"], unique=False)
    op.create_table(
        "pipeline_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_pipeline_revisions_pipeline_id_pipelines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pipeline_revisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_revisions")),
        sa.UniqueConstraint(
            "pipeline_id", "number", name=op.f("uq_pipeline_revisions_pipeline_id_number")
        ),
    )
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_views_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_views_user_id_name")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("origin_deal_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "origin_kind",
                sa.Enum(
                    "upsell",
                    "cross-sell",
                    "renewal",
                    "referral",
                    name="deal_origin",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("referred_by_account_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_deals_account", ["account_id", "stage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_deals_origin_deal_id"), ["origin_deal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_deals_referred_by_account_id"), ["referred_by_account_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_contact_id_contacts"), "contacts", ["contact_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_origin_deal_id_deals"),
            "deals",
            ["origin_deal_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_referred_by_account_id_accounts"),
            "accounts",
            ["referred_by_account_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_account_id_accounts"), "accounts", ["account_id"], ["id"]
        )
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nurture_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wip_max", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("wip_hard", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _accounts_from_text(op.get_bind())


def _accounts_from_text(connection: sa.Connection) -> None:
    """Every text account and contact becomes a record; each deal links to its own."""
    rows = connection.execute(
        sa.text(
            "SELECT d.id, d.account, d.contact, d.contact_type, s.kind FROM deals d"
            " JOIN stages s ON s.id = d.stage_id WHERE d.account <> '' OR d.contact <> ''"
            " ORDER BY d.created_at, d.id"
        )
    ).all()
    now = datetime.now(UTC)
    accounts: dict[str, tuple[int, str]] = {}
    contacts: dict[tuple[int | None, str], int] = {}
    contact_rank: dict[int, int] = {}
    links: list[dict[str, object]] = []
    account_table = sa.table(
        "accounts",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    contact_table = sa.table(
        "contacts",
        sa.column("id", sa.Integer),
        sa.column("account_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("contact_type", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    for deal_id, account_text, contact_text, contact_type, stage_kind in rows:
        account_id = None
        account_name = ""
        if _fold(account_text):
            key = _fold(account_text)
            if key not in accounts:
                name = _SPACES.sub(" ", account_text).strip()[:200]
                new_id = connection.execute(
                    sa.insert(account_table)
                    .values(name=name, name_key=key, created_at=now)
                    .returning(account_table.c.id)
                ).scalar_one()
                accounts[key] = (new_id, name)
            account_id, account_name = accounts[key]
        contact_id = None
        if _fold(contact_text):
            contact_key = (account_id, _fold(contact_text))
            if contact_key not in contacts:
                contacts[contact_key] = connection.execute(
                    sa.insert(contact_table)
                    .values(
                        account_id=account_id,
                        name=_SPACES.sub(" ", contact_text).strip()[:200],
                        name_key=contact_key[1],
                        contact_type="Suspect",
                        created_at=now,
                    )
                    .returning(contact_table.c.id)
                ).scalar_one()
            contact_id = contacts[contact_key]
            rank = 3 if stage_kind == "won" else _CONTACT_TYPES.index(contact_type)
            contact_rank[contact_id] = max(contact_rank.get(contact_id, 0), rank)
        links.append(
            {
                "deal": deal_id,
                "account_id": account_id,
                "account": account_name or account_text,
                "contact_id": contact_id,
            }
        )
    if links:
        connection.execute(
            sa.text(
                "UPDATE deals SET account_id = :account_id, account = :account,"
                " contact_id = :contact_id WHERE id = :deal"
            ),
            links,
        )
    for contact_id, rank in contact_rank.items():
        connection.execute(
            sa.text("UPDATE contacts SET contact_type = :type WHERE id = :id"),
            {"type": _CONTACT_TYPES[rank], "id": contact_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_column("wip_hard")
        batch_op.drop_column("wip_max")
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.drop_column("nurture_days")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_deals_account_id_accounts"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_deals_referred_by_account_id_accounts"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_deals_origin_deal_id_deals"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_deals_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("ck_deals_deal_origin"), type_="check")
        batch_op.drop_index(batch_op.f("ix_deals_referred_by_account_id"))
        batch_op.drop_index(batch_op.f("ix_deals_origin_deal_id"))
        batch_op.drop_index(batch_op.f("ix_deals_contact_id"))
        batch_op.drop_index("ix_deals_account")
        batch_op.drop_column("referred_by_account_id")
        batch_op.drop_column("origin_kind")
        batch_op.drop_column("origin_deal_id")
        batch_op.drop_column("contact_id")
        batch_op.drop_column("account_id")
    op.drop_table("saved_views")
    op.drop_table("pipeline_revisions")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index("ix_goals_month_user")
    op.drop_table("goals")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_name_key"))
        batch_op.drop_index(batch_op.f("ix_contacts_account_id"))
    op.drop_table("contacts")
    op.drop_table("accounts")
