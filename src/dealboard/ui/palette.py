"""A screen's keys as command-palette entries, so every action can be found by name.

Each screen decides which bindings to list and how to name them; the way a
binding becomes a command is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from dealboard.ui.keymap import effective_keymap, keys_of


def binding_commands(
    screen: Screen,
    *,
    listed: Callable[[Binding], bool] = lambda binding: True,
    title: Callable[[Binding], str] = lambda binding: binding.description,
) -> Iterable[SystemCommand]:
    """One command per listed binding, run as if its first key were pressed.

    The key shown is the one that works now, so a remapped key is shown remapped.
    """
    keymap = effective_keymap(screen.app)
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or not listed(binding):
            continue
        action = binding.action
        yield SystemCommand(
            title(binding),
            f"key: {screen.app.get_key_display(Binding(keys_of(binding, keymap)[0], ''))}",
            lambda action=action: screen.run_action(action),
        )
