"""`make load`: the long-tail community under Locust, against `atelier serve` with Redis.

For each size (LOAD_SIZES, default "200k 1m") it builds or reuses the community on
PostgreSQL (`atelier load_prepare`), starts `atelier serve` (and `atelier worker` when the
project has that command), then runs a step load: for each user count, the
chronological-only mix and the full mix, one after the other (so both see the same machine),
each a separate headless Locust process. At the largest size a soak follows (LOAD_SOAK
seconds of the full mix) while the workers' memory is sampled. It writes a markdown report,
a JSON file and PNG charts to benchmarks/results/ and prints the report with the targets.

Knobs (environment): LOAD_SIZES, LOAD_PG (server URL without database), LOAD_DB_PREFIX
(atelier_load: atelier_load200k, atelier_load1m), LOAD_REDIS_URL, LOAD_TASKS_BROKER_URL
(redis://127.0.0.1:6379/7; "inline" for none), LOAD_STEPS ("4 8 16 32
48" users), LOAD_STEP_SECONDS (45), LOAD_SOAK (600; 0 for none), LOAD_SOAK_USERS (16),
LOAD_PORT (8613), LOAD_WORKERS (atelier serve's default), LOAD_P95_MS (100),
LOAD_PROFILE_USERS (32; 0 for none: after the steps, one more step of the full mix with
py-spy sampling every web worker, not counted in the targets, to say where the time goes).
"""

import csv
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATELIER = ROOT / ".venv" / "bin" / "atelier"
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
PY_SPY = ROOT / ".venv-load" / "bin" / "py-spy"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
RESULTS = ROOT / "benchmarks" / "results"
WORK = ROOT / "var" / "load"

SIZES = {"200k": 200_000, "1m": 1_000_000}
SEED = 1


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


