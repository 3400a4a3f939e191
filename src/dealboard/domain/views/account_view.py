"""An account as its screen and `dealboard account` show it: the customer's whole story.

Plain records, built by `dealboard.domain.views.account_read` in one read-only
transaction with a fixed number of queries, however many deals the customer has.
Money is kept per currency (dealboard never converts); the *last touch* is the
latest touch done (a call, email, meeting or social touch; not a note) on any of
the account's deals, in any pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from dealboard.domain.money import Money, format_compact
from dealboard.vocabulary import ContactType, DealOrigin, ObjectionCategory, StageKind


@dataclass(frozen=True)
class AccountSummary:
    """One customer on a line: what is open, what was won for good, and when we last spoke."""

    id: int
    name: str
    open_deals: int
    #: Open deals' value per currency, largest first.
    open_value: tuple[Money, ...]
    won_deals: int
    #: Lifetime won value per currency, largest first.
    won_value: tuple[Money, ...]
    lost_deals: int
    last_touch: datetime | None
    open_objections: int

    @property
    def deals(self) -> int:
        return self.open_deals + self.won_deals + self.lost_deals

    @property
    def is_customer(self) -> bool:
        """A won deal makes an account a customer."""
        return self.won_deals > 0


@dataclass(frozen=True)
class AccountDeal:
    """One deal of the account, in whichever pipeline it is."""

    id: int
    title: str
    pipeline: str
    stage: str
    status: StageKind
    value: Money
    owner: str
    owner_display: str
    created_at: datetime
    closed_at: datetime | None
    last_touch: datetime | None
    #: The deal it was started from (this account's or, for a referral, the referrer's).
    origin_deal_id: int | None = None
    origin_kind: DealOrigin | None = None
    #: The customer who referred this deal, by name ("" when none).
    referred_by: str = ""


@dataclass(frozen=True)
class AccountContact:
    """A person at the account, with how far they have come (Customer once a deal is won)."""

    id: int
    name: str
    contact_type: ContactType
    #: How many of the account's deals name them as the primary contact.
    deals: int


@dataclass(frozen=True)
class AccountObjection:
    """An open objection on one of the account's deals."""

    id: int
    deal_id: int
    deal_title: str
    category: ObjectionCategory
    hidden: bool
    text: str
    created_at: datetime


@dataclass(frozen=True)
class LineageStep:
    """One deal in the account's lineage, drawn as a tree: `depth` 0 starts a chain."""

    deal_id: int
    title: str
    status: StageKind
    depth: int
    #: Why this deal was started from its parent (None for the first of a chain).
    kind: DealOrigin | None
    #: A chain that starts outside the account (a referral): the origin deal and its account.
    outside: str = ""


@dataclass(frozen=True)
class Referral:
    """A deal this customer referred: someone else's deal that names this account."""

    deal_id: int
    title: str
    account: str
    status: StageKind
    value: Money


@dataclass(frozen=True)
class AccountDetail:
    """Everything the account screen shows, read in one transaction."""

    summary: AccountSummary
    #: Every deal, open first (newest first), then won and lost (latest closed first).
    deals: tuple[AccountDeal, ...]
    contacts: tuple[AccountContact, ...]
    objections: tuple[AccountObjection, ...]
    #: Deals linked by where they came from (upsell, renewal…), chains only; pre-order.
    lineage: tuple[LineageStep, ...]
    referrals: tuple[Referral, ...]

    def with_status(self, status: StageKind) -> tuple[AccountDeal, ...]:
        """The deals that are open, won or lost."""
        return tuple(d for d in self.deals if d.status is status)

    @property
    def pipelines(self) -> tuple[str, ...]:
        """The pipelines the account has deals in, in the order first met."""
        return tuple(dict.fromkeys(d.pipeline for d in self.deals))


def amounts_text(amounts: tuple[Money, ...], empty: str = "—") -> str:
    """`$120k + €40k`: short amounts per currency, never added together; `empty` for none."""
    return " + ".join(format_compact(m.minor, m.currency) for m in amounts) or empty


def by_amount(sums: Mapping[str, int]) -> tuple[Money, ...]:
    """Sums per currency, largest first (never converted into one another)."""
    return tuple(Money(v, c) for c, v in sorted(sums.items(), key=lambda cv: (-cv[1], cv[0])))
