"""Collectives, their channels and memberships."""
