"""The playbook as one self-contained HTML page: inline CSS, no scripts, prints cleanly.

Every piece of text from the board goes through `html.escape` (quotes too),
so a criterion written as `<script>` shows as typed and never runs. The page
fetches nothing: it can be mailed, attached or opened offline.
"""

from __future__ import annotations

from html import escape

from dealboard.domain.playbook import (
    BUYER_INTRODUCTION,
    LOSS_REASON_MEANINGS,
    Playbook,
    PlaybookStage,
    PlaybookTemplate,
    cadence_text,
    sla_lines,
)
from dealboard.domain.text import display_safe
from dealboard.vocabulary import StageKind, TemplateKind

_KIND = {TemplateKind.SCRIPT: "call script", TemplateKind.EMAIL: "email"}

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
.bant { color: #5b6675; font-style: italic; }
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
    if playbook.for_buyer:
        heading = f"How we work together: {_e(playbook.title)}"
        body = _buyer_body(playbook)
    else:
        heading = f"Playbook: {_e(playbook.title)}"
        body = _team_body(playbook)
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
            *body,
            f"<footer>Generated {playbook.generated_on.isoformat()} by dealboard.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _buyer_body(playbook: Playbook) -> list[str]:
    parts = [f'<p class="intro">{_e(BUYER_INTRODUCTION)}</p>']
    for stage in playbook.stages:
        parts.append('<section class="stage">')
        parts.append(f"<h2>{stage.number}. {_e(stage.name)}</h2>")
        if stage.purpose:
            parts.append(f'<p class="purpose">{_e(stage.purpose)}</p>')
        if stage.criteria:
            parts.append("<p>Before the next step:</p>")
            parts.append("<ul>")
            parts += [f"<li>{_e(c.text)}</li>" for c in stage.criteria]
            parts.append("</ul>")
        parts.append("</section>")
    return parts


def _team_body(playbook: Playbook) -> list[str]:
    count = len(playbook.stages)
    parts = []
    if playbook.description:
        parts.append(f'<p class="intro">{_e(playbook.description)}</p>')
    parts.append(
        f'<p class="meta">Pipeline <code>{_e(playbook.name)}</code>: {count} open '
        f"stage{'s' if count != 1 else ''}.</p>"
    )
    parts += ["<h2>How deals move</h2>", "<ul>"]
    parts += [f"<li>{_e(rule)}</li>" for rule in playbook.rules]
    parts.append(
        "<li>A criterion marked <em>BANT</em> is ticked by answering that qualification "
        "question yes (Budget, Authority, Need, Timing).</li>"
    )
    parts.append("</ul>")
    slas = sla_lines(playbook)
    if slas:
        parts += ["<h2>Service levels</h2>", "<ul>", *(f"<li>{_e(s)}</li>" for s in slas), "</ul>"]
    parts += _overview(playbook)
    for stage in playbook.stages:
        parts += _stage(stage)
    parts += _closed(playbook)
    return parts


def _overview(playbook: Playbook) -> list[str]:
    parts = [
        "<h2>The stages at a glance</h2>",
        "<table>",
        "<thead><tr><th>#</th><th>Stage</th><th>Win probability</th><th>Quiet after</th>"
        "<th>Cadence</th><th>Exit criteria</th></tr></thead>",
        "<tbody>",
    ]
    for stage in playbook.stages:
        quiet = f"{stage.rot_days} days" if stage.rot_days is not None else "-"
        cadence = cadence_text(stage.cadence) if stage.cadence else "-"
        parts.append(
            f'<tr><td class="num">{stage.number}</td><td>{_e(stage.name)}</td>'
            f'<td class="num">{stage.probability}%</td><td>{quiet}</td><td>{cadence}</td>'
            f'<td class="num">{len(stage.criteria)}</td></tr>'
        )
    return [*parts, "</tbody>", "</table>"]


def _stage(stage: PlaybookStage) -> list[str]:
    parts = ['<section class="stage">', f"<h2>{stage.number}. {_e(stage.name)}</h2>"]
    purpose = _e(stage.purpose) if stage.purpose else "<em>No purpose written yet.</em>"
    parts.append(f'<p class="purpose">{purpose}</p>')
    parts.append('<ul class="facts">')
    parts.append(f"<li><strong>Win probability:</strong> {stage.probability}%</li>")
    if stage.rot_days is not None:
        parts.append(
            f"<li><strong>Gone quiet after:</strong> {stage.rot_days} days without activity</li>"
        )
    if stage.cadence is not None:
        inherited = " (the pipeline's follow-up rule)" if stage.cadence_inherited else ""
        parts.append(
            f"<li><strong>Cadence:</strong> {cadence_text(stage.cadence)}{_e(inherited)}</li>"
        )
    parts.append("</ul>")
    if stage.criteria:
        parts.append("<p><strong>Exit criteria</strong>: all ticked before the deal moves on.</p>")
        parts.append('<ul class="criteria">')
        for criterion in stage.criteria:
            tie = (
                f' <span class="bant">(BANT: {_e(criterion.bant.value)})</span>'
                if criterion.bant
                else ""
            )
            parts.append(f"<li>{_e(criterion.text)}{tie}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>No exit criteria: a deal may move on at any time.</p>")
    if stage.templates:
        parts.append("<p><strong>Templates</strong></p>")
        for template in stage.templates:
            parts += _template(template)
    parts.append("</section>")
    return parts


def _template(template: PlaybookTemplate) -> list[str]:
    parts = [f"<h3>{_e(template.name)} ({_KIND[template.kind]})</h3>"]
    if template.subject:
        parts.append(f'<p class="subject">Subject: {_e(template.subject)}</p>')
    parts.append(f"<blockquote><pre>{_e(template.body)}</pre></blockquote>")
    return parts


def _closed(playbook: Playbook) -> list[str]:
    parts: list[str] = []
    if playbook.closed:
        parts += ["<h2>Closed stages</h2>", "<ul>"]
        for stage in playbook.closed:
            what = "won" if stage.kind is StageKind.WON else "lost"
            purpose = f": {_e(stage.purpose)}" if stage.purpose else ""
            parts.append(f"<li><strong>{_e(stage.name)}</strong> ({what}){purpose}</li>")
        parts.append("</ul>")
    if playbook.loss_reasons:
        parts += [
            "<h2>Loss reasons</h2>",
            "<p>Closing a deal as lost needs one of these reasons:</p>",
            "<ul>",
        ]
        parts += [
            f"<li><code>{_e(reason.value)}</code>: {_e(LOSS_REASON_MEANINGS[reason])}</li>"
            for reason in playbook.loss_reasons
        ]
        parts.append("</ul>")
        parts.append(
            "<p>They are tallied over time (<code>dealboard report losses</code>) to find "
            "patterns worth fixing.</p>"
        )
    return parts
