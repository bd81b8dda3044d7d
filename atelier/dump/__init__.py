"""The community dump (API.md "Community dump format"): parse, import, export, demo seed."""
