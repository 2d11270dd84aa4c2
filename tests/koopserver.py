"""A small stand-in for KOOP's SRU service and FRBR repository, for the fetch tests.

A real HTTP server on 127.0.0.1 in a thread, serving tests/fixtures/koop (the layout of
../shared/fixtures/koop: index.json and docs/<ID>/v<N>/) in the real service's shape, so the
code under test talks HTTP exactly as it would to repository.overheid.nl. Faults are set on the
object between or during runs: ``fail``, ``hang``, ``drop``, ``truncate``, ``missing``,
``diagnostic``, ``as_of``, ``start_limit`` (the 504 past the paging limit) and ``scale``
(clones of the fixtures). ``requests`` lists every path asked for. ``ReplayServer`` serves the
responses a ``--record`` run saved.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "koop"
SRU_NS = (
    'xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
    'xmlns:gzd="http://standaarden.overheid.nl/sru" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:overheidwetgeving="http://standaarden.overheid.nl/wetgeving/" '
    'xmlns:c="http://standaarden.overheid.nl/collectie/"'
)
MANIFESTATIONS = ("html", "metadata", "pdf", "xml")
REQUIRED = ('c.product-area==officielepublicaties', 'w.publicatienaam=="Kamervragen (Aanhangsel)"')


class KoopServer:
    """The server and its knobs; use as a context manager (``with KoopServer() as koop:``)."""

    def __init__(self, fixtures: Path = FIXTURES) -> None:
        self.fixtures = Path(fixtures)
        self.versions = json.loads((self.fixtures / "index.json").read_text(encoding="utf-8"))["records"]
        self.as_of: str | None = None
        self.start_limit = 10_000
        self.scale = 0
        self.diagnostic = False
        self.truncate: set[str] = set()
        self.missing: set[str] = set()
        self.faults: list[dict[str, object]] = []
        self.requests: list[str] = []
        self.agents: list[str] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.koop = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=lambda: self.httpd.serve_forever(poll_interval=0.05), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    @property
    def source(self) -> str:
        return f"{self.base}/sru"

    def __enter__(self) -> KoopServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- faults --------------------------------------------------------------------------

    def fail(self, match: str, times: int, status: int = 503, retry_after: str | None = None) -> None:
        """The next ``times`` requests whose path contains ``match`` answer ``status``."""
        self.faults.append({"match": match, "times": times, "status": status, "retry_after": retry_after})

    def hang(self, match: str, times: int, seconds: float) -> None:
        """The next ``times`` matching requests wait ``seconds`` before answering."""
        self.faults.append({"match": match, "times": times, "hang": seconds})

    def drop(self, match: str, times: int) -> None:
        """The next ``times`` matching requests get the connection closed, no answer."""
        self.faults.append({"match": match, "times": times, "drop": True})

    def _fault(self, path: str) -> dict[str, object] | None:
        with self.lock:
            for fault in self.faults:
                if fault["match"] in path and int(fault["times"]) > 0:  # type: ignore[call-overload]
                    fault["times"] = int(fault["times"]) - 1  # type: ignore[call-overload]
                    return fault
        return None

    # --- repository ----------------------------------------------------------------------

    def records(self) -> list[dict[str, object]]:
        """The latest version of each publication visible at ``as_of`` (or the clones)."""
        latest: dict[str, dict[str, object]] = {}
        for r in self.versions:
            if self.as_of and str(r["modified"]) > self.as_of:
                continue
            if int(r["version"]) > int(latest.get(str(r["identifier"]), {"version": 0})["version"]):  # type: ignore[call-overload]
                latest[str(r["identifier"])] = r
        found = sorted(latest.values(), key=lambda r: (str(r["modified"]), str(r["identifier"])))
        if self.scale:
            answers = [r for r in found if r["identifier"] == "ah-tk-20202021-2600"]
            found = [_clone(answers[0], i, self.scale) for i in range(self.scale)]
        return found

    def document(self, path: str) -> bytes | None:
        for r in self.records():
            frbr = f"/frbr/{r['frbr']}"
            source = r.get("source", r)
            ident, original = str(r["identifier"]), str(source["identifier"])  # type: ignore[index]
            if path == f"{frbr}/xml/{ident}.xml" and ident not in self.missing:
                data = (self.fixtures / str(source["files"]) / f"{original}.xml").read_bytes()  # type: ignore[index]
                data = data.replace(original.encode(), ident.encode())
                if ident in self.truncate:
                    data = data[: data.rfind(b"<al", 0, len(data) // 2) + 3]
                return data
            if path == f"{frbr}/metadata/metadata.xml":
                data = (self.fixtures / str(source["files"]) / "metadata.xml").read_bytes()  # type: ignore[index]
                return data.replace(original.encode(), ident.encode())
        return None

    def search(self, params: dict[str, str]) -> tuple[int, str]:
        query = params.get("query", "")
        start = int(params.get("startRecord", "1"))
        maximum = min(int(params.get("maximumRecords", "10")), 1000)
        if self.diagnostic:
            return 200, _diagnostic(1, "General system error")
        if not all(clause in query for clause in REQUIRED):
            return 200, _diagnostic(10, f"Query not understood: {query}")
        if start >= self.start_limit:
            return 504, "<html><body><h1>504 Gateway Time-out</h1></body></html>"
        since = re.search(r"dt\.modified>=(\S+)", query)
        until = re.search(r"dt\.modified<=(\S+)", query)
        try:
            low = dt.date.fromisoformat(since.group(1)).isoformat() if since else ""
            high = dt.date.fromisoformat(until.group(1)).isoformat() if until else "9999"
        except ValueError:
            return 200, _diagnostic(10, "invalid date")
        hits = [r for r in self.records() if low <= str(r["modified"]) <= high]
        page = hits[start - 1 : start - 1 + maximum]
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><sru:searchRetrieveResponse {SRU_NS}>'
            f"<sru:version>2.0</sru:version><sru:numberOfRecords>{len(hits)}</sru:numberOfRecords>"
        )
        if page:
            body += "<sru:records>" + "".join(_record(r, start + i, self.base) for i, r in enumerate(page)) + "</sru:records>"
        if page and start + len(page) <= len(hits):
            body += f"<sru:nextRecordPosition>{start + len(page)}</sru:nextRecordPosition>"
        return 200, body + "</sru:searchRetrieveResponse>"


def _clone(base: dict[str, object], i: int, n: int) -> dict[str, object]:
    first, last = dt.date(2015, 1, 1), dt.date(2026, 6, 30)
    day = first + dt.timedelta(days=(last - first).days * i // n)
    ident = f"ah-{3000000 + i}"
    return dict(base, identifier=ident, modified=day.isoformat(), timestamp=f"{day.isoformat()}T10:00:00+02:00",
                frbr=f"officielepublicaties/ah/{day.year}{day.year + 1}/{ident}/1", source=base)


def _record(r: dict[str, object], position: int, base: str) -> str:
    ident, e = str(r["identifier"]), escape
    url = f"{base}/frbr/{r['frbr']}"
    names = {"html": f"{ident}.html", "metadata": "metadata.xml", "pdf": f"{ident}.pdf", "xml": f"{ident}.xml"}
    subjects = "".join(
        f'<dcterms:subject scheme="OVERHEID.TaxonomieBeleidsagenda">{e(str(s))}</dcterms:subject>'
        for s in r["subjects"]  # type: ignore[attr-defined]
    )
    tp = "overheidwetgeving"
    return (
        "<sru:record><sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>"
        "<sru:recordPacking>xml</sru:recordPacking><sru:recordData><gzd:gzd><gzd:originalData>"
        f"<{tp}:meta><{tp}:owmskern><dcterms:identifier>{ident}</dcterms:identifier>"
        f"<dcterms:title>{e(str(r['title']))}</dcterms:title>"
        f'<dcterms:type scheme="OVERHEIDop.Parlementair">{e(str(r["type"]))}</dcterms:type>'
        f"<dcterms:modified>{r['modified']}</dcterms:modified></{tp}:owmskern>"
        f"<{tp}:owmsmantel><dcterms:available>{r['available']}</dcterms:available>"
        f"<dcterms:issued>{r['issued']}</dcterms:issued>{subjects}</{tp}:owmsmantel>"
        f"<{tp}:tpmeta><c:product-area>officielepublicaties</c:product-area>"
        f"<{tp}:publicatienaam>Kamervragen (Aanhangsel)</{tp}:publicatienaam>"
        f"<{tp}:vergaderjaar>{r['vergaderjaar']}</{tp}:vergaderjaar>"
        f"<{tp}:vraagnummer>{r['vraagnummer']}</{tp}:vraagnummer>"
        f"<{tp}:datumTijdstipWijzigingExpression>{r['timestamp']}</{tp}:datumTijdstipWijzigingExpression>"
        f"</{tp}:tpmeta></{tp}:meta></gzd:originalData><gzd:enrichedData>"
        f"<gzd:url>{url}/xml/{ident}.xml</gzd:url>"
        f"<gzd:preferredUrl>https://zoek.officielebekendmakingen.nl/{ident}.html</gzd:preferredUrl>"
        + "".join(f'<gzd:itemUrl manifestation="{m}">{url}/{m}/{names[m]}</gzd:itemUrl>' for m in MANIFESTATIONS)
        + f"<gzd:timestamp>{r['timestamp']}</gzd:timestamp></gzd:enrichedData></gzd:gzd></sru:recordData>"
        f"<sru:recordPosition>{position}</sru:recordPosition></sru:record>"
    )


def _diagnostic(number: int, message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><searchRetrieveResponse '
        'xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
        'xmlns:ns3="http://docs.oasis-open.org/ns/search-ws/diagnostic"><version>2.0</version><diagnostics>'
        f"<ns3:diagnostic><ns3:uri>info:srw/diagnostic/1/{number}</ns3:uri><ns3:message>{escape(message)}"
        "</ns3:message></ns3:diagnostic></diagnostics></searchRetrieveResponse>"
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        koop: KoopServer = self.server.koop  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        path = unquote(url.path)
        koop.requests.append(self.path)
        koop.agents.append(self.headers.get("User-Agent", ""))
        fault = koop._fault(path)
        headers: dict[str, str] = {}
        if fault and fault.get("drop"):
            self.close_connection = True
            self.connection.close()
            return
        if fault and fault.get("hang"):
            time.sleep(float(fault["hang"]))  # type: ignore[arg-type]
        if fault and fault.get("status"):
            status, data = int(fault["status"]), b"<html><body>unavailable</body></html>"  # type: ignore[call-overload]
            if fault.get("retry_after"):
                headers["Retry-After"] = str(fault["retry_after"])
        elif path in ("/sru", "/sru/"):
            status, body = koop.search({k: v[-1] for k, v in parse_qs(url.query).items()})
            data = body.encode("utf-8")
        else:
            found = koop.document(path)
            status, data = (200, found) if found is not None else (404, b"<html><body>404</body></html>")
        self._send(status, data, headers)

    def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/xml; charset=utf-8" if status == 200 else "text/html")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class ReplayServer(KoopServer):
    """Serves what a ``--record`` run saved: each URL's last 200 answer, with the recorded
    server's address replaced by this one's."""

    def __init__(self, record_dir: Path) -> None:
        super().__init__()
        self.answers: dict[str, bytes] = {}
        self.recorded_base = ""
        for line in (Path(record_dir) / "index.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            parts = urlsplit(entry["url"])
            self.recorded_base = f"{parts.scheme}://{parts.netloc}"
            if entry["status"] == 200:
                key = parts.path + ("?" + parts.query if parts.query else "")
                self.answers[key] = (Path(record_dir) / entry["file"]).read_bytes()
        self.httpd.RequestHandlerClass = _ReplayHandler


class _ReplayHandler(_Handler):
    def do_GET(self) -> None:  # noqa: N802
        replay: ReplayServer = self.server.koop  # type: ignore[attr-defined]
        replay.requests.append(self.path)
        data = replay.answers.get(self.path)
        if data is None:
            self._send(404, b"<html><body>not recorded</body></html>", {})
            return
        self._send(200, data.replace(replay.recorded_base.encode(), replay.base.encode()), {})


def document_requests(server: KoopServer) -> list[str]:
    """The paths of the document requests (not the SRU) the server answered."""
    return [p for p in server.requests if p.startswith("/frbr/")]
