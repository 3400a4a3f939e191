"""Saved views on the board: `s` names the filter, `V` lists the views, the palette opens them.

`s` (or ctrl+s while typing after `/`) asks for a name and saves the filter as one
of the user's views; a name already used asks before replacing. `V` lists the
built-in views ("mine", "changed since the last stand-up") and the user's own:
enter shows the board through one (the filter box says which filter), `d` deletes
one of the user's own after asking. Every view is also a command in the palette
("View: big deals"). The rules are `dealboard.domain.saved_views`; the database is
read and written in workers only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dealboard.domain.errors import DealboardError, InvalidInput
from dealboard.domain.saved_views import BUILT_IN, NAME_LENGTH, ViewExists, ViewRecord, valid_name
from dealboard.ui.deal.common import board_of
from dealboard.ui.lists import RecordOptions
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import editable, notify_plain, one_line, plain, plain_line
from dealboard.ui.worker import in_background

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


#: The widest a view's line in the list gets (the dialog's width, less its frame).
LINE_WIDTH = 54


def view_line(view: ViewRecord) -> Text:
    """`big deals  #q4 clinic` (`built in` after the built-in ones), shown literally."""
    line = Text.assemble(plain_line(view.name, "bold"), "  ", plain_line(view.query))
    if view.built_in:
        line.append("  built in", "italic")
    line.truncate(LINE_WIDTH, overflow="ellipsis")  # one line each: the list's height fits
    return line


def load_views(screen: BoardScreen) -> None:
    """Read the user's views into `screen.named_views` (for the palette and the picker)."""
    board = board_of(screen)

    def arrived(views: list[ViewRecord]) -> None:
        screen.named_views = views

    in_background(screen, board.list_views, arrived, group="saved-views")


def apply_view(screen: BoardScreen, view: ViewRecord) -> None:
    """Show the board through `view`'s filter; the filter box says which filter it is."""
    screen.show_filter(view.query)
    notify_plain(screen, f"View: {view.name}", timeout=2)


def save_current(screen: BoardScreen) -> None:
    """Ask for a name and save the board's filter as one of the user's views."""
    query = screen.filter_text
    if not query:
        notify_plain(screen, "Type a filter after / first, then save it as a view", timeout=3)
        return
    board = board_of(screen)
    known = next((v.name for v in screen.named_views if v.query == query and not v.built_in), "")

    def save(name: str, replace: bool) -> None:
        in_background(
            screen,
            lambda: board.save_view(name, query, replace=replace),
            saved,
            refused=lambda error: refused(error, name),
        )

    def saved(view: ViewRecord) -> None:
        notify_plain(screen, f"View saved: {view.name} ({view.query})", timeout=3)
        load_views(screen)

    def refused(error: DealboardError, name: str) -> None:
        if not isinstance(error, ViewExists):
            notify_plain(screen, str(error), title="View not saved", severity="warning")
            return
        from dealboard.ui.deal.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                save(name, True)

        question = f"Replace your view {error.name}?"
        detail = Text.assemble("It will show: ", plain_line(query))
        screen.app.push_screen(ConfirmDialog(question, detail, yes="Replace"), answered)

    def named(name: str | None) -> None:
        if name:
            save(name, False)

    screen.app.push_screen(SaveViewPrompt(query, known), named)


def open_views(screen: BoardScreen) -> None:
    """List the views; the one chosen is shown on the board."""

    def chosen(view: ViewRecord | None) -> None:
        load_views(screen)  # a view may have been deleted in the list
        if view is not None:
            apply_view(screen, view)

    screen.app.push_screen(ViewsPicker(list(screen.named_views)), chosen)


