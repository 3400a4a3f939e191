"""`dealboard playbook`: the process written down for a new hire, or cut down for a buyer."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db import migrate
from dealboard.domain.board import Board, open_board
from dealboard.domain.errors import InvalidInput
from dealboard.domain.pipeline_spec import (
    builtin_template_names,
    load_builtin,
    parse_pipeline_toml,
    to_toml,
)
from dealboard.domain.playbook import Audience
from dealboard.domain.playbook_html import playbook_html
from dealboard.domain.playbook_markdown import playbook_markdown
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS, StageKind

OPEN_STAGES = [
    "Prospect", "Qualify", "Research", "Pitch", "Overcome Objections", "Close", "Follow-up",
]  # fmt: skip

HOSTILE = """
name = "hostile"
title = "Hostile <b>process</b>"
description = "Tom & Jerry's <i>way</i>"
[sla]
speed_to_lead_minutes = 60
follow_up_attempts = 3
follow_up_days = 7
[[stages]]
name = "Talk <img src=x>"
kind = "open"
purpose = "Say \\"hi\\" & <script>alert('purpose')</script>"
probability = 50
criteria = ["<script>alert('criterion')</script>", { text = "Budget <known>", bant = "budget" }]
[[stages.templates]]
name = "Opener </blockquote>"
kind = "email"
subject = "About {deal} <now>"
body = "Hi {contact_first},\\n<script>alert('body')</script>\\n{me}"
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""


