"""User text on screen: always plain `Text`, never markup, never control sequences.

Rich and Textual pass ESC straight to the terminal (in `Text`, `Content`, an
`Input`, a `TextArea`, a toast alike), and a markup string would turn a title
like `[@click=app.quit]x` into an action or crash on `[/]`; everything a user
typed goes through here instead. Textual reads a plain `str` as markup in
`Static`, `Label`, `Button`, `Option`, `Select` options, `DataTable` cells and
`notify` (unless `markup=False`); it shows `Screen.title` and a toast's title
literally but unfiltered. So data reaches a widget only as the `Text` made
here, a notification only through `notify_plain`, and an editing field only
through `editable`. `tests/ui/test_markup_guard.py` checks the code for strays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel
from textual.widget import Widget

from dealboard.domain.text import display_safe

V = TypeVar("V")


def one_line(value: str) -> str:
    """Safe text squeezed onto one line (newlines and tabs become spaces)."""
    return " ".join(display_safe(value).split())


def plain(value: str, style: str = "") -> Text:
    """A `Text` that shows `value` literally, multi-line text kept as lines."""
    return Text(display_safe(value).replace("\t", "    "), style=style, end="")


def plain_line(value: str, style: str = "") -> Text:
    """A one-line `Text` of `value`, shown literally."""
    return Text(one_line(value), style=style, end="", no_wrap=True)


def fitted(value: str, width: int, style: str = "") -> Text:
    """One line cut to `width` terminal cells with an ellipsis; wide characters count double."""
    text = plain_line(value, style)
    text.truncate(max(width, 0), overflow="ellipsis")
    return text


def choices(pairs: Iterable[tuple[str, V]]) -> list[tuple[Text, V]]:
    """`Select` options whose labels are shown literally (a plain `str` label is markup)."""
    return [(plain_line(label), value) for label, value in pairs]


def editable(value: str) -> str:
    """Stored text put into an `Input` or `TextArea` to edit: control characters as U+FFFD.

    The fields draw their value unfiltered; saving what is shown replaces the
    smuggled characters for good, which is what input validation wants anyway.
    """
    return display_safe(value)


def notify_plain(
    node: App[Any] | Widget,
    message: str,
    *,
    title: str = "",
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A notification that may carry user text: shown literally, control characters removed.

    `markup=False` alone keeps `[/]` from crashing the toast but lets ESC
    through, and a toast's title is never markup but is not filtered either.
    """
    node.notify(
        display_safe(message),
        title=one_line(title),
        severity=severity,
        timeout=timeout,
        markup=False,
    )
