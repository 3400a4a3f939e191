"""Pipelines as files: the TOML a team edits, validated into plain data.

Every error names the key (`stages[3].probability`) and what is wrong, so a
team can fix its file without reading code.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dealboard.domain import ties
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.exchange.json_text import json_text
from dealboard.domain.money import parse_currency
from dealboard.domain.stage_limits import WipLimit, parse_wip
from dealboard.domain.text import clean_line, clean_text
from dealboard.resources import pipeline_templates_folder
from dealboard.vocabulary import BantItem, StageKind, TemplateKind

_PIPELINE_KEYS = {"name", "title", "description", "currency", "sla", "nurture_days", "stages"}
_STAGE_KEYS = {
    "name", "kind", "purpose", "probability", "rot_days", "cadence", "criteria", "templates", "wip"
}  # fmt: skip
_SLA_KEYS = {"speed_to_lead_minutes", "follow_up_attempts", "follow_up_days"}
_CADENCE_KEYS = {"attempts", "days"}
_CRITERION_KEYS = {"text", "bant", "research", "objections"}
_TEMPLATE_KEYS = {"name", "kind", "subject", "body", "file"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_TEMPLATE = "seven-step"

#: Size limits, far beyond any real sales process (the shipped seven-step file is
#: under 9 KB with 7 stages of 3-5 criteria): they exist so a broken or hostile
#: file is refused in milliseconds instead of parsing for minutes and filling
#: the memory, and so a board never gets a column nobody could read.
MAX_FILE_BYTES = 1_000_000
MAX_STAGES = 50
MAX_CRITERIA = 50
MAX_TEMPLATES = 50
#: A template's Markdown file: its body is at most 20,000 characters anyway.
MAX_TEMPLATE_FILE_BYTES = 100_000


@dataclass(frozen=True)
class TemplateSpec:
    """A stage's call script or email; `{placeholders}` are filled from the deal when shown."""

    name: str
    kind: TemplateKind
    body: str
    subject: str = ""


@dataclass(frozen=True)
class Cadence:
    """How many attempts to reach the buyer, within how many days."""

    attempts: int
    days: int


@dataclass(frozen=True)
class StageSpec:
    """One stage as written in a pipeline file."""

    name: str
    kind: StageKind
    probability: int
    rot_days: int | None = None
    criteria: tuple[str, ...] = ()
    cadence: Cadence | None = None
    #: Criteria met by a BANT answer of `yes` instead of a tick: (criterion text, item).
    bant: tuple[tuple[str, BantItem], ...] = ()
    templates: tuple[TemplateSpec, ...] = ()
    #: What the stage is for, in a sentence or two (the playbook's "what it is for").
    purpose: str = ""
    #: Criteria met by the deal's data (see `ties`): (criterion text, `research:…`/`objections:…`).
    ties: tuple[tuple[str, str], ...] = ()
    #: The stage's work-in-progress limit (open stages only).
    wip: WipLimit | None = None


@dataclass(frozen=True)
class Sla:
    """A pipeline's service levels: speed to lead and the default follow-up cadence."""

    speed_to_lead_minutes: int | None = None
    follow_up: Cadence | None = None


@dataclass(frozen=True)
class PipelineSpec:
    """A whole pipeline as written in a file: what `pipeline import` applies."""

    name: str
    title: str
    description: str
    currency: str
    stages: tuple[StageSpec, ...]
    sla: Sla = Sla()
    #: A customer untouched for longer than this many days is on the nurture list.
    nurture_days: int | None = None


def builtin_template_names() -> list[str]:
    """The templates that ship with dealboard, by name."""
    return sorted(p.stem for p in pipeline_templates_folder().glob("*.toml"))


def load_builtin(name: str) -> PipelineSpec:
    """A shipped template by name (`seven-step`, `traditional`, `social`, `milestones`)."""
    path = pipeline_templates_folder() / f"{name}.toml"
    if not path.is_file():
        raise NotFound("template", name, "choose one of " + ", ".join(builtin_template_names()))
    return parse_pipeline_toml(
        path.read_text(encoding="utf-8"), source=path.name, folder=path.parent
    )


