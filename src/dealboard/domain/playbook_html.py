"""The playbook as one self-contained HTML page: inline CSS, no scripts, prints cleanly.

Every piece of text from the board goes through `html.escape` (quotes too),
so a criterion written as `<script>` shows as typed and never runs. The page
fetches nothing: it can be mailed, attached or opened offline.
"""

from __future__ import annotations

from html import escape

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
from dealboard.domain.text import display_safe

_STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2430; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #d5dbe3; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.meta { color: #5b6675; margin-top: 0; }
.intro { font-size: 1.05rem; }
.stage { break-inside: avoid-page; }
.purpose { font-size: 1.05rem; }
.facts { color: #3a4453; padding-left: 1.2rem; }
.criteria { list-style: none; padding-left: .2rem; }
.criteria li::before { content: "\\2610\\00a0"; }
.criteria em { color: #5b6675; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d5dbe3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f4f8; }
td.num { text-align: right; }
blockquote { margin: .4rem 0 1rem; padding: .5rem .9rem; border-left: 4px solid #9fb3c8;
  background: #f6f8fb; }
blockquote pre { margin: 0; font: 13.5px/1.45 ui-monospace, "SFMono-Regular", Menlo, monospace;
  white-space: pre-wrap; word-wrap: break-word; }
.subject { margin: .2rem 0; color: #3a4453; }
code { font: 13.5px ui-monospace, "SFMono-Regular", Menlo, monospace; }
footer { margin-top: 2.5rem; color: #5b6675; font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid-page; }
  blockquote { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(value: str) -> str:
    return escape(display_safe(value), quote=True)


def playbook_html(playbook: Playbook) -> str:
    """The whole page, ending with a newline."""
    page = playbook_page(playbook)
    heading = _e(page.title)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{heading}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{heading}</h1>",
            *(part for block in page.blocks for part in _block(block)),
            f"<footer>{_e(page.generated)}</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


_TAG = {Style.STRONG: "strong", Style.EMPHASIS: "em", Style.CODE: "code"}


def _block(block: Block) -> list[str]:
    match block:
        case Heading(level, text):
            return [f"<h{level}>{_line(text)}</h{level}>"]
        case Paragraph(text, role):
            return [f"<p{_class(role)}>{_line(text)}</p>"]
        case Bullets(items, checklist, role):
            role = "criteria" if checklist else role
            return [f"<ul{_class(role)}>", *(f"<li>{_line(item)}</li>" for item in items), "</ul>"]
        case Table(header, rows, numeric):
            head = "".join(f"<th>{_e(cell)}</th>" for cell in header)
            body = ["".join(_cell(i, cell, numeric) for i, cell in enumerate(row)) for row in rows]
            return [
                "<table>",
                f"<thead><tr>{head}</tr></thead>",
                "<tbody>",
                *(f"<tr>{cells}</tr>" for cells in body),
                "</tbody>",
                "</table>",
            ]
        case Quote(text):
            return [f"<blockquote><pre>{_e(text)}</pre></blockquote>"]
        case Section(blocks):
            inner = [part for child in blocks for part in _block(child)]
            return ['<section class="stage">', *inner, "</section>"]
    raise TypeError(block)


def _cell(index: int, text: str, numeric: frozenset[int]) -> str:
    return f"<td{_class('num' if index in numeric else '')}>{_e(text)}</td>"


def _class(role: str) -> str:
    return f' class="{role}"' if role else ""


def _line(text: Line) -> str:
    return "".join(_span(span) for span in text)


def _span(span: Span) -> str:
    tag = _TAG.get(span.style)
    return f"<{tag}>{_e(span.text)}</{tag}>" if tag else _e(span.text)
