"""Load driver (issue 7): N signed Slack requests through `bot.lambda_handler.handler`, 20 at a time.

Shared by `tests/e2e/reliability/test_idempotency_load.py` (small N) and `bench/load.py` (N = 1,000).

The mix, in two waves (a button needs the preview the first wave produced):
  wave 1  `/review ORDER` (every pair's orders, whatever their state), `/message ORDER unexpectedProblem …`,
          `/sellerbot help`, a malformed `/review`;
  wave 2  Send and Cancel clicks on the previews of wave 1.
A share of the requests (default 20%) is repeated: half as Slack retries (the same body again, re-signed,
with `X-Slack-Retry-Num`), half as double requests / double clicks (same command or button, new trigger_id).
Requests of each wave are shuffled (seeded) and sent by a thread pool, so an original and its repeat race.

Afterwards (lazy listeners drained) the run is judged from the outside:
  duplicates  SP-API review solicitations per order > 1, buyer messages per draft > 1, replies per
              response_url > 1, or more than one accepted ack for one Slack delivery;
  lost        an accepted request with no final state: no reply on its response_url, a review offered by
              Amazon but never requested, a clicked draft neither sent nor cancelled;
  errors      replies that say something went wrong (clear, but not a success).
Every request has its own response_url on the fake Slack, which is how replies are attributed.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult

from bot import listeners
from bot.lambda_handler import handler
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import block_actions_body, headers_for, slash_body
from handlers.health.alerts import AlertBook
from handlers.promo.repository import PromoRepository
from handlers.reviews.messaging import draft_key
from infra.accounts import MARKETPLACE_CODES
from infra.fakes.sp_api.data import demo_asin
from infra.spapi.factory import build_spapi_factory
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import DEFAULT_RATES, scaled

ASIN = demo_asin()  # a product of acme's in the fake catalog, so the catalog check passes

MESSAGE_ACTION = "unexpectedProblem"
SEND, CANCEL = "reviews_message_send", "reviews_message_cancel"
APPROVE, HEALTH_ACK = "promo_approve", "health_ack"
# REQUESTER: a demo member of acme; OPS presses alert buttons, which only responders and admins may: a demo admin.
REQUESTER, APPROVER, OPS = "U0REQUESTER", "U0APPROVER1", "U0DEMOUSER"
# Reviews and messages name an account: the load user is the demo admin, so the access rule lets it in.
LOAD_USER = "U0DEMOUSER"
APPROVALS = "C0APPROVALS"
CLICK_ACTIONS = {"send": SEND, "cancel": CANCEL, "approve": APPROVE, "alert_ack": HEALTH_ACK}
# Kinds whose click has no reply of its own on success: judged by the state they leave (alert acknowledged once).
SILENT_CLICKS = ("alert_ack",)
RETRY_HEADERS = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
ERROR_MARKERS = ("Something went wrong", "internal error")


def fast_spapi(harness: Any, scale: float = 1000.0) -> Any:
    """The bot's real SP-API factory (python-amazon-sp-api, retry policy, limiter) on the harness's fake
    SP-API, with Amazon's rate plans scaled up: a load run measures the bot, not Amazon's 1 request/s."""
    factory = build_spapi_factory(harness.deps.settings, limiter=RateLimiter(scaled(DEFAULT_RATES, scale)))
    harness.deps.__dict__["spapi"] = factory  # the Deps.spapi cached_property slot
    fake = getattr(harness.env, "fake_spapi", None)
    if fake is not None:  # the limiter adopts the rate Amazon reports (x-amzn-RateLimit-Limit): report the scaled one
        fake.rates = scaled(DEFAULT_RATES, scale)
    return factory


class DeferredLambda:
    """Stands in for the Lambda client during a load run: async invocations (lazy listeners) queue up
    while a wave of acks is measured, then run `concurrency` at a time on `release()`.

    On AWS a lazy listener runs in another container, so it never steals CPU from the ack path; running
    it on a thread of this process while acks are timed would measure the laptop, not the bot.
    """

    def __init__(self, lambda_handler: Callable[[dict[str, Any], Any], Any], concurrency: int = 20) -> None:
        self._handler, self._context = lambda_handler, LocalContext
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="lazy")
        self._held: list[dict[str, Any]] = []
        self._futures: list[Any] = []
        self._hold = True
        self._lock = threading.Lock()
        self.invocations: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []

    def invoke(self, FunctionName: str, InvocationType: str = "Event", Payload: str | bytes = b"{}", **_: Any) -> dict:
        event = json.loads(Payload)
        with self._lock:
            self.invocations.append({"FunctionName": FunctionName, "InvocationType": InvocationType})
            if self._hold:
                self._held.append(event)
            else:
                self._futures.append(self._pool.submit(self._run, event))
        return {"StatusCode": 202}

    def _run(self, event: dict[str, Any]) -> None:
        try:
            self._handler(event, self._context())
        except BaseException as exc:
            self.errors.append(exc)

    def hold(self) -> None:
        with self._lock:
            self._hold = True

    def release(self) -> None:
        with self._lock:
            self._hold = False
            held, self._held = self._held, []
            self._futures.extend(self._pool.submit(self._run, e) for e in held)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        self.release()
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [f for f in self._futures if not f.done()]
                self._futures = pending
            if not pending:
                return True
            if time.monotonic() > deadline:
                return False
            pending[0].result(timeout=max(0.01, deadline - time.monotonic()))

    @property
    def inflight(self) -> int:
        with self._lock:
            return len(self._held) + sum(1 for f in self._futures if not f.done())

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def install_deferred_lambda(harness: Any, concurrency: int = 20) -> DeferredLambda:
    """Route the harness's lazy listeners through a DeferredLambda (see there)."""
    client = DeferredLambda(handler, concurrency)
    if harness.env.entry is None:
        raise RuntimeError("start the harness first")
    harness.env.entry.app.listener_runner.lazy_listener_runner.lambda_client = client
    harness.env.lambda_client = client
    return client


