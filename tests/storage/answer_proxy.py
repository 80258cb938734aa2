"""An HTTP proxy on 127.0.0.1 in front of DynamoDB that loses the answers of chosen requests
after DynamoDB applied them: the client sees a dropped connection (or a late answer, once
its read timeout has passed), and botocore sends the same request again."""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class AnswerLosingProxy:
    """Forwards every request to ``upstream``; ``lose(operation, count, hold)`` makes the next
    ``count`` requests of that DynamoDB operation lose their answer, held ``hold`` seconds
    first. ``seen`` lists every operation forwarded, retries included."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.seen: list[str] = []
        self._losses: dict[str, int] = {}
        self._hold = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def lose(self, operation: str, count: int = 1, hold: float = 0.0) -> None:
        with self._lock:
            self._losses[operation] = count
            self._hold = hold

    def _take_loss(self, operation: str) -> bool:
        with self._lock:
            left = self._losses.get(operation, 0)
            if left:
                self._losses[operation] = left - 1
            return left > 0

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                with proxy._lock:
                    proxy.seen.append(operation)
                upstream = http.client.HTTPConnection(
                    proxy.upstream.hostname or "127.0.0.1", proxy.upstream.port, timeout=30
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request("POST", "/", body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                upstream.close()
                if proxy._take_loss(operation):
                    time.sleep(proxy._hold)  # applied upstream; the client waits, then gives up
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
