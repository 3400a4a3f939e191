"""`p`: choose which pipeline the board shows."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dealboard.domain.records import PipelineRecord
from dealboard.ui.lists import RecordOptions
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import plain_line


class PipelinePicker(KeyedModal[str | None]):
    """A short list of the board's pipelines; Enter switches, Esc keeps the current one."""

    CSS_PATH = "pipeline_picker.tcss"
    BINDINGS = [
        # priority: the list's own enter is hidden from the footer; this one says what it does
        Binding("enter", "switch", "Switch", priority=True, id="pipelines.switch"),
        Binding("escape,p", "cancel", "Cancel", id="pipelines.cancel"),
    ]

    def __init__(self, pipelines: list[PipelineRecord], current: str | None) -> None:
        super().__init__()
        self.pipelines = pipelines
        self.current = current

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static("Switch pipeline", id="picker-title")
            options = [
                Option(plain_line(f"{p.title} ({p.name}) · {len(p.open_stages)} stages"), id=p.name)
                for p in self.pipelines
            ]
            yield RecordOptions(*options)

    def on_mount(self) -> None:
        names = [p.name for p in self.pipelines]
        option_list = self.query_one(OptionList)
        if self.current in names:
            option_list.highlighted = names.index(self.current)
        option_list.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_switch(self) -> None:
        self.query_one(OptionList).action_select()

    def action_cancel(self) -> None:
        self.dismiss(None)
