"""Customers as records: the account a deal is for and the contact it is with.

A deal still carries its account's name as text (cards, filters and exports
read it without a join), but the record is the truth: `link` resolves the text
to an account by its folded name (case and spacing do not make a second
customer), creates one when none matches, and writes the record's own spelling
back onto the deal. Every writer of a deal's account or contact goes through
here, so the text and the record never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealboard.db.base import utcnow
from dealboard.db.models import Account, Contact, Deal, User
from dealboard.domain import audit
from dealboard.domain.errors import InvalidInput
from dealboard.domain.text import display_safe
from dealboard.vocabulary import ContactType

_SPACES = re.compile(r"\s+")
#: Contact types in the order a contact progresses: a contact never moves backwards by a fact.
PROGRESSION: tuple[ContactType, ...] = tuple(ContactType)


def tidy_name(name: str) -> str:
    """The name as an account record keeps it: spacing collapsed, ends trimmed."""
    return _SPACES.sub(" ", name).strip()[:200]


def fold_name(name: str) -> str:
    """The key two spellings of one customer share: "ACME  corp" and "Acme Corp" match."""
    return tidy_name(name).casefold()[:200]


def find_account(session: Session, name: str) -> Account | None:
    """The account of that name (folded), or None; never creates one."""
    key = fold_name(name)
    if not key:
        return None
    return session.scalar(select(Account).where(Account.name_key == key))


def account_for(session: Session, name: str, now: datetime | None = None) -> Account | None:
    """The account of that name, created when no account matches; None for an empty name.

    Two people adding the first deal of a new customer at once both end with the
    same record: the loser of the unique key's race reads the winner's row.
    """
    key = fold_name(name)
    if not key:
        return None
    found = session.scalar(select(Account).where(Account.name_key == key))
    if found is not None:
        return found
    account = Account(name=tidy_name(name), name_key=key, created_at=now or utcnow())
    try:
        with session.begin_nested():
            session.add(account)
            session.flush()
    except IntegrityError:
        return session.scalars(select(Account).where(Account.name_key == key)).one()
    return account


def contact_for(
    session: Session,
    account: Account | None,
    name: str,
    contact_type: ContactType = ContactType.SUSPECT,
    now: datetime | None = None,
    *,
    promote: bool = True,
) -> Contact | None:
    """The account's contact of that name, created when new; its type only moves forward
    (`promote=False`: found as it is)."""
    key = fold_name(name)
    if not key:
        return None
    account_id = account.id if account is not None else None
    query = select(Contact).where(Contact.name_key == key)
    query = query.where(
        Contact.account_id == account_id if account_id is not None else Contact.account_id.is_(None)
    )
    contact = session.scalars(query.limit(1)).first()
    if contact is None:
        contact = Contact(
            account_id=account_id,
            name=tidy_name(name),
            name_key=key,
            contact_type=contact_type,
            created_at=now or utcnow(),
        )
        try:
            with session.begin_nested():
                session.add(contact)
                session.flush()
        except IntegrityError:
            return session.scalars(query.limit(1)).one()
        return contact
    if promote:
        contact.contact_type = further(contact.contact_type, contact_type)
    return contact


def further(current: ContactType, offered: ContactType) -> ContactType:
    """The further along of two contact types (a Customer stays one)."""
    return max(current, offered, key=PROGRESSION.index)


def link(
    session: Session,
    deal: Deal,
    now: datetime | None = None,
    *,
    typed: ContactType | None = None,
    restoring: bool = False,
) -> audit.Changes:
    """Point the deal at the records its account and contact text name (creating them).

    The type is the person's: the deal takes its contact's type, and a `typed` type further
    along raises the contact's record (returned as the record's change, for the caller's
    audit, so undo puts it back); one below the record's is refused, naming the person.
    `restoring` (undo, redo): find the records only; the deal's own audit rows put its type
    back, and a record must not be raised by a value being taken back.
    """
    account = account_for(session, deal.account or "", now)
    deal.account_id = account.id if account is not None else None
    deal.account = account.name if account is not None else ""
    offered = deal.contact_type or ContactType.SUSPECT
    contact = contact_for(session, account, deal.contact or "", offered, now, promote=False)
    deal.contact_id = contact.id if contact is not None else None
    if contact is None or restoring or contact.id is None:
        return {}
    if typed is not None and PROGRESSION.index(typed) < PROGRESSION.index(contact.contact_type):
        raise InvalidInput(
            "contact type",
            typed.value,
            f"{display_safe(contact.name)} is already a {contact.contact_type.value};"
            " a contact's type only moves forward",
        )
    before = contact.contact_type
    contact.contact_type = further(before, offered)
    deal.contact_type = contact.contact_type
    if contact.contact_type is before:
        return {}
    return {"contact_type": (before, contact.contact_type)}


def won(session: Session, actor: User, deal: Deal, now: datetime) -> audit.Changes:
    """A deal being won makes its contact a Customer, audited so undoing the win puts it back.

    The contact record and the contact's other deals are recorded in the win's
    own change (the record as a `contact` row, each other deal as its own
    update); the deal's own type is returned for the caller's move record.
    Undo reverts them all exactly, so an undone win leaves the contact as it
    was before it: a Customer only if another fact made them one.
    """
    if deal.contact_type is ContactType.CUSTOMER and deal.contact_id is None:
        return {}
    audit.begin_change(session, actor, at=now, deal_id=deal.id)  # the change is the win's
    if deal.contact_id is not None:
        contact = session.get(Contact, deal.contact_id)
        if contact is not None and contact.contact_type is not ContactType.CUSTOMER:
            audit.record(
                session,
                actor,
                action="update",
                entity="contact",
                entity_id=contact.id,
                deal_id=deal.id,
                at=now,
                changes={"contact_type": (contact.contact_type, ContactType.CUSTOMER)},
            )
            contact.contact_type = ContactType.CUSTOMER
        others = session.scalars(
            select(Deal).where(
                Deal.contact_id == deal.contact_id,
                Deal.id != deal.id,
                Deal.contact_type != ContactType.CUSTOMER,
            )
        ).all()
        for other in others:
            audit.record(
                session,
                actor,
                action="update",
                entity="deal",
                entity_id=other.id,
                deal_id=other.id,
                at=now,
                changes={"contact_type": (other.contact_type, ContactType.CUSTOMER)},
            )
            other.contact_type = ContactType.CUSTOMER
            other.updated_at = now
    if deal.contact_type is ContactType.CUSTOMER:
        return {}
    old, deal.contact_type = deal.contact_type, ContactType.CUSTOMER
    return {"contact_type": (old, ContactType.CUSTOMER)}


# -- many deals at once: imports, restores and the demo --------------------------

#: Names looked up per statement (well under SQLite's and PostgreSQL's parameter limits).
_CHUNK = 1000


@dataclass(frozen=True)
class Party:
    """One deal's account and contact as given, and whether the deal is won."""

    account: str
    contact: str
    contact_type: ContactType = ContactType.SUSPECT
    won: bool = False


