"""The real stack for benchmarks: a fresh PostgreSQL database, the app under uvicorn with N worker
processes, and load generators (wrk, or an asyncio client at a fixed rate) in other processes.

Everything started here is stopped again when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STARTUP_SECONDS = int(os.environ.get("EVENTS_BENCH_STARTUP_SECONDS", "180"))
PG_ADMIN = os.environ.get("EVENTS_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database (asyncpg URL), dropped afterwards."""
    name = f"events_bench_{uuid.uuid4().hex[:8]}"
    _psql(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(database_url: str, data_dir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "EVENTS_DATABASE_URL": database_url,
        "EVENTS_DATA_DIR": str(data_dir),
        "EVENTS_SECRET_KEY": "bench-" + "k" * 40,
        "EVENTS_BASE_URL": f"http://127.0.0.1:{port}",
        "EVENTS_PORT": str(port),
        "EVENTS_LOG_LEVEL": "warning",
    }


def events_command(env: dict[str, str], *args: str, input_text: str | None = None) -> str:
    result = subprocess.run(
        [str(BIN / "events"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        input=input_text,
    )
    return result.stdout


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the peak resident set size of a process over its life, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class AppServer:
    """``events serve --workers N`` on a free port; ``worker_peaks``: each worker's peak RSS."""

    database_url: str
    workers: int = 2
    port: int = field(default_factory=free_port)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="events-bench-")))
    process: subprocess.Popen[bytes] | None = None
    worker_peaks: list[float] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {**app_env(self.database_url, self.data_dir, self.port), **self.extra_env}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        events_command(self.env, "db", "upgrade")

    def start(self) -> None:
        # EVENTS_BENCH_SERVER_LOG=<file>: keep the server's log (tracebacks of a 500) there.
        log_path = os.environ.get("EVENTS_BENCH_SERVER_LOG")
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(BIN / "events"),
                "serve",
                "--workers",
                str(self.workers),
                "--port",
                str(self.port),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        if not isinstance(log, int):
            log.close()  # the server holds its own copy
        # Generous: on a loaded machine two workers take a while to import everything.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                healthy = httpx.get(f"{self.url}/health", timeout=1).status_code == 200
                # Every worker must be up before measuring.
                if healthy and (self.workers == 1 or len(self.worker_pids()) >= self.workers):
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app did not become healthy within {STARTUP_SECONDS} s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        # uvicorn with --workers N: the master's children (multiprocessing spawn) are the workers.
        pids = [p for p in _children(self.process.pid) if _cmdline_is_python(p)]
        return pids if self.workers > 1 else [self.process.pid]

    def stop(self) -> None:
        if self.process is None:
            return
        self.worker_peaks = [peak_rss_mb(pid) for pid in self.worker_pids()]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _cmdline_is_python(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    # Skip multiprocessing's resource tracker, which is a child too but serves no requests.
    return b"resource_tracker" not in cmdline and (b"python" in cmdline or b"events" in cmdline)


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 50,
    threads: int = 1,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> LoadResult:
    """Closed-loop load: ``connections`` clients sending back to back (wrk, in its own process)."""
    # A desk waits up to 10 s for an answer (wrk counts a slower one as an error, default 2 s).
    command = ["wrk", "--latency", "--timeout", "10s", f"-t{threads}", f"-c{connections}"]
    command.append(f"-d{seconds}s")
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in match.groups())
    return LoadResult(rps, p50, p99, errors, total)


def fixed_rate(
    requests: list[loadgen.Request],
    rate: float,
    connections: int = 50,
) -> LoadResult:
    """Open-loop load: one request started every 1/rate seconds, whatever the answers take
    (bench/loadgen.py, in this process); latency from when each was due."""
    answers, _elapsed = loadgen.send(requests, connections=connections, rate=rate, timeout=10)
    latencies = sorted(a.latency_ms for a in answers)
    errors = sum(1 for a in answers if not 200 <= a.status < 400)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else 0.0
    duration = len(requests) / rate
    return LoadResult(
        len(requests) / duration, statistics.median(latencies), p99, errors, len(requests)
    )


@dataclass
class Row:
    figure: str
    value: str
    target: str
    passed: bool


def print_table(title: str, rows: list[Row]) -> None:
    width = max(len(r.figure) for r in rows)
    print(f"\n{title}")
    print(f"| {'figure'.ljust(width)} | value | target | result |")
    print(f"| {'-' * width} | --- | --- | --- |")
    for row in rows:
        result = "pass" if row.passed else "FAIL"
        print(f"| {row.figure.ljust(width)} | {row.value} | {row.target} | {result} |")
