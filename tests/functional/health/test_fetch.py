"""Reports API flow against an injected SP-API caller; the document download is real HTTP to a local server."""

from __future__ import annotations

import gzip
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handlers.health.fetch import (
    REPORT_TYPE,
    ReportPending,
    await_report,
    fetch_performance_report,
    processing_finished,
    report_document_id,
)
from handlers.health.report import ReportUnreadable, parse_report
from tests.support.health import US, sample_bytes


@pytest.fixture
def doc_server():
    docs: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = docs.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", docs
    server.shutdown()


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()


class ReportsStandIn:
    """The injected `call`: answers the three Reports operations like Amazon would, and records them."""

    def __init__(self, base_url: str, statuses: list[str], compression: str | None = "GZIP") -> None:
        self.base_url, self.statuses, self.compression = base_url, list(statuses), compression
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, operation: str, **params):
        self.calls.append((operation, params))
        if operation == "createReport":
            return {"reportId": "R1"}
        if operation == "getReport":
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            out = {"reportId": params["reportId"], "processingStatus": status}
            return dict(out, reportDocumentId="D1") if status == "DONE" else out
        if operation == "getReportDocument":
            doc = {"reportDocumentId": "D1", "url": f"{self.base_url}/doc/D1"}
            return dict(doc, compressionAlgorithm=self.compression) if self.compression else doc
        raise AssertionError(operation)


def test_fetch_flow_downloads_and_parses(doc_server):
    base, docs = doc_server
    docs["/doc/D1"] = gzip.compress(sample_bytes())
    call = ReportsStandIn(base, ["IN_QUEUE", "IN_PROGRESS", "DONE"])
    sleeps: list[float] = []
    data = fetch_performance_report(call, http_get, [US], sleep=sleeps.append, poll_interval=15)
    assert parse_report(data).status_for(US) == "AT_RISK"
    assert [c[0] for c in call.calls] == ["createReport", "getReport", "getReport", "getReport", "getReportDocument"]
    assert call.calls[0][1] == {"body": {"reportType": REPORT_TYPE, "marketplaceIds": [US]}}
    assert sleeps == [15, 15]


def test_declared_gzip_but_plain_is_unreadable(doc_server):
    base, docs = doc_server
    docs["/doc/D1"] = sample_bytes()
    with pytest.raises(ReportUnreadable, match="declared GZIP"):
        fetch_performance_report(ReportsStandIn(base, ["DONE"]), http_get, [US], sleep=lambda s: None)
    plain = fetch_performance_report(
        ReportsStandIn(base, ["DONE"], compression=None), http_get, [US], sleep=lambda s: None
    )
    assert parse_report(plain).marketplace_ids()


@pytest.mark.parametrize("status, error", [("CANCELLED", "CANCELLED"), ("FATAL", "FATAL"), ("WEIRD", "unknown")])
def test_terminal_statuses_are_unreadable_not_all_clear(status, error):
    with pytest.raises(ReportUnreadable, match=error):
        report_document_id({"reportId": "R1", "processingStatus": status})


def test_pending_after_max_polls():
    call = ReportsStandIn("http://unused", ["IN_PROGRESS"])
    with pytest.raises(ReportPending) as err:
        await_report(call, "R1", sleep=lambda s: None, max_polls=3)
    assert err.value.report_id == "R1" and len(call.calls) == 3


def test_processing_finished_notification():
    body = {
        "notificationType": "REPORT_PROCESSING_FINISHED",
        "payload": {
            "reportProcessingFinishedNotification": {
                "sellerId": "A1",
                "reportId": "R1",
                "reportType": REPORT_TYPE,
                "processingStatus": "DONE",
                "reportDocumentId": "D1",
            }
        },
    }
    assert processing_finished(body)["reportDocumentId"] == "D1"
    with pytest.raises(ValueError, match="reportId"):
        processing_finished({"payload": {"reportProcessingFinishedNotification": {"processingStatus": "DONE"}}})
