"""SQS sweep worker: scheduled fan-out, continuation on the deadline, partial-batch failures."""

from __future__ import annotations

import json
import threading
from typing import Any

from bot.jobs.review_sweeps import SweepJob, enqueue_continuation, send_jobs
from bot.local.lambda_emulation import LocalContext
from bot.workers.review_sweep import jobs_for, make_handler
from handlers.reviews import resolve_target
from handlers.reviews.errors import SpApiFailure
from infra.accounts import load_accounts
from tests.support.memory_spapi import MemorySpApi
from tests.unit.reviews.test_unit import Clock, _orders


def _event(*jobs: SweepJob) -> dict:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": "r",
                "body": job.model_dump_json(),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:sweep",
                "awsRegion": "us-east-1",
            }
            for i, job in enumerate(jobs)
        ]
    }


def test_dispatch_enqueues_one_job_per_account_and_marketplace(sqs_queue):
    client, url = sqs_queue
    accounts = load_accounts()
    assert send_jobs(jobs_for(accounts), url, client) == 4
    bodies = []
    for _ in range(4):
        for msg in client.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            bodies.append(json.loads(msg["Body"]))
        if len(bodies) == 4:
            break
    assert sorted((b["account"], b["marketplace"]) for b in bodies) == [
        ("acme", "CA"),
        ("acme", "US"),
        ("globex", "DE"),
        ("globex", "UK"),
    ]


class UsUnavailable(MemorySpApi):
    def list_orders(self, target, **kwargs):
        if target.code == "US":
            raise SpApiFailure("unavailable", "getOrders", "", 503)
        return super().list_orders(target, **kwargs)


def test_dispatch_interleaves_the_sellers_so_a_batch_overlaps_different_sellers():
    jobs = jobs_for(load_accounts())
    assert [(j.account, j.marketplace) for j in jobs] == [
        ("acme", "US"),
        ("globex", "UK"),
        ("acme", "CA"),
        ("globex", "DE"),
    ]


def test_worker_reports_only_the_failed_record(store, fake_slack):
    accounts = load_accounts()
    api = UsUnavailable(_orders(4), page_size=10)  # the records run at the same time: fail the US one, not the first
    from bot.slack_client import build_web_client

    slack = build_web_client(fake_slack.token, fake_slack.base_url)
    handler = make_handler(store=store, spapi=api, accounts=accounts, slack=slack, clock=Clock())
    result = handler(
        _event(
            SweepJob(account="acme", marketplace="US", channel="C0ACMEUS"),
            SweepJob(account="acme", marketplace="CA", channel="C0ACMECA"),
        ),
        LocalContext(900),
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 3  # the CA sweep ran
    posts = fake_slack.calls_to("chat.postMessage")
    assert sorted(p.params["channel"] for p in posts) == ["C0ACMECA", "C0ACMEUS"]  # one message per sweep, then updates
    assert fake_slack.calls_to("chat.update")


def test_worker_continues_a_sweep_that_ran_out_of_time(store, sqs_queue):
    client, url = sqs_queue
    accounts = load_accounts()
    api = MemorySpApi(_orders(4), page_size=10)
    queued: list = []

    def enqueue(target, user, channel, ts, *, hop):
        queued.append(hop)
        return enqueue_continuation(target, user, channel, ts, hop=hop, queue_url=url, sqs=client)

    handler = make_handler(store=store, spapi=api, accounts=accounts, slack=None, clock=Clock(), enqueue=enqueue)
    out = handler(_event(SweepJob(account="acme", marketplace="US")), LocalContext(5))  # < the stop margin
    assert out == {"batchItemFailures": []} and queued == [0]
    msg = client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1)["Messages"][0]
    job = SweepJob.model_validate_json(msg["Body"])
    assert job.reason == "continuation" and job.hop == 1
    handler(_event(job), LocalContext(900))
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 3
    assert resolve_target(accounts).label() == "acme/US"


class PerAccount:
    """One in-memory SP-API per account (each seller has its own orders and rate limits)."""

    def __init__(self, apis: dict[str, MemorySpApi]) -> None:
        self.apis = apis

    def __getattr__(self, name: str) -> Any:
        def call(target, *args, **kwargs):
            return getattr(self.apis[target.account_id], name)(target, *args, **kwargs)

        return call


def test_worker_overlaps_the_sweeps_of_a_batch_each_sending_at_most_once(store):
    """Each sweep's first order check waits until the other sweep has reached its own: with the records of a batch
    run one after the other, the first would wait alone and fail (BrokenBarrierError), so this proves overlap."""
    accounts = load_accounts()
    apis = {"acme": MemorySpApi(_orders(4), page_size=10), "globex": MemorySpApi(_orders(4), page_size=10)}
    meeting = threading.Barrier(2, timeout=30)
    met: set[str] = set()
    lock = threading.Lock()

    def meet(account: str) -> None:
        with lock:
            first = account not in met
            met.add(account)
        if first:
            meeting.wait()

    for account, api in apis.items():
        api.on_list_or_check = lambda account=account: meet(account)
    handler = make_handler(store=store, spapi=PerAccount(apis), accounts=accounts, slack=None, clock=Clock())
    jobs = (SweepJob(account="acme", marketplace="US"), SweepJob(account="globex", marketplace="UK"))
    assert handler(_event(*jobs), LocalContext(900)) == {"batchItemFailures": []}
    assert [api.calls["createProductReviewAndSellerFeedbackSolicitation"] for api in apis.values()] == [3, 3]
    # The same batch again (SQS at-least-once): nothing is sent twice.
    assert handler(_event(*jobs), LocalContext(900)) == {"batchItemFailures": []}
    assert [api.calls["createProductReviewAndSellerFeedbackSolicitation"] for api in apis.values()] == [3, 3]
