"""The optional wording provider, against a real HTTP server on 127.0.0.1: its answer is used
only when it keeps every number; an error or a changed number leaves the statistics."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.services.insight_wording import WordingProvider, reworded

STATS = "This week you completed 67% (4 of 6) of your habit check-ins."


class Provider(BaseHTTPRequestHandler):
    """Answers ``/v1/chat/completions`` with what the test put in ``server.reply``."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.requests.append(json.loads(self.rfile.read(length)))  # type: ignore[attr-defined]
        status, body = self.server.reply  # type: ignore[attr-defined]
        payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def provider(httpd: ThreadingHTTPServer) -> WordingProvider:
    return WordingProvider(f"http://127.0.0.1:{httpd.server_address[1]}/v1", "coach", "k")


def answer(text: str) -> dict[str, object]:
    return {"choices": [{"message": {"role": "assistant", "content": text}}]}


async def test_a_wording_that_keeps_the_numbers_is_used(server: ThreadingHTTPServer) -> None:
    kind = "Nice work: 67% this week, 4 of your 6 check-ins done."
    server.reply = (200, answer(kind))  # type: ignore[attr-defined]
    assert await reworded(STATS, provider(server)) == kind
    sent = server.requests[0]  # type: ignore[attr-defined]
    assert sent["model"] == "coach" and sent["messages"][1]["content"] == STATS


@pytest.mark.parametrize(
    "reply",
    [
        (500, {"error": "overloaded"}),
        (200, b"not json"),
        (200, {"choices": []}),
        (200, answer("Great week: 80% of your check-ins done!")),  # a number it made up
    ],
)
async def test_a_failing_or_inventive_provider_leaves_the_statistics(
    server: ThreadingHTTPServer, reply: tuple[int, object]
) -> None:
    server.reply = reply  # type: ignore[attr-defined]
    assert await reworded(STATS, provider(server)) == STATS


async def test_no_provider_and_an_unreachable_one_leave_the_statistics() -> None:
    assert await reworded(STATS, None) == STATS
    closed = WordingProvider("http://127.0.0.1:9/v1", "coach")
    assert await reworded(STATS, closed) == STATS
