"""The benchmarks' load generator reads answers right, counts failures and paces an open loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from bench import loadgen


@pytest.fixture
def server() -> Iterator[str]:
    """A tiny HTTP/1.1 server: /slow answers after 50 ms, /fail answers 500, others echo."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                body = await reader.readexactly(length)
                path = head.split(b" ")[1]
                if path == b"/slow":
                    await asyncio.sleep(0.05)
                status = b"500 Oops" if path == b"/fail" else b"200 OK"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\n\r\n" + body
                )  # fmt: skip
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def start() -> None:
        listening = await asyncio.start_server(handle, "127.0.0.1", 0)
        port.append(listening.sockets[0].getsockname()[1])
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()))
    thread.start()
    ready.wait(5)
    yield f"http://127.0.0.1:{port[0]}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_a_burst_gets_every_answer_in_order(server: str) -> None:
    requests = [loadgen.Request("POST", f"{server}/echo", f"body {n}".encode()) for n in range(200)]
    answers, seconds = loadgen.send(requests, connections=10)
    assert [a.status for a in answers] == [200] * 200
    assert [a.body for a in answers] == [f"body {n}".encode() for n in range(200)]
    assert seconds > 0


def test_failures_and_refused_connections_are_counted(server: str) -> None:
    answers, _ = loadgen.send([loadgen.Request("GET", f"{server}/fail")], connections=1)
    assert answers[0].status == 500
    answers, _ = loadgen.send(
        [loadgen.Request("GET", "http://127.0.0.1:1/nobody")], connections=1, timeout=2
    )
    assert answers[0].status == 0


def test_an_open_loop_keeps_its_pace_and_counts_the_wait_for_a_connection(server: str) -> None:
    # 20 a second for a second over one connection to a 50 ms answer: the pace holds.
    began = time.perf_counter()
    requests = [loadgen.Request("GET", f"{server}/slow") for _ in range(20)]
    answers, _ = loadgen.send(requests, connections=1, rate=20)
    assert 0.95 <= time.perf_counter() - began < 3
    assert all(50 <= a.latency_ms < 1000 for a in answers)
    # 40 a second over one connection cannot keep up: the queue shows in the latencies.
    requests = [loadgen.Request("GET", f"{server}/slow") for _ in range(40)]
    answers, _ = loadgen.send(requests, connections=1, rate=40)
    assert answers[-1].latency_ms > 500
