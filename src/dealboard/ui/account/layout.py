"""What the account screen draws, as plain `Text`: the header, the deals table, the side panel.

Pure: an `AccountDetail`, the width and the theme's styles in, text out. Every
piece of user text goes through `dealboard.ui.text`, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from dealboard.domain.money import format_compact
from dealboard.domain.views.account_view import (
    AccountDeal,
    AccountDetail,
    AccountSummary,
    by_amount,
)
from dealboard.domain.views.account_view import amounts_text as amounts
from dealboard.ui.text import fitted, one_line, plain_line
from dealboard.vocabulary import StageKind

#: From this many columns the side panel sits beside the deals instead of under them.
WIDE_COLUMNS = 140
#: A DataTable cell is padded by one column either side; the table has a one-column scrollbar.
PADDING, SCROLLBAR = 2, 1
#: The deal title keeps at least this many cells; the other columns give way first.
TITLE_ROOM = 16
#: ... and at most this many: on a wide screen the numbers stay near the titles they belong to.
TITLE_MOST = 64
_HEADINGS = {StageKind.OPEN: "Open", StageKind.WON: "Won", StageKind.LOST: "Lost"}
#: The key of each group's heading row (deals are keyed by their id, always positive).
HEADING_KEYS = {StageKind.OPEN: -1, StageKind.WON: -2, StageKind.LOST: -3}


def touch_words(summary: AccountSummary, today: date) -> str:
    """`last touch 2026-11-02 (18d ago)`, or `no touch yet`."""
    if summary.last_touch is None:
        return "no touch yet"
    day = summary.last_touch.astimezone().date()
    days = (today - day).days
    return f"last touch {day.isoformat()} ({'today' if days <= 0 else f'{days}d ago'})"


def header(summary: AccountSummary, today: date, styles: Mapping[str, Style]) -> Text:
    """Two lines: open, won (lifetime, per currency), lost; then last touch and objections."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(f"{summary.open_deals} open", styles["open"])
    text.append(f" {amounts(summary.open_value, '')}".rstrip() + "  ·  ")
    text.append(f"{summary.won_deals} won", styles["won"])
    lifetime = f" · lifetime {amounts(summary.won_value)}" if summary.won_value else ""
    text.append(f"{lifetime}  ·  ")
    text.append(f"{summary.lost_deals} lost", styles["lost"])
    text.append("\n")
    text.append(touch_words(summary, today), styles["muted"])
    objections = summary.open_objections
    if objections:
        text.append("  ·  ")
        text.append(
            "1 open objection" if objections == 1 else f"{objections} open objections",
            styles["warn"],
        )
    return text


def deal_columns(width: int, detail: AccountDetail) -> list[tuple[str, int]]:
    """(label, width) of the deals table: the title takes what the others leave."""

    def widest(label: str, values: list[str], cap: int) -> int:
        return min(max([cell_len(label), *(cell_len(one_line(v)) for v in values)]), cap)

    deals = detail.deals
    others = [
        ("Pipeline", widest("Pipeline", [d.pipeline for d in deals], 14)),
        ("Stage", widest("Stage", [d.stage for d in deals], 14)),
        ("Value", widest("Value", [_value(d) for d in deals], 12)),
        ("Owner", widest("Owner", [d.owner_display for d in deals], 12)),
    ]
    used = sum(w + PADDING for _, w in others) + PADDING + SCROLLBAR
    title = min(max(width - used, TITLE_ROOM), TITLE_MOST)
    return [("Deal", title), *others]


def _value(deal: AccountDeal) -> str:
    return format_compact(deal.value.minor, deal.value.currency)


def deal_rows(
    detail: AccountDetail, columns: list[tuple[str, int]], styles: Mapping[str, Style]
) -> list[tuple[int, tuple[Text, ...]]]:
    """A heading row per group (open, won, lost) with its count and value, then its deals."""
    widths = [w for _, w in columns]
    rows: list[tuple[int, tuple[Text, ...]]] = []
    for status in StageKind:
        deals = detail.with_status(status)
        if not deals:
            continue
        total: dict[str, int] = {}
        for deal in deals:
            total[deal.value.currency] = total.get(deal.value.currency, 0) + deal.value.minor
        value = amounts(by_amount(total))
        heading = fitted(f"{_HEADINGS[status]} ({len(deals)}) · {value}", widths[0])
        heading.stylize(styles[status.value] + styles["heading"])
        rows.append((HEADING_KEYS[status], (heading, *(Text("") for _ in widths[1:]))))
        for deal in deals:
            rows.append((deal.id, _deal_cells(deal, widths, styles)))
    return rows


def _deal_cells(
    deal: AccountDeal, widths: list[int], styles: Mapping[str, Style]
) -> tuple[Text, ...]:
    origin = f" ({deal.origin_kind.value})" if deal.origin_kind is not None else ""
    title = Text("  ", end="")
    title.append_text(fitted(f"#{deal.id} {one_line(deal.title)}{origin}", widths[0] - 2))
    stage = fitted(deal.stage, widths[2])
    stage.stylize(styles[deal.status.value])
    return (
        title,
        fitted(deal.pipeline, widths[1]),
        stage,
        fitted(_value(deal), widths[3]),
        fitted(deal.owner_display, widths[4]),
    )


def details(detail: AccountDetail, styles: Mapping[str, Style]) -> Text:
    """Contacts, open objections, lineage and referrals given, each under a heading."""
    lines: list[Text] = []

    def heading(words: str) -> None:
        if lines:
            lines.append(Text(""))
        lines.append(Text(words, style=styles["heading"]))

    heading("Contacts")
    for contact in detail.contacts:
        line = plain_line(f"  {contact.name}")
        count = "1 deal" if contact.deals == 1 else f"{contact.deals} deals"
        line.append(f" · {contact.contact_type.value} · {count}", styles["muted"])
        lines.append(line)
    if not detail.contacts:
        lines.append(Text("  none recorded", style=styles["muted"]))
    heading(f"Open objections ({len(detail.objections)})")
    for objection in detail.objections:
        line = Text(f"  #{objection.deal_id} ", style=styles["muted"])
        line.append(f"{objection.category.value}{' (hidden)' if objection.hidden else ''}: ")
        line.append_text(plain_line(objection.text, ""))
        lines.append(line)
    if not detail.objections:
        lines.append(Text("  none open", style=styles["muted"]))
    heading("Lineage")
    for step in detail.lineage:
        line = Text("  " + "  " * step.depth + ("└ " if step.depth else ""), end="")
        if step.outside:
            line.append_text(plain_line(f"{step.outside} → ", ""))
        if step.kind is not None:
            line.append(f"{step.kind.value} ", styles["muted"])
        line.append_text(plain_line(f"#{step.deal_id} {step.title}"))
        line.append(f" ({step.status.value})", styles[step.status.value])
        lines.append(line)
    if not detail.lineage:
        lines.append(Text("  no repeat deals yet", style=styles["muted"]))
    if detail.referrals:
        heading(f"Referrals given ({len(detail.referrals)})")
        for referral in detail.referrals:
            line = plain_line(f"  #{referral.deal_id} {referral.title} · {referral.account}")
            value = format_compact(referral.value.minor, referral.value.currency)
            line.append(f" · {referral.status.value} · {value}", styles[referral.status.value])
            lines.append(line)
    return Text("\n", end="").join(lines)
