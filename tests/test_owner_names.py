"""People are found the way people name them: a login or a display name, in any case.

Everywhere an owner or a user is named (deal add and edit, reassign, agenda,
log, report filters) the same lookup answers: the login, else the display
name, else the one person whose login or name starts with what was typed. A
name two people share is refused listing both; a wrong one lists everyone it
could have meant. `--as` stays logins only. Logins the importer makes follow
one rule, whatever the case of the cell.
"""

from __future__ import annotations

import json

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.users import login_from_name
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name
from test_import_csv import Desk, desk  # noqa: F401 - the fixture is used by name


@pytest.fixture
def team(board: Board) -> Board:
    """maria (the manager, named by login only), two Marias more, and Rick."""
    board.add_user("mlopez", "Maria Lopez")
    board.add_user("mgarcia", "Maria Garcia")
    board.add_user("rick", "Rick Sanchez")
    return board


def owner_of(board: Board, owner: str) -> str:
    return board.deal(board.add_deal(DealFields(title="Deal", owner=owner))).summary.owner


@pytest.mark.parametrize(
    ("typed", "login"),
    [
        ("Maria Lopez", "mlopez"),
        ("  maria   LOPEZ ", "mlopez"),
        ("MLOPEZ", "mlopez"),
        ("Maria", "maria"),  # a login comes first
        ("Rick S", "rick"),  # the one person whose name starts so
        ("mg", "mgarcia"),
    ],
)
def test_an_owner_is_a_login_or_a_display_name(team: Board, typed: str, login: str) -> None:
    assert owner_of(team, typed) == login


def test_a_name_matching_several_people_is_refused_naming_each(team: Board) -> None:
    with pytest.raises(InvalidInput) as refused:
        owner_of(team, "m")
    assert str(refused.value) == (
        "owner: 'm' is not accepted; 3 people match; use one of "
        "maria, mgarcia (Maria Garcia), mlopez (Maria Lopez)"
    )
    team.add_user("mlopez2", "Maria Lopez")
    with pytest.raises(InvalidInput, match="2 people have that name; use a login: "):
        owner_of(team, "maria lopez")
    with pytest.raises(InvalidInput) as refused:
        owner_of(team, "maria lopez")
    assert str(refused.value).endswith("mlopez (Maria Lopez), mlopez2 (Maria Lopez)")


def test_every_match_is_listed_not_only_the_first_twelve(board: Board) -> None:
    for number in range(1, 16):
        board.add_user(f"rep{number:02}", f"Sales Rep {number}")
    assert owner_of(board, "sales rep 1") == "rep01"  # a whole name is no mere start
    with pytest.raises(InvalidInput) as refused:
        owner_of(board, "Sales Rep")
    listed = ", ".join(f"rep{n:02} (Sales Rep {n})" for n in range(1, 16))
    assert str(refused.value).endswith(f"15 people match; use one of {listed}")


def test_a_wrong_name_lists_whom_it_could_mean_else_the_team(team: Board) -> None:
    with pytest.raises(NotFound) as refused:
        owner_of(team, "Mria Lopez")
    assert str(refused.value) == ("owner: no owner 'Mria Lopez'; did you mean mlopez (Maria Lopez)")
    with pytest.raises(NotFound) as refused:
        owner_of(team, "ghost")
    assert str(refused.value) == (
        "owner: no owner 'ghost'; known users: maria, mgarcia (Maria Garcia), "
        "mlopez (Maria Lopez), rick (Rick Sanchez)"
    )


def test_a_long_team_is_cut_with_how_many_more(board: Board) -> None:
    for number in range(40):
        board.add_user(f"user{number:02}")
    with pytest.raises(NotFound) as refused:
        owner_of(board, "ghost")
    message = str(refused.value)
    assert "user29" not in message
    assert message.endswith("user28 … and 11 more (dealboard user list)")


def test_the_command_line_takes_display_names_everywhere_an_owner_is_named(
    cli: Cli,  # noqa: F811
    team: Board,
) -> None:
    code, out, err = cli("deal", "add", "--title", "Fleet", "--owner", "Maria Lopez")
    assert (code, err) == (0, "")
    deal_id = out.strip().split()[-1].lstrip("#")
    assert team.deal(deal_id).summary.owner == "mlopez"
    assert cli("deal", "edit", deal_id, "--owner", "rick sanchez")[0] == 0
    assert team.deal(deal_id).summary.owner == "rick"
    code, out, _ = cli("deal", "list", "--owner", "Rick Sanchez", "--format", "json")
    assert code == 0 and [d["owner"] for d in json.loads(out)] == ["rick"]
    code, out, _ = cli("reassign", "--from", "Rick Sanchez", "--to", "Maria Garcia")
    assert code == 0 and team.deal(deal_id).summary.owner == "mgarcia"
    code, out, _ = cli("report", "funnel", "--owner", "maria garcia", "--format", "json")
    assert code == 0 and json.loads(out)["owner"] == "mgarcia"
    assert cli("agenda", "--user", "Maria Garcia")[0] == 0
    assert cli("log", "--user", "Maria Garcia")[0] == 0
    code, out, err = cli("deal", "add", "--title", "X", "--owner", "Maria")
    assert code == 0 and team.deal(out.strip().split()[-1].lstrip("#")).summary.owner == "maria"


def test_as_takes_a_login_only_and_says_which(cli: Cli, team: Board) -> None:  # noqa: F811
    code, out, err = cli("--as", "Maria Lopez", "deal", "list")
    assert (code, out) == (2, "")
    assert err == (
        "dealboard: user: no user 'Maria Lopez'; a login is needed here: mlopez (Maria Lopez)\n"
    )
    assert cli("--as", "mlopez", "deal", "list")[0] == 0


@pytest.mark.parametrize(
    ("name", "login"),
    [
        ("Dinesh", "dinesh"),
        ("Richard Hendricks", "richard.hendricks"),
        ("GILFOYLE", "gilfoyle"),
        ("José Núñez", "jose.nunez"),
        ("Jared  Dunn ", "jared.dunn"),
        ("Big-Head@Hooli.com", "big-head@hooli.com"),
        ("-Erlich Bachman-", "erlich.bachman-"),
        ("李", ""),
    ],
)
def test_a_login_made_from_a_name_follows_one_rule(name: str, login: str) -> None:
    assert login_from_name(name) == login


def test_the_importer_makes_logins_by_that_one_rule(desk: Desk) -> None:  # noqa: F811
    desk.board.add_user("Monica")  # a login someone already has, in their own case
    _, out = desk.imported(
        "Title,Owner\nA,Dinesh\nB,Richard Hendricks\nC,GILFOYLE\nD,monica\nE,dinesh\n"
    )
    assert "new users (reps): dinesh (Dinesh), richard.hendricks (Richard Hendricks), " in out
    assert [d["owner"] for d in desk.deals()] == [
        "dinesh",
        "richard.hendricks",
        "gilfoyle",
        "Monica",
        "dinesh",
    ]
    shown = {u.name: u.display_name for u in desk.board.users()}
    assert shown["gilfoyle"] == "GILFOYLE" and shown["dinesh"] == "Dinesh"