def load_file(path: Path) -> PipelineSpec:
    """A team's pipeline file; one over `MAX_FILE_BYTES` is refused before it is read."""
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            data = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        raise InvalidInput("file", str(path), f"cannot be read ({exc.strerror})") from exc
    if max(size, len(data)) > MAX_FILE_BYTES:
        raise InvalidInput(
            path.name,
            f"{max(size, len(data)):,} bytes",
            f"at most {MAX_FILE_BYTES:,}; no pipeline is",
        )
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("file", str(path), "is not UTF-8 text") from exc
    return parse_pipeline_toml(content, source=path.name, folder=path.parent)


def parse_pipeline_toml(
    content: str, source: str = "pipeline", folder: Path | None = None
) -> PipelineSpec:
    """Validate TOML text into a PipelineSpec, or raise InvalidInput naming the key.

    `folder` is where template `file = "…md"` references are read from.
    """
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(source, "TOML", f"is over {MAX_FILE_BYTES:,} characters; no pipeline is")
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(source, "TOML", f"is not valid TOML ({exc})") from exc
    except RecursionError:
        raise InvalidInput(source, "TOML", "is nested too deeply to be a pipeline") from None
    return validate_pipeline(data, folder)


def valid_pipeline_name(name: str, field: str = "name") -> str:
    """A pipeline's short name, as typed after `--pipeline`: `new-business`."""
    if not _NAME.match(name):
        raise InvalidInput(field, name, "use lower-case letters, digits and hyphens (max 64)")
    return name


def validate_pipeline(data: dict[str, Any], folder: Path | None = None) -> PipelineSpec:
    """Check the parsed document; every problem names its key."""
    _reject_unknown(data, _PIPELINE_KEYS, "")
    name = valid_pipeline_name(_require(data, "name", str, ""))
    title = clean_line("title", _optional(data, "title", str, name), max_length=120, required=True)
    description = clean_text("description", _optional(data, "description", str, ""))
    currency = parse_currency(_optional(data, "currency", str, "USD"))
    raw_stages = _require(data, "stages", list, "")
    if not raw_stages:
        raise InvalidInput("stages", "[]", "list at least one open stage, a won and a lost stage")
    _at_most(raw_stages, MAX_STAGES, "stages", "stages")
    stages = tuple(
        _validate_stage(raw, f"stages[{i}]", folder) for i, raw in enumerate(raw_stages, 1)
    )
    _check_stage_set(stages)
    sla = _validate_sla(_optional(data, "sla", dict, {}))
    nurture_days = _optional(data, "nurture_days", int, None)
    if nurture_days is not None and not 1 <= nurture_days <= 3650:
        raise InvalidInput("nurture_days", nurture_days, "give 1 to 3650 days")
    return PipelineSpec(name, title, description, currency, stages, sla, nurture_days)


def _validate_sla(raw: dict[str, Any]) -> Sla:
    _reject_unknown(raw, _SLA_KEYS, "sla.")
    minutes = _optional(raw, "speed_to_lead_minutes", int, None, "sla")
    if minutes is not None and not 1 <= minutes <= 60 * 24 * 30:
        raise InvalidInput("sla.speed_to_lead_minutes", minutes, "give 1 to 43200 minutes")
    attempts = _optional(raw, "follow_up_attempts", int, None, "sla")
    days = _optional(raw, "follow_up_days", int, None, "sla")
    if (attempts is None) != (days is None):
        raise InvalidInput(
            "sla.follow_up_attempts",
            attempts,
            "give follow_up_attempts and follow_up_days together",
        )
    follow_up = None
    if attempts is not None and days is not None:
        follow_up = _cadence({"attempts": attempts, "days": days}, "sla.follow_up")
    return Sla(minutes, follow_up)


def _cadence(raw: dict[str, Any], key: str) -> Cadence:
    _reject_unknown(raw, _CADENCE_KEYS, key + ".")
    attempts = _require(raw, "attempts", int, key)
    days = _require(raw, "days", int, key)
    if not 1 <= attempts <= 100:
        raise InvalidInput(f"{key}.attempts", attempts, "give 1 to 100 attempts")
    if not 1 <= days <= 365:
        raise InvalidInput(f"{key}.days", days, "give 1 to 365 days")
    return Cadence(attempts, days)


