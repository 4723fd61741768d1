"""Tolerant parser for Amazon's `GET_V2_SELLER_PERFORMANCE_REPORT` JSON document.

Amazon's schema (`accountHealthReport-2020-11-18.json`) contradicts its own
example, so every field accepts both spellings (see sp-api.md §2.2):

  schema                          example / seen in the wild
  preFulfillmentCancellationRate  prefulfillmentCancelRate
  warningStates                   warningState (also a single object)
  accountHealthRatingStatus       ahrStatus
  documentRequests                documentRequest
  status NORMAL|AT_RISK|DEACTIVATED  also SUSPENDED (kept verbatim; any unknown value is kept too)

Unknown keys are ignored and every metric is optional, but the two required
roots must be lists: a document without them is a wrong report, not a healthy
account. Anything we cannot read raises `ReportUnreadable` so the caller raises
a "report unreadable" alert instead of a silent all-clear.
"""
from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

GZIP_MAGIC = b"\x1f\x8b"


class ReportUnreadable(Exception):
    """The document cannot be trusted as a performance report; `reason` says why and what to check."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Model(BaseModel):
    # NaN/Infinity in a rate would compare False against every target and read as "fine".
    model_config = ConfigDict(extra="ignore", populate_by_name=True, allow_inf_nan=False, frozen=True)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class DateRange(_Model):
    date_from: str | None = Field(default=None, validation_alias=AliasChoices("reportingDateFrom", "date_from"))
    date_to: str | None = Field(default=None, validation_alias=AliasChoices("reportingDateTo", "date_to"))


class RateMetric(_Model):
    """A rate metric with Amazon's own verdict (`status`) and target."""

    status: str | None = None
    rate: float | None = None
    target_value: float | None = Field(default=None, validation_alias=AliasChoices("targetValue", "target_value"))
    target_condition: str | None = Field(default=None, validation_alias=AliasChoices("targetCondition", "target_condition"))
    reporting_date_range: DateRange | None = Field(
        default=None, validation_alias=AliasChoices("reportingDateRange", "reporting_date_range"))
    order_count: int | None = Field(default=None, validation_alias=AliasChoices("orderCount", "order_count"))

    _up = field_validator("status", "target_condition", mode="before")(_upper)


class OrderDefectRate(_Model):
    """ODR is split by fulfilment channel; a flat metric (seen in older tooling) is read as `all`."""

    mfn: RateMetric | None = None
    afn: RateMetric | None = None
    all: RateMetric | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat(cls, data: Any) -> Any:
        if isinstance(data, dict) and "mfn" not in data and "afn" not in data and ("rate" in data or "status" in data):
            return {"all": data}
        return data


class ViolationMetric(_Model):
    """A `ListingLevelViolation`: a count whose target is 0."""

    defects_count: int | None = Field(default=None, validation_alias=AliasChoices("defectsCount", "defects_count"))
    status: str | None = None
    target_value: float | None = Field(default=None, validation_alias=AliasChoices("targetValue", "target_value"))
    target_condition: str | None = Field(default=None, validation_alias=AliasChoices("targetCondition", "target_condition"))
    reporting_date_range: DateRange | None = Field(
        default=None, validation_alias=AliasChoices("reportingDateRange", "reporting_date_range"))

    _up = field_validator("status", "target_condition", mode="before")(_upper)


class AccountHealthRating(_Model):
    status: str | None = Field(default=None, validation_alias=AliasChoices("accountHealthRatingStatus", "ahrStatus", "status"))
    # Undocumented, but third-party parsers read it (0–1,000 scale); optional.
    score: float | None = Field(default=None, validation_alias=AliasChoices("ahrScore", "accountHealthRatingScore", "score"))

    _up = field_validator("status", mode="before")(_upper)


class WarningState(_Model):
    warning_type: str = Field(validation_alias=AliasChoices("warningType", "warning_type"))
    status: str | None = None

    _up = field_validator("status", mode="before")(_upper)


VIOLATION_FIELDS: dict[str, tuple[str, ...]] = {
    # canonical name (the schema's) -> accepted spellings
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
}

RATE_FIELDS: dict[str, tuple[str, ...]] = {
    "lateShipmentRate": ("lateShipmentRate",),
    "preFulfillmentCancellationRate": ("preFulfillmentCancellationRate", "prefulfillmentCancelRate",
                                       "preFulfillmentCancelRate", "prefulfillmentCancellationRate"),
    "validTrackingRate": ("validTrackingRate",),
    "onTimeDeliveryRate": ("onTimeDeliveryRate",),
    "unitOnTimeDeliveryRate": ("unitOnTimeDeliveryRate",),
    "invoiceDefectRate": ("invoiceDefectRate",),
}


