"""The rules typed input obeys, applied to every user field of a JSON export before restoring.

A JSON file may come from anywhere (an old version, another tool, a hand
edit), so a restore must not let in what the board itself would refuse: a
login with markup in it, a title of a million characters, a negative value.
Each rule is the domain's own validator (`valid_login`, `text.title`,
`clean_line`, `parse_currency`, `parse_tag`...), so there is still one place
for each rule. Columns without a rule here get the generic check: no control
characters and no more than their length.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from dealboard.domain import text, ties
from dealboard.domain.accounts import fold_name, tidy_name
from dealboard.domain.deals import parse_tag
from dealboard.domain.errors import InvalidInput
from dealboard.domain.exchange.problems import reason
from dealboard.domain.goals import parse_month
from dealboard.domain.money import MAX_MAJOR_UNITS, minor_digits, parse_currency
from dealboard.domain.pipeline_spec import (
    MAX_CRITERIA,
    MAX_STAGES,
    MAX_TEMPLATES,
    check_stage_kinds,
    valid_pipeline_name,
)
from dealboard.domain.stage_limits import MAX_WIP
from dealboard.domain.users import valid_login
from dealboard.vocabulary import StageKind

#: Raises InvalidInput when the value would be refused if typed.
Rule = Callable[[Any], object]

#: Longest text a column without a rule may hold (history old/new values are
#: notes at most, 20,000 characters).
MAX_OTHER_TEXT = 100_000


def _as_typed(clean: Callable[[str], str]) -> Rule:
    """The value must be what typing it would have stored: cleaned, trimmed, `\n` line ends."""

    def check(value: str) -> object:
        if clean(value) != value:
            raise InvalidInput("", value, "trim the spaces at its ends (and use \\n line ends)")
        return value

    return check


def _line(max_length: int, *, required: bool = False) -> Rule:
    return _as_typed(
        lambda value: text.clean_line("", value, max_length=max_length, required=required)
    )


def _note(max_length: int = 20_000) -> Rule:
    return _as_typed(lambda value: text.clean_text("", value, max_length=max_length))


def _same(parse: Callable[[str], str], accepted: str) -> Rule:
    """The value must be what `parse` makes of it (a tag is stored lower-case, a currency upper)."""

    def check(value: str) -> object:
        if parse(value) != value:
            raise InvalidInput("", value, accepted)
        return value

    return check


def _between(low: int, high: int) -> Rule:
    def check(value: int) -> object:
        if not low <= value <= high:
            raise InvalidInput("", value, f"give a whole number from {low:,} to {high:,}")
        return value

    return check


def _currency(value: str) -> object:
    return _same(parse_currency, "use a three-letter ISO currency code like USD")(value)


def _deal_value(value: int) -> object:
    # The largest value typed input accepts; minor_digits("USD") is the common case.
    return _between(0, int(MAX_MAJOR_UNITS) * 10 ** minor_digits("USD"))(value)


def _month(value: str) -> object:
    """A goal's month, as `goals.parse_month` reads a typed one."""
    return _same(lambda typed: parse_month(typed, date(2000, 1, 1)), "write it as YYYY-MM")(value)


def _record_name(value: str) -> object:
    """An account or contact record's name: as `accounts.tidy_name` keeps it, not empty."""
    if not value or tidy_name(value) != value:
        raise InvalidInput("", value, "give 1-200 characters, single spaces, none at the ends")
    return value


def _revision_changes(value: str) -> object:
    """What a pipeline revision changed: a JSON list, as the revision wrote it."""
    try:
        changes = json.loads(value)
    except ValueError:
        raise InvalidInput("", value[:40], "must be a JSON list of changes") from None
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise InvalidInput("", value[:40], "must be a JSON list of changes")
    return value


