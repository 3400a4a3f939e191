"""The shipped folders are found both in a source checkout and in an installed wheel."""

from __future__ import annotations

from dealboard.resources import migrations_folder, pipeline_templates_folder, themes_folder


def test_shipped_folders_hold_their_files() -> None:
    assert (migrations_folder() / "env.py").is_file()
    assert any((migrations_folder() / "versions").glob("0001_*.py"))
    assert {p.stem for p in themes_folder().glob("*.toml")} >= {"dealboard-dark", "projector"}
    names = {p.stem for p in pipeline_templates_folder().glob("*.toml")}
    assert names == {"seven-step", "traditional", "social", "milestones"}
