"""The deal at a glance, above (80 columns) or beside (wide terminals) its panels.

Narrow, it is five lines that each fit one row; wide, it also lists the
current stage's exit criteria, so a pipeline review needs no extra key.
"""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from dealboard.domain.columns import checklist_progress, days_in_stage, next_step_overdue
from dealboard.domain.money import format_money
from dealboard.domain.records import DealDetail
from dealboard.ui.board.cards import OBJECTION_MARK
from dealboard.ui.deal.common import day
from dealboard.ui.text import plain, plain_line
from dealboard.vocabulary import StageKind


class DealHeader(Static):
    """Title, account, stage, value, owner, next step, checklist progress and tags."""

    COMPONENT_CLASSES = {
        "deal-header--title",
        "deal-header--label",
        "deal-header--late",
        "deal-header--objection",
        "deal-header--won",
        "deal-header--lost",
        "deal-header--done",
    }

    def show(self, detail: DealDetail, today: date, *, wide: bool) -> None:
        """Redraw for `detail`; `wide` adds the checklist and the less urgent fields."""
        if wide:
            self.update(self._wide_view(detail, today))
        else:
            self.update(Text("\n", end="").join(self._narrow_lines(detail, today)))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"deal-header--{name}")

    def _title(self, detail: DealDetail, *, wrap: bool = False) -> Text:
        deal = detail.summary
        shown = plain if wrap else plain_line
        return Text(f"#{deal.id} ", end="") + shown(deal.title, self._style("title"))

    def _stage(self, detail: DealDetail, today: date) -> Text:
        deal = detail.summary
        if deal.stage_kind is StageKind.OPEN:
            return plain_line(f"{deal.stage} · {days_in_stage(deal, today)}d in stage")
        text = plain_line(f"{deal.stage} ({deal.status})", self._style(deal.status))
        if deal.loss_reason is not None:
            text += plain_line(f" · {deal.loss_reason.value} {deal.loss_note}".rstrip())
        return text

    def _next_step(self, detail: DealDetail, today: date) -> Text:
        deal = detail.summary
        if not deal.next_step:
            late = deal.stage_kind is StageKind.OPEN
            return Text("none set", style=self._style("late") if late else "", end="")
        text = plain_line(deal.next_step)
        if deal.next_step_due is not None:
            if next_step_overdue(deal, today):
                text += Text(f" · due {day(deal.next_step_due)} OVERDUE", self._style("late"))
            else:
                text += Text(f" · due {day(deal.next_step_due)}")
        return text

    def _facts(self, detail: DealDetail) -> Text:
        """Checklist progress, open objections and tags on one line."""
        deal = detail.summary
        parts: list[Text] = []
        progress = checklist_progress(deal)
        if progress:
            done = deal.checklist_done == deal.checklist_total
            parts.append(Text(f"☑ {progress}", self._style("done") if done else ""))
        if deal.open_objections:
            objections = f"{OBJECTION_MARK} {deal.open_objections} open"
            parts.append(Text(objections, self._style("objection")))
        if deal.tags:
            parts.append(plain_line(" ".join(f"#{t}" for t in deal.tags)))
        return Text("  ", end="").join(parts)

    def _lineage(self, detail: DealDetail) -> Text:
        """`From #12 Acme renewal · Referred by Globex`: where a repeat deal came from."""
        lineage = detail.lineage
        if lineage is None:
            return Text("", end="")
        parts: list[str] = []
        if lineage.origin_deal_id is not None:
            kind = lineage.origin_kind.value if lineage.origin_kind is not None else ""
            origin = " ".join(
                p for p in (f"#{lineage.origin_deal_id}", lineage.origin_account, kind) if p
            )
            parts.append(f"From {origin}")
        if lineage.referred_by:
            parts.append(f"Referred by {lineage.referred_by}")
        return plain_line(" · ".join(parts))

    def _narrow_lines(self, detail: DealDetail, today: date) -> list[Text]:
        deal = detail.summary
        who = " · ".join(v for v in (deal.account, deal.contact, deal.owner_display) if v)
        money = format_money(deal.value_minor, deal.currency)
        return [
            self._title(detail),
            plain_line(who),
            self._stage(detail, today) + Text(" · ") + plain_line(money),
            Text("Next: ", self._style("label")) + self._next_step(detail, today),
            self._facts_and_lineage(detail),
        ]

    def _facts_and_lineage(self, detail: DealDetail) -> Text:
        """The narrow view's last line: the facts, then the lineage (a fifth line, not a sixth)."""
        facts, lineage = self._facts(detail), self._lineage(detail)
        if not lineage.plain:
            return facts
        return Text("  ", end="").join(p for p in (facts, lineage) if p.plain)

    def _wide_view(self, detail: DealDetail, today: date) -> Group:
        """Labelled rows in a grid, so a long value wraps under itself, not under its label."""
        deal = detail.summary
        facts = Table.grid(padding=(0, 1))
        facts.add_column(style=self._style("label"), no_wrap=True)
        facts.add_column()
        contact = f"{deal.contact} ({deal.contact_type.value})" if deal.contact else ""
        for label, value in (
            ("Account", plain(deal.account)),
            ("Contact", plain(contact)),
            ("Stage", self._stage(detail, today)),
            ("Value", plain(format_money(deal.value_minor, deal.currency))),
            ("Owner", plain(f"{deal.owner_display} ({deal.owner})")),
            ("Close", Text(day(deal.expected_close))),
            ("Source", plain(deal.source)),
            *((("Lineage", self._lineage(detail)),) if detail.lineage is not None else ()),
            ("Next step", self._next_step(detail, today)),
            ("Progress", self._facts(detail)),
        ):
            value.no_wrap = False
            facts.add_row(label, value)
        title = self._title(detail, wrap=True)
        title.end = "\n"
        parts: list[RenderableType] = [title, Text(""), facts]
        criteria = [item for item in detail.checklist if item.stage == deal.stage]
        if criteria and deal.stage_kind is StageKind.OPEN:
            heading = plain(f"Leave {deal.stage} when", self._style("label"))
            heading.end = "\n"
            parts += [Text(""), heading]
            checklist = Table.grid(padding=(0, 1))
            checklist.add_column(no_wrap=True)
            checklist.add_column()
            for item in criteria:
                style = self._style("done") if item.checked else ""
                checklist.add_row(Text("[x]" if item.checked else "[ ]"), plain(item.text, style))
            parts.append(checklist)
        return Group(*parts)
