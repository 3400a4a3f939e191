"""Finds the data folders that ship with dealboard, installed or in a source checkout.

`migrations/` and `themes/` live at the top of the repository and are
force-included into the wheel as `dealboard/_migrations` and `dealboard/_themes`.
An editable install does not expose force-included folders to
`importlib.resources`, so the source checkout's top-level folder is the
fallback. Everything that needs these folders asks here, and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent.parent


class ResourceMissing(RuntimeError):
    """The installation is broken: a folder dealboard ships with cannot be found."""


def shipped_folder(name: str) -> Path:
    """Return the folder `name` ("migrations" or "themes") as installed or checked out."""
    candidates = (_PACKAGE_DIR / f"_{name}", _CHECKOUT_ROOT / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ResourceMissing(
        f"dealboard is installed without its {name} folder (looked in {searched})"
    )


def migrations_folder() -> Path:
    """The Alembic script folder."""
    return shipped_folder("migrations")


def themes_folder() -> Path:
    """The folder of built-in theme files."""
    return shipped_folder("themes")


def pipeline_templates_folder() -> Path:
    """Built-in pipeline TOML files; ordinary package data, so always beside the code."""
    return _PACKAGE_DIR / "pipelines"
