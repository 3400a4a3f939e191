"""Did the change work? The change report as before/after bars with a verdict under each.

Each measure of each touched stage is a pair of bars — before, then after —
beside their figures, and the domain's verdict sentence under them ("better:
50% → 85% moved on (p < 0.001, 40 before, 40 after)", "not enough deals yet:
14 after (need 20)"). The after bar is drawn in the good or bad tone only when
the verdict calls it; the words carry the meaning without colour.
"""

from __future__ import annotations

from datetime import timedelta

from dealboard.domain.reports import ChangeReport
from dealboard.domain.reports.change import Call, DurationChange, RateChange
from dealboard.ui.reports.charts import Bar, BarChart, Block, Tone, Words
from dealboard.ui.reports.wording import days, days_text, rate_text

_MEASURES = ("Moved on", "Time in stage", "Win rate", "Cycle")
_TONES: dict[Call, Tone] = {Call.BETTER: "good", Call.WORSE: "bad"}


def change_blocks(report: ChangeReport) -> list[Block]:
    """The revision, then per touched stage: what changed and the four comparisons."""
    revision = report.revision
    if revision is None:
        return [
            Words(
                "No revision of this pipeline yet. Import a changed pipeline file "
                "(dealboard pipeline import FILE) and its effect shows here.",
                "message",
            )
        ]
    blocks: list[Block] = [
        Words(
            f"Revision {revision.number} · {revision.at.astimezone():%Y-%m-%d %H:%M} · "
            f"{revision.user_display}",
            "strong",
        ),
        Words(
            "Deals split by when they first entered the stage. Moved on and time in stage: "
            f"over each deal's first {report.horizon.days} days there. Win rate and cycle: "
            "the deals that passed it and have closed."
        ),
        *(Words(f"Not measured: {text}") for text in report.unmeasured),
    ]
    if not report.stages:
        blocks.append(Words("The revision touched no open stage to measure.", "message"))
    for stage in report.stages:
        blocks.append(Words(stage.stage, "heading"))
        blocks += [Words(text) for text in stage.changes]
        for label, change in zip(_MEASURES, stage.comparisons, strict=True):
            blocks.append(_pair(label, change))
            strong = change.verdict.call in (Call.BETTER, Call.WORSE)
            blocks.append(Words(change.verdict.text, "strong" if strong else "note"))
        left_out = [
            f"{count} {what}"
            for count, what in (
                (stage.straddling, "entered in the 30 days before the revision"),
                (stage.waiting, "entered under 30 days ago"),
                (stage.not_measured, "imported stays"),
            )
            if count
        ]
        if left_out:
            blocks.append(Words("Left out: " + "; ".join(left_out)))
    return blocks


def _pair(label: str, change: RateChange | DurationChange) -> BarChart:
    tone = _TONES.get(change.verdict.call, "bar")
    if isinstance(change, RateChange):
        bars = (
            Bar("before", change.before.percent, (rate_text(change.before),)),
            Bar("after", change.after.percent, (rate_text(change.after),), tone=tone),
        )
        return BarChart(bars, ("share",), label, scale=100)
    plain: Tone = "bar"
    sides = (("before", change.before, plain), ("after", change.after, tone))
    return BarChart(
        tuple(
            Bar(
                name,
                days(side.median),
                (_capped(side.median, change), _capped(side.p90, change), str(side.n)),
                reach=days(side.p90),
                tone=side_tone,
            )
            for name, side, side_tone in sides
        ),
        ("median", "p90", "deals"),
        label,
    )


def _capped(value: timedelta | None, change: DurationChange) -> str:
    """`30.0d+` for a duration at the cap (a stay still going at the horizon)."""
    text = days_text(value)
    if change.cap is not None and value is not None and value >= change.cap:
        return text + "+"
    return text
