"""A moved deal on the stand-up's first page: at any width the final stage of its route is
shown whole (the title gives way first, then the route goes under it, then its middle stages
become `…`), and what the move skipped or overrode is spelt out in words."""

from __future__ import annotations

from dealboard.ui.standup.entry import Line, Mark, entry, packed, route

SEVEN = ("Prospect", "Qualify", "Research", "Pitch", "Overcome Objections", "Close")
LONG = "Route optimisation for last-mile delivery vans across three depots"


def _shown(lines: list[Line]) -> list[str]:
    return ["".join(str(part) for part, _ in line) for line in lines]


def test_a_route_too_long_keeps_its_first_and_final_stages_and_elides_the_middle() -> None:
    assert route(SEVEN, 100) == " → ".join(SEVEN)
    assert route(SEVEN, 50) == "Prospect → … → Pitch → Overcome Objections → Close"
    assert route(SEVEN, 25) == "Prospect → … → Close"
    assert route(("Qualify", "Overcome Objections"), 25) == "Qu… → Overcome Objections"
    assert route(("Qualify", "Overcome Objections"), 19) == "Overcome Objections"


def test_a_short_entry_stays_on_one_line_and_a_long_title_gives_way_first() -> None:
    head = ("  moved  ", "stage")
    assert _shown(entry(head, "Plain", "", 76, stages=("Prospect", "Qualify"))) == [
        "  moved  Plain  ·  Prospect → Qualify"
    ]
    assert _shown(entry(head, LONG, "", 76, stages=("Pitch", "Overcome Objections"))) == [
        "  moved  Route optimisation for last-mile d…  ·  Pitch → Overcome Objections"
    ]


def test_a_long_route_goes_under_the_title_whole_and_the_marks_follow_in_words() -> None:
    lines = _shown(
        entry(
            ("  moved  ", "stage"),
            LONG,
            "",
            76,
            stages=SEVEN[:5],
            note="(skipped Research)",
            marks=[Mark('⚠ override: "the buyer wants a quote today"', "warn")],
        )
    )
    assert lines == [
        f"  moved  {LONG}",
        "         Prospect → Qualify → Research → Pitch → Overcome Objections",
        '         (skipped Research)  ·  ⚠ override: "the buyer wants a quote today"',
    ]
    assert all(len(line) <= 76 for line in lines)


def test_reasons_wrap_whole_onto_the_next_line_rather_than_being_cut() -> None:
    parts = [("Overcome Objections", "stage"), ("Research → Pitch → Overcome Objections", "")]
    parts.append(("late 3d: send the quote", "bad"))
    assert _shown(packed(parts, 76, indent=2)) == [
        "Overcome Objections  ·  Research → Pitch → Overcome Objections",
        "  late 3d: send the quote",
    ]
