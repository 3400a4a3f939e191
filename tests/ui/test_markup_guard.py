"""A static guard: no code in `dealboard.ui` hands a string built from data to a markup reader.

Textual reads a plain `str` as markup in `notify`, `Static`, `Label`, `Button`,
`Option`, `Select` options and table cells, and shows titles and fields
unfiltered. The sweep in `test_hostile_text.py` proves today's screens safe;
this scan keeps tomorrow's code on the same path (`dealboard.ui.text`):

- `notify` is called directly only with a literal message and title; anything
  else goes through `notify_plain`;
- a widget, a `.update(...)`, a table row or a title is never given an
  f-string, a `+`/`%` concatenation or a `.format` of a literal;
- `Select` options are `choices(...)` or literal / enum-valued pairs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "src" / "dealboard" / "ui"
#: Where the helpers themselves live (and the themes, whose text comes from files we ship).
EXEMPT = {"text.py"}
#: Calls whose first argument Textual may read as markup.
MARKUP_READERS = {"Static", "Label", "Button", "Option", "Tab", "TabPane", "Checkbox", "update"}
#: Calls whose every positional argument Textual may read as markup.
ROW_READERS = {"add_row", "add_column", "add_columns"}
#: Attributes shown by Textual without filtering control characters.
SHOWN_ATTRIBUTES = {"title", "sub_title", "border_title", "border_subtitle", "tooltip", "label"}


def built_string(node: ast.expr) -> bool:
    """An expression that builds a `str` at run time (f-string, `+`, `%`, `.format`)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return any(
            built_string(side) or (isinstance(side, ast.Constant) and isinstance(side.value, str))
            for side in (node.left, node.right)
        )
    if isinstance(node, ast.IfExp):
        return built_string(node.body) or built_string(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(built_string(value) for value in node.values)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


def literal(node: ast.expr | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def name_of(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def safe_options(node: ast.expr) -> bool:
    """`choices(...)`, or pairs whose labels are literals or enum `.value`s."""
    if isinstance(node, ast.Call) and name_of(node) == "choices":
        return True
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        pairs = [node.elt]
    elif isinstance(node, ast.List | ast.Tuple):
        pairs = list(node.elts)
    else:
        return False
    return all(
        isinstance(pair, ast.Tuple)
        and (
            literal(pair.elts[0])
            or (isinstance(pair.elts[0], ast.Attribute) and pair.elts[0].attr == "value")
        )
        for pair in pairs
    )


def problems(source: str, filename: str = "<code>") -> list[str]:
    """Every place in `source` where data could reach Textual as markup or unfiltered."""
    found: list[str] = []

    def say(node: ast.AST, why: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', '?')}: {why}")

    tree = ast.parse(source)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "notify" and id(node) not in called:
            say(node, "notify passed on, not called: use notify_plain")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in SHOWN_ATTRIBUTES
                    and built_string(node.value)
                ):
                    say(node, f"a built string assigned to .{target.attr}: use dealboard.ui.text")
        if not isinstance(node, ast.Call):
            continue
        name = name_of(node)
        if name == "notify" and isinstance(node.func, ast.Attribute):
            title = next((k.value for k in node.keywords if k.arg == "title"), None)
            message = node.args[0] if node.args else None
            if not (literal(message) and message is not None and literal(title)):
                say(node, "notify with a non-literal message or title: use notify_plain")
        elif name in MARKUP_READERS and node.args and built_string(node.args[0]):
            say(node, f"a built string given to {name}: use plain / plain_line / fitted")
        elif name in ROW_READERS and any(built_string(arg) for arg in node.args):
            say(node, f"a built string given to {name}: cells are Text from dealboard.ui.text")
        elif name == "Select" and node.args and not safe_options(node.args[0]):
            say(node, "Select options not made by choices(...): labels would be markup")
    return found


def ui_modules() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name not in EXEMPT)


def test_no_ui_code_passes_built_strings_to_markup_readers() -> None:
    found = [
        problem
        for path in ui_modules()
        for problem in problems(path.read_text(), str(path.relative_to(UI)))
    ]
    assert found == []


@pytest.mark.parametrize(
    "code",
    [
        # The two crashes of issue 14, as they were written.
        'Select([(f"{p.display_name} ({p.name})", p.name) for p in people])',
        "choices = [(f'{p.display_name}', p.name) for p in people]\nSelect(choices)",
        'self.screen.notify(f"{deal.stage} has no exit criteria", markup=False)',
        "app.call_from_thread(app.notify, message, markup=False)",
        'self.notify("Copied", title=template.name)',
        'yield Static(f"Deal {deal.title}")',
        'label.update("Owner: " + owner)',
        'table.add_row(deal.id, f"{deal.title}")',
        'self.title = f"{pipeline.title} board"',
    ],
)
def test_the_guard_catches_markup_from_data(code: str) -> None:
    assert problems(code)


@pytest.mark.parametrize(
    "code",
    [
        'self.notify("Mark cards with space first", markup=False)',
        'notify_plain(self, f"{deal.title} → {stage}", title=deal.stage)',
        "Select([(c.value, c.value) for c in ObjectionCategory], allow_blank=False)",
        "Select(choices(people), allow_blank=False)",
        'yield Static(plain_line(f"Deal {deal.title}"))',
        'table.add_row(*cells, key="1")',
    ],
)
def test_the_guard_lets_plain_text_through(code: str) -> None:
    assert problems(code) == []
