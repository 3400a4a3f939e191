"""Horizontal bar charts drawn with block characters, each bar beside its exact figures.

Why block characters and not a plotting widget such as textual-plotext:

- **Legible at a distance.** Bars are solid `█` cells, as thick as a line of
  text; plotext draws with braille dots and thin lines that vanish on a
  projector and blur over SSH.
- **Exact.** The last cell of a bar is an eighth block (`▏▎▍▌▋▊▉`), so a
  bar is right to 1/8 of a cell; and every bar carries its exact figures in
  aligned columns to its right, under a header, so the chart is also the
  table of figures. A bar never stands for a number nobody can read.
- **Without colour.** Meaning is in shape and words: solid for what is sure,
  light shade `░` for how far it could reach (the 90th percentile past the
  median, the best case past the weighted forecast). Colours come only from
  the theme (component classes below), so the mono and 16-colour themes and a
  washed-out projector read the same chart.
- **No dependency**, and nothing to keep in step with Textual's releases.

Bars start on one baseline, the funnel's too: lengths compare only from a
common start. Bar lengths scale to the width the chart is drawn at, so a
chart redraws to fit whenever its widget is resized. Every label and figure
goes through `dealboard.ui.text` (user text is data, never markup).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from dealboard.ui.text import fitted, one_line

#: Partial cells by eighths filled (index 1–7); a whole cell is `FULL`.
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
FULL = "█"
#: The lighter continuation of a bar: how far it could reach.
SHADE = "░"
#: Narrowest a bar area gets before labels give up their width.
MIN_BAR = 8
#: Narrowest a label is cut to (with an ellipsis) to leave room for bars and figures.
MIN_LABEL = 8
#: Spaces between figure columns.
GAP = 2

Tone = Literal["bar", "good", "bad", "warn", "muted"]
Role = Literal["heading", "note", "message", "strong"]


@dataclass(frozen=True)
class Bar:
    """One row: a label, a bar of `value`, optionally shaded on to `reach`, and its figures."""

    label: str
    #: The solid bar's length in the chart's units; None draws no bar (an unknown figure).
    value: float | None
    #: Exact figures, one per column of the chart.
    figures: tuple[str, ...] = ()
    #: A larger figure the bar continues to in light shade (p90, best case).
    reach: float | None = None
    tone: Tone = "bar"
    #: A row that sums or closes the chart (Won, Team, total): bold.
    strong: bool = False


@dataclass(frozen=True)
class BarChart:
    """Bars on one scale, with headed figure columns; `drawn=False` makes it a plain table."""

    bars: tuple[Bar, ...]
    columns: tuple[str, ...] = ()
    label_header: str = ""
    #: The value a full-width bar stands for; default the largest value or reach.
    scale: float | None = None
    drawn: bool = True


@dataclass(frozen=True)
class Words:
    """A line of words between charts: a heading, a note, the no-data message."""

    text: str
    role: Role = "note"


Block = BarChart | Words


def eighths(value: float | None, scale: float, width: int) -> int:
    """How many eighths of a cell a bar of `value` fills when `scale` fills `width` cells.

    Rounded to the nearest eighth, never past the width; a value above zero
    always shows at least one eighth, so "a little" never looks like "none".
    """
    if value is None or value <= 0 or scale <= 0 or width <= 0:
        return 0
    filled = int(min(value, scale) / scale * width * 8 + 0.5)
    return max(1, min(filled, width * 8))


def bar_text(filled: int) -> str:
    """The solid bar for `filled` eighths: whole blocks, then one partial block."""
    whole, rest = divmod(max(filled, 0), 8)
    return FULL * whole + EIGHTHS[rest]


def shade_cells(filled: int, reach: float | None, scale: float, width: int) -> int:
    """Whole shaded cells after a solid bar of `filled` eighths, up to `reach`."""
    if reach is None or reach <= 0 or scale <= 0:
        return 0
    start = -(-filled // 8)
    end = min(width, int(min(reach, scale) / scale * width + 0.5))
    return max(0, end - start)


def chart_scale(chart: BarChart) -> float:
    """What a full bar stands for: the chart's own scale, else its largest value or reach."""
    if chart.scale is not None:
        return chart.scale
    values = [v for bar in chart.bars for v in (bar.value, bar.reach) if v is not None]
    return max(values, default=0.0)


@dataclass(frozen=True)
class _Layout:
    label: int
    #: Cells a full bar spans (0: no bars).
    bar: int
    columns: tuple[int, ...]
    #: Too narrow for bars beside the figures: each bar gets its own line under them.
    stacked: bool = False


