"""Notifications of appreciations, remarks and fellow requests."""
