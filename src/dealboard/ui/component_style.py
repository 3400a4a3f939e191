"""A component class's text style, resolved for drawing over another widget's background.

`get_component_rich_style(name, partial=True)` leaves the background out (so a
table's cursor row or a card shows through), but it also keeps `auto` and
faded colours such as `$text-muted` unresolved: they come out as full white,
invisible on a light theme. Every screen that paints component styles onto
text goes through here instead.
"""

from __future__ import annotations

from rich.style import Style
from textual.dom import DOMNode


def text_style(node: DOMNode, component: str) -> Style:
    """The component's text attributes and its resolved colour, without its background."""
    flags = node.get_component_rich_style(component, partial=True)
    colour = node.get_component_rich_style(component).color if flags.color else None
    return flags + Style(color=colour)
