"""`dealboard standup` on a terminal: the board app, opened straight into stand-up mode."""

from __future__ import annotations

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.standup.screen import StandupScreen


class StandupApp(DealboardApp):
    """The usual board, with the stand-up on top of it; leaving the stand-up shows the board."""

    def __init__(
        self,
        board: Board,
        *,
        pipeline: str | None = None,
        since: str | None = None,
        target: str | None = None,
        theme: str | None = None,
        calm_collector: bool = False,
    ) -> None:
        super().__init__(board, pipeline=pipeline, theme=theme, calm_collector=calm_collector)
        self.standup_pipeline = pipeline
        self.standup_since = since
        #: The monthly target of this session (`t` in stand-up mode changes it).
        self.standup_target = target

    def on_ready(self) -> None:
        self.push_screen(
            StandupScreen(self.standup_pipeline, self.standup_since, self.standup_target)
        )
