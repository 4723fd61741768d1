"""Monthly AWS cost of sellerbot for 1, 100 and 1,000 accounts x 3 marketplaces (issue 20 item 5).

Prices come from one table (bench/prices.py, each with its date and source); memory, timeouts and
schedules from serverless.yml; durations from the project's own benches (MEASURED below: the figures of
the README "Numbers" table, with the date of the run) plus the network latencies the in-process benches
cannot see (ASSUMED below, printed). The health check is modelled the way the code runs today
(bot/jobs/health_checks.fetch_account_report + bot/workers/health_check): one message and one report per
account covering its marketplaces, createReport, getReport polled every SELLERBOT_HEALTH_POLL_SECONDS for at
most SELLERBOT_HEALTH_POLL_BUDGET_SECONDS inside the Lambda, then a pending report releases its message for
60 s and the redelivery polls again; the review sweep worker runs a batch of sweeps at the same time, their
rate-limit waits overlapped across sellers (bench/sweep.py). The baseline (`before`) is the design before
issue 20: one report per account x marketplace polled for 20 s, one sweep per invocation. A second variant prices the event-driven design of
handlers/health/FANOUT.md (one report per seller x region, REPORT_PROCESSING_FINISHED, no waiting).

Deterministic, no network, well under a second. One line per size, exactly:
  accounts=N monthly_usd=X per_account_marketplace_usd=Y dominant=LINE

  .venv/bin/python bench/cost.py [--serverless serverless.yml] [--memory healthCheck=256 ...] [--arm64]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from prices import price

from handlers.ops.status import FUNCTIONS  # the stack's functions, kept equal to serverless.yml by a test
from infra.metrics import METRICS  # every custom metric the bot emits (dimensions service + stage: one set)

ROOT = Path(__file__).resolve().parents[1]
POLL_BUDGET = "SELLERBOT_HEALTH_POLL_BUDGET_SECONDS"
MONTH_S = 30 * 86400
DAYS = 30
MARKETPLACES = 3
SIZES = (1, 100, 1000)


# bench/sweep.py --time-scale 10 (2026-12-06): a worker batch of 10 sellers, 2,000 orders, in one invocation, 14.22 s
# at x10 = 0.071 Lambda-s per order at real rates, 0.115x one seller's rate-limit minimum per order (0.1 at best;
# at x50 the same run gives 0.230x: compressed time makes the CPU share larger).
SWEEP_BATCH = 10
SWEEP_BATCH_ORDER_S = 14.22 * 10 / 2000


# ---- what the project's benches measured (README "Numbers"; in-process against the fakes) -----------------------------
@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    date: str
    source: str


MEASURED: dict[str, Figure] = {
    "ack_s": Figure(0.00027, "s", "2026-12-06", "bench/ack.py warm ack p99 (0.23-0.27 ms)"),
    "init_s": Figure(0.681, "s", "2026-12-06", "bench/ack.py cold start to first ack, no SnapStart (567-681 ms)"),
    "restore_ack_s": Figure(0.0014, "s", "2026-12-06", "bench/ack.py first ack after the before-snapshot hook"),
    "compliance_s": Figure(0.00124, "s", "2026-12-06", "bench/compliance.py p99 per 1 KB message"),
    "check_account_s": Figure(0.0026, "s", "2026-11-25", "bench/health.py full check with store, per account (3 mkts)"),
    "sweep_order_s": Figure(27.2 * 50 / 2000, "s", "2026-11-25", "bench/sweep.py 2,000 orders in 27.2 s at x50 time"),
    "sweep_batch_order_s": Figure(
        SWEEP_BATCH_ORDER_S, "s", "2026-12-06", "bench/sweep.py Lambda-s per order, a batch of 10 sellers, real rates"
    ),
}

# ---- what no bench here can measure: latencies of the real services, Amazon's report time, traffic shape ----------
ASSUMED: dict[str, tuple[float, str]] = {
    "slack_call_s": (0.15, "one Slack Web API call (chat.postMessage/update)"),
    "spapi_call_s": (0.35, "one SP-API call (LWA token cached)"),
    "download_s": (0.30, "one report document download (1-5 KB gzipped)"),
    "dynamodb_s": (0.008, "one DynamoDB request"),
    "aws_call_s": (0.015, "one SQS / Lambda API request"),
    "report_ready_s": (30.0, "Amazon builds a V2 performance report (FANOUT.md: 22-45 Lambda-s per check)"),
    "keepalive_s": (600.0, "an idle execution environment is reused (cold start after a longer gap)"),
    "orders_per_pair_day": (20.0, "orders a day per account x marketplace for the review sweep"),
    "chart_share": (0.10, "slash commands that draw a chart"),
    "chart_render_s": (1.5, "render + upload of a chart (charts function)"),
    "chart_init_s": (2.0, "charts cold start with matplotlib (not benched)"),
    "log_bytes": (2100.0, "log bytes per invocation: START/END/REPORT + INFO lines + one EMF line"),
    "store_kb_per_pair": (100.0, "DynamoDB bytes per account x marketplace (90 days of history)"),
    "new_alert_share": (0.1, "checks that post an alert reply besides the digest update"),
    "lost_notification_share": (0.01, "reports whose REPORT_PROCESSING_FINISHED the sweeper must fetch"),
    "sqs_pollers": (5.0, "Lambda long pollers per SQS trigger (20 s each when idle)"),
}

# The functions whose traffic the model prices; any other function in serverless.yml is listed as idle.
MODELLED = tuple(f for f in FUNCTIONS if f != "ops")  # ops posts one message per alarm change: idle

# Memory from measurement (peak RSS of each entry point with its clients built, 2026-12-06, this machine; the
# Lambda runtime adds ~40 MB): every worker spends its time waiting on Amazon, Slack or rate limits, not on CPU.
RECOMMENDED_MEMORY: dict[str, tuple[int, str]] = {
    "slack": (512, "peak RSS 193 MB with the compliance engine warm; SnapStart restore and the 3 s ack"),
    "charts": (1024, "matplotlib render is CPU-bound; not benched: measure with Power Tuning first"),
    "reviewSweepDispatch": (256, "RSS 80 MB; one query and SendMessageBatch calls"),
    "reviewSweep": (256, "RSS 79 MB; bench/sweep.py runs at 1.06x the SP-API rate-limit minimum: time is waiting"),
    "healthSchedule": (256, "RSS 80 MB; SendMessageBatch calls"),
    "healthCheck": (256, "RSS 80 MB; 20.0 of 22.7 Lambda-s per check is sleeping on getReport"),
    "healthNotifications": (256, "RSS 79 MB; store reads/writes and one Slack update per message"),
    "healthEscalation": (256, "RSS 80 MB; one Query per run"),
    "promoExpiry": (256, "RSS 79 MB; one Query per run"),
    "ops": (256, "one Slack post per alarm state change"),
    "affiliatesDigest": (256, "not benched: two weeks of Attribution rows per pair, one Slack post or update"),
    "lwaRotation": (256, "not benched: at most one LWA token and one rotation call a week"),
    "appNotifications": (256, "not benched: one SSM write and one Slack post per rotation notice"),
    "amazonCallback": (256, "not benched: one LWA code exchange, one SSM write, one participations call per consent"),
}

# The design before issue 20 (serverless.yml before it, commit 68668a5): 512 MB everywhere (the provider default)
# but the charts function's 1024 MB, and no batching window on the notifications queue.
BEFORE_MEMORY_MB = 512
BEFORE_MEMORY: dict[str, int] = {"charts": 1024}

# The health worker's own constants (a unit test keeps them equal to the code's).
POLL_INTERVAL_S = 10.0  # bot/jobs/health_checks.HealthDeps.poll_interval ($SELLERBOT_HEALTH_POLL_SECONDS unset)
PENDING_RETRY_S = 60.0  # bot/workers/health_check.PENDING_RETRY_SECONDS

TRAFFIC_PER_10_ACCOUNTS_DAY = {"slash_commands": 200, "push_notifications": 1000, "compliance_checks": 500}


def assumed(key: str) -> float:
    return ASSUMED[key][0]


# ---- serverless.yml ------------------------------------------------------------------------------------------------
class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short tags (!Ref, !GetAtt, !Sub ...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_CfnLoader.add_multi_constructor("!", _any_tag)


@dataclass
class Function:
    name: str
    memory_mb: int
    timeout_s: int
    schedules: list[str] = field(default_factory=list)
    snapstart: bool = False
    sqs_trigger: bool = False
    batch_size: int = 1  # the SQS trigger's batchSize
    batch_window_s: float = 0.0  # the SQS trigger's maximumBatchingWindow


@dataclass
class Template:
    functions: dict[str, Function]
    environment: dict[str, str]
    alarms: int
    dlqs: int
    work_queues: int


def load_template(path: Path) -> Template:
    doc = yaml.load(path.read_text(), Loader=_CfnLoader)  # a SafeLoader subclass
    provider = doc.get("provider", {})
    default_memory = int(provider.get("memorySize", 1024))  # the Framework's default when unset
    default_timeout = int(provider.get("timeout", 6))
    functions = {}
    for name, spec in (doc.get("functions") or {}).items():
        events = spec.get("events") or []
        schedules = []
        for event in events:
            schedule = event.get("schedule") if isinstance(event, dict) else None
            if schedule is not None:
                schedules.append(schedule["rate"] if isinstance(schedule, dict) else str(schedule))
        sqs = [e["sqs"] for e in events if isinstance(e, dict) and isinstance(e.get("sqs"), dict)]
        functions[name] = Function(
            name=name,
            memory_mb=int(spec.get("memorySize", default_memory)),
            timeout_s=int(spec.get("timeout", default_timeout)),
            schedules=schedules,
            snapstart=bool(spec.get("snapStart", False)),
            sqs_trigger=any(isinstance(e, dict) and "sqs" in e for e in events),
            batch_size=int(sqs[0].get("batchSize", 10)) if sqs else 1,
            batch_window_s=float(sqs[0].get("maximumBatchingWindow", 0)) if sqs else 0.0,
        )
    resources = _resources(doc.get("resources"), path.parent)
    types = {k: (v or {}).get("Type", "") for k, v in resources.items()}
    queues = [k for k, t in types.items() if t == "AWS::SQS::Queue"]
    redriven = [k for k in queues if "RedrivePolicy" in (resources[k].get("Properties") or {})]
    env = {k: str(v) for k, v in (provider.get("environment") or {}).items()}
    return Template(
        functions=functions,
        environment=env,
        alarms=sum(t == "AWS::CloudWatch::Alarm" for t in types.values()),
        # Every queue that is not a work queue holds failures (the DLQs and the lazy failure queue).
        dlqs=len(queues) - len(redriven),
        work_queues=len(redriven),
    )


def _resources(section: Any, base: Path) -> dict[str, Any]:
    """`resources:` as a mapping or a list of mappings and `${file(./x.yml)}` includes, merged."""
    parts = section if isinstance(section, list) else [section or {}]
    merged: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, str):
            include = re.fullmatch(r"\$\{file\((.+)\)\}", part.strip())
            if not include:
                continue
            part = yaml.load((base / include.group(1)).read_text(), Loader=_CfnLoader)
        merged.update((part or {}).get("Resources") or {})
    return merged


def runs_per_day(expression: str) -> float:
    """rate(N minutes|hours|days) or cron(min hour dom month dow year) with fixed/list/`*`/`*/n` fields."""
    rate = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", expression.strip())
    if rate:
        seconds = {"minute": 60, "hour": 3600, "day": 86400}[rate.group(2)]
        return 86400 / (int(rate.group(1)) * seconds)
    cron = re.fullmatch(r"cron\((.+)\)", expression.strip())
    if not cron:
        raise ValueError(f"unknown schedule expression {expression!r}")
    minute, hour = cron.group(1).split()[:2]
    return _field_count(minute, 60) * _field_count(hour, 24)


def _field_count(text: str, span: int) -> int:
    if text == "*":
        return span
    if text.startswith("*/"):
        return math.ceil(span / int(text[2:]))
    return len(text.split(","))


# ---- the model -----------------------------------------------------------------------------------------------------
@dataclass
class Usage:
    """What a month of traffic asks of AWS, before prices."""

    gb_s: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # by cost line
    invocations: float = 0.0
    restores_gb: float = 0.0
    http: float = 0.0
    wru: float = 0.0
    rru: float = 0.0
    sqs: float = 0.0
    scheduled: float = 0.0
    waiting_s: float = 0.0  # Lambda-seconds spent sleeping on Amazon's report

    def run(
        self, line: str, fn: Function, count: float, seconds: float, *, per_day: float, mem: dict[str, int]
    ) -> None:
        """`count` invocations of `fn` a month, `seconds` billed each; cold starts from the arrival rate."""
        gb = mem[fn.name] / 1024
        self.gb_s[line] += count * seconds * gb
        self.invocations += count
        cold = count * cold_share(per_day)
        if fn.snapstart:
            self.restores_gb += cold * gb
            self.gb_s[line] += cold * MEASURED["restore_ack_s"].value * gb
        else:
            init = assumed("chart_init_s") if fn.name == "charts" else MEASURED["init_s"].value
            # init was measured at 512 MB's CPU share or more; below it, CPU (and so import time) shrinks with memory
            init *= max(1.0, 512 / mem[fn.name])
            self.gb_s[line] += cold * init * gb


def cold_share(per_day: float) -> float:
    """Share of invocations that find no warm environment: arrivals as a Poisson stream over the day, an
    environment kept `keepalive_s` after its last use (a fixed schedule slower than that is always cold)."""
    if per_day <= 0:
        return 0.0
    return math.exp(-assumed("keepalive_s") * per_day / 86400)


def batch_fill(fn: Function, per_second: float) -> float:
    """Records per invocation of an SQS-triggered function: what arrives within the batching window, capped."""
    return max(1.0, min(float(fn.batch_size), 1.0 + per_second * fn.batch_window_s))


def io(*, slack: float = 0, spapi: float = 0, ddb: float = 0, aws: float = 0, download: float = 0) -> float:
    return (
        slack * assumed("slack_call_s")
        + spapi * assumed("spapi_call_s")
        + ddb * assumed("dynamodb_s")
        + aws * assumed("aws_call_s")
        + download * assumed("download_s")
    )


@dataclass(frozen=True)
class PollingCheck:
    """One scheduled check as fetch_account_report runs it: one report for `marketplaces` of an account."""

    invocations: int
    lambda_s: float
    waiting_s: float
    get_report_calls: int


def polling_check(template: Template, *, marketplaces: int = MARKETPLACES) -> PollingCheck:
    """One report polled for an account's `marketplaces` (as built: all 3; before issue 20: 1 per report)."""
    interval = POLL_INTERVAL_S
    budget = float(template.environment.get("SELLERBOT_HEALTH_POLL_BUDGET_SECONDS", "20"))
    max_receives = int(template.environment.get("SELLERBOT_HEALTH_MAX_RECEIVES", "10"))
    visibility = PENDING_RETRY_S
    ready = assumed("report_ready_s")
    polls_per_invocation = int(budget / interval) + 1  # fetch_report: polls = int(window / interval) + 1
    t = 0.0  # seconds since createReport
    lambda_s = waiting = 0.0
    calls = 0
    for receive in range(1, max_receives + 1):
        # createReport once; the request item, and each pair's check state
        start = io(spapi=1 if receive == 1 else 0, ddb=2 + 2 * marketplaces)
        for poll in range(polls_per_invocation):
            calls += 1
            start += io(spapi=1)
            if t + start >= ready:
                # getReportDocument + download once; evaluate, store and post per marketplace
                finish = io(spapi=1, download=1, ddb=8 * marketplaces)
                finish += io(slack=marketplaces * (1 + assumed("new_alert_share")))
                finish += MEASURED["check_account_s"].value * marketplaces / MARKETPLACES
                return PollingCheck(receive, lambda_s + start + finish, waiting, calls)
            if poll < polls_per_invocation - 1:
                start += interval
                waiting += interval
        lambda_s += start
        t += start + visibility
    return PollingCheck(max_receives, lambda_s, waiting, calls)


