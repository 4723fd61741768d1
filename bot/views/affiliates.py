"""The affiliate view in Slack (issue 22): `/affiliates`, `/affiliates tags`, the Attribution panel beside
`/promo report`, and the weekly digest.

Everything Amazon or a user wrote (publisher names, tags, account ids, notes) is escaped here with
`kit.escape`; every message goes through `kit.message`/`kit.fit`, so Slack's limits (50 blocks, 3,000
characters a section, the block-text budget) hold however many publishers a report has.

What Amazon's data cannot say is said where it matters, in plain words: the last two days are
incomplete, masked rows (under Amazon's 10-click threshold) are unknown and never "0 sales", the BRB
figure is an estimate credited about two months later, brand halo is apart from the promoted products,
and Attribution carries no promo-code or order data, so nothing here is joined to a promo code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.views import kit
from handlers.affiliates.models import (
    AffiliateReport,
    AffiliatesUnavailable,
    PublisherRow,
    TagLink,
    WeeklyDigest,
)

LIST_BUDGET = kit.BLOCK_TEXT_BUDGET - 3000  # characters of publisher lines in one reply; the rest is totals, notes
DIGEST_TOP = 5
MASKED_TEXT = "below Amazon's 10-click threshold: Amazon hides its figures (unknown, not zero)"
NO_JOIN_LINE = (
    "Amazon Attribution gives no promo-code or order data, so sellerbot never joins affiliate rows to promo codes: "
    "the referred share and the Attribution totals are two separate statistics."
)
BRB_NOTE = (
    "Estimated BRB is Amazon's estimate of the Brand Referral Bonus; Amazon credits it against future referral fees "
    "about two months after it is earned."
)
NO_BRB_NOTE = (
    "No BRB estimate: Amazon returned none for this advertiser (the brand may not be enrolled in the Brand Referral "
    "Bonus)."
)
HALO_NOTE = (
    "Figures are for the promoted products (14-day last click); brand halo (the brand's other products bought after "
    "the click) is shown apart."
)
# aa_* values in a tag (amazon-attribution.md §3 Tags): at most 255 characters, none of these even escaped.
AA_FORBIDDEN = set("/&=#?+'\"%$")
AA_MAX = 255


# ---- formatting -----------------------------------------------------------------------------------
def _int(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def money(value: Decimal | None, currency: str) -> str:
    if value is None:
        return "–"
    return f"{value.quantize(Decimal('0.01')):,} {kit.escape(currency)}"


def _day(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def period_text(report: AffiliateReport) -> str:
    days = (report.end - report.start).days + 1
    span = _day(report.start) if days == 1 else f"{_day(report.start)} to {_day(report.end)}"
    return f"{span} ({days} day{'s' if days != 1 else ''}, {kit.escape(report.zone)} days)"


def _incomplete(report: AffiliateReport) -> str:
    return f" · days from {_day(report.incomplete_from)} still incomplete" if report.incomplete_from else ""


def _name(row: PublisherRow) -> str:
    name = f"*{kit.escape(row.publisher)}*"
    return f"{name} · tag `{kit.escape(row.tag)}`" if row.tag else name


def publisher_line(row: PublisherRow, currency: str, *, brb: bool) -> str:
    """One publisher (or tag): the funnel, sales and the BRB estimate; a masked row says so, never 0."""
    if row.masked:
        return f"{_name(row)}: {MASKED_TEXT}"
    line = (
        f"{_name(row)}: {_int(row.clicks)} clicks · {_int(row.detail_page_views)} detail-page views · "
        f"{_int(row.add_to_carts)} add-to-carts · {_int(row.purchases)} purchases · {_int(row.units)} units · "
        f"sales {money(row.sales, currency)}"
    )
    if brb:
        line += f" · est. BRB {money(row.brb_estimate, currency)}"
    halo = row.halo
    if halo is not None and any(v for v in (halo.detail_page_views, halo.purchases, halo.units, halo.sales)):
        line += (
            f"\n      brand halo: {_int(halo.detail_page_views)} detail-page views · {_int(halo.purchases)} purchases · "
            f"{_int(halo.units)} units · sales {money(halo.sales, currency)}"
        )
    return line


def _totals_fields(report: AffiliateReport) -> list[dict[str, Any]]:
    t, cur = report.totals, report.currency
    cells = [
        ("Clicks", _int(t.clicks)),
        ("Detail-page views", _int(t.detail_page_views)),
        ("Add-to-carts", _int(t.add_to_carts)),
        ("Purchases", _int(t.purchases)),
        ("Units", _int(t.units)),
        ("Sales", money(t.sales, cur)),
    ]
    cells.append(("Estimated BRB", money(t.brb_estimate, cur) if report.brb_present else "none from Amazon"))
    if t.halo is not None and t.halo.sales is not None:
        cells.append(("Brand halo sales", money(t.halo.sales, cur)))
    return [{"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{v}"} for k, v in cells]}]


def caveats(report: AffiliateReport) -> list[str]:
    """What the figures can and cannot say, as plain sentences (escaped when shown): the domain's notes when it
    wrote them (they are about this report), else the same caveats from the report's fields."""
    if any(n.strip() for n in report.notes):
        return [n for n in report.notes if n.strip()]
    out: list[str] = []
    if report.incomplete_from is not None:
        out.append(
            f"Days from {_day(report.incomplete_from)} on are incomplete: Amazon adds clicks within about 24 h and "
            "conversions within 48 h, and restates the last 28 days."
        )
    if report.masked_rows:
        rows = f"{report.masked_rows} row{'s are' if report.masked_rows != 1 else ' is'}"
        out.append(
            f"{rows} below Amazon's 10-click threshold: Amazon hides their figures, so they are unknown (not zero) "
            "and left out of the totals."
        )
    out.append(BRB_NOTE if report.brb_present else NO_BRB_NOTE)
    out.append(HALO_NOTE)
    out.append(NO_JOIN_LINE)
    return out


