"""Reading accounts: the list of every customer, and one customer's whole story.

Each read is a fixed number of grouped queries (four for the list, ten at most
for one account), never one per deal: a customer with three hundred deals
costs what one with three costs. The records are in `account_view`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session, aliased

from dealboard.db.models import Account, Activity, Contact, Deal, Objection, Pipeline, Stage, User
from dealboard.domain.accounts import fold_name
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.money import Money
from dealboard.domain.touch_sql import DONE_TOUCH
from dealboard.domain.views.account_view import (
    AccountContact,
    AccountDeal,
    AccountDetail,
    AccountObjection,
    AccountSummary,
    LineageStep,
    Referral,
    by_amount,
)
from dealboard.vocabulary import ObjectionStatus, StageKind

K = TypeVar("K")
V = TypeVar("V")

#: What `account show` says when a name or id matches nothing.
LIST_HINT = "`dealboard account list` shows every account"


def account_summaries(session: Session) -> tuple[AccountSummary, ...]:
    """Every account that has a deal, by name (an account whose deals all went elsewhere is left
    out: it has no story to tell)."""
    return _summaries(session, None)


def find_account_id(session: Session, name_or_id: str) -> int:
    """The account named (case and spacing folded), numbered (`12`, `#12`), or the one whose
    name starts so (`westbrook`), as a rep types it at a stand-up; NotFound else."""
    text = name_or_id.strip()
    number = text.removeprefix("#")
    if number.isdecimal() and number.isascii() and int(number) < 2**31:
        found = session.scalar(select(Account.id).where(Account.id == int(number)))
        if found is not None:
            return found
    key = fold_name(text)
    found = session.scalar(select(Account.id).where(Account.name_key == key)) if key else None
    if found is None and key:
        found = _only_account_starting(session, key, name_or_id)
    if found is None:
        raise NotFound("account", name_or_id, LIST_HINT)
    return found


def _only_account_starting(session: Session, key: str, typed: str) -> int | None:
    """The one account whose folded name starts with `key`; several are named back."""
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = session.execute(
        select(Account.id, Account.name)
        .where(Account.name_key.like(pattern, escape="\\"))
        .order_by(Account.name_key)
        .limit(6)
    ).all()
    if len(rows) > 1:
        names = ", ".join(row.name for row in rows[:5]) + (", …" if len(rows) > 5 else "")
        raise InvalidInput("account", typed, f"matches several accounts ({names}); type more of it")
    return rows[0].id if rows else None


def account_of_deal(session: Session, deal_id: int | None) -> int:
    """The account a deal is for; NotFound when the deal is gone or names no account."""
    found = session.execute(select(Deal.account_id).where(Deal.id == deal_id)).first()
    if found is None:
        raise NotFound("deal", deal_id)
    if found[0] is None:
        raise NotFound("account", f"of deal #{deal_id}", "give the deal an account first")
    return int(found[0])


def account_detail(session: Session, account_id: int) -> AccountDetail:
    """One account: its sums, every deal across pipelines, contacts, open objections, lineage."""
    summaries = _summaries(session, account_id)
    if not summaries:
        name = session.scalar(select(Account.name).where(Account.id == account_id))
        if name is None:
            raise NotFound("account", account_id, LIST_HINT)
        summaries = (AccountSummary(account_id, name, 0, (), 0, (), 0, None, 0),)
    deals = _deals(session, account_id)
    return AccountDetail(
        summary=summaries[0],
        deals=deals,
        contacts=_contacts(session, account_id),
        objections=_objections(session, account_id),
        lineage=_lineage(session, deals),
        referrals=_referrals(session, account_id),
    )


def _summaries(session: Session, account_id: int | None) -> tuple[AccountSummary, ...]:
    one: ColumnElement[bool] = Deal.account_id == account_id if account_id is not None else true()
    linked = Deal.account_id.is_not(None) & one
    names = pairs(
        session,
        select(Account.id, Account.name).where(
            Account.id.in_(select(Deal.account_id).where(linked))
        ),
    )
    counts: dict[tuple[int, StageKind], int] = defaultdict(int)
    values: dict[tuple[int, StageKind], dict[str, int]] = defaultdict(dict)
    for found, kind, currency, count, total in session.execute(
        select(
            Deal.account_id,
            Stage.kind,
            Deal.currency,
            func.count(Deal.id),
            func.coalesce(func.sum(Deal.value_minor), 0),
        )
        .join(Stage, Stage.id == Deal.stage_id)
        .where(linked)
        .group_by(Deal.account_id, Stage.kind, Deal.currency)
    ):
        counts[found, kind] += int(count)
        values[found, kind][currency] = int(total)
    touched = pairs(
        session,
        select(Deal.account_id, func.max(Activity.done_at))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(linked, DONE_TOUCH)
        .group_by(Deal.account_id),
    )
    objections = pairs(
        session,
        select(Deal.account_id, func.count(Objection.id))
        .join(Deal, Deal.id == Objection.deal_id)
        .where(linked, Objection.status == ObjectionStatus.OPEN)
        .group_by(Deal.account_id),
    )
    rows = (
        AccountSummary(
            id=found,
            name=name,
            open_deals=counts[found, StageKind.OPEN],
            open_value=by_amount(values[found, StageKind.OPEN]),
            won_deals=counts[found, StageKind.WON],
            won_value=by_amount(values[found, StageKind.WON]),
            lost_deals=counts[found, StageKind.LOST],
            last_touch=touched.get(found),
            open_objections=int(objections.get(found, 0)),
        )
        for found, name in names.items()
    )
    return tuple(sorted(rows, key=lambda a: (a.name.casefold(), a.id)))


def _deals(session: Session, account_id: int) -> tuple[AccountDeal, ...]:
    referrer = aliased(Account)
    touches = pairs(
        session,
        select(Activity.deal_id, func.max(Activity.done_at))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(Deal.account_id == account_id, DONE_TOUCH)
        .group_by(Activity.deal_id),
    )
    rows = session.execute(
        select(
            Deal.id,
            Deal.title,
            Pipeline.name,
            Stage.name,
            Stage.kind,
            Deal.value_minor,
            Deal.currency,
            User.name,
            User.display_name,
            Deal.created_at,
            Deal.closed_at,
            Deal.origin_deal_id,
            Deal.origin_kind,
            referrer.name,
        )
        .join(Stage, Stage.id == Deal.stage_id)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
        .join(User, User.id == Deal.owner_id)
        .outerjoin(referrer, referrer.id == Deal.referred_by_account_id)
        .where(Deal.account_id == account_id)
    )
    deals = [
        AccountDeal(
            id=r[0],
            title=r[1],
            pipeline=r[2],
            stage=r[3],
            status=r[4],
            value=Money(r[5], r[6]),
            owner=r[7],
            owner_display=r[8] or r[7],
            created_at=r[9],
            closed_at=r[10],
            last_touch=touches.get(r[0]),
            origin_deal_id=r[11],
            origin_kind=r[12],
            referred_by=r[13] or "",
        )
        for r in rows
    ]
    return tuple(sorted(deals, key=_deal_order))


_STATUS_ORDER = {StageKind.OPEN: 0, StageKind.WON: 1, StageKind.LOST: 2}


def _deal_order(deal: AccountDeal) -> tuple[int, float, int]:
    """Open first, newest first; then won and lost, latest closed first."""
    when = deal.closed_at if deal.status is not StageKind.OPEN and deal.closed_at else None
    instant = when or deal.created_at
    return (_STATUS_ORDER[deal.status], -instant.timestamp(), -deal.id)


def _contacts(session: Session, account_id: int) -> tuple[AccountContact, ...]:
    rows = session.execute(
        select(Contact.id, Contact.name, Contact.contact_type, func.count(Deal.id))
        .outerjoin(Deal, Deal.contact_id == Contact.id)
        .where(Contact.account_id == account_id)
        .group_by(Contact.id, Contact.name, Contact.contact_type)
    )
    contacts = [AccountContact(r[0], r[1], r[2], int(r[3])) for r in rows]
    return tuple(sorted(contacts, key=lambda c: (c.name.casefold(), c.id)))


def _objections(session: Session, account_id: int) -> tuple[AccountObjection, ...]:
    rows = session.execute(
        select(
            Objection.id,
            Objection.deal_id,
            Deal.title,
            Objection.category,
            Objection.hidden,
            Objection.text,
            Objection.created_at,
        )
        .join(Deal, Deal.id == Objection.deal_id)
        .where(Deal.account_id == account_id, Objection.status == ObjectionStatus.OPEN)
        .order_by(Objection.created_at, Objection.id)
    )
    return tuple(AccountObjection(*r) for r in rows)


def _referrals(session: Session, account_id: int) -> tuple[Referral, ...]:
    rows = session.execute(
        select(Deal.id, Deal.title, Deal.account, Stage.kind, Deal.value_minor, Deal.currency)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.referred_by_account_id == account_id)
        .order_by(Deal.created_at, Deal.id)
    )
    return tuple(Referral(r[0], r[1], r[2], r[3], Money(r[4], r[5])) for r in rows)


def _lineage(session: Session, deals: Sequence[AccountDeal]) -> tuple[LineageStep, ...]:
    """The chains the deals form by where they came from, oldest chain first; deals on no
    chain are left out. A chain starting at another account's deal (a referral) says whose."""
    own = {d.id: d for d in deals}
    children: dict[int, list[AccountDeal]] = defaultdict(list)
    for deal in deals:
        if deal.origin_deal_id in own:
            children[deal.origin_deal_id].append(deal)
    outside_ids = {d.origin_deal_id for d in deals if d.origin_deal_id is not None} - set(own)
    outside = _outside_origins(session, outside_ids)
    roots = [
        d
        for d in sorted(deals, key=lambda d: (d.created_at, d.id))
        if d.origin_deal_id not in own and (d.origin_deal_id is not None or d.id in children)
    ]
    steps: list[LineageStep] = []
    seen: set[int] = set()

    def walk(deal: AccountDeal, depth: int) -> None:
        if deal.id in seen:
            return
        seen.add(deal.id)
        note = outside.get(deal.origin_deal_id, "") if depth == 0 and deal.origin_deal_id else ""
        kind = deal.origin_kind if deal.origin_deal_id is not None else None
        steps.append(LineageStep(deal.id, deal.title, deal.status, depth, kind, note))
        for child in sorted(children.get(deal.id, []), key=lambda d: (d.created_at, d.id)):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return tuple(steps)


def _outside_origins(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """`#12 Fleet telematics (Acme Corp)` for origin deals of other accounts."""
    wanted = sorted(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Deal.id, Deal.title, Deal.account).where(Deal.id.in_(wanted)))
    return {
        deal_id: f"#{deal_id} {title}" + (f" ({account})" if account else "")
        for deal_id, title, account in rows
    }


def pairs(session: Session, query: Select[tuple[K, V]]) -> dict[K, V]:
    """The rows of a two-column query as a mapping from the first to the second."""
    return dict(session.execute(query).all())  # type: ignore[arg-type]
