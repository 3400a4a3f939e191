"""Copying text out of dealboard: the system clipboard, the terminal's, or by hand.

Two ways can reach a clipboard, tried in this order:

1. **pyperclip** (the system clipboard: xclip, xsel or wl-copy on Linux, the
   native one on macOS and Windows). It raises when there is no copy
   mechanism, e.g. on a server without a display.
2. **OSC 52** (`App.copy_to_clipboard`): an escape sequence asking the
   terminal to set its clipboard. It reaches the user's own computer through
   SSH and tmux (with `set -g set-clipboard on`), but nothing can tell whether
   the terminal obeyed, so the user is told the text was *sent*, not copied.

Over SSH (`SSH_CONNECTION`/`SSH_TTY`/`SSH_CLIENT` set) OSC 52 goes first: pyperclip
there would fill the server's clipboard, which nobody sitting at a laptop can paste.
When neither can work (no copy mechanism, and no terminal to send OSC 52 to,
or `DEALBOARD_CLIPBOARD=off`) the text is shown in a read-only box to select
by hand, with a one-line reason.

`DEALBOARD_CLIPBOARD` chooses: `auto` (the default, as above), `system`
(pyperclip only), `terminal` (OSC 52 only), `off` (always show the text).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from dealboard.domain.text import clipboard_safe
from dealboard.ui.modal import KeyedModal
from dealboard.ui.text import editable, notify_plain, one_line, plain, plain_line

#: The environment variable that chooses how to copy.
SETTING = "DEALBOARD_CLIPBOARD"
_SSH_VARIABLES = ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT")
#: Terminals known not to take OSC 52 (the Linux console, dumb terminals).
_NO_OSC52_TERMS = frozenset({"dumb", "linux"})

SYSTEM_MESSAGE = "Copied with the system clipboard (pyperclip)"
TERMINAL_MESSAGE = "Sent to your terminal's clipboard (OSC 52) — your terminal must allow it"
TMUX_HINT = " (in tmux: set -g set-clipboard on)"


class Method(StrEnum):
    """A way of reaching a clipboard."""

    SYSTEM = "pyperclip"
    TERMINAL = "OSC 52"


def pyperclip_copy(text: str) -> None:
    """The system clipboard; raises `pyperclip.PyperclipException` when there is none."""
    import pyperclip

    pyperclip.copy(text)


def terminal_takes_osc52(app: App[object]) -> bool:
    """Whether the app draws on a real terminal that may accept OSC 52.

    Headless (tests, no terminal) cannot receive it, nor can the Linux console.
    """
    term = os.environ.get("TERM", "").strip().lower()
    return not app.is_headless and term not in _NO_OSC52_TERMS


def over_ssh(environ: Mapping[str, str]) -> bool:
    """Whether dealboard runs on a machine the user reached with SSH."""
    return any(environ.get(name) for name in _SSH_VARIABLES)


def failure_reason(error: Exception) -> str:
    """A short reason pyperclip failed, for the by-hand box."""
    text = str(error)
    if "could not find a copy/paste mechanism" in text:
        return "no copy mechanism here (install xclip, xsel or wl-clipboard)"
    first = (text.strip().splitlines() or [type(error).__name__])[0]
    return first[:120]


@dataclass
class Copier:
    """How this app copies; tests swap `system_copy` and `terminal_usable` to try each way."""

    system_copy: Callable[[str], None] = pyperclip_copy
    terminal_usable: Callable[[App[object]], bool] = terminal_takes_osc52
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def order(self, app: App[object]) -> list[Method]:
        """The ways to try, first to last (empty: show the text to copy by hand)."""
        setting = self.environ.get(SETTING, "auto").strip().lower()
        if setting in ("off", "none"):
            return []
        terminal = [Method.TERMINAL] if self.terminal_usable(app) else []
        if setting in ("terminal", "osc52"):
            return terminal
        if setting in ("system", "pyperclip"):
            return [Method.SYSTEM]
        if over_ssh(self.environ):
            return [*terminal, Method.SYSTEM]
        return [Method.SYSTEM, *terminal]

    def try_system(self, text: str) -> str | None:
        """Copy with pyperclip; None when it worked, else the reason it did not."""
        try:
            self.system_copy(text)
        except Exception as error:  # PyperclipException, or a copy tool that failed
            return failure_reason(error)
        return None

    def why_none(self, failures: list[str]) -> str:
        """The one-line reason shown when nothing could copy."""
        setting = self.environ.get(SETTING, "auto").strip().lower()
        if setting in ("off", "none"):
            return f"Copying is switched off ({SETTING}={setting})."
        if setting in ("system", "pyperclip"):
            terminal = f"OSC 52 not tried ({SETTING}={setting})"
        else:
            terminal = "no terminal to take OSC 52"
        return "Could not copy: " + "; ".join([*failures, terminal]) + "."


def copier_of(app: App[object]) -> Copier:
    """The app's `copier` (`App.clipboard` is Textual's own), or the default one."""
    copier = getattr(app, "copier", None)
    return copier if isinstance(copier, Copier) else Copier()


def copy_text(node: DOMNode, text: str, what: str) -> None:
    """Copy `text` the first way that works and tell the user which way it was.

    pyperclip runs in a thread: its copy tools are processes that may be slow. The
    text is cleaned first (`clipboard_safe`): an ESC from a stored template would
    act in whatever it is pasted into.
    """
    app = node.app
    text = clipboard_safe(text)
    copier = copier_of(app)
    order = copier.order(app)
    what = one_line(what)

    def work() -> None:
        failures: list[str] = []
        for method in order:
            if method is Method.TERMINAL:
                app.call_from_thread(_send_to_terminal, app, text, what, copier)
                return
            reason = copier.try_system(text)
            if reason is None:
                app.call_from_thread(notify_plain, app, SYSTEM_MESSAGE, title=f"Copied: {what}")
                return
            failures.append(f"pyperclip: {reason}")
        app.call_from_thread(app.push_screen, CopyByHand(text, what, copier.why_none(failures)))

    app.run_worker(work, thread=True, group="clipboard", exit_on_error=False)


def _send_to_terminal(app: App[object], text: str, what: str, copier: Copier) -> None:
    app.copy_to_clipboard(text)
    hint = TMUX_HINT if copier.environ.get("TMUX") else ""
    notify_plain(app, TERMINAL_MESSAGE + hint, title=f"Sent: {what}")


class CopyByHand(KeyedModal[None]):
    """The text in a read-only box, selected, for when no clipboard can be reached."""

    CSS_PATH = "clipboard.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="clipboard.close")]

    def __init__(self, text: str, what: str, reason: str) -> None:
        super().__init__()
        self.text = text
        self.what = what
        self.reason = reason

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="copy-by-hand"):
            yield Static(plain_line(f"Copy by hand: {self.what}", "bold"), id="copy-title")
            yield Static(plain(self.reason), id="copy-reason")
            yield Static(
                Text(
                    "Select the text below with the mouse (hold Shift in most terminals) "
                    "and copy it with your terminal. "
                    f"{self.binding_key('clipboard.close')} closes.",
                    end="",
                ),
                id="copy-how",
            )
            yield TextArea(
                editable(self.text),
                read_only=True,
                soft_wrap=True,
                show_line_numbers=False,
                id="copy-text",
            )

    def on_mount(self) -> None:
        area = self.query_one("#copy-text", TextArea)
        area.focus()
        # All of it selected, with the cursor (and so the view) at the top.
        area.selection = Selection(area.document.end, area.document.start)

    def action_close(self) -> None:
        self.dismiss(None)
