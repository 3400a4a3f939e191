"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from dealboard.ui.board.cards import OBJECTION_MARK

#: What the symbols on a card and the deal screen mean (README "The board" says more).
MARKS = (
    f"☑2/4  checklist of the stage ticked\n"
    f"{OBJECTION_MARK}2   open objections\n"
    f"⚠     a service level missed (no touch, follow-up late)\n"
    f"→     the next step and when it is due"
)


class HelpScreen(ModalScreen[None]):
    """A scrollable table of the keys of the screen it was opened over."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, over: Screen) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(self._key_lines(), id="help-keys")
            yield Static(Text("Marks on a card", style="bold"), id="help-marks-title")
            yield Static(Text(MARKS), id="help-marks")
            yield Static(Text("Esc closes this list", style="italic"))

    def _key_lines(self) -> Text:
        """One line per action: its keys, then what it does."""
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        screen_keys = {
            key for b in self.over.BINDINGS if isinstance(b, Binding) for key in b.key.split(",")
        }
        app_bindings = [
            b
            for b in self.app.BINDINGS
            if isinstance(b, Binding) and not screen_keys & set(b.key.split(","))
        ]  # a key the screen uses itself (q = Back on a deal) is not the app's there
        for binding in [*self.over.BINDINGS, *app_bindings]:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            keys = " ".join(
                self.app.get_key_display(Binding(key, "")) for key in binding.key.split(",")
            )
            rows.append((keys, binding.description))
        rows.append(("ctrl+p", "Command palette: every action by name"))
        width = max(len(keys) for keys, _ in rows)
        lines = Text()
        for keys, description in rows:
            lines.append(keys.ljust(width + 2), style="bold")
            lines.append(description + "\n")
        lines.rstrip()
        return lines

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
