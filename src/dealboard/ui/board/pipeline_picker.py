"""`p`: choose which pipeline the board shows."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dealboard.domain.records import PipelineRecord
from dealboard.ui.lists import RecordOptions
from dealboard.ui.text import plain_line


class PipelinePicker(ModalScreen[str | None]):
    """A short list of the board's pipelines; Enter switches, Esc keeps the current one."""

    CSS_PATH = "pipeline_picker.tcss"
    BINDINGS = [Binding("escape,p", "cancel", "Cancel", id="pipelines.cancel")]

    def __init__(self, pipelines: list[PipelineRecord], current: str | None) -> None:
        super().__init__()
        self.pipelines = pipelines
        self.current = current

    def compose(self) -> ComposeResult:
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

    def action_cancel(self) -> None:
        self.dismiss(None)
