"""Which theme the board starts in, and wiring dealboard's themes into a Textual app.

The rule, in order:

1. `--theme NAME` on the command line: this run only, never saved.
2. A terminal that cannot show colour well (a *low-colour* one): `NO_COLOR`
   set to anything non-empty, or a terminal Textual will drive with 16
   colours or fewer. Textual decides that from `TEXTUAL_COLOR_SYSTEM`,
   `COLORTERM` and `TERM`: `COLORTERM=truecolor` (or `24bit`) or a `TERM`
   ending in `-256color` means colour; `TERM=linux`, `xterm`, `screen` or
   `vt100` without `COLORTERM` means 16 colours. Here the theme last picked
   in the palette *in such a terminal* is used (`low_colour_theme` in
   settings.toml), else `mono`.
3. Otherwise the theme last picked in the palette in a colour terminal
   (`theme` in settings.toml), else `dealboard-dark`.

A palette choice is saved under the key for the kind of terminal it was made
in, so picking `projector` at the office does not turn the Linux console
into a 16-colour projector, and picking a colour theme once in a 16-colour
PuTTY is remembered there.
"""

from __future__ import annotations

import io
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rich.console import Console
from textual.app import App

from dealboard.settings import Settings, SettingsError, read_settings
from dealboard.ui.themes import DEFAULT_THEME, MONO_THEME, load_themes

#: Rich's names for colour systems with 16 colours or fewer (None: no colour at all).
_FEW_COLOURS = {None, "standard", "windows"}
_COLOUR_SYSTEMS = {"standard", "256", "truecolor", "windows"}


@dataclass(frozen=True)
class ThemeStart:
    """How the app's themes were set up."""

    #: One-line reasons a theme file or the settings were not used.
    problems: list[str]
    #: The settings key a palette choice is saved under in this terminal.
    settings_key: str


def why_low_colour(environ: Mapping[str, str]) -> str | None:
    """Why this terminal counts as low-colour, or None when it shows colour well."""
    if environ.get("NO_COLOR", ""):
        return "NO_COLOR is set"
    wanted = environ.get("TEXTUAL_COLOR_SYSTEM", "auto")
    console = Console(  # the same detection Textual's own console makes
        force_terminal=True,
        color_system=wanted if wanted in _COLOUR_SYSTEMS else "auto",
        file=io.StringIO(),
        _environ=dict(environ),
    )
    if console.color_system in _FEW_COLOURS:
        return f"TERM={environ.get('TERM') or 'unset'} shows 16 colours or fewer"
    return None


def settings_key(environ: Mapping[str, str]) -> str:
    """Where the palette's choice is remembered for a terminal like this one."""
    return "low_colour_theme" if why_low_colour(environ) else "theme"


def starting_theme(
    available: Collection[str],
    *,
    requested: str | None,
    settings: Settings,
    environ: Mapping[str, str],
) -> str:
    """The theme to open with (the module's rule); `requested` must be available."""
    if requested is not None:
        return requested
    if settings_key(environ) == "low_colour_theme":
        saved, fallback = settings.low_colour_theme, MONO_THEME
    else:
        saved, fallback = settings.theme, DEFAULT_THEME
    for name in (saved, fallback, DEFAULT_THEME):
        if name in available:
            return name
    return next(iter(available))


def theme_names() -> list[str]:
    """Every theme a user can name with `--theme`, sorted."""
    return sorted(load_themes().themes)


def install_themes(app: App, requested: str | None = None) -> ThemeStart:
    """Offer only dealboard's themes in `app` and start it in the right one.

    Textual's built-in themes are removed: they lack the board's own variables
    and would crowd the palette's list.
    """
    key = settings_key(os.environ)
    catalog = load_themes()
    problems = [problem.message for problem in catalog.problems]
    if DEFAULT_THEME not in catalog.themes:  # a broken install: keep Textual's themes
        return ThemeStart(problems, key)
    for name in list(app.available_themes):
        app.unregister_theme(name)
    for theme in catalog.themes.values():
        app.register_theme(theme)
    if requested is not None and requested not in catalog.themes:
        names = ", ".join(sorted(catalog.themes))
        problems.append(f"theme {requested!r} not found; choose from {names}")
        requested = None
    try:
        settings = read_settings()
    except SettingsError as error:
        problems.append(str(error))
        settings = Settings()
    app.theme = starting_theme(
        catalog.themes, requested=requested, settings=settings, environ=os.environ
    )
    return ThemeStart(problems, key)
