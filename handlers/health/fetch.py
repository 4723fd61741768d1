"""Fetching the V2 performance report through the Reports API, against an injected caller.

The SP-API client lives in `infra/spapi/`; this module only needs two callables:
  call(operation: str, **params) -> dict   one SP-API operation, returning its JSON payload:
      call("createReport", body={...})             -> {"reportId": ...}
      call("getReport", reportId=...)              -> {"processingStatus": ..., "reportDocumentId": ...}
      call("getReportDocument", reportDocumentId=...) -> {"url": ..., "compressionAlgorithm": "GZIP"?}
  download(url: str) -> bytes              plain HTTPS GET of the pre-signed document URL

Rate limits (per selling partner × application, sp-api.md §5): createReport and
getReportDocument 0.0167/s burst 15, getReport 2/s burst 15. A worker should not
sit in a Lambda polling: `start_report` + re-enqueue with a delay, or subscribe
to REPORT_PROCESSING_FINISHED and call `download_report` when it arrives
(see FANOUT.md). `fetch_performance_report` is the simple all-in-one for the CLI
and tests.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from handlers.health.report import GZIP_MAGIC, ReportUnreadable
from handlers.spapi_port import JsonObject

REPORT_TYPE = "GET_V2_SELLER_PERFORMANCE_REPORT"


class SpApiCall(Protocol):
    def __call__(self, operation: str, **params: Any) -> JsonObject: ...


class ReportPending(Exception):
    """Amazon has not finished the report yet; retry `await_report`/`download_report` later with this id."""

    def __init__(self, report_id: str, status: str) -> None:
        super().__init__(f"report {report_id} is still {status}")
        self.report_id = report_id
        self.status = status


def start_report(call: SpApiCall, marketplace_ids: Iterable[str]) -> str:
    """createReport for the given marketplaces (one report covers them all); returns the reportId."""
    ids = list(marketplace_ids)
    if not ids:
        raise ValueError("marketplace_ids is empty; pass at least one Amazon marketplace id, e.g. ATVPDKIKX0DER")
    created = call("createReport", body={"reportType": REPORT_TYPE, "marketplaceIds": ids})
    report_id = created.get("reportId")
    if not report_id:
        raise ReportUnreadable(f"createReport returned no reportId (keys: {', '.join(sorted(created)) or 'none'})")
    return str(report_id)


def report_document_id(report: JsonObject) -> str:
    """The document id of a getReport payload, or why there is none (ReportPending / ReportUnreadable)."""
    status = str(report.get("processingStatus", "")).upper()
    report_id = str(report.get("reportId", "?"))
    if status == "DONE":
        doc = report.get("reportDocumentId")
        if not doc:
            raise ReportUnreadable(f"report {report_id} is DONE but has no reportDocumentId")
        return str(doc)
    if status == "CANCELLED":
        # Amazon uses CANCELLED for "no data" too (selling-partner-api-models#393): not an all-clear.
        raise ReportUnreadable(
            f"Amazon returned CANCELLED for report {report_id} (cancelled, or no data for this "
            f"period); request it again later"
        )
    if status == "FATAL":
        raise ReportUnreadable(
            f"Amazon could not build report {report_id} (FATAL); request it again, and check the "
            f"account's authorisation if it repeats"
        )
    if status in ("IN_QUEUE", "IN_PROGRESS"):
        raise ReportPending(report_id, status)
    raise ReportUnreadable(f"getReport returned unknown processingStatus {status!r} for report {report_id}")


def await_report(
    call: SpApiCall,
    report_id: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = 15.0,
    max_polls: int = 40,
) -> str:
    """Poll getReport (2/s allowed; we poll far slower) until DONE; ReportPending after `max_polls`."""
    for attempt in range(max_polls):
        try:
            return report_document_id(call("getReport", reportId=report_id))
        except ReportPending:
            if attempt == max_polls - 1:
                raise
            sleep(poll_interval)
    raise ReportPending(report_id, "IN_PROGRESS")


def download_report(call: SpApiCall, download: Callable[[str], bytes], document_id: str) -> bytes:
    """getReportDocument + download; returns the raw bytes (gzip or not: `parse_report` detects it)."""
    doc = call("getReportDocument", reportDocumentId=document_id)
    url = doc.get("url")
    if not url:
        raise ReportUnreadable(f"getReportDocument {document_id} returned no url")
    data = download(str(url))
    if str(doc.get("compressionAlgorithm", "")).upper() == "GZIP" and data[:2] != GZIP_MAGIC:
        raise ReportUnreadable(f"document {document_id} is declared GZIP but is not gzip data; download it again")
    return data


def fetch_performance_report(
    call: SpApiCall,
    download: Callable[[str], bytes],
    marketplace_ids: Iterable[str],
    *,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = 15.0,
    max_polls: int = 40,
) -> bytes:
    """createReport → poll getReport → getReportDocument → download. Raises ReportUnreadable / ReportPending."""
    report_id = start_report(call, marketplace_ids)
    document_id = await_report(call, report_id, sleep=sleep, poll_interval=poll_interval, max_polls=max_polls)
    return download_report(call, download, document_id)


def processing_finished(body: str | bytes | JsonObject) -> dict[str, str | None]:
    """Fields of a REPORT_PROCESSING_FINISHED notification (SQS body): sellerId, reportId, reportType,
    processingStatus, reportDocumentId. Raises ValueError naming the missing field."""
    data = body if isinstance(body, dict) else json.loads(body)
    try:
        inner = data["payload"]["reportProcessingFinishedNotification"]
    except (KeyError, TypeError) as exc:
        raise ValueError(
            "not a REPORT_PROCESSING_FINISHED notification: missing payload.reportProcessingFinishedNotification"
        ) from exc
    for key in ("reportId", "processingStatus"):
        if not inner.get(key):
            raise ValueError(
                f"REPORT_PROCESSING_FINISHED: payload.reportProcessingFinishedNotification.{key} is missing"
            )
    return {k: inner.get(k) for k in ("sellerId", "reportId", "reportType", "processingStatus", "reportDocumentId")}
