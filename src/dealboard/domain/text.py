"""The one place user text is checked on the way in and made safe on the way out.

Control characters (ESC, BEL, C1 controls...) and invisible bidirectional
overrides are refused in input, so no user can smuggle a terminal escape
sequence or a visually reordered title onto another user's screen.
"""

from __future__ import annotations

import re

from dealboard.domain.errors import InvalidInput

#: Refused in input: control characters (Unicode category Cc, exactly U+0000-U+001F and
#: U+007F-U+009F) and the invisible bidi overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069), which can make text read differently. Notes keep newlines and tabs.
_FORBIDDEN = {
    False: re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"),
    True: re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"),
}


def forbidden_character(value: str, *, multiline: bool) -> str | None:
    """The first character input may not contain, or None (`multiline` allows \\n and \\t)."""
    found = _FORBIDDEN[multiline].search(value)
    return found.group() if found else None


def clean_line(field: str, value: str, *, max_length: int = 200, required: bool = False) -> str:
    """A single-line text field, trimmed; refuses control characters and overlong text."""
    return _clean(field, value, max_length=max_length, required=required, multiline=False)


def clean_text(field: str, value: str, *, max_length: int = 20_000) -> str:
    """A multi-line note: newlines and tabs are fine, other control characters are not."""
    text = value.replace("\r\n", "\n")
    return _clean(field, text, max_length=max_length, required=False, multiline=True)


def _clean(field: str, value: str, *, max_length: int, required: bool, multiline: bool) -> str:
    text = value.strip()
    bad = forbidden_character(text, multiline=multiline)
    if bad is not None:
        allowed = "text without control characters"
        if multiline:
            allowed += " (newlines and tabs are fine)"
        raise InvalidInput(field, value, f"contains U+{ord(bad):04X}; use {allowed}")
    if required and not text:
        raise InvalidInput(field, value, f"give 1 to {max_length} characters")
    if len(text) > max_length:
        raise InvalidInput(field, value, f"{len(text)} characters; at most {max_length}")
    return text


def title(value: str) -> str:
    """A deal title: required, 1 to 200 characters."""
    return clean_line("title", value, max_length=200, required=True)


_CONTROL_RUN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


def display_safe(value: str) -> str:
    """Text fit for a terminal: control characters from old or foreign data become U+FFFD.

    Input is already clean; this guards the screen against rows written by
    other tools or older versions.
    """
    return _CONTROL_RUN.sub("\ufffd", value)


def slug(value: str) -> str:
    """Lower-case, hyphenated form used to match stage and pipeline names loosely."""
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


def clipboard_safe(value: str) -> str:
    """Text fit to copy: line breaks and tabs kept, other control characters as U+FFFD.

    A pasted ESC or bidi override would act in whatever receives it (a shell, a
    chat box, another terminal), so copied text is cleaned the same way as shown
    text; Windows line endings become plain newlines rather than a stray U+FFFD.
    """
    return display_safe(value.replace("\r\n", "\n"))
