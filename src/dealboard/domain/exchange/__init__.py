"""Deals in and out of a board as files: CSV from CRMs and spreadsheets, JSON of a whole board.

`csv_*` modules read (and write) one row per deal; `board_json` and
`restore` carry every table losslessly so a board can be moved or copied.
Nothing here knows about the command line: problems come back as data.
"""
