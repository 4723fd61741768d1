"""Tolerant reader for Amazon's `GET_V2_SELLER_PERFORMANCE_REPORT` JSON document.

Amazon's schema (`accountHealthReport-2020-11-18.json`) contradicts its own
example, and live reports carry fields the schema does not list, so every field
accepts each spelling seen (sp-api.md §2.2, amazon-models/README.md):

  schema                          example / seen in live reports
  preFulfillmentCancellationRate  prefulfillmentCancelRate
  warningStates                   warningState; a single object; plain strings instead of objects
  accountHealthRatingStatus       ahrStatus (also the schema's `required` name)
  (not in the schema)             accountHealthRating.ahrScore (0-1,000; third-party parsers read it)
  documentRequests                documentRequest
  (not in the schema)             customerProductReviewsPolicyViolations (a ListingLevelViolation)
  (not in the schema)             policyViolationWarnings ({warningsCount, reportingDateRange})
  (not in the schema)             lateShipmentRateList (a list of lateShipmentRate objects)
  status NORMAL|AT_RISK|DEACTIVATED  also SUSPENDED (kept verbatim; any unknown value is kept too)

The document's structure must hold: JSON object, `accountStatuses` and
`performanceMetrics` lists, a `marketplaceId` on each entry. Otherwise (or when
nothing readable is left) `ReportUnreadable` is raised so the caller raises a
"report unreadable" alert instead of a silent all-clear.

Inside an entry nothing is dropped silently and nothing raises: a key the reader
does not know, a malformed value of a known metric (a rate that is not a number,
NaN, a negative count, an unknown targetCondition, ...) or a status value Amazon
is not known to send becomes a `ReportNotice` on the marketplace (or the report)
and the rest of the entry is still read.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from handlers.spapi_port import JsonObject

GZIP_MAGIC = b"\x1f\x8b"

# Bounds on gunzipping a report document (issue 14 item 3: a 398 KiB gzip expanded to 831 MiB in memory).
# A real V2 performance report is a few hundred KB of JSON; past either bound the document is refused with
# ReportUnreadable before the rest is inflated.
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024  # default 50 MB of decompressed text
MAX_COMPRESSION_RATIO = 1000  # default 1000:1 (zeros deflate at ~1030:1); checked once past _RATIO_FLOOR
_RATIO_FLOOR = 1024 * 1024  # small documents may compress at any ratio
_CHUNK = 64 * 1024

_Metric = TypeVar("_Metric", "RateMetric", "ViolationMetric")

# Values Amazon is known to send (schema enums plus what live reports carry).
METRIC_STATUSES = frozenset({"GOOD", "BAD", "NONE"})
AHR_STATUSES_OK = frozenset({"GREAT", "GOOD", "FAIR"})
AHR_STATUSES_BAD = frozenset({"AT_RISK", "CRITICAL", "WARNED"})
AHR_STATUSES = AHR_STATUSES_OK | AHR_STATUSES_BAD
TARGET_CONDITIONS = frozenset({"LESS_THAN", "LESS_THAN_OR_EQUAL", "GREATER_THAN", "GREATER_THAN_OR_EQUAL", "EQUALS"})

NoticeKind = Literal["unknown_metric", "unknown_field", "malformed", "unknown_status"]


class ReportUnreadable(Exception):
    """The document cannot be trusted as a performance report; `reason` says why and what to check."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportNotice(_Model):
    """Something in the document the reader could not use as-is: reported, never dropped silently."""

    marketplace_id: str | None = None
    field: str  # dotted path inside the marketplace entry (or the document), e.g. "lateShipmentRate.rate"
    kind: NoticeKind
    value: float | int | str | None = None
    message: str


class DateRange(_Model):
    date_from: str | None = None
    date_to: str | None = None

    def days(self) -> int | None:
        """Length of the window in whole days (Amazon's ranges end at 23:59 of the last day)."""
        try:
            start = datetime.fromisoformat((self.date_from or "").replace("Z", "+00:00"))
            end = datetime.fromisoformat((self.date_to or "").replace("Z", "+00:00"))
        except ValueError:
            return None
        seconds = (end - start).total_seconds()
        return round(seconds / 86400) if seconds > 0 else None


