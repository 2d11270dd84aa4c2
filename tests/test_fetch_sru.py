"""kvsearch.fetch.sru: the searchRetrieve query, paging, diagnostics, and result sets past the
service's paging limit split by date, against tests/koopserver.py over real HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from kvsearch.errors import SourceError
from kvsearch.fetch import sru
from kvsearch.fetch.http import HttpClient
from tests.koopserver import KoopServer


@pytest.fixture
def koop() -> Iterator[KoopServer]:
    with KoopServer() as server:
        yield server


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(pause=0, retries=0) as client:
        yield client


def test_the_query_asks_for_answer_publications_modified_in_the_range() -> None:
    query = sru.build_query(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert query == (
        'c.product-area==officielepublicaties AND w.publicatienaam=="Kamervragen (Aanhangsel)"'
        " AND dt.modified>=2026-11-01 AND dt.modified<=2026-11-30"
    )


def test_all_pages_are_listed_with_the_urls_each_record_gives(
    koop: KoopServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sru, "PAGE_SIZE", 2)
    records = sru.list_records(http, koop.source, dt.date(2020, 1, 1), None)
    assert sorted(r.identifier for r in records) == [
        "ah-1290001", "ah-tk-20202021-2310", "ah-tk-20202021-2400", "ah-tk-20202021-2450",
        "ah-tk-20202021-2500", "ah-tk-20202021-2600",
    ]  # fmt: skip
    assert sum("/sru?" in p for p in koop.requests) == 3
    new = next(r for r in records if r.identifier == "ah-1290001")
    # Picked by the manifestation attribute, never built from the identifier.
    assert new.xml_url == f"{koop.base}/frbr/officielepublicaties/ah/20252026/ah-1290001/1/xml/ah-1290001.xml"
    assert new.metadata_url and new.metadata_url.endswith("/ah-1290001/1/metadata/metadata.xml")
    assert new.preferred_url == "https://zoek.officielebekendmakingen.nl/ah-1290001.html"
    assert new.version == "2025-10-01T14:00:00.000000+02:00"
    assert new.values("vergaderjaar") == ["2025-2026"]


def test_only_the_latest_version_is_listed_and_its_version_changes(koop: KoopServer, http: HttpClient) -> None:
    koop.as_of = "2021-05-01"
    old = {r.identifier: r for r in sru.list_records(http, koop.source, dt.date(2021, 4, 1), None)}
    koop.as_of = None
    new = {r.identifier: r for r in sru.list_records(http, koop.source, dt.date(2021, 4, 1), None)}
    assert old["ah-tk-20202021-2310"].version != new["ah-tk-20202021-2310"].version
    assert "ah-tk-20202021-2600" not in old and "ah-tk-20202021-2600" in new


def test_a_diagnostic_is_an_error_naming_it(koop: KoopServer, http: HttpClient) -> None:
    koop.diagnostic = True
    with pytest.raises(SourceError, match=r"SRU diagnostic: info:srw/diagnostic/1/1 General system error"):
        sru.list_records(http, koop.source, dt.date(2020, 1, 1), None)


def test_an_answer_that_is_not_sru_is_an_error(koop: KoopServer, http: HttpClient) -> None:
    metadata = koop.base + "/frbr/officielepublicaties/ah/20252026/ah-1290001/1/metadata/metadata.xml"
    with pytest.raises(SourceError, match=r"answered <metadata_gegevens>, not an SRU searchRetrieveResponse"):
        sru.list_records(http, metadata, dt.date(2020, 1, 1), None)
    with pytest.raises(SourceError, match="not SRU XML"):
        sru.parse_page(b"<html><body>Onderhoud")


def test_a_result_set_past_the_paging_limit_is_split_by_date(
    koop: KoopServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is startRecord 10,000; here 20, with 50 publications, pages of 5.
    koop.scale, koop.start_limit = 50, 20
    monkeypatch.setattr(sru, "MAX_RESULT_SET", 19)
    monkeypatch.setattr(sru, "PAGE_SIZE", 5)
    records = sru.list_records(http, koop.source, dt.date(2014, 1, 1), dt.date(2026, 11, 30))
    assert sorted(r.identifier for r in records) == [f"ah-{3000000 + i}" for i in range(50)]
    starts = [int(p.split("startRecord=")[1].split("&")[0]) for p in koop.requests]
    assert max(starts) < 20  # never asked past the limit: no 504
    assert any("dt.modified%3C%3D" in p for p in koop.requests)


def test_without_the_split_the_service_refuses_the_page(koop: KoopServer, http: HttpClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    koop.scale, koop.start_limit = 50, 20
    monkeypatch.setattr(sru, "MAX_RESULT_SET", 10_000)
    monkeypatch.setattr(sru, "PAGE_SIZE", 5)
    with pytest.raises(SourceError, match="HTTP 504"):
        sru.list_records(http, koop.source, dt.date(2014, 1, 1), None)


def test_one_day_with_too_many_publications_is_reported(koop: KoopServer, http: HttpClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    koop.scale = 50
    monkeypatch.setattr(sru, "MAX_RESULT_SET", 0)
    with pytest.raises(SourceError, match="more than the source can page through"):
        sru.list_records(http, koop.source, dt.date(2015, 1, 1), dt.date(2015, 1, 1))
