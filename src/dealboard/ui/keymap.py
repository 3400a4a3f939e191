"""A person's own keys: `keymap.toml` in their config folder, binding id → keys.

Keys are a public interface (STYLE rule 9): every binding has a unique id,
and a line such as `"board.move-on" = "ctrl+l"` gives it other keys. The
file is read once at start. A file that cannot be used is reported in one
message and the default keys stay, so a typo never costs anyone the board.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from dealboard.settings import config_folder, shown

KEYMAP_FILE = "keymap.toml"
_EXAMPLE = '"board.move-on" = "ctrl+l"'


def keymap_path() -> Path:
    """Where this user's keymap lives, beside `settings.toml`."""
    return config_folder() / KEYMAP_FILE


@dataclass(frozen=True)
class KeymapStart:
    """What the keymap file asked for, ready for `App.set_keymap`, and why not if not."""

    #: Binding id → keys, with the keys it would otherwise take from a sibling kept.
    keymap: dict[str, str] = field(default_factory=dict)
    #: One message naming what is wrong with the file; None when it was fine or absent.
    problem: str | None = None


def binding_catalogue() -> dict[str, tuple[type[DOMNode], Binding]]:
    """Every binding the app defines, by id, with the class whose BINDINGS hold it.

    Read from the classes themselves, so a new screen's keys are remappable
    (and checked by the tests) without a list to keep up to date.
    """
    found: dict[str, tuple[type[DOMNode], Binding]] = {}
    for owner, binding in every_binding():
        if isinstance(binding, Binding) and binding.id:
            found.setdefault(binding.id, (owner, binding))
    return found


def every_binding() -> Iterator[tuple[type[DOMNode], object]]:
    """(class, BINDINGS entry) for each class in `dealboard.ui` with BINDINGS of its own."""
    root = Path(importlib.import_module("dealboard.ui").__file__ or "").parent
    for source in sorted(root.rglob("*.py")):  # rglob: some feature folders have no __init__
        parts = source.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = importlib.import_module(".".join(("dealboard", "ui", *parts)))
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
            ):
                for binding in value.__dict__.get("BINDINGS", ()):
                    yield value, binding


def load_keymap(path: Path | None = None) -> KeymapStart:
    """The user's keymap, checked against the app's binding ids; no file is no change."""
    path = path or keymap_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return KeymapStart()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return _unused(path, f"cannot be read: {error}")
    wanted = dict(_flatten(data))
    catalogue = binding_catalogue()
    unknown = sorted(name for name in wanted if name not in catalogue)
    if unknown:
        return _unused(
            path, f"unknown binding ids: {', '.join(unknown)} (press ? to see each key's id)"
        )
    for name, keys in wanted.items():
        if not isinstance(keys, str) or not keys.strip(",").strip():
            return _unused(path, f"{name}: must be keys in quotes, like {_EXAMPLE}")
    return KeymapStart(keymap={**_kept_siblings(wanted, catalogue), **wanted})


def _unused(path: Path, reason: str) -> KeymapStart:
    return KeymapStart(problem=f"{shown(path)}: {reason}; the default keys are used")


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, object]]:
    """`board.move-on = "…"` written without quotes is a table in TOML: read it as the id."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def _kept_siblings(
    wanted: Mapping[str, str], catalogue: Mapping[str, tuple[type[DOMNode], Binding]]
) -> dict[str, str]:
    """Pin the default keys of bindings that share a key with a remapped one.

    Textual drops every binding on a key when one binding leaves it: moving
    the deal screen's "Add objection" off `a` would take "Add stakeholder"
    and "Log activity" with it. Naming the others in the keymap keeps them.
    """
    kept: dict[str, str] = {}
    for name in wanted:
        owner, binding = catalogue[name]
        keys = set(binding.key.split(","))
        for other in owner.__dict__.get("BINDINGS", ()):
            if (
                isinstance(other, Binding)
                and other.id
                and other.id not in wanted
                and keys & set(other.key.split(","))
            ):
                kept[other.id] = other.key
    return kept


def effective_keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap Textual applies (normalised: `?` is `question_mark`).

    Textual keeps it in `App._keymap` and offers no public reader; help and
    the palette must show the keys that really work, so they read it here.
    """
    return app._keymap


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that run `binding` now: the user's if they remapped it, else the defaults."""
    keys = keymap.get(binding.id or "") or binding.key
    return [key.strip() for key in keys.split(",") if key.strip()]
