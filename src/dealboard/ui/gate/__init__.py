"""Dialogs that guard a deal's stage: the checklist gate, won and lost."""
