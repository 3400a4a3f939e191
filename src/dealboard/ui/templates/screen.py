"""`t`: the call scripts and emails of a deal's stage, filled in, ready to copy.

The list of the stage's templates sits beside a preview of the chosen one as
it will be copied. Placeholders the deal has no value for stay visible and are
highlighted, with a line naming them, so a blank never goes out unnoticed.
Everything shown is plain text: a template or a deal title cannot style the
screen or reach the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dealboard.domain.errors import DealboardError, NotFound
from dealboard.domain.templates import PLACEHOLDERS, RenderedTemplate, StageTemplates
from dealboard.domain.views import Live
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.lists import RecordOptions
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.modal import KeyedModal
from dealboard.ui.templates import actions
from dealboard.ui.text import notify_plain, one_line, plain, plain_line
from dealboard.vocabulary import TemplateKind

_KIND_LABELS = {TemplateKind.SCRIPT: "call script", TemplateKind.EMAIL: "email"}


def no_templates_help(stage: str) -> Text:
    """What the preview says when the stage has no templates: how to add some."""
    example = (
        "[[stages.templates]]\n"
        'name = "First call"\n'
        'kind = "script"            # or "email", with subject = "…"\n'
        'body = "Hi {contact_first}, this is {me} …"\n'
        '# or: file = "first-call.md" beside the pipeline file\n'
    )
    text = plain_line(f"No templates for stage {stage}.", "bold")
    text.append("\n\nAdd call scripts and emails to the pipeline file, under the stage:\n\n")
    text.append(example)
    text.append(
        "\nThen: dealboard pipeline export > pipeline.toml, edit it, "
        "dealboard pipeline import pipeline.toml\n\nPlaceholders: "
    )
    text.append(" ".join(f"{{{name}}}" for name in PLACEHOLDERS))
    return text


class TemplatesScreen(KeyedModal[None]):
    """The deal's current-stage templates; `y` or enter copies the one shown."""

    CSS_PATH = "templates.tcss"
    COMPONENT_CLASSES = {"templates--missing", "templates--unknown", "templates--subject"}
    BINDINGS = [
        Binding("escape,q,t", "close", "Close", id="templates.close"),
        Binding("down,j", "choose(1)", "Next", key_display="↓/j", id="templates.next"),
        Binding("up,k", "choose(-1)", "Previous", key_display="↑/k", id="templates.previous"),
        Binding("y", "copy", "Copy", id="templates.copy"),
        Binding("Y", "copy_summary", "Copy deal summary", id="templates.summary"),
        Binding(
            "pagedown,space",
            "scroll_preview(1)",
            "Scroll",
            key_display="PgDn",
            priority=True,
            id="templates.scroll-down",
        ),
        Binding(
            "pageup",
            "scroll_preview(-1)",
            "Scroll up",
            show=False,
            priority=True,
            id="templates.scroll-up",
        ),
    ]

    def __init__(self, deal_id: int) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.found: StageTemplates | None = None
        self._shown = ""
        self.loader: LiveLoader[StageTemplates] = LiveLoader(
            self, self._read, self._arrived, what="Templates", refused=self._gone
        )

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="templates"):
            yield Static(
                plain_line(f"Templates for deal #{self.deal_id}: loading…"), id="tpl-title"
            )
            with Horizontal(id="tpl-body"):
                yield RecordOptions(id="tpl-list")
                with VerticalScroll(id="tpl-preview"):
                    yield Static(id="tpl-text")
            yield Static(id="tpl-status")

    def on_mount(self) -> None:
        self.query_one("#tpl-list", OptionList).focus()
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    # -- loading ------------------------------------------------------------

    def _read(self, previous: Live[StageTemplates] | None) -> Callable[[], Live[StageTemplates]]:
        """The stage templates, filled in with the deal as it is now (again when it changes)."""
        board, deal_id = board_of(self), self.deal_id
        return lambda: board.views.templates(deal_id, previous)

    def _gone(self, error: DealboardError) -> None:
        notify_plain(self, str(error), title="No templates shown", severity="warning")
        if isinstance(error, NotFound) and self.is_attached:
            self.dismiss(None)

    def _arrived(self, live: Live[StageTemplates]) -> None:
        self.show(live.content)

    def show(self, found: StageTemplates) -> None:
        """Fill the list and the preview; the chosen template stays chosen by name."""
        previous = self.current
        self.found = found
        deal = found.deal
        title = plain_line(f"{deal.stage} templates", "bold")
        title.append(" for ")
        title.append_text(plain_line(deal.title))
        if deal.account:
            title.append(" · ")
            title.append_text(plain_line(deal.account))
        title.no_wrap = True
        title.overflow = "ellipsis"
        self.query_one("#tpl-title", Static).update(title)
        options = self.query_one("#tpl-list", OptionList)
        options.clear_options()
        options.add_options(
            Option(self._label(template), id=str(index))
            for index, template in enumerate(found.templates)
        )
        options.display = bool(found.templates)
        if found.templates:
            names = [t.name for t in found.templates]
            options.highlighted = (
                names.index(previous.name) if previous and previous.name in names else 0
            )
        self._preview()

    def _label(self, template: RenderedTemplate) -> Text:
        label = plain_line(template.name)
        label.append("\n")
        label.append(_KIND_LABELS[template.kind], style="italic")
        return label

    # -- the chosen template -----------------------------------------------

    @property
    def current(self) -> RenderedTemplate | None:
        """The template shown in the preview."""
        if self.found is None or not self.found.templates:
            return None
        index = self.query_one("#tpl-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.found.templates):
            return None
        return self.found.templates[index]

    @on(OptionList.OptionHighlighted)
    def _chosen(self) -> None:
        self._preview()

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.action_copy()

    def _preview(self) -> None:
        text_widget = self.query_one("#tpl-text", Static)
        status = self.query_one("#tpl-status", Static)
        template = self.current
        if self.found is None:
            return
        if template is None:
            text_widget.update(no_templates_help(self.found.deal.stage))
            status.update(Text(f"{self.binding_key('templates.close')} closes", end=""))
            return
        text_widget.update(self._rendered(template))
        if template.name != self._shown:  # a reload after others' changes keeps the place
            self._shown = template.name
            self.query_one("#tpl-preview", VerticalScroll).scroll_home(animate=False)
        status.update(self._status(template))

    def _rendered(self, template: RenderedTemplate) -> Text:
        """The template as it will be copied, its unfilled placeholders highlighted."""
        text = Text(end="")
        if template.kind is TemplateKind.EMAIL and template.subject:
            subject = plain(f"Subject: {template.subject}")
            subject.stylize(self._style("subject"))
            text.append_text(subject)
            text.append("\n\n")
        text.append_text(plain(template.body))
        tokens = [(f"{{{name}}}", "missing") for name in template.missing]
        tokens += [(token, "unknown") for token in template.unknown]
        for token, kind in tokens:
            text.highlight_regex(re.compile(re.escape(token), re.IGNORECASE), self._style(kind))
        return text

    def _status(self, template: RenderedTemplate) -> Text:
        if not template.missing and not template.unknown:
            copy = self.binding_key("templates.copy")
            return Text(f"Every field filled in from the deal · {copy} copies", end="")
        status = Text(end="")
        if template.missing:
            status.append(template.missing_text(), self._style("missing"))
            status.append(" (left as {…}: fill in after pasting, or on the deal)")
        if template.unknown:
            if template.missing:
                status.append("  ")
            unknown = ", ".join(template.unknown)
            status.append(f"Not a placeholder: {one_line(unknown)}", self._style("unknown"))
        return status

    def _style(self, name: str) -> Style:
        return text_style(self, f"templates--{name}")

    # -- keys ---------------------------------------------------------------

    def action_choose(self, step: int) -> None:
        options = self.query_one("#tpl-list", OptionList)
        if options.option_count:
            now = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(now + step, options.option_count - 1))

    def action_scroll_preview(self, step: int) -> None:
        preview = self.query_one("#tpl-preview", VerticalScroll)
        if step > 0:
            preview.scroll_page_down(animate=False)
        else:
            preview.scroll_page_up(animate=False)

    def action_copy(self) -> None:
        template = self.current
        if template is None:
            if self.found is not None:
                notify_plain(self, f"No templates for stage {self.found.deal.stage}")
            return
        actions.copy_template(self, template)

    def action_copy_summary(self) -> None:
        actions.copy_summary(self, self.deal_id)

    def action_close(self) -> None:
        self.dismiss(None)
