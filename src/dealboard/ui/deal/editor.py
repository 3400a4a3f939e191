"""What every deal editing dialog shares: inline checks, background saving, no lost typing.

A value is checked with the domain's own parser as the user types or leaves
the field, so the form accepts exactly what the CLI accepts. Saving runs in a
worker; if the domain refuses, the dialog stays open with everything typed
and says why under the field concerned. Esc asks before throwing typing away.

When a save finds problems, the first one is put where the eye is: its field
is focused and scrolled into view, and one line beside the buttons names it
(and how many more there are). The heading and that foot are docked, so at
80x24 only the fields scroll and the buttons are never pushed off screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker

from dealboard.domain.errors import DealboardError, InvalidInput
from dealboard.ui.deal.confirm import ConfirmDialog
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import plain, plain_line
from dealboard.ui.worker import in_background

R = TypeVar("R")


class DomainCheck(Validator):
    """Runs a domain parser on the typed text; its refusal is the message shown."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except InvalidInput as error:
            return self.failure(str(error))
        return self.success()


def field_row(label: str, name: str, widget: Widget) -> Horizontal:
    """A labelled field with a one-line problem under it (hidden while all is well).

    `widget` gets the id `field-<name>`; the problem line is `problem-<name>`.
    """
    widget.id = f"field-{name}"
    problem = Static(id=f"problem-{name}", classes="field-problem")
    problem.display = False
    return Horizontal(
        Label(label, classes="field-label"),
        Vertical(widget, problem, classes="field-box"),
        classes="field-row",
    )


class EditorDialog(KeyedModal[R | None]):
    """Base of the editing dialogs; dismisses with the save's result, or None if cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="deal.editor.save"),
        Binding("escape", "cancel", "Cancel", id="deal.editor.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._saving: Worker[None] | None = None
        #: The field the line beside the buttons is about; fixing it clears the line.
        self._pointed: str | None = None

    # -- what a dialog provides ---------------------------------------------

    def heading(self) -> Text:
        """The dialog's first line."""
        raise NotImplementedError

    def compose_fields(self) -> Iterable[Widget]:
        """The rows of the dialog (see `field_row`)."""
        raise NotImplementedError

    def is_dirty(self) -> bool:
        """True when something typed would be lost by closing now."""
        raise NotImplementedError

    def save_call(self) -> Callable[[], R] | None:
        """The domain call to run in the background, or None if nothing can be saved yet."""
        raise NotImplementedError

    def field_for(self, error: DealboardError) -> str | None:
        """The field a refusal is about (its `field-<name>` name), if it is shown here.

        The domain names fields as users say them (`close date`, `objection text`);
        the full name is tried first, then its last word.
        """
        named = str(getattr(error, "field", "") or "")
        for name in (named.replace(" ", "_"), named.split(" ")[-1]):
            if name and self.query(f"#problem-{name}"):
                return name
        return None

    # -- shared behaviour -------------------------------------------------

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="editor-dialog"):
            yield Static(self.heading(), classes="dialog-heading")
            with VerticalScroll(classes="editor-body"):
                yield from self.compose_fields()
            with Vertical(classes="editor-foot"):
                with Horizontal(id="editor-problem-line") as problem:
                    yield Static(id="editor-problem")
                    yield Static(id="editor-problem-count")
                problem.display = False
                with Horizontal(classes="dialog-buttons"):
                    yield self.key_button(
                        "Save", "deal.editor.save", variant="primary", id="editor-save"
                    )
                    yield self.key_button("Cancel", "deal.editor.cancel", id="editor-cancel")

    @property
    def saving(self) -> bool:
        """A save is on its way; a second one must not start (no doubled deals)."""
        return self._saving is not None and self._saving.is_running

    @on(Button.Pressed, "#editor-save")
    def action_save(self) -> None:
        if self.saving or not self.inputs_valid():
            return
        call = self.save_call()
        if call is None:
            return
        self.show_problem(None)
        self._saving = in_background(self, call, done=self.dismiss, refused=self.refused)

    @on(Button.Pressed, "#editor-cancel")
    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.is_dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard changes?", yes="Discard"), answered)

    def refused(self, error: DealboardError) -> None:
        """The domain said no: nothing was saved; say why, where it applies."""
        name = self.field_for(error)
        if name is None:
            self.show_problem(str(error))
            return
        self.show_field_problem(name, str(error))
        self.point_at(self.query_one(f"#field-{name}"), str(error), count=1)

    def show_problem(self, message: str | None) -> None:
        """A problem no field shows (someone else's change): said in full beside the buttons."""
        self._pointed = None
        self._show_summary(plain(message or ""), "", one_line=False)

    def show_field_problem(self, name: str, message: str | None) -> None:
        problem = self.query_one(f"#problem-{name}", Static)
        problem.update(plain_line(message or ""))
        problem.display = bool(message)
        if not message and name == self._pointed:
            self.show_problem(None)

    def point_at(self, field: Widget, message: str, *, count: int) -> None:
        """Put the first of `count` problems where the eye is.

        Its field takes the focus and is scrolled into view with the problem
        under it; the line beside the buttons names it, cut to one line, and
        says how many there are, so nothing needs scrolling to be read.
        """
        count_text = f"(1 of {count} problems)" if count > 1 else ""
        self._show_summary(plain_line(message), count_text, one_line=True)
        self._pointed = (field.id or "").removeprefix("field-") or None
        field.focus()
        row = next((a for a in field.ancestors if a.has_class("field-row")), field)
        self.call_after_refresh(row.scroll_visible, animate=False, immediate=True)

    def _show_summary(self, message: Text, count: str, *, one_line: bool) -> None:
        text = self.query_one("#editor-problem", Static)
        text.update(message)
        text.set_class(one_line, "-one-line")
        self.query_one("#editor-problem-count", Static).update(Text(count, end=""))
        self.query_one("#editor-problem-line").display = bool(message.plain)

    def inputs_valid(self) -> bool:
        """Check every field now; show each problem, and the first where the eye is."""
        problems: list[tuple[Input, str]] = []
        for field in self.query(Input):
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                self._show_result(field, result)
                problems.append((field, result.failure_descriptions[0]))
        if problems:
            field, message = problems[0]
            self.point_at(field, message, count=len(problems))
        return not problems

    def _show_result(self, field: Input, result: ValidationResult | None) -> None:
        if field.id is None or not field.id.startswith("field-"):
            return
        name = field.id.removeprefix("field-")
        if result is None or result.is_valid:
            self.show_field_problem(name, None)
        else:
            self.show_field_problem(name, result.failure_descriptions[0])

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """While typing, clear a fixed problem at once, but only re-word a shown one."""
        result = event.validation_result
        name = (event.input.id or "").removeprefix("field-")
        shown = bool(self.query(f"#problem-{name}")) and self.query_one(f"#problem-{name}").display
        if result is None or result.is_valid or shown:
            self._show_result(event.input, result)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._show_result(event.input, event.validation_result)