PG = env("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = env("LOAD_DB_PREFIX", "atelier_load")
REDIS_URL = env("LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
# The task queue (exposure writes, rollups) on its own Redis database, so `atelier worker`
# runs beside the web workers as in production; LOAD_TASKS_BROKER_URL=inline runs tasks in
# the web processes instead.
TASKS_BROKER_URL = env("LOAD_TASKS_BROKER_URL", "redis://127.0.0.1:6379/7")
STEPS = [int(n) for n in env("LOAD_STEPS", "4 8 16 32 48").split()]
STEP_SECONDS = int(env("LOAD_STEP_SECONDS", "45"))
SOAK_SECONDS = int(env("LOAD_SOAK", "600"))
SOAK_USERS = int(env("LOAD_SOAK_USERS", "16"))
PORT = int(env("LOAD_PORT", "8613"))
WORKERS = os.environ.get("LOAD_WORKERS")
P95_TARGET_MS = float(env("LOAD_P95_MS", "100"))
PROFILE_USERS = int(env("LOAD_PROFILE_USERS", "32"))
PROFILE_SECONDS = 30
HOST = f"http://127.0.0.1:{PORT}"
# Memory is "flat" when no worker's RSS grew more than this over the soak (second fifth
# against last fifth, medians, so one large request does not decide it).
FLAT_GROWTH = 0.05


def log(message: str) -> None:
    print(f"[load {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- The database ----------------------------------------------------------------------------


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", f"{PG}/{database}", "-qAtc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def prepare(size: str, server_env: dict) -> dict:
    """Build or reuse the community; return the viewers file's contents and where it is."""
    database = f"{DB_PREFIX}{size}"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    mark = f"atelier load: long-tail posts={SIZES[size]} seed={SEED} complete"
    if exists:
        comment = psql(
            f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{database}'"
        )
        if comment != mark:
            log(f"{database} exists but is not a complete build: dropping it")
            psql(f'DROP DATABASE "{database}" WITH (FORCE)')
            exists = False
    if not exists:
        psql(f'CREATE DATABASE "{database}"')
        log(f"building the long-tail community, {SIZES[size]:,} posts, in {database}")
    subprocess.run([ATELIER, "migrate", "--noinput", "-v0"], env=server_env, check=True)
    viewers = WORK / f"viewers-{size}.json"
    started = time.perf_counter()
    subprocess.run(
        ["nice", "-n", "10", ATELIER, "load_prepare", "--posts", str(SIZES[size]),
         "--seed", str(SEED), "--out", str(viewers)],
        env=server_env, check=True,
    )  # fmt: skip
    log(f"prepared in {time.perf_counter() - started:.0f} s")
    return {"path": str(viewers), **json.loads(viewers.read_text())}


def server_environment(size: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_PREFIX}{size}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "METRICS_PUBLIC": "true",
        "QUERY_COUNT_HEADER": "true",
        "LOG_LEVEL": "WARNING",
        # Every virtual user comes from 127.0.0.1: the per-address throttles would turn the
        # load into 429s, which is not what is measured here.
        "THROTTLE_ANON_RATE": "1000000/min",
        "THROTTLE_USER_RATE": "1000000/min",
        # No recycling of workers: the soak is to show whether their memory stays flat.
        "WEB_MAX_REQUESTS": "0",
        "PORT": str(PORT),
        "TASKS_BROKER_URL": "" if TASKS_BROKER_URL == "inline" else TASKS_BROKER_URL,
        **({"WEB_CONCURRENCY": WORKERS} if WORKERS else {}),
    }


# --- The server and its memory ---------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`atelier serve` (and `atelier worker` when present), with an RSS sampler."""

    def __init__(self, server_env: dict, name: str):
        self.env = server_env
        self.log = open(WORK / f"serve-{name}.log", "w")
        self.samples: list[tuple[float, str, int, float]] = []  # (t, role, pid, MB)
        self.phase = "start"
        self._stop = threading.Event()
        self.task_worker = None

    def start(self) -> None:
        pidfile = WORK / "serve.pid"
        pidfile.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [ATELIER, "serve", "--pid", str(pidfile)],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if self.env["TASKS_BROKER_URL"] and has_worker_command(self.env):
            log("starting `atelier worker`")
            self.task_worker = subprocess.Popen(
                [ATELIER, "worker"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"atelier serve exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{HOST}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"atelier serve is not ready after 60 s; see {self.log.name}")
        self.started = time.monotonic()
        threading.Thread(target=self._sample, daemon=True).start()
        log(f"atelier serve ready: {len(self.web_workers())} workers on {HOST}")

    def web_workers(self) -> list[int]:
        return children(self.process.pid)

    def task_workers(self) -> list[int]:
        if self.task_worker is None:
            return []
        return [self.task_worker.pid, *children(self.task_worker.pid)]

    def cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.web_workers())

    def _sample(self) -> None:
        while not self._stop.wait(2.0):
            now = time.monotonic() - self.started
            for role, pids in (("web", self.web_workers()), ("task", self.task_workers())):
                for pid in pids:
                    mb = rss_mb(pid)
                    if mb is not None:
                        self.samples.append((round(now, 1), f"{role}:{self.phase}", pid, mb))

    def stop(self) -> None:
        self._stop.set()
        for process in (self.task_worker, self.process):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.log.close()


def has_worker_command(server_env: dict) -> bool:
    listing = subprocess.run(
        [ATELIER, "help", "--commands"], env=server_env, capture_output=True, text=True
    ).stdout.split()
    return "worker" in listing


# --- Metrics ---------------------------------------------------------------------------------

_SAMPLE = re.compile(r'^(atelier_feed_cache_(?:hits|misses)_total)\{level="([^"]+)"\} (\S+)$')


def cache_counters() -> dict[tuple[str, str], float]:
    with urllib.request.urlopen(f"{HOST}/metrics", timeout=10) as response:
        text = response.read().decode()
    out = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            out[(match[2], "hit" if "hits" in match[1] else "miss")] = float(match[3])
    return out


def hit_rates(before: dict, after: dict) -> dict[str, dict]:
    levels = sorted({level for level, _ in after})
    rates = {}
    for level in levels:
        hits = after.get((level, "hit"), 0) - before.get((level, "hit"), 0)
        misses = after.get((level, "miss"), 0) - before.get((level, "miss"), 0)
        total = hits + misses
        rates[level] = {
            "hits": int(hits),
            "misses": int(misses),
            "hit_rate": round(hits / total, 4) if total else None,
        }
    return rates


# --- Locust ----------------------------------------------------------------------------------


def run_locust(label: str, mix: str, users: int, seconds: int, viewers: str, server: Server):
    prefix = WORK / label
    queries = WORK / f"{label}-queries.json"
    locust_env = {
        **os.environ,
        "LOAD_VIEWERS": viewers,
        "LOAD_MIX": mix,
        "LOAD_QUERIES_OUT": str(queries),
        "LOAD_SEED": str(users),
    }
    command = [
        LOCUST, "-f", LOCUSTFILE, "--headless", "--host", HOST,
        "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s",
        "--csv", str(prefix), "--reset-stats", "--only-summary", "--loglevel", "WARNING",
        "--exit-code-on-error", "0", "--stop-timeout", "5",
    ]  # fmt: skip
    server.phase = label
    load_before, cpu_before, counters_before = loadavg(), server.cpu(), cache_counters()
    started = time.monotonic()
    with open(f"{prefix}.log", "w") as output:
        subprocess.run(command, env=locust_env, check=True, stdout=output, stderr=output)
    elapsed = time.monotonic() - started
    cpu_used = server.cpu() - cpu_before
    counters_after = cache_counters()
    stats = parse_stats(Path(f"{prefix}_stats.csv"))
    total = stats.pop("Aggregated")
    result = {
        "label": label,
        "mix": mix,
        "users": users,
        "seconds": seconds,
        "rps": total["rps"],
        "p50": total["p50"],
        "p95": total["p95"],
        "p99": total["p99"],
        "requests": total["requests"],
        "errors": total["failures"],
        "kinds": stats,
        "queries": json.loads(queries.read_text()) if queries.exists() else {},
        "hit_rates": hit_rates(counters_before, counters_after),
        "loadavg": [load_before, loadavg()],
        "server_cpu_ms_per_request": round(1000 * cpu_used / max(1, total["requests"]), 1),
        "server_cpu_share": round(cpu_used / elapsed, 2),
    }
    failures = Path(f"{prefix}_failures.csv")
    if result["errors"] and failures.exists():
        result["failures"] = list(csv.DictReader(failures.open()))[:10]
    log(
        f"{label}: {result['rps']:.1f} req/s, p50 {result['p50']:.0f} / p95 "
        f"{result['p95']:.0f} / p99 {result['p99']:.0f} ms, {result['errors']} errors, "
        f"load {result['loadavg'][0]:.1f}->{result['loadavg'][1]:.1f}"
    )
    return result


def _ms(text: str) -> float:
    return 0.0 if text in ("", "N/A") else float(text)


def parse_stats(path: Path) -> dict[str, dict]:
    out = {}
    for row in csv.DictReader(path.open()):
        if int(row["Request Count"]) == 0 and row["Name"] != "Aggregated":
            continue
        out[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": _ms(row["50%"]),
            "p95": _ms(row["95%"]),
            "p99": _ms(row["99%"]),
            "mean": _ms(row["Average Response Time"]),
        }
    return out


# --- Where the time goes (py-spy) -----------------------------------------------------------

# Frames are "function (path:line)"; a sample's time is charged to the package of its
# innermost frame (self time), and to each request kind's view (inclusive time).
_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^:()]+)(?::\d+)?\)$")
_PACKAGES = (
    ("atelier/feed/", "atelier.feed"),
    ("atelier/", "atelier (other)"),
    ("rest_framework/", "rest_framework"),
    ("django/db/", "django.db (ORM, SQL compiler)"),
    ("django/", "django (other)"),
    ("psycopg", "psycopg (driver, waits on PostgreSQL)"),
    ("redis/", "redis client"),
    ("django_redis/", "redis client"),
    ("json/", "json"),
    ("numpy/", "numpy"),
    ("prometheus_client/", "prometheus_client"),
    ("gunicorn/", "gunicorn"),
)


