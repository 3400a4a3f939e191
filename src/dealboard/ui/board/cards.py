"""How one deal card looks: four lines of text under a one-line gap.

Title; account and owner; value, days in stage, checklist and open
objections; then what to do next — open SLA breaches, the next step's date,
the cadence's attempts, how long it has been quiet, the BANT mark.

Pure drawing, no widget state: the column asks for a card's lines and caches
them, so a board of thousands of deals draws only the cards on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from dealboard.domain.badges import Tone, deal_badges
from dealboard.domain.columns import checklist_progress, days_in_stage
from dealboard.domain.money import format_compact
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.ui.text import fitted, one_line, plain_line

#: Open objections, on the card, the deal screen and in help alike.
OBJECTION_MARK = "✋"

#: Lines per card: a gap (where a drop slot is drawn) and four of content.
CARD_HEIGHT = 5


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


def account_and_owner(account: str, owner: str, width: int) -> Text:
    """`Account · owner` in `width` cells: the account is cut first, the owner never.

    Whose deal it is decides who to ask, so a narrow card keeps the login and
    gives up the account; narrower still, the login's initials (`rh` for
    richard.hendricks) rather than half a name.
    """
    who = one_line(owner)
    if cell_len(who) + 4 > width:
        who = "".join(part[0] for part in re.split(r"[._@-]+", who) if part) or who[:2]
    room = width - cell_len(who) - 3
    if room < 2:
        return fitted(who, width)
    line = fitted(one_line(account) or "—", room)
    line.append(f" · {who}")
    return line


def card_text(
    deal: DealSummary,
    stage: StageRecord,
    now: datetime,
    width: int,
    styles: CardStyles,
    marker: str = " ",
    first: str | None = None,
) -> list[Text]:
    """The four content lines of a card, each cut to `width` cells.

    `marker` starts each line: the selected card gets a bar, so the cursor is
    visible even without colour (NO_COLOR, a projector, a screen reader's dump).
    `first`, if given, starts the first line instead: a marked card's `◆` there
    leaves the cursor's bar on the other three.
    """
    inner = max(width - 2, 1)
    today = now.astimezone().date()
    title = fitted(deal.title, inner, "")
    title.stylize(styles.title)
    meta = account_and_owner(deal.account, deal.owner, inner)
    meta.stylize(styles.meta)
    facts = Text(no_wrap=True, end="")
    facts.append_text(plain_line(format_compact(deal.value_minor, deal.currency)))
    facts.append(f"  {days_in_stage(deal, today)}d", styles.meta)
    progress = checklist_progress(deal)
    if progress:
        complete = deal.checklist_done == deal.checklist_total
        facts.append(f"  ☑{progress}", styles.done if complete else styles.meta)
    if deal.open_objections:
        facts.append(f"  {OBJECTION_MARK}{deal.open_objections}", styles.objection)
    facts.truncate(inner, overflow="ellipsis")
    tones = {Tone.ALERT: styles.late, Tone.WARN: styles.stale, Tone.GOOD: styles.done}
    todo = Text(no_wrap=True, end="")
    for index, badge in enumerate(deal_badges(deal, stage, now)):
        todo.append("  " if index else "")
        todo.append(badge.text, tones.get(badge.tone, styles.meta))
    todo.truncate(inner, overflow="ellipsis")
    lines = (title, meta, facts, todo)
    markers = (first if first is not None else marker, marker, marker, marker)
    return [
        Text(sign, style=styles.title, end="") + line
        for sign, line in zip(markers, lines, strict=True)
    ]