class MarketplaceMetrics(_Model):
    marketplace_id: str = Field(min_length=1, validation_alias=AliasChoices("marketplaceId", "marketplace_id"))
    order_defect_rate: OrderDefectRate | None = Field(
        default=None, validation_alias=AliasChoices("orderDefectRate", "order_defect_rate"))
    rates: dict[str, RateMetric] = Field(default_factory=dict)
    violations: dict[str, ViolationMetric] = Field(default_factory=dict)
    account_health_rating: AccountHealthRating | None = Field(
        default=None, validation_alias=AliasChoices("accountHealthRating", "account_health_rating"))
    warning_states: list[WarningState] = Field(
        default_factory=list, validation_alias=AliasChoices("warningStates", "warningState", "warning_states"))

    @model_validator(mode="before")
    @classmethod
    def _collect(cls, data: Any) -> Any:
        """Gather the rate and violation metrics under their canonical names, whatever the spelling."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for target, table in (("rates", RATE_FIELDS), ("violations", VIOLATION_FIELDS)):
            if target in out:
                continue
            found: dict[str, Any] = {}
            for canonical, spellings in table.items():
                for key in spellings:
                    if out.get(key) is not None:
                        found[canonical] = out[key]
                        break
            out[target] = found
        ws = out.get("warningStates", out.get("warningState"))
        if isinstance(ws, dict):
            out.pop("warningState", None)
            out["warningStates"] = [ws]
        return out


class AccountStatus(_Model):
    marketplace_id: str = Field(min_length=1, validation_alias=AliasChoices("marketplaceId", "marketplace_id"))
    status: str = Field(min_length=1)

    _up = field_validator("status", mode="before")(_upper)


class PerformanceReport(_Model):
    account_statuses: list[AccountStatus] = Field(validation_alias=AliasChoices("accountStatuses", "account_statuses"))
    performance_metrics: list[MarketplaceMetrics] = Field(
        validation_alias=AliasChoices("performanceMetrics", "performance_metrics"))

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


def decode_document(data: bytes | str) -> str:
    """Text of a report document, gunzipping when the gzip magic is present (Amazon sends `compressionAlgorithm: GZIP`)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise ReportUnreadable(f"gzip stream is truncated or corrupt ({exc}); download the report document again") from exc
    if not data.strip():
        raise ReportUnreadable("report document is empty; Amazon may have returned no data (CANCELLED) — request it again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportUnreadable(
            f"report is neither gzip nor UTF-8 JSON (undecodable byte at offset {exc.start}); check the download") from exc


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "document"
    return f"{where}: {first['msg']}"


def parse_report(data: bytes | str | dict) -> PerformanceReport:
    """Parse a V2 seller performance report (bytes gzipped or not, text, or already-loaded JSON)."""
    if isinstance(data, dict):
        raw: Any = data
    else:
        text = decode_document(data)
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            # More opening than closing brackets: the download stopped early (a cut-off JSON document).
            opened = text.count("{") + text.count("[") > text.count("}") + text.count("]")
            hint = "the document looks truncated" if text.lstrip()[:1] in "{[" and opened else "not JSON"
            raise ReportUnreadable(
                f"{hint}: {exc.msg} at line {exc.lineno} column {exc.colno}; download the report document again") from exc
    if not isinstance(raw, dict):
        raise ReportUnreadable(f"expected a JSON object with accountStatuses and performanceMetrics, got {type(raw).__name__}")
    missing = [k for k, alts in (("accountStatuses", ("accountStatuses", "account_statuses")),
                                 ("performanceMetrics", ("performanceMetrics", "performance_metrics")))
               if not any(a in raw for a in alts)]
    if missing:
        keys = ", ".join(sorted(raw)[:8]) or "none"
        raise ReportUnreadable(
            f"not a GET_V2_SELLER_PERFORMANCE_REPORT: missing {' and '.join(missing)} (top-level keys: {keys})")
    try:
        report = PerformanceReport.model_validate(raw)
    except ValidationError as exc:
        raise ReportUnreadable(f"wrong schema at {_describe(exc)}") from exc
    if not report.account_statuses and not report.performance_metrics:
        raise ReportUnreadable("report has no account statuses and no metrics; Amazon returned no data — request it again")
    return report
