"""Search has no model of its own: its index lives beside `post_post` (see index.py)."""