def _caveat_blocks(report: AffiliateReport) -> list[dict[str, Any]]:
    return [kit.context("\n".join(f"• {kit.escape(c)}" for c in caveats(report)))]


# ---- /affiliates ----------------------------------------------------------------------------------
def report_message(report: AffiliateReport, *, by_tag: bool = False) -> dict[str, Any]:
    """The `/affiliates` answer: totals, one line per publisher (or tag), the caveats."""
    who = f"{kit.escape(report.account_id)} {kit.escape(report.marketplace)}"
    head = f"Affiliates — {report.account_id} {report.marketplace}" + (" (per tag)" if by_tag else "")
    lines = [publisher_line(r, report.currency, brb=report.brb_present) for r in report.publishers]
    blocks = [
        kit.header(head),
        kit.context(
            f"{period_text(report)} · amounts in {kit.escape(report.currency)} · Amazon Attribution{_incomplete(report)}"
        ),
        *_totals_fields(report),
    ]
    if lines:
        title = "*Per tag*" if by_tag else "*Per publisher*"
        blocks.append(kit.section(title))
        blocks += kit.sections(
            lines, budget=LIST_BUDGET, more="narrow the period, or see them in the Amazon Ads console."
        )
    else:
        blocks.append(kit.section("No publisher sent tagged traffic in this period."))
    blocks += _caveat_blocks(report)
    t = report.totals
    text = (
        f"Affiliates {who}, {period_text(report)}: {_int(t.clicks)} clicks, {_int(t.purchases)} purchases, "
        f"sales {money(t.sales, report.currency)}"
        + (f", est. BRB {money(t.brb_estimate, report.currency)}" if report.brb_present else "")
        + f"; {len(report.publishers)} {'tags' if by_tag else 'publishers'}."
    )
    return kit.message(text, blocks)


def unavailable(result: AffiliatesUnavailable) -> dict[str, Any]:
    """Why there are no figures, with what to do (the domain's message is written for a seller)."""
    return kit.error(kit.escape(result.message))


