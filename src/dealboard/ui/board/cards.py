"""How one deal card looks: three lines of text under a one-line gap.

Pure drawing, no widget state: the column asks for a card's lines and caches
them, so a board of thousands of deals draws only the cards on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.style import Style
from rich.text import Text

from dealboard.domain.columns import (
    checklist_progress,
    days_in_stage,
    is_stale,
    next_step_overdue,
)
from dealboard.domain.money import format_compact
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.ui.text import fitted, one_line

#: Lines per card: a gap (where a drop slot is drawn) and three of content.
CARD_HEIGHT = 4


@dataclass(frozen=True)
class CardStyles:
    """Rich styles resolved from the column's component classes (theme colours)."""

    body: Style
    title: Style
    meta: Style
    late: Style
    objection: Style
    stale: Style
    done: Style


def card_text(
    deal: DealSummary,
    stage: StageRecord,
    today: date,
    width: int,
    styles: CardStyles,
    marker: str = " ",
) -> list[Text]:
    """The three content lines of a card, each cut to `width` cells.

    `marker` starts each line: the selected card gets a bar, so the cursor is
    visible even without colour (NO_COLOR, a projector, a screen reader's dump).
    """
    inner = max(width - 2, 1)
    title = fitted(deal.title, inner, "")
    title.stylize(styles.title)
    meta = fitted(f"{one_line(deal.account) or '—'} · {one_line(deal.owner)}", inner)
    meta.stylize(styles.meta)
    facts = Text(no_wrap=True, end="")
    facts.append(format_compact(deal.value_minor, deal.currency))
    facts.append(f"  {days_in_stage(deal, today)}d", styles.meta)
    progress = checklist_progress(deal)
    if progress:
        complete = deal.checklist_done == deal.checklist_total
        facts.append(f"  ☑{progress}", styles.done if complete else styles.meta)
    if next_step_overdue(deal, today):
        facts.append("  late", styles.late)
    elif deal.next_step_due is None and deal.stage_kind.value == "open":
        facts.append("  no step", styles.late)
    if deal.open_objections:
        facts.append(f"  ✋{deal.open_objections}", styles.objection)
    if is_stale(deal, stage, today):
        facts.append("  quiet", styles.stale)
    facts.truncate(inner, overflow="ellipsis")
    return [Text(marker, style=styles.title, end="") + line for line in (title, meta, facts)]