def usage(accounts: int, template: Template, mem: dict[str, int], *, design: str, fixed_traffic: bool = False) -> Usage:
    u = Usage()
    fns = template.functions
    pairs = accounts * MARKETPLACES
    # The traffic is per 10 accounts; the reference's model (--fixed-traffic) kept the same totals at any size.
    scale = 1.0 if fixed_traffic else accounts / 10
    per_month = {k: v * scale * DAYS for k, v in TRAFFIC_PER_10_ACCOUNTS_DAY.items()}

    # Slack: every command and compliance check is an HTTP ack plus a lazy (async self-invoke) run.
    commands, checks = per_month["slash_commands"], per_month["compliance_checks"]
    slack_per_day = 2 * (commands + checks) / DAYS
    ack = MEASURED["ack_s"].value + io(ddb=1, aws=1)
    u.run("lambda_slack", fns["slack"], commands + checks, ack, per_day=slack_per_day, mem=mem)
    u.run("lambda_slack", fns["slack"], commands, io(ddb=4, spapi=0.5, slack=2), per_day=slack_per_day, mem=mem)
    compliance = MEASURED["compliance_s"].value + io(ddb=1, slack=1)
    u.run("lambda_slack", fns["slack"], checks, compliance, per_day=slack_per_day, mem=mem)
    u.http += commands + checks
    u.wru += 2 * commands + 2 * checks
    u.rru += 2 * commands
    charts = commands * assumed("chart_share")
    u.run(
        "lambda_charts",
        fns["charts"],
        charts,
        assumed("chart_render_s") + io(ddb=2, slack=2),
        per_day=charts / DAYS,
        mem=mem,
    )
    u.rru += 2 * charts

    # Push notifications (ACCOUNT_STATUS_CHANGED, PRICING_HEALTH, ...): the SQS trigger hands a worker what arrived
    # within its batching window (up to batchSize); each record still costs its own store and Slack calls.
    push = per_month["push_notifications"]
    notify_fn = fns["healthNotifications"]
    per_batch = batch_fill(notify_fn, push / MONTH_S)
    u.run(
        "lambda_notifications",
        notify_fn,
        push / per_batch,
        per_batch * io(ddb=4, slack=1),
        per_day=push / per_batch / DAYS,
        mem=mem,
    )
    u.rru += 2 * push
    u.wru += 2 * push
    u.sqs += push + 2 * push / per_batch  # send (by Amazon, billed to the queue owner); receive and delete per batch

    # Review sweep: one job per pair a day; the worker waits out SP-API's rate limits (bench/sweep.py).
    dispatch_fn, sweep_fn = fns["reviewSweepDispatch"], fns["reviewSweep"]
    dispatch_runs = sum(runs_per_day(s) for s in dispatch_fn.schedules) * DAYS
    u.run(
        "lambda_review_sweep",
        dispatch_fn,
        dispatch_runs,
        io(aws=pairs / 10, ddb=1),
        per_day=dispatch_runs / DAYS,
        mem=mem,
    )
    sweeps = pairs * DAYS
    orders = assumed("orders_per_pair_day")
    if design == "before":
        sweep_s = orders * MEASURED["sweep_order_s"].value + io(ddb=2 * orders)
        u.run("lambda_review_sweep", sweep_fn, sweeps, sweep_s, per_day=pairs, mem=mem)
    else:
        # A batch of sweeps per invocation, run at the same time: the waits overlap across sellers only (one
        # account's marketplaces share its limits), so fewer sellers than the measured batch overlap less.
        batch = max(1, min(sweep_fn.batch_size, pairs))
        sellers = max(1, min(batch, accounts))
        per_order = max(MEASURED["sweep_batch_order_s"].value, MEASURED["sweep_order_s"].value / sellers)
        invocations = sweeps / batch
        batch_s = batch * (orders * per_order + io(ddb=2 * orders))
        u.run("lambda_review_sweep", sweep_fn, invocations, batch_s, per_day=invocations / DAYS, mem=mem)
    u.wru += sweeps * orders
    u.rru += sweeps * orders
    u.sqs += sweeps * 3 + dispatch_runs * math.ceil(pairs / 10)

    # The other schedules (escalations, promo expiry): one query each run.
    for name in ("healthEscalation", "promoExpiry"):
        fn = fns[name]
        runs = sum(runs_per_day(s) for s in fn.schedules) * DAYS
        u.run("lambda_schedules", fn, runs, io(ddb=2) + 0.01, per_day=runs / DAYS, mem=mem)
        u.rru += 2 * runs
    u.scheduled += sum(runs_per_day(s) for fn in fns.values() for s in fn.schedules) * DAYS

    if design in ("before", "polling"):
        _health_polling(u, template, mem, accounts, per_pair=design == "before")
    else:
        _health_event_driven(u, template, mem, accounts)

    # Idle long polls of the Lambda pollers on every SQS trigger, all month.
    triggers = sum(fn.sqs_trigger for fn in fns.values())
    u.sqs += triggers * assumed("sqs_pollers") * MONTH_S / 20
    return u


