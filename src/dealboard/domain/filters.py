"""The board filter a user types after `/`: words, `@owner`, `#tag` and badge words.

Words, tags and badge words must all match, owners any: `@lena #q4 clinic` is Lena's Q4
deals mentioning "clinic" in title, account or contact; `quiet` (or `late`, `today`,
`nostep`, `exhausted`, `breach`) keeps the cards showing that badge, so `/quiet @lena`
is Lena's deals gone quiet. Matching is case-insensitive and done in
memory on the loaded board, so typing never waits for the database.

Two terms depend on who is looking and when (saved views, `dealboard.domain.saved_views`):
`@me` is the user the board acts as, exactly (not a prefix: type `@meg` for Megan), and
`changed:standup` keeps the deals created, edited, moved or closed since the last
stand-up, the window `standup_window.since_window` opens (midnight of the previous working day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dealboard.domain.badges import FILTER_WORDS
from dealboard.domain.errors import InvalidInput
from dealboard.domain.records import DealSummary
from dealboard.domain.text import clean_line

#: `@me`: the user the board acts as.
ME = "me"
#: `changed:<window>`; the only window is the stand-up's.
CHANGED_PREFIX = "changed:"
CHANGED_WINDOWS = ("standup",)


@dataclass(frozen=True)
class DealFilter:
    """A parsed filter; the empty filter matches every deal."""

    words: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()
    #: `@me`: the deal's owner is the user looking (one owner among `owners`, any matches).
    mine: bool = False
    #: `changed:standup`: created, edited, moved or closed since the last stand-up.
    changed: bool = False

    @classmethod
    def parse(cls, query: str) -> DealFilter:
        words, owners, tags, badges = [], [], [], []
        mine = changed = False
        for term in query.casefold().split():
            if term == f"@{ME}":
                mine = True
            elif term == f"{CHANGED_PREFIX}standup":
                changed = True
            elif term.startswith("@") and len(term) > 1:
                owners.append(term[1:])
            elif term.startswith("#") and len(term) > 1:
                tags.append(term[1:])
            elif term.lstrip("/") in FILTER_WORDS:
                badges.append(term.lstrip("/"))
            else:
                words.append(term)
        return cls(tuple(words), tuple(owners), tuple(tags), tuple(badges), mine, changed)

    @classmethod
    def checked(cls, query: str) -> DealFilter:
        """`parse`, refusing what typing forgives: an empty filter, control characters,
        and a `changed:` window that does not exist (`InvalidInput` naming "filter")."""
        text = clean_line("filter", query, max_length=500, required=True)
        for term in text.casefold().split():
            window = term.removeprefix(CHANGED_PREFIX)
            if term.startswith(CHANGED_PREFIX) and window not in CHANGED_WINDOWS:
                raise InvalidInput(
                    "filter", query, f"{term} is unknown; the only window is changed:standup"
                )
        return cls.parse(text)

    @property
    def is_empty(self) -> bool:
        return not (
            self.words or self.owners or self.tags or self.badges or self.mine or self.changed
        )

    def matches(
        self,
        deal: DealSummary,
        badge_names: frozenset[str] = frozenset(),
        *,
        me: str = "",
        changed_since: datetime | None = None,
    ) -> bool:
        """Owner terms match the login or display name by prefix; tags and badges exactly.

        The caller passes the deal's badge names (see `badges.deal_badges`): badges need
        the stage's rules and today's date, which a filter has no business knowing. So
        are `me` (the login `@me` stands for) and `changed_since` (where the stand-up's
        window starts, `standup_window.since_window`); without them those terms keep nothing.
        """
        if any(name not in badge_names for name in self.badges):
            return False
        if (self.owners or self.mine) and not (
            any(_owner_matches(deal, o) for o in self.owners)
            or (self.mine and bool(me) and deal.owner.casefold() == me.casefold())
        ):
            return False
        if self.changed and (changed_since is None or not _changed_since(deal, changed_since)):
            return False
        if any(tag not in deal.tags for tag in self.tags):
            return False
        haystack = f"{deal.title}\n{deal.account}\n{deal.contact}".casefold()
        return all(word in haystack for word in self.words)


def _owner_matches(deal: DealSummary, owner: str) -> bool:
    return deal.owner.casefold().startswith(owner) or deal.owner_display.casefold().startswith(
        owner
    )


def _changed_since(deal: DealSummary, start: datetime) -> bool:
    """Created, edited, moved or closed at `start` or later (`filter_sql.changed_condition`)."""
    instants = (deal.created_at, deal.updated_at, deal.stage_entered_at, deal.closed_at)
    return any(at is not None and at >= start for at in instants)
