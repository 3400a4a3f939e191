"""User text on screen: always plain `Text`, never markup, never control sequences.

Rich would pass ESC straight to the terminal, and a markup string would turn a
title like `[@click=app.quit]x` into an action; everything a user typed goes
through here instead.
"""

from __future__ import annotations

from rich.text import Text

from dealboard.domain.text import display_safe


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
