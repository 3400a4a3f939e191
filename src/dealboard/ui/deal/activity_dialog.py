"""Logging an activity: a call, email, meeting, social touch or note, done or scheduled."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

from dealboard.domain.dates import parse_date
from dealboard.ui.deal.editor import DomainCheck, EditorDialog, field_row
from dealboard.vocabulary import ActivityKind


@dataclass(frozen=True)
class ActivityValues:
    """What the dialog collected, in the domain's words (`due` None: no date)."""

    kind: str
    subject: str
    due: str | None
    done: bool
    outcome: str
    next_step: str = ""
    next_step_due: str | None = None
    reached: bool = False


class ActivityDialog(EditorDialog[object]):
    """Dismisses with the save's result, or None if cancelled; `save` runs in a worker."""

    def __init__(self, today: date, save: Callable[[ActivityValues], object]) -> None:
        super().__init__()
        self.today = today
        self.save = save
        self.initial = ActivityValues(ActivityKind.CALL.value, "", None, True, "")

    def heading(self) -> Text:
        return Text("Log an activity", style="bold")

    def compose_fields(self) -> Iterable[Widget]:
        today = self.today
        yield field_row(
            "Kind",
            "kind",
            Select(
                [(k.value, k.value) for k in ActivityKind],
                allow_blank=False,
                value=self.initial.kind,
                compact=True,
            ),
        )
        yield field_row("Subject", "subject", Input(placeholder="what it was about", compact=True))
        yield field_row(
            "Due",
            "due",
            Input(
                placeholder="today, tomorrow, +3d, 2026-12-01 (empty: none)",
                validators=[DomainCheck(lambda value: parse_date(value, today, "due"))],
                valid_empty=True,
                compact=True,
            ),
        )
        yield field_row("Done", "done", Checkbox("already happened", True, compact=True))
        yield field_row(
            "Reached", "reached", Checkbox("they answered (ends the run of attempts)", compact=True)
        )
        yield field_row("Outcome", "outcome", Input(placeholder="how it went", compact=True))
        yield field_row(
            "Next step",
            "next_step",
            Input(placeholder="what happens next (optional)", compact=True),
        )
        yield field_row(
            "Next due",
            "next_step_due",
            Input(
                placeholder="when the next step is due: +2d, friday… (optional)",
                validators=[DomainCheck(lambda value: parse_date(value, today, "next step due"))],
                valid_empty=True,
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#field-subject").focus()

    def values(self) -> ActivityValues:
        due = self.query_one("#field-due", Input).value.strip()
        next_due = self.query_one("#field-next_step_due", Input).value.strip()
        return ActivityValues(
            str(self.query_one("#field-kind", Select).value),
            self.query_one("#field-subject", Input).value,
            due or None,
            self.query_one("#field-done", Checkbox).value,
            self.query_one("#field-outcome", Input).value,
            self.query_one("#field-next_step", Input).value,
            next_due or None,
            self.query_one("#field-reached", Checkbox).value,
        )

    def is_dirty(self) -> bool:
        return self.values() != self.initial

    def save_call(self) -> Callable[[], object]:
        values, save = self.values(), self.save
        return lambda: save(values)
