"""Stage templates filled in for one deal: `{placeholders}` replaced by the deal's facts.

A template is text a team wrote, so rendering never raises: a placeholder the
deal has no value for stays exactly as typed (`{contact}`), so a gap is seen
and filled before the email goes out instead of leaving a blank "Hi ,"; an
unknown name stays too. `{{` and `}}` write literal braces. This is a small
regular-expression substitution on purpose: `str.format` would raise on a
stray brace and would let `{deal.__class__}` reach into objects.

Placeholders (see `PLACEHOLDERS`): deal, account, contact, contact_first,
owner, me, value, value_short, stage, expected_close, next_step,
next_step_due. Names are matched case-insensitively (`{Contact}` works).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTemplate, User
from dealboard.domain import queries
from dealboard.domain.errors import NotFound
from dealboard.domain.money import format_compact, format_money
from dealboard.domain.records import DealSummary
from dealboard.vocabulary import TemplateKind

#: Every placeholder a template may use, with what it becomes.
PLACEHOLDERS: dict[str, str] = {
    "deal": "the deal's title",
    "account": "the account (the buyer's company)",
    "contact": "the primary contact's name",
    "contact_first": "the contact's first name (the first word of the name)",
    "owner": "the deal owner's display name",
    "me": "your display name (whoever copies the template)",
    "value": "the deal value in full, like USD 48,500.00",
    "value_short": "the deal value as the board shows it, like $48.5k",
    "stage": "the deal's current stage",
    "expected_close": "the expected close date, like Tuesday 15 December 2026",
    "next_step": "the next step",
    "next_step_due": "the next step's date, like Thursday 26 November 2026",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class RenderedTemplate:
    """A template filled in for one deal, and what it could not fill."""

    name: str
    kind: TemplateKind
    subject: str
    body: str
    #: Known placeholders the deal has no value for, in order of first use (left as typed).
    missing: tuple[str, ...] = ()
    #: Placeholders that are not in `PLACEHOLDERS` (a typo in the file), left as typed.
    unknown: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What is copied: an email's subject line and body, or a script's body."""
        if self.kind is TemplateKind.EMAIL and self.subject:
            return f"Subject: {self.subject}\n\n{self.body}"
        return self.body

    def missing_text(self) -> str:
        """`2 fields missing: contact, next step` (empty when nothing is missing)."""
        if not self.missing:
            return ""
        names = ", ".join(name.replace("_", " ") for name in self.missing)
        count = len(self.missing)
        return f"{count} field{'s' if count > 1 else ''} missing: {names}"


@dataclass(frozen=True)
class StageTemplates:
    """The templates of the stage a deal is in now, filled in for that deal."""

    deal: DealSummary
    templates: tuple[RenderedTemplate, ...]


def long_date(day: date | None) -> str:
    """`Thursday 26 November 2026`: how a date reads in an email."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day is not None else ""


def deal_values(deal: DealSummary, me: str) -> dict[str, str]:
    """The value of every placeholder for this deal ('' where the deal has none)."""
    contact = " ".join(deal.contact.split())
    return {
        "deal": deal.title,
        "account": deal.account,
        "contact": contact,
        "contact_first": contact.split(" ")[0] if contact else "",
        "owner": deal.owner_display or deal.owner,
        "me": me,
        "value": format_money(deal.value_minor, deal.currency) if deal.value_minor else "",
        "value_short": format_compact(deal.value_minor, deal.currency) if deal.value_minor else "",
        "stage": deal.stage,
        "expected_close": long_date(deal.expected_close),
        "next_step": deal.next_step,
        "next_step_due": long_date(deal.next_step_due),
    }


def fill(text: str, values: Mapping[str, str]) -> tuple[str, list[str], list[str]]:
    """`text` with placeholders replaced; also the missing and the unknown names, as used.

    Values are inserted literally (a value containing `{contact}` is not filled again).
    """
    missing: list[str] = []
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1).lower()
        if name not in PLACEHOLDERS:
            if token not in unknown:
                unknown.append(token)
            return token
        value = values.get(name, "").strip()
        if not value:
            if name not in missing:
                missing.append(name)
            return token
        return value

    return _TOKEN.sub(replace, text), missing, unknown


def render(
    name: str, kind: TemplateKind, subject: str, body: str, values: Mapping[str, str]
) -> RenderedTemplate:
    """One template filled in; never raises, whatever the template's text."""
    filled_subject, missing, unknown = fill(subject, values)
    filled_body, more_missing, more_unknown = fill(body, values)
    return RenderedTemplate(
        name,
        kind,
        " ".join(filled_subject.split()),
        filled_body,
        tuple(dict.fromkeys(missing + more_missing)),
        tuple(dict.fromkeys(unknown + more_unknown)),
    )


def stage_templates(session: Session, deal_id: int, actor_name: str) -> StageTemplates:
    """The deal's current-stage templates rendered for it (templates read in one query)."""
    found = queries.deal_summaries(session, Deal.id == deal_id)
    if not found:
        raise NotFound("deal", deal_id)
    deal = found[0]
    me = session.scalar(
        select(User.display_name).where(func.lower(User.name) == actor_name.lower())
    )
    values = deal_values(deal, me or actor_name)
    rows = session.scalars(
        select(StageTemplate)
        .where(StageTemplate.stage_id == deal.stage_id)
        .order_by(StageTemplate.position, StageTemplate.id)
    )
    return StageTemplates(
        deal, tuple(render(t.name, t.kind, t.subject, t.body, values) for t in rows)
    )