RULES: dict[tuple[str, str], Rule] = {
    ("users", "name"): _same(valid_login, "use 1-64 letters, digits, '_', '.', '@' or '-'"),
    ("users", "display_name"): _line(120, required=True),
    ("pipelines", "name"): valid_pipeline_name,
    ("pipelines", "title"): _line(120, required=True),
    ("pipelines", "description"): _note(),
    ("pipelines", "currency"): _currency,
    ("stages", "name"): _line(40, required=True),
    ("stages", "purpose"): _note(2000),
    ("stages", "probability"): _between(0, 100),
    ("stages", "rot_days"): _between(1, 3650),
    ("stages", "cadence_attempts"): _between(1, 100),
    ("stages", "cadence_days"): _between(1, 365),
    ("stages", "wip_max"): _between(1, MAX_WIP),
    ("pipelines", "nurture_days"): _between(1, 3650),
    ("stage_criteria", "text"): _line(200, required=True),
    ("stage_criteria", "tie"): ties.check_tie,
    ("stage_templates", "name"): _line(120, required=True),
    ("stage_templates", "subject"): _line(200),
    ("stage_templates", "body"): _note(),
    ("deals", "title"): _as_typed(text.title),
    ("deals", "account"): _line(200),
    ("deals", "contact"): _line(200),
    ("deals", "source"): _line(200),
    ("deals", "next_step"): _line(200),
    ("deals", "value_minor"): _deal_value,
    ("deals", "currency"): _currency,
    ("deals", "loss_note"): _note(2000),
    ("deal_tags", "tag"): _same(parse_tag, "use 1-40 lower-case letters, digits, '-' or '_'"),
    ("bant_answers", "note"): _note(2000),
    ("research_notes", "interests"): _note(),
    ("research_notes", "buying_process"): _note(),
    ("research_notes", "key_objectives"): _note(),
    ("research_notes", "decision_timing"): _note(),
    ("research_notes", "pain_points"): _note(),
    ("research_notes", "free_text"): _note(),
    ("stakeholders", "name"): _line(200, required=True),
    ("stakeholders", "role"): _line(200),
    ("objections", "text"): _note(),
    ("objections", "response"): _note(),
    ("activities", "subject"): _line(200, required=True),
    ("activities", "outcome"): _note(),
    ("stage_transitions", "override_reason"): _line(500),
    ("accounts", "name"): _record_name,
    ("contacts", "name"): _record_name,
    ("pipeline_revisions", "number"): _between(1, 1_000_000),
    ("pipeline_revisions", "changes"): _revision_changes,
    ("goals", "month"): _month,
    ("goals", "amount_minor"): _deal_value,
    ("goals", "currency"): _currency,
    ("saved_views", "name"): _line(60, required=True),
}


def refusal(table: str, column: str, value: object) -> str | None:
    """Why `value` could not have been typed into `table.column`, or None when it could."""
    rule = RULES.get((table, column))
    if rule is None:
        return None
    try:
        rule(value)
    except InvalidInput as error:
        return reason(error)
    return None


