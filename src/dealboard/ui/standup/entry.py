"""One entry of the stand-up's first page (`  moved  Title  ·  Qualify → Pitch`) laid out
in a width, onto as many lines as it needs.

Cutting the line at the edge would cut what matters most, the end of it: the stage a
deal moved to. So the title gives way first (down to `TITLE_FLOOR` cells), then the detail
goes on a line of its own under the title; a path too long even so keeps its first and
final stages and shows the ones between as `…`. The final stage is cut only when it alone
is wider than the line. What the move skipped (`(skipped Research)`) stays beside the route
where it fits; an override (`⚠ override: "…"`) follows on the same line when it fits whole,
else on a line of its own. Both are words, never colour alone.

Pure: parts `(text, style name)` out, the page cutter styles them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from dealboard.ui.text import fitted, one_line

#: What the page cutter turns into one styled line: (text, style name) pairs.
Line = list[tuple[str | Text, str]]

#: Where the title starts (`  moved  `), and where each further line starts.
INDENT = 9
#: A title is shortened no further than this to keep an entry on one line.
TITLE_FLOOR = 24
ARROW = " → "
ELIDED = "…"
DOT = "  ·  "


@dataclass(frozen=True)
class Mark:
    """Something said after the detail: `text` follows `joint` on the same line if it fits."""

    text: str
    style: str
    joint: str = DOT


def route(stages: Sequence[str], room: int) -> str:
    """`A → B → C` in at most `room` cells, the final stage kept whole wherever it can be."""
    names = [one_line(stage) for stage in stages]
    whole = ARROW.join(names)
    if len(names) < 2 or _cells(whole) <= room:
        return whole
    first, middle, last = names[0], names[1:-1], names[-1]
    for keep in range(len(middle) - 1, -1, -1):  # drop middle stages, nearest the start first
        shorter = ARROW.join([first, ELIDED, *middle[len(middle) - keep :], last])
        if _cells(shorter) <= room:
            return shorter
    tail = ARROW + (ELIDED + ARROW if middle else "") + last
    if room - _cells(tail) >= 2:
        return fitted(first, room - _cells(tail)).plain + tail
    if _cells(ELIDED + ARROW + last) <= room:
        return ELIDED + ARROW + last
    return fitted(last, room).plain


def entry(
    head: tuple[str, str],
    title: str,
    detail: str,
    width: int,
    *,
    stages: Sequence[str] = (),
    note: str = "",
    marks: Sequence[Mark] = (),
) -> list[Line]:
    """The lines of one entry. `detail` follows the title; with `stages` it is their route,
    and `detail` is what follows the route (` (back)`), then `note` (`(skipped Qualify)`),
    which goes on a line of its own when it would squeeze the route."""
    room = max(width - INDENT, 10)
    name = one_line(title)
    path = ARROW.join(one_line(s) for s in stages) + detail if stages else one_line(detail)
    lines: list[Line] = []
    for whole in (path + " " + note, path) if note else (path,):
        beside = room - _cells(DOT) - _cells(whole)
        if _cells(name) <= beside or beside >= min(_cells(name), TITLE_FLOOR):
            lines = [[head, (fitted(name, beside), "name"), (DOT, "dim"), (whole, "")]]
            note = "" if whole != path else note
            break
    if not lines:
        if not stages:
            shown = fitted(path, room).plain
        elif note and _cells(path + " " + note) <= room:
            shown, note = path + " " + note, ""
        else:
            shown = route(stages, room - _cells(detail)) + detail
        lines = [[head, (fitted(name, room), "name")], [(" " * INDENT, ""), (shown, "")]]
    for mark in ([Mark(note, "warn", " ")] if note else []) + list(marks):
        used = sum(_cells(part) for part, _ in lines[-1])
        if used + _cells(mark.joint) + _cells(mark.text) <= INDENT + room:
            lines[-1] += [(mark.joint, "dim"), (mark.text, mark.style)]
        else:
            lines.append([(" " * INDENT, ""), (fitted(mark.text, room), mark.style)])
    return lines


def packed(parts: Sequence[tuple[str, str]], width: int, indent: int = 0) -> list[Line]:
    """Parts joined by `  ·  ` on as few lines as `width` allows: a part goes whole onto the
    next line (`indent` in) rather than being cut, unless it alone is wider than a line."""
    lines: list[Line] = []
    used = 0
    for text, style in parts:
        shown = one_line(text)
        if lines and used + _cells(DOT) + _cells(shown) <= width:
            lines[-1].append((DOT, "dim"))
            used += _cells(DOT)
        elif lines:
            lines.append([(" " * indent, "")] if indent else [])
            used = indent
        else:
            lines.append([])
        piece = fitted(shown, width - used)
        lines[-1].append((piece, style))
        used += piece.cell_len
    return lines


def _cells(value: str | Text) -> int:
    return value.cell_len if isinstance(value, Text) else Text(value).cell_len
