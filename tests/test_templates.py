"""Stage templates filled in for a deal: every placeholder, the gaps left visible, never a crash."""

from __future__ import annotations

import pytest

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.demo import seed_demo
from dealboard.domain.errors import NotFound
from dealboard.domain.pipeline_spec import builtin_template_names, load_builtin
from dealboard.domain.templates import PLACEHOLDERS, deal_values, fill, render
from dealboard.vocabulary import StageKind, TemplateKind
from helpers import tick_all

EVERY_FIELD = DealFields(
    title="Fleet telematics",
    account="Harbor Freight",
    contact="Dana  Whitfield",
    value="12500",
    close_date="2026-12-15",
    next_step="Send the pilot plan",
    next_step_due="2026-11-26",
)


def _values(board: Board, fields: DealFields) -> dict[str, str]:
    deal_id = board.add_deal(fields)
    deal = next(d for d in board.list_deals() if d.id == deal_id)
    return deal_values(deal, "Maria Okafor")


def test_every_placeholder_is_filled_from_the_deal(board: Board) -> None:
    values = _values(board, EVERY_FIELD)
    body = " | ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    rendered = render("All", TemplateKind.SCRIPT, "", body, values)
    assert rendered.body == (
        "Fleet telematics | Harbor Freight | Dana Whitfield | Dana | maria | Maria Okafor"
        " | USD 12,500.00 | $12.5k | Prospect | Tuesday 15 December 2026"
        " | Send the pilot plan | Thursday 26 November 2026"
    )
    assert rendered.missing == () and rendered.unknown == () and rendered.missing_text() == ""


def test_a_missing_value_stays_visible_exactly_as_typed(board: Board) -> None:
    values = _values(board, DealFields(title="Kiosks", account="Acme"))
    rendered = render(
        "Intro",
        TemplateKind.EMAIL,
        "About {deal} for {contact}",
        "Hi {contact},\n\n{account} and {deal}: {next_step} on {next_step_due}. Hi {Contact}.",
        values,
    )
    assert rendered.subject == "About Kiosks for {contact}"
    assert rendered.body == (
        "Hi {contact},\n\nAcme and Kiosks: {next_step} on {next_step_due}. Hi {Contact}."
    )
    assert rendered.missing == ("contact", "next_step", "next_step_due")
    assert rendered.missing_text() == "3 fields missing: contact, next step, next step due"
    assert rendered.text == "Subject: About Kiosks for {contact}\n\n" + rendered.body


def test_a_zero_value_is_missing_not_nothing(board: Board) -> None:
    values = _values(board, DealFields(title="Free pilot"))
    rendered = render("x", TemplateKind.SCRIPT, "", "Worth {value} ({value_short})", values)
    assert rendered.body == "Worth {value} ({value_short})"
    assert rendered.missing_text() == "2 fields missing: value, value short"


def test_values_are_formatted_per_currency(board: Board) -> None:
    euros = _values(board, DealFields(title="Lyon", value="EUR 1200"))
    yen = _values(board, DealFields(title="Osaka", value="JPY 1500000"))
    assert (euros["value"], euros["value_short"]) == ("EUR 1,200.00", "€1.2k")
    assert (yen["value"], yen["value_short"]) == ("JPY 1,500,000", "¥1.5M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{literal}} and }}", "{literal} and }"),
        ("{{{deal}}}", "{Kiosks}"),
        ("{compnay} {deal.__class__} {0} {} { deal } {deal!r}", None),
        ("{ {{ } %s %(deal)s {__import__}", "{ { } %s %(deal)s {__import__}"),
        ("[bold]{deal}[/bold] [@click=app.quit]x[/]", "[bold]Kiosks[/bold] [@click=app.quit]x[/]"),
        ("", ""),
    ],
)
def test_braces_unknown_names_and_markup_stay_literal_and_never_raise(
    text: str, expected: str | None
) -> None:
    body, _missing, _unknown = fill(text, {"deal": "Kiosks"})
    assert body == (text if expected is None else expected)


def test_unknown_placeholders_are_reported_once_and_left_as_typed() -> None:
    rendered = render("x", TemplateKind.SCRIPT, "{compnay}", "{compnay} {Deal} {nope}", {})
    assert rendered.unknown == ("{compnay}", "{nope}")
    assert rendered.missing == ("deal",)
    assert rendered.body == "{compnay} {Deal} {nope}"


def test_a_value_is_inserted_literally_never_filled_again(board: Board) -> None:
    values = _values(board, DealFields(title="{contact} [b]x[/b]", contact="Dana"))
    rendered = render("x", TemplateKind.SCRIPT, "", "{deal} / {contact}", values)
    assert rendered.body == "{contact} [b]x[/b] / Dana"
    assert rendered.missing == ()


def test_a_script_copies_its_body_only() -> None:
    rendered = render("Call", TemplateKind.SCRIPT, "ignored", "Say hello", {})
    assert rendered.text == "Say hello"


def test_the_board_renders_the_templates_of_the_deals_current_stage(board: Board) -> None:
    deal_id = board.add_deal(EVERY_FIELD)
    found = board.stage_templates(deal_id)
    assert found.deal.id == deal_id and found.deal.stage == "Prospect"
    assert [(t.name, t.kind) for t in found.templates] == [
        ("First call", TemplateKind.SCRIPT),
        ("Intro email", TemplateKind.EMAIL),
    ]
    intro = found.templates[1]  # read from seven-step-intro.md beside the pipeline file
    assert intro.subject == "Harbor Freight and Fleet telematics: how we would work together"
    assert intro.body.startswith("Hi Dana,\n\nThanks for getting in touch. I'm maria,")
    assert "Would Thursday 26 November 2026 suit you" in intro.body
    assert intro.missing == () and intro.unknown == ()
    tick_all(board, deal_id, "Prospect")
    board.move(deal_id, "Qualify")
    assert [t.name for t in board.stage_templates(f"#{deal_id}").templates] == [
        "BANT discovery call"
    ]
    board.win(deal_id, override="signed early")
    assert board.stage_templates(deal_id).templates == ()
    with pytest.raises(NotFound):
        board.stage_templates(9999)


def test_me_is_the_acting_users_display_name(board: Board) -> None:
    board.add_user("dana", "Dana Whitfield", "rep")
    deal_id = board.add_deal(DealFields(title="x"))
    as_dana = Board(Database(board.database.url), "dana", board.clock)
    try:
        intro = as_dana.stage_templates(deal_id).templates[1]
    finally:
        as_dana.database.dispose()
    assert "I'm Dana Whitfield," in intro.body


def test_shipped_templates_use_only_known_placeholders() -> None:
    for name in builtin_template_names():
        spec = load_builtin(name)
        open_stages = [s for s in spec.stages if s.kind is StageKind.OPEN]
        assert sum(len(s.templates) for s in open_stages) >= 5, name
        for stage in spec.stages:
            for template in stage.templates:
                for text in (template.subject, template.body):
                    _body, _missing, unknown = fill(text, {})
                    assert unknown == [], (name, stage.name, template.name)


def test_shipped_templates_render_for_the_demo_deals(board: Board) -> None:
    seed_demo(board, "seven-step")
    rendered = 0
    for deal in board.list_deals():
        found = board.stage_templates(deal.id)
        assert found.templates, deal.stage
        for template in found.templates:
            assert template.unknown == ()
            if deal.account:
                assert deal.account in template.text or "{account}" not in template.text
            rendered += 1
    assert rendered > 20