def _health_polling(u: Usage, template: Template, mem: dict[str, int], accounts: int, *, per_pair: bool) -> None:
    """As built: one message and one report per account for its marketplaces; before issue 20 (`per_pair`): one
    per account x marketplace."""
    fns = template.functions
    schedule_fn, check_fn = fns["healthSchedule"], fns["healthCheck"]
    runs = sum(runs_per_day(s) for s in schedule_fn.schedules) * DAYS
    covered = 1 if per_pair else MARKETPLACES
    messages = accounts * MARKETPLACES // covered  # per run
    u.run("lambda_health_check", schedule_fn, runs, io(aws=messages / 10, ddb=1), per_day=runs / DAYS, mem=mem)
    check = polling_check(template, marketplaces=covered)
    checks = messages * runs
    u.run(
        "lambda_health_check",
        check_fn,
        checks * check.invocations,
        check.lambda_s / check.invocations,
        per_day=checks * check.invocations / DAYS,
        mem=mem,
    )
    u.waiting_s += checks * check.waiting_s
    u.wru += checks * 8 * covered
    u.rru += checks * 6 * covered
    # send (batched by 10), then per delivery: receive + delete or ChangeMessageVisibility
    u.sqs += runs * math.ceil(messages / 10) + checks * check.invocations * 2


