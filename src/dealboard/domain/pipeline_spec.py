"""Pipelines as files: the TOML a team edits, validated into plain data.

Every error names the key (`stages[3].probability`) and what is wrong, so a
team can fix its file without reading code.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.money import parse_currency
from dealboard.domain.text import clean_line, clean_text
from dealboard.resources import pipeline_templates_folder
from dealboard.vocabulary import StageKind

_PIPELINE_KEYS = {"name", "title", "description", "currency", "stages"}
_STAGE_KEYS = {"name", "kind", "probability", "rot_days", "criteria"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_TEMPLATE = "seven-step"


@dataclass(frozen=True)
class StageSpec:
    """One stage as written in a pipeline file."""

    name: str
    kind: StageKind
    probability: int
    rot_days: int | None = None
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelineSpec:
    """A whole pipeline as written in a file: what `pipeline import` applies."""

    name: str
    title: str
    description: str
    currency: str
    stages: tuple[StageSpec, ...]


def builtin_template_names() -> list[str]:
    """The templates that ship with dealboard, by name."""
    return sorted(p.stem for p in pipeline_templates_folder().glob("*.toml"))


def load_builtin(name: str) -> PipelineSpec:
    """A shipped template by name (`seven-step`, `traditional`, `social`, `milestones`)."""
    path = pipeline_templates_folder() / f"{name}.toml"
    if not path.is_file():
        raise NotFound("template", name, "choose one of " + ", ".join(builtin_template_names()))
    return parse_pipeline_toml(path.read_text(encoding="utf-8"), source=path.name)


def load_file(path: Path) -> PipelineSpec:
    """A team's pipeline file."""
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("file", str(path), f"cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput("file", str(path), "is not UTF-8 text") from exc
    return parse_pipeline_toml(content, source=path.name)


def parse_pipeline_toml(content: str, source: str = "pipeline") -> PipelineSpec:
    """Validate TOML text into a PipelineSpec, or raise InvalidInput naming the key."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(source, "TOML", f"is not valid TOML ({exc})") from exc
    return validate_pipeline(data)


def validate_pipeline(data: dict[str, Any]) -> PipelineSpec:
    """Check the parsed document; every problem names its key."""
    _reject_unknown(data, _PIPELINE_KEYS, "")
    name = _require(data, "name", str, "")
    if not _NAME.match(name):
        raise InvalidInput("name", name, "use lower-case letters, digits and hyphens (max 64)")
    title = clean_line("title", _optional(data, "title", str, name), max_length=120, required=True)
    description = clean_text("description", _optional(data, "description", str, ""))
    currency = parse_currency(_optional(data, "currency", str, "USD"))
    raw_stages = _require(data, "stages", list, "")
    if not raw_stages:
        raise InvalidInput("stages", "[]", "list at least one open stage, a won and a lost stage")
    stages = tuple(_validate_stage(raw, f"stages[{i}]") for i, raw in enumerate(raw_stages, 1))
    _check_stage_set(stages)
    return PipelineSpec(name, title, description, currency, stages)


def _validate_stage(raw: object, key: str) -> StageSpec:
    if not isinstance(raw, dict):
        raise InvalidInput(key, raw, "must be a table ([[stages]])")
    _reject_unknown(raw, _STAGE_KEYS, key + ".")
    name = clean_line(f"{key}.name", _require(raw, "name", str, key), max_length=40, required=True)
    kind_text = _require(raw, "kind", str, key)
    try:
        kind = StageKind(kind_text)
    except ValueError as exc:
        raise InvalidInput(f"{key}.kind", kind_text, "use open, won or lost") from exc
    default_probability = {StageKind.WON: 100, StageKind.LOST: 0}.get(kind)
    probability = _optional(raw, "probability", int, default_probability, key)
    if probability is None:
        raise InvalidInput(f"{key}.probability", "missing", "open stages need a whole number 0-100")
    if not 0 <= probability <= 100:
        raise InvalidInput(f"{key}.probability", probability, "give a whole number from 0 to 100")
    rot_days = _optional(raw, "rot_days", int, None, key)
    if rot_days is not None and (kind is not StageKind.OPEN or not 1 <= rot_days <= 3650):
        raise InvalidInput(f"{key}.rot_days", rot_days, "only open stages; 1 to 3650 days")
    criteria_raw = _optional(raw, "criteria", list, [], key)
    if criteria_raw and kind is not StageKind.OPEN:
        raise InvalidInput(f"{key}.criteria", criteria_raw, "only open stages have exit criteria")
    criteria: list[str] = []
    for index, item in enumerate(criteria_raw, 1):
        item_key = f"{key}.criteria[{index}]"
        if not isinstance(item, str):
            raise InvalidInput(item_key, item, "each criterion is a string")
        text = clean_line(item_key, item, max_length=200, required=True)
        if text in criteria:
            raise InvalidInput(item_key, text, "each criterion of a stage must be different")
        criteria.append(text)
    return StageSpec(name, kind, probability, rot_days, tuple(criteria))


def _check_stage_set(stages: tuple[StageSpec, ...]) -> None:
    seen: set[str] = set()
    for index, stage in enumerate(stages, 1):
        folded = stage.name.casefold()
        if folded in seen:
            raise InvalidInput(f"stages[{index}].name", stage.name, "stage names must be unique")
        seen.add(folded)
    kinds = [s.kind for s in stages]
    if StageKind.OPEN not in kinds:
        raise InvalidInput("stages", "no open stage", "list at least one open stage")
    for kind in (StageKind.WON, StageKind.LOST):
        if kinds.count(kind) != 1:
            raise InvalidInput(
                "stages", f"{kinds.count(kind)} {kind} stages", f"exactly one {kind}"
            )
    last_open = max(i for i, k in enumerate(kinds) if k is StageKind.OPEN)
    first_closed = min(i for i, k in enumerate(kinds) if k is not StageKind.OPEN)
    if first_closed < last_open:
        raise InvalidInput(
            f"stages[{first_closed + 1}]", stages[first_closed].name, "closed stages come last"
        )


def _reject_unknown(table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise InvalidInput(
                f"{prefix}{key}", key, "unknown key; allowed: " + ", ".join(sorted(allowed))
            )


def _require(table: dict[str, Any], key: str, kind: type, prefix: str) -> Any:
    if key not in table:
        where = f"{prefix}.{key}" if prefix else key
        raise InvalidInput(where, "missing", f"this key is required ({kind.__name__})")
    return _typed(table[key], kind, f"{prefix}.{key}" if prefix else key)


def _optional(table: dict[str, Any], key: str, kind: type, default: Any, prefix: str = "") -> Any:
    if key not in table:
        return default
    return _typed(table[key], kind, f"{prefix}.{key}" if prefix else key)


def _typed(value: Any, kind: type, key: str) -> Any:
    if kind is int and isinstance(value, bool):
        raise InvalidInput(key, value, "must be a whole number")
    if not isinstance(value, kind):
        expected = {str: "a string", int: "a whole number", list: "a list"}.get(kind, kind.__name__)
        raise InvalidInput(key, value, f"must be {expected}")
    return value


def to_toml(spec: PipelineSpec) -> str:
    """The pipeline as a file a team can edit and import again (round-trips exactly)."""
    lines = [
        f"name = {_string(spec.name)}",
        f"title = {_string(spec.title)}",
        f"description = {_string(spec.description)}",
        f"currency = {_string(spec.currency)}",
    ]
    for stage in spec.stages:
        lines += [
            "",
            "[[stages]]",
            f"name = {_string(stage.name)}",
            f"kind = {_string(stage.kind)}",
        ]
        lines.append(f"probability = {stage.probability}")
        if stage.rot_days is not None:
            lines.append(f"rot_days = {stage.rot_days}")
        if stage.criteria:
            lines.append("criteria = [")
            lines += [f"  {_string(c)}," for c in stage.criteria]
            lines.append("]")
    return "\n".join(lines) + "\n"


def _string(value: str) -> str:
    # A JSON string with non-ASCII kept is a valid TOML basic string.
    return json.dumps(str(value), ensure_ascii=False)
