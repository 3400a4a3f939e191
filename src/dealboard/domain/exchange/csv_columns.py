"""Which CSV column feeds which deal field: headers matched by name, as other CRMs export them.

A header is compared after splitting camelCase (Salesforce's `StageName`),
lower-casing, turning punctuation into spaces and dropping a leading "deal" or
"opportunity" (Pipedrive writes `Deal - Title`, HubSpot `Deal Name`,
Salesforce `Opportunity Owner`). API and internal names that survive none of
that (HubSpot's `dealstage`) are listed per CRM in `_CRM_NAMES`.
`--map COLUMN=field` overrides the guess, and `--map COLUMN=skip` ignores a column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealboard.domain.exchange.problems import Problem

#: Every field a column can feed, with what it holds (shown in `--help` and errors).
FIELDS: dict[str, str] = {
    "title": "the deal's name (required)",
    "value": "amount: 12500, 12,500.50, 12.500,50, $12.5k, EUR 900",
    "currency": "three-letter code (default: the pipeline's)",
    "pipeline": "pipeline name (default: --pipeline, else the first)",
    "stage": "stage name, any case; unknown ones need --stage-map",
    "status": "open, won or lost (Closed Won, Closed Lost…)",
    "is_closed": "true/false: closed (Salesforce IsClosed, HubSpot hs_is_closed)",
    "is_won": "true/false: won (Salesforce IsWon, HubSpot hs_is_closed_won)",
    "owner": "login or name; new names become users",
    "account": "company",
    "contact": "primary contact",
    "contact_type": "Suspect, Prospect, Lead or Customer",
    "source": "lead source",
    "tags": "labels separated by , or ;",
    "expected_close": "expected close date",
    "created": "when the deal was created",
    "closed": "when it was won or lost",
    "lost_reason": "why it was lost",
    "lost_note": "note on the loss",
    "notes": "free-text notes",
    "next_step": "the next step",
    "next_step_due": "the next step's due date",
}

#: `--map COLUMN=skip` (or an empty field) leaves a column out.
SKIP = "skip"

#: Other names `--map` accepts for a field (`--map Product=tag`).
FIELD_ALIASES = {"tag": "tags", "label": "tags", "labels": "tags"}

#: Fields several columns may feed; the first non-empty one counts (Won time, Lost time).
MERGED = frozenset({"closed"})

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "deal", "opportunity"),
    "value": ("value", "amount", "deal value", "deal amount", "opportunity amount", "amount value"),
    "currency": ("currency", "currency code", "currency of value", "amount currency"),
    "pipeline": ("pipeline", "pipeline name", "sales pipeline"),
    "stage": ("stage", "stage name", "deal stage", "sales stage", "pipeline stage"),
    "status": ("status", "deal status", "won lost", "outcome"),
    "owner": (
        "owner",
        "owner name",
        "deal owner",
        "opportunity owner",
        "assigned to",
        "assignee",
        "sales rep",
        "salesperson",
        "rep",
    ),
    "account": (
        "account",
        "account name",
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "company",
        "company name",
        "associated company",
        "customer",
        "client",
    ),
    "contact": (
        "contact",
        "contact name",
        "contact person",
        "person",
        "person name",
        "primary contact",
        "associated contact",
    ),
    "contact_type": ("contact type",),
    "source": (
        "source",
        "lead source",
        "deal source",
        "original source",
        "original source type",
        "origin",
        "channel",
    ),
    "tags": ("tags", "tag", "labels", "label"),
    "expected_close": (
        "expected close date",
        "expected close",
        "expected closing date",
        "close date",
        "closing date",
        "estimated close date",
        "target close date",
    ),
    "created": (
        "created",
        "created at",
        "created date",
        "created on",
        "created time",
        "create date",
        "creation date",
        "date created",
        "add time",
        "added",
        "added on",
    ),
    "closed": (
        "closed",
        "closed at",
        "closed date",
        "closed on",
        "closed time",
        "close time",
        "date closed",
        "actual close date",
        "won time",
        "won date",
        "won on",
        "lost time",
        "lost date",
        "lost on",
    ),
    "lost_reason": (
        "lost reason",
        "loss reason",
        "reason lost",
        "reason for loss",
        "closed lost reason",
        "lost reason category",
    ),
    "lost_note": ("lost note", "loss note", "lost reason note", "loss details"),
    "notes": ("notes", "note", "description", "comments", "comment", "details"),
    "next_step": ("next step", "next action"),
    "next_step_due": (
        "next step due",
        "next step date",
        "next step due date",
        "next action date",
        "next activity date",
    ),
}

# -- CRM export names ---------------------------------------------------------
# API, internal and display names as Salesforce, HubSpot, Pipedrive and Zoho
# export them, compared after `normal_header` (so `StageName` is `stage name`
# and `Deal - Deal created` is `created`). Only names the synonyms above miss.
_CRM_NAMES: dict[str, tuple[str, ...]] = {
    # Salesforce API (Data Loader, reports): Name, StageName, Amount, CloseDate,
    # CreatedDate, LeadSource, NextStep, IsClosed, IsWon, OwnerId, CurrencyIsoCode.
    # Report display names: Closed and Won are true/false columns there.
    # HubSpot internal: dealname, dealstage, closedate, createdate, amount,
    # hubspot_owner_id, pipeline, hs_is_closed, hs_is_closed_won, deal_currency_code,
    # closed_lost_reason, hs_next_step, hs_analytics_source.
    # Pipedrive (Deal - Title, Deal - Deal created, Deal - Won time…) and Zoho (Deal
    # Name, Closing Date, Created Time, Account Name, Deal Owner, Reason For Loss)
    # are matched by the synonyms once "Deal" is dropped.
    "title": ("dealname", "opportunity name", "deal title"),
    "stage": ("dealstage", "stagename", "stage id"),
    "value": ("amount in company currency",),
    "currency": ("currency iso code", "deal currency code", "currency code iso"),
    "owner": ("owner id", "hubspot owner id", "owner full name", "deal owner name"),
    "account": ("account id name", "organization name", "org name"),
    "source": ("hs analytics source", "original source type"),
    "expected_close": ("closedate", "expected close date time"),
    "created": ("createdate", "created time", "hs createdate", "deal created", "deal created on"),
    "closed": ("deal closed on", "closed on", "hs closed won date", "close date actual"),
    "lost_reason": ("closed lost reason", "reason for loss", "reason for loss s", "lost reason s"),
    "next_step": ("hs next step",),
    "is_closed": ("is closed", "hs is closed", "is deal closed", "closed flag", "is closed flag"),
    "is_won": ("is won", "won", "hs is closed won", "is closed won", "won flag"),
}
# -- end of CRM export names ---------------------------------------------------

_BY_NAME = {name: field for field, names in _SYNONYMS.items() for name in names}
for _field, _names in _CRM_NAMES.items():
    for _name in _names:
        _BY_NAME.setdefault(_name, _field)
_PREFIX = re.compile(r"^(deal|opportunity|opp)\b\s*")
#: A lower-case letter or digit followed by a capital, or a capital run before a word:
#: `CloseDate`, `IsWon`, `CurrencyIsoCode`, `URLName`.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class ColumnPlan:
    """Where each field comes from: column indexes per field, and the columns left out."""

    fields: dict[str, tuple[int, ...]]
    #: (header, why it is not used) for every column that feeds nothing.
    skipped: tuple[tuple[str, str], ...]
    #: (header, field) for every column that is used, in file order.
    used: tuple[tuple[str, str], ...]


def normal_header(header: str) -> str:
    """`Deal - Expected close date` → `expected close date`; `StageName` → `stage name`."""
    split = _CAMEL.sub(" ", header)
    words = re.sub(r"[^0-9a-z]+", " ", split.casefold()).strip()
    stripped = words
    while _PREFIX.match(stripped):
        stripped = _PREFIX.sub("", stripped, count=1)
    return stripped or words


def guess_field(header: str) -> str | None:
    """The field a header names, or None."""
    return _BY_NAME.get(normal_header(header))


def plan_columns(
    headers: tuple[str, ...], maps: tuple[str, ...], file: str
) -> tuple[ColumnPlan, list[Problem]]:
    """Match headers to fields, `--map` first; returns the plan and any problems with the maps."""
    problems: list[Problem] = []
    chosen: dict[int, str] = {}
    by_header = {h.casefold(): i for i, h in enumerate(headers)}
    by_normal = {normal_header(h): i for i, h in reversed(list(enumerate(headers)))}
    for raw in maps:
        column, sep, field = raw.partition("=")
        column, field = column.strip(), field.strip().lower().replace("-", "_")
        field = FIELD_ALIASES.get(field, field)
        if not sep or not column:
            problems.append(
                Problem("--map", f"{raw!r}: write COLUMN=field, e.g. 'Deal Name=title'")
            )
            continue
        index = by_header.get(column.casefold(), by_normal.get(normal_header(column)))
        if index is None:
            shown = ", ".join(repr(h) for h in headers)
            problems.append(
                Problem("--map", f"{file} has no column {column!r}; its columns: {shown}")
            )
            continue
        if field not in FIELDS and field not in (SKIP, ""):
            problems.append(
                Problem(
                    "--map", f"{raw!r}: no field {field!r}; use one of {', '.join(FIELDS)} or skip"
                )
            )
            continue
        chosen[index] = field or SKIP
    fields: dict[str, list[int]] = {}
    skipped: list[tuple[str, str]] = []
    for index, field in sorted(chosen.items()):
        if field == SKIP:
            skipped.append((headers[index], "--map skip"))
        elif field in fields and field not in MERGED:
            first = headers[fields[field][0]]
            problems.append(
                Problem("--map", f"columns {first!r} and {headers[index]!r} both map to {field}")
            )
        else:
            fields.setdefault(field, []).append(index)
    for index, header in enumerate(headers):
        if index in chosen:
            continue
        field = guess_field(header) if header else None
        if field is None:
            skipped.append((header or f"column {index + 1}", "no matching field"))
        elif field in fields and field not in MERGED:
            skipped.append((header, f"{field} comes from {headers[fields[field][0]]!r}"))
        else:
            fields.setdefault(field, []).append(index)
    used = sorted(
        ((index, field) for field, indexes in fields.items() for index in indexes),
        key=lambda pair: pair[0],
    )
    plan = ColumnPlan(
        {field: tuple(indexes) for field, indexes in fields.items()},
        tuple(skipped),
        tuple((headers[index], field) for index, field in used),
    )
    return plan, problems
