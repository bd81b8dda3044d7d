"""Time the phases of `import_community FILE`: wall time, this process's CPU, PostgreSQL's.

    DATABASE_URL=postgres://.../<fresh migrated db> \
        .venv/bin/python benchmarks/import_phases.py FILE

It runs the real command with a timer around each phase. The settling done on the COPY
thread shows as "(thread)", wall time only (its CPU is the server's, within "parse+copy").
PostgreSQL's CPU is the import's backend process, read from /proc (same machine only).
"""

import os
import resource
import sys
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402

from atelier.dump import importer  # noqa: E402
from atelier.feed import affinity  # noqa: E402

phases: list[tuple[str, float, float, float]] = []


def backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(owner, name: str, label: str) -> None:
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            started = time.perf_counter()
            result = function(*args, **kwargs)
            phases.append((f"{label} (thread)", time.perf_counter() - started, 0.0, 0.0))
            return result
        started, cpu, server = time.perf_counter(), own_cpu(), backend_cpu()
        result = function(*args, **kwargs)
        phases.append(
            (label, time.perf_counter() - started, own_cpu() - cpu, backend_cpu() - server)
        )
        return result

    setattr(owner, name, wrapper)


timed(importer.CommunityLoader, "add_all", "parse+copy")
timed(importer, "_recount_posts", "recount posts")
timed(importer, "_recount_members", "recount members")
timed(affinity, "rebuild", "affinity rebuild")
timed(importer._DeferredIndexes, "settle", "settle")
timed(importer, "_reset_sequences", "sequences")
timed(importer.CommunityLoader, "finish", "finish (all of the above after parse)")

started, cpu = time.perf_counter(), own_cpu()
call_command("import_community", sys.argv[1])
total = time.perf_counter() - started
for label, wall, python, server in phases:
    print(f"{label:40s} wall {wall:7.2f} s  Python {python:6.2f} s  PostgreSQL {server:6.2f} s")
print(f"total wall {total:.2f} s, Python CPU {own_cpu() - cpu:.2f} s")