class SaveViewPrompt(KeyedModal[str | None]):
    """One line: the view's name. Enter saves, Esc changes nothing."""

    CSS_PATH = "views_picker.tcss"
    BINDINGS = [
        # priority: the field's own enter is hidden from the footer; this one says what it does
        Binding("enter", "keep", "Save", priority=True, id="views.save.keep"),
        Binding("escape", "cancel", "Cancel", id="views.save.cancel"),
    ]

    def __init__(self, query: str, name: str = "") -> None:
        super().__init__()
        self.filter_query = query
        self.initial = name

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="view-dialog"):
            yield Static(Text("Save the filter as a view", style="bold"), id="view-title")
            yield Static(Text.assemble("filter: ", plain_line(self.filter_query)), id="view-query")
            yield Input(
                editable(self.initial),
                placeholder="a name, e.g. big deals",
                max_length=NAME_LENGTH,
                id="view-name",
            )
            keep, cancel = (
                self.binding_key("views.save.keep"),
                self.binding_key("views.save.cancel"),
            )
            yield Static(Text(f"{keep} saves · {cancel} cancels"), id="view-hint")
            problem = Static(id="view-problem")
            problem.display = False
            yield problem

    def on_mount(self) -> None:
        self.query_one("#view-name", Input).focus()

    def action_keep(self) -> None:
        typed = self.query_one("#view-name", Input).value
        try:
            name = valid_name(typed)
        except InvalidInput as error:
            problem = self.query_one("#view-problem", Static)
            problem.update(plain(str(error)))
            problem.display = True
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ViewsPicker(KeyedModal[ViewRecord | None]):
    """The built-in views and the user's own; enter shows one, `d` deletes one of yours."""

    CSS_PATH = "views_picker.tcss"
    BINDINGS = [
        # priority: the list's own enter is hidden from the footer; this one says what it does
        Binding("enter", "open", "Show", priority=True, id="views.open"),
        Binding("d,delete", "delete", "Delete", id="views.delete"),
        Binding("escape,V", "cancel", "Cancel", id="views.cancel"),
    ]

    def __init__(self, views: list[ViewRecord]) -> None:
        super().__init__()
        self.views = views or list(BUILT_IN)

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="views-picker"):
            yield Static(Text("Views", style="bold"), id="views-title")
            yield RecordOptions(id="views-list")
            yield Static(id="views-empty")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()
        in_background(self, board_of(self).list_views, self._arrived, group="saved-views")

    def _arrived(self, views: list[ViewRecord]) -> None:
        self.views = views
        self._fill()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        at = options.highlighted or 0
        options.clear_options()
        options.add_options(Option(view_line(v), id=str(i)) for i, v in enumerate(self.views))
        options.highlighted = min(at, len(self.views) - 1)
        own = sum(not v.built_in for v in self.views)
        hint = "" if own else "No views of your own yet: type a filter with /, then s saves it"
        self.query_one("#views-empty", Static).update(Text(hint, style="italic"))

    @property
    def highlighted(self) -> ViewRecord | None:
        index = self.query_one(OptionList).highlighted
        return self.views[index] if index is not None and index < len(self.views) else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.views[int(event.option.id or 0)])

    def action_open(self) -> None:
        self.query_one(OptionList).action_select()

    def action_delete(self) -> None:
        view = self.highlighted
        if view is None:
            return
        if view.built_in:
            notify_plain(self, f"{view.name} is built in; it stays", timeout=3)
            return
        from dealboard.ui.deal.confirm import ConfirmDialog

        board = board_of(self)

        def deleted(gone: ViewRecord) -> None:
            notify_plain(self, f"View deleted: {gone.name}", timeout=3)
            self.views = [v for v in self.views if v.name != gone.name]
            self._fill()

        def answered(yes: bool | None) -> None:
            if yes:
                in_background(self, lambda: board.delete_view(view.name), deleted)

        question = f"Delete your view {view.name}?"
        self.app.push_screen(ConfirmDialog(question, view_line(view), yes="Delete"), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SavedViewsProvider(Provider):
    """The palette's "View: …" commands, one per view the board screen knows (no read here)."""

    def _views(self) -> list[tuple[str, ViewRecord]]:
        from dealboard.ui.board.screen import BoardScreen

        screen = self.screen
        if not isinstance(screen, BoardScreen):
            return []
        return [(f"View: {one_line(v.name)}", v) for v in screen.named_views]

    def _run(self, view: ViewRecord) -> None:
        from dealboard.ui.board.screen import BoardScreen

        if isinstance(self.screen, BoardScreen):
            apply_view(self.screen, view)

    async def discover(self) -> Hits:
        for title, view in self._views():
            yield DiscoveryHit(
                plain_line(title), lambda v=view: self._run(v), text=title, help="a saved view"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, view in self._views():
            score = matcher.match(title)
            if score > 0:
                help_text = "built-in view" if view.built_in else "your saved view"
                yield Hit(
                    score,
                    Text.assemble(plain_line(title), "  ", plain_line(view.query, "italic")),
                    lambda v=view: self._run(v),
                    text=title,
                    help=help_text,
                )
