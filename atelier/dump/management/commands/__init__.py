"""atelier import_community, export_community, seed_demo (see atelier/dump)."""
