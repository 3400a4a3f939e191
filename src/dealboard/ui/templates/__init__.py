"""Stage templates on screen (`t`), and copying them or a deal summary (`y`, `Y`)."""
