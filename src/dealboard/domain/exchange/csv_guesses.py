"""Rules for what a CRM export means but does not say in dealboard's words.

Salesforce says a deal's outcome in two true/false columns (IsClosed, IsWon)
instead of a status; a report export calls them Closed and Won, so a "Closed"
column may hold flags rather than dates. A column that looks like a stage but
matched nothing must stop the import: reading no stage would put every deal
silently in the first one. An unknown stage gets a suggested `--stage-map`
naming the nearest stage of the pipeline.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from dealboard.domain import text
from dealboard.domain.exchange.csv_columns import normal_header
from dealboard.domain.exchange.csv_plan import PipelineInfo
from dealboard.domain.exchange.csv_values import is_flag
from dealboard.vocabulary import StageKind

#: Words in a header that say it is about a stage without holding the stage itself
#: (a stage's date, duration or probability).
_NOT_THE_STAGE = frozenset(
    {"date", "time", "change", "changed", "entered", "exited", "days", "duration", "probability"}
)


def looks_like_stage(header: str) -> bool:
    """`Sales Stage Name`, `Opportunity Stage (current)`: a stage the importer did not match."""
    words = set(re.findall(r"stage|[a-z]+", normal_header(header)))
    folded = header.casefold()
    return "stage" in folded and not (words & _NOT_THE_STAGE)


def holds_flags(cells: Iterable[str]) -> bool:
    """Every non-empty cell is true/false (and there is one): Salesforce's Closed column."""
    seen = False
    for cell in cells:
        if not cell.strip():
            continue
        if not is_flag(cell):
            return False
        seen = True
    return seen


def outcome_of(closed: bool | None, won: bool | None) -> StageKind | None:
    """The status IsClosed/IsWon say; None when they do not decide it.

    Won implies closed. Closed and not won is lost. Not closed is open. Closed
    with no word on winning, or "not won" alone, leaves it to the stage.
    """
    if won:
        return StageKind.WON
    if closed is False:
        return StageKind.OPEN
    if closed and won is False:
        return StageKind.LOST
    return None


def suggested_stage(name: str, pipeline: PipelineInfo) -> str:
    """The pipeline's stage nearest to a file's stage name (by spelling), else its first."""
    kinds = {
        "won": StageKind.WON,
        "lost": StageKind.LOST,
    }
    folded = text.slug(name)
    for word, kind in kinds.items():
        if word in folded.split("-"):
            return pipeline.first_of(kind).name
    names = {text.slug(s.name): s.name for s in pipeline.stages}
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else pipeline.stages[0].name
