"""A lean HTTP/1.1 load generator for the runs wrk cannot do: a fixed rate (open loop), and a fixed
number of requests each sent once (a burst).

Requests are encoded to bytes before the clock starts and sent over persistent connections with
asyncio streams on uvloop, so the client costs little CPU (an HTTP client library costs about a
millisecond a request, and on a two-core machine that is taken from the app it measures).
Latency is measured from the moment a request was due to the moment its whole answer arrived:
time spent waiting for a free connection counts (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import uvloop


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[str, int, bytes]:
        parts = urlsplit(self.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{self.method} {path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        lines.append(f"Content-Length: {len(self.body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return parts.hostname or "127.0.0.1", parts.port or 80, head + self.body


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused, reset or timed out)
    latency_ms: float
    body: bytes


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def exchange(self, raw: bytes, timeout: float) -> tuple[int, bytes]:
        async with asyncio.timeout(timeout):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                elif name.strip().lower() == b"transfer-encoding":
                    raise ValueError("chunked answers are not read by this client")
            return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _run(
    requests: Sequence[Request], connections: int, rate: float | None, timeout: float
) -> tuple[list[Answer], float]:
    encoded = [r.encode() for r in requests]
    host, port, _ = encoded[0]
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(_Connection(host, port))
    answers: list[Answer | None] = [None] * len(encoded)

    async def one(index: int, due: float) -> None:
        connection = await idle.get()
        try:
            status, body = await connection.exchange(encoded[index][2], timeout)
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
            connection.close()
            status, body = 0, b""
        finally:
            idle.put_nowait(connection)
        answers[index] = Answer(status, (time.perf_counter() - due) * 1000, body)

    began = time.perf_counter()
    tasks = []
    for index in range(len(encoded)):
        due = began if rate is None else began + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    while not idle.empty():
        idle.get_nowait().close()
    return [a for a in answers if a is not None], elapsed


def send(
    requests: Sequence[Request],
    *,
    connections: int = 50,
    rate: float | None = None,
    timeout: float = 30,
) -> tuple[list[Answer], float]:
    """Send every request once over ``connections`` persistent connections.

    ``rate``: requests per second, one started every 1/rate seconds whatever the answers take
    (open loop); None: all at once, each connection sending its next as soon as answered.
    Returns the answers (in the order of ``requests``) and the seconds from the first to the last.
    """
    return uvloop.run(_run(requests, connections, rate, timeout))
