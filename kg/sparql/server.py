"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a graph.

Starlette answers HTTP (GET and POST, ``query=`` forms and ``application/sparql-query``
bodies, content negotiation) and uvicorn serves it; queries run on Oxigraph in a
`QueryPool` of worker processes, so a query past the time limit is stopped without
holding up the others. Updates are refused with 403, malformed queries get 400.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.sparql.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.sparql.diskstore import ensure_store
from kg.sparql.pool import PoolBusy, QueryPool, QueryTimeout

__all__ = ["Limits", "create_app", "negotiate", "serving", "serve"]

# media type -> format, for SELECT/ASK results and for CONSTRUCT/DESCRIBE graphs
RESULT_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/plain": "table",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Limits:
    """What one request may cost: seconds of query time, result rows, request bytes;
    and whether SERVICE clauses may make the server fetch from other hosts (no)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    workers: int = 2
    allow_service: bool = False


def negotiate(accept: str | None, requested: str | None = None) -> tuple[str, str]:
    """(results format, graph format) for an Accept header or an explicit ``format=``.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml")
    ('xml', 'turtle')
    >>> negotiate("*/*", "tsv")
    ('tsv', 'turtle')
    """
    result_format, graph_format = "json", "turtle"
    if requested in RESULT_FORMATS:
        return requested, graph_format
    if requested in GRAPH_FORMATS:
        return result_format, requested
    ranked = []
    for position, item in enumerate((accept or "").split(",")):
        media, *parameters = [part.strip() for part in item.split(";")]
        quality = 1.0
        for parameter in parameters:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    ranked.sort()
    media_types = [media for quality, _, media in ranked if quality < 0]
    result_format = next((RESULT_MEDIA[m] for m in media_types if m in RESULT_MEDIA), result_format)
    graph_format = next((GRAPH_MEDIA[m] for m in media_types if m in GRAPH_MEDIA), graph_format)
    return result_format, graph_format


# A web page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and read
# a loopback endpoint: served on loopback, only requests addressed to loopback are answered.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# Every answer: no MIME sniffing (a CSV or error text holding markup stays text), no referrer.
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def page_policy(page: str) -> str:
    """The query page's Content-Security-Policy: its own inline script and style only
    (by hash), requests to this endpoint only, no frames, forms or base changes.

    Examples
    --------
    >>> page_policy("<script>1</script>").split("; ")[1]
    "script-src 'sha256-a4ayc/80/OGda4BO/1o/V0etpOqiLx1JwB5S3beHW0s='"
    """
    def hashes(tag: str) -> str:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
        return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks) or "'none'"

    return (f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; connect-src 'self'; "
            "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=_HEADERS)


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def create_app(pool: QueryPool, limits: Limits = Limits(), *, allowed_hosts: tuple[str, ...] = ("*",)) -> Starlette:
    """The endpoint app: ``/sparql`` (SPARQL 1.1 Protocol, query operation) and ``/`` (query page).

    A request whose Host header names none of ``allowed_hosts`` gets 400.
    """
    page = (resources.files("kg.sparql") / "static" / "query.html").read_text(encoding="utf-8")
    refused = "updates are refused: this endpoint is read-only"
    page_headers = {**_HEADERS, "Content-Security-Policy": page_policy(page)}

    async def query_page(request: Request) -> Response:
        return HTMLResponse(page, headers=page_headers)

    async def sparql(request: Request) -> Response:
        params = request.query_params
        query = params.get("query")
        if "update" in params:
            return _error(403, refused)
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            try:
                body = await _read_body(request, limits.max_body)
            except _TooLarge:
                return _error(413, f"the request body is over the {limits.max_body} byte limit")
            if content_type == "application/sparql-update":
                return _error(403, refused)
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", errors="replace"))
                if "update" in form:
                    return _error(403, refused)
                query = form.get("query", [query])[0]
                params = {**params, **{k: v[0] for k, v in form.items()}}
            elif content_type == "application/sparql-query":
                query = body.decode("utf-8", errors="replace")
            else:
                return _error(415, "send application/sparql-query or a query= form (application/x-www-form-urlencoded)")
        if not query:
            if "text/html" in request.headers.get("accept", ""):
                return HTMLResponse(page, headers=page_headers)
            return _error(400, "no query: pass query=... (GET or form POST) or an application/sparql-query body")
        if len(query.encode("utf-8")) > limits.max_body:
            return _error(413, f"the query is over the {limits.max_body} byte limit")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return _error(400, "default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH in the query")
        result_format, graph_format = negotiate(request.headers.get("accept"), params.get("format"))
        try:
            answer = await run_in_threadpool(
                pool.execute, query, result_format=result_format, graph_format=graph_format, max_rows=limits.max_rows
            )
        except (QueryTimeout, PoolBusy) as error:
            return _error(503, str(error))
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=_HEADERS)

    routes = [Route("/", query_page), Route("/sparql", sparql, methods=["GET", "POST"])]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))])


@contextlib.contextmanager
def serving(
    graph: str | Path, *, host: str = "127.0.0.1", port: int = 0, limits: Limits = Limits(), store_dir: str | Path | None = None
) -> Iterator[str]:
    """Serve ``graph`` in a background thread; yields the endpoint URL; stops on exit.

    ``port=0`` picks a free port. The graph is loaded into an on-disk Oxigraph store
    that the workers open read-only: ``store_dir`` (kept and reused, see
    `ensure_store`) or a temporary directory.
    """
    import uvicorn

    with tempfile.TemporaryDirectory(prefix="kg-serve-") as scratch:
        directory = ensure_store(graph, store_dir or Path(scratch) / "store")
        pool = QueryPool(directory, workers=limits.workers, timeout=limits.timeout, allow_service=limits.allow_service)
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        allowed_hosts = LOOPBACK_HOSTS if host in LOOPBACK_HOSTS else ("*",)
        app = create_app(pool, limits, allowed_hosts=allowed_hosts)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        try:
            thread.start()
            deadline = time.monotonic() + 30
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.02)
            if not server.started:
                raise RuntimeError("the SPARQL server did not start")
            bound_host, bound_port = sock.getsockname()[:2]
            yield f"http://{'[' + bound_host + ']' if ':' in bound_host else bound_host}:{bound_port}/sparql"
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()
            pool.close()


def serve(
    graph: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits = Limits(),
    store_dir: str | Path | None = None,
    on_ready=None,
) -> None:
    """Serve ``graph`` until interrupted (the ``kg serve`` command)."""
    with serving(graph, host=host, port=port, limits=limits, store_dir=store_dir) as url:
        if on_ready is not None:
            on_ready(url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