def _health_event_driven(u: Usage, template: Template, mem: dict[str, int], accounts: int) -> None:
    """FANOUT.md: a 15-minute slot dispatcher, one createReport per seller x region (here: one region
    per account, covering its 3 marketplaces), REPORT_PROCESSING_FINISHED into the notifications queue, a
    sweeper every 30 min for lost notifications. Same checks per account per day as today's schedule."""
    fns = template.functions
    schedule_fn, check_fn, notify_fn = fns["healthSchedule"], fns["healthCheck"], fns["healthNotifications"]
    per_day = sum(runs_per_day(s) for s in schedule_fn.schedules)  # checks per account a day (freshness kept)
    slots = 96  # rate(15 minutes) dispatcher; the sweeper shares its run every other slot
    seller_checks = accounts * per_day * DAYS
    u.scheduled += (slots - per_day) * DAYS  # the dispatcher replaces the 6-hourly rule
    u.run(
        "lambda_health_check",
        schedule_fn,
        slots * DAYS,
        io(aws=seller_checks / (slots * DAYS) / 10, ddb=2),
        per_day=slots,
        mem=mem,
    )
    # check-request: claim the run, createReport, remember the reportId; nothing waits.
    u.run("lambda_health_check", check_fn, seller_checks, io(spapi=1, ddb=2), per_day=seller_checks / DAYS, mem=mem)
    # REPORT_PROCESSING_FINISHED: getReportDocument + download once, evaluate and post for each marketplace.
    finish = io(spapi=1 + assumed("lost_notification_share"), download=1, ddb=1 + 8 * MARKETPLACES)
    finish += io(slack=MARKETPLACES * (1 + assumed("new_alert_share"))) + MEASURED["check_account_s"].value
    u.run("lambda_health_check", notify_fn, seller_checks, finish, per_day=seller_checks / DAYS, mem=mem)
    u.wru += seller_checks * (2 + 8 * MARKETPLACES)
    u.rru += seller_checks * (1 + 6 * MARKETPLACES) + slots * DAYS
    u.sqs += seller_checks * (0.1 + 2) + seller_checks * 3  # check message; notification send/receive/delete