def _layout(chart: BarChart, width: int) -> _Layout:
    """Figures keep their full width; bars take what is left, or a line of their own."""
    count = max([len(chart.columns), *(len(bar.figures) for bar in chart.bars)])
    columns = []
    for index in range(count):
        cells = [bar.figures[index] for bar in chart.bars if index < len(bar.figures)]
        if index < len(chart.columns):
            cells.append(chart.columns[index])
        columns.append(max((cell_len(one_line(c)) for c in cells), default=0))
    figures = sum(columns) + GAP * len(columns)
    labels = [one_line(bar.label) for bar in chart.bars] + [one_line(chart.label_header)]
    label = max((cell_len(text) for text in labels), default=0)
    label = min(label, max(MIN_LABEL, width // 3))
    bar = width - label - 1 - figures
    if chart.drawn and bar >= MIN_BAR:
        return _Layout(label, bar, tuple(columns))
    label = max(min(label, MIN_LABEL), min(label, width - figures))
    return _Layout(label, max(width - 2, 0) if chart.drawn else 0, tuple(columns), chart.drawn)


def chart_lines(
    chart: BarChart, width: int, styles: Mapping[str, Style] | None = None
) -> list[Text]:
    """The chart as lines of at most `width` cells (figures are never cut; labels get `…`)."""
    style = _Styles(styles or {})
    layout = _layout(chart, width)
    scale = chart_scale(chart)
    lines = []
    if chart.label_header or chart.columns:
        line = fitted(chart.label_header, layout.label)
        line.pad_right(layout.label - line.cell_len)
        if not layout.stacked and layout.bar:
            line.append(" " * (layout.bar + 1))
        for index, size in enumerate(layout.columns):
            header = chart.columns[index] if index < len(chart.columns) else ""
            line.append(_right(header, size))
        line.stylize(style["header"])
        lines.append(line)
    for bar in chart.bars:
        row = _label(bar, layout, style)
        if layout.stacked:
            _figures(row, bar, layout, style)
            lines.append(row)
            if eighths(bar.value, scale, layout.bar) or eighths(bar.reach, scale, layout.bar):
                lines.append(_bar(Text("  "), bar, scale, layout.bar, style))
            continue
        if layout.bar:
            row.append(" ")
            _bar(row, bar, scale, layout.bar, style)
        _figures(row, bar, layout, style)
        lines.append(row)
    for line in lines:
        line.no_wrap = True
        line.truncate(width)
    return lines


def _label(bar: Bar, layout: _Layout, style: _Styles) -> Text:
    line = fitted(bar.label, layout.label)
    line.pad_right(layout.label - line.cell_len)
    line.stylize(style["label"] + (style["strong"] if bar.strong else Style()))
    return line


def _bar(line: Text, bar: Bar, scale: float, width: int, style: _Styles) -> Text:
    """Append the bar, padded to `width` cells: solid, then shaded on to its reach."""
    filled = eighths(bar.value, scale, width)
    solid = bar_text(filled)
    shade = SHADE * shade_cells(filled, bar.reach, scale, width)
    line.append(solid, style[bar.tone])
    line.append(shade, style[bar.tone])
    line.append(" " * (width - cell_len(solid) - len(shade)))
    return line


def _figures(line: Text, bar: Bar, layout: _Layout, style: _Styles) -> None:
    figure_style = style["figure"] + (style["strong"] if bar.strong else Style())
    for index, size in enumerate(layout.columns):
        figure = bar.figures[index] if index < len(bar.figures) else ""
        line.append(_right(figure, size), figure_style)


def _right(text: str, size: int) -> str:
    """`text` on one line, right-aligned in `size` cells after the gap."""
    shown = one_line(text)
    return " " * (GAP + max(size - cell_len(shown), 0)) + shown


def words_lines(words: Words, width: int, styles: Mapping[str, Style] | None = None) -> list[Text]:
    """A heading cut to one line; notes and messages wrapped to the width."""
    style = _Styles(styles or {})
    if words.role == "heading":
        line = fitted(words.text, width)
        line.stylize(style["heading"])
        return [line]
    wrapped = textwrap.wrap(one_line(words.text), max(width, 1)) or [""]
    return [Text(line, style=style[words.role], no_wrap=True, end="") for line in wrapped]


def block_lines(
    blocks: Iterable[Block], width: int, styles: Mapping[str, Style] | None = None
) -> list[Text]:
    """Every block drawn at `width`; a blank line before each heading but the first."""
    lines: list[Text] = []
    for block in blocks:
        if isinstance(block, Words):
            if block.role == "heading" and lines:
                lines.append(Text(""))
            lines.extend(words_lines(block, width, styles))
        else:
            lines.extend(chart_lines(block, width, styles))
    return lines


class _Styles:
    """Component styles by short name; a missing one is plain."""

    def __init__(self, styles: Mapping[str, Style]) -> None:
        self._styles = styles

    def __getitem__(self, name: str) -> Style:
        return self._styles.get(name, Style())


#: The short names of the chart's component classes (`chart--bar`, …).
STYLE_NAMES = (
    "heading", "note", "message", "strong", "header", "label", "figure",
    "bar", "good", "bad", "warn", "muted",
)  # fmt: skip


class ChartView(Widget):
    """Headings, notes and bar charts drawn at the widget's width (and again when it changes)."""

    DEFAULT_CSS = """
    ChartView {
        height: auto;
        width: 1fr;
    }
    ChartView > .chart--heading { color: $primary; text-style: bold; }
    ChartView > .chart--note { color: $text-muted; }
    ChartView > .chart--message { color: $foreground; text-style: bold; }
    ChartView > .chart--strong { text-style: bold; }
    ChartView > .chart--header { color: $text-muted; text-style: bold; }
    ChartView > .chart--label { color: $foreground; }
    ChartView > .chart--figure { color: $foreground; }
    ChartView > .chart--bar { color: $primary; }
    ChartView > .chart--good { color: $success; }
    ChartView > .chart--bad { color: $error; }
    ChartView > .chart--warn { color: $warning; }
    ChartView > .chart--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {f"chart--{name}" for name in STYLE_NAMES}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.blocks: tuple[Block, ...] = ()

    def show(self, blocks: Sequence[Block]) -> None:
        """Draw these blocks from now on."""
        self.blocks = tuple(blocks)
        self.refresh(layout=True)

    def lines(self, width: int | None = None) -> list[Text]:
        """What the widget shows at `width` (default its own), styled by the theme."""
        styles = {name: self.get_component_rich_style(f"chart--{name}") for name in STYLE_NAMES}
        return block_lines(self.blocks, self.size.width if width is None else width, styles)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One row per line drawn at `width` (notes wrap, narrow charts stack)."""
        return len(block_lines(self.blocks, width))

    def render(self) -> Text:
        return Text("\n", end="", no_wrap=True).join(self.lines())
