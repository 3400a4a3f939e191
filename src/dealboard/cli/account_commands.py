"""`dealboard account list | show NAME_OR_ID`: every customer, and one customer's whole story."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from dealboard.cli.output import dumps, table
from dealboard.cli.session import board_from
from dealboard.cli.table_widths import grown_to_fit, shrunk_to, terminal_columns
from dealboard.domain.money import Money, format_money
from dealboard.domain.text import display_safe
from dealboard.domain.views.account_view import (
    AccountDeal,
    AccountDetail,
    AccountSummary,
    amounts_text,
)
from dealboard.vocabulary import StageKind

_HEADINGS = {StageKind.OPEN: "Open", StageKind.WON: "Won", StageKind.LOST: "Lost"}


def account_arguments(account: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard account list | show NAME_OR_ID`."""
    actions = account.add_subparsers(
        title="account commands", metavar="ACTION", required=True, parser_class=type(account)
    )
    listing = actions.add_parser(
        "list", parents=[common], help="every account: open and won deals, last touch"
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=list_accounts)
    show = actions.add_parser(
        "show", parents=[common], help="one account: every deal, contacts, objections, lineage"
    )
    show.add_argument("account", metavar="NAME_OR_ID", help="the account's name (any case) or id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=show_account)


def list_accounts(args: argparse.Namespace) -> int:
    board = board_from(args)
    accounts = board.accounts()
    if args.format == "json":
        print(dumps([summary_json(a) for a in accounts]))
    elif accounts:
        print(accounts_table(accounts, board.today(), terminal_columns()))
    else:
        print("no accounts yet: a deal with an account makes one")
    return 0


def show_account(args: argparse.Namespace) -> int:
    board = board_from(args)
    detail = board.account(args.account)
    if args.format == "json":
        print(dumps(detail_json(detail)))
    else:
        print(account_text(detail, board.today()), end="")
    return 0


def accounts_table(
    accounts: tuple[AccountSummary, ...], today: date, columns: int | None = None
) -> str:
    """One line per account; the name gives way on a narrow terminal, numbers never do."""
    headers = ["ID", "ACCOUNT", "OPEN", "OPEN VALUE", "WON", "LIFETIME WON", "LOST"]
    headers += ["LAST TOUCH", "OBJ"]
    rows = [
        [
            str(a.id),
            a.name,
            str(a.open_deals),
            amounts_text(a.open_value),
            str(a.won_deals),
            amounts_text(a.won_value),
            str(a.lost_deals),
            touch_text(a.last_touch, today),
            str(a.open_objections),
        ]
        for a in accounts
    ]
    whole = [0, 2, 3, 4, 5, 6, 7, 8]
    widths = [0, 30, 0, 0, 0, 0, 0, 0, 0]
    widths = grown_to_fit(headers, rows, widths, set(whole))
    return table(headers, rows, shrunk_to(widths, columns, [{1: 12}]), whole=whole)


def touch_text(at: datetime | None, today: date) -> str:
    """`2026-11-02 (18d ago)`, `today`, or `never`."""
    if at is None:
        return "never"
    days = (today - at.astimezone().date()).days
    ago = "today" if days <= 0 else f"{days}d ago"
    return f"{at.astimezone().date().isoformat()} ({ago})"


def account_text(detail: AccountDetail, today: date) -> str:
    """A readable page about one account; all user text made display-safe."""
    a = detail.summary
    lines = [
        f"{display_safe(a.name)} (account {a.id})",
        f"  deals       {a.open_deals} open · {a.won_deals} won · {a.lost_deals} lost",
        f"  open value  {amounts_text(a.open_value)}",
        f"  lifetime    {amounts_text(a.won_value)} won",
        f"  last touch  {touch_text(a.last_touch, today)}",
        f"  objections  {a.open_objections} open",
    ]
    if detail.pipelines:
        lines.append(f"  pipelines   {display_safe(', '.join(detail.pipelines))}")
    widths = grown_to_fit(_DEAL_HEADERS, [_deal_row(d) for d in detail.deals], _DEAL_WIDTHS, _WHOLE)
    for status in StageKind:
        deals = detail.with_status(status)
        if deals:
            rows = [_deal_row(d) for d in deals]
            lines += ["", f"{_HEADINGS[status]} ({len(deals)})"]
            lines += ["  " + line for line in table(_DEAL_HEADERS, rows, widths).splitlines()]
    if detail.contacts:
        lines += ["", "Contacts"]
        for contact in detail.contacts:
            count = "1 deal" if contact.deals == 1 else f"{contact.deals} deals"
            lines.append(f"  {display_safe(contact.name)} · {contact.contact_type.value} · {count}")
    if detail.objections:
        lines += ["", f"Open objections ({len(detail.objections)})"]
        for objection in detail.objections:
            hidden = " (hidden)" if objection.hidden else ""
            lines.append(
                f"  #{objection.deal_id} {display_safe(objection.deal_title)}: "
                f"{objection.category.value}{hidden}: {_one_line(objection.text)}"
            )
    if detail.lineage:
        lines += ["", "Lineage"]
        for step in detail.lineage:
            indent = "  " * (step.depth + 1)
            how = f"{step.kind.value}: " if step.kind is not None else ""
            arrow = "└ " if step.depth else ""
            origin = f"{display_safe(step.outside)} → " if step.outside else ""
            lines.append(
                f"{indent}{arrow}{origin}{how}#{step.deal_id} {display_safe(step.title)}"
                f" ({step.status.value})"
            )
    if detail.referrals:
        lines += ["", f"Referrals given ({len(detail.referrals)})"]
        for referral in detail.referrals:
            lines.append(
                f"  #{referral.deal_id} {display_safe(referral.title)}"
                f" ({display_safe(referral.account)}) · {referral.status.value}"
                f" · {format_money(referral.value.minor, referral.value.currency)}"
            )
    return "\n".join(lines) + "\n"


#: The deals tables of `account show`: one width for every group, so the columns line up.
_DEAL_HEADERS = ["ID", "TITLE", "PIPELINE", "STAGE", "VALUE", "OWNER", "FROM"]
_DEAL_WIDTHS = [5, 30, 10, 12, 0, 0, 0]
#: Never cut: the id, the value, the owner's login and where the deal came from.
_WHOLE = {0, 4, 5, 6}


def _deal_row(d: AccountDeal) -> list[str]:
    return [
        f"#{d.id}",
        d.title,
        d.pipeline,
        d.stage,
        format_money(d.value.minor, d.value.currency),
        d.owner,
        _origin(d),
    ]


def _origin(deal: AccountDeal) -> str:
    if deal.origin_kind is None:
        return ""
    source = f" #{deal.origin_deal_id}" if deal.origin_deal_id is not None else ""
    referrer = f" by {deal.referred_by}" if deal.referred_by else ""
    return f"{deal.origin_kind.value}{source}{referrer}"


def _one_line(text: str) -> str:
    return " ".join(display_safe(text).split())


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(amounts: tuple[Money, ...]) -> dict[str, int]:
    return {m.currency: m.minor for m in amounts}


def summary_json(a: AccountSummary) -> dict[str, Any]:
    """`account list --format json`: one object per account; money in minor units per currency."""
    return {
        "id": a.id,
        "name": a.name,
        "open_deals": a.open_deals,
        "open_value": _money(a.open_value),
        "won_deals": a.won_deals,
        "won_value": _money(a.won_value),
        "lost_deals": a.lost_deals,
        "last_touch": _iso(a.last_touch),
        "open_objections": a.open_objections,
    }


def detail_json(detail: AccountDetail) -> dict[str, Any]:
    """`account show --format json`: the summary plus deals, contacts, objections, lineage."""
    data = summary_json(detail.summary)
    data["deals"] = [
        {
            "id": d.id,
            "title": d.title,
            "pipeline": d.pipeline,
            "stage": d.stage,
            "status": d.status.value,
            "value": d.value.minor,
            "currency": d.value.currency,
            "owner": d.owner,
            "created_at": _iso(d.created_at),
            "closed_at": _iso(d.closed_at),
            "last_touch": _iso(d.last_touch),
            "origin_deal_id": d.origin_deal_id,
            "origin_kind": d.origin_kind.value if d.origin_kind else None,
            "referred_by": d.referred_by or None,
        }
        for d in detail.deals
    ]
    data["contacts"] = [
        {"id": c.id, "name": c.name, "contact_type": c.contact_type.value, "deals": c.deals}
        for c in detail.contacts
    ]
    data["objections"] = [
        {
            "id": o.id,
            "deal_id": o.deal_id,
            "category": o.category.value,
            "hidden": o.hidden,
            "text": o.text,
            "created_at": _iso(o.created_at),
        }
        for o in detail.objections
    ]
    data["lineage"] = [
        {
            "deal_id": s.deal_id,
            "title": s.title,
            "status": s.status.value,
            "depth": s.depth,
            "origin_kind": s.kind.value if s.kind else None,
            "outside": s.outside or None,
        }
        for s in detail.lineage
    ]
    data["referrals"] = [
        {
            "deal_id": r.deal_id,
            "title": r.title,
            "account": r.account,
            "status": r.status.value,
            "value": r.value.minor,
            "currency": r.value.currency,
        }
        for r in detail.referrals
    ]
    return data
