"""Theme files, the starting-theme rule, settings.toml, `--theme`, and no literal colours."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rich.style import Style
from textual._color_constants import COLOR_NAME_TO_RGB

from dealboard.cli.main import main
from dealboard.resources import themes_folder
from dealboard.settings import Settings, read_settings, remember_theme, settings_path
from dealboard.ui.theme_choice import starting_theme, why_low_colour
from dealboard.ui.themes import (
    DEFAULT_THEME,
    MONO_THEME,
    THEME_VARIABLE_DEFAULTS,
    load_themes,
    theme_from_file,
    user_themes_folder,
)

SHIPPED = {"dealboard-dark", "dealboard-light", "projector", "mono"}
UI_SOURCE = Path(__file__).resolve().parent.parent / "src" / "dealboard"


def write_user_theme(name: str, text: str) -> Path:
    folder = user_themes_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped files ----------------------------------------------------


def test_every_shipped_theme_file_loads_and_sets_every_board_variable() -> None:
    paths = sorted(themes_folder().glob("*.toml"))
    assert {p.stem for p in paths} == SHIPPED
    for path in paths:
        theme = theme_from_file(path)
        assert theme.name == path.stem
        missing = set(THEME_VARIABLE_DEFAULTS) - set(theme.variables)
        assert not missing, f"{path.name} leaves out {sorted(missing)}"


def test_the_shipped_themes_load_without_problems_for_a_new_user() -> None:
    catalog = load_themes()
    assert set(catalog.themes) == SHIPPED
    assert catalog.problems == []


def test_the_defaults_are_dealboard_darks_own_values() -> None:
    dark = theme_from_file(themes_folder() / "dealboard-dark.toml")
    assert dark.variables == THEME_VARIABLE_DEFAULTS


def test_projector_is_black_on_white_with_heavy_rules() -> None:
    projector = theme_from_file(themes_folder() / "projector.toml")
    assert (projector.foreground, projector.background) == ("#000000", "#FFFFFF")
    assert projector.variables["column-rule"] in {"heavy", "thick"}
    assert projector.variables["column-rule-color"] == "#000000"
    assert projector.variables["text-muted"] == "#000000"  # no grey secondary text


def test_mono_uses_no_colour_but_black_and_white() -> None:
    mono = theme_from_file(themes_folder() / "mono.toml")
    colours = [getattr(mono, key) for key in ("primary", "accent", "success", "warning", "error")]
    colours += [v for v in mono.variables.values() if v.startswith("#")]
    assert set(colours) <= {"#FFFFFF", "#000000", "#808080", "#C0C0C0"}
    assert "underline" in mono.variables["late-style"]
    assert mono.variables["focus-style"] == "reverse"


# -- user files -------------------------------------------------------------


def test_a_good_user_theme_is_offered_beside_the_shipped_ones() -> None:
    write_user_theme(
        "ocean",
        'primary = "#0077BE"\nbackground = "#001F3F"\n[variables]\ncolumn-rule = "heavy"\n',
    )
    catalog = load_themes()
    assert catalog.problems == []
    assert catalog.themes["ocean"].primary == "#0077BE"  # named after the file
    assert catalog.themes["ocean"].variables == {"column-rule": "heavy"}


def test_a_user_file_with_a_shipped_name_replaces_the_shipped_theme() -> None:
    write_user_theme("projector", 'primary = "#FF00FF"\ndark = false\n')
    assert load_themes().themes["projector"].primary == "#FF00FF"


def test_the_old_data_folder_is_still_read_but_the_config_folder_wins(fresh_user: Path) -> None:
    old = fresh_user / "data" / "dealboard" / "themes"
    old.mkdir(parents=True)
    (old / "ocean.toml").write_text('primary = "#111111"\n')
    (old / "forest.toml").write_text('primary = "#228B22"\n')
    write_user_theme("ocean", 'primary = "#0077BE"\n')
    themes = load_themes().themes
    assert themes["forest"].primary == "#228B22"
    assert themes["ocean"].primary == "#0077BE"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('primary = "blu"\n', "primary: 'blu' is not a colour (did you mean 'blue'?)"),
        ('primary = "#0077BE"\nerror = 12\n', "error: 12 is not a colour in quotes"),
        ('primary = "#0077BE\n', "not valid TOML"),
        ('background = "#000000"\n', "primary: missing"),
        ('primary = "#0077BE"\nprimery = "#000000"\n', "primery: not a theme setting"),
        ('primary = "#0077BE"\ndark = "yes"\n', "dark: 'yes' is not true or false"),
        ('primary = "#0077BE"\n[variables]\nstage-won = "grean"\n', "variables.stage-won: 'grean'"),
        ('primary = "#0077BE"\n[variables]\ncolumn-rule = "thik"\n', "not a border type"),
        ('primary = "#0077BE"\n[variables]\nlate-style = "blod"\n', "not a text style"),
        ('primary = "#0077BE"\n[variables]\nstage-wom = "#00FF00"\n', "no such variable"),
        ('primary = "#0077BE"\n[variables]\nfooter-key-foreground = "x"\n', "is not a colour"),
        ('name = "my theme"\nprimary = "#0077BE"\n', "may hold only letters"),
    ],
)
def test_a_bad_user_file_is_reported_by_name_and_reason_and_skipped(text: str, reason: str) -> None:
    path = write_user_theme("mine", text)
    catalog = load_themes()
    assert "mine" not in catalog.themes
    assert set(catalog.themes) == SHIPPED
    [problem] = catalog.problems
    assert problem.path == path
    assert problem.message.startswith(f"{path}: ") or problem.message.startswith("~/")
    assert problem.message.endswith(reason) or reason in problem.message
    assert "mine.toml: " in problem.message
    assert "\n" not in problem.message


def test_textual_variables_and_alpha_colours_are_accepted() -> None:
    write_user_theme(
        "soft",
        'primary = "#0077BE"\n[variables]\nfocus-background = "#0077BE 40%"\n'
        'block-cursor-text-style = "bold reverse"\ntext-muted = "auto 70%"\n',
    )
    catalog = load_themes()
    assert catalog.problems == []
    assert catalog.themes["soft"].variables["focus-background"] == "#0077BE 40%"


# -- which theme the board starts in ---------------------------------------

COLOUR_TERMINAL = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.mark.parametrize(
    "environ",
    [
        {**COLOUR_TERMINAL, "NO_COLOR": "1"},
        {"TERM": "linux"},
        {"TERM": "xterm"},
        {"TERM": "vt100"},
        {"TERM": "dumb"},
        {**COLOUR_TERMINAL, "TEXTUAL_COLOR_SYSTEM": "standard"},
    ],
)
def test_no_color_and_16_colour_terminals_are_low_colour(environ: dict[str, str]) -> None:
    assert why_low_colour(environ) is not None
    assert starting_theme(SHIPPED, requested=None, settings=Settings(), environ=environ) == "mono"


@pytest.mark.parametrize(
    "environ",
    [
        COLOUR_TERMINAL,
        {"TERM": "xterm-256color"},
        {"TERM": "linux", "COLORTERM": "truecolor"},
        {**COLOUR_TERMINAL, "NO_COLOR": ""},  # set but empty does not count (no-color.org)
    ],
)
def test_colour_terminals_start_in_the_default_theme(environ: dict[str, str]) -> None:
    assert why_low_colour(environ) is None
    assert starting_theme(SHIPPED, requested=None, settings=Settings(), environ=environ) == (
        DEFAULT_THEME
    )


def test_the_order_is_command_line_then_saved_for_this_kind_of_terminal_then_default() -> None:
    saved = Settings(theme="projector", low_colour_theme="dealboard-light")

    def start(requested: str | None, environ: dict[str, str], settings: Settings = saved) -> str:
        return starting_theme(SHIPPED, requested=requested, settings=settings, environ=environ)

    assert start("dealboard-light", COLOUR_TERMINAL) == "dealboard-light"
    assert start("projector", {"TERM": "linux"}) == "projector"
    assert start(None, COLOUR_TERMINAL) == "projector"
    assert start(None, {"TERM": "linux"}) == "dealboard-light"
    assert start(None, {"TERM": "linux"}, Settings(theme="projector")) == MONO_THEME
    assert start(None, COLOUR_TERMINAL, Settings(theme="deleted-since")) == DEFAULT_THEME


# -- settings.toml ----------------------------------------------------------


def test_remembering_a_theme_keeps_the_users_other_lines() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('# mine\ntheme = "mono"\nother = 3\n\n[later]\ntheme = "kept"\n')
    remember_theme("projector")
    remember_theme("dealboard-light", "low_colour_theme")
    assert path.read_text() == (
        '# mine\ntheme = "projector"\nother = 3\n\nlow_colour_theme = "dealboard-light"\n'
        '[later]\ntheme = "kept"\n'
    )
    assert read_settings() == Settings(theme="projector", low_colour_theme="dealboard-light")


def test_settings_start_empty_and_are_created_on_first_choice() -> None:
    assert read_settings() == Settings()
    remember_theme("projector")
    assert settings_path().read_text() == 'theme = "projector"\n'


def test_a_broken_settings_file_is_one_line_naming_it() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("theme = projector\n")
    with pytest.raises(ValueError, match=r"settings\.toml: cannot be read: .*line 1") as error:
        read_settings()
    assert "\n" not in str(error.value)


# -- --theme ---------------------------------------------------------------


def test_an_unknown_theme_is_one_line_listing_the_themes_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "never.sqlite3"
    code = main(["--db", f"sqlite:///{database}", "--theme", "neon", "board"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "dealboard: theme: no theme 'neon'; "
        "choose from dealboard-dark, dealboard-light, mono, projector\n"
    )
    assert not database.exists()  # refused before anything was opened


def test_a_known_theme_is_accepted_and_a_user_theme_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_user_theme("ocean", 'primary = "#0077BE"\n')
    url = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "--theme", "ocean", "board"]) == 0
    assert main(["--db", url, "--theme", "projector", "board"]) == 0
    assert "Prospect" in capsys.readouterr().out


# -- every colour from the theme ------------------------------------------

_DECLARATION = re.compile(r":\s*([^;{}]+);")
_HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
_FUNCTION = re.compile(r"\b(rgba?|hsla?)\(")
_ALLOWED_WORDS = {"transparent", "auto", "initial", "inherit"}


def literal_colours(css: str) -> list[str]:
    """Declarations in `css` that name a colour themselves instead of using a $variable."""
    found = []
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for value in _DECLARATION.findall(css):
        words = {word for word in re.split(r"[\s,]+", value.strip()) if word}
        named = {w for w in words if w.lower() in COLOR_NAME_TO_RGB} - _ALLOWED_WORDS
        if _HEX.search(value) or _FUNCTION.search(value) or named:
            found.append(value.strip())
    return found


def stylesheets() -> dict[str, str]:
    """Every .tcss file and every CSS string in a Python module under src/dealboard."""
    sheets = {str(p.relative_to(UI_SOURCE)): p.read_text() for p in UI_SOURCE.rglob("*.tcss")}
    for path in UI_SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                if names & {"CSS", "DEFAULT_CSS"}:
                    sheets[f"{path.relative_to(UI_SOURCE)}:{node.lineno}"] = node.value.value
    return sheets


def test_the_colour_check_catches_literal_colours() -> None:
    bad = "A { color: #ff0000; }\nB { background: red 50%; }\nC { border: tall rgb(1,2,3); }"
    good = "#red-box { color: $error; border: heavy $primary; background: transparent; }"
    assert literal_colours(bad) == ["#ff0000", "red 50%", "tall rgb(1,2,3)"]
    assert literal_colours(good) == []


def test_no_stylesheet_names_a_colour_itself() -> None:
    sheets = stylesheets()
    assert any(name.endswith("board.tcss") for name in sheets)
    assert any("card_list.py" in name for name in sheets)
    offenders = {name: found for name, css in sheets.items() if (found := literal_colours(css))}
    assert offenders == {}


def test_no_python_style_in_the_ui_names_a_colour() -> None:
    offenders = []
    for path in (UI_SOURCE / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg in {"style", "color", "bgcolor"}]
            if isinstance(node.func, ast.Attribute) and node.func.attr in {"append", "stylize"}:
                values += node.args[1:2]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    try:
                        style = Style.parse(value.value)
                    except Exception:
                        continue
                    if style.color or style.bgcolor:
                        offenders.append(f"{path.name}:{node.lineno} {value.value!r}")
    assert offenders == []
