"""The account read model and `dealboard account`: every deal of a customer, across pipelines."""

from __future__ import annotations

import json

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.money import Money
from dealboard.domain.repeat_deal import RepeatRequest
from dealboard.vocabulary import DealOrigin, StageKind
from test_agenda import statements
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def _acme(board: Board, clock: FixedClock) -> dict[str, int]:
    """Acme: won in USD and EUR, one lost, one open in another pipeline, a touch, an objection."""
    board.add_template("traditional")
    fleet = board.add_deal(
        DealFields(title="Fleet", value="48k", account="Acme Corp", contact="Dana Buyer")
    )
    board.win(fleet, override="signed")
    euro = board.add_deal(DealFields(title="EU fleet", value="EUR 10k", account="ACME  corp"))
    board.win(euro, override="signed")
    lost = board.add_deal(DealFields(title="Kiosks", value="5k", account="acme corp"))
    board.lose(lost, "price")
    clock.advance(days=2)
    renewal = board.start_repeat_deal(
        fleet, RepeatRequest("renewal", title="Renewal", value="20k", pipeline="traditional")
    )
    board.add_activity(renewal, kind="call", subject="Check-in", done=True)
    board.add_objection(renewal, category="cost", text="Too dear")
    board.add_deal(DealFields(title="Other", value="1k", account="Globex"))
    return {"fleet": fleet, "euro": euro, "lost": lost, "renewal": renewal}


def test_an_account_shows_every_deal_across_pipelines_and_lifetime_won_per_currency(
    board: Board, clock: FixedClock
) -> None:
    deals = _acme(board, clock)
    detail = board.account("  ACME corp ")
    summary = detail.summary
    assert summary.name == "Acme Corp"
    assert (summary.open_deals, summary.won_deals, summary.lost_deals) == (1, 2, 1)
    assert summary.won_value == (Money(4_800_000, "USD"), Money(1_000_000, "EUR"))
    assert summary.open_value == (Money(2_000_000, "USD"),)
    assert summary.last_touch == clock.now
    assert summary.open_objections == 1
    assert [d.id for d in detail.with_status(StageKind.OPEN)] == [deals["renewal"]]
    assert {d.id for d in detail.with_status(StageKind.WON)} == {deals["fleet"], deals["euro"]}
    assert [d.pipeline for d in detail.with_status(StageKind.OPEN)] == ["traditional"]
    assert set(detail.pipelines) == {"seven-step", "traditional"}
    assert [(c.name, c.deals) for c in detail.contacts] == [("Dana Buyer", 2)]
    assert [(o.deal_id, o.text) for o in detail.objections] == [(deals["renewal"], "Too dear")]
    assert [(s.deal_id, s.depth, s.kind) for s in detail.lineage] == [
        (deals["fleet"], 0, None),
        (deals["renewal"], 1, DealOrigin.RENEWAL),
    ]
    assert board.account(str(summary.id)) == detail


def test_the_list_sums_each_account_and_referrals_show_on_the_referrer(
    board: Board, clock: FixedClock
) -> None:
    deals = _acme(board, clock)
    accounts = {a.name: a for a in board.accounts()}
    assert list(accounts) == ["Acme Corp", "Globex"]
    assert accounts["Globex"].last_touch is None and accounts["Globex"].open_deals == 1
    referred = board.start_repeat_deal(
        deals["fleet"], RepeatRequest("referral", title="Initech pilot", account="Initech")
    )
    acme = board.account("Acme Corp")
    assert [(r.deal_id, r.account) for r in acme.referrals] == [(referred, "Initech")]
    initech = board.account("initech")
    assert initech.deals[0].referred_by == "Acme Corp"
    assert initech.lineage[0].outside == f"#{deals['fleet']} Fleet (Acme Corp)"


def test_reading_an_account_costs_the_same_queries_for_three_deals_or_thirty(
    board: Board,
) -> None:
    def cost(name: str, deals: int) -> int:
        for number in range(deals):
            deal = board.add_deal(DealFields(title=f"D{number}", account=name))
            board.add_activity(deal, kind="call", subject="Hi", done=True)
            board.add_objection(deal, category="cost", text="Dear")
        with statements(board) as sent:
            board.account(name)
        return len(sent)

    assert cost("Small", 3) == cost("Big", 30)
    with statements(board) as sent:
        board.accounts()
    listing = len(sent)
    board.add_deal(DealFields(title="More", account="Third"))
    with statements(board) as sent:
        board.accounts()
    assert len(sent) == listing


def test_an_unknown_account_is_one_line_naming_the_list(board: Board) -> None:
    with pytest.raises(NotFound, match="account list"):
        board.account("Nobody Inc")


def test_the_account_commands_print_tables_and_json(cli: Cli) -> None:  # noqa: F811
    cli("deal", "add", "--title", "Fleet", "--value", "48k", "--account", "Acme Corp")
    cli("win", "1", "--override", "signed")
    cli("deal", "add", "--title", "Renewal", "--value", "20k", "--account", "acme CORP")
    code, out, _ = cli("account", "list")
    assert code == 0 and "Acme Corp" in out and "$480k" not in out and "$48k" in out
    code, out, _ = cli("account", "list", "--format", "json")
    listed = json.loads(out)
    assert listed[0]["won_value"] == {"USD": 4_800_000} and listed[0]["open_deals"] == 1
    code, out, _ = cli("account", "show", "ACME corp")
    assert code == 0
    assert "lifetime    $48k won" in out and "Open (1)" in out and "Won (1)" in out
    code, out, _ = cli("account", "show", str(listed[0]["id"]), "--format", "json")
    shown = json.loads(out)
    assert [d["status"] for d in shown["deals"]] == ["open", "won"]
    assert shown["deals"][1]["title"] == "Fleet"
    code, _, err = cli("account", "show", "Nobody")
    assert code == 2 and err.count("\n") == 1 and "account" in err


def test_an_account_is_found_by_the_start_of_its_name_when_only_one_starts_so(
    board: Board,
) -> None:
    board.add_deal(DealFields(title="Campus", account="Westbrook University"))
    board.add_deal(DealFields(title="Kiosk", account="West_Coast 100%"))
    board.add_deal(DealFields(title="Pilot", account="Western Mills"))
    assert board.account("westbrook").summary.name == "Westbrook University"
    assert (
        board.account("West_").summary.name == "West_Coast 100%"
    )  # `_` is a letter, not a wildcard
    with pytest.raises(InvalidInput, match=r"several accounts .*Western Mills"):
        board.account("west")
    with pytest.raises(NotFound):
        board.account("W%")
    for odd in ("99999999999999999999", "²"):  # too big for an id, a digit but not a number
        with pytest.raises(NotFound):
            board.account(odd)
