"""The playbook's page as a short list of blocks, for the Markdown and HTML renderers.

What the page says, and in which order, is decided once, here; the renderers
(`playbook_markdown`, `playbook_html`) only know how to write a heading, a
list or a table in their format and how to escape text for it. So the two
formats cannot drift apart, and a new section is written in one place.

Text is kept as `Span`s with a style, never as markup: each renderer escapes
every span itself, so text from the pipeline file shows as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dealboard.domain.playbook import (
    BUYER_INTRODUCTION,
    LOSS_REASON_MEANINGS,
    Playbook,
    PlaybookStage,
    PlaybookTemplate,
    cadence_text,
    sla_lines,
    wip_text,
)
from dealboard.vocabulary import StageKind, TemplateKind

_KIND = {TemplateKind.SCRIPT: "call script", TemplateKind.EMAIL: "email"}


class Style(StrEnum):
    """How a run of text is set."""

    PLAIN = "plain"
    STRONG = "strong"
    EMPHASIS = "emphasis"
    CODE = "code"


@dataclass(frozen=True)
class Span:
    """A run of text in one style."""

    text: str
    style: Style = Style.PLAIN


Line = tuple[Span, ...]


def plain(text: str) -> Line:
    return (Span(text),)


@dataclass(frozen=True)
class Heading:
    level: int
    text: Line


@dataclass(frozen=True)
class Paragraph:
    """`role` names what it is (intro, meta, purpose, subject, note) for styling."""

    text: Line
    role: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list; `checklist` items are criteria still to tick (`- [ ]`, ☐)."""

    items: tuple[Line, ...]
    checklist: bool = False
    role: str = ""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Quote:
    """A template body: its lines and `{placeholders}` exactly as written."""

    text: str


@dataclass(frozen=True)
class Section:
    """A stage: kept together on a printed page."""

    blocks: tuple[Block, ...]


Block = Heading | Paragraph | Bullets | Table | Quote | Section


@dataclass(frozen=True)
class Page:
    title: str
    blocks: tuple[Block, ...]
    generated: str = field(default="")


def playbook_page(playbook: Playbook) -> Page:
    """The page for the playbook's audience (a buyer's holds nothing internal)."""
    generated = f"Generated {playbook.generated_on.isoformat()} by dealboard."
    if playbook.for_buyer:
        title = f"How we work together: {playbook.title}"
        return Page(title, _buyer(playbook), generated)
    return Page(f"Playbook: {playbook.title}", _team(playbook), generated)


def _buyer(playbook: Playbook) -> tuple[Block, ...]:
    blocks: list[Block] = [Paragraph(plain(BUYER_INTRODUCTION), "intro")]
    for stage in playbook.stages:
        inner: list[Block] = [Heading(2, plain(f"{stage.number}. {stage.name}"))]
        if stage.purpose:
            inner.append(Paragraph(plain(stage.purpose), "purpose"))
        if stage.criteria:
            inner.append(Paragraph(plain("Before the next step:")))
            inner.append(Bullets(tuple(plain(c.text) for c in stage.criteria)))
        blocks.append(Section(tuple(inner)))
    return tuple(blocks)


def _team(playbook: Playbook) -> tuple[Block, ...]:
    count = len(playbook.stages)
    blocks: list[Block] = []
    if playbook.description:
        blocks.append(Paragraph(plain(playbook.description), "intro"))
    blocks += [
        Paragraph(
            (
                Span("Pipeline "),
                Span(playbook.name, Style.CODE),
                Span(f": {count} open stage{'s' if count != 1 else ''}."),
            ),
            "meta",
        ),
        Heading(2, plain("How deals move")),
        Bullets(
            (
                *(plain(rule) for rule in playbook.rules),
                (
                    Span("A criterion marked "),
                    Span("BANT", Style.EMPHASIS),
                    Span(
                        " is ticked by answering that qualification question yes "
                        "(Budget, Authority, Need, Timing)."
                    ),
                ),
            )
        ),
    ]
    slas = sla_lines(playbook)
    if slas:
        blocks += [Heading(2, plain("Service levels")), Bullets(tuple(plain(s) for s in slas))]
    blocks += [Heading(2, plain("The stages at a glance")), _overview(playbook)]
    blocks += [_stage(stage) for stage in playbook.stages]
    return (*blocks, *_closed(playbook))


