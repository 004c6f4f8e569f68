"""HTTP to the store: one httpx client with authentication, timeouts and retries.

Connection errors, timeouts and 5xx answers are retried with exponential back-off (a
store restarting, a proxy hiccup); 401/403 stop at once with `PushAuthError`, and any
other 4xx with `PushError` quoting the store's answer, since sending the same request
again cannot fix it. Redirects are not followed: a 301/302 turns a POST into a GET that
drops the data (the push would "succeed" with nothing loaded), and following one to
another host would send the credentials there; the error names the URL to give instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from kg.push.errors import PushAuthError, PushError, StoreUnavailable

__all__ = ["StoreClient"]

log = logging.getLogger("kg.push")


class StoreClient:
    """Sends requests to a store, retrying what a retry can fix.

    ``retries`` is the number of attempts after the first; the wait before retry ``n``
    is ``backoff * 2**n`` seconds, at most ``max_backoff``.
    """

    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        auth_scheme: str = "basic",
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        timeout: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        auth: httpx.Auth | None = None
        if user is not None:
            auth = (httpx.DigestAuth if auth_scheme == "digest" else httpx.BasicAuth)(user, password or "")
        self._client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False, transport=transport)
        self._user = user
        self._retries = retries
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._sleep = sleep
        self.retried = 0  # requests sent again, over the client's life

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> StoreClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """Send a request; return the 2xx answer or raise a `PushError`."""
        for attempt in range(self._retries + 1):
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code < 300:
                    return response
                if response.status_code < 400:
                    target = response.headers.get("location", "(no Location header)")
                    raise PushError(
                        f"{method} {url}: the store answered HTTP {response.status_code}, a redirect to {target}; "
                        "kg push does not follow redirects (a redirected POST loses its data and credentials "
                        "must not travel to another address): give the store's final URL"
                    )
                if response.status_code in (401, 403):
                    who = f"user {self._user!r}" if self._user else "anonymous access (no --user given)"
                    raise PushAuthError(
                        f"{method} {url}: the store refused {who} (HTTP {response.status_code}); check --user/--password"
                    )
                problem = f"HTTP {response.status_code}: {response.text.strip()[:300]}"
                if "SR186" in response.text:
                    # Virtuoso answers a missing SPARQL_UPDATE grant with a 500 (SR186): no retry fixes it.
                    raise PushAuthError(
                        f"{method} {url}: the store refused the update ({problem}); give --user/--password "
                        "for its authenticated endpoint, or grant SPARQL_UPDATE to the SPARQL user"
                    )
                if response.status_code < 500:
                    raise PushError(f"{method} {url}: {problem}")
            if attempt == self._retries:
                raise StoreUnavailable(f"{method} {url}: {problem} (gave up after {attempt + 1} attempts)")
            wait = min(self._backoff * 2**attempt, self._max_backoff)
            log.info("%s %s: %s; retrying in %.1f s", method, url, problem, wait)
            self.retried += 1
            self._sleep(wait)
        raise AssertionError("unreachable")
