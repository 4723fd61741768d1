"""Parse the SP-API `GET_PROMOTION_PERFORMANCE_REPORT` document (JSON).

Shape per amzn/selling-partner-api-models `schemas/reports/promotionReport.json`
(sp-api.md §1.2). For sellers Amazon reports only Best Deal and Lightning Deal
promotions, so this complements, not replaces, the per-code CSV in `report.py`.
Fetching the document (createReport → getReport → getReportDocument) belongs
to the SP-API client in `infra/spapi/`; this module only reads its bytes.
Unknown enum values are kept as strings: Amazon adds types without notice.
"""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from infra.accounts import MARKETPLACE_CODES


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class ProductPerformance(_Model):
    asin: str
    product_name: str = Field(alias="productName")
    glance_views: int | None = Field(default=None, alias="productGlanceViews", ge=0)
    units_sold: int = Field(alias="productUnitsSold", ge=0)
    amount_spent: float | None = Field(default=None, alias="productAmountSpent")
    revenue: float = Field(alias="productRevenue", ge=0)
    revenue_currency: str = Field(alias="productRevenueCurrencyCode")


class PromotionPerformance(_Model):
    promotion_id: str = Field(alias="promotionId")
    name: str = Field(alias="promotionName")
    merchant_id: str | None = Field(default=None, alias="merchantId")
    units_sold: int = Field(alias="unitsSold", ge=0)
    amount_spent: float | None = Field(default=None, alias="amountSpent")
    revenue: float = Field(alias="revenue", ge=0)
    revenue_currency: str = Field(alias="revenueCurrencyCode")
    start: datetime = Field(alias="startDateTime")
    end: datetime = Field(alias="endDateTime")
    type: str  # BEST_DEAL, DEAL_OF_THE_DAY, LIGHTNING_DEAL, PRICE_DISCOUNT, SALES_DISCOUNT, COUPON, PROMO_CODE, ...
    status: str  # APPROVED, PENDING_APPROVAL, NEEDS_YOUR_ATTENTION, CANCELED, ...
    creation_channel: str = Field(alias="creationChannel")
    marketplace_id: str = Field(alias="marketplaceId")
    glance_views: int | None = Field(default=None, alias="glanceViews", ge=0)
    created: datetime = Field(alias="createdDateTime")
    last_updated: datetime = Field(alias="lastUpdatedDateTime")
    products: list[ProductPerformance] = Field(alias="includedProducts")

    @property
    def marketplace(self) -> str | None:
        return MARKETPLACE_CODES.get(self.marketplace_id)

    @property
    def conversion(self) -> float | None:
        """Units per glance view, the figure sellers compare deals by."""
        return round(self.units_sold / self.glance_views, 4) if self.glance_views else None


class ReportSpecification(_Model):
    report_type: str = Field(alias="reportType")
    report_options: dict[str, str] = Field(alias="reportOptions")
    marketplace_ids: list[str] = Field(alias="marketplaceIds")


class PromotionPerformanceReport(_Model):
    specification: ReportSpecification = Field(alias="reportSpecification")
    promotions: list[PromotionPerformance]


class PerformanceReportInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_performance_report(document: bytes | str) -> PromotionPerformanceReport:
    """Raise PerformanceReportInvalid naming the first bad field; never a half-read report."""
    try:
        payload = json.loads(document)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PerformanceReportInvalid(f"report document is not JSON: {exc}") from None
    try:
        return PromotionPerformanceReport.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PerformanceReportInvalid(f"{where}: {first['msg']} ({exc.error_count()} problem(s))") from None
