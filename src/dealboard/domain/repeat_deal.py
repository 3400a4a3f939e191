"""Repeat business: a new deal for a customer who has bought, linked to the deal it came from.

"Your best customers are repeat customers": from a won deal, or one in the
after-the-sale stage (Follow-up, Nurture & Expand), one step starts the next
deal. An upsell, cross-sell or renewal is for the same customer: it carries
the account, the contact, the stakeholders and the research notes, so nobody
asks the buyer again what the team already knows. A referral is for a *new*
customer the old one named: it carries none of the referrer's people or notes
(they are about someone else), only the referrer, as its source.

Who may: the deal's owner or a manager (the rule for changing the deal). The
new deal belongs to the old deal's owner, who keeps the customer; a manager
starting one for a rep's customer gives it to that rep. It starts in the first
stage of the chosen pipeline (the old deal's unless told), audited like any
new deal, with its lineage recorded as part of its creation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Account, Deal, ResearchNotes, Stakeholder, User
from dealboard.domain import accounts, audit, deals, research
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.lookup import load_deal
from dealboard.domain.money import format_money
from dealboard.domain.permissions import require_owner_or_manager
from dealboard.domain.records import DealLineage
from dealboard.vocabulary import DealOrigin, StageKind

#: An open stage whose name says the sale is made and the customer is being looked after.
_AFTER_SALE_WORDS = ("followup", "nurture", "expand")
_LETTERS = re.compile(r"[^a-z]")
#: How a kind is named in a default title and as a source.
LABELS = {
    DealOrigin.UPSELL: "Upsell",
    DealOrigin.CROSS_SELL: "Cross-sell",
    DealOrigin.RENEWAL: "Renewal",
    DealOrigin.REFERRAL: "Referral",
}
KINDS_ACCEPTED = "use upsell, cross-sell, renewal or referral"


class StageLike(Protocol):
    """A stage as a model or as a record: its name and whether it is open, won or lost."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> StageKind: ...


@dataclass(frozen=True)
class RepeatRequest:
    """What the user asked for; None means "the default"."""

    kind: str
    title: str | None = None
    #: The referred customer's name (a referral only, and required there).
    account: str | None = None
    contact: str | None = None
    value: str | None = None
    pipeline: str | None = None


def parse_kind(value: str) -> DealOrigin:
    """upsell, cross-sell (or cross sell), renewal or referral, any case."""
    wanted = _LETTERS.sub("", value.casefold())
    for kind in DealOrigin:
        if _LETTERS.sub("", kind.value) == wanted and wanted:
            return kind
    raise InvalidInput("kind", value, KINDS_ACCEPTED)


def default_title(kind: DealOrigin, origin_title: str, account: str = "") -> str:
    """`Renewal: Fleet telematics`; a referral is named for its customer: `Referral: Initech`."""
    named = accounts.tidy_name(account) if kind is DealOrigin.REFERRAL else origin_title
    return _cut(f"{LABELS[kind]}: {named}") if named else ""


def is_after_sale(stage: StageLike, stages: Sequence[StageLike]) -> bool:
    """Whether a deal in `stage` of a pipeline with `stages` may start repeat business.

    Won deals may. So may an open deal in the pipeline's *last* open stage when
    that stage is named for looking after a customer (seven-step's and
    traditional's "Follow-up", social's "Nurture & Expand"): the sale is made,
    the deal is only waiting to be closed as won. A stage elsewhere that merely
    mentions follow-up does not count.
    """
    if stage.kind is StageKind.WON:
        return True
    if stage.kind is not StageKind.OPEN:
        return False
    last_open = [s for s in stages if s.kind is StageKind.OPEN][-1:]
    folded = _LETTERS.sub("", stage.name.casefold())
    return (
        bool(last_open)
        and last_open[0].name == stage.name
        and (any(word in folded for word in _AFTER_SALE_WORDS))
    )


def refusal(stage: StageLike, stages: Sequence[StageLike]) -> str | None:
    """Why a deal in `stage` cannot start repeat business, in one line; None when it can."""
    if is_after_sale(stage, stages):
        return None
    follow_up = [s.name for s in stages if s.kind is StageKind.OPEN and is_after_sale(s, stages)]
    where = f"won or in {follow_up[0]}" if follow_up else "won"
    if stage.kind is StageKind.LOST:
        return f"a lost deal starts no repeat business; a deal must be {where}"
    return f"repeat business starts from a customer: this deal is in {stage.name}, not {where}"