# ---- prices --------------------------------------------------------------------------------------------------------
FIXED_LINES = ("snapstart_cache", "custom_metrics", "alarms", "ssm_parameters_and_secrets")


def planned_alarms(template: Template) -> int:
    """When serverless.yml has no alarms yet: issue 20's list (Errors, Throttles, Duration per function,
    each DLQ, oldest message on each work queue, SP-API throttle rate, the dead man's switch)."""
    return 3 * len(template.functions) + template.dlqs + template.work_queues + 2


def bill(u: Usage, accounts: int, template: Template, mem: dict[str, int], *, arm64: bool) -> dict[str, float]:
    gb_s_price = price("lambda_gb_s_arm64" if arm64 else "lambda_gb_s_x86")
    lines = {line: gb * gb_s_price for line, gb in sorted(u.gb_s.items())}
    lines["lambda_requests"] = u.invocations * price("lambda_request")
    snap = [f for f in template.functions.values() if f.snapstart]
    lines["snapstart_cache"] = sum(mem[f.name] / 1024 for f in snap) * MONTH_S * price("snapstart_cache_gb_s")
    lines["snapstart_restore"] = u.restores_gb * price("snapstart_restore_gb")
    lines["http_api"] = u.http * price("http_api_request")
    stored_gb = accounts * MARKETPLACES * assumed("store_kb_per_pair") / 1024**2
    lines["dynamodb"] = (
        u.wru * price("dynamodb_wru")
        + u.rru * price("dynamodb_rru")
        + stored_gb * (price("dynamodb_storage_gb_month") + price("dynamodb_pitr_gb_month"))
    )
    lines["sqs"] = u.sqs * price("sqs_request")
    lines["eventbridge"] = u.scheduled * price("eventbridge_invocation")
    lines["ssm_parameters_and_secrets"] = (accounts + 6) * price("ssm_standard_parameter_month")
    log_gb = u.invocations * assumed("log_bytes") / 1024**3
    lines["cloudwatch_logs"] = log_gb * (price("logs_ingest_gb") + price("logs_storage_gb_month"))
    lines["custom_metrics"] = len(METRICS) * price("custom_metric_month")
    lines["alarms"] = (template.alarms or planned_alarms(template)) * price("alarm_month")
    return lines


