"""One deal up close: the deal form, and the detail screen with notes, objections and history."""
