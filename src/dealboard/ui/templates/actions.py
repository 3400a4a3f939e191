"""`t`, `y` and `Y` for one deal, shared by the board and the deal screen.

Each reads in the background (the deal's current stage is read fresh, so a
card someone else just moved gets its new stage's templates) and copies
through `dealboard.ui.clipboard`.
"""

from __future__ import annotations

from textual.dom import DOMNode

from dealboard.domain.deal_markdown import deal_markdown
from dealboard.domain.records import DealDetail
from dealboard.domain.templates import RenderedTemplate, StageTemplates
from dealboard.ui.clipboard import copy_text
from dealboard.ui.text import notify_plain
from dealboard.ui.worker import in_background

#: Said when a stage has no templates: where they come from.
HOW_TO_ADD = "add [[stages.templates]] to the pipeline file (dealboard pipeline export / import)"


def open_templates(node: DOMNode, deal_id: int) -> None:
    """`t`: the templates screen for the deal."""
    from dealboard.ui.templates.screen import TemplatesScreen

    node.app.push_screen(TemplatesScreen(deal_id))


def copy_template(node: DOMNode, template: RenderedTemplate) -> None:
    """Copy one rendered template, warning about the fields it could not fill."""
    copy_text(node, template.text, template.name)
    if template.missing:
        notify_plain(
            node.app,
            f"{template.missing_text()} (left as {{placeholders}} to fill in)",
            title=template.name,
            severity="warning",
        )


def copy_first_template(node: DOMNode, deal_id: int) -> None:
    """`y`: the first template of the deal's stage, filled in, to the clipboard."""
    board = node.app.board  # type: ignore[attr-defined]

    def found(result: StageTemplates) -> None:
        if not result.templates:
            notify_plain(
                node.app,
                f"No templates for stage {result.deal.stage}: {HOW_TO_ADD}",
                severity="warning",
            )
            return
        copy_template(node, result.templates[0])

    in_background(node, lambda: board.stage_templates(deal_id), found)


def copy_summary(node: DOMNode, deal_id: int) -> None:
    """`Y`: a Markdown summary of the deal, for chat or email."""
    board = node.app.board  # type: ignore[attr-defined]

    def read() -> tuple[DealDetail, str]:
        detail = board.deal(deal_id)
        return detail, deal_markdown(detail, board.today())

    def ready(result: tuple[DealDetail, str]) -> None:
        detail, text = result
        copy_text(node, text, f"summary of {detail.summary.title}")

    in_background(node, read, ready)
