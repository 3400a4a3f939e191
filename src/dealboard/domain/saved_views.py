"""Saved views: a board filter (what follows `/`) a user named, to open again by name.

Views belong to the person logged in (the login, not a teammate a manager acts for):
nobody sees, replaces or deletes anyone else's. Names are one plain line of 1 to 60
characters, unique per user whatever their case; saving under a name you already use
is refused unless the caller says to replace it (the UI asks first). The filter must
be one `DealFilter.checked` accepts.

Two views are built in, for everyone, and cannot be saved over or deleted:
"mine" (`@me`, the deals the board's user owns) and "changed since the last stand-up"
(`changed:standup`, the deals created, edited, moved or closed since the stand-up's
window opened: midnight of the previous working day, `standup_window.since_window`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dealboard.db.models import Pipeline, SavedView, User
from dealboard.domain import queries
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.domain.filter_sql import filter_conditions
from dealboard.domain.filters import DealFilter
from dealboard.domain.records import DealSummary
from dealboard.domain.text import clean_line

#: Longest view name (the column's width).
NAME_LENGTH = 60


@dataclass(frozen=True)
class ViewRecord:
    """A named filter: one of the user's, or built in (`built_in`)."""

    name: str
    query: str
    built_in: bool = False


MINE = ViewRecord("mine", "@me", built_in=True)
CHANGED = ViewRecord("changed since the last stand-up", "changed:standup", built_in=True)
BUILT_IN = (MINE, CHANGED)


class ViewExists(RuleViolation):
    """The user already has a view of that name; saving again must say to replace it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"name: you already have a view called {name!r}; replace it or pick another"
        )
        self.name = name


def valid_name(name: str) -> str:
    """A view name: one line, 1 to 60 characters, not a built-in view's."""
    clean = clean_line("name", name, max_length=NAME_LENGTH, required=True)
    if _built_in(clean) is not None:
        raise InvalidInput("name", name, "a built-in view has that name; pick another")
    return clean


def list_views(session: Session, user: User | None) -> list[ViewRecord]:
    """The built-in views, then the user's own by name (None: someone not on the board yet)."""
    if user is None:
        return list(BUILT_IN)
    rows = session.scalars(select(SavedView).where(SavedView.user_id == user.id))
    own = sorted((ViewRecord(r.name, r.query) for r in rows), key=lambda v: v.name.casefold())
    return [*BUILT_IN, *own]


def find_view(session: Session, user: User | None, name: str) -> ViewRecord:
    """The built-in or own view called `name` (any case), or `NotFound` listing them."""
    found = _built_in(name) or (_own(session, user, name) if user is not None else None)
    if found is None:
        names = ", ".join(v.name for v in list_views(session, user))
        raise NotFound("view", name, f"views: {names}")
    return found if isinstance(found, ViewRecord) else ViewRecord(found.name, found.query)


def save_view(
    session: Session, user: User, name: str, query: str, now: datetime, *, replace: bool = False
) -> ViewRecord:
    """Save `query` as `name` for `user`; an existing name is replaced only with `replace`."""
    clean = valid_name(name)
    DealFilter.checked(query)
    text = " ".join(query.split())
    existing = _own(session, user, clean)
    if existing is not None:
        if not replace:
            raise ViewExists(existing.name)
        existing.name, existing.query, existing.created_at = clean, text, now
    else:
        session.add(SavedView(user_id=user.id, name=clean, query=text, created_at=now))
    session.flush()
    return ViewRecord(clean, text)


def delete_view(session: Session, user: User, name: str) -> ViewRecord:
    """Delete the user's own view `name`; built-in views stay."""
    if _built_in(name) is not None:
        raise InvalidInput("name", name, "built-in views cannot be deleted")
    existing = _own(session, user, name)
    if existing is None:
        own = ", ".join(v.name for v in list_views(session, user) if not v.built_in)
        raise NotFound("view", name, f"your views: {own or 'none saved yet'}")
    deleted = ViewRecord(existing.name, existing.query)
    session.delete(existing)
    session.flush()
    return deleted


def deals_in_view(
    session: Session,
    query: str,
    conditions: Sequence[ColumnElement[bool]],
    *,
    pipeline: Pipeline | None,
    me_id: int | None,
    now: datetime,
) -> list[DealSummary]:
    """The deals matching `conditions` (`queries.list_conditions`) and the filter `query`."""
    pipelines = [pipeline] if pipeline is not None else queries.all_pipelines(session)
    stages = [s for p in pipelines for s in queries.pipeline_record(p).stages]
    wanted = filter_conditions(DealFilter.parse(query), stages, now, me_id)
    return queries.deal_summaries(session, *conditions, *wanted)


def _built_in(name: str) -> ViewRecord | None:
    key = " ".join(name.split()).casefold()
    return next((v for v in BUILT_IN if v.name.casefold() == key), None)


def _own(session: Session, user: User, name: str) -> SavedView | None:
    key = " ".join(name.split()).casefold()
    rows = session.scalars(select(SavedView).where(SavedView.user_id == user.id))
    return next((r for r in rows if " ".join(r.name.split()).casefold() == key), None)
