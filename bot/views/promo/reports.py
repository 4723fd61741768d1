"""The promo-code sales report and `/promo deals` replies."""

from __future__ import annotations

from typing import Any

from bot.views import kit
from bot.views.promo.common import LIST_BUDGET, field_pairs
from handlers.promo.report import PromoReport
from handlers.promo.service import CardField


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _pct(x: float | None) -> str:
    return "n/a (no referral column)" if x is None else f"{x * 100:.1f}%"


def report_summary(report: PromoReport, filename: str) -> tuple[str, list[dict[str, Any]]]:
    code = report.code or "all codes"
    fields = [
        ("Orders", str(report.orders)),
        ("Units", str(report.units)),
        ("Revenue", _money(report.revenue)),
        ("Discount cost", _money(report.discount_cost)),
        (
            "Referred by Influencers/Associates (orders)",
            f"{report.referred_orders} ({_pct(report.referred_share_orders)})",
        ),
        ("Referred revenue", f"{_money(report.referred_revenue)} ({_pct(report.referred_share_revenue)})"),
    ]
    blocks = [kit.header(f"Promo report — {code}"), *field_pairs([CardField(label=k, value=v) for k, v in fields])]
    if report.daily:
        days = "\n".join(
            f"{d.date:%Y-%m-%d}: {_n(d.orders_referred + d.orders_not_referred, 'order')} "
            f"({d.orders_referred} referred), revenue {_money(d.revenue)}"
            for d in report.daily[-31:]
        )
        blocks.append(kit.section("*Daily totals*\n" + days))
    note = f"From `{kit.escape(filename)}` ({report.rows} rows, {report.encoding}, delimiter {report.delimiter!r})."
    if report.row_errors:
        listed = report.row_errors[:5]
        shown = "; ".join(f"line {e.line}: {kit.escape(e.reason)}" for e in listed)
        # The report lists only its first MAX_ROW_ERRORS bad rows; the count covers all of them.
        more = report.row_error_count - len(listed)
        note += f" {report.row_error_count} unreadable rows left out of the totals: {shown}"
        note += f"; and {more} more rows with errors." if more else ""
    blocks.append(kit.context(note))
    text = (
        f"Promo report {kit.escape(code)}: {report.orders} orders, {report.units} units, revenue {_money(report.revenue)}, "
        f"discount cost {_money(report.discount_cost)}, referred {_pct(report.referred_share_orders)} of orders."
    )
    return text, blocks


def report_notes(report: PromoReport, filename: str, code: str, *, requested: bool) -> list[dict[str, Any]]:
    """What the totals of `/promo report` rest on: a file without a promo-code column, a code sellerbot never saw."""
    notes = []
    if "promo_code" not in report.columns:
        notes.append(
            kit.context(
                f"`{kit.escape(filename)}` has no promo-code column, so every row is counted as {kit.escape(code)} "
                "(Amazon's per-code report holds one code)."
            )
        )
    if not requested:
        notes.append(
            kit.context(f"{kit.escape(code)} was not requested through sellerbot; totals come from the file only.")
        )
    return notes


def deals_pending(account_id: str, code: str, report_id: str, status: str) -> dict[str, Any]:
    account_id, code, report_id, status = (kit.escape(v) for v in (account_id, code, report_id, status))
    return kit.message(
        f":hourglass_flowing_sand: Amazon is still building report {report_id} "
        f"({status}). Run `/promo deals --account {account_id} "
        f"--marketplace {code} --report-id {report_id}` in a few minutes."
    )


def deals_unreadable(reason: str) -> dict[str, Any]:
    return kit.error(
        f"{kit.escape(reason)} (Amazon reports only Best Deal and Lightning Deal promotions here; "
        "CANCELLED usually means there were none in the period)."
    )


def deals_summary(report: Any, target: str, report_id: str) -> dict[str, Any]:
    """`/promo deals`: one line per deal from GET_PROMOTION_PERFORMANCE_REPORT."""
    promos = sorted(report.promotions, key=lambda p: p.start, reverse=True)
    if not promos:
        return kit.message(
            f"Amazon's promotion performance report {kit.escape(report_id)} for {kit.escape(target)} lists no deals."
        )
    lines = []
    for p in promos:
        conv = f", {p.conversion * 100:.1f}% of {p.glance_views:,} views" if p.conversion is not None else ""
        lines.append(
            f"*{kit.escape(p.name)}* ({kit.escape(p.type.replace('_', ' ').lower())}, {kit.escape(p.status.lower())}) "
            f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d}: {_n(p.units_sold, 'unit')}, "
            f"revenue {_money(p.revenue)} {kit.escape(p.revenue_currency)}{conv}"
        )
    units = sum(p.units_sold for p in promos)
    currencies = sorted({p.revenue_currency for p in promos})
    revenue = ", ".join(
        f"{_money(sum(p.revenue for p in promos if p.revenue_currency == c))} {kit.escape(c)}" for c in currencies
    )
    head = f"Deals for {kit.escape(target)}: {len(promos)} promotions, {_n(units, 'unit')}, revenue {revenue}"
    blocks = [kit.header(f"Deals — {target}"), kit.section(head)]
    blocks += kit.sections(lines, budget=LIST_BUDGET, more="narrow it with --account or --marketplace.")
    blocks.append(
        kit.context(
            f"From SP-API {kit.escape(report_id)} (GET_PROMOTION_PERFORMANCE_REPORT). Amazon lists Best Deal "
            "and Lightning Deal promotions here; promo codes come from /promo report."
        )
    )
    return kit.message(head + "\n" + "\n".join(lines), blocks)


# ---- the requester's notices and the card's state line ----------------------------------------
