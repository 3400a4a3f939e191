"""The playbook as Markdown: readable as plain text, fine in a wiki, a chat or an email.

Text from the pipeline file is escaped (`escape` from `deal_markdown`), so a
criterion like `<b>` or `[x](y)` shows as typed. Template bodies keep their
lines and their `{placeholders}` as written, each line quoted with `>`.
"""

from __future__ import annotations

from dealboard.domain.deal_markdown import escape
from dealboard.domain.playbook import (
    BUYER_INTRODUCTION,
    LOSS_REASON_MEANINGS,
    Playbook,
    PlaybookStage,
    PlaybookTemplate,
    cadence_text,
    sla_lines,
)
from dealboard.vocabulary import StageKind, TemplateKind

_KIND = {TemplateKind.SCRIPT: "call script", TemplateKind.EMAIL: "email"}


def playbook_markdown(playbook: Playbook) -> str:
    """The whole page, ending with a newline."""
    lines = _buyer_page(playbook) if playbook.for_buyer else _team_page(playbook)
    return "\n".join(lines).rstrip("\n") + "\n"


def _buyer_page(playbook: Playbook) -> list[str]:
    lines = [f"# How we work together: {escape(playbook.title)}", "", BUYER_INTRODUCTION, ""]
    for stage in playbook.stages:
        lines += [f"## {stage.number}. {escape(stage.name)}", ""]
        if stage.purpose:
            lines += [escape(stage.purpose), ""]
        if stage.criteria:
            lines += ["Before the next step:", ""]
            lines += [f"- {escape(c.text)}" for c in stage.criteria]
            lines.append("")
    return lines


def _team_page(playbook: Playbook) -> list[str]:
    count = len(playbook.stages)
    lines = [f"# Playbook: {escape(playbook.title)}", ""]
    if playbook.description:
        lines += [escape(playbook.description), ""]
    lines += [
        f"Pipeline `{playbook.name}`: {count} open stage{'s' if count != 1 else ''}, "
        f"generated {playbook.generated_on.isoformat()} by dealboard.",
        "",
        "## How deals move",
        "",
        *(f"- {rule}" for rule in playbook.rules),
        "- A criterion marked *BANT* is ticked by answering that qualification question "
        "yes (Budget, Authority, Need, Timing).",
        "",
    ]
    slas = sla_lines(playbook)
    if slas:
        lines += ["## Service levels", "", *(f"- {line}" for line in slas), ""]
    lines += _overview(playbook)
    for stage in playbook.stages:
        lines += _stage(stage)
    lines += _closed(playbook)
    return lines


def _overview(playbook: Playbook) -> list[str]:
    lines = [
        "## The stages at a glance",
        "",
        "| # | Stage | Win probability | Quiet after | Cadence | Exit criteria |",
        "| ---: | --- | ---: | --- | --- | ---: |",
    ]
    for stage in playbook.stages:
        quiet = f"{stage.rot_days} days" if stage.rot_days is not None else "-"
        cadence = cadence_text(stage.cadence) if stage.cadence else "-"
        name = escape(stage.name).replace("|", "\\|")
        lines.append(
            f"| {stage.number} | {name} | {stage.probability}% | {quiet} | {cadence} "
            f"| {len(stage.criteria)} |"
        )
    return [*lines, ""]


def _stage(stage: PlaybookStage) -> list[str]:
    lines = [f"## {stage.number}. {escape(stage.name)}", ""]
    lines += [escape(stage.purpose) if stage.purpose else "*No purpose written yet.*", ""]
    facts = [f"- **Win probability:** {stage.probability}%"]
    if stage.rot_days is not None:
        facts.append(f"- **Gone quiet after:** {stage.rot_days} days without activity")
    if stage.cadence is not None:
        inherited = " (the pipeline's follow-up rule)" if stage.cadence_inherited else ""
        facts.append(f"- **Cadence:** {cadence_text(stage.cadence)}{inherited}")
    lines += [*facts, ""]
    if stage.criteria:
        lines += ["**Exit criteria**: all ticked before the deal moves on.", ""]
        for criterion in stage.criteria:
            tie = f" *(BANT: {criterion.bant.value})*" if criterion.bant else ""
            lines.append(f"- [ ] {escape(criterion.text)}{tie}")
        lines.append("")
    else:
        lines += ["No exit criteria: a deal may move on at any time.", ""]
    if stage.templates:
        lines += ["**Templates**", ""]
        for template in stage.templates:
            lines += _template(template)
    return lines


def _template(template: PlaybookTemplate) -> list[str]:
    lines = [f"### {escape(template.name)} ({_KIND[template.kind]})", ""]
    if template.subject:
        lines += [f"Subject: {escape(template.subject)}", ""]
    lines += [f"> {escape(line)}".rstrip() for line in template.body.split("\n")]
    return [*lines, ""]


def _closed(playbook: Playbook) -> list[str]:
    lines: list[str] = []
    if playbook.closed:
        lines += ["## Closed stages", ""]
        for stage in playbook.closed:
            what = "won" if stage.kind is StageKind.WON else "lost"
            purpose = f": {escape(stage.purpose)}" if stage.purpose else ""
            lines.append(f"- **{escape(stage.name)}** ({what}){purpose}")
        lines.append("")
    if playbook.loss_reasons:
        lines += ["## Loss reasons", "", "Closing a deal as lost needs one of these reasons:", ""]
        lines += [
            f"- `{reason.value}`: {LOSS_REASON_MEANINGS[reason]}"
            for reason in playbook.loss_reasons
        ]
        lines += [
            "",
            "They are tallied over time (`dealboard report losses`) to find patterns worth fixing.",
            "",
        ]
    return lines