@dataclass
class Result:
    accounts: int
    lines: dict[str, float]
    usage: Usage

    @property
    def total(self) -> float:
        return sum(self.lines.values())

    @property
    def dominant(self) -> str:
        return max(self.lines, key=lambda k: self.lines[k])

    def size_line(self) -> str:
        per_pair = self.total / (self.accounts * MARKETPLACES)
        return (
            f"accounts={self.accounts} monthly_usd={self.total:.2f} "
            f"per_account_marketplace_usd={per_pair:.4f} dominant={self.dominant}"
        )


def model(
    template: Template,
    mem: dict[str, int],
    *,
    design: str,
    arm64: bool = False,
    sizes: tuple[int, ...] = SIZES,
    fixed_traffic: bool = False,
) -> list[Result]:
    out = []
    for n in sizes:
        u = usage(n, template, mem, design=design, fixed_traffic=fixed_traffic)
        out.append(Result(n, bill(u, n, template, mem, arm64=arm64), u))
    return out


# ---- output --------------------------------------------------------------------------------------------------------
def table(results: list[Result]) -> list[str]:
    names = list(results[0].lines)
    rows = [f"  {'line':28}" + "".join(f"{'N=' + format(r.accounts, ','):>12}" for r in results)]
    for name in names:
        rows.append(f"  {name:28}" + "".join(f"{r.lines[name]:12.2f}" for r in results))
    rows.append(f"  {'total':28}" + "".join(f"{r.total:12.2f}" for r in results))
    return rows