@dataclass
class Request:
    rid: str
    kind: str  # review | message | help | bad | send | cancel | promo | approve | health | alert_ack
    body: str
    lazy: bool  # a final reply on the response_url is expected (else the ack, or domain state, is the answer)
    key: str = ""  # order id (review/message) or draft id (send/cancel)
    repeat: str = ""  # "" | "retry" (same body) | "double" (new trigger_id)
    group: str = ""  # one Slack delivery: a request and its retries share it
    extra_headers: dict[str, str] = field(default_factory=dict)
    make: Callable[[str], str] | None = field(default=None, repr=False)  # body for a new request id
    status: int = 0
    ack: str = ""
    latency_ms: float = 0.0


@dataclass
class LoadReport:
    requests: int = 0
    accepted: int = 0
    dropped_redeliveries: int = 0
    refused: int = 0
    duplicates: int = 0
    lost: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    seconds: float = 0.0
    ack_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    spapi: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        mix = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        return [
            f"requests {self.requests} ({mix})",
            f"accepted {self.accepted}, redeliveries dropped {self.dropped_redeliveries}, refused {self.refused}",
            f"duplicates {self.duplicates}, lost {self.lost}, error replies {self.errors}",
            f"ack latency p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, max {self.max_ms:.1f} ms; "
            f"wall {self.seconds:.1f} s",
        ]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class LoadRun:
    def __init__(
        self,
        harness: Any,
        n: int = 1000,
        *,
        concurrency: int = 20,
        repeat_share: float = 0.2,
        seed: int = 7,
        click_share: float = 0.4,
    ) -> None:
        self.h = harness
        self.n = n
        self.concurrency = concurrency
        self.repeat_share = repeat_share
        self.click_share = click_share
        self.rng = random.Random(seed)
        self.fake = harness.env.fake_spapi
        self.requests: list[Request] = []
        self.ack_seconds = 0.0  # wall time of the measured waves' acks (lazy work held until after)
        self._seq = 0
        self.with_promo = listeners.promo in listeners.FEATURES
        self.with_health = listeners.health_routes in listeners.FEATURES
        self.n_promos = max(2, n // 25)
        self.health_pairs = [("acme", "CA"), ("globex", "UK"), ("acme", "US")]  # two at risk, one healthy
        self.expected_alerts = 18  # acme CA + globex UK red flags in the sandbox, for sizing wave 2
        self.seed_tag = f"{seed % 100:02d}"
        self.promo_codes: list[str] = []
        self.alerts_posted: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    # ---- building requests --------------------------------------------------------------------

    def _rid(self) -> str:
        self._seq += 1
        return f"load{self._seq:05d}"

    def _slash(self, kind: str, line: str, *, lazy: bool, key: str = "", user: str = LOAD_USER) -> Request:
        def make(rid: str) -> str:
            return slash_body(line, user=user, response_url=self.h.slack.webhook_url(rid), trigger_id=f"trg-{rid}")

        rid = self._rid()
        return Request(rid, kind, make(rid), lazy, key, group=rid, make=make)

    def _click(
        self,
        kind: str,
        value: str,
        user: str = LOAD_USER,
        channel: str = "C0DEMO",
        message_ts: str = "1700000000.000100",
    ) -> Request:
        def make(rid: str) -> str:
            return block_actions_body(
                CLICK_ACTIONS[kind],
                value,
                user=user,
                channel=channel,
                message_ts=message_ts,
                response_url=self.h.slack.webhook_url(rid),
                trigger_id=f"trg-{rid}",
                action_ts=f"{time.time():.6f}",
            )

        rid = self._rid()
        return Request(rid, kind, make(rid), kind not in SILENT_CLICKS, value, group=rid, make=make)

    def _repeat(self, original: Request, how: str) -> Request:
        if how == "retry":  # Slack's redelivery: the very same body, re-signed, with the retry headers
            return Request(
                original.rid + "r",
                original.kind,
                original.body,
                original.lazy,
                original.key,
                "retry",
                original.group,
                dict(RETRY_HEADERS),
                make=original.make,
            )
        if original.make is None:
            raise ValueError(f"{original.rid} cannot be sent again as a new request")
        rid = self._rid()  # a second user action: same command or button, new trigger_id
        return Request(
            rid, original.kind, original.make(rid), original.lazy, original.key, "double", rid, make=original.make
        )

    def _with_repeats(
        self, originals: list[Request], repeats: int, force_double: tuple[str, ...] = ()
    ) -> list[Request]:
        """originals + `repeats` repeats, shuffled. Requests of a kind in `force_double` are doubled first (a
        second /health check of the same pair, a second click on an approval or an alert), as the budget allows."""
        repeats = max(0, repeats)
        forced = [o for o in originals if o.kind in force_double]
        rest = [o for o in originals if o.kind not in force_double]
        out = list(originals) + [self._repeat(o, "double") for o in forced[:repeats]]
        chosen = self.rng.sample(rest, min(max(0, repeats - len(forced)), len(rest)))
        for i, original in enumerate(chosen):
            out.append(self._repeat(original, "retry" if i % 2 == 0 else "double"))
        self.rng.shuffle(out)
        return out

    def _orders(self) -> list[tuple[str, str, str, str]]:
        """(account, marketplace code, order id, category) of every sandbox order."""
        out: list[tuple[str, str, str, str]] = []
        for (account, marketplace_id), orders in sorted(self.fake.data.orders.items()):
            code = MARKETPLACE_CODES.get(marketplace_id, marketplace_id)
            out.extend((account, code, o.order_id, o.category) for o in orders)
        return out

    def wave1(self, originals: int, n_messages: int) -> list[Request]:
        orders = self._orders()
        self.rng.shuffle(orders)
        messageable = [o for o in orders if o[3] in ("eligible", "too_early", "unshipped")]
        n_help = max(1, originals // 20)
        n_bad = max(1, originals // 20)
        n_reviews = max(
            1,
            originals
            - n_messages
            - n_help
            - n_bad
            - (self.n_promos if self.with_promo else 0)
            - (len(self.health_pairs) if self.with_health else 0),
        )
        out: list[Request] = []
        for i in range(n_reviews):
            account, code, order_id, _ = orders[i % len(orders)]
            out.append(
                self._slash(
                    "review",
                    f"/review {order_id} --account {account} --marketplace {code}",
                    lazy=True,
                    key=f"{account}:{order_id}",
                )
            )
        for i in range(n_messages):
            account, code, order_id, _ = messageable[i % len(messageable)]
            text = f"Your parcel is delayed by one day; sorry. Ref {uuid.uuid4().hex[:10]}."
            out.append(
                self._slash(
                    "message",
                    f"/message --account {account} --marketplace {code} {order_id} {MESSAGE_ACTION} {text}",
                    lazy=True,
                    key=f"{account}:{order_id}",
                )
            )
        out += [self._slash("help", "/sellerbot help", lazy=False) for _ in range(n_help)]
        out += [self._slash("bad", "/review 12-345 --marketplace", lazy=False) for _ in range(n_bad)]
        if self.with_promo:
            start = datetime.now(UTC).date() + timedelta(days=7)
            dates = f"{start}..{start + timedelta(days=20)}"
            for i in range(self.n_promos):
                code = f"LOAD{self.seed_tag}{i:03d}"
                self.promo_codes.append(code)
                out.append(
                    self._slash(
                        "promo",
                        f"/promo new {code} 15% {ASIN} {dates} --marketplace US",
                        lazy=False,
                        key=code,
                        user=REQUESTER,
                    )
                )
        if self.with_health:
            for account, code in self.health_pairs:
                out.append(
                    self._slash("health", f"/health check {account} {code}", lazy=False, key=f"{account}#{code}")
                )
        return out

    def wave2(self, drafts: list[str], originals: int) -> list[Request]:
        out = []
        for i, draft in enumerate(drafts[:originals]):
            out.append(self._click("cancel" if i % 5 == 4 else "send", draft))
        for _code, value in self._approve_buttons().items():
            out.append(self._click("approve", value, user=APPROVER, channel=APPROVALS))
        self.alerts_posted = self._alert_buttons()  # before any click edits the buttons away
        for channel, ts, value in self.alerts_posted:
            out.append(self._click("alert_ack", value, user=OPS, channel=channel, message_ts=ts))
        return out

    def _approve_buttons(self) -> dict[str, str]:
        out = {}
        for message in self._cards():
            for block in message.get("blocks") or []:
                for element in block.get("elements", []) if block.get("type") == "actions" else []:
                    if element.get("action_id") == APPROVE:
                        out[message["text"]] = element["value"]
        return out

    def _cards(self) -> list[dict[str, Any]]:
        with self.h.slack._lock:
            return [dict(m) for m in self.h.slack.messages.get(APPROVALS, []) if not m.get("thread_ts")]

    def _alert_buttons(self) -> list[tuple[str, str, str]]:
        """(channel, ts, ack value) of every alert with an Acknowledge button (replies in the digests' threads)."""
        out = []
        with self.h.slack._lock:
            channels = {c: list(ms) for c, ms in self.h.slack.messages.items()}
        for channel, messages in channels.items():
            for m in messages:
                for block in m.get("blocks") or []:
                    for element in block.get("elements", []) if block.get("type") == "actions" else []:
                        if element.get("action_id") == HEALTH_ACK:
                            out.append((channel, m["ts"], element["value"]))
        return out

    # ---- sending ------------------------------------------------------------------------------

    def _send(self, req: Request) -> None:
        start = time.perf_counter()
        resp = self.h.send(req.body, extra_headers=req.extra_headers)
        req.latency_ms = (time.perf_counter() - start) * 1000
        req.status, req.ack = int(resp["statusCode"]), resp.get("body") or ""

    def _fire(self, batch: list[Request]) -> None:
        hold = getattr(self.h.env.lambda_client, "hold", None)
        if hold:
            hold()  # lazy work waits until this wave's acks are measured
        started = time.perf_counter()
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="load") as pool:
            list(pool.map(self._send, batch))
        self.ack_seconds += time.perf_counter() - started
        self.requests.extend(batch)

    def warm_up(self) -> None:
        """One request of each kind, one at a time, before the measured run (a warm container):
        first use imports sp_api and the handlers; twenty threads importing at once is not what a
        warm Lambda container does. Its effects stay in the fakes and count in the judgement."""
        orders = [o for o in self._orders() if o[3] == "eligible"]
        account, code, order_id, _ = orders[-1]
        warm = [
            self._slash("help", "/sellerbot help", lazy=False),
            self._slash(
                "review",
                f"/review {order_id} --account {account} --marketplace {code}",
                lazy=True,
                key=f"{account}:{order_id}",
            ),
            self._slash(
                "message",
                f"/message --account {account} --marketplace {code} {order_id} "
                f"{MESSAGE_ACTION} Warm-up: your parcel is on its way.",
                lazy=True,
            ),
        ]
        if self.with_promo:
            start = datetime.now(UTC).date() + timedelta(days=7)
            warm.append(
                self._slash(
                    "promo",
                    f"/promo new WARMUP{self.seed_tag} 10% {ASIN} {start}..{start + timedelta(days=20)} --marketplace US",
                    lazy=False,
                    user=REQUESTER,
                )
            )
        if self.with_health:
            warm.append(self._slash("health", "/health check globex DE", lazy=False))  # healthy: no alerts
        for req in warm:
            self._send(req)
            self.h.wait(60)
        for draft in self._drafts(warm):
            self._send(self._click("cancel", draft))
            self.h.wait(60)

    def _drafts(self, wave: list[Request]) -> list[str]:
        drafts = []
        for req in wave:
            if req.kind != "message" or req.repeat:
                continue  # a double /message gets its own preview; only the first one is clicked
            for reply in self._replies(req.rid):
                for block in reply.get("blocks") or []:
                    if block.get("type") == "actions":
                        values = {e["action_id"]: e["value"] for e in block["elements"]}
                        if SEND in values:
                            drafts.append(values[SEND])
        return drafts

    def _replies(self, rid: str) -> list[dict[str, Any]]:
        return [c.params for c in self.h.slack.calls_to("webhook") if c.params.get("name") == rid]

    def run(self, wait_timeout: float = 300.0) -> LoadReport:
        self.warm_up()
        started = time.perf_counter()
        originals = round(self.n * (1 - self.repeat_share))
        n_clicks = round(originals * self.click_share * 0.5)
        later = n_clicks + (self.n_promos if self.with_promo else 0) + (self.expected_alerts if self.with_health else 0)
        wave1 = self.wave1(originals - later, n_clicks)  # one preview per planned click
        first = self._with_repeats(
            wave1, round((self.n - originals) * len(wave1) / originals), force_double=("health", "promo")
        )
        self._fire(first)
        self.h.wait(wait_timeout)
        drafts = self._drafts(first)
        second_originals = self.wave2(drafts, n_clicks)
        # Top up so the run sends exactly n requests (fewer previews than clicks planned: more repeats).
        second = self._with_repeats(
            second_originals, self.n - len(first) - len(second_originals), force_double=("approve", "alert_ack")
        )
        self._fire(second)
        self.h.wait(wait_timeout)
        report = self.judge()
        report.seconds = time.perf_counter() - started
        report.ack_seconds = self.ack_seconds
        return report

    # ---- judging ------------------------------------------------------------------------------

    def judge(self) -> LoadReport:
        r = LoadReport(requests=len(self.requests))
        r.counts = dict(Counter(req.kind + ("+" + req.repeat if req.repeat else "") for req in self.requests))
        latencies = [req.latency_ms for req in self.requests]
        r.p50_ms, r.p99_ms, r.max_ms = statistics.median(latencies), percentile(latencies, 99), max(latencies)
        replies: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for call in self.h.slack.calls_to("webhook"):
            replies[call.params.get("name", "")].append(call.params)
        groups: dict[str, list[Request]] = defaultdict(list)
        for req in self.requests:
            groups[req.group].append(req)

        def problem(kind: str, text: str) -> None:
            setattr(r, kind, getattr(r, kind) + 1)
            if len(r.problems) < 30:
                r.problems.append(f"{kind}: {text}")

        for group, reqs in groups.items():
            statuses = Counter(q.status for q in reqs)
            if any(s not in (200,) for s in statuses):
                r.refused += sum(n for s, n in statuses.items() if s != 200)
                problem("lost", f"{group}: refused with {dict(statuses)}")
            lead = reqs[0]
            if lead.kind in SILENT_CLICKS:
                accepted = 1  # the gate's claim admits one copy of a delivery; effects are judged below
            elif lead.lazy:
                got = replies.get(group, [])
                # A click's ack is empty whether it ran or was dropped as a redelivery: its reply tells.
                accepted = min(1, len(got)) if lead.kind in CLICK_ACTIONS else sum(1 for q in reqs if q.ack)
                if len(got) > 1:
                    problem("duplicates", f"{group} ({lead.kind}) got {len(got)} replies")
                if not got:
                    problem("lost", f"{group} ({lead.kind}) has no reply")
                for reply in got:
                    if any(m in (reply.get("text") or "") for m in ERROR_MARKERS):
                        r.errors += 1
                        r.problems.append(f"error reply for {group}: {reply.get('text', '')[:120]}")
            else:
                accepted = sum(1 for q in reqs if q.ack)
            if accepted > 1:
                problem("duplicates", f"{group} ({lead.kind}) accepted {accepted} times")
            r.accepted += min(accepted, 1)
            r.dropped_redeliveries += len(reqs) - accepted

        # Domain effects, counted at the fake SP-API.
        creates = Counter(
            f"{q.account}:{q.path.split('/')[4]}"
            for q in self.fake.requests
            if q.operation == "createProductReviewAndSellerFeedbackSolicitation"
        )
        for order, count in creates.items():
            if count > 1:
                problem("duplicates", f"order {order}: {count} review solicitations")
        texts = Counter(m.get("text") for m in self.fake.messages)
        for text, count in texts.items():
            if count > 1:
                problem("duplicates", f"buyer message sent {count} times: {str(text)[:40]}")
        requested = {q.key for q in self.requests if q.kind == "review"}
        for account, _code, order_id, category in self._orders():
            if (
                category == "eligible"
                and f"{account}:{order_id}" in requested
                and creates[f"{account}:{order_id}"] != 1
            ):
                problem("lost", f"eligible order {account}:{order_id} requested but not solicited")
        self._judge_drafts(problem)
        if self.with_promo:
            self._judge_promos(problem)
        if self.with_health:
            self._judge_alerts(problem)
        r.spapi = dict(self.fake.stats.requests)
        return r

    def _judge_promos(self, problem: Callable[[str, str], None]) -> None:
        """One promotion and one approval card per code; each approved once, handed off, requester told once."""
        repo = PromoRepository(self.h.store)
        stored = Counter(p.code for p in repo.list("acme"))

        def names(text: str, code: str) -> bool:
            return re.search(rf"\b{code}\b", text or "") is not None

        cards = Counter(code for m in self._cards() for code in self.promo_codes if names(m["text"], code))
        with self.h.slack._lock:
            messages = [dict(m) for m in self.h.slack.messages.get(APPROVALS, [])]
            dms = [dict(m) for m in self.h.slack.messages.get(REQUESTER, [])]
        approved = {q.key for q in self.requests if q.kind == "approve"}
        for code in self.promo_codes:
            if stored[code] != 1:
                problem("duplicates" if stored[code] > 1 else "lost", f"promo {code}: {stored[code]} stored")
            if cards[code] != 1:
                problem("duplicates" if cards[code] > 1 else "lost", f"promo {code}: {cards[code]} approval cards")
            promo = repo.get_by_code("acme", code, with_history=True)
            if promo is None or f"acme:{promo.id}" not in approved:
                continue
            approvals = [e for e in promo.history if e.action == "approve"]
            if promo.status.value != "handed_off" or len(approvals) != 1:
                problem(
                    "lost" if not approvals else "duplicates",
                    f"promo {code}: {promo.status.value} after {len(approvals)} approvals",
                )
            card_ts = next((m["ts"] for m in messages if not m.get("thread_ts") and names(m["text"], code)), None)
            threads = [m for m in messages if card_ts and m.get("thread_ts") == card_ts]
            told = [m for m in dms if code in (m.get("text") or "") and "approved by" in (m.get("text") or "")]
            if len(threads) != 1 or len(told) != 1:
                problem(
                    "duplicates" if len(threads) > 1 or len(told) > 1 else "lost",
                    f"promo {code}: {len(threads)} hand-off threads, {len(told)} approval DMs",
                )

    def _judge_alerts(self, problem: Callable[[str, str], None]) -> None:
        """Each red flag posted once per pair checked; each clicked alert acknowledged exactly once."""
        posted = Counter(value.partition(":")[2] for _, _, value in self.alerts_posted)
        for flag, count in posted.items():
            if count > 1:
                problem("duplicates", f"alert {flag} posted {count} times")
        for account, code in self.health_pairs[:2]:  # the two pairs at risk
            if not any(flag.startswith(f"{account}#{code}#") for flag in posted):
                problem("lost", f"no alert posted for {account} {code}")
        book = AlertBook(self.h.store)
        for flag in {q.key.partition(":")[2] for q in self.requests if q.kind == "alert_ack"}:
            acks = [e for e in book.audit(flag) if e.action == "acknowledged"]
            record = book.get(flag)
            if len(acks) != 1 or record is None or record.acknowledged_by != OPS:
                problem("duplicates" if len(acks) > 1 else "lost", f"alert {flag}: {len(acks)} acknowledgements")

    def _judge_drafts(self, problem: Callable[[str, str], None]) -> None:
        final: dict[str, str] = {}
        for req in self.requests:
            if req.kind in ("send", "cancel"):
                final[req.key] = req.kind
        for draft, how in final.items():
            item = self.h.store.get(*draft_key(draft))
            state = item.data.get("state") if item else None
            want = "sent" if how == "send" else "cancelled"
            if state != want:
                problem("lost", f"draft {draft} is {state!r} after {how}")


def bare_bolt_replay(
    bodies: list[tuple[str, dict[str, str]]], concurrency: int = 20, secret: str = "bench-signing-secret"
) -> tuple[float, float, float]:
    """p50/p99 ack latency of a bare Bolt app (same Lambda adapter, signature check, an ack-only listener for
    every command and action) replaying the same request bodies at the same concurrency: the baseline that
    makes the load run's latency comparable across machines."""
    app = App(
        process_before_response=True,
        signing_secret=secret,
        token_verification_enabled=False,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T0DEMO", bot_token="xoxb-bare"),
    )
    app.command(re.compile(".*"))(lambda ack: ack(text="ok"))
    app.action(re.compile(".*"))(lambda ack: ack())
    handle = SlackRequestHandler(app).handle
    latencies: list[float] = []
    lock = threading.Lock()

    def one(item: tuple[str, dict[str, str]]) -> None:
        body, extra = item
        event = http_api_event(body, {**headers_for(body, secret), **extra})
        start = time.perf_counter()
        resp = handle(event, LocalContext())
        elapsed = (time.perf_counter() - start) * 1000
        assert resp["statusCode"] == 200, resp
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, bodies))
    return statistics.median(latencies), percentile(latencies, 99), time.perf_counter() - started


def as_json(report: LoadReport) -> str:
    return json.dumps(report.__dict__, indent=2, default=str)
