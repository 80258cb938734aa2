"""``FaultProxy``: an HTTP proxy on 127.0.0.1 between devices and the real server that breaks
chosen requests the way networks and servers do (the S6 faults of the sync protocol).

It runs its own event loop in a thread, so the devices' loop and the server process are
untouched, and it speaks plain HTTP/1.1 with keep-alive to the devices (httpx) and forwards
each request with its own httpx client. Websocket upgrades (``syncPoke``) are tunnelled as
raw bytes. Every request is logged as an ``Exchange`` (its GraphQL operation, body, fault
and the server's answer) so a test can assert what the server really received.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import random
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import orjson

T = TypeVar("T")

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "upgrade",
}
_OPERATION = re.compile(rb"^\s*(?:query|mutation|subscription)\s+(\w+)")


class Fault(enum.Enum):
    """What happens to one request. The device sees a dropped connection for all but
    DUPLICATE, which answers with the server's second answer."""

    DROP_REQUEST = "the request never reaches the server"
    DROP_RESPONSE = "the server commits, its answer is lost"
    DUPLICATE = "the server receives the request twice"
    HOLD = "the request is kept and delivered later, after newer ones (release_held)"
    RESTART_SERVER = "the server is killed while it handles the request, then restarted"
    THROTTLE = "a busy server's answer: TOO_MANY_REQUESTS with retryAfter, nothing forwarded"


@dataclass
class Exchange:
    """One request as the proxy saw it."""

    operation: str
    body: bytes
    fault: Fault | None = None
    statuses: list[int] = field(default_factory=list)  # the server's answers (0: none)
    answers: list[bytes] = field(default_factory=list)  # their bodies, delivered or not
    answered_at: list[int] = field(default_factory=list)  # each answer's place among all answers
    headers: dict[str, str] = field(default_factory=dict)  # as forwarded (the device's token)

    def json(self) -> Any:
        return orjson.loads(self.body)

    def answer_json(self) -> list[Any]:
        return [orjson.loads(a) for a in self.answers if a]

    @property
    def mutation_ids(self) -> list[int]:
        """For a PushChanges: the mutation ids it carried."""
        changes = self.json()["variables"]["input"]["changes"]
        return [int(c["mutationId"]) for c in changes]


@dataclass
class _Rule:
    fault: Fault
    operation: str
    times: int
    after: int = 0  # matching requests to let through first


