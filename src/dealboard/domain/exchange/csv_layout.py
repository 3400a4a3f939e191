"""Which columns an import reads, once the options and the cells have had their say.

The header guess (`csv_columns`) sees names only. Here `--pipeline` and
`--all-in` take their columns out, a `Closed` column holding true/false (a
Salesforce report) is read as IsClosed, and a column that looks like a stage
but matched nothing stops the import, unless `--stage-map` shows it is meant
(then it is read as the stage).
"""

from __future__ import annotations

from dealboard.domain.exchange.csv_columns import ColumnPlan
from dealboard.domain.exchange.csv_guesses import holds_flags, looks_like_stage
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_source import CsvTable
from dealboard.domain.exchange.problems import Problem


def settle_columns(plan: ImportPlan, table: CsvTable, options: CsvOptions) -> None:
    """Adjust `plan.columns` (its `fields` dict is changed in place) and add problems."""
    fields = plan.columns.fields
    if options.pipeline is not None and "pipeline" in fields:
        _drop(plan, table, "pipeline", "--pipeline given")
    if options.all_in is not None and "stage" in fields:
        _drop(plan, table, "stage", "--all-in given")
    _read_flag_columns(plan, table)
    _check_stage_column(plan, table, options)


def _drop(plan: ImportPlan, table: CsvTable, field: str, why: str) -> None:
    """Leave out the columns feeding `field` (an option decides it instead)."""
    columns = plan.columns
    used = columns.fields.pop(field)
    skipped = [(table.headers[i], why) for i in used]
    plan.columns = ColumnPlan(
        columns.fields,
        columns.skipped + tuple(skipped),
        tuple(u for u in columns.used if u[1] != field),
    )


def _retarget(plan: ImportPlan, table: CsvTable, index: int, field: str) -> None:
    """Read column `index` as `field` instead of what its header suggested."""
    columns = plan.columns
    fields = columns.fields
    header = table.headers[index]
    for name, indexes in list(fields.items()):
        if index in indexes:
            rest = tuple(i for i in indexes if i != index)
            if rest:
                fields[name] = rest
            else:
                del fields[name]
    fields[field] = (*fields.get(field, ()), index)
    used = [(h, f) for h, f in columns.used if h != header]
    used.append((header, field))
    order = {h: i for i, h in enumerate(table.headers)}
    plan.columns = ColumnPlan(
        fields,
        tuple(s for s in columns.skipped if s[0] != header),
        tuple(sorted(used, key=lambda pair: order.get(pair[0], 0))),
    )


def _read_flag_columns(plan: ImportPlan, table: CsvTable) -> None:
    """A Salesforce report's `Closed` holds true/false, not a date: read it as IsClosed."""
    fields = plan.columns.fields
    if "is_closed" in fields:
        return
    for index in fields.get("closed", ()):
        if holds_flags(cells[index] for _, cells in table.rows):
            _retarget(plan, table, index, "is_closed")
            return


def _check_stage_column(plan: ImportPlan, table: CsvTable, options: CsvOptions) -> None:
    """A column that looks like a stage but matched nothing stops the import.

    Without it every deal would land, open, in the first stage. With
    `--stage-map` it is read as the stage column (the maps are for it);
    `--all-in STAGE` or `--map COLUMN=stage|skip` decide otherwise.
    """
    if "stage" in plan.columns.fields or len(table.headers) < 2:
        return
    unmatched = [
        header
        for header, why in plan.columns.skipped
        if why == "no matching field" and looks_like_stage(header)
    ]
    if options.all_in is not None:
        columns = plan.columns
        skipped = tuple(
            (header, "--all-in given" if header in unmatched else why)
            for header, why in columns.skipped
        )
        plan.columns = ColumnPlan(columns.fields, skipped, columns.used)
        return
    if options.stage_maps and len(unmatched) == 1:
        _retarget(plan, table, table.headers.index(unmatched[0]), "stage")
        plan.stage_column_guessed = unmatched[0]
        return
    if options.stage_maps and not unmatched:
        message = "the file has no stage column to map; name one with --map 'COLUMN=stage'"
        plan.problems.append(Problem("--stage-map", message))
        return
    for header in unmatched:
        plan.problems.append(
            Problem(
                table.file,
                f"column {header!r} looks like the deals' stage but is not read as one; "
                f"read it with --map '{header}=stage' (or --stage-map NAME=STAGE), put every "
                f"deal in one stage with --all-in STAGE, or leave it out with "
                f"--map '{header}=skip'",
            )
        )
