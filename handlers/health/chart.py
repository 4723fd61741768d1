"""90-day trend chart (PNG) of the rate metrics from stored snapshots, with target lines.

Two panels because the scales differ: "lower is better" rates (ODR 1 %,
cancellations, late shipment, invoice defects) and "higher is better" rates
(valid tracking 95 %, on-time delivery).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime

from handlers.health.metrics import HIGHER_IS_BETTER, LOWER_IS_BETTER, label_for
from handlers.health.snapshots import Snapshot

# Default 400: the most points one metric's line draws; a longer history is averaged over runs of
# consecutive snapshots (each point at the run's first time) so a long history stays cheap to draw.
MAX_POINTS = 400

_COLOURS = ["#d62728", "#ff9900", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf"]


# metric -> (when, value in %, the latest target in %)
_Series = dict[str, tuple[list[datetime], list[float], float | None]]


def _series(history: Sequence[Snapshot], bases: Sequence[str]) -> _Series:
    out: _Series = {}
    for snap in history:
        for metric, mv in snap.metrics.items():
            if metric.split(".", 1)[0] not in bases:
                continue
            xs, ys, _ = out.setdefault(metric, ([], [], None))
            xs.append(snap.taken_at)
            ys.append(mv.value * 100)
            out[metric] = (xs, ys, mv.target * 100)  # latest target wins
    return {metric: (*_capped(xs, ys), target) for metric, (xs, ys, target) in out.items()}


def _capped(xs: list[datetime], ys: list[float]) -> tuple[list[datetime], list[float]]:
    """At most MAX_POINTS points: runs of `size` consecutive points averaged, at the run's first time."""
    if len(xs) <= MAX_POINTS:
        return xs, ys
    size = math.ceil(len(xs) / MAX_POINTS)
    return xs[::size], [sum(ys[i : i + size]) / len(ys[i : i + size]) for i in range(0, len(ys), size)]


def trend_png(history: Sequence[Snapshot], *, title: str = "Account health, last 90 days") -> bytes:
    """PNG bytes; an empty history gives a chart saying there is no data yet (never an exception)."""
    # Lazy: matplotlib costs ~0.5 s to import and only the /health chart needs it (Lambda cold starts).
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # lazy, as above

    fig = Figure(figsize=(8, 6), dpi=100)
    panels = ((LOWER_IS_BETTER, "Lower is better (%)"), (HIGHER_IS_BETTER, "Higher is better (%)"))
    for i, (bases, ylabel) in enumerate(panels, start=1):
        ax = fig.add_subplot(2, 1, i)
        series = _series(history, bases)
        for n, (metric, (xs, ys, target)) in enumerate(sorted(series.items())):
            colour = _COLOURS[n % len(_COLOURS)]
            # datetimes plot through matplotlib's units registry; its stubs only list numeric x values
            ax.plot(xs, ys, marker="o", markersize=2.5, linewidth=1.4, color=colour, label=label_for(metric))  # type: ignore[arg-type]
            if target is not None:
                ax.axhline(target, color=colour, linestyle="--", linewidth=0.9, alpha=0.8)
        if not series:
            ax.text(0.5, 0.5, "no snapshots yet", ha="center", va="center", transform=ax.transAxes, color="#666666")
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        if series:
            ax.legend(loc="best", fontsize=7)
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
    fig.suptitle(title + "  (dashed: target)", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
