"""PNG bar chart of daily orders, referred vs not referred by Associates/Influencers (weekly past a year, at most
MAX_BARS bars)."""

from __future__ import annotations

import io
import math
from datetime import timedelta

from handlers.promo.report import DailyTotal, PromoReport

# Bounds on what one chart draws (issue 14 item 3: 1,450 dates cost 3 s and 300 MB).
WEEKLY_AFTER_DAYS = 365  # default: a report spanning more than a year is drawn as weekly bars
MAX_BARS = 400  # default: at most 400 bars; weeks are merged further when a report spans more than that
MAX_WIDTH_INCHES = 24.0  # default: the figure grows 0.45 in per bar up to this width
_MAX_LABELS = 60  # x labels shown at most; the rest are thinned out

# (label, orders referred, orders not referred)
Bar = tuple[str, int, int]


def chart_bars(daily: list[DailyTotal]) -> tuple[list[Bar], str]:
    """The bars to draw, at most MAX_BARS, and their unit ("Daily" or "Weekly"): one per day when the report
    spans at most WEEKLY_AFTER_DAYS days and has at most MAX_BARS days, else one per week (Monday) or per run of
    weeks, each labelled with its first day."""
    if not daily:
        return [], "Daily"
    span = (daily[-1].date - daily[0].date).days + 1
    if span <= WEEKLY_AFTER_DAYS and len(daily) <= MAX_BARS:
        return [(d.date.strftime("%m-%d"), d.orders_referred, d.orders_not_referred) for d in daily], "Daily"
    weeks: dict[str, list[int]] = {}
    for d in daily:
        start = d.date - timedelta(days=d.date.weekday())
        totals = weeks.setdefault(start.strftime("%Y-%m-%d"), [0, 0])
        totals[0] += d.orders_referred
        totals[1] += d.orders_not_referred
    bars: list[Bar] = [(label, r, n) for label, (r, n) in weeks.items()]
    if len(bars) <= MAX_BARS:
        return bars, "Weekly"
    size = math.ceil(len(bars) / MAX_BARS)
    merged = [
        (group[0][0], sum(b[1] for b in group), sum(b[2] for b in group))
        for group in (bars[i : i + size] for i in range(0, len(bars), size))
    ]
    return merged, f"{size}-weekly"


def daily_orders_png(report: PromoReport, *, title: str | None = None) -> bytes:
    # Lazy: matplotlib costs ~0.5 s to import and only this chart needs it (Lambda cold starts).
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # lazy, as above
    from matplotlib.ticker import MaxNLocator  # lazy, as above

    bars, unit = chart_bars(report.daily)
    days = [b[0] for b in bars]
    referred = [b[1] for b in bars]
    direct = [b[2] for b in bars]
    fig = Figure(figsize=(min(MAX_WIDTH_INCHES, max(6.0, 0.45 * len(days) + 2)), 3.6), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.bar(days, direct, label="Not referred", color="#9aa5b1")
    ax.bar(days, referred, bottom=direct, label="Referred by Associate/Influencer", color="#ff9900")
    top = max((r + d for r, d in zip(referred, direct, strict=False)), default=0)
    ax.set_ylim(0, max(1, top) * 1.35)  # headroom so the legend never covers a bar
    ax.set_ylabel("Orders")
    ax.set_title(title or f"{unit} orders{' — ' + report.code if report.code else ''}")
    ax.legend(loc="upper left", fontsize=8)
    if len(days) > _MAX_LABELS:  # categorical x: bar i sits at i
        step = math.ceil(len(days) / _MAX_LABELS)
        ax.set_xticks(list(range(0, len(days), step)), days[::step])
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
