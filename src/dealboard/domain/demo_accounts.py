"""The demo's customers as records: every demo deal linked to its account and contact,
with a repeat customer and a referral to show deal lineage.

Clearwater Logistics won "Annual renewal, 250 seats" and is back for "Renewal
2027 + 40 seats" (a renewal started from the won deal); Westbrook University,
a happy customer, referred Meridian Analytics (a referral whose origin is
Westbrook's won deal). Everything is written in a few statements after the
deals are in: seeding stays as fast as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from dealboard.db.models import Deal
from dealboard.domain import accounts
from dealboard.domain.demo_data import DEALS
from dealboard.vocabulary import ContactType, DealOrigin

#: (deal title, how it came from the customer, the title of the won deal it came from).
LINEAGE: tuple[tuple[str, DealOrigin, str], ...] = (
    ("Renewal 2027 + 40 seats", DealOrigin.RENEWAL, "Annual renewal, 250 seats"),
    ("東京 office expansion 🚀", DealOrigin.REFERRAL, "Campus Wi-Fi analytics"),
)


def link_demo(session: Session, deal_ids: Sequence[int], now: datetime) -> None:
    """Link the demo deals (ids in `DEALS` order) to their records and their origins."""
    parties = [
        accounts.Party(d.account, d.contact, ContactType(d.contact_type), d.stage == "Won")
        for d in DEALS
    ]
    linked = accounts.link_many(session, parties, now)
    by_title = {demo.title: index for index, demo in enumerate(DEALS)}
    origins: dict[int, tuple[int, DealOrigin, int | None]] = {}
    for title, kind, origin_title in LINEAGE:
        origin = by_title[origin_title]
        referrer = linked.links[origin].account_id if kind is DealOrigin.REFERRAL else None
        origins[by_title[title]] = (deal_ids[origin], kind, referrer)
    rows = []
    for index, (deal_id, link) in enumerate(zip(deal_ids, linked.links, strict=True)):
        origin_id, kind, referrer = origins.get(index, (None, None, None))
        rows.append(
            {
                "deal": deal_id,
                "a_id": link.account_id,
                "a_name": link.account or DEALS[index].account,
                "c_id": link.contact_id,
                "o_id": origin_id,
                "o_kind": kind,
                "r_id": referrer,
            }
        )
    table = Deal.__table__
    session.execute(
        update(table)
        .where(table.c.id == bindparam("deal"))
        .values(
            account_id=bindparam("a_id"),
            account=bindparam("a_name"),
            contact_id=bindparam("c_id"),
            origin_deal_id=bindparam("o_id"),
            origin_kind=bindparam("o_kind"),
            referred_by_account_id=bindparam("r_id"),
        ),
        rows,
    )
