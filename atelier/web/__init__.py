"""The pages: the feed at /, the staff dashboard, log-in; and their small JSON helpers."""
