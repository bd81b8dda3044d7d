"""Users, fellows, blocks and preferences."""