class TagBalance(HTMLParser):
    """Collects elements, including any `<script>` the page should never contain."""

    VOID = frozenset({"meta", "br", "img", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unexpected </{tag}>")


def parsed(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.open == [], (parser.problems, parser.open)
    return parser


def run(board: Board, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    url = board.database.url.render_as_string(hide_password=False)
    code = main(["--db", url, "--as", "maria", "playbook", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_team_playbook_has_every_stage_in_order_with_its_work(
    board: Board, capsys: pytest.CaptureFixture[str]
) -> None:
    code, page, err = run(board, capsys)
    assert (code, err) == (0, "")
    headings = re.findall(r"^## \d+\. (.+)$", page, flags=re.MULTILINE)
    assert headings == OPEN_STAGES
    qualify = page.split("## 2. Qualify", 1)[1].split("## 3. Research", 1)[0]
    assert "Contact the lead and learn whether there is a real opportunity" in qualify
    assert "- **Win probability:** 10%" in qualify
    assert "- **Gone quiet after:** 14 days without activity" in qualify
    assert "- [ ] Budget confirmed *(BANT: budget)*" in qualify
    assert "- [ ] Timing known *(BANT: timing)*" in qualify
    assert "### BANT discovery call (call script)" in qualify
    assert '> Open: "Thanks for making time, {contact_first}.' in qualify
    prospect = page.split("## 1. Prospect", 1)[1].split("## 2. Qualify", 1)[0]
    assert "- **Cadence:** 5 attempts within 14 days" in prospect
    assert "### Intro email (email)" in prospect
    assert "Subject: {account} and {deal}: how we would work together" in prospect
    assert "- Speed to lead: a new lead is contacted within 5 minutes of arriving." in page
    assert "- Follow-up: a new lead gets 5 attempts within 14 days before it may be marked" in page
    assert "| 5 | Overcome Objections | 60% | 21 days | - | 2 |" in page
    assert "A manager may override the gate with a reason; the override is recorded" in page
    assert "- **Won** (won): They buy from us." in page
    for reason in CHOOSABLE_LOSS_REASONS:
        assert f"- `{reason.value}`: " in page


def test_a_buyer_gets_the_steps_and_nothing_internal(board: Board) -> None:
    playbook = board.playbook(audience="buyer")
    assert [s.name for s in playbook.stages] == OPEN_STAGES
    assert all(s.purpose and s.criteria for s in playbook.stages)
    assert all(
        s.probability is None and s.rot_days is None and s.cadence is None and not s.templates
        for s in playbook.stages
    )
    assert all(c.bant is None for s in playbook.stages for c in s.criteria)
    assert playbook.closed == () and playbook.loss_reasons == () and playbook.rules == ()
    assert playbook.speed_to_lead_minutes is None and playbook.follow_up is None
    for page in (playbook_markdown(playbook), playbook_html(playbook).split("</style>")[1]):
        assert "Budget confirmed" in page and "Overcome Objections" in page
        for internal in (
            "Speed to lead", "attempts", "%", "BANT: ", "Template", "First call",
            "{contact", "Loss reasons", "no-decision", "override", "quiet",
        ):  # fmt: skip
            assert internal not in page, internal


def test_the_html_page_stands_alone_and_escapes_what_the_file_says(board: Board) -> None:
    board.import_pipeline(parse_pipeline_toml(HOSTILE))
    for audience in Audience:
        page = playbook_html(board.playbook("hostile", audience))
        elements = parsed(page).seen
        assert "script" not in elements and "img" not in elements and "b" not in elements
        assert "&lt;script&gt;alert(&#x27;criterion&#x27;)&lt;/script&gt;" in page
        assert "Say &quot;hi&quot; &amp; &lt;script&gt;" in page
        assert "Talk &lt;img src=x&gt;" in page
        assert "<link" not in page and "src=" not in page.replace("src=x&gt;", "")
        assert "<style>" in page, "inline CSS, nothing fetched"
    team = playbook_html(board.playbook("hostile"))
    assert "Hi {contact_first},\n&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;\n{me}" in team
    assert "Subject: About {deal} &lt;now&gt;" in team
    assert "(BANT: budget)" in team
    assert "within 1 hour of arriving" in team and "3 attempts within 7 days" in team
    assert "@media print" in team


def test_markdown_shows_what_the_file_says_as_text(board: Board) -> None:
    board.import_pipeline(parse_pipeline_toml(HOSTILE))
    page = playbook_markdown(board.playbook("hostile"))
    assert "# Playbook: Hostile \\<b\\>process\\</b\\>" in page
    assert "- [ ] \\<script\\>alert('criterion')\\</script\\> " not in page
    assert "- [ ] \\<script\\>alert('criterion')\\</script\\>" in page
    assert "> Hi {contact_first}," in page and "> {me}" in page
    assert "<script>" not in page


@pytest.mark.parametrize("name", builtin_template_names())
def test_every_shipped_pipeline_renders_for_both_audiences(board: Board, name: str) -> None:
    board.add_template(name)
    spec = load_builtin(name)
    open_names = [s.name for s in spec.stages if s.kind is StageKind.OPEN]
    for audience in Audience:
        playbook = board.playbook(name, audience)
        assert [s.name for s in playbook.stages] == open_names
        assert all(s.purpose for s in playbook.stages), "every shipped stage says what it is for"
        markdown = playbook_markdown(playbook)
        headings = re.findall(r"^## \d+\. (.+)$", markdown, flags=re.MULTILINE)
        assert headings == open_names
        parsed(playbook_html(playbook))
    team = board.playbook(name)
    assert {s.name for s in team.closed} == {
        s.name for s in spec.stages if s.kind is not StageKind.OPEN
    }
    assert [[t.name for t in s.templates] for s in team.stages] == [
        [t.name for t in s.templates] for s in spec.stages if s.kind is StageKind.OPEN
    ]


def test_cli_formats_audiences_and_refusals(
    board: Board, capsys: pytest.CaptureFixture[str]
) -> None:
    code, page, err = run(board, capsys, "--format", "html", "--for", "buyer")
    assert (code, err) == (0, "")
    assert page.startswith("<!DOCTYPE html>") and "How we work together" in page
    code, out, err = run(board, capsys, "--pipeline", "nope")
    assert (code, out) == (2, "")
    assert err == "dealboard: pipeline: no pipeline 'nope'; pipelines: seven-step\n"
    code, out, err = run(board, capsys, "--for", "boss")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "invalid choice: 'boss'" in err


def test_the_domain_refuses_an_unknown_audience(board: Board) -> None:
    with pytest.raises(InvalidInput, match="for: 'boss' is not accepted; use one of team, buyer"):
        board.playbook(audience="boss")


def test_purpose_round_trips_through_the_file_and_the_board(board: Board) -> None:
    for name in builtin_template_names():
        board.add_template(name)
        assert board.export_pipeline(name) == load_builtin(name)
    changed = to_toml(load_builtin("milestones")).replace(
        'purpose = "Make the formal offer to sell, with the quote."',
        'purpose = "Send the offer."',
    )
    board.import_pipeline(parse_pipeline_toml(changed))
    propose = next(s for s in board.playbook("milestones").stages if s.name == "Propose")
    assert propose.purpose == "Send the offer."
    assert [
        (e.field, e.old_value, e.new_value) for e in board.log() if e.field.endswith("purpose")
    ] == [("Propose.purpose", "Make the formal offer to sell, with the quote.", "Send the offer.")]


def test_a_purpose_with_control_characters_is_refused_by_key() -> None:
    broken = HOSTILE.replace('purpose = "Say', 'purpose = "\\u001b[31mSay')
    with pytest.raises(InvalidInput, match=re.escape("stages[1].purpose")):
        parse_pipeline_toml(broken)


def test_a_board_from_before_purposes_shows_the_gap(empty_db_url: URL) -> None:
    open_board(empty_db_url, "maria", create=True).database.dispose()
    migrate.downgrade(empty_db_url, "0003")
    opened = open_board(empty_db_url, "maria")  # upgraded again: stages get an empty purpose
    try:
        playbook = opened.playbook()
    finally:
        opened.database.dispose()
    assert {s.purpose for s in playbook.stages} == {""}
    assert "*No purpose written yet.*" in playbook_markdown(playbook)
