"""Dialogs that show their own keys: a footer of the dialog's bindings, buttons that name a key.

Without this a dialog drew over the board but the board's footer stayed in
view below it, offering keys (`n New`, `x Lost`) that do nothing while the
dialog is up. A Textual `Footer` inside a modal screen lists only that
screen's bindings (and its focused widget's), so each dialog carries one.

A button says which key does the same thing ("Save (ctrl+s)"). The key is
read from the binding by its id, through the user's keymap, so a remapped
key is named correctly and the default is never hard-coded in a label.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Footer

from dealboard.ui.keymap import effective_keymap, keys_of
from dealboard.ui.text import plain_line

R = TypeVar("R")

#: Key names as a button says them; anything else as Textual's footer shows it.
_SPOKEN = {"escape": "esc", "enter": "enter", "space": "space", "tab": "tab"}


def key_name(app: App[Any], key: str) -> str:
    """A key as a label names it: `ctrl+s`, `esc`, `enter`, `y`, `?`."""
    if key.startswith("ctrl+") or key in _SPOKEN:
        return _SPOKEN.get(key, key)
    return app.get_key_display(Binding(key, ""))


class KeyedModal(ModalScreen[R]):
    """A modal screen with its own footer; subclasses write `compose_dialog`, not `compose`."""

    def compose(self) -> ComposeResult:
        yield from self.compose_dialog()
        yield Footer(show_command_palette=False)

    def compose_dialog(self) -> ComposeResult:
        """The dialog itself; the footer is added after it."""
        raise NotImplementedError

    def binding_key(self, binding_id: str) -> str:
        """The first key that runs the binding `binding_id` now (remapped or default)."""
        for owner in type(self).__mro__:
            for binding in owner.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id == binding_id:
                    return key_name(self.app, keys_of(binding, effective_keymap(self.app))[0])
        raise LookupError(f"{type(self).__name__} has no binding {binding_id!r}")

    def key_label(self, label: str, binding_id: str) -> Text:
        """`label (key)`: what a button does and the key that does it too."""
        return plain_line(f"{label} ({self.binding_key(binding_id)})")

    def key_button(self, label: str, binding_id: str, **options: Any) -> Button:
        """A button whose label names the key of `binding_id`."""
        return Button(self.key_label(label, binding_id), **options)