def _validate_stage(raw: object, key: str, folder: Path | None = None) -> StageSpec:
    if not isinstance(raw, dict):
        raise InvalidInput(key, raw, "must be a table ([[stages]])")
    _reject_unknown(raw, _STAGE_KEYS, key + ".")
    name = clean_line(f"{key}.name", _require(raw, "name", str, key), max_length=40, required=True)
    kind_text = _require(raw, "kind", str, key)
    try:
        kind = StageKind(kind_text)
    except ValueError as exc:
        raise InvalidInput(f"{key}.kind", kind_text, "use open, won or lost") from exc
    purpose = clean_text(f"{key}.purpose", _optional(raw, "purpose", str, "", key), max_length=2000)
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
    _at_most(criteria_raw, MAX_CRITERIA, f"{key}.criteria", "criteria")
    criteria: list[str] = []
    seen: set[str] = set()
    bant: list[tuple[str, BantItem]] = []
    tied: list[tuple[str, str]] = []
    for index, item in enumerate(criteria_raw, 1):
        item_key = f"{key}.criteria[{index}]"
        bant_name = tie = None
        if isinstance(item, dict):
            _reject_unknown(item, _CRITERION_KEYS, item_key + ".")
            bant_name = _optional(item, "bant", str, None, item_key)
            tie = ties.parse_tie(
                _optional(item, "research", str, None, item_key),
                _optional(item, "objections", str, None, item_key),
                item_key,
            )
            if tie is not None and bant_name is not None:
                raise InvalidInput(item_key, tie, "tie a criterion to one thing")
            item = _require(item, "text", str, item_key)
        if not isinstance(item, str):
            raise InvalidInput(item_key, item, 'each criterion is a string or { text = "…" }')
        text = clean_line(item_key, item, max_length=200, required=True)
        if text in seen:
            raise InvalidInput(item_key, text, "each criterion of a stage must be different")
        seen.add(text)
        criteria.append(text)
        if tie is not None:
            tied.append((text, tie))
        if bant_name is not None:
            try:
                bant.append((text, BantItem(bant_name)))
            except ValueError as exc:
                raise InvalidInput(
                    f"{item_key}.bant", bant_name, "use budget, authority, need or timing"
                ) from exc
    cadence_raw = _optional(raw, "cadence", dict, None, key)
    if cadence_raw is not None and kind is not StageKind.OPEN:
        raise InvalidInput(f"{key}.cadence", cadence_raw, "only open stages have a cadence")
    cadence = _cadence(cadence_raw, f"{key}.cadence") if cadence_raw is not None else None
    templates_raw = _optional(raw, "templates", list, [], key)
    _at_most(templates_raw, MAX_TEMPLATES, f"{key}.templates", "templates")
    templates = tuple(
        _template(item, f"{key}.templates[{i}]", folder) for i, item in enumerate(templates_raw, 1)
    )
    wip = parse_wip(raw["wip"], f"{key}.wip") if "wip" in raw else None
    if wip is not None and kind is not StageKind.OPEN:
        raise InvalidInput(f"{key}.wip", wip.max, "only open stages have a WIP limit")
    return StageSpec(
        name,
        kind,
        probability,
        rot_days,
        tuple(criteria),
        cadence,
        tuple(bant),
        templates,
        purpose,
        tuple(tied),
        wip,
    )


def _template(raw: object, key: str, folder: Path | None) -> TemplateSpec:
    if not isinstance(raw, dict):
        raise InvalidInput(key, raw, "must be a table ([[stages.templates]])")
    _reject_unknown(raw, _TEMPLATE_KEYS, key + ".")
    name = clean_line(f"{key}.name", _require(raw, "name", str, key), max_length=120, required=True)
    kind_text = _optional(raw, "kind", str, "script", key)
    try:
        kind = TemplateKind(kind_text)
    except ValueError as exc:
        raise InvalidInput(f"{key}.kind", kind_text, "use script or email") from exc
    subject = _optional(raw, "subject", str, "", key)
    body = _optional(raw, "body", str, None, key)
    file_name = _optional(raw, "file", str, None, key)
    if (body is None) == (file_name is None):
        raise InvalidInput(f"{key}.body", "missing", "give the text as body or a Markdown file")
    if file_name is not None:
        subject, body = _template_file(file_name, f"{key}.file", folder, subject)
    assert body is not None
    return TemplateSpec(
        name,
        kind,
        clean_text(f"{key}.body", body, max_length=20000),
        clean_line(f"{key}.subject", subject, max_length=200),
    )