class FaultProxy:
    """Forwards ``http://127.0.0.1:<port>`` to ``upstream``; faults are injected by rule
    (``inject``) or at random (``chaos``). ``restart_server`` is called (in a worker thread)
    for ``RESTART_SERVER``."""

    def __init__(
        self,
        upstream: str,
        *,
        restart_server: Callable[[], None] | None = None,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.restart_server = restart_server
        self.exchanges: list[Exchange] = []
        self.retry_after_seconds = 30
        self._rules: list[_Rule] = []
        self._chaos: Callable[[str], Fault | None] | None = None
        self._held: list[tuple[str, dict[str, str], bytes, Exchange]] = []
        self._answer_counter = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.Server | None = None
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = self._call(self._start())
        self.url = f"http://127.0.0.1:{self.port}"

    # -- control (from the test's thread) ----------------------------------------------------

    def inject(
        self, fault: Fault, operation: str = "PushChanges", times: int = 1, *, after: int = 0
    ) -> None:
        """Apply ``fault`` to the next ``times`` requests of ``operation``, once ``after``
        of them have gone through untouched (``after=1``: the second page of a pull)."""
        with self._lock:
            self._rules.append(_Rule(fault, operation, times, after))

    def chaos(
        self,
        rng: random.Random,
        rate: float,
        faults: Sequence[Fault] = (Fault.DROP_REQUEST, Fault.DROP_RESPONSE, Fault.DUPLICATE),
        operations: Sequence[str] = ("PushChanges", "PullChanges"),
    ) -> None:
        """From now on each request of ``operations`` gets a random fault with probability
        ``rate`` (``rate=0`` ends it). Deterministic for a seeded ``rng`` and an ordered run."""

        def decide(operation: str) -> Fault | None:
            if operation not in operations or rng.random() >= rate:
                return None
            return rng.choice(list(faults))

        with self._lock:
            self._chaos = decide if rate > 0 else None

    def release_held(self) -> list[int]:
        """Deliver the held requests now, oldest first; the server's statuses."""
        with self._lock:
            held, self._held = self._held, []
        return [self._call(self._deliver_late(*request)) for request in held]

    def replay(self, exchange: Exchange) -> int:
        """Send a logged request to the server again (a stray late copy); its status."""
        headers = exchange.headers or {"content-type": "application/json"}
        late = Exchange(exchange.operation, exchange.body, Fault.DUPLICATE, headers=headers)
        self.exchanges.append(late)
        return self._call(self._deliver_late("/graphql", headers, exchange.body, late))

    def sent(self, operation: str = "PushChanges") -> list[Exchange]:
        return [e for e in self.exchanges if e.operation == operation]

    def close(self) -> None:
        self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _call(self, coroutine: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=120)

    def _fault_for(self, operation: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if rule.operation == operation and rule.times > 0:
                    if rule.after > 0:
                        rule.after -= 1
                        return None
                    rule.times -= 1
                    return rule.fault
            return self._chaos(operation) if self._chaos else None

    # -- the proxy itself (on its own loop) ---------------------------------------------------

    async def _start(self) -> int:
        self._client = httpx.AsyncClient(base_url=self.upstream, timeout=60)
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _stop(self) -> None:
        assert self._server is not None and self._client is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Serve one request of a keep-alive connection; False when the connection ends."""
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("upgrade", "").lower() == "websocket":
            await self._tunnel(head, reader, writer)
            return False
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        exchange = Exchange(_operation_of(body), body)
        exchange.fault = self._fault_for(exchange.operation) if method == "POST" else None
        self.exchanges.append(exchange)
        forward = {k: v for k, v in headers.items() if k not in HOP_BY_HOP and k != "host"}
        exchange.headers = forward

        fault = exchange.fault
        if fault is Fault.DROP_REQUEST:
            writer.transport.abort()
            return False
        if fault is Fault.HOLD:
            with self._lock:
                self._held.append((target, forward, body, exchange))
            writer.transport.abort()
            return False
        if fault is Fault.RESTART_SERVER:
            await self._restart_during(method, target, forward, body, exchange)
            writer.transport.abort()
            return False
        if fault is Fault.THROTTLE:
            writer.write(_throttled_bytes(self.retry_after_seconds))
            await writer.drain()
            return True
        answer = await self._forward(method, target, forward, body, exchange)
        if fault is Fault.DUPLICATE:
            answer = await self._forward(method, target, forward, body, exchange)
        if answer is None or fault is Fault.DROP_RESPONSE:
            writer.transport.abort()
            return False
        writer.write(_response_bytes(answer))
        await writer.drain()
        return True

    async def _forward(
        self, method: str, target: str, headers: dict[str, str], body: bytes, exchange: Exchange
    ) -> httpx.Response | None:
        assert self._client is not None
        try:
            answer = await self._client.request(method, target, headers=headers, content=body)
        except httpx.TransportError:
            exchange.statuses.append(0)
            exchange.answers.append(b"")
            exchange.answered_at.append(next(self._answer_counter))
            return None
        exchange.statuses.append(answer.status_code)
        exchange.answers.append(answer.content)
        exchange.answered_at.append(next(self._answer_counter))
        return answer

    async def _restart_during(
        self, method: str, target: str, headers: dict[str, str], body: bytes, exchange: Exchange
    ) -> None:
        """Send the request, and kill the server while it works on it (then start it again)."""
        assert self.restart_server is not None, "RESTART_SERVER needs restart_server"
        sending = asyncio.ensure_future(self._forward(method, target, headers, body, exchange))
        await asyncio.sleep(0.005)
        await asyncio.get_running_loop().run_in_executor(None, self.restart_server)
        await sending

    async def _deliver_late(
        self, target: str, headers: dict[str, str], body: bytes, exchange: Exchange
    ) -> int:
        answer = await self._forward("POST", target, headers, body, exchange)
        return 0 if answer is None else answer.status_code

    async def _tunnel(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Pass a websocket through untouched (pokes are not faulted here)."""
        parts = urlsplit(self.upstream)
        up_reader, up_writer = await asyncio.open_connection(parts.hostname, parts.port)
        up_writer.write(head)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            except ConnectionError:
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


def _operation_of(body: bytes) -> str:
    """The GraphQL operation's name (``PushChanges``), or ``""``."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(payload, dict):
        return ""
    if payload.get("operationName"):
        return str(payload["operationName"])
    found = _OPERATION.match(str(payload.get("query", "")).encode())
    return found.group(1).decode() if found else ""


def _response_bytes(answer: httpx.Response) -> bytes:
    lines = [f"HTTP/1.1 {answer.status_code} {answer.reason_phrase}"]
    lines += [f"{k}: {v}" for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP]
    lines += [f"content-length: {len(answer.content)}", "connection: keep-alive"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + answer.content


def _throttled_bytes(retry_after_seconds: int) -> bytes:
    """The answer the server's throttle gives (HTTP 200 for ``application/json``)."""
    error = {
        "message": "too many requests; try again later",
        "extensions": {"code": "TOO_MANY_REQUESTS", "retryAfter": retry_after_seconds},
    }
    body = orjson.dumps({"data": None, "errors": [error]})
    head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}"
    return (head + "\r\nconnection: keep-alive\r\n\r\n").encode("latin-1") + body
