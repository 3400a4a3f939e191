"""The playbook as Markdown: readable as plain text, fine in a wiki, a chat or an email.

Text from the pipeline file is escaped (`escape` from `deal_markdown`), so a
criterion like `<b>` or `[x](y)` shows as typed. Template bodies keep their
lines and their `{placeholders}` as written, each line quoted with `>`.
"""

from __future__ import annotations

from dealboard.domain.deal_markdown import escape
from dealboard.domain.playbook import Playbook
from dealboard.domain.playbook_page import (
    Block,
    Bullets,
    Heading,
    Line,
    Paragraph,
    Quote,
    Section,
    Span,
    Style,
    Table,
    playbook_page,
)


def playbook_markdown(playbook: Playbook) -> str:
    """The whole page, ending with a newline."""
    page = playbook_page(playbook)
    lines = [f"# {escape(page.title)}", ""]
    for block in page.blocks:
        lines += _block(block)
    lines.append(f"*{escape(page.generated)}*")
    return "\n".join(lines) + "\n"


def _block(block: Block) -> list[str]:
    match block:
        case Heading(level, text):
            return [f"{'#' * level} {_line(text)}", ""]
        case Paragraph(text):
            return [_line(text), ""]
        case Bullets(items, checklist):
            mark = "- [ ] " if checklist else "- "
            return [*(mark + _line(item) for item in items), ""]
        case Table(header, rows, numeric):
            rule = ("---:" if i in numeric else "---" for i in range(len(header)))
            return [
                _row(header),
                f"| {' | '.join(rule)} |",
                *(_row(row) for row in rows),
                "",
            ]
        case Quote(text):
            return [*(f"> {escape(line)}".rstrip() for line in text.split("\n")), ""]
        case Section(blocks):
            return [line for inner in blocks for line in _block(inner)]
    raise TypeError(block)


def _row(cells: tuple[str, ...]) -> str:
    escaped = (escape(cell).replace("|", "\\|") for cell in cells)
    return f"| {' | '.join(escaped)} |"


def _line(text: Line) -> str:
    return "".join(_span(span) for span in text)


def _span(span: Span) -> str:
    """One run, escaped; the spaces around it kept (escaping folds them away)."""
    body = span.text.replace("`", "'") if span.style is Style.CODE else escape(span.text)
    if span.style is Style.STRONG:
        body = f"**{body}**"
    elif span.style is Style.EMPHASIS:
        body = f"*{body}*"
    elif span.style is Style.CODE:
        body = f"`{body}`"
    lead = " " if span.text[:1].isspace() else ""
    trail = " " if span.text[-1:].isspace() else ""
    return f"{lead}{body}{trail}"