def _template_file(name: str, key: str, folder: Path | None, subject: str) -> tuple[str, str]:
    """A Markdown file beside the pipeline file; a first `Subject: …` line is the subject."""
    path = (folder or Path.cwd()) / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise InvalidInput(key, name, "name a file in the pipeline file's own folder")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TEMPLATE_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(key, name, f"cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_TEMPLATE_FILE_BYTES:
        raise InvalidInput(key, name, f"is over {MAX_TEMPLATE_FILE_BYTES:,} bytes; keep it short")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(key, name, "is not UTF-8 text") from exc
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        return first.split(":", 1)[1].strip(), rest.lstrip("\n")
    return subject, text


def _check_stage_set(stages: tuple[StageSpec, ...]) -> None:
    check_stage_kinds([(s.name, s.kind) for s in stages])


def check_stage_kinds(stages: Sequence[tuple[str, StageKind]]) -> None:
    """A pipeline's stages in order: unique names, open ones first, exactly one won and one lost.

    Shared by pipeline files and JSON restores, so both refuse the same shapes.
    """
    seen: set[str] = set()
    for index, (name, _kind) in enumerate(stages, 1):
        folded = name.casefold()
        if folded in seen:
            raise InvalidInput(f"stages[{index}].name", name, "stage names must be unique")
        seen.add(folded)
    kinds = [kind for _name, kind in stages]
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
            f"stages[{first_closed + 1}]", stages[first_closed][0], "closed stages come last"
        )


def _at_most(items: list[Any], limit: int, key: str, what: str) -> None:
    """Refuse an overlong list by its length alone, before any item is looked at."""
    if len(items) > limit:
        raise InvalidInput(key, f"{len(items):,} {what}", f"at most {limit} {what}")


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
    if spec.nurture_days is not None:
        lines.append(f"nurture_days = {spec.nurture_days}")
    if spec.sla != Sla():
        lines += ["", "[sla]"]
        if spec.sla.speed_to_lead_minutes is not None:
            lines.append(f"speed_to_lead_minutes = {spec.sla.speed_to_lead_minutes}")
        if spec.sla.follow_up is not None:
            lines.append(f"follow_up_attempts = {spec.sla.follow_up.attempts}")
            lines.append(f"follow_up_days = {spec.sla.follow_up.days}")
    for stage in spec.stages:
        lines += [
            "",
            "[[stages]]",
            f"name = {_string(stage.name)}",
            f"kind = {_string(stage.kind)}",
        ]
        if stage.purpose:
            lines.append(f"purpose = {_string(stage.purpose)}")
        lines.append(f"probability = {stage.probability}")
        if stage.rot_days is not None:
            lines.append(f"rot_days = {stage.rot_days}")
        if stage.wip is not None:
            lines.append(f"wip = {stage.wip.to_toml()}")
        if stage.cadence is not None:
            lines.append(
                f"cadence = {{ attempts = {stage.cadence.attempts}, days = {stage.cadence.days} }}"
            )
        if stage.criteria:
            bant, tied = dict(stage.bant), dict(stage.ties)
            lines.append("criteria = [")
            for text in stage.criteria:
                if text in bant:
                    lines.append(f"  {{ text = {_string(text)}, bant = {_string(bant[text])} }},")
                elif text in tied:
                    tie_key, _, tie_value = tied[text].partition(":")
                    lines.append(
                        f"  {{ text = {_string(text)}, {tie_key} = {_string(tie_value)} }},"
                    )
                else:
                    lines.append(f"  {_string(text)},")
            lines.append("]")
        for template in stage.templates:
            lines += [
                "",
                "[[stages.templates]]",
                f"name = {_string(template.name)}",
                f"kind = {_string(template.kind)}",
            ]
            if template.subject:
                lines.append(f"subject = {_string(template.subject)}")
            lines.append(f"body = {_string(template.body)}")
    return "\n".join(lines) + "\n"


def _string(value: str) -> str:
    """A TOML basic string: JSON's, with DEL, C1 and bidi controls escaped too.

    TOML refuses a raw DEL, and a raw C1 or bidi override would act on the
    terminal `pipeline export` prints to; as `\\u` escapes they round-trip exactly.
    """
    return json_text(str(value), indent=None)
