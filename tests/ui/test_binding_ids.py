"""Keys are a public interface: each binding has its own id and says what it does."""

from __future__ import annotations

import re
from collections import Counter

from textual.binding import Binding

from dealboard.ui.app import DealboardApp
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.gate.closing import LostDialog
from dealboard.ui.help import HelpScreen
from dealboard.ui.keymap import binding_catalogue, every_binding

READABLE_ID = re.compile(r"^[a-z]+(-[a-z]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$")


def test_every_binding_has_a_unique_readable_id_and_a_description() -> None:
    bindings = list(every_binding())
    owners = {owner for owner, _ in bindings}
    assert {DealboardApp, BoardScreen, DealScreen, HelpScreen, LostDialog} <= owners
    for owner, binding in bindings:
        assert isinstance(binding, Binding), f"{owner.__name__}: {binding!r} is not a Binding"
        assert binding.id and READABLE_ID.match(binding.id), f"{owner.__name__}: {binding}"
        assert binding.description.strip(), f"{binding.id} has no description"
    counts = Counter(binding.id for _, binding in bindings if isinstance(binding, Binding))
    assert [name for name, count in counts.items() if count > 1] == []


def test_bindings_of_one_action_with_other_arguments_have_their_own_ids() -> None:
    catalogue = binding_catalogue()
    assert catalogue["board.move-on"][1].action == "move(1)"
    assert catalogue["board.move-back"][1].action == "move(-1)"
    assert catalogue["board.jump-3"][1].action == "jump(2)"
    assert catalogue["board.column-next"][1].action == "column(1)"
