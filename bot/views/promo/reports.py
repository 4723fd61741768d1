"""The promo-code sales report and `/promo deals` replies."""

from __future__ import annotations

from typing import Any

from bot.views import kit
from bot.views.promo.common import LIST_BUDGET, field_pairs
from handlers.promo.report import Coverage, PromoReport
from handlers.promo.service import CardField

# The button under a private chart that posts it to the channel (bot/listeners/promo/chart_share.py).
CHART_SHARE_ACTION = "promo_chart_share"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _money(x: float, currency: str | None = None) -> str:
    return f"{x:,.2f} {kit.escape(currency)}" if currency else f"{x:,.2f}"


def _pct(x: float | None) -> str:
    return "n/a (no referral column)" if x is None else f"{x * 100:.1f}%"


# Amazon fills the referral column only for codes shared with Influencers and Associates (and the All Orders
# report never has it), so its absence says the code was not shared; nothing is guessed.
NO_REFERRAL = (
    "not in this file: Amazon adds the Referred by Associate/Influencer column to a code's report only when the "
    "code was shared with Influencers and Associates (the All Orders report never has it)"
)


def _referred(report: PromoReport) -> str:
    if report.referred_share_orders is None:
        return NO_REFERRAL
    cur = report.currency
    return (
        f"{report.referred_orders} of {_n(report.orders, 'order')} ({_pct(report.referred_share_orders)}), "
        f"{report.referred_units} of {_n(report.units, 'unit')} ({_pct(report.referred_share_units)}), "
        f"{_money(report.referred_revenue, cur)} of {_money(report.revenue, cur)} "
        f"({_pct(report.referred_share_revenue)})"
    )


def _currency_note(report: PromoReport) -> str:
    if report.currency is None:
        return "Amounts: the file names no currency."
    where = "as the file states" if report.currency_source == "report" else "the marketplace's, the file names none"
    return f"Amounts in {kit.escape(report.currency)} ({where})."


def report_summary(
    report: PromoReport, filename: str, *, beside_referred: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The totals, the referred share and, with `beside_referred`, what is shown right after it (the Amazon
    Attribution panel: a separate statistic)."""
    code = report.code or "all codes"
    cur = report.currency
    fields = [
        ("Orders", str(report.orders)),
        ("Units", str(report.units)),
        ("Sales", _money(report.revenue, cur)),
        ("Discount cost", _money(report.discount_cost, cur)),
    ]
    blocks = [
        kit.header(f"Promo report — {code}"),
        *field_pairs([CardField(label=k, value=v) for k, v in fields]),
        kit.section(f"*Referred by Associates/Influencers*\n{_referred(report)}"),
        *(beside_referred or []),
    ]
    if report.daily:
        days = "\n".join(
            f"{d.date:%Y-%m-%d}: {_n(d.orders_referred + d.orders_not_referred, 'order')} "
            f"({d.orders_referred} referred), sales {_money(d.revenue, cur)}"
            for d in report.daily[-31:]
        )
        blocks.append(kit.section("*Daily totals*\n" + days))
    note = (
        f"From `{kit.escape(filename)}` ({report.rows} rows, {report.encoding}, delimiter {report.delimiter!r}). "
        + _currency_note(report)
    )
    if report.row_errors:
        listed = report.row_errors[:5]
        shown = "; ".join(f"line {e.line}: {kit.escape(e.reason)}" for e in listed)
        # The report lists only its first MAX_ROW_ERRORS bad rows; the count covers all of them.
        more = report.row_error_count - len(listed)
        note += f" {report.row_error_count} unreadable rows left out of the totals: {shown}"
        note += f"; and {more} more rows with errors." if more else ""
    blocks.append(kit.context(note))
    share = (
        "no referral column (not shared with Influencers/Associates)"
        if report.referred_share_orders is None
        else f"referred {_pct(report.referred_share_orders)} of orders"
    )
    text = (
        f"Promo report {kit.escape(code)}: {report.orders} orders, {report.units} units, "
        f"sales {_money(report.revenue, cur)}, discount cost {_money(report.discount_cost, cur)}, {share}."
    )
    return text, blocks


def report_coverage(coverage: Coverage, code: str, marketplace: str) -> list[dict[str, Any]]:
    """The warning when the file does not reach over the promotion's days; [] when it does."""
    if coverage.covered:
        return []
    return [kit.section(":warning: " + kit.escape(coverage.sentence(code, marketplace)))]


def chart_private_notice(code: str, share_value: str) -> dict[str, Any]:
    """Told only to the requester (response_url, ephemeral): the chart went to their DM with sellerbot; the
    button posts it to the channel the command ran in."""
    text = (
        f"The chart for {kit.escape(code)} is in your direct messages with sellerbot; only you can see it. "
        "Share it here if the channel should see it too."
    )
    button = kit.button("Share in channel", CHART_SHARE_ACTION, share_value)
    return kit.message(text, [kit.section(text), kit.actions(button)])


def chart_shared(code: str, user: str) -> dict[str, Any]:
    return kit.message(f"You shared the {kit.escape(code)} chart in this channel.")


def chart_share_comment(code: str, user: str) -> str:
    return f"{kit.mention(user)} shared the {kit.escape(code)} chart (daily orders, referred vs not referred)."


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
    """Kept for callers outside /promo deals: `reason` is already words for a seller."""
    return kit.error(
        f"{kit.escape(reason)} (Amazon reports only Best Deal and Lightning Deal promotions here; "
        "CANCELLED usually means there were none in the period)."
    )


def deals_need_brand_registry(account_id: str) -> dict[str, Any]:
    """`/promo deals` for an account without Brand Registry: Amazon's report needs it, so nothing is asked."""
    return kit.error(
        f"Deals are not available for {kit.escape(account_id)} because it is not in Amazon Brand Registry: Amazon's "
        "promotion performance report is only for sellers registered in Brand Registry (with the Selling Partner "
        "Insights role). Promo-code sales still work: upload the report and run `/promo report CODE`."
    )


# Why `/promo deals` got no deals, in words a seller can act on (bot/listeners/promo/reports.py picks the key).
DEALS_FAILURES = {
    "none": "Amazon has no Best Deal or Lightning Deal results for {target} in the last weeks, so there is nothing "
    "to list. Deals show up here once they have run; promo codes are in `/promo report CODE`.",
    "fatal": "Amazon could not build the deals report for {target}. Run `/promo deals` again; if it fails again, ask "
    "an admin to check in Seller Central that sellerbot is still authorised for this account.",
    "unreadable": "Amazon's deals report for {target} arrived damaged or in a shape sellerbot does not know. Run "
    "`/promo deals` again; if it repeats, tell an admin.",
    "forbidden": "Amazon refused the deals report for {target}: it needs the Selling Partner Insights role and Brand "
    "Registry. Ask an admin to check both in Seller Central and authorise sellerbot again.",
    "throttled": "Amazon is limiting how often reports can be asked for right now. Run `/promo deals` again in a few "
    "minutes.",
    "unavailable": "Amazon could not be reached for the deals report of {target}. Run `/promo deals` again in a few "
    "minutes.",
}


def deals_failed(kind: str, target: str) -> dict[str, Any]:
    return kit.error(DEALS_FAILURES.get(kind, DEALS_FAILURES["unavailable"]).format(target=kit.escape(target)))


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