def package_of(path: str) -> str:
    for fragment, name in _PACKAGES:
        if fragment in path:
            return name
    return "python (stdlib, other)"


def summarize_profile(raw_files: list[Path]) -> dict:
    """Self time by package and inclusive time by function of Atelier's code."""
    by_package: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for raw in raw_files:
        if not raw.exists():
            continue
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = [m for m in (_FRAME.match(f) for f in stack.split(";")) if m]
            if not frames:
                continue
            leaf = frames[-1]
            if leaf["function"] == "SyncWorker.wait":  # idle: waiting for the next request
                continue
            total += n
            package = package_of(leaf["path"])
            by_package[package] = by_package.get(package, 0) + n
            seen = set()
            for frame in frames:
                path = frame["path"]
                wrapper = (
                    "Middleware.__call__" in frame["function"]
                    or "QueryCounter" in frame["function"]
                )  # they wrap every request (or every query): no news in them
                if not wrapper and (path.startswith("atelier/") or "/atelier/atelier/" in path):
                    name = f"{frame['function']} ({path[path.index('atelier/') :]})"
                    if name not in seen:
                        seen.add(name)
                        inclusive[name] = inclusive.get(name, 0) + n
    share = lambda n: round(n / total, 4) if total else 0  # noqa: E731
    return {
        "samples": total,
        "self_by_package": {
            k: share(v) for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])
        },
        "atelier_inclusive": {
            k: share(v) for k, v in sorted(inclusive.items(), key=lambda kv: -kv[1])[:15]
        },
    }


