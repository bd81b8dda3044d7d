#!/usr/bin/env python
"""Django's manage.py; the same as `.venv/bin/atelier`."""

from config.manage import main

if __name__ == "__main__":
    main()
