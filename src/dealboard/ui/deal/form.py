"""The deal form: a new deal, or the fields of an existing one.

Every field is checked with the domain's own parser as it is typed, so the
form accepts exactly what `dealboard deal add` accepts. An edit sends only
the fields that changed, guarded by the deal's version, so two people editing
one deal never silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select

from dealboard.domain import text
from dealboard.domain.dates import parse_date
from dealboard.domain.deals import DealFields, parse_tag
from dealboard.domain.errors import Conflict, DealboardError
from dealboard.domain.money import format_money, parse_money
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord
from dealboard.ui.deal.common import board_of, day
from dealboard.ui.deal.editor import DomainCheck, EditorDialog, field_row
from dealboard.ui.text import editable, plain_line
from dealboard.vocabulary import ContactType


@dataclass(frozen=True)
class FormField:
    """One field of the form: its `DealFields` name, label and a hint of what to type."""

    name: str
    label: str
    hint: str


FIELDS = (
    FormField("title", "Title", "what the buyer is buying (required)"),
    FormField("value", "Value", "12500, 12.5k, $1.2M, EUR 900"),
    FormField("account", "Account", "the buying company"),
    FormField("contact", "Contact", "the person you deal with"),
    FormField("owner", "Owner", "login or name of the rep who owns it"),
    FormField("contact_type", "Contact type", ""),
    FormField("source", "Source", "where the lead came from"),
    FormField("close_date", "Expected close", "2026-12-31, tomorrow, +14d, fri (empty: none)"),
    FormField("next_step", "Next step", "the next thing to do"),
    FormField("next_step_due", "Next step due", "today, +2d, fri, next mon (empty: none)"),
    FormField("tags", "Tags", "#q4 #expansion"),
)

#: Refusals name fields as users say them; these are the ones named differently here.
_ERROR_FIELDS = {"due": "next_step_due", "tag": "tags"}


def tag_set(typed: str) -> frozenset[str]:
    """The normalised tags in a typed, space-separated list (`#Q4 q4` is one tag)."""
    return frozenset(parse_tag(t) for t in typed.split())


def initial_values(deal: DealSummary | None, actor: str) -> dict[str, str]:
    """What the form starts with, as the user would type it."""
    if deal is None:
        blank = {f.name: "" for f in FIELDS}
        return blank | {"owner": actor, "contact_type": ContactType.SUSPECT.value}
    values = {
        "title": deal.title,
        "value": format_money(deal.value_minor, deal.currency) if deal.value_minor else "",
        "account": deal.account,
        "contact": deal.contact,
        "owner": deal.owner,
        "contact_type": deal.contact_type.value,
        "source": deal.source,
        "close_date": day(deal.expected_close),
        "next_step": deal.next_step,
        "next_step_due": day(deal.next_step_due),
        "tags": " ".join(f"#{t}" for t in deal.tags),
    }
    return {name: editable(value) for name, value in values.items()}


class DealForm(EditorDialog[int]):
    """New deal (`deal` None) or edit; dismisses with the deal's id, or None if cancelled.

    A new deal goes into `stage` of `pipeline`, or the pipeline's first stage.
    """

    CSS_PATH = ["dialogs.tcss", "form.tcss"]

    def __init__(
        self,
        deal: DealSummary | None,
        pipeline: PipelineRecord,
        stage: StageRecord | None = None,
    ) -> None:
        super().__init__()
        self.deal = deal
        self.pipeline = pipeline
        self.stage = stage
        self.initial: dict[str, str] = {}

    def heading(self) -> Text:
        if self.deal is None:
            where = self.stage.name if self.stage else self.pipeline.stages[0].name
            return Text("New deal in ", style="bold") + plain_line(
                f"{self.pipeline.title} › {where}", "bold"
            )
        return Text(f"Edit deal #{self.deal.id}: ", style="bold") + plain_line(self.deal.title)

    def compose_fields(self) -> Iterable[Widget]:
        board = board_of(self)
        self.initial = initial_values(self.deal, board.user_name)
        for field, parse in zip(FIELDS, self._parsers(), strict=True):
            value = self.initial[field.name]
            widget: Widget
            if field.name == "contact_type":
                widget = Select(
                    [(member.value, member.value) for member in ContactType],
                    allow_blank=False,
                    value=value,
                    compact=True,
                )
            else:
                widget = Input(
                    value,
                    placeholder=field.hint,
                    validators=[DomainCheck(parse)] if parse else None,
                    valid_empty=field.name != "title",
                    compact=True,
                )
            yield field_row(field.label, field.name, widget)

    def _parsers(self) -> list[Callable[[str], object] | None]:
        """The domain's check for each field, in `FIELDS` order."""
        today = board_of(self).today()
        currency = self.deal.currency if self.deal else self.pipeline.currency

        def line(name: str) -> Callable[[str], object]:
            return lambda value: text.clean_line(name, value, max_length=200)

        return [
            text.title,
            lambda value: parse_money(value, currency),
            line("account"),
            line("contact"),
            line("owner"),
            None,
            line("source"),
            lambda value: parse_date(value, today, "close date"),
            line("next step"),
            lambda value: parse_date(value, today, "due"),
            tag_set,
        ]

    def on_mount(self) -> None:
        self.query_one("#field-title", Input).focus()

    def values(self) -> dict[str, str]:
        """Every field as typed right now."""
        typed: dict[str, str] = {}
        for field in FIELDS:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                typed[field.name] = str(widget.value)
            else:
                assert isinstance(widget, Input)
                typed[field.name] = widget.value
        return typed

    def is_dirty(self) -> bool:
        return bool(self.initial) and self.values() != self.initial

    def field_for(self, error: DealboardError) -> str | None:
        return _ERROR_FIELDS.get(str(getattr(error, "field", ""))) or super().field_for(error)

    def save_call(self) -> Callable[[], int] | None:
        board = board_of(self)
        typed = self.values()
        if self.deal is None:
            given = {
                name: value
                for name, value in typed.items()
                if name not in ("title", "tags") and value.strip()
            }
            tags = tuple(sorted(tag_set(typed["tags"])))
            fields = DealFields(title=typed["title"], **given, add_tags=tags)
            pipeline, stage = self.pipeline.name, self.stage.name if self.stage else None
            return lambda: board.add_deal(fields, pipeline=pipeline, stage=stage)
        if not self.is_dirty():
            self.dismiss(self.deal.id)
            return None
        changed = {
            name: value
            for name, value in typed.items()
            if name != "tags" and value != self.initial[name]
        }
        if "value" in changed and not changed["value"].strip():
            changed["value"] = "0"
        old, new = tag_set(self.initial["tags"]), tag_set(typed["tags"])
        fields = DealFields(
            **changed, add_tags=tuple(sorted(new - old)), remove_tags=tuple(sorted(old - new))
        )
        deal_id, version = self.deal.id, self.deal.version
        return lambda: board.edit_deal(deal_id, fields, expected_version=version).id

    def refused(self, error: DealboardError) -> None:
        """A stale save: keep every field, and make the next save a deliberate one."""
        if isinstance(error, Conflict) and error.current_version is not None and self.deal:
            self.deal = replace(self.deal, version=error.current_version)
        super().refused(error)
