"""Themes from TOML files: the shipped ones and any the user drops in their data folder.

Textual has no theme file loader. A file that does not parse or misses a key is
reported and skipped; the board never fails to start over a theme.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path
from textual.theme import Theme

from dealboard.resources import themes_folder

DEFAULT_THEME = "dealboard-dark"
#: Colours the board's CSS uses beyond Textual's own; any theme may set them.
THEME_VARIABLE_DEFAULTS = {
    "stage-won": "#5CC98B",
    "stage-lost": "#F06A6A",
    "card-overdue": "#F06A6A",
    "card-objection": "#F5B841",
}
_THEME_KEYS = {
    "name", "dark", "primary", "secondary", "accent", "foreground", "background",
    "surface", "panel", "success", "warning", "error", "variables",
}  # fmt: skip


@dataclass(frozen=True)
class ThemeProblem:
    """A theme file that could not be used, and why (shown once as a notification)."""

    path: Path
    reason: str


def user_themes_folder() -> Path:
    """Where a team puts its own theme files."""
    return user_data_path("dealboard", appauthor=False) / "themes"


def load_themes() -> tuple[list[Theme], list[ThemeProblem]]:
    """Every usable theme, shipped first; later files of the same name win."""
    themes: dict[str, Theme] = {}
    problems: list[ThemeProblem] = []
    for folder in (themes_folder(), user_themes_folder()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except (OSError, ValueError, TypeError) as error:
                problems.append(ThemeProblem(path, str(error)))
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


def theme_from_file(path: Path) -> Theme:
    """One theme file as a Textual theme; ValueError names the bad key."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = sorted(set(data) - _THEME_KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    for key in ("name", "primary"):
        if not isinstance(data.get(key), str):
            raise ValueError(f"{key!r} must be a string")
    variables = data.pop("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ValueError("'variables' must map names to colour strings")
    return Theme(variables={str(k): v for k, v in variables.items()}, **data)
