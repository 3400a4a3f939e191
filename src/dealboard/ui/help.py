"""`?`: every key of the screen underneath, with what it does and its id for a keymap."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from dealboard.ui.board.cards import OBJECTION_MARK
from dealboard.ui.keymap import effective_keymap, keys_of
from dealboard.ui.modal import KeyedModal

#: The longest line that fits an 80-column terminal inside the help box.
_NARROW_LINE = 72

#: What the symbols on a card and the deal screen mean (README "The board" says more).
MARKS = (
    f"☑2/4  checklist of the stage ticked\n"
    f"{OBJECTION_MARK}2   open objections\n"
    f"⚠     a service level missed (no touch, follow-up late)\n"
    f"→     the next step and when it is due"
)


class HelpScreen(KeyedModal[None]):
    """A scrollable table of the keys of the screen it was opened over."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, over: Screen) -> None:
        super().__init__()
        self.over = over

    def compose_dialog(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(self._key_lines(), id="help-keys")
            yield Static(Text("Marks on a card", style="bold"), id="help-marks-title")
            yield Static(Text(MARKS), id="help-marks")
            close = self.binding_key("help.close")
            yield Static(Text(f"{close} closes this list", style="italic"))

    def _key_lines(self) -> Text:
        """One line per binding: its keys now (remapped ones too), what it does, its id.

        The id is what a keymap file names, so this list is where people find it.
        """
        keymap = effective_keymap(self.app)
        screen_bindings = [b for b in self.over.BINDINGS if isinstance(b, Binding)]
        screen_keys = {key for b in screen_bindings for key in keys_of(b, keymap)}
        app_bindings = [
            b
            for b in self.app.BINDINGS
            if isinstance(b, Binding) and not screen_keys & set(keys_of(b, keymap))
        ]  # a key the screen uses itself (q = Back on a deal) is not the app's there
        rows: list[tuple[str, str, str]] = []
        for binding in [*screen_bindings, *app_bindings]:
            if not binding.description:
                continue
            keys = " ".join(
                self.app.get_key_display(Binding(key, "")) for key in keys_of(binding, keymap)
            )
            rows.append((keys, binding.description, binding.id or ""))
        rows.append(("ctrl+p", "Command palette: every action by name", ""))
        width = max(len(keys) for keys, _, _ in rows)
        lines = Text()
        for keys, description, binding_id in rows:
            lines.append(keys.ljust(width + 2), style="bold")
            lines.append(description)
            if binding_id:
                fits = width + 2 + len(description) + 2 + len(binding_id) <= _NARROW_LINE
                gap = "  " if fits else "\n" + " " * (width + 2)  # under its description
                lines.append(f"{gap}{binding_id}", style="dim")
            lines.append("\n")
        lines.rstrip()
        return lines

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
