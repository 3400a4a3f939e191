"""The Textual front end: screens and widgets that call `dealboard.domain`, never SQL."""
