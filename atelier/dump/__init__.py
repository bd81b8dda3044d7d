"""The community dump (docs/api.md "Community dump format"): parse, import, export, demo seed."""
