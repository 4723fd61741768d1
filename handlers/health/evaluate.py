"""Turn a parsed performance report into red flags, trend warnings and a diff.

Rules (per marketplace):
- a rate metric is out of target when Amazon says `status == "BAD"` OR its
  `rate` fails the target. Target precedence: the account's own threshold
  (`MarketplaceConfig.thresholds`) > the report's `targetValue` > Amazon's
  published fallback; the condition is the report's `targetCondition` when it is
  one we know, else the fallback's. Both checks count because Amazon's own
  example contradicts itself (unit on-time delivery 88.5 % vs > 90 % marked GOOD):
  we would rather flag once too often than miss one.
- a violation count is out of target when it fails its target (0, EQUALS) or is BAD.
- an account status other than NORMAL; an Account Health Rating whose score
  (`ahrScore`, undocumented but carried by live reports) is under 200 whatever
  its status says, or whose status is AT_RISK, CRITICAL or WARNED (GREAT, GOOD
  and FAIR are fine; any other status is a report notice, not a crash); a
  `warningStates` entry BAD, or listed as a plain string (no status to say
  it is fine).
- every report notice (unknown metric or field, malformed value of a known
  metric, unknown status; see report.py) becomes a `ReportWarning`: shown with
  the warnings, never dropped, never a crash.
- a metric still within target that moved more than half-way toward its target
  since the previous snapshot gives a trend warning (not a red flag).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel

from handlers.health.metrics import (
    ACCOUNT_HEALTH_RATING,
    ACCOUNT_STATUS,
    CONDITION_SYMBOL,
    CONDITIONS,
    RATE_METRICS,
    REPORT_NOTICE,
    VIOLATION_METRICS,
    WARNING_STATE,
    MetricSpec,
    Severity,
    label_for,
    meets,
)
from handlers.health.report import (
    AHR_STATUSES_BAD,
    MarketplaceMetrics,
    PerformanceReport,
    RateMetric,
    ReportNotice,
    ViolationMetric,
)
from infra.accounts import MARKETPLACE_CODES

# Worst first. Any status we do not know ranks just above NORMAL so it still shows.
STATUS_RANK = {"DEACTIVATED": 4, "SUSPENDED": 3, "AT_RISK": 2, "NORMAL": 0}
UNKNOWN_STATUS = "UNKNOWN"
# What a flag shows as its value and target: a rate, a count, or a status word.
FlagValue = float | int | str | None


class RedFlag(BaseModel):
    flag_id: str
    account: str
    marketplace: str
    metric: str
    label: str
    value: FlagValue
    target: FlagValue
    condition: str | None = None
    severity: Severity
    message: str
    meaning: str
    next_step: str
    amazon_status: str | None = None
    source: Literal["report", "notification", "system"] = "report"

    def contract(self) -> dict[str, Any]:
        """The CLI/JSON shape: the five contract keys first, extras after."""
        return {
            "metric": self.metric,
            "value": self.value,
            "target": self.target,
            "severity": self.severity,
            "message": self.message,
            "marketplace": self.marketplace,
            "flag_id": self.flag_id,
            "condition": self.condition,
            "label": self.label,
            "meaning": self.meaning,
            "next_step": self.next_step,
            "amazon_status": self.amazon_status,
        }


class TrendWarning(BaseModel):
    flag_id: str
    account: str
    marketplace: str
    metric: str
    label: str
    value: float
    previous: float
    target: float
    condition: str
    message: str

    def contract(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "previous": self.previous,
            "target": self.target,
            "message": self.message,
            "marketplace": self.marketplace,
            "flag_id": self.flag_id,
            "condition": self.condition,
            "label": self.label,
        }


class ReportWarning(BaseModel):
    """A report notice (unknown metric or field, malformed value, unknown status) for one marketplace."""

    flag_id: str
    account: str
    marketplace: str
    metric: str
    kind: str
    value: float | int | str | None = None
    message: str

    def contract(self) -> dict[str, Any]:
        """Same keys as a trend warning's contract (previous/target are None), plus `kind`."""
        return {
            "metric": self.metric,
            "value": self.value,
            "previous": None,
            "target": None,
            "message": self.message,
            "marketplace": self.marketplace,
            "flag_id": self.flag_id,
            "kind": self.kind,
            "label": REPORT_NOTICE.label,
        }


class MetricValue(BaseModel):
    """One rate as stored in a snapshot: enough for trends and charts."""

    value: float
    target: float
    condition: str
    status: str | None = None