def profile(size: str, viewers: str, server: Server) -> dict | None:
    if not PROFILE_USERS or not PY_SPY.exists():
        return None
    samplers = []
    raws = []
    for pid in server.web_workers():
        raw = WORK / f"{size}-profile-{pid}.txt"
        raws.append(raw)
        samplers.append(
            subprocess.Popen(
                [
                    PY_SPY,
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(PROFILE_SECONDS),
                    "--rate",
                    "50",
                    "--format",
                    "raw",
                    "--output",
                    str(raw),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        )
    step = run_locust(f"{size}-profiled", "mixed", PROFILE_USERS, PROFILE_SECONDS, viewers, server)
    for sampler in samplers:
        try:
            sampler.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sampler.kill()
    return {"users": PROFILE_USERS, "rps": step["rps"], **summarize_profile(raws)}


# --- One size --------------------------------------------------------------------------------


def run_size(size: str, soak: bool) -> dict:
    server_env = server_environment(size)
    viewers = prepare(size, server_env)
    import redis  # the project's own dependency (django-redis)

    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's Redis database only
    server = Server(server_env, size)
    server.start()
    report = {
        "size": size,
        "posts": viewers["posts"],
        "members": viewers["members"],
        "viewers": len(viewers["viewers"]),
        "cpus": os.cpu_count(),
        "workers": len(server.web_workers()),
        "task_workers": server.task_worker is not None,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "steps": [],
    }
    try:
        run_locust(f"{size}-warmup", "mixed", STEPS[0], 20, viewers["path"], server)
        for users in STEPS:
            for mix in ("chronological", "mixed"):
                report["steps"].append(
                    run_locust(
                        f"{size}-{mix}-{users}", mix, users, STEP_SECONDS, viewers["path"], server
                    )  # fmt: skip
                )
        report["profile"] = profile(size, viewers["path"], server)
        if soak and SOAK_SECONDS:
            log(f"soak: the full mix, {SOAK_USERS} users, {SOAK_SECONDS} s")
            soak_started = time.monotonic() - server.started
            report["soak"] = run_locust(
                f"{size}-soak", "mixed", SOAK_USERS, SOAK_SECONDS, viewers["path"], server
            )
            report["soak"]["from_s"] = soak_started
        report["workers_at_end"] = server.web_workers()
    finally:
        server.stop()
    report["rss"] = server.samples
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return report


# --- Targets and the report ------------------------------------------------------------------


def best_under_target(steps: list[dict], mix: str) -> dict | None:
    """The step of the mix with the most throughput while its p95 stays under the target."""
    ok = [s for s in steps if s["mix"] == mix and s["p95"] < P95_TARGET_MS]
    return max(ok, key=lambda s: s["rps"], default=None)


def memory_flatness(report: dict) -> dict:
    soak = report.get("soak")
    if not soak:
        return {}
    per_pid: dict[int, list[tuple[float, float]]] = {}
    for t, role, pid, mb in report["rss"]:
        if role == f"web:{soak['label']}":
            per_pid.setdefault(pid, []).append((t, mb))
    rows = {}
    for pid, series in per_pid.items():
        n = len(series)
        if n < 10:
            continue
        early = statistics.median(mb for _, mb in series[n // 5 : 2 * n // 5])
        late = statistics.median(mb for _, mb in series[4 * n // 5 :])
        rows[pid] = {
            "early_mb": round(early, 1),
            "late_mb": round(late, 1),
            "growth": round(late / early - 1, 4),
            "peak_mb": round(max(mb for _, mb in series), 1),
        }
    return rows


def targets(report: dict) -> dict:
    errors = sum(s["errors"] for s in report["steps"]) + (report.get("soak") or {}).get("errors", 0)
    mixed = best_under_target(report["steps"], "mixed")
    chrono = best_under_target(report["steps"], "chronological")
    ratio = (mixed["rps"] / chrono["rps"]) if chrono else None  # 0 when only the mix misses
    flat = memory_flatness(report)
    worst = max((row["growth"] for row in flat.values()), default=None)
    return {
        "errors": {"value": errors, "holds": errors == 0},
        "throughput": {
            "mixed_rps": mixed["rps"] if mixed else 0,
            "mixed_users": mixed["users"] if mixed else None,
            "chronological_rps": chrono["rps"] if chrono else 0,
            "chronological_users": chrono["users"] if chrono else None,
            "ratio": round(ratio, 3) if ratio is not None else None,
            # Not measurable when not even the chronological mix stays under the p95 target.
            "holds": None if ratio is None else ratio >= 0.8,
        },
        "memory": {
            "workers": flat,
            "worst_growth": worst,
            "holds": (worst is not None and worst <= FLAT_GROWTH) if flat else None,
        },
    }


def verdict(holds) -> str:
    return {True: "**holds**", False: "**misses**", None: "**not measurable**"}[holds]


def markdown(report: dict) -> str:
    t = report["targets"]
    lines = [
        f"## `make load`, {report['posts']:,} posts ({report['members']:,} members)",
        "",
        f"{report['started']} to {report['finished']}; {report['cpus']} CPUs shared with other "
        f"sessions (load average below); `atelier serve` with {report['workers']} workers on "
        f"PostgreSQL + Redis; task workers: {'yes' if report['task_workers'] else 'none'}; "
        f"{report['viewers']} members with tokens, drawn with Zipf-like weights; steps of "
        f"{STEP_SECONDS} s; p95 target {P95_TARGET_MS:.0f} ms.",
        "",
        "### Step load",
        "",
        "| mix | users | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
        "| load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in report["steps"]:
        lines.append(
            f"| {s['mix']} | {s['users']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} "
            f"| {s['p99']:.0f} | {s['errors']} | {s['server_cpu_ms_per_request']} "
            f"| {s['loadavg'][0]:.1f} → {s['loadavg'][1]:.1f} |"
        )
    best = best_under_target(report["steps"], "mixed") or max(
        (s for s in report["steps"] if s["mix"] == "mixed"), key=lambda s: s["rps"]
    )
    lines += [
        "",
        f"### Per request kind (full mix, {best['users']} users: its best step under the "
        "p95 target, or its busiest)",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors | queries/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, k in sorted(best["kinds"].items(), key=lambda kv: -kv[1]["requests"]):
        q = best["queries"].get(kind)
        per = f"{q['queries'] / q['responses']:.1f} (max {q['max']})" if q else "-"
        lines.append(
            f"| {kind} | {k['requests']} | {k['rps']:.1f} | {k['p50']:.0f} | {k['p95']:.0f} "
            f"| {k['p99']:.0f} | {k['failures']} | {per} |"
        )
    lines += ["", "### Feed cache hit rates (from /metrics, full mix)", ""]
    lines += ["| phase | " + " | ".join(sorted(best["hit_rates"])) + " |"]
    lines += ["|---|" + "---:|" * len(best["hit_rates"])]
    for s in [*[s for s in report["steps"] if s["mix"] == "mixed"], report.get("soak")]:
        if not s:
            continue
        cells = []
        for level in sorted(best["hit_rates"]):
            row = s["hit_rates"].get(level) or {}
            rate = row.get("hit_rate")
            cells.append("-" if rate is None else f"{rate:.1%} of {row['hits'] + row['misses']}")
        lines.append(f"| {s['label']} | " + " | ".join(cells) + " |")
    peak, task_peak = {}, {}
    for _, role, pid, mb in report["rss"]:
        into = peak if role.startswith("web:") else task_peak
        into[pid] = max(into.get(pid, 0), mb)
    lines += [
        "",
        "### Memory per web worker (RSS)",
        "",
        "| worker pid | peak MB | soak: early MB | soak: late MB | growth |",
        "|---|---:|---:|---:|---:|",
    ]
    flat = t["memory"]["workers"]
    for pid in sorted(peak):
        row = flat.get(pid) or flat.get(str(pid))
        soak_cells = (
            f"{row['early_mb']} | {row['late_mb']} | {row['growth']:+.1%}" if row else "- | - | -"
        )
        lines.append(f"| {pid} | {peak[pid]:.0f} | {soak_cells} |")
    for pid in sorted(task_peak):
        lines.append(f"| {pid} (`atelier worker`) | {task_peak[pid]:.0f} | - | - | - |")
    prof = report.get("profile")
    if prof and prof["samples"]:
        lines += [
            "",
            f"### Where the web workers' time goes (py-spy, full mix, {prof['users']} users, "
            f"{prof['samples']} samples while busy, not counted above)",
            "",
            "| innermost frame in | share | | Atelier function (inclusive) | share |",
            "|---|---:|---|---|---:|",
        ]
        left = list(prof["self_by_package"].items())
        right = list(prof["atelier_inclusive"].items())
        for i in range(max(len(left), len(right))):
            a = f"{left[i][0]} | {left[i][1]:.1%}" if i < len(left) else " | "
            b = f"`{right[i][0]}` | {right[i][1]:.1%}" if i < len(right) else " | "
            lines.append(f"| {a} | | {b} |")
    tp = t["throughput"]
    peak_mixed = max((s["rps"] for s in report["steps"] if s["mix"] == "mixed"), default=0)
    peak_chrono = max((s["rps"] for s in report["steps"] if s["mix"] == "chronological"), default=0)
    lowest = {
        mix: min((s["p95"] for s in report["steps"] if s["mix"] == mix), default=0)
        for mix in ("chronological", "mixed")
    }
    lines += [
        "",
        "### Targets",
        "",
        f"- zero errors: {t['errors']['value']} errors, {verdict(t['errors']['holds'])}",
        f"- the mix's throughput at p95 < {P95_TARGET_MS:.0f} ms ≥ 0.8x chronological-only: "
        + (
            f"{tp['mixed_rps']:.1f} req/s ({tp['mixed_users']} users) against "
            f"{tp['chronological_rps']:.1f} req/s ({tp['chronological_users']} users), ratio "
            f"{tp['ratio']}, {verdict(tp['holds'])}"
            if tp["ratio"] is not None
            else f"no step of either mix kept its p95 under {P95_TARGET_MS:.0f} ms (lowest "
            f"p95: chronological {lowest['chronological']:.0f} ms, full mix "
            f"{lowest['mixed']:.0f} ms), {verdict(None)}"
        ),
        f"- memory per worker flat over the soak (growth ≤ {FLAT_GROWTH:.0%}): worst "
        + (
            f"{t['memory']['worst_growth']:+.1%}"
            if t["memory"]["worst_growth"] is not None
            else "-"
        )
        + f", {verdict(t['memory']['holds'])}",
        f"- (for reference, whatever the latency: peak throughput {peak_mixed:.1f} req/s full "
        f"mix, {peak_chrono:.1f} chronological-only, ratio "
        f"{peak_mixed / peak_chrono if peak_chrono else 0:.2f})",
        "",
    ]
    return "\n".join(lines)


def charts(report: dict, name: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    fig, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    for mix, colour in (("chronological", "tab:blue"), ("mixed", "tab:orange")):
        steps = [s for s in report["steps"] if s["mix"] == mix]
        users = [s["users"] for s in steps]
        latency.plot(users, [s["p50"] for s in steps], "o--", color=colour, label=f"{mix} p50")
        latency.plot(users, [s["p95"] for s in steps], "o-", color=colour, label=f"{mix} p95")
        throughput.plot(users, [s["rps"] for s in steps], "o-", color=colour, label=mix)
    latency.axhline(P95_TARGET_MS, color="grey", linewidth=0.8, linestyle=":")
    latency.set_xlabel("offered load: virtual users (about 1 request/s each)")
    latency.set_ylabel("latency, ms")
    latency.set_yscale("log")
    latency.legend(fontsize=8)
    throughput.set_xlabel("virtual users")
    throughput.set_ylabel("throughput, requests/s")
    throughput.legend(fontsize=8)
    fig.suptitle(f"make load: {report['posts']:,} posts, {report['workers']} workers")
    fig.tight_layout()
    path = RESULTS / f"{name}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(str(path))

    fig, ax = plt.subplots(figsize=(11, 3.6))
    per_pid: dict[int, list[tuple[float, float]]] = {}
    for t, role, pid, mb in report["rss"]:
        if role.startswith("web:"):
            per_pid.setdefault(pid, []).append((t / 60, mb))
    for pid, series in sorted(per_pid.items()):
        ax.plot([t for t, _ in series], [mb for _, mb in series], linewidth=1, label=str(pid))
    if report.get("soak"):
        ax.axvline(report["soak"]["from_s"] / 60, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("minutes since the server started (dotted: soak starts)")
    ax.set_ylabel("RSS per web worker, MB")
    ax.legend(fontsize=7, ncol=6)
    fig.tight_layout()
    path = RESULTS / f"{name}-rss.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(str(path))
    return written


def write_report(report: dict) -> None:
    report["targets"] = targets(report)
    name = f"load-{report['size']}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=1))
    text = markdown(report)
    (RESULTS / f"{name}.md").write_text(text)
    pictures = charts(report, name)
    print("\n" + text, flush=True)
    log(f"written: {RESULTS / name}.md, .json, " + ", ".join(pictures))


def main() -> None:
    if sys.argv[1:2] == ["--report"]:  # render a run's JSON again (e.g. another LOAD_P95_MS)
        for path in sys.argv[2:]:
            write_report(json.loads(Path(path).read_text()))
        return
    sizes = env("LOAD_SIZES", "200k 1m").split()
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"LOAD_SIZES: unknown size(s) {unknown}; choose from {list(SIZES)}")
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    largest = max(sizes, key=SIZES.get)
    for size in sizes:
        write_report(run_size(size, soak=(size == largest)))


if __name__ == "__main__":
    sys.exit(main())
