"""Attribution report rows -> per-publisher (or per-tag) figures, summed as decimals to the cent.

Rows are Amazon's PERFORMANCE rows grouped by ADGROUP (amazon-attribution.md §3.1): strings with
float noise ("191.95999999999998") or numbers. Each amount is rounded to the cent (half up) and
summed as Decimal, so the totals match Amazon's rows to the cent. A row whose every metric is 0 is
Amazon's mask for a tag under 10 lifetime clicks (§5): its figures are unknown, never "0 sales".
Brand halo = Amazon's "Total" metrics minus the promoted ones (§3.1: "Total…" is promoted + halo).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from handlers.affiliates.models import HaloFigures, PublisherRow

CENT = Decimal("0.01")
BRB = "brb_bonus_amount"
# Our field -> Amazon's promoted metric, and its promoted + halo ("Total") metric.
COUNTS: dict[str, tuple[str, str | None]] = {
    "clicks": ("Click-throughs", None),
    "detail_page_views": ("attributedDetailPageViewsClicks14d", "attributedTotalDetailPageViewsClicks14d"),
    "add_to_carts": ("attributedAddToCartClicks14d", "attributedTotalAddToCartClicks14d"),
    "purchases": ("attributedPurchases14d", "attributedTotalPurchases14d"),
    "units": ("unitsSold14d", "totalUnitsSold14d"),
}
SALES = ("attributedSales14d", "totalAttributedSales14d")
REPORT_METRICS = ",".join([m for pair in COUNTS.values() for m in pair if m] + list(SALES) + [BRB])
KNOWN_METRICS = frozenset([m for pair in COUNTS.values() for m in pair if m] + list(SALES) + [BRB])


class NotAttributionReport(ValueError):
    """The data is not an Attribution report response (one page, or a list of pages)."""


def money(value: Any) -> Decimal:
    """An amount as Amazon sends it (string with float noise, or a number) rounded to the cent."""
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return Decimal("0.00")


def count(value: Any) -> int:
    try:
        return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return 0


def rows_of(document: Any) -> list[dict[str, Any]]:
    """The rows of one report page `{"reports": [...], ...}` or a list of such pages."""
    pages = document if isinstance(document, list) else [document]
    if not pages:
        raise NotAttributionReport("an empty list, not Attribution report pages")
    rows: list[dict[str, Any]] = []
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("reports"), list):
            raise NotAttributionReport('not an Attribution report: no "reports" list')
        for row in page["reports"]:
            if not isinstance(row, dict) or "date" not in row or not KNOWN_METRICS.intersection(row):
                raise NotAttributionReport("not an Attribution report: a row without date and metrics")
            rows.append(row)
    return rows


def is_masked(row: Mapping[str, Any]) -> bool:
    """Every metric the row carries is 0: Amazon's mask under 10 lifetime clicks (or nothing to count)."""
    metrics = [row[m] for m in KNOWN_METRICS if m in row]
    return bool(metrics) and all(money(v) == 0 for v in metrics)


@dataclass
class _Sum:
    publisher: str
    tag: str | None
    counts: dict[str, int] = field(default_factory=dict)
    sales: Decimal = Decimal("0.00")
    halo_counts: dict[str, int] = field(default_factory=dict)
    halo_sales: Decimal = Decimal("0.00")
    has_totals: bool = False
    brb: Decimal | None = None
    rows: int = 0
    masked_rows: int = 0
    masked_tags: set[str] = field(default_factory=set)

    def add(self, row: Mapping[str, Any]) -> None:
        self.rows += 1
        if is_masked(row):
            self.masked_rows += 1
            self.masked_tags.add(str(row.get("adGroupId") or ""))
            return
        for name, (promoted, total) in COUNTS.items():
            value = count(row.get(promoted, 0))
            self.counts[name] = self.counts.get(name, 0) + value
            if total and total in row:
                self.has_totals = True
                self.halo_counts[name] = self.halo_counts.get(name, 0) + count(row[total]) - value
        sales = money(row.get(SALES[0], 0))
        self.sales += sales
        if SALES[1] in row:
            self.has_totals = True
            self.halo_sales += money(row[SALES[1]]) - sales
        if BRB in row:
            self.brb = (self.brb or Decimal("0.00")) + money(row[BRB])

    def to_row(self, publisher_id: str | None = None) -> PublisherRow:
        if self.rows and self.masked_rows == self.rows:
            return PublisherRow(publisher=self.publisher, publisher_id=publisher_id, tag=self.tag, masked=True)
        halo = None
        if self.has_totals:
            halo = HaloFigures(
                detail_page_views=self.halo_counts.get("detail_page_views", 0),
                add_to_carts=self.halo_counts.get("add_to_carts", 0),
                purchases=self.halo_counts.get("purchases", 0),
                units=self.halo_counts.get("units", 0),
                sales=self.halo_sales,
            )
        return PublisherRow(
            publisher=self.publisher,
            publisher_id=publisher_id,
            tag=self.tag,
            **{name: self.counts.get(name, 0) for name in COUNTS},
            sales=self.sales,
            brb_estimate=self.brb,
            halo=halo,
        )


@dataclass
class Summary:
    publishers: list[PublisherRow]
    totals: PublisherRow
    masked_rows: int  # masked tags (ad groups), each counted once
    brb_present: bool
    first_day: str | None  # YYYYMMDD of the earliest row
    last_day: str | None


def summarise(
    rows: Iterable[Mapping[str, Any]], *, by_tag: bool = False, publisher_ids: Mapping[str, str] | None = None
) -> Summary:
    """Per publisher (or per publisher and tag), ordered by sales (desc), masked last; and the totals."""
    groups: dict[tuple[str, str | None], _Sum] = {}
    total = _Sum(publisher="total", tag=None)
    days: list[str] = []
    brb_present = False
    for row in rows:
        publisher = str(row.get("publisher") or "(no publisher)")
        tag = str(row.get("adGroupId") or "") or None if by_tag else None
        groups.setdefault((publisher, tag), _Sum(publisher=publisher, tag=tag)).add(row)
        total.add(row)
        brb_present = brb_present or BRB in row
        days.append(str(row.get("date", "")))
    ids = publisher_ids or {}
    out = [s.to_row(ids.get(s.publisher)) for s in groups.values()]
    out.sort(key=lambda r: (r.masked, -(r.sales or 0), r.publisher.lower(), r.tag or ""))
    totals = total.to_row()
    if totals.masked:  # every row masked: the totals are unknown too
        totals = PublisherRow(publisher="total", masked=True)
    masked_tags = {(p, t) for s in groups.values() for t in s.masked_tags for p in [s.publisher]}
    return Summary(
        publishers=out,
        totals=totals if brb_present else totals.model_copy(update={"brb_estimate": None}),
        masked_rows=len(masked_tags),
        brb_present=brb_present,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
    )
