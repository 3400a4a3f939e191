"""The scriptable command line: the same rules as the board, one-line errors, stable exit codes."""
