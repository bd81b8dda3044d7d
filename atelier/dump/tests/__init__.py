"""Tests of the community dump: import, export, round trip, demo seed."""
