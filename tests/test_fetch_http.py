"""kvsearch.fetch.http: retries, back-off, Retry-After, pauses, User-Agent and --record, over
real HTTP against tests/koopserver.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kvsearch.fetch.http import HttpClient, HttpError, retry_after, user_agent
from tests.koopserver import KoopServer

METADATA = "/frbr/officielepublicaties/ah-tk/20202021/ah-tk-20202021-2400/1/metadata/metadata.xml"


@pytest.fixture
def koop() -> Iterator[KoopServer]:
    with KoopServer() as server:
        yield server


class Sleeps(list[float]):
    """A sleep that only notes how long it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(**options: object) -> tuple[HttpClient, Sleeps]:
    sleeps = Sleeps()
    return HttpClient(pause=0, sleep=sleeps, **options), sleeps  # type: ignore[arg-type]


def test_a_503_is_retried_and_the_answer_then_returned(koop: KoopServer) -> None:
    koop.fail("metadata.xml", times=2, status=503)
    http, sleeps = client()
    with http:
        body = http.get(koop.base + METADATA)
    assert b"Bouali" in body
    assert len(koop.requests) == 3
    assert sleeps == [1.0, 2.0]  # exponential back-off


def test_retry_after_is_honoured_when_longer_than_the_back_off(koop: KoopServer) -> None:
    koop.fail("metadata.xml", times=1, status=503, retry_after="7")
    http, sleeps = client()
    with http:
        http.get(koop.base + METADATA)
    assert sleeps == [7.0]


def test_a_huge_retry_after_is_capped(koop: KoopServer) -> None:
    koop.fail("metadata.xml", times=1, status=429, retry_after="86400")
    http, sleeps = client()
    with http:
        http.get(koop.base + METADATA)
    assert sleeps == [120.0]


def test_5xx_answers_are_retried_a_bounded_number_of_times_then_fail(koop: KoopServer) -> None:
    koop.fail("metadata.xml", times=100, status=502)
    http, sleeps = client(retries=3)
    with http, pytest.raises(HttpError) as caught:
        http.get(koop.base + METADATA)
    assert caught.value.reason == "HTTP 502 (4 attempts)"
    assert len(koop.requests) == 4
    assert len(sleeps) == 3


def test_a_404_is_not_retried(koop: KoopServer) -> None:
    http, sleeps = client()
    with http, pytest.raises(HttpError) as caught:
        http.get(koop.base + "/frbr/officielepublicaties/ah/20202021/ah-999/1/xml/ah-999.xml")
    assert caught.value.reason == "HTTP 404"
    assert len(koop.requests) == 1 and sleeps == []


def test_a_time_out_is_retried(koop: KoopServer) -> None:
    koop.hang("metadata.xml", times=1, seconds=1.5)
    http, _ = client(timeout=0.3)
    with http:
        assert b"Bouali" in http.get(koop.base + METADATA)
    assert len(koop.requests) == 2


def test_a_connection_closed_without_answer_is_retried(koop: KoopServer) -> None:
    koop.drop("metadata.xml", times=1)
    http, _ = client()
    with http:
        assert b"Bouali" in http.get(koop.base + METADATA)


def test_an_unreachable_host_fails_as_a_transport_error() -> None:
    with KoopServer() as gone:
        port_url = gone.base
    http, sleeps = client(retries=1)
    with http, pytest.raises(HttpError) as caught:
        http.get(port_url + "/sru")
    assert caught.value.transport
    assert "cannot connect" in caught.value.reason


def test_requests_name_kvsearch_its_version_and_homepage(koop: KoopServer) -> None:
    http, _ = client()
    with http:
        http.get(koop.base + METADATA)
    assert koop.agents == [user_agent()]
    assert user_agent().startswith("kvsearch/0.") and "(+https://" in user_agent()


def test_the_pause_is_kept_between_requests(koop: KoopServer) -> None:
    sleeps = Sleeps()
    with HttpClient(pause=5, sleep=sleeps) as http:
        http.get(koop.base + METADATA)
        http.get(koop.base + METADATA)
    assert len(sleeps) == 1 and 4 < sleeps[0] <= 5  # none before the first request


def test_record_saves_every_raw_response_errors_included(koop: KoopServer, tmp_path: Path) -> None:
    koop.fail("metadata.xml", times=1, status=503)
    http, _ = client(record=tmp_path / "rec")
    with http:
        body = http.get(koop.base + METADATA)
    lines = [json.loads(x) for x in (tmp_path / "rec" / "index.jsonl").read_text().splitlines()]
    assert [x["status"] for x in lines] == [503, 200]
    assert (tmp_path / "rec" / lines[1]["file"]).read_bytes() == body
    assert lines[1]["url"] == koop.base + METADATA


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("12") == 12.0
    assert retry_after("Wed, 02 Dec 2026 10:00:30 GMT", now=1796205600.0) == 30.0
    assert retry_after("soon") is None and retry_after(None) is None
