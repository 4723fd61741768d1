"""SQS sweep worker: scheduled fan-out, continuation on the deadline, partial-batch failures."""

from __future__ import annotations

import json

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


def test_worker_reports_only_the_failed_record(store, fake_slack):
    accounts = load_accounts()
    api = MemorySpApi(_orders(4), page_size=10)
    api.fail["getOrders"] = SpApiFailure("unavailable", "getOrders", "", 503)
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
    assert [p.params["channel"] for p in posts] == ["C0ACMEUS", "C0ACMECA"]  # one message per sweep, then updates
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