def _overview(playbook: Playbook) -> Table:
    return Table(
        ("#", "Stage", "Win probability", "Quiet after", "Cadence", "Exit criteria"),
        tuple(
            (
                str(stage.number),
                stage.name,
                f"{stage.probability}%",
                f"{stage.rot_days} days" if stage.rot_days is not None else "-",
                cadence_text(stage.cadence) if stage.cadence else "-",
                str(len(stage.criteria)),
            )
            for stage in playbook.stages
        ),
        numeric=frozenset({0, 2, 5}),
    )


def _fact(name: str, value: str) -> Line:
    return (Span(f"{name}:", Style.STRONG), Span(f" {value}"))


def _stage(stage: PlaybookStage) -> Section:
    purpose = (
        plain(stage.purpose)
        if stage.purpose
        else (Span("No purpose written yet.", Style.EMPHASIS),)
    )
    facts = [_fact("Win probability", f"{stage.probability}%")]
    if stage.rot_days is not None:
        facts.append(_fact("Gone quiet after", f"{stage.rot_days} days without activity"))
    if stage.cadence is not None:
        inherited = " (the pipeline's follow-up rule)" if stage.cadence_inherited else ""
        facts.append(_fact("Cadence", f"{cadence_text(stage.cadence)}{inherited}"))
    if stage.wip is not None:
        facts.append(_fact("WIP limit", wip_text(stage.wip)))
    blocks: list[Block] = [
        Heading(2, plain(f"{stage.number}. {stage.name}")),
        Paragraph(purpose, "purpose"),
        Bullets(tuple(facts), role="facts"),
    ]
    if stage.criteria:
        blocks.append(
            Paragraph(
                (
                    Span("Exit criteria", Style.STRONG),
                    Span(": all ticked before the deal moves on."),
                )
            )
        )
        blocks.append(
            Bullets(
                tuple(
                    (Span(f"{c.text} "), Span(f"(BANT: {c.bant.value})", Style.EMPHASIS))
                    if c.bant
                    else plain(c.text)
                    for c in stage.criteria
                ),
                checklist=True,
            )
        )
    else:
        blocks.append(Paragraph(plain("No exit criteria: a deal may move on at any time.")))
    if stage.templates:
        blocks.append(Paragraph((Span("Templates", Style.STRONG),)))
        for template in stage.templates:
            blocks += _template(template)
    return Section(tuple(blocks))


def _template(template: PlaybookTemplate) -> list[Block]:
    blocks: list[Block] = [Heading(3, plain(f"{template.name} ({_KIND[template.kind]})"))]
    if template.subject:
        blocks.append(Paragraph(plain(f"Subject: {template.subject}"), "subject"))
    return [*blocks, Quote(template.body)]


def _closed(playbook: Playbook) -> list[Block]:
    blocks: list[Block] = []
    if playbook.closed:
        items = []
        for stage in playbook.closed:
            what = "won" if stage.kind is StageKind.WON else "lost"
            purpose = f": {stage.purpose}" if stage.purpose else ""
            items.append((Span(stage.name, Style.STRONG), Span(f" ({what}){purpose}")))
        blocks += [Heading(2, plain("Closed stages")), Bullets(tuple(items))]
    if playbook.loss_reasons:
        blocks += [
            Heading(2, plain("Loss reasons")),
            Paragraph(plain("Closing a deal as lost needs one of these reasons:")),
            Bullets(
                tuple(
                    (Span(reason.value, Style.CODE), Span(f": {LOSS_REASON_MEANINGS[reason]}"))
                    for reason in playbook.loss_reasons
                )
            ),
            Paragraph(
                (
                    Span("They are tallied over time ("),
                    Span("dealboard report losses", Style.CODE),
                    Span(") to find patterns worth fixing."),
                )
            ),
        ]
    return blocks