# ---- /affiliates tags -----------------------------------------------------------------------------
def aa_problems(url: str) -> list[str]:
    """Which `aa_*` values of a tag break Amazon's rules (≤ 255 characters, none of / & = # ? + ' " % $)."""
    query = urlsplit(url).query or url.partition("?")[2]
    problems = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if not key.startswith("aa_"):
            continue
        if len(value) > AA_MAX:
            problems.append(f"{key} is longer than {AA_MAX} characters")
        bad = sorted(set(value) & AA_FORBIDDEN)
        if bad:
            problems.append(f"{key} contains {' '.join(bad)}")
    # parse_qsl decodes %XX, so an escaped forbidden character is caught above; a raw % in the text is too.
    for part in query.split("&"):
        key, _, raw = part.partition("=")
        if key.startswith("aa_") and "%" in raw and not any(key in p for p in problems):
            problems.append(f"{key} contains %")
    return problems


def tag_line(link: TagLink) -> str:
    kind = (
        "macro tag: the publisher fills the campaign, ad group and creative ids itself"
        if link.macro
        else "template tag: replace the {insert…} placeholders with your own ids"
    )
    target = f" for {kit.escape(link.asin)}" if link.asin else ""
    problems = aa_problems(link.url)
    if problems:
        return (
            f"*{kit.escape(link.publisher)}*{target}: not shown, Amazon's aa_* rules are broken "
            f"({kit.escape('; '.join(problems))}); ask for the tag again in the Amazon Ads console."
        )
    return f"*{kit.escape(link.publisher)}*{target} ({kind}):\n```{kit.escape(link.url)}```"


def tags_message(links: list[TagLink], account_id: str, marketplace: str, publisher: str | None) -> dict[str, Any]:
    who = f"{kit.escape(account_id)} {kit.escape(marketplace)}"
    if not links:
        named = f" named like “{kit.escape(publisher)}”" if publisher else ""
        return kit.message(
            f"No Attribution publisher{named} for {who}. Run `/affiliates tags` to list them all.",
        )
    lines = [tag_line(link) for link in links]
    blocks = [
        kit.header(f"Attribution tags — {account_id} {marketplace}"),
        *kit.sections(lines, budget=LIST_BUDGET, more="name one publisher: `/affiliates tags PUBLISHER`."),
        kit.context(
            "Copy a link into the publisher's post or ad. Asking Amazon for a tag turns measurement on for this "
            "profile. aa_* values: at most 255 characters, none of / & = # ? + ' \" % $."
        ),
    ]
    text = f"Attribution tags for {who}: {len(links)} publisher{'s' if len(links) != 1 else ''}."
    return kit.message(text, blocks)


# ---- beside /promo report -------------------------------------------------------------------------
def promo_panel(result: AffiliateReport | AffiliatesUnavailable | None, reason: str = "") -> list[dict[str, Any]]:
    """The Attribution totals beside the promo report's referred share: a separate statistic, never joined."""
    title = "*Amazon Attribution (affiliate tags), a separate statistic*"
    if result is None:
        body = kit.escape(reason or "No Attribution figures for this report.")
        return [kit.section(f"{title}\n{body}"), kit.context(kit.escape(NO_JOIN_LINE))]
    if isinstance(result, AffiliatesUnavailable):
        return [kit.section(f"{title}\n{kit.escape(result.message)}"), kit.context(kit.escape(NO_JOIN_LINE))]
    t, cur = result.totals, result.currency
    line = (
        f"{kit.escape(result.marketplace)}, {period_text(result)}: {_int(t.clicks)} clicks, "
        f"{_int(t.detail_page_views)} detail-page views, {_int(t.purchases)} purchases, {_int(t.units)} units, "
        f"sales {money(t.sales, cur)}"
        + (f", est. BRB {money(t.brb_estimate, cur)}" if result.brb_present else "")
        + f" from {len(result.publishers)} publisher{'s' if len(result.publishers) != 1 else ''}"
    )
    notes = [NO_JOIN_LINE]
    if result.masked_rows:
        notes.append(f"{result.masked_rows} masked rows (under Amazon's 10-click threshold) are unknown, not zero.")
    if result.incomplete_from is not None:
        notes.append(f"Days from {_day(result.incomplete_from)} on are still incomplete.")
    return [kit.section(f"{title}\n{line}."), kit.context(" ".join(kit.escape(n) for n in notes))]