def start_repeat_deal(
    session: Session,
    actor: User,
    origin_id: int,
    request: RepeatRequest,
    *,
    now: datetime,
    today: date,
) -> Deal:
    """The new deal, created, filled in and linked to deal `origin_id`."""
    kind = parse_kind(request.kind)
    origin = load_deal(session, origin_id, for_update=True)
    require_owner_or_manager(
        session, actor, origin.id, origin.owner_id, "start repeat business from"
    )
    why_not = refusal(origin.stage, origin.pipeline.stages)
    if why_not is not None:
        raise RuleViolation(f"deal {origin.id}: {why_not}")
    referral = kind is DealOrigin.REFERRAL
    if referral:
        if origin.account_id is None:
            raise RuleViolation(f"deal {origin.id} has no account to name as the referrer")
        if not (request.account or "").strip():
            raise InvalidInput(
                "account", request.account or "", "a referral names the new customer"
            )
        if accounts.fold_name(request.account or "") == accounts.fold_name(origin.account):
            raise InvalidInput(
                "account", request.account, "a referral is for a new customer, not the referrer"
            )
    elif request.account is not None and accounts.fold_name(request.account) != accounts.fold_name(
        origin.account
    ):
        raise InvalidInput(
            "account",
            request.account,
            f"{LABELS[kind]} is for the same customer; a new customer is a referral",
        )
    owner = session.get(User, origin.owner_id)
    assert owner is not None
    deal = deals.create_deal(
        session,
        actor,
        _fields(origin, kind, request, owner),
        pipeline_name=request.pipeline or origin.pipeline.name,
        stage_name=None,
        now=now,
        today=today,
    )
    deal.origin_deal_id = origin.id
    deal.origin_kind = kind
    lineage: dict[str, tuple[object, object]] = {
        "origin": (None, f"{kind.value} from #{origin.id}")
    }
    if referral:
        deal.referred_by_account_id = origin.account_id
        lineage["referred by"] = (None, origin.account or None)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="deal",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes=lineage,
    )
    if not referral:
        _copy_research(session, actor, origin.id, deal.id, now)
    return deal


def _fields(
    origin: Deal, kind: DealOrigin, request: RepeatRequest, owner: User
) -> deals.DealFields:
    """The new deal's typed values: the customer's for repeat business, the new one's for a
    referral; a renewal is worth what the contract it renews was, unless told."""
    if kind is DealOrigin.REFERRAL:
        account = request.account or ""
        return deals.DealFields(
            title=(request.title or "").strip() or default_title(kind, origin.title, account),
            value=request.value,
            account=account,
            contact=request.contact,
            owner=owner.name,
            source=_cut(f"Referral from {origin.account or f'deal #{origin.id}'}"),
        )
    value = request.value
    if value is None and kind is DealOrigin.RENEWAL and origin.value_minor:
        value = format_money(origin.value_minor, origin.currency)
    return deals.DealFields(
        title=(request.title or "").strip() or default_title(kind, origin.title),
        value=value,
        account=origin.account,
        contact=origin.contact if request.contact is None else request.contact,
        owner=owner.name,
        # The deal takes its contact's type (a won origin made them a Customer already).
        contact_type=None,
        source=LABELS[kind],
    )


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copy_research(
    session: Session, actor: User, origin_id: int, deal_id: int, now: datetime
) -> None:
    """The origin's research notes and stakeholders, copied (and audited) onto the new deal."""
    notes = session.get(ResearchNotes, origin_id)
    if notes is not None:
        given = research.ResearchFields(
            **{f.name: getattr(notes, f.name) for f in fields(research.ResearchFields)}
        )
        research.save_research(session, actor, deal_id, given, now)
    people = session.scalars(
        select(Stakeholder).where(Stakeholder.deal_id == origin_id).order_by(Stakeholder.id)
    )
    for person in list(people):
        research.add_stakeholder(
            session,
            actor,
            deal_id,
            name=person.name,
            role=person.role,
            influence=person.influence.value,
            stance=person.stance.value,
            now=now,
        )


def lineage(session: Session, deal: Deal) -> DealLineage | None:
    """Where the deal came from (its origin deal, the customer who referred it), if anywhere."""
    if deal.origin_deal_id is None and deal.referred_by_account_id is None:
        return None
    origin = session.get(Deal, deal.origin_deal_id) if deal.origin_deal_id is not None else None
    referrer = (
        session.get(Account, deal.referred_by_account_id)
        if deal.referred_by_account_id is not None
        else None
    )
    return DealLineage(
        origin_deal_id=deal.origin_deal_id,
        origin_kind=deal.origin_kind,
        origin_title=origin.title if origin is not None else "",
        origin_account=origin.account if origin is not None else "",
        referred_by=referrer.name if referrer is not None else "",
    )
