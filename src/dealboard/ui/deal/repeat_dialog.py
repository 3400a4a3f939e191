"""`N`: the customer's next deal (upsell, cross-sell, renewal, referral) from a won deal.

One small dialog: the kind is picked from a list (arrows, then enter), the
title comes filled in and can be changed, and a referral asks for the new
customer's name. Enter in the last field creates the deal in a worker; the
domain decides what is carried over (`dealboard.domain.repeat_deal`). Both the
board and the deal screen start it through `start_repeat`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.text import Text
from textual import on
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord
from dealboard.domain.repeat_deal import LABELS, RepeatRequest, default_title, refusal
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.editor import EditorDialog, field_row
from dealboard.ui.lists import RecordOptions
from dealboard.ui.text import editable, notify_plain, plain_line
from dealboard.ui.worker import in_background
from dealboard.vocabulary import DealOrigin

#: What each kind means, beside its name in the list.
_MEANING = {
    DealOrigin.UPSELL: "more of what they bought",
    DealOrigin.CROSS_SELL: "another product, same customer",
    DealOrigin.RENEWAL: "the contract again (its value carried)",
    DealOrigin.REFERRAL: "a new customer they named",
}
_KINDS = tuple(DealOrigin)


class RepeatDialog(EditorDialog[DealSummary]):
    """Dismisses with the new deal's card, or None if cancelled; `save` runs in a worker."""

    CSS_PATH = ["dialogs.tcss", "repeat_dialog.tcss"]

    def __init__(self, origin: DealSummary, save: Callable[[RepeatRequest], DealSummary]) -> None:
        super().__init__()
        self.origin = origin
        self.save = save
        self.kind = DealOrigin.UPSELL
        #: The title the dialog filled in; replaced as the kind changes until the user types one.
        self._filled = default_title(self.kind, origin.title)

    def heading(self) -> Text:
        return Text.assemble(
            ("New deal for the same customer", "bold"),
            "  from ",
            plain_line(f"#{self.origin.id} {self.origin.title}"),
        )

    def compose_fields(self) -> Iterable[Widget]:
        kinds = RecordOptions(
            *[Option(plain_line(f"{LABELS[k]:<11} {_MEANING[k]}"), id=k.value) for k in _KINDS]
        )
        yield field_row("Kind", "kind", kinds)
        yield field_row(
            "Title", "title", Input(editable(self._filled), placeholder="title", compact=True)
        )
        account = field_row(
            "New customer",
            "account",
            Input(placeholder="the referred company's name (required)", compact=True),
        )
        account.id = "account-row"
        account.display = False
        yield account

    def on_mount(self) -> None:
        kinds = self.query_one("#field-kind", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    # -- choosing ---------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#field-kind")
    def _kind_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.kind = DealOrigin(event.option.id)
        referral = self.kind is DealOrigin.REFERRAL
        self.query_one("#account-row").display = referral
        self._refill_title()

    @on(OptionList.OptionSelected, "#field-kind")
    def _kind_chosen(self) -> None:
        """Enter on a kind goes on to the field that still needs the user."""
        target = "#field-account" if self.kind is DealOrigin.REFERRAL else "#field-title"
        self.query_one(target, Input).focus()

    @on(Input.Changed, "#field-account")
    def _account_typed(self) -> None:
        self._refill_title()

    def _refill_title(self) -> None:
        """Follow the kind (and a referral's customer) while the title is still the filled one."""
        title = self.query_one("#field-title", Input)
        if title.value != editable(self._filled):
            return
        self._filled = default_title(self.kind, self.origin.title, self._account())
        title.value = editable(self._filled)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        """Enter in the title (or a referral's customer) creates the deal."""
        event.stop()
        referral = self.kind is DealOrigin.REFERRAL
        if referral and event.input.id == "field-title" and not self._account():
            self.query_one("#field-account", Input).focus()
            return
        self.action_save()

    # -- saving -----------------------------------------------------------------

    def _account(self) -> str:
        return self.query_one("#field-account", Input).value.strip()

    def is_dirty(self) -> bool:
        typed = self.query_one("#field-title", Input).value != editable(self._filled)
        return typed or bool(self._account())

    def save_call(self) -> Callable[[], DealSummary]:
        title = self.query_one("#field-title", Input).value.strip()
        referral = self.kind is DealOrigin.REFERRAL
        request = RepeatRequest(
            kind=self.kind.value,
            title=title or None,
            account=self._account() if referral else None,
        )
        save = self.save
        return lambda: save(request)


def start_repeat(
    node: DOMNode,
    deal: DealSummary,
    stages: Sequence[StageRecord],
    started: Callable[[DealSummary], None],
) -> None:
    """Open the dialog for `deal` (in a pipeline of `stages`), or say in one line why not.

    `started` gets the new deal's card once it exists; the toast is said here.
    """
    stage = next((s for s in stages if s.id == deal.stage_id), None)
    why_not = refusal(stage, stages) if stage is not None else "its stage is not shown here"
    if why_not is not None:
        notify_plain(node.app, f"No new deal from #{deal.id}: {why_not}", severity="warning")
        return
    board = board_of(node)

    def save(request: RepeatRequest) -> DealSummary:
        new_id = board.start_repeat_deal(deal.id, request)
        return board.deals_by_id([new_id])[0]

    def created(result: DealSummary | None) -> None:
        if result is None:
            return
        notify_plain(
            node.app,
            f"Deal #{result.id} started: {result.title} ({result.account}), from #{deal.id}",
            timeout=4,
        )
        started(result)

    node.app.push_screen(RepeatDialog(deal, save), created)


def start_repeat_from_detail(screen: Screen[None], deal: DealSummary) -> None:
    """The deal screen's `N`: read the deal's pipeline, then as on the board; the new deal
    opens on top (esc comes back here) and the board below will land on its card."""
    from dealboard.ui.board.screen import BoardScreen
    from dealboard.ui.deal.screen import DealScreen

    board = board_of(screen)

    def started(new: DealSummary) -> None:
        for below in screen.app.screen_stack:
            if isinstance(below, BoardScreen):
                below.follow_deal(new.id)
        screen.app.push_screen(DealScreen(new.id))

    def read(pipeline: PipelineRecord) -> None:
        start_repeat(screen, deal, pipeline.stages, started)

    in_background(screen, lambda: board.pipeline(deal.pipeline), read)
