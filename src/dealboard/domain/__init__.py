"""The rules of the sales process and the operations on a board.

Plain data in, plain data out: callers (the CLI, the Textual UI) never see a
database session. Never imports the UI, the CLI or Textual.
"""
