"""The board filter a user types after `/`: words, `@owner`, `#tag` and badge words.

Words, tags and badge words must all match, owners any: `@lena #q4 clinic` is Lena's Q4
deals mentioning "clinic" in title, account or contact; `quiet` (or `late`, `today`,
`nostep`, `exhausted`, `breach`) keeps the cards showing that badge, so `/quiet @lena`
is Lena's deals gone quiet. Matching is case-insensitive and done in
memory on the loaded board, so typing never waits for the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealboard.domain.badges import FILTER_WORDS
from dealboard.domain.records import DealSummary


@dataclass(frozen=True)
class DealFilter:
    """A parsed filter; the empty filter matches every deal."""

    words: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> DealFilter:
        words, owners, tags, badges = [], [], [], []
        for term in query.casefold().split():
            if term.startswith("@") and len(term) > 1:
                owners.append(term[1:])
            elif term.startswith("#") and len(term) > 1:
                tags.append(term[1:])
            elif term.lstrip("/") in FILTER_WORDS:
                badges.append(term.lstrip("/"))
            else:
                words.append(term)
        return cls(tuple(words), tuple(owners), tuple(tags), tuple(badges))

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.owners or self.tags or self.badges)

    def matches(self, deal: DealSummary, badge_names: frozenset[str] = frozenset()) -> bool:
        """Owner terms match the login or display name by prefix; tags and badges exactly.

        The caller passes the deal's badge names (see `badges.deal_badges`): badges need
        the stage's rules and today's date, which a filter has no business knowing.
        """
        if any(name not in badge_names for name in self.badges):
            return False
        if self.owners and not any(_owner_matches(deal, o) for o in self.owners):
            return False
        if any(tag not in deal.tags for tag in self.tags):
            return False
        haystack = f"{deal.title}\n{deal.account}\n{deal.contact}".casefold()
        return all(word in haystack for word in self.words)


def _owner_matches(deal: DealSummary, owner: str) -> bool:
    return deal.owner.casefold().startswith(owner) or deal.owner_display.casefold().startswith(
        owner
    )