class Evaluation(BaseModel):
    account: str
    account_status: str
    statuses: dict[str, str]
    flags: list[RedFlag]
    warnings: list[TrendWarning]
    metrics: dict[str, dict[str, MetricValue]]
    # What the report carries that was not evaluated (unknown metrics, malformed values): warnings, not flags.
    notices: list[ReportWarning] = []


class FlagDiff(BaseModel):
    new: list[RedFlag]
    still_open: list[RedFlag]
    resolved: list[RedFlag]


def marketplace_key(marketplace_id: str) -> str:
    """The code used in flag ids and store keys (US, DE, …); unknown ids stay as they are."""
    return MARKETPLACE_CODES.get(marketplace_id, marketplace_id)


def flag_id(account: str, marketplace: str, metric: str) -> str:
    return f"{account}#{marketplace}#{metric}"


def pct(value: float) -> str:
    return f"{value * 100:.2f} %"


def worst_status(statuses: Iterable[str]) -> str:
    """Worst account status across marketplaces; UNKNOWN when the report lists none."""
    ranked = sorted(statuses, key=lambda s: STATUS_RANK.get(s, 1), reverse=True)
    return ranked[0] if ranked else UNKNOWN_STATUS


def _norm(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def _override(thresholds: Mapping[str, float], metric: str) -> float | None:
    """Account threshold for `metric` (`orderDefectRate.mfn` falls back to `orderDefectRate`); keys are case/underscore-insensitive."""
    normed = {_norm(k): v for k, v in thresholds.items()}
    for key in (metric, metric.split(".", 1)[0]):
        if _norm(key) in normed:
            return float(normed[_norm(key)])
    return None


def _target_text(target: float, condition: str, as_pct: bool = True) -> str:
    return f"{CONDITION_SYMBOL.get(condition, condition)} {pct(target) if as_pct else f'{target:g}'}"


class _Ctx:
    def __init__(self, account: str, mkt: str, thresholds: Mapping[str, float]) -> None:
        self.account, self.mkt, self.thresholds = account, mkt, thresholds
        self.flags: list[RedFlag] = []
        self.values: dict[str, MetricValue] = {}

    def flag(
        self,
        spec: MetricSpec,
        metric: str,
        *,
        value: FlagValue,
        target: FlagValue,
        condition: str | None,
        severity: Severity,
        message: str,
        amazon_status: str | None,
    ) -> None:
        fid = flag_id(self.account, self.mkt, metric)
        if any(f.flag_id == fid for f in self.flags):
            return  # the same metric listed twice (e.g. a warning type repeated): one flag, the first
        self.flags.append(
            RedFlag(
                flag_id=fid,
                account=self.account,
                marketplace=self.mkt,
                metric=metric,
                label=label_for(metric),
                value=value,
                target=target,
                condition=condition,
                severity=severity,
                message=message,
                meaning=spec.meaning,
                next_step=spec.next_step,
                amazon_status=amazon_status,
            )
        )


def _effective(m: RateMetric, spec: MetricSpec, override: float | None) -> tuple[float, str, float, str]:
    """(target used, condition used, Amazon's own target, Amazon's condition)."""
    amazon_target = m.target_value if m.target_value is not None else spec.target
    condition = m.target_condition if m.target_condition in CONDITIONS else spec.condition
    return (override if override is not None else amazon_target), condition, amazon_target, condition


def _rate(ctx: _Ctx, spec: MetricSpec, metric: str, m: RateMetric) -> None:
    target, condition, amazon_target, _ = _effective(m, spec, _override(ctx.thresholds, metric))
    if m.rate is not None:
        ctx.values[metric] = MetricValue(value=m.rate, target=target, condition=condition, status=m.status)
    bad = m.status == "BAD"
    out = m.rate is not None and not meets(m.rate, target, condition)
    if not (bad or out):
        return
    amazon_out = bad or (m.rate is not None and not meets(m.rate, amazon_target, condition))
    label = label_for(metric)
    if m.rate is None:
        message = f"{label}: Amazon marks it BAD (no rate in the report; target {_target_text(target, condition)})"
    else:
        message = f"{label} {pct(m.rate)} vs target {_target_text(target, condition)}"
        if bad and not out:
            message += " — Amazon marks it BAD"
        elif out and not amazon_out:
            message += (
                f" — your account threshold (Amazon's target {_target_text(amazon_target, condition)} is still met)"
            )
        elif out and m.status == "GOOD":
            message += " — outside the target although Amazon's status says GOOD"
    # Breaching only the agency's stricter threshold is an early warning, not an Amazon red flag.
    severity: Severity = spec.severity if amazon_out else "warning"
    ctx.flag(
        spec,
        metric,
        value=m.rate,
        target=target,
        condition=condition,
        severity=severity,
        message=message,
        amazon_status=m.status,
    )


def _violation(ctx: _Ctx, spec: MetricSpec, metric: str, m: ViolationMetric) -> None:
    override = _override(ctx.thresholds, metric)
    target = override if override is not None else (m.target_value if m.target_value is not None else spec.target)
    condition = m.target_condition if m.target_condition in CONDITIONS else spec.condition
    count = m.defects_count
    out = count is not None and count > 0 and not meets(count, target, condition)
    bad = m.status == "BAD"
    if not (out or bad):
        return
    target_out: int | float = int(target) if float(target).is_integer() else target
    if count is None:
        message = f"{label_for(metric)}: Amazon marks it BAD (no count in the report)"
    else:
        message = f"{label_for(metric)}: {count} (target {_target_text(target_out, condition, as_pct=False)})"
        if out and m.status == "GOOD":
            message += " — Amazon's status says GOOD, but the count is above target"
    ctx.flag(
        spec,
        metric,
        value=count,
        target=target_out,
        condition=condition,
        severity=spec.severity,
        message=message,
        amazon_status=m.status,
    )


def _windows(ctx: _Ctx, name: str, single: RateMetric | None, windows: list[RateMetric]) -> None:
    """Several reporting windows of one rate (`lateShipmentRateList`): one metric per window (`lateShipmentRate.30d`)."""
    seen: set[str] = set()
    for i, m in enumerate(windows):
        if single is not None and m == single:
            continue  # the same window as the plain metric: already evaluated
        days = m.reporting_date_range.days() if m.reporting_date_range else None
        suffix = f"{days}d" if days else f"w{i}"
        if suffix in seen:
            suffix = f"{suffix}{i}"
        seen.add(suffix)
        _rate(ctx, RATE_METRICS[name], f"{name}.{suffix}", m)


def _ahr(ctx: _Ctx, metrics: MarketplaceMetrics) -> None:
    ahr = metrics.account_health_rating
    if ahr is None:
        return
    low = ahr.score is not None and ahr.score < ACCOUNT_HEALTH_RATING.target
    bad_status = ahr.status in AHR_STATUSES_BAD
    if not (low or bad_status):
        return
    label = ACCOUNT_HEALTH_RATING.label
    if low and bad_status:
        message = f"{label} is {ahr.status}, score {ahr.score:g} is below 200"
    elif low:
        status = f" although its status says {ahr.status}" if ahr.status else ""
        message = f"{label} score {ahr.score:g} is below 200{status}"
    else:
        score = f" (score {ahr.score:g})" if ahr.score is not None else ""
        message = f"{label} is {ahr.status}{score}"
    score_value = int(ahr.score) if ahr.score is not None and ahr.score.is_integer() else ahr.score
    ctx.flag(
        ACCOUNT_HEALTH_RATING,
        "accountHealthRating",
        value=score_value if low else ahr.status,
        target=int(ACCOUNT_HEALTH_RATING.target) if low else "GREAT",
        condition=ACCOUNT_HEALTH_RATING.condition if low else "EQUALS",
        severity="critical",
        message=message,
        amazon_status=ahr.status,
    )


def _marketplace(ctx: _Ctx, status: str | None, metrics: MarketplaceMetrics | None) -> None:
    if status is not None and status != "NORMAL":
        ctx.flag(
            ACCOUNT_STATUS,
            "accountStatus",
            value=status,
            target="NORMAL",
            condition="EQUALS",
            severity="critical",
            message=f"Account status is {status} (should be NORMAL)",
            amazon_status=status,
        )
    if metrics is None:
        return
    odr = metrics.order_defect_rate
    if odr is not None:
        for channel in ("mfn", "afn", "all"):
            m = getattr(odr, channel)
            if m is not None:
                _rate(ctx, RATE_METRICS["orderDefectRate"], f"orderDefectRate.{channel}", m)
    for name, m in metrics.rates.items():
        _rate(ctx, RATE_METRICS[name], name, m)
    for name, windows in metrics.rate_windows.items():
        _windows(ctx, name, metrics.rates.get(name), windows)
    for name, v in metrics.violations.items():
        _violation(ctx, VIOLATION_METRICS[name], name, v)
    _ahr(ctx, metrics)
    _warning_states(ctx, metrics)


def _warning_states(ctx: _Ctx, metrics: MarketplaceMetrics) -> None:
    for w in metrics.warning_states:
        metric = f"warningState.{w.warning_type}"
        if w.status == "BAD":
            ctx.flag(
                WARNING_STATE,
                metric,
                value="BAD",
                target="GOOD",
                condition="EQUALS",
                severity="warning",
                message=f"Amazon warning: {w.warning_type} is BAD",
                amazon_status="BAD",
            )
        elif w.status is None:
            ctx.flag(
                WARNING_STATE,
                metric,
                value=w.warning_type,
                target="GOOD",
                condition="EQUALS",
                severity="warning",
                amazon_status=None,
                message=f"Amazon warning: {w.warning_type} (listed without a status; check Account Health)",
            )


def _notices(account: str, mkt: str, notices: Iterable[ReportNotice]) -> list[ReportWarning]:
    return [
        ReportWarning(
            flag_id=flag_id(account, mkt, f"{REPORT_NOTICE.name}.{n.field}"),
            account=account,
            marketplace=mkt,
            metric=n.field,
            kind=n.kind,
            value=n.value,
            message=n.message,
        )
        for n in notices
    ]


def _trends(
    account: str, mkt: str, current: dict[str, MetricValue], previous: Mapping[str, MetricValue], flagged: set[str]
) -> list[TrendWarning]:
    out: list[TrendWarning] = []
    for metric, cur in current.items():
        prev = previous.get(metric)
        if prev is None or metric in flagged:
            continue
        if not (meets(prev.value, cur.target, cur.condition) and meets(cur.value, cur.target, cur.condition)):
            continue
        before, after = abs(cur.target - prev.value), abs(cur.target - cur.value)
        if before > 0 and after < before and (before - after) > before / 2:
            label = label_for(metric)
            out.append(
                TrendWarning(
                    flag_id=flag_id(account, mkt, metric) + "#trend",
                    account=account,
                    marketplace=mkt,
                    metric=metric,
                    label=label,
                    value=cur.value,
                    previous=prev.value,
                    target=cur.target,
                    condition=cur.condition,
                    message=(
                        f"{label} moved from {pct(prev.value)} to {pct(cur.value)}: more than half-way toward the "
                        f"target {_target_text(cur.target, cur.condition)}"
                    ),
                )
            )
    return out


def evaluate_report(
    report: PerformanceReport,
    *,
    account: str = "report",
    thresholds: Mapping[str, Mapping[str, float]] | None = None,
    previous: Mapping[str, Mapping[str, MetricValue]] | None = None,
    marketplaces: Iterable[str] | None = None,
) -> Evaluation:
    """Red flags and trend warnings for every marketplace in the report (or only `marketplaces`, ids or codes).

    `thresholds` and `previous` are keyed by marketplace code (see `marketplace_key`);
    `previous` is the `metrics` of the last snapshot (or of `evaluate_report(previous_report)`).
    """
    wanted = None if marketplaces is None else {marketplace_key(m) for m in marketplaces} | set(marketplaces)
    thresholds = thresholds or {}
    previous = previous or {}
    flags: list[RedFlag] = []
    warnings: list[TrendWarning] = []
    notices = _notices(account, "ALL", report.notices)
    values: dict[str, dict[str, MetricValue]] = {}
    statuses: dict[str, str] = {}
    for mid in report.marketplace_ids():
        mkt = marketplace_key(mid)
        if wanted is not None and mid not in wanted and mkt not in wanted:
            continue
        status = report.status_for(mid)
        if status is not None:
            statuses[mkt] = status
        ctx = _Ctx(account, mkt, thresholds.get(mkt, {}))
        metrics = report.metrics_for(mid)
        _marketplace(ctx, status, metrics)
        if metrics is not None:
            notices.extend(_notices(account, mkt, metrics.notices))
        flags.extend(ctx.flags)
        values[mkt] = ctx.values
        warnings.extend(_trends(account, mkt, ctx.values, previous.get(mkt, {}), {f.metric for f in ctx.flags}))
    return Evaluation(
        account=account,
        account_status=worst_status(statuses.values()),
        statuses=statuses,
        flags=flags,
        warnings=warnings,
        metrics=values,
        notices=notices,
    )


def diff_flags(previous: Iterable[RedFlag], current: Iterable[RedFlag]) -> FlagDiff:
    """Which flags are new, still open, or resolved since the previous evaluation (by flag_id)."""
    before = {f.flag_id: f for f in previous}
    now = {f.flag_id: f for f in current}
    return FlagDiff(
        new=[f for k, f in now.items() if k not in before],
        still_open=[f for k, f in now.items() if k in before],
        resolved=[f for k, f in before.items() if k not in now],
    )
