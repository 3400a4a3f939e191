"""The app tunes the garbage collector, and its own full collections keep it running."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from pilot_helpers import settle, wait_until

from dealboard.domain.board import Board
from dealboard.ui import collector
from dealboard.ui.app import DealboardApp


@pytest.fixture
def collector_restored() -> Iterator[list[int]]:
    """Counts the full collections; puts the process's collector back as it was."""
    threshold = gc.get_threshold()
    full: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(counted)
    yield full
    gc.callbacks.remove(counted)
    gc.unfreeze()
    gc.set_threshold(*threshold)


async def test_the_app_outlives_its_own_full_collections(
    board: Board, collector_restored: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passing `gc.collect` to a timer ended the app with an AttributeError a minute in."""
    monkeypatch.setattr(collector, "FULL_COLLECTION_SECONDS", 0.05)
    app = DealboardApp(board, calm_collector=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0, what="the collector tuned")
        before = len(collector_restored)
        await wait_until(
            pilot, lambda: len(collector_restored) >= before + 2, what="two timed collections"
        )
        assert app.is_running and app.return_code is None