@dataclass(frozen=True)
class Link:
    """The records one party resolved to, and the account's name as the record spells it."""

    account_id: int | None
    account: str
    contact_id: int | None


@dataclass(frozen=True)
class Linked:
    """What `link_many` resolved: one link per party, in order, and what it found or made."""

    links: list[Link]
    new_accounts: int
    matched_accounts: int
    #: Contacts a won deal made (or found) a Customer: their deals become Customers too.
    customers: frozenset[int]


def account_tally(session: Session, names: Iterable[str]) -> tuple[int, int]:
    """(new, matched) accounts for these names, without writing: what an import's dry run says."""
    keys = {fold_name(name) for name in names} - {""}
    found = _account_rows(session, keys)
    return len(keys) - len(found), len(found)


def link_many(session: Session, parties: Sequence[Party], now: datetime) -> Linked:
    """Resolve every party to account and contact records, creating the missing ones.

    A handful of statements for any number of deals: one read per table, one
    insert of the missing rows (a row a colleague added meanwhile is kept, not
    duplicated), one read of what the insert made. A contact's type only moves
    forward: to the furthest any of its deals says, and Customer when one is won.
    """
    fold = _Folder()
    names: dict[str, str] = {}
    for party in parties:
        key = fold(party.account)
        if key:
            names.setdefault(key, tidy_name(party.account))
    accounts = _account_rows(session, names.keys())
    matched = len(accounts)
    missing = [
        {"name": name, "name_key": key, "created_at": now}
        for key, name in names.items()
        if key not in accounts
    ]
    if missing:
        _insert_new(session, Account.__table__, missing, ["name_key"])
        accounts.update(_account_rows(session, [row["name_key"] for row in missing]))
    wanted: dict[tuple[int | None, str], tuple[str, ContactType]] = {}
    won: set[tuple[int | None, str]] = set()
    for party in parties:
        contact_key = fold(party.contact)
        if not contact_key:
            continue
        account = accounts.get(fold(party.account))
        key = (account[0] if account else None, contact_key)
        kind = ContactType.CUSTOMER if party.won else party.contact_type
        found = wanted.get(key)
        if found is None:
            wanted[key] = (tidy_name(party.contact), kind)
        elif found[1] is not kind:
            wanted[key] = (found[0], further(found[1], kind))
        if party.won:
            won.add(key)
    contacts = _contact_rows(session, wanted.keys())
    new_contacts = [
        {
            "account_id": key[0],
            "name": name,
            "name_key": key[1],
            "contact_type": kind,
            "created_at": now,
        }
        for key, (name, kind) in wanted.items()
        if key not in contacts
    ]
    if new_contacts:
        _insert_new(session, Contact.__table__, new_contacts, ["account_id", "name_key"])
        contacts.update(_contact_rows(session, [k for k in wanted if k not in contacts]))
    moved_on = [
        {"contact": contacts[key][0], "kind": further(contacts[key][1], kind)}
        for key, (_, kind) in wanted.items()
        if further(contacts[key][1], kind) is not contacts[key][1]
    ]
    if moved_on:
        session.execute(
            update(Contact.__table__)
            .where(Contact.__table__.c.id == bindparam("contact"))
            .values(contact_type=bindparam("kind")),
            moved_on,
        )
    links = []
    for party in parties:
        account = accounts.get(fold(party.account))
        account_id = account[0] if account else None
        contact = contacts.get((account_id, fold(party.contact)))
        links.append(
            Link(account_id, account[1] if account else "", contact[0] if contact else None)
        )
    customers = frozenset(contacts[key][0] for key in won)
    return Linked(links, len(missing), matched, customers)


