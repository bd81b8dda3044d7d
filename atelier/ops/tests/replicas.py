"""A throw-away PostgreSQL primary and a streaming replica of it (pg_basebackup -R), each
on its own loopback port, for the read-replica tests. Run as root (as CI does), the
servers run as the `postgres` user, since PostgreSQL refuses to run as root."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from atelier.ops.tests.server import free_port


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PostgresPair:
    """`primary_url`, `replica_url`; `pause_replay()`, `resume_replay()`, `catch_up()`."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="atelier-pg-pair-"))
        self.primary_port, self.replica_port = free_port(), free_port()
        self.primary_url = f"postgres://postgres@127.0.0.1:{self.primary_port}/atelier"
        self.replica_url = f"postgres://postgres@127.0.0.1:{self.replica_port}/atelier"
        self._started: list[Path] = []

    def _run(self, *command: str, timeout: int = 120) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.root
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def _start(self, data: Path, port: int) -> None:
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options,
                  "-l", str(self.root / f"{data.name}.log"), "-w", "-t", "60", "start")  # fmt: skip
        self._started.append(data)

    def psql(self, port: int, sql: str, database: str = "atelier") -> str:
        return self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(port),
                         "-U", "postgres", "-d", database, "-Atc", sql).strip()  # fmt: skip

    def start(self) -> "PostgresPair":
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        primary = self.root / "primary"
        self._run(str(self.bin / "initdb"), "-D", str(primary), "-U", "postgres",
                  "-A", "trust", "--no-sync")  # fmt: skip
        self._start(primary, self.primary_port)
        self.psql(self.primary_port, "CREATE DATABASE atelier", database="postgres")
        return self

    def start_replica(self) -> None:
        """Copy the primary as it is now and follow it (call after migrating it)."""
        replica = self.root / "replica"
        self._run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1",
                  "-p", str(self.primary_port), "-U", "postgres", "-D", str(replica),
                  "-R", "-X", "stream", "--checkpoint=fast")  # fmt: skip
        self._start(replica, self.replica_port)
        assert self.psql(self.replica_port, "SELECT pg_is_in_recovery()") == "t"

    def pause_replay(self) -> None:
        self.catch_up()
        self.psql(self.replica_port, "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.psql(self.replica_port, "SELECT pg_wal_replay_resume()")
        self.catch_up()

    def catch_up(self, seconds: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written."""
        target = self.psql(self.primary_port, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + seconds
        while (
            self.psql(self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            != "t"
        ):
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not reach {target} in {seconds}s")
            time.sleep(0.05)

    def stop(self) -> None:
        for data in reversed(self._started):
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
