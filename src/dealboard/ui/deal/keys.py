"""The deal screen's keys: a public interface (users remap them by id in a keymap).

Several keys mean "the same thing on the panel in view" (`a` adds a
stakeholder, an objection or an activity); each meaning is its own binding
with its own id, and the screen enables only the ones of the open panel
(on Research, `e` edits the selected note or the selected stakeholder).
"""

from __future__ import annotations

from textual.binding import Binding

#: The panel each panel-bound action belongs to.
PANEL_OF = {
    "add_stakeholder": "research",
    "edit_stakeholder": "research",
    "remove_stakeholder": "research",
    "add_objection": "objections",
    "edit_objection": "objections",
    "answer_objection": "objections",
    "resolve_objection": "objections",
    "reopen_objection": "objections",
    "log_activity": "activity",
    "complete_activity": "activity",
    "answer_bant": "bant",
}
#: The table whose highlighted row each panel's row actions apply to.
TABLE_OF = {
    "research": "#stakeholder-table",
    "objections": "#objection-table",
    "activity": "#activity-table",
    "history": "#audit-table",
    "bant": "#bant-table",
}

DEAL_BINDINGS: list[Binding] = [
    Binding("escape", "cancel_note", "Cancel", id="deal.note.cancel"),
    Binding("escape,q", "back", "Back", id="deal.back"),
    Binding("1", "panel('research')", "Research panel", show=False, id="deal.panel.research"),
    Binding("2", "panel('objections')", "Objections panel", show=False, id="deal.panel.objections"),
    Binding("3", "panel('activity')", "Activity panel", show=False, id="deal.panel.activity"),
    Binding("4", "panel('history')", "History panel", show=False, id="deal.panel.history"),
    Binding("5", "panel('bant')", "BANT panel", show=False, id="deal.panel.bant"),
    Binding("ctrl+s", "save_research", "Save note", id="deal.research.save"),
    Binding("e,enter", "edit_note", "Edit note", id="deal.note.edit"),
    Binding("a", "add_stakeholder", "Add stakeholder", id="deal.stakeholder.add"),
    Binding("e", "edit_stakeholder", "Edit", id="deal.stakeholder.edit"),
    Binding("d", "remove_stakeholder", "Remove", id="deal.stakeholder.remove"),
    Binding("a", "add_objection", "Add objection", id="deal.objection.add"),
    Binding("e", "edit_objection", "Edit", id="deal.objection.edit"),
    Binding("r", "answer_objection", "Answer", id="deal.objection.answer"),
    Binding("v", "resolve_objection", "Resolve", id="deal.objection.resolve"),
    Binding("o", "reopen_objection", "Reopen", id="deal.objection.reopen"),
    Binding("a", "log_activity", "Log activity", id="deal.activity.add"),
    Binding("c", "complete_activity", "Mark done", id="deal.activity.complete"),
    Binding("e", "answer_bant", "Answer", id="deal.bant.answer"),
    Binding("E", "edit_deal", "Edit deal", show=False, id="deal.edit"),
    Binding(
        "t", "templates", "Stage templates (call scripts, emails)", show=False, id="deal.templates"
    ),
    Binding(
        "y",
        "copy_template",
        "Copy the stage template, filled in",
        show=False,
        id="deal.copy-template",
    ),
    Binding(
        "Y",
        "copy_summary",
        "Copy a Markdown summary of the deal",
        show=False,
        id="deal.copy-summary",
    ),
    Binding(
        "C",
        "account",
        "Customer: the account's deals, lineage, last touch",
        show=False,
        id="deal.account",
    ),
    Binding("ctrl+r", "reload", "Reload", show=False, id="deal.reload"),
    Binding("u", "undo", "Undo my last change", show=False, id="deal.undo"),
    Binding("U", "redo", "Redo what I undid", show=False, id="deal.redo"),
    Binding(
        "N",
        "repeat_deal",
        "New deal for this customer (upsell, renewal…)",
        show=False,
        id="deal.repeat",
    ),
]
