"""Who is acting: users, their roles, and who may do what."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import User
from dealboard.domain import audit
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.domain.first_use import serialise_first_use
from dealboard.domain.records import UserRecord
from dealboard.domain.text import clean_line
from dealboard.vocabulary import Role

_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$")


def valid_login(name: str, field: str = "user") -> str:
    """A login name: letters, digits, `_ . @ -`; no spaces (it is typed after `@` in filters)."""
    login = name.strip()
    if not _LOGIN.match(login):
        raise InvalidInput(field, name, "use 1-64 letters, digits, '_', '.', '@' or '-'")
    return login


def to_record(user: User) -> UserRecord:
    """Plain copy for callers outside the domain."""
    return UserRecord(user.id, user.name, user.display_name, user.role)


def _named(session: Session, login: str) -> User | None:
    """The user with this login, whatever its case (logins are looked up as typed after `@`)."""
    return session.scalar(select(User).where(func.lower(User.name) == login.lower()))


def find_user(session: Session, name: str, field: str = "user", *, by_name: bool = True) -> User:
    """The person named the way people name them: a login, or a display name, any case.

    In order: the login (`maria`, any case); the display name (`Maria Lopez`,
    any case and spacing); the one person whose login or display name starts
    with what was typed (`Maria`). A name shared by two people, or a start
    shared by two, is refused listing them, so nobody gets the wrong person's
    deals; an unknown one is refused listing everyone whose name has one of the
    typed words (else the team). `by_name=False` takes logins only (`--as`).
    """
    typed = " ".join(name.split())
    if not typed:
        raise InvalidInput(field, name, "name a user by login or display name")
    user = _named(session, typed) if _LOGIN.match(typed) else None
    if user is not None:
        return user
    people = session.scalars(select(User).order_by(User.name)).all()
    key = typed.casefold()
    named = [p for p in people if _folded(p.display_name) == key]
    if not by_name:
        hint = f"a login is needed here: {_listing(named)}" if named else _unknown(people, key)
        raise NotFound(field, typed, hint)
    if len(named) == 1:
        return named[0]
    if named:
        raise InvalidInput(
            field, typed, f"{len(named)} people have that name; use a login: " + _listing(named)
        )
    starting = [
        p
        for p in people
        if p.name.casefold().startswith(key) or _folded(p.display_name).startswith(key)
    ]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise InvalidInput(
            field, typed, f"{len(starting)} people match; use one of " + _listing(starting)
        )
    raise NotFound(field, typed, _unknown(people, key))


#: How many teammates a refusal lists when none matches what was typed.
_LISTED_TEAM = 30


def _folded(display_name: str | None) -> str:
    return " ".join((display_name or "").split()).casefold()


def _listing(people: list[User]) -> str:
    """`maria (Maria Lopez), rick`: each login, with the display name where it differs."""
    return ", ".join(
        p.name
        if _folded(p.display_name) in ("", p.name.casefold())
        else f"{p.name} ({p.display_name})"
        for p in people
    )


def _unknown(people: list[User], key: str) -> str:
    """Everyone sharing a word with what was typed (all of them), else the team (the first
    30, and how many more)."""
    words = [w for w in key.replace(".", " ").split() if len(w) > 1]
    near = [
        p
        for p in people
        if any(w in p.name.casefold() or w in _folded(p.display_name) for w in words)
    ]
    if near:
        return "did you mean " + _listing(near)
    if not people:
        return "known users: none yet"
    shown = _listing(people[:_LISTED_TEAM])
    more = len(people) - _LISTED_TEAM
    return f"known users: {shown}" + (
        f" … and {more} more (dealboard user list)" if more > 0 else ""
    )


def login_from_name(name: str) -> str:
    """The one rule for a login made from a person's name: `José Núñez` → `jose.nunez`.

    Lower case, accents folded to ASCII, a dot between words; empty if nothing
    is left. The importer uses it for every owner it has to create, whether the
    cell reads `Dinesh` or `Richard Hendricks`.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    login = re.sub(r"[^a-z0-9_@-]+", ".", plain.casefold()).lstrip(".@-")
    return login[:64].rstrip(".")


def find_login(session: Session, name: str) -> User | None:
    """The user with this login (case-insensitive), or None: a first-time login."""
    login = valid_login(name, "login")
    return _named(session, login)


def acting_user(
    session: Session, login: str, now: datetime, *, acting_for: str | None = None
) -> User:
    """The person this command acts as; a first-time login joins as a rep.

    Only the login itself joins a board by itself: `acting_for` (a manager
    working for a teammate, `--as`) must name someone already on the board, so
    a typo is refused instead of creating a user. The very first user of a
    board becomes its manager, so a fresh install has someone who can override
    the gate and promote others; joining is serialised, so two people starting
    an empty board at once make one manager, not two.
    """
    user = find_login(session, login) or _join(session, login, now)
    if acting_for is None:
        return user
    target = find_user(session, acting_for, "user", by_name=False)
    if target.id == user.id:
        return user
    require_manager(user, f"act as someone else (--as {target.name})")
    session.info[audit.REAL_USER_KEY] = user.id
    return target


def _join(session: Session, login: str, now: datetime) -> User:
    serialise_first_use(session)
    again = find_login(session, login)  # someone may have joined while we waited
    if again is not None:
        return again
    first = session.scalar(select(func.count(User.id))) == 0
    user = User(
        name=valid_login(login, "login"),
        display_name=login,
        role=Role.MANAGER if first else Role.REP,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        user,
        action="create",
        entity="user",
        entity_id=user.id,
        deal_id=None,
        at=now,
        changes={"role": (None, user.role)},
    )
    return user


def add_user(
    session: Session, actor: User, name: str, display_name: str, role: str, now: datetime
) -> User:
    """A new teammate: managers build the team (a login joins by itself as a rep anyway)."""
    require_manager(actor, "add teammates")
    login = valid_login(name, "name")
    if _named(session, login):
        raise InvalidInput("name", login, "that user exists already")
    chosen = parse_role(role)
    shown = clean_line("display name", display_name or login, max_length=120, required=True)
    user = User(name=login, display_name=shown, role=chosen, created_at=now)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="user",
        entity_id=user.id,
        deal_id=None,
        at=now,
        changes={"name": (None, login), "role": (None, chosen)},
    )
    return user


def set_role(session: Session, actor: User, name: str, role: str, now: datetime) -> User:
    """Promote or demote a user; managers only."""
    require_manager(actor, "change roles")
    user = find_user(session, name)
    chosen = parse_role(role)
    old = user.role
    user.role = chosen
    audit.record(
        session,
        actor,
        action="update",
        entity="user",
        entity_id=user.id,
        deal_id=None,
        at=now,
        changes={"role": (old, chosen)},
    )
    return user


def parse_role(text: str) -> Role:
    """`rep` or `manager`."""
    try:
        return Role(text.strip().lower())
    except ValueError as exc:
        raise InvalidInput("role", text, "use rep or manager") from exc


def require_manager(actor: User | UserRecord, what: str) -> None:
    """Refuse unless the actor is a manager: the one check for every manager-only act."""
    if actor.role is not Role.MANAGER:
        raise RuleViolation(f"only a manager may {what}; {actor.name} is a {actor.role}")
