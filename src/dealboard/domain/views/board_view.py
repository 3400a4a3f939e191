"""The board as a screen shows it: per column the sums of every deal, and a window of cards.

A column of 20,000 deals is never read whole. Its header (count, total and
weighted value per currency) comes from one SQL aggregate over the column; its
cards come from SQL in the order shown, a window at a time around where the
user is looking (`Viewport`). What the user asked to see (`BoardRequest`:
pipeline and filter) is kept apart from where they look, so scrolling reads
more cards without starting over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from dealboard.domain.columns import Money, join_money
from dealboard.domain.filters import DealFilter
from dealboard.domain.gate import StageLoad
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord, UserRecord
from dealboard.vocabulary import StageKind

#: Cards a column needs when the screen has not said yet (a first read): a tall screenful.
DEFAULT_WINDOW = 12
#: Cards read beyond what the screen needs, above and below, so scrolling finds them read.
WINDOW_MARGIN = 20


@dataclass(frozen=True)
class BoardRequest:
    """What the user asked to see; a different request starts a fresh read."""

    pipeline: str | None = None
    filter: DealFilter = field(default_factory=DealFilter)


@dataclass(frozen=True)
class Window:
    """Cards `start` … `start + size - 1` of a column, counted from its top (0)."""

    start: int
    size: int

    @property
    def end(self) -> int:
        return self.start + self.size


@dataclass(frozen=True)
class Viewport:
    """Where the user is looking: the cards each column on screen needs, by stage id.

    A read fetches a little more than each need (`WINDOW_MARGIN` either side),
    and reads again only when a need is no longer covered. `follow` is a deal
    the cursor should land on (a new card, a card just moved): the read finds
    its column and place, and reads the cards around it.
    """

    needs: Mapping[int, Window] = field(default_factory=dict)
    follow: int | None = None


@dataclass(frozen=True)
class Located:
    """Where a followed deal is: its column and its place in it (under the filter)."""

    deal_id: int
    stage_id: int
    index: int


@dataclass(frozen=True)
class ColumnView:
    """One stage: the sums of all its (matching) deals, and the cards read so far."""

    stage: StageRecord
    count: int
    totals: tuple[Money, ...]
    weighted: tuple[Money, ...]
    #: The place of `cards[0]` in the column.
    start: int = 0
    cards: tuple[DealSummary, ...] = ()
    #: Every open deal of a WIP-limited stage (whatever the filter) against its limit.
    load: StageLoad | None = None

    @property
    def is_open(self) -> bool:
        return self.stage.kind is StageKind.OPEN

    @property
    def end(self) -> int:
        return self.start + len(self.cards)

    def card_at(self, index: int) -> DealSummary | None:
        """The card at `index`, if it has been read."""
        offset = index - self.start
        return self.cards[offset] if 0 <= offset < len(self.cards) else None

    def index_of(self, deal_id: int) -> int | None:
        """The place of a deal among the cards read, or None."""
        for offset, deal in enumerate(self.cards):
            if deal.id == deal_id:
                return self.start + offset
        return None

    def covers(self, window: Window) -> bool:
        """Whether every card of `window` that exists has been read."""
        wanted_end = min(window.end, self.count)
        return (window.start >= self.start and wanted_end <= self.end) or self.count == 0

    def totals_text(self, width: int | None = None) -> str:
        """The column's total, abbreviated (never cut) to `width` cells."""
        return join_money(self.totals, width)

    def weighted_text(self, width: int | None = None) -> str:
        """The probability-weighted total, abbreviated (never cut) to `width` cells."""
        return join_money(self.weighted, width)

    def count_text(self, width: int) -> str:
        """The header's count: `12`, or `12/15` against a WIP limit, `⚠` when at it.

        A full hard-limited stage adds `full` (it refuses the next deal) where it
        fits in `width`; under a filter the matching deals come first, `3 · 12/15`.
        """
        load = self.load
        if load is None:
            return str(self.count)
        shown = load.text if self.count == load.count else f"{self.count} · {load.text}"
        if not load.full:
            return shown
        hard = f"⚠ {shown} full"
        return hard if load.limit.hard and len(hard) <= width else f"⚠ {shown}"


@dataclass(frozen=True)
class BoardView:
    """Everything the board screen draws, from one read-only transaction."""

    request: BoardRequest
    pipelines: tuple[PipelineRecord, ...]
    pipeline: PipelineRecord
    me: UserRecord
    #: When it was read: badges count minutes (a lead waiting for its first touch).
    now: datetime
    columns: tuple[ColumnView, ...]
    #: The deal this read was asked to find, and where it is (None: not on this board view).
    followed: int | None = None
    located: Located | None = None

    def column(self, stage_id: int) -> ColumnView | None:
        return next((c for c in self.columns if c.stage.id == stage_id), None)

    @property
    def matching(self) -> int:
        """Open deals through the filter (the title says how many match)."""
        return sum(c.count for c in self.columns if c.is_open)

    def stage(self, stage_id: int) -> StageRecord | None:
        return next((s for s in self.pipeline.stages if s.id == stage_id), None)