def promo_panel_json(result: AffiliateReport | AffiliatesUnavailable | None, reason: str = "") -> dict[str, Any]:
    """`sellerbot promo report --json`'s "affiliates" value: totals, or why there are none."""
    if result is None:
        return {"available": False, "reason": "not_requested", "message": reason, "joined_to_promo_codes": False}
    if isinstance(result, AffiliatesUnavailable):
        return {
            "available": False,
            "reason": result.reason,
            "message": result.message,
            "joined_to_promo_codes": False,
        }
    t = result.totals

    def amount(x: Decimal | None) -> str | None:
        return None if x is None else str(x.quantize(Decimal("0.01")))

    return {
        "available": True,
        "marketplace": result.marketplace,
        "currency": result.currency,
        "zone": result.zone,
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "totals": {
            "clicks": t.clicks,
            "detail_page_views": t.detail_page_views,
            "add_to_carts": t.add_to_carts,
            "purchases": t.purchases,
            "units": t.units,
            "sales": amount(t.sales),
            "brb_estimate": amount(t.brb_estimate) if result.brb_present else None,
        },
        "publishers": len(result.publishers),
        "masked_rows": result.masked_rows,
        "incomplete_from": result.incomplete_from.isoformat() if result.incomplete_from else None,
        "joined_to_promo_codes": False,
        "note": NO_JOIN_LINE,
    }


# ---- weekly digest --------------------------------------------------------------------------------
def _change(now: Decimal | int | None, before: Decimal | int | None) -> str:
    if now is None or before is None:
        return "no comparison"
    if before == 0:
        return "new this week" if now else "unchanged"
    pct = (Decimal(now) - Decimal(before)) / Decimal(before) * 100
    return f"{pct:+.1f}% vs last week"


def digest_message(digest: WeeklyDigest, *, restated: bool = False) -> dict[str, Any]:
    """The weekly digest for one account × marketplace: totals with the change, top publishers, the BRB estimate."""
    r, prev, cur = digest.report, digest.previous_totals, digest.report.currency
    t = r.totals
    who = f"{kit.escape(r.account_id)} {kit.escape(r.marketplace)}"
    summary = (
        f"Sales {money(t.sales, cur)} ({_change(t.sales, prev.sales if prev else None)}) · "
        f"{_int(t.clicks)} clicks ({_change(t.clicks, prev.clicks if prev else None)}) · "
        f"{_int(t.purchases)} purchases ({_change(t.purchases, prev.purchases if prev else None)})"
    )
    summary += f"\nEstimated BRB {money(t.brb_estimate, cur)}" if r.brb_present else "\nEstimated BRB: none from Amazon"
    top = [publisher_line(p, cur, brb=r.brb_present) for p in digest.top[:DIGEST_TOP]]
    blocks = [
        kit.header(f"Weekly affiliates — {r.account_id} {r.marketplace}"),
        kit.context(f"{period_text(r)} · amounts in {kit.escape(cur)} · Amazon Attribution{_incomplete(r)}"),
        kit.section(summary),
        kit.section("*Top publishers*\n" + ("\n".join(top) if top else "No publisher sent tagged traffic this week.")),
    ]
    if restated:
        blocks.append(kit.context("Updated: Amazon restated this week's figures since the digest was first posted."))
    blocks += _caveat_blocks(r)
    text = (
        f"Weekly affiliates {who}: sales {money(t.sales, cur)}, {_int(t.clicks)} clicks, {_int(t.purchases)} purchases."
    )
    return kit.message(text, blocks, ephemeral=False)


def progress_text(account_id: str, marketplace: str) -> str:
    return f"Still asking Amazon Attribution for {kit.escape(account_id)} {kit.escape(marketplace)}… (large reports take a few seconds)"