def consistency(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """(where, why) for rows that are each valid but could never stand together on a board.

    Typed input looks logins up ignoring case and stage names within their
    pipeline the same way, and never puts a deal in another pipeline's stage.
    """
    found: list[tuple[str, str]] = []
    found += _repeated(rows["users"], "users", "name", lambda row: ())
    found += _repeated(rows["stages"], "stages", "name", lambda row: (row["pipeline_id"],))
    found += _pipeline_shapes(rows)
    found += _repeated(
        rows["pipeline_revisions"], "pipeline_revisions", "number", lambda r: (r["pipeline_id"],)
    )
    found += _customers(rows)
    pipeline_of = {stage["id"]: stage["pipeline_id"] for stage in rows["stages"]}
    for index, deal in enumerate(rows["deals"]):
        if pipeline_of.get(deal["stage_id"]) != deal["pipeline_id"]:
            found.append(
                (
                    f"deals[{index}].stage_id",
                    f"stage {deal['stage_id']} is not a stage of pipeline {deal['pipeline_id']}",
                )
            )
    return found


def _customers(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """Accounts and contacts as `accounts` keeps them, and deals that agree with their records.

    A record's key is its name folded, one record per key; a deal's account text
    is its record's name and its contact belongs to its account. A deal that
    names an account but links none is linked by the restore (an older export).
    """
    found: list[tuple[str, str]] = []
    for table, scope in (("accounts", lambda r: ()), ("contacts", lambda r: (r["account_id"],))):
        seen: dict[tuple[object, ...], int] = {}
        for index, row in enumerate(rows[table]):
            if row["name_key"] != fold_name(row["name"]):
                found.append(
                    (f"{table}[{index}].name_key", f"{row['name_key']!r} is not the name folded")
                )
            key = (*scope(row), row["name_key"])
            if key in seen:
                found.append(
                    (f"{table}[{index}].name", f"{row['name']!r} repeats {table}[{seen[key]}]")
                )
            seen.setdefault(key, index)
    accounts = {row["id"]: row for row in rows["accounts"]}
    contacts = {row["id"]: row for row in rows["contacts"]}
    for index, deal in enumerate(rows["deals"]):
        where = f"deals[{index}] (id {deal['id']})"
        account = accounts.get(deal["account_id"])
        if account is not None and deal["account"] != account["name"]:
            found.append(
                (where, f"account {deal['account']!r} is not its record's name {account['name']!r}")
            )
        contact = contacts.get(deal["contact_id"])
        if contact is not None and contact["account_id"] != deal["account_id"]:
            found.append((where, f"contact {contact['id']} is not a contact of its account"))
        if contact is not None and fold_name(deal["contact"]) != contact["name_key"]:
            found.append((where, f"contact {deal['contact']!r} is not its record's name"))
        if deal["origin_deal_id"] is not None and deal["origin_deal_id"] == deal["id"]:
            found.append((where, "origin_deal_id names the deal itself"))
    return found


def _pipeline_shapes(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """Each pipeline as a pipeline file must shape it: its stages, their criteria and templates.

    A board whose pipeline has no won stage cannot close a deal as won; the
    limits on criteria and templates are those of a pipeline file.
    """
    found: list[tuple[str, str]] = []
    stages_of: dict[object, list[dict[str, Any]]] = defaultdict(list)
    for stage in rows["stages"]:
        stages_of[stage["pipeline_id"]].append(stage)
    for index, pipeline in enumerate(rows["pipelines"]):
        stages = sorted(stages_of.get(pipeline["id"], []), key=lambda stage: stage["position"])
        try:
            check_stage_kinds([(stage["name"], StageKind(stage["kind"])) for stage in stages])
            _at_most(len(stages), MAX_STAGES, "stages")
        except (InvalidInput, ValueError) as error:
            why = reason(error) if isinstance(error, InvalidInput) else str(error)
            found.append((f"pipelines[{index}] ({pipeline['name']})", why))
    for table, limit in (("stage_criteria", MAX_CRITERIA), ("stage_templates", MAX_TEMPLATES)):
        per_stage = Counter(row["stage_id"] for row in rows[table])
        for stage_id, count in per_stage.items():
            if count > limit:
                found.append((f"{table} of stage {stage_id}", f"{count}; at most {limit}"))
    return found


def _at_most(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise InvalidInput(what, count, f"at most {limit}")


def _repeated(
    rows: list[dict[str, Any]],
    table: str,
    column: str,
    scope: Callable[[dict[str, Any]], tuple[object, ...]],
) -> list[tuple[str, str]]:
    seen: dict[tuple[object, ...], int] = {}
    found = []
    for index, row in enumerate(rows):
        key = (*scope(row), str(row[column]).casefold())
        if key in seen:
            found.append(
                (f"{table}[{index}].{column}", f"{row[column]!r} repeats {table}[{seen[key]}]")
            )
        seen.setdefault(key, index)
    return found
