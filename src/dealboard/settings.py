"""Each person's own preferences: `settings.toml` in their config folder.

On a shared server every OS user has their own config folder, so one person
switching to the projector theme changes nothing for the others. Themes are
remembered twice: once for full-colour terminals and once for terminals
without colour (NO_COLOR, 16 colours), so choosing in one does not spoil the other. The file is
small and hand-editable; dealboard rewrites only the line it owns and keeps
any comments or other keys the user added.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_path

SETTINGS_FILE = "settings.toml"
#: The keys holding a theme name: one for full-colour terminals, one for the rest.
THEME_KEYS = ("theme", "low_colour_theme")
_TABLE_LINE = re.compile(r"^\s*\[")


class SettingsError(ValueError):
    """The settings file cannot be read; the message is one line naming the file."""


@dataclass(frozen=True)
class Settings:
    """What a user chose last time."""

    #: The theme picked in the command palette in a full-colour terminal.
    theme: str | None = None
    #: The one picked where NO_COLOR is set or the terminal has 16 colours.
    low_colour_theme: str | None = None


def config_folder() -> Path:
    """This user's dealboard config folder (`~/.config/dealboard` on Linux)."""
    return user_config_path("dealboard", appauthor=False)


def settings_path() -> Path:
    """Where this user's settings live."""
    return config_folder() / SETTINGS_FILE


def shown(path: Path) -> str:
    """A path as a person would type it: under the home folder as `~/…`."""
    home = Path.home()
    try:
        return f"~/{path.relative_to(home)}"
    except ValueError:
        return str(path)


def read_settings(path: Path | None = None) -> Settings:
    """The saved settings; none saved yet is the defaults, a broken file a SettingsError."""
    path = path or settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{shown(path)}: cannot be read: {error}") from None
    themes = {}
    for key in THEME_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise SettingsError(f'{shown(path)}: {key}: must be a name in quotes, like "mono"')
        themes[key] = value or None
    return Settings(**themes)


def remember_theme(name: str, key: str = "theme", path: Path | None = None) -> None:
    """Save `key = name`, keeping everything else in the file; OSError if it cannot be written."""
    if key not in THEME_KEYS:
        raise ValueError(f"not a theme setting: {key}")
    path = path or settings_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    except UnicodeDecodeError:
        lines = []  # not a text file we can keep: replace it
    entry = f"{key} = {json.dumps(name)}"  # a JSON string is a valid TOML basic string
    own_line = re.compile(rf"^\s*{key}\s*=")
    for index, line in enumerate(lines):
        if _TABLE_LINE.match(line):
            lines.insert(index, entry)
            break
        if own_line.match(line):
            lines[index] = entry
            break
    else:
        lines.append(entry)
    _write_atomically(path, "\n".join(lines) + "\n")


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
