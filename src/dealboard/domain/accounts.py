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
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealboard.db.base import utcnow
from dealboard.db.models import Account, Contact, Deal
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
) -> Contact | None:
    """The account's contact of that name, created when new; its type only moves forward."""
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
    contact.contact_type = further(contact.contact_type, contact_type)
    return contact


def further(current: ContactType, offered: ContactType) -> ContactType:
    """The further along of two contact types (a Customer stays one)."""
    return max(current, offered, key=PROGRESSION.index)


def link(session: Session, deal: Deal, now: datetime | None = None) -> None:
    """Point the deal at the records its account and contact text name (creating them)."""
    account = account_for(session, deal.account or "", now)
    deal.account_id = account.id if account is not None else None
    deal.account = account.name if account is not None else ""
    contact_type = deal.contact_type or ContactType.SUSPECT
    contact = contact_for(session, account, deal.contact or "", contact_type, now)
    deal.contact_id = contact.id if contact is not None else None


def became_customer(session: Session, deal: Deal) -> None:
    """A won deal makes its contact a Customer: the record and every open deal with them."""
    deal.contact_type = ContactType.CUSTOMER
    if deal.contact_id is None:
        return
    contact = session.get(Contact, deal.contact_id)
    if contact is not None:
        contact.contact_type = ContactType.CUSTOMER
    session.execute(
        update(Deal)
        .where(Deal.contact_id == deal.contact_id, Deal.id != deal.id)
        .values(contact_type=ContactType.CUSTOMER)
        .execution_options(synchronize_session=False)
    )


def account_ids_for(
    session: Session, names: Iterable[str], now: datetime
) -> dict[str, tuple[int, str]]:
    """Folded name -> (account id, record name) for many names at once, creating the missing.

    For imports: one read for all names, one insert per new customer, never one
    query per row.
    """
    wanted: dict[str, str] = {}
    for name in names:
        key = fold_name(name)
        if key and key not in wanted:
            wanted[key] = tidy_name(name)
    if not wanted:
        return {}
    found = {
        row.name_key: (row.id, row.name)
        for row in session.execute(
            select(Account.id, Account.name, Account.name_key).where(
                Account.name_key.in_(list(wanted))
            )
        )
    }
    for key, name in wanted.items():
        if key not in found:
            account = account_for(session, name, now)
            assert account is not None
            found[key] = (account.id, account.name)
    return found