class CountStatus(_Model):
    """`{count, status}` parts of a rate (orderWithDefects, claims, invoiceDefect, ...)."""

    count: int | None = None
    status: str | None = None


class RateMetric(_Model):
    """A rate metric with Amazon's own verdict (`status`) and target."""

    status: str | None = None
    rate: float | None = None
    target_value: float | None = None
    target_condition: str | None = None
    reporting_date_range: DateRange | None = None
    order_count: int | None = None
    fulfillment_type: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)  # lateShipmentCount, shipmentCount, ...
    parts: dict[str, CountStatus] = Field(default_factory=dict)  # orderWithDefects, claims, invoiceDefect, ...


class OrderDefectRate(_Model):
    """ODR is split by fulfilment channel; a flat metric (seen in older tooling) is read as `all`."""

    mfn: RateMetric | None = None
    afn: RateMetric | None = None
    all: RateMetric | None = None


class ViolationMetric(_Model):
    """A `ListingLevelViolation` (a count whose target is 0), or `policyViolationWarnings` (`warningsCount`)."""

    defects_count: int | None = None
    status: str | None = None
    target_value: float | None = None
    target_condition: str | None = None
    reporting_date_range: DateRange | None = None


class AccountHealthRating(_Model):
    status: str | None = None
    # Undocumented in the schema, but live reports carry it (0–1,000 scale); optional.
    score: float | None = None
    reporting_date_range: DateRange | None = None


class WarningState(_Model):
    warning_type: str
    status: str | None = None  # None when Amazon lists the warning as a plain string


VIOLATION_FIELDS: dict[str, tuple[str, ...]] = {
    # canonical name (the schema's, or the live one) -> accepted spellings, preferred first
    "listingPolicyViolations": ("listingPolicyViolations", "listingPolicyViolation"),
    "productAuthenticityCustomerComplaints": ("productAuthenticityCustomerComplaints",),
    "productConditionCustomerComplaints": ("productConditionCustomerComplaints",),
    "productSafetyCustomerComplaints": ("productSafetyCustomerComplaints",),
    "receivedIntellectualPropertyComplaints": ("receivedIntellectualPropertyComplaints",),
    "restrictedProductPolicyViolations": ("restrictedProductPolicyViolations",),
    "suspectedIntellectualPropertyViolations": ("suspectedIntellectualPropertyViolations",),
    "foodAndProductSafetyIssues": ("foodAndProductSafetyIssues",),
    "otherPolicyViolations": ("otherPolicyViolations",),
    "documentRequests": ("documentRequests", "documentRequest"),
    "customerProductReviewsPolicyViolations": ("customerProductReviewsPolicyViolations",),
    "policyViolationWarnings": ("policyViolationWarnings",),
}

RATE_FIELDS: dict[str, tuple[str, ...]] = {
    "lateShipmentRate": ("lateShipmentRate",),
    "preFulfillmentCancellationRate": (
        "preFulfillmentCancellationRate",
        "prefulfillmentCancelRate",
        "preFulfillmentCancelRate",
        "prefulfillmentCancellationRate",
    ),
    "validTrackingRate": ("validTrackingRate",),
    "onTimeDeliveryRate": ("onTimeDeliveryRate",),
    "unitOnTimeDeliveryRate": ("unitOnTimeDeliveryRate",),
    "invoiceDefectRate": ("invoiceDefectRate",),
}

RATE_LIST_FIELDS: dict[str, tuple[str, ...]] = {
    # Several windows of one rate (the 10- and 30-day late shipment rates), read by third-party parsers.
    "lateShipmentRate": ("lateShipmentRateList",),
}

WARNING_STATE_FIELDS = ("warningStates", "warningState")
# Counts and `{count, status}` parts the schema gives the rate metrics; read, not evaluated.
RATE_COUNT_KEYS = frozenset(
    {
        "lateShipmentCount",
        "cancellationCount",
        "shipmentCount",
        "validTrackingCount",
        "shipmentCountWithValidTracking",
        "onTimeDeliveryCount",
        "unitOnTimeDeliveryCount",
        "totalUnitCount",
    }
)
RATE_PART_KEYS = frozenset(
    {"orderWithDefects", "claims", "chargebacks", "negativeFeedback", "invoiceDefect", "missingInvoice", "lateInvoice"}
)


