"""PNG bar chart of daily orders, referred vs not referred by Associates/Influencers."""

from __future__ import annotations

import io

from handlers.promo.report import PromoReport


def daily_orders_png(report: PromoReport, *, title: str | None = None) -> bytes:
    # Lazy: matplotlib costs ~0.5 s to import and only this chart needs it (Lambda cold starts).
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # lazy, as above
    from matplotlib.ticker import MaxNLocator  # lazy, as above

    days = [d.date.strftime("%m-%d") for d in report.daily]
    referred = [d.orders_referred for d in report.daily]
    direct = [d.orders_not_referred for d in report.daily]
    fig = Figure(figsize=(max(6.0, 0.45 * len(days) + 2), 3.6), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.bar(days, direct, label="Not referred", color="#9aa5b1")
    ax.bar(days, referred, bottom=direct, label="Referred by Associate/Influencer", color="#ff9900")
    top = max((r + d for r, d in zip(referred, direct, strict=False)), default=0)
    ax.set_ylim(0, max(1, top) * 1.35)  # headroom so the legend never covers a bar
    ax.set_ylabel("Orders")
    ax.set_title(title or f"Daily orders{' — ' + report.code if report.code else ''}")
    ax.legend(loc="upper left", fontsize=8)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
