"""Themes from TOML files: the ones dealboard ships and any a user drops in their config folder.

Textual has no theme file loader. Every value is checked before Textual sees
it, so a typo in a user's file is one line naming the file and the key, and
that theme is skipped; the board never fails to start over a theme.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from platformdirs import user_data_path
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_BORDER, VALID_STYLE_FLAGS
from textual.theme import Theme

from dealboard.resources import ResourceMissing, themes_folder
from dealboard.settings import config_folder, shown

DEFAULT_THEME = "dealboard-dark"
#: Used without asking when the terminal cannot show colour (see `theme_choice`).
MONO_THEME = "mono"

#: The board's own theme variables beyond Textual's; any theme may set them.
#: Defaults are dealboard-dark's, so a theme that leaves one out still works.
THEME_VARIABLE_DEFAULTS = {
    "stage-won": "#5CC98B",
    "stage-lost": "#F06A6A",
    "card-overdue": "#F06A6A",
    "card-objection": "#F5B841",
    # The line between columns: a Textual border type and its colour.
    "column-rule": "vkey",
    "column-rule-color": "#252B36",
    # The header of the column the keyboard is in, and its selected card (default:
    # the theme's primary at 40% and 35%).
    "focus-background": "#4EA1F366",
    "card-selected-background": "#4EA1F359",
    # Text styles that carry meaning when colour cannot (the mono theme).
    "focus-style": "none",
    "late-style": "bold",
    "stale-style": "none",
}
_BORDER_VARIABLES = {"column-rule"}
_STYLE_VARIABLES = {"focus-style", "late-style", "stale-style"}

_COLOUR_FIELDS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "boost", "success", "warning", "error",
)  # fmt: skip
_NUMBER_FIELDS = ("luminosity_spread", "text_alpha")
_FLAG_FIELDS = ("dark", "ansi")
_KEYS = {"name", "variables", *_COLOUR_FIELDS, *_NUMBER_FIELDS, *_FLAG_FIELDS}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_ALPHA = re.compile(r"\s+\d{1,3}(?:\.\d+)?%\Z")


@dataclass(frozen=True)
class ThemeProblem:
    """A theme file that could not be used, and why (shown once as a notification)."""

    path: Path
    reason: str

    @property
    def message(self) -> str:
        """One line: the file, then what is wrong with it."""
        return f"{shown(self.path)}: {self.reason}"


@dataclass
class ThemeCatalog:
    """Every usable theme by name (shipped first, then the user's) and the files refused."""

    themes: dict[str, Theme] = field(default_factory=dict)
    problems: list[ThemeProblem] = field(default_factory=list)


def user_themes_folder() -> Path:
    """Where a person puts their own theme files (`~/.config/dealboard/themes` on Linux)."""
    return config_folder() / "themes"


def legacy_themes_folder() -> Path:
    """Where user themes lived before they moved to the config folder; still read."""
    return user_data_path("dealboard", appauthor=False) / "themes"


def load_themes() -> ThemeCatalog:
    """Every usable theme; a user's file with a shipped theme's name replaces it."""
    catalog = ThemeCatalog()
    try:
        folders = [themes_folder()]
    except ResourceMissing as missing:
        catalog.problems.append(ThemeProblem(Path("themes"), str(missing)))
        folders = []
    folders += [legacy_themes_folder(), user_themes_folder()]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except ValueError as error:
                catalog.problems.append(ThemeProblem(path, str(error)))
                continue
            catalog.themes[theme.name] = theme
    return catalog


#: A shipped theme is under 2 KB; anything this big is not a theme, and is refused unread.
MAX_THEME_BYTES = 64_000


def theme_from_file(path: Path) -> Theme:
    """One theme file as a Textual theme; ValueError says what is wrong, key first."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_THEME_BYTES + 1)
        if len(raw) > MAX_THEME_BYTES:
            raise ValueError(f"over {MAX_THEME_BYTES:,} bytes; a theme is a few dozen lines")
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML: {error}") from None
    except RecursionError:
        raise ValueError("not a theme: nested too deeply") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValueError(f"{unknown[0]}: not a theme setting (see the shipped themes for the keys)")
    fields: dict[str, Any] = {"name": data.get("name", path.stem)}
    if not isinstance(fields["name"], str) or not _NAME.match(fields["name"]):
        raise ValueError(f"name: {fields['name']!r} may hold only letters, digits, - and _")
    if "primary" not in data:
        raise ValueError("primary: missing (every theme needs a primary colour)")
    for key in _COLOUR_FIELDS:
        if key in data:
            fields[key] = _colour(key, data[key], alpha=False)
    for key in _FLAG_FIELDS:
        if key in data:
            if not isinstance(data[key], bool):
                raise ValueError(f"{key}: {data[key]!r} is not true or false")
            fields[key] = data[key]
    for key in _NUMBER_FIELDS:
        if key in data:
            if not isinstance(data[key], int | float) or isinstance(data[key], bool):
                raise ValueError(f"{key}: {data[key]!r} is not a number")
            fields[key] = float(data[key])
    fields["variables"] = _variables(data.get("variables", {}))
    theme = Theme(**fields)
    try:
        theme.to_color_system().generate()
    except Exception as error:  # Textual's own checks, whatever they raise
        raise ValueError(f"Textual cannot use it: {error}") from None
    return theme


def _variables(table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ValueError("variables: must be a table, like [variables]")
    known = _textual_variable_kinds()
    variables = {}
    for name, value in table.items():
        key = f"variables.{name}"
        if not isinstance(value, str):
            raise ValueError(f"{key}: {value!r} is not a string in quotes")
        if name in _BORDER_VARIABLES:
            if value not in VALID_BORDER:
                raise ValueError(f"{key}: {value!r} is not a border type (try vkey, heavy, thick)")
        elif name in _STYLE_VARIABLES or known.get(name) == "style":
            _text_style(key, value)
        elif name in THEME_VARIABLE_DEFAULTS or known.get(name) == "colour":
            _colour(key, value, alpha=True)
        elif name not in known:
            raise ValueError(f"{key}: no such variable (a typo?)")
        variables[name] = value
    return variables


def _colour(key: str, value: object, *, alpha: bool) -> str:
    """`value` if Textual can parse it as a colour; a variable may also be `auto 87%`, `initial`."""
    if not isinstance(value, str):
        raise ValueError(f'{key}: {value!r} is not a colour in quotes, like "#0047AB"')
    colour = _ALPHA.sub("", value) if alpha else value
    if alpha and colour in {"auto", "initial"}:
        return value
    try:
        Color.parse(colour)
    except ColorParseError as error:
        hint = f" (did you mean {error.suggested_color!r}?)" if error.suggested_color else ""
        raise ValueError(f"{key}: {value!r} is not a colour{hint}") from None
    return value


def _text_style(key: str, value: str) -> None:
    words = value.split()
    if not words or any(word not in VALID_STYLE_FLAGS for word in words):
        raise ValueError(f"{key}: {value!r} is not a text style (try bold, underline, reverse)")


@cache
def _textual_variable_kinds() -> dict[str, str]:
    """Textual's own theme variables, each a "colour" or a text "style"."""
    generated = Theme(name="probe", primary="#000000").to_color_system().generate()
    return {name: "style" if "-style" in name else "colour" for name in generated}


def theme_variable_defaults(theme: Theme) -> dict[str, str]:
    """The board's variables for `theme`, those it leaves out derived from its own colours."""
    colours = theme.to_color_system().generate()
    primary = Color.parse(colours["primary"])
    return {
        **THEME_VARIABLE_DEFAULTS,
        "column-rule-color": colours["panel"],
        "focus-background": primary.with_alpha(0.4).hex,
        "card-selected-background": primary.with_alpha(0.35).hex,
    }
