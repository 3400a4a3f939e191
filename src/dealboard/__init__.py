"""dealboard: a terminal kanban for running a sales process with stage gates."""

__version__ = "0.1.0"
