"""Hand-built affiliate models for the Slack side's tests (the domain's own tests build them from Amazon rows)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from handlers.affiliates.models import AffiliateReport, HaloFigures, PublisherRow, WeeklyDigest


def row(
    name: str, sales: str | None = "191.96", *, masked: bool = False, brb: str | None = "14.28", **kw: object
) -> PublisherRow:
    if masked:
        return PublisherRow(publisher=name, masked=True, **kw)
    return PublisherRow(
        publisher=name,
        publisher_id=kw.pop("publisher_id", "1"),
        clicks=kw.pop("clicks", 30),
        detail_page_views=30,
        add_to_carts=5,
        purchases=3,
        units=4,
        sales=Decimal(sales) if sales is not None else None,
        brb_estimate=Decimal(brb) if brb is not None else None,
        **kw,
    )


def report(publishers: list[PublisherRow] | None = None, *, brb: bool = True, **kw: object) -> AffiliateReport:
    pubs = (
        publishers
        if publishers is not None
        else [row("Google Ads"), row("Display - Other", "20.00", brb="2.00"), row("Blogpost - Other", masked=True)]
    )
    shown = [p for p in pubs if not p.masked]
    totals = PublisherRow(
        publisher="total",
        clicks=sum(p.clicks or 0 for p in shown),
        detail_page_views=sum(p.detail_page_views or 0 for p in shown),
        add_to_carts=sum(p.add_to_carts or 0 for p in shown),
        purchases=sum(p.purchases or 0 for p in shown),
        units=sum(p.units or 0 for p in shown),
        sales=sum((p.sales or Decimal(0) for p in shown), Decimal(0)),
        brb_estimate=sum((p.brb_estimate or Decimal(0) for p in shown), Decimal(0)) if brb else None,
        halo=HaloFigures(purchases=1, units=1, sales=Decimal("12.50")),
    )
    fields: dict[str, object] = {
        "account_id": "acme",
        "marketplace": "US",
        "currency": "USD",
        "zone": "America/Los_Angeles",
        "start": date(2026, 11, 6),
        "end": date(2026, 12, 5),
        "publishers": pubs,
        "totals": totals,
        "incomplete_from": date(2026, 12, 4),
        "masked_rows": sum(1 for p in pubs if p.masked),
        "brb_present": brb,
        "notes": [],
    }
    fields.update(kw)
    return AffiliateReport.model_validate(fields)


def digest(previous_sales: str | None = "100.00") -> WeeklyDigest:
    r = report(start=date(2026, 11, 29), end=date(2026, 12, 5))
    prev = None
    if previous_sales is not None:
        prev = PublisherRow(publisher="total", clicks=40, purchases=2, sales=Decimal(previous_sales))
    return WeeklyDigest(report=r, previous_totals=prev, top=[p for p in r.publishers if not p.masked][:5])
