"""The board filter a user types after `/`: words, `@owner` and `#tag`.

Words and tags must all match, owners any: `@lena #q4 clinic` is Lena's Q4 deals mentioning
"clinic" in title, account or contact. Matching is case-insensitive and done in
memory on the loaded board, so typing never waits for the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealboard.domain.records import DealSummary


@dataclass(frozen=True)
class DealFilter:
    """A parsed filter; the empty filter matches every deal."""

    words: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> DealFilter:
        words, owners, tags = [], [], []
        for term in query.casefold().split():
            if term.startswith("@") and len(term) > 1:
                owners.append(term[1:])
            elif term.startswith("#") and len(term) > 1:
                tags.append(term[1:])
            else:
                words.append(term)
        return cls(tuple(words), tuple(owners), tuple(tags))

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.owners or self.tags)

    def matches(self, deal: DealSummary) -> bool:
        """Owner terms match the login or display name by prefix; tags exactly."""
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