class MarketplaceMetrics(_Model):
    marketplace_id: str = Field(min_length=1)
    order_defect_rate: OrderDefectRate | None = None
    rates: dict[str, RateMetric] = Field(default_factory=dict)
    rate_windows: dict[str, list[RateMetric]] = Field(default_factory=dict)
    violations: dict[str, ViolationMetric] = Field(default_factory=dict)
    account_health_rating: AccountHealthRating | None = None
    warning_states: list[WarningState] = Field(default_factory=list)
    notices: list[ReportNotice] = Field(default_factory=list)


class AccountStatus(_Model):
    marketplace_id: str = Field(min_length=1)
    status: str = Field(min_length=1)


class PerformanceReport(_Model):
    account_statuses: list[AccountStatus]
    performance_metrics: list[MarketplaceMetrics]
    notices: list[ReportNotice] = Field(default_factory=list)  # not tied to a marketplace

    def marketplace_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.account_statuses:
            seen.setdefault(s.marketplace_id)
        for m in self.performance_metrics:
            seen.setdefault(m.marketplace_id)
        return list(seen)

    def status_for(self, marketplace_id: str) -> str | None:
        return next((s.status for s in self.account_statuses if s.marketplace_id == marketplace_id), None)

    def metrics_for(self, marketplace_id: str) -> MarketplaceMetrics | None:
        return next((m for m in self.performance_metrics if m.marketplace_id == marketplace_id), None)

    def all_notices(self) -> list[ReportNotice]:
        return [*self.notices, *(n for m in self.performance_metrics for n in m.notices)]


# ---- reading -----------------------------------------------------------------------------------------------------


def _show(value: object) -> str:
    """A short rendering of a value for a notice (report documents carry no buyer data)."""
    text = json.dumps(value, default=str, allow_nan=True) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _plain(value: object) -> float | int | str | None:
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, (int, float, str)):
        return value if not (isinstance(value, float) and not math.isfinite(value)) else str(value)
    return _show(value)