def report(template: Template, mem: dict[str, int], *, arm64: bool = False, fixed_traffic: bool = False) -> list[str]:
    out = ["bench/cost.py: monthly AWS bill, us-east-1, list prices without free tiers, 30-day month, USD"]
    out.append(f"architecture {'arm64' if arm64 else 'x86_64 (serverless.yml)'}; prices: bench/prices.py")
    out.append("functions (serverless.yml): memory MB, timeout s, schedules")
    for fn in template.functions.values():
        extra = " snapStart" if fn.snapstart else ""
        extra += " sqs" if fn.sqs_trigger else ""
        sched = ", ".join(f"{s} ({runs_per_day(s):g}/day)" for s in fn.schedules)
        what_if = f" (what-if; serverless.yml says {fn.memory_mb})" if mem[fn.name] != fn.memory_mb else ""
        out.append(f"  {fn.name:20} {mem[fn.name]:5} {fn.timeout_s:4}{extra}  {sched}{what_if}")
    idle = [name for name in template.functions if name not in MODELLED]
    if idle:
        out.append(f"  no traffic modelled for: {', '.join(idle)} (invoked only by alarms or by hand)")
    traffic = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in TRAFFIC_PER_10_ACCOUNTS_DAY.items())
    per = "in all, at any size (the reference's model)" if fixed_traffic else "per 10 accounts"
    out.append(f"traffic: {traffic} a day {per}; {MARKETPLACES} marketplaces per account")
    out.append("measured (README Numbers, in-process against the fakes):")
    for key, f in MEASURED.items():
        out.append(f"  {key:18} {f.value:.5g} {f.unit}  [{f.date}; {f.source}]")
    out.append("assumed (no bench measures them):")
    for key, (value, why) in ASSUMED.items():
        out.append(f"  {key:24} {value:g}  {why}")
    alarms = template.alarms or planned_alarms(template)
    source = "in serverless.yml" if template.alarms else "planned by issue 20 (none in serverless.yml yet)"
    out.append(
        f"alarms: {alarms} {source}; custom metrics: {len(METRICS)} (infra/metrics.py METRICS, one dimension set)"
    )

    check = polling_check(template)
    sweep_fn = template.functions["reviewSweep"]
    out.append("")
    out.append(
        f"health check as built (poll budget {template.environment.get(POLL_BUDGET, '20')} s inside Lambda, then the "
        f"message is released; one report per account covering its {MARKETPLACES} marketplaces): "
        f"{check.invocations} invocations, {check.lambda_s:.1f} Lambda-s per account check, "
        f"{check.waiting_s:.1f} s of it waiting, {check.get_report_calls} getReport calls"
    )
    out.append(
        f"review sweep as built: batches of {sweep_fn.batch_size} sweeps per invocation, run at the same time: "
        f"{MEASURED['sweep_batch_order_s'].value:.3f} Lambda-s per order with {SWEEP_BATCH} sellers in a batch "
        f"(one sweep per invocation: {MEASURED['sweep_order_s'].value:.3f})"
    )
    polling = model(template, mem, design="polling", arm64=arm64, fixed_traffic=fixed_traffic)
    out += table(polling)
    out += [r.size_line() for r in polling]

    out.append("")
    out.append(
        "event-driven health check (FANOUT.md: one report per seller x region, REPORT_PROCESSING_FINISHED, no waiting)"
    )
    event = model(template, mem, design="event_driven", arm64=arm64, fixed_traffic=fixed_traffic)
    out += table(event)
    out += [f"event_driven {r.size_line()}" for r in event]

    # Issue 20's baseline: the design before it, polling up to 20 s per invocation inside Lambda, at its memory
    # sizes and without the notifications' batching window.
    before_template = dataclasses.replace(
        template,
        environment={**template.environment, POLL_BUDGET: "20"},
        functions={n: dataclasses.replace(f, batch_window_s=0.0) for n, f in template.functions.items()},
    )
    before_mem = {name: BEFORE_MEMORY.get(name, BEFORE_MEMORY_MB) for name in template.functions}
    before = model(before_template, before_mem, design="before", arm64=arm64, fixed_traffic=fixed_traffic)
    big_b, big_p, big_e = before[-1], polling[-1], event[-1]
    fixed = sum(big_p.lines[k] for k in FIXED_LINES)
    out.append("")
    out.append(
        f"at {big_b.accounts:,} accounts, the design before issue 20 (20 s poll budget, one report per account x "
        f"marketplace, one sweep per invocation): ${big_b.total:.2f} a month, "
        f"lambda_health_check ${big_b.lines['lambda_health_check']:.2f}, "
        f"${big_b.usage.waiting_s * before_mem['healthCheck'] / 1024 * price('lambda_gb_s_arm64' if arm64 else 'lambda_gb_s_x86'):.2f} of it waiting"
    )
    for label, run in (("as built", big_p), ("event-driven", big_e)):
        out.append(
            f"{label}: lambda_health_check ${run.lines['lambda_health_check']:.2f} vs fixed lines "
            f"({' + '.join(FIXED_LINES)}) ${fixed:.2f}: {'below' if run.lines['lambda_health_check'] < fixed else 'NOT below'}"
        )
    out.append(f"ratio as built/before total {big_p.total / big_b.total:.3f} (target <= 0.25)")
    out.append(f"ratio event_driven/before total {big_e.total / big_b.total:.3f} (target <= 0.25)")
    if not fixed_traffic:
        # The reference's model (its $127) keeps the daily traffic totals at every size; price that reading too.
        ref = [
            model(t, m, design=d, arm64=arm64, fixed_traffic=True)[-1]
            for t, m, d in ((template, mem, "polling"), (before_template, before_mem, "before"))
        ]
        non_health = big_b.total - big_b.lines["lambda_health_check"]
        out.append(
            f"ratio as built/before total at the reference's traffic (same daily totals at any size) "
            f"{ref[0].total / ref[1].total:.3f}; at per-10-accounts traffic the before design's other lines alone "
            f"are ${non_health:.2f} ({non_health / big_b.total:.2f} of its total)"
        )
    return out


