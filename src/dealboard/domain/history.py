"""The board's history as people read it: who changed what, when, from which value to which.

One query over the audit log (joined to users, deals and changes), filtered
in SQL, so `dealboard log --since 24h` stays fast on a board with years of
history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import AuditEntry, Change, Deal, User
from dealboard.domain import audit
from dealboard.domain.dates import WEEKDAYS, parse_date
from dealboard.domain.errors import InvalidInput

_AGO = re.compile(r"(?P<count>\d+)\s*(?P<unit>m|min|h|d|w)")
_UNIT_SECONDS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
#: Entries printed when no `--limit` is given: the newest ones.
DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class HistoryEntry:
    """One changed field."""

    at: datetime
    user: str
    kind: str
    action: str
    entity: str
    entity_id: int
    deal_id: int | None
    deal_title: str | None
    field: str
    old_value: str | None
    new_value: str | None


def parse_since(text: str, now: datetime) -> datetime:
    """`30m`, `24h`, `7d`, `2w` ago, or a day (`2026-11-20`, `yesterday`, `fri`) from its start."""
    raw = text.strip().lower()
    ago = _AGO.fullmatch(raw)
    if ago:
        return now - timedelta(seconds=int(ago["count"]) * _UNIT_SECONDS[ago["unit"]])
    local_today = now.astimezone().date()
    if raw in WEEKDAYS:  # looking back, `fri` is the latest Friday (today, on a Friday)
        back = (local_today.weekday() - WEEKDAYS[raw]) % 7
        return datetime.combine(local_today - timedelta(days=back), time.min).astimezone()
    try:
        day = parse_date(raw, local_today, "since")
    except InvalidInput:
        raise InvalidInput(
            "since", text, "give a duration like 30m, 24h, 7d, 2w or a date like 2026-11-20"
        ) from None
    return datetime.combine(day, time.min).astimezone()


def parse_until(text: str, now: datetime) -> datetime:
    """The end of a window: a duration ago (`7d`), or a day, which is then included whole."""
    try:
        end = parse_since(text, now)
    except InvalidInput:
        raise InvalidInput(
            "until", text, "give a duration like 24h or 7d (ago) or a date like 2026-11-30"
        ) from None
    if not _AGO.fullmatch(text.strip().lower()):  # the whole day named, to the next local midnight
        end = datetime.combine(end.astimezone().date() + timedelta(days=1), time.min).astimezone()
    return end


def history(
    session: Session,
    *,
    since: datetime | None = None,
    user_id: int | None = None,
    deal_id: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[HistoryEntry]:
    """The newest `limit` matching entries, oldest first (the way a log reads)."""
    query = (
        select(AuditEntry, User.name, Deal.title, Change.kind, audit.VIA.name)
        .join(User, User.id == AuditEntry.user_id)
        .outerjoin(Deal, Deal.id == AuditEntry.deal_id)
        .outerjoin(Change, Change.id == AuditEntry.change_id)
        .outerjoin(audit.VIA, audit.VIA.id == Change.via_user_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if deal_id is not None:
        query = query.where(AuditEntry.deal_id == deal_id)
    rows = session.execute(query).all()
    return [
        HistoryEntry(
            at=entry.at,
            user=audit.who(name, via),
            kind=kind.value if kind is not None else "do",
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            deal_id=entry.deal_id,
            deal_title=title,
            field=entry.field,
            old_value=entry.old_value,
            new_value=entry.new_value,
        )
        for entry, name, title, kind, via in reversed(rows)
    ]