class _Folder:
    """`fold_name`, remembered per distinct text: an import repeats its accounts and contacts."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        key = self._seen.get(name)
        if key is None:
            key = self._seen[name] = fold_name(name)
        return key


def _account_rows(session: Session, keys: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Folded name -> (id, name) of the accounts that exist."""
    keys = list(keys)
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        for id_, name, key in session.execute(
            select(Account.id, Account.name, Account.name_key).where(Account.name_key.in_(chunk))
        ):
            found[key] = (id_, name)
    return found


def _contact_rows(
    session: Session, keys: Iterable[tuple[int | None, str]]
) -> dict[tuple[int | None, str], tuple[int, ContactType]]:
    """(account id, folded name) -> (id, type) of the contacts that exist (oldest first)."""
    keys = list(keys)
    wanted = set(keys)
    found: dict[tuple[int | None, str], tuple[int, ContactType]] = {}
    names = sorted({key[1] for key in keys})
    for start in range(0, len(names), _CHUNK):
        chunk = names[start : start + _CHUNK]
        rows = session.execute(
            select(Contact.id, Contact.account_id, Contact.name_key, Contact.contact_type)
            .where(Contact.name_key.in_(chunk))
            .order_by(Contact.id)
        )
        for id_, account_id, name_key, kind in rows:
            key = (account_id, name_key)
            if key in wanted:
                found.setdefault(key, (id_, kind))
    return found


def _insert_new(
    session: Session, table: Table, rows: list[dict[str, Any]], unique: list[str]
) -> None:
    """Insert the rows, leaving out any whose unique key a colleague inserted meanwhile.

    SQLite's writer holds the one write lock since the transaction began, so no
    colleague can have: the rows go in by the import's fast path.
    """
    if session.get_bind().dialect.name != "postgresql":
        from dealboard.domain.exchange.bulk import insert_rows

        insert_rows(session, table, rows)
        return
    from sqlalchemy.dialects.postgresql import insert

    session.execute(insert(table).on_conflict_do_nothing(index_elements=unique), rows)