class _Reader:
    """Reads one marketplace entry (or the document root), collecting notices instead of raising."""

    def __init__(self, marketplace_id: str | None) -> None:
        self.marketplace_id = marketplace_id
        self.notices: list[ReportNotice] = []

    def note(self, field: str, kind: NoticeKind, message: str, value: object = None) -> None:
        self.notices.append(
            ReportNotice(
                marketplace_id=self.marketplace_id, field=field, kind=kind, value=_plain(value), message=message
            )
        )

    def malformed(self, field: str, value: object, expected: str) -> None:
        self.note(field, "malformed", f"{field}: {_show(value)} is not {expected}; value ignored", value)

    def number(self, field: str, value: object, *, integer: bool = False) -> float | int | None:
        if value is None:
            return None
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        expected = "a whole number ≥ 0" if integer else "a finite number ≥ 0"
        if number is None or not math.isfinite(number) or number < 0 or (integer and not number.is_integer()):
            self.malformed(field, value, expected)
            return None
        return int(number) if integer else number

    def text(self, field: str, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.malformed(field, value, "a non-empty string")
        return None

    def status(self, field: str, value: object, known: frozenset[str]) -> str | None:
        text = self.text(field, value)
        if text is None:
            return None
        text = text.upper()
        if text not in known:
            self.note(
                field,
                "unknown_status",
                f"{field}: status {text} is not one Amazon is known to send ({', '.join(sorted(known))}); "
                f"check it in Seller Central",
                text,
            )
        return text

    def condition(self, field: str, value: object) -> str | None:
        text = self.text(field, value)
        if text is None:
            return None
        if text.upper() not in TARGET_CONDITIONS:
            self.malformed(field, value, "a known targetCondition (the published target is used)")
            return None
        return text.upper()

    def date_range(self, field: str, value: object) -> DateRange | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.malformed(field, value, "a reportingDateRange object")
            return None
        out = DateRange(
            date_from=self.text(f"{field}.reportingDateFrom", value.get("reportingDateFrom")),
            date_to=self.text(f"{field}.reportingDateTo", value.get("reportingDateTo")),
        )
        self.unknown_keys(field, value, {"reportingDateFrom", "reportingDateTo"})
        return out

    def unknown_keys(self, field: str, value: JsonObject, known: set[str] | frozenset[str]) -> None:
        for key, inner in value.items():
            if key not in known:
                self.unknown(f"{field}.{key}" if field else key, inner, kind="unknown_field")

    def unknown(self, field: str, value: object, *, kind: NoticeKind = "unknown_metric") -> None:
        """A key we do not know: say what it carries (a count, a rate, a status) so nothing is lost."""
        what = "metric" if kind == "unknown_metric" else "field"
        if isinstance(value, dict):
            count = next((value[k] for k in ("defectsCount", "warningsCount", "count") if k in value), None)
            bits = []
            if count is not None:
                bits.append(f"with {_show(count)} defects")
            if "rate" in value:
                rate = value["rate"]
                shown = (
                    f"{rate * 100:.2f} %"
                    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and math.isfinite(rate)
                    else _show(rate)
                )
                bits.append(f"with rate {shown}")
            if "status" in value:
                bits.append(f"status {_show(value['status'])}")
            detail = " ".join(bits) or f"with fields {', '.join(sorted(map(str, value))[:6]) or 'none'}"
            carried = count if count is not None else value.get("rate", value.get("status"))
        elif isinstance(value, list):
            detail, carried = f"with {len(value)} entries", len(value)
        else:
            detail, carried = f"= {_show(value)}", value
        self.note(field, kind, f"unknown {what} {field} {detail} (not read; check it in Seller Central)", carried)

    # -- metrics

    def rate(self, field: str, raw: object) -> RateMetric | None:
        if not isinstance(raw, dict):
            self.malformed(field, raw, "a rate metric object")
            return None
        counts: dict[str, int] = {}
        parts: dict[str, CountStatus] = {}
        for key, value in raw.items():
            if key in RATE_COUNT_KEYS:
                n = self.number(f"{field}.{key}", value, integer=True)
                if n is not None:
                    counts[key] = int(n)
            elif key in RATE_PART_KEYS:
                part = self.count_status(f"{field}.{key}", value)
                if part is not None:
                    parts[key] = part
        self.unknown_keys(
            field,
            raw,
            {"status", "rate", "targetValue", "targetCondition", "reportingDateRange", "orderCount", "fulfillmentType"}
            | RATE_COUNT_KEYS
            | RATE_PART_KEYS,
        )
        order_count = self.number(f"{field}.orderCount", raw.get("orderCount"), integer=True)
        return RateMetric(
            status=self.status(f"{field}.status", raw.get("status"), METRIC_STATUSES),
            rate=self.number(f"{field}.rate", raw.get("rate")),
            target_value=self.number(f"{field}.targetValue", raw.get("targetValue")),
            target_condition=self.condition(f"{field}.targetCondition", raw.get("targetCondition")),
            reporting_date_range=self.date_range(f"{field}.reportingDateRange", raw.get("reportingDateRange")),
            order_count=None if order_count is None else int(order_count),
            fulfillment_type=self.text(f"{field}.fulfillmentType", raw.get("fulfillmentType")),
            counts=counts,
            parts=parts,
        )

    def count_status(self, field: str, raw: object) -> CountStatus | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.malformed(field, raw, "a {count, status} object")
            return None
        self.unknown_keys(field, raw, {"count", "status"})
        count = self.number(f"{field}.count", raw.get("count"), integer=True)
        return CountStatus(
            count=None if count is None else int(count),
            status=self.status(f"{field}.status", raw.get("status"), METRIC_STATUSES),
        )

    def order_defect_rate(self, field: str, raw: object) -> OrderDefectRate | None:
        if not isinstance(raw, dict):
            self.malformed(field, raw, "an {mfn, afn} object")
            return None
        if "mfn" not in raw and "afn" not in raw and ("rate" in raw or "status" in raw):
            return OrderDefectRate(all=self.rate(field, raw))
        self.unknown_keys(field, raw, {"mfn", "afn"})
        return OrderDefectRate(
            **{
                channel: self.rate(f"{field}.{channel}", raw[channel])
                for channel in ("mfn", "afn")
                if raw.get(channel) is not None
            }
        )

    def violation(self, field: str, raw: object) -> ViolationMetric | None:
        if not isinstance(raw, dict):
            self.malformed(field, raw, "a violation metric object")
            return None
        self.unknown_keys(
            field,
            raw,
            {"defectsCount", "warningsCount", "status", "targetValue", "targetCondition", "reportingDateRange"},
        )
        count = None
        for key in ("defectsCount", "warningsCount"):
            if raw.get(key) is not None:
                count = self.number(f"{field}.{key}", raw[key], integer=True)
                break
        return ViolationMetric(
            defects_count=None if count is None else int(count),
            status=self.status(f"{field}.status", raw.get("status"), METRIC_STATUSES),
            target_value=self.number(f"{field}.targetValue", raw.get("targetValue")),
            target_condition=self.condition(f"{field}.targetCondition", raw.get("targetCondition")),
            reporting_date_range=self.date_range(f"{field}.reportingDateRange", raw.get("reportingDateRange")),
        )

    def account_health_rating(self, field: str, raw: object) -> AccountHealthRating | None:
        if not isinstance(raw, dict):
            self.malformed(field, raw, "an accountHealthRating object")
            return None
        self.unknown_keys(field, raw, {"accountHealthRatingStatus", "ahrStatus", "ahrScore", "reportingDateRange"})
        key = next((k for k in ("accountHealthRatingStatus", "ahrStatus") if raw.get(k) is not None), None)
        self.same(field, raw, ("accountHealthRatingStatus", "ahrStatus"))
        return AccountHealthRating(
            status=self.status(f"{field}.{key}", raw[key], AHR_STATUSES) if key else None,
            score=self.number(f"{field}.ahrScore", raw.get("ahrScore")),
            reporting_date_range=self.date_range(f"{field}.reportingDateRange", raw.get("reportingDateRange")),
        )

    def warning_states(self, field: str, raw: object) -> list[WarningState]:
        items = raw if isinstance(raw, list) else [raw]
        out: list[WarningState] = []
        for i, item in enumerate(items):
            where = f"{field}[{i}]" if isinstance(raw, list) else field
            if isinstance(item, str) and item.strip():
                out.append(WarningState(warning_type=item.strip()))  # a plain string names the warning
            elif isinstance(item, dict):
                warning_type = self.text(f"{where}.warningType", item.get("warningType"))
                self.unknown_keys(where, item, {"warningType", "status"})
                if warning_type is None:
                    if "warningType" not in item:
                        self.malformed(where, item, "a warning state with a warningType")
                    continue
                out.append(
                    WarningState(
                        warning_type=warning_type,
                        status=self.status(f"{where}.status", item.get("status"), METRIC_STATUSES),
                    )
                )
            elif item is not None:
                self.malformed(where, item, "a warning state (an object or a string)")
        return out

    def metrics(
        self,
        raw: JsonObject,
        table: dict[str, tuple[str, ...]],
        read: Callable[[str, object], _Metric | None],
        known: set[str],
    ) -> dict[str, _Metric]:
        """Each metric of `table` present in `raw` (first spelling found), read by `read`; adds the spellings to `known`."""
        out: dict[str, _Metric] = {}
        for canonical, spellings in table.items():
            known.update(spellings)
            key = next((k for k in spellings if raw.get(k) is not None), None)
            if key is None:
                continue
            self.same("", raw, spellings)
            value = read(key, raw[key])
            if value is not None:
                out[canonical] = value
        return out

    def same(self, field: str, raw: JsonObject, spellings: tuple[str, ...]) -> None:
        """Two spellings of one field with different values: we read the first, say so."""
        present = [k for k in spellings if raw.get(k) is not None]
        if len(present) > 1 and any(raw[k] != raw[present[0]] for k in present[1:]):
            where = f"{field}." if field else ""
            self.note(
                f"{where}{present[1]}",
                "malformed",
                f"{where}{present[0]} and {where}{present[1]} both present and different; {present[0]} was read",
                raw[present[1]],
            )


def _marketplace_entry(raw: JsonObject, marketplace_id: str) -> MarketplaceMetrics:
    r = _Reader(marketplace_id)
    known: set[str] = {"marketplaceId", "orderDefectRate", "accountHealthRating", *WARNING_STATE_FIELDS}
    rates = r.metrics(raw, RATE_FIELDS, r.rate, known)
    violations = r.metrics(raw, VIOLATION_FIELDS, r.violation, known)
    windows: dict[str, list[RateMetric]] = {}
    for canonical, spellings in RATE_LIST_FIELDS.items():
        known.update(spellings)
        for key in spellings:
            value = raw.get(key)
            if value is None:
                continue
            if not isinstance(value, list):
                r.malformed(key, value, "a list of rate metrics")
                continue
            windows[canonical] = [m for i, item in enumerate(value) if (m := r.rate(f"{key}[{i}]", item)) is not None]
    ws_key = next((k for k in WARNING_STATE_FIELDS if raw.get(k) is not None), None)
    if ws_key:
        r.same("", raw, WARNING_STATE_FIELDS)
    odr = raw.get("orderDefectRate")
    ahr = raw.get("accountHealthRating")
    metrics = MarketplaceMetrics(
        marketplace_id=marketplace_id,
        order_defect_rate=r.order_defect_rate("orderDefectRate", odr) if odr is not None else None,
        rates=rates,
        rate_windows=windows,
        violations=violations,
        account_health_rating=r.account_health_rating("accountHealthRating", ahr) if ahr is not None else None,
        warning_states=r.warning_states(ws_key, raw[ws_key]) if ws_key else [],
    )
    for key, value in raw.items():
        if key not in known:
            r.unknown(key, value)
    return metrics.model_copy(update={"notices": r.notices})


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def gunzip_bounded(data: bytes, *, max_bytes: int | None = None, max_ratio: float | None = None) -> bytes:
    """`data` gunzipped (every member) in chunks, never holding more than `max_bytes` (MAX_DECOMPRESSED_BYTES)
    of output; ReportUnreadable when it would expand past that or past `max_ratio` (MAX_COMPRESSION_RATIO)
    times the compressed bytes read, or when the stream is truncated or corrupt."""
    limit = MAX_DECOMPRESSED_BYTES if max_bytes is None else max_bytes
    ratio = MAX_COMPRESSION_RATIO if max_ratio is None else max_ratio
    out = bytearray()
    pending = data
    try:
        while pending:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk_in = pending
            while not inflater.eof:
                piece = inflater.decompress(chunk_in, _CHUNK)
                chunk_in = inflater.unconsumed_tail
                consumed = len(data) - len(chunk_in) - len(inflater.unused_data)
                out += piece
                if len(out) > limit:
                    raise ReportUnreadable(
                        f"the report expands past {_mb(limit)} when gunzipped ({_mb(len(data))} compressed); "
                        "a performance report is far smaller, so it was not read — download it again or check its source"
                    )
                if len(out) > _RATIO_FLOOR and len(out) > ratio * max(consumed, 1):
                    raise ReportUnreadable(
                        f"the report expands more than {ratio:g} times its compressed size when gunzipped; "
                        "this looks like a decompression bomb, so it was not read — check its source"
                    )
                if not piece and not chunk_in:
                    break
            if not inflater.eof:
                raise EOFError("compressed file ended before the end-of-stream marker was reached")
            pending = inflater.unused_data
            if pending.strip(b"\0") == b"":  # trailing NUL padding, as gzip.decompress allows
                break
    except (EOFError, OSError, zlib.error) as exc:
        raise ReportUnreadable(
            f"gzip stream is truncated or corrupt ({exc}); download the report document again"
        ) from exc
    return bytes(out)


def decode_document(data: bytes | str) -> str:
    """Text of a report document, gunzipping when the gzip magic is present (Amazon sends `compressionAlgorithm: GZIP`)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data[:2] == GZIP_MAGIC:
        data = gunzip_bounded(data)
    if not data.strip():
        raise ReportUnreadable(
            "report document is empty; Amazon may have returned no data (CANCELLED) — request it again"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportUnreadable(
            f"report is neither gzip nor UTF-8 JSON (undecodable byte at offset {exc.start}); check the download"
        ) from exc


def _marketplace_id(entry: object, where: str, r: _Reader) -> str | None:
    if not isinstance(entry, dict):
        r.malformed(where, entry, "an object")
        return None
    mid = entry.get("marketplaceId")
    if not isinstance(mid, str) or not mid.strip():
        r.note(
            f"{where}.marketplaceId",
            "malformed",
            f"{where} has no marketplaceId (got {_show(mid)}); the entry cannot be attributed and was skipped",
            mid,
        )
        return None
    return mid.strip()


def parse_report(data: bytes | str | JsonObject) -> PerformanceReport:
    """Parse a V2 seller performance report (bytes gzipped or not, text, or already-loaded JSON)."""
    raw = data if isinstance(data, dict) else _load_json(decode_document(data))
    if not isinstance(raw, dict):
        raise ReportUnreadable(
            f"expected a JSON object with accountStatuses and performanceMetrics, got {type(raw).__name__}"
        )
    missing = [k for k in ("accountStatuses", "performanceMetrics") if k not in raw]
    if missing:
        keys = ", ".join(sorted(map(str, raw))[:8]) or "none"
        raise ReportUnreadable(
            f"not a GET_V2_SELLER_PERFORMANCE_REPORT: missing {' and '.join(missing)} (top-level keys: {keys})"
        )
    for key in ("accountStatuses", "performanceMetrics"):
        if not isinstance(raw[key], list):
            raise ReportUnreadable(f"wrong schema at {key}: expected a list, got {type(raw[key]).__name__}")

    root = _Reader(None)
    root.unknown_keys("", raw, {"accountStatuses", "performanceMetrics"})
    statuses = _account_statuses(raw["accountStatuses"], root)
    metrics = _performance_metrics(raw["performanceMetrics"], root)
    if not statuses and not metrics:
        why = "; ".join(n.message for n in root.notices[:3])
        raise ReportUnreadable(
            "report has no account statuses and no metrics"
            + (f" that can be read ({why})" if why else "; Amazon returned no data — request it again")
        )
    return PerformanceReport(account_statuses=statuses, performance_metrics=metrics, notices=root.notices)


def _load_json(text: str) -> Any:
    """The document's JSON value; ReportUnreadable saying whether it looks cut off or is not JSON at all."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        if isinstance(exc, RecursionError):
            raise ReportUnreadable("the document is nested too deeply to be a performance report") from exc
        # More opening than closing brackets: the download stopped early (a cut-off JSON document).
        opened = text.count("{") + text.count("[") > text.count("}") + text.count("]")
        hint = "the document looks truncated" if text.lstrip()[:1] in "{[" and opened else "not JSON"
        raise ReportUnreadable(
            f"{hint}: {exc.msg} at line {exc.lineno} column {exc.colno}; download the report document again"
        ) from exc


def _account_statuses(entries: list[Any], root: _Reader) -> list[AccountStatus]:
    statuses: list[AccountStatus] = []
    for i, entry in enumerate(entries):
        where = f"accountStatuses[{i}]"
        mid = _marketplace_id(entry, where, root)
        if mid is None:
            continue
        status = root.text(f"{where}.status", entry.get("status"))
        root.unknown_keys(where, entry, {"marketplaceId", "status"})
        if status is None:
            if entry.get("status") is None:
                root.note(f"{where}.status", "malformed", f"{where} ({mid}) has no status; entry skipped")
            continue
        statuses.append(AccountStatus(marketplace_id=mid, status=status.upper()))
    return statuses


def _performance_metrics(entries: list[Any], root: _Reader) -> list[MarketplaceMetrics]:
    metrics: list[MarketplaceMetrics] = []
    for i, entry in enumerate(entries):
        where = f"performanceMetrics[{i}]"
        mid = _marketplace_id(entry, where, root)
        if mid is None:
            continue
        if any(m.marketplace_id == mid for m in metrics):
            root.note(
                f"{where}.marketplaceId",
                "malformed",
                f"{where} repeats marketplace {mid}; the first entry was read, this one skipped",
                mid,
            )
            continue
        metrics.append(_marketplace_entry(entry, mid))
    return metrics