def memory_of(template: Template, overrides: list[str]) -> dict[str, int]:
    mem = {name: fn.memory_mb for name, fn in template.functions.items()}
    for item in overrides:
        name, _, value = item.partition("=")
        if name not in mem:
            raise SystemExit(f"--memory: no function {name!r} in serverless.yml ({', '.join(mem)})")
        mem[name] = int(value)
    return mem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serverless", type=Path, default=ROOT / "serverless.yml")
    parser.add_argument("--memory", action="append", default=[], metavar="FUNCTION=MB", help="what-if memory size")
    parser.add_argument("--arm64", action="store_true", help="price Lambda time at the arm64 rate")
    parser.add_argument("--recommended", action="store_true", help="price at RECOMMENDED_MEMORY (what-if)")
    parser.add_argument(
        "--fixed-traffic", action="store_true", help="the reference's traffic: the same daily totals at any size"
    )
    args = parser.parse_args(argv)
    template = load_template(args.serverless)
    overrides = [f"{k}={v}" for k, (v, _) in RECOMMENDED_MEMORY.items() if k in template.functions]
    mem = memory_of(template, (overrides if args.recommended else []) + args.memory)
    for line in report(template, mem, arm64=args.arm64, fixed_traffic=args.fixed_traffic):
        print(line.rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
