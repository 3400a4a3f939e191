"""What the Reports screen asks for and gets: every report for one choice, read at once.

Apart from the readers, so that naming them costs a screen nothing until it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dealboard.domain.records import PipelineRecord, UserRecord

if TYPE_CHECKING:
    from dealboard.domain.reports import Report


@dataclass(frozen=True)
class ReportRequest:
    """Which reports: the pipeline (None: the first), a window (`since`), one owner or everyone."""

    pipeline: str | None
    since: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class ReportSet:
    """Every report for one request, and what a screen's choices are made from."""

    request: ReportRequest
    pipeline: PipelineRecord
    reports: dict[str, Report]
    pipelines: list[PipelineRecord]
    people: list[UserRecord]
