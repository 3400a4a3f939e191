"""Who may change which deal: a rep works their own deals, a manager all of them.

A sales team shares one board: everyone reads every deal (a rep covering for
a colleague must see where things stand), but only the deal's owner or a
manager may change it, from a typo fix to closing it lost. Set-up is the
managers' too: pipelines, teammates and roles, imports and restores (see
`users.require_manager`, also for seeding a demo). Every operation that
changes an existing deal or one of its parts (ticks, BANT, objections,
research, touches) goes through here, in the domain, so the board, the
command line and undo all follow the same rule; a new deal is the creator's
own unless a manager gives it to someone (`deals.create_deal`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, User
from dealboard.domain.errors import NotFound, RuleViolation
from dealboard.domain.lookup import load_deal
from dealboard.vocabulary import Role


def may_change(actor: User, owner_id: int | None) -> bool:
    """True if `actor` may change a deal owned by `owner_id`."""
    return actor.role is Role.MANAGER or owner_id == actor.id


def require_owner_or_manager(
    session: Session, actor: User, deal_id: int, owner_id: int | None, what: str
) -> None:
    """Refuse a rep changing someone else's deal, naming whose it is and who may."""
    if may_change(actor, owner_id):
        return
    owner = session.get(User, owner_id) if owner_id is not None else None
    whose = f"{owner.name}'s" if owner is not None else "nobody's"
    raise RuleViolation(
        f"cannot {what} deal {deal_id}: it is {whose}, and a rep changes only their own deals "
        "(ask its owner or a manager)"
    )


def deal_to_change(session: Session, actor: User, deal_id: int, what: str) -> Deal:
    """The deal, locked for the change, once the actor is allowed to make it."""
    deal = load_deal(session, deal_id, for_update=True)
    require_owner_or_manager(session, actor, deal.id, deal.owner_id, what)
    return deal


def require_deal_access(session: Session, actor: User, deal_id: int, what: str) -> None:
    """NotFound unless the deal exists; refused unless the actor may change it."""
    # Locked like `deal_to_change`: a reassignment cannot slip in between check and write.
    owner_id = session.execute(
        select(Deal.owner_id).where(Deal.id == deal_id).with_for_update()
    ).first()
    if owner_id is None:
        raise NotFound("deal", deal_id)
    require_owner_or_manager(session, actor, deal_id, owner_id[0], what)
