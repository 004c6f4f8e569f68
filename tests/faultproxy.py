"""A tiny HTTP proxy on loopback that injects faults in front of a real store.

It forwards every request to ``upstream`` and can answer one chosen write request with
HTTP 500 (once), or demand HTTP basic credentials, so that retries and authentication
are tested against the real protocol traffic of `kg push`.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

__all__ = ["FaultProxy"]


@dataclass
class FaultProxy:
    upstream: str
    fail_write_number: int | None = None  # answer this write (1-based) with 500, once
    credentials: tuple[str, str] | None = None  # demand basic auth when set
    writes: list[bytes] = field(default_factory=list)  # bodies of the writes that reached it
    refused: int = 0  # requests answered 401

    def __enter__(self) -> FaultProxy:
        proxy = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if proxy.credentials is not None and not self._authorised():
                    with lock:
                        proxy.refused += 1
                    self._answer(401, b"unauthorised", {"WWW-Authenticate": 'Basic realm="store"'})
                    return
                if self.command in ("POST", "PUT") and b"query=" not in body[:6]:
                    with lock:
                        proxy.writes.append(body)
                        fail = len(proxy.writes) == proxy.fail_write_number
                    if fail:
                        self._answer(500, b"injected fault", {})
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                answer = httpx.request(self.command, proxy.upstream + self.path, content=body, headers=headers, timeout=60)
                self._answer(answer.status_code, answer.content, {"Content-Type": answer.headers.get("content-type", "text/plain")})

            def _authorised(self) -> bool:
                user, password = proxy.credentials
                expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                return self.headers.get("Authorization") == expected

            def _answer(self, status: int, content: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
