"""Block-character bars: exact to an eighth of a cell, scaled to the width, figures never cut."""

from __future__ import annotations

from datetime import date

import pytest
from rich.cells import cell_len

from dealboard.domain.reports import LossesReport, LossMonth
from dealboard.ui.reports.charts import (
    FULL,
    SHADE,
    Bar,
    BarChart,
    Words,
    bar_text,
    block_lines,
    chart_lines,
    eighths,
)
from dealboard.ui.reports.people_views import losses_blocks
from dealboard.vocabulary import LossReason

FUNNEL = BarChart(
    (
        Bar("Prospect", 43, ("43", "84% (36/43)", "100% (43/43)")),
        Bar("Overcome Objections", 19, ("19", "74% (14/19)", "44% (19/43)")),
        Bar("Won", 6, ("6", "", "14% (6/43)"), tone="good", strong=True),
    ),
    ("reached", "to next", "of first"),
    "stage",
)


def _texts(chart: BarChart, width: int) -> list[str]:
    return [line.plain for line in chart_lines(chart, width)]


def _bar_cells(line: str) -> int:
    """How many cells of a line are bar (solid or partial blocks, or shade)."""
    return sum(1 for ch in line if ch in "█▏▎▍▌▋▊▉░")


def test_a_full_value_fills_the_width_and_nothing_draws_nothing() -> None:
    assert eighths(43, 43, 20) == 160
    assert bar_text(160) == FULL * 20
    assert eighths(0, 43, 20) == 0
    assert eighths(None, 43, 20) == 0
    assert eighths(5, 0, 20) == 0  # no scale: no division by zero
    assert bar_text(0) == ""


def test_the_last_cell_is_an_eighth_block_rounded_to_the_nearest_eighth() -> None:
    assert bar_text(17) == "██▏"
    assert bar_text(12) == "█▌"
    assert bar_text(15) == "█▉"
    # 1.5 eighths rounds up, 1.4 down: value 1.5 of 80 over 10 cells is 1.5 eighths
    assert eighths(1.5, 80, 10) == 2
    assert eighths(1.4, 80, 10) == 1


def test_a_small_value_still_shows_and_a_large_one_never_overflows() -> None:
    assert bar_text(eighths(1, 10_000, 10)) == "▏"
    assert eighths(200, 100, 10) == 80


@pytest.mark.parametrize("width", [72, 80, 120, 200])
def test_the_longest_bar_spans_the_room_left_by_labels_and_figures(width: int) -> None:
    lines = _texts(FUNNEL, width)
    assert all(cell_len(line) <= width for line in lines)
    header, prospect, objections, won = lines
    assert header.split() == ["stage", "reached", "to", "next", "of", "first"]
    figures = cell_len("  reached  84% (36/43)  100% (43/43)")  # columns as wide as headers
    assert _bar_cells(prospect) == width - len("Overcome Objections") - 1 - figures
    assert _bar_cells(objections) == pytest.approx(_bar_cells(prospect) * 19 / 43, abs=1)
    assert prospect.endswith("43  84% (36/43)  100% (43/43)")
    assert won.split()[-3:] == ["6", "14%", "(6/43)"]  # no "to next" after the last step


def test_wider_charts_draw_longer_bars() -> None:
    narrow, wide = _texts(FUNNEL, 80)[1], _texts(FUNNEL, 200)[1]
    assert _bar_cells(wide) > 2 * _bar_cells(narrow)


def test_a_reach_continues_the_bar_in_shade() -> None:
    chart = BarChart((Bar("Pitch", 10, ("10d", "20d"), reach=20),), ("median", "p90"))
    line = _texts(chart, 40)[1]
    solid, shade = line.count(FULL), line.count(SHADE)
    assert solid and shade == pytest.approx(solid, abs=1)
    assert line.index(SHADE) > line.rindex(FULL)


def test_labels_shrink_with_an_ellipsis_and_figures_are_never_cut() -> None:
    chart = BarChart(
        (Bar("A very long lead source typed by someone", 3, ("100% (3/3)", "12", "$1.2M")),),
        ("win rate", "deals", "won value"),
    )
    for width in (40, 50, 80):
        lines = _texts(chart, width)
        row = next(line for line in lines if line.startswith("A very"))
        assert row.endswith("100% (3/3)     12      $1.2M")
        assert "…" in row and all(cell_len(line) <= width for line in lines)


def test_too_narrow_for_bars_beside_figures_each_bar_gets_its_own_line() -> None:
    chart = BarChart(
        (
            Bar("Lena Hoffmann", 500, ("$667.7k · €39.8k · £74k", "67% (2/3)", "22")),
            Bar("maria", 0, ("—", "—", "4")),
        ),
        ("won value", "win rate", "touches"),
        "owner",
    )
    lines = _texts(chart, 60)
    assert lines[1] == "Lena Hoffmann  $667.7k · €39.8k · £74k  67% (2/3)       22"
    assert lines[2].strip() == FULL * 58
    assert lines[3].startswith("maria") and len(lines) == 4  # nothing drawn for zero


def test_a_table_without_bars_keeps_its_columns() -> None:
    chart = BarChart((Bar("USD", None, ("24", "$31.3k")),), ("open", "per day"), "currency")
    chart = BarChart(chart.bars, chart.columns, chart.label_header, drawn=False)
    assert _texts(chart, 80) == ["currency  open  per day", "USD         24   $31.3k"]


def test_user_text_is_shown_literally_without_escapes() -> None:
    chart = BarChart((Bar("[b]Acme[/b]\x1b[31m\nred", 1, ("1",)),))
    line = _texts(chart, 60)[0]
    assert line.startswith("[b]Acme[/b]")
    assert "\x1b" not in line and "\n" not in line


def test_notes_wrap_and_headings_get_a_blank_line_before_them() -> None:
    lines = block_lines(
        [Words("First", "heading"), Words("word " * 30), Words("Second", "heading")], 40
    )
    texts = [line.plain for line in lines]
    assert texts[0] == "First"
    assert all(cell_len(text) <= 40 for text in texts)
    assert texts[-2:] == ["", "Second"]


def test_losses_without_a_closing_date_are_a_month_called_no_date() -> None:
    report = LossesReport(
        scope=None,  # type: ignore[arg-type]
        lost=3,
        value=(),
        by_reason=(),
        by_stage=(),
        by_month=(
            LossMonth(date(2026, 10, 1), 2, ((LossReason.PRICE, 2),)),
            LossMonth(None, 1, ((LossReason.TIMING, 1),)),
        ),
    )
    chart = losses_blocks(report)[-1]
    assert isinstance(chart, BarChart)
    rows = [line.plain for line in chart_lines(chart, 80)[1:]]
    assert [row[:8] for row in rows] == ["Oct 2026", "no date "]
    assert chart.bars[0].figures == ("2", "price (2)")
