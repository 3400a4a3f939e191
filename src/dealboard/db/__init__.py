"""The database layer: engine set-up, the ORM models and the migration runner.

Never imports the UI, the CLI or Textual (an import-linter contract checks it).
"""
