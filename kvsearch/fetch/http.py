"""The HTTP client of ``kvsearch fetch``: polite, patient and recordable.

One request at a time, a pause between requests, a User-Agent naming kvsearch, its version
and homepage. Time-outs, connection errors, 429 and 5xx answers are retried a bounded number of
times with exponential back-off, waiting as long as a ``Retry-After`` header asks (capped);
then the request fails with :class:`HttpError`. With ``record`` set, every raw response (errors
included) is saved there with an index line, so a real run can be replayed as test fixtures.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

import httpx

HOMEPAGE = "https://github.com/kvsearch/kvsearch"
MAX_RETRIES = 4  # five attempts in all
BACKOFF_SECONDS = 1.0  # then 2, 4, 8
MAX_WAIT_SECONDS = 120.0  # a Retry-After of an hour must not stall a nightly run for an hour
TIMEOUT_SECONDS = 30.0


class HttpError(Exception):
    """A request that failed for good: the reason is one short line ("HTTP 404", "timed out
    after 5 attempts")."""

    def __init__(self, url: str, reason: str, *, transport: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transport = transport  # no HTTP answer at all (unreachable, timed out)


def user_agent() -> str:
    """``kvsearch/0.1.0 (+https://…)``."""
    from .. import __version__

    return f"kvsearch/{__version__} (+{HOMEPAGE})"


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """GET with retries, pauses and optional recording. Use as a context manager."""

    def __init__(
        self,
        *,
        pause: float = 1.0,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        record: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.pause = max(0.0, pause)
        # Read at call time, not bound as defaults, so a test can shorten the waits.
        self.retries = MAX_RETRIES if retries is None else retries
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.sleep = sleep
        self.record = Path(record) if record else None
        self.requests = 0
        self._last: float | None = None
        self._client = httpx.Client(
            timeout=TIMEOUT_SECONDS if timeout is None else timeout,
            follow_redirects=True,
            headers={"User-Agent": user_agent(), "Accept": "application/xml, text/xml;q=0.9, */*;q=0.1"},
        )
        if self.record:
            self.record.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> bytes:
        """The body of a 200 answer to GET ``url``; raises HttpError when it cannot be had."""
        attempt = 0
        while True:
            self._wait_turn()
            wait: float | None = None
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                problem, transport = "timed out", True
            except httpx.TransportError as exc:
                problem, transport = _transport_reason(exc), True
            else:
                self._save(response)
                if response.status_code == 200:
                    return response.content
                problem, transport = f"HTTP {response.status_code}", False
                if not _retryable(response.status_code):
                    raise HttpError(str(response.url), problem)
                wait = retry_after(response.headers.get("Retry-After"))
            finally:
                self._last = time.monotonic()
                self.requests += 1
            if attempt >= self.retries:
                raise HttpError(_full_url(url, params), f"{problem} ({attempt + 1} attempts)", transport=transport)
            back_off = self.backoff * 2**attempt
            self.sleep(min(MAX_WAIT_SECONDS, max(back_off, wait or 0.0)))
            self._last = time.monotonic()  # the back-off was the pause
            attempt += 1

    def _wait_turn(self) -> None:
        if self._last is None or not self.pause:
            return
        left = self.pause - (time.monotonic() - self._last)
        if left > 0:
            self.sleep(left)

    def _save(self, response: httpx.Response) -> None:
        if not self.record:
            return
        url = str(response.url)
        n = self.requests + 1
        kind = "xml" if "xml" in response.headers.get("Content-Type", "xml") else "body"
        name = f"{n:06d}-{_slug(url)}.{kind}"
        (self.record / name).write_bytes(response.content)
        line = {
            "n": n,
            "url": url,
            "status": response.status_code,
            "content_type": response.headers.get("Content-Type", ""),
            "retry_after": response.headers.get("Retry-After"),
            "file": name,
        }
        with open(self.record / "index.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _retryable(status: int) -> bool:
    """429 (too many requests) and every 5xx: the server's trouble, likely to pass."""
    return status == 429 or 500 <= status <= 599


def _transport_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection closed without an answer"
    return f"connection error ({type(exc).__name__})"


def _full_url(url: str, params: Mapping[str, str | int] | None) -> str:
    return str(httpx.URL(url, params=params)) if params else url


_SLUG_RE = re.compile(r"[^A-Za-z0-9._-]+")


def _slug(url: str) -> str:
    """A readable, unique file name part for a URL: its last path segment and a short hash."""
    parsed = httpx.URL(url)
    last = parsed.path.rstrip("/").rsplit("/", 1)[-1] or "root"
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return f"{_SLUG_RE.sub('_', last)[:60]}-{digest}"
