"""Issue 23 item 9: input that crashes a JSON parser (nesting past the recursion limit, an integer past Python's
digit limit, undecodable bytes) is a bad input with the documented outcome, never a traceback or a retry.

- `sellerbot health evaluate FILE`: exit 2, one line on stderr saying what is wrong and what to do.
- A notification: parked at once with its reason (acknowledged in the SQS batch, never retried five times).
Before the fix `json.loads` raised RecursionError / ValueError out of parse_notification: the SQS record was
reported as a batch item failure (retried until the redrive policy moved it) and the EventBridge handler raised.
"""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.local.lambda_emulation import LocalContext
from bot.workers import health_notifications
from tests.security.notification_support import DLQ, ParkedMessages, health_deps, listing_issue_event, sqs_event

DEEP = "[" * 100_000
DEEP_OBJECT = '{"a":' * 100_000
HUGE_INT = '{"notificationType": "ACCOUNT_STATUS_CHANGED", "n": ' + "9" * 5000 + "}"
CRASHERS = [DEEP, DEEP_OBJECT, HUGE_INT, '{"payload": ' + DEEP + "}"]


@pytest.mark.parametrize(
    "text", [*CRASHERS, "\udcff"], ids=["deep", "deep-object", "huge-int", "deep-field", "surrogate"]
)
def test_cli_evaluate_exits_2_with_one_line(tmp_path, capsys, text):
    path = tmp_path / "report.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert main(["health", "evaluate", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("error: ") and out.err.count("\n") == 1
    assert "Traceback" not in out.err


def test_crashing_sqs_notifications_are_parked_at_once(fake_slack, store):
    dlq = ParkedMessages()
    consumer = health_notifications.make_handler(health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq)
    result = consumer(sqs_event(*CRASHERS), LocalContext(30))
    assert result == {"batchItemFailures": []}  # handled: a retry cannot fix them
    assert len(dlq.sent) == len(CRASHERS)
    assert all(r and "Traceback" not in r for r in dlq.reasons())


def test_crashing_eventbridge_detail_is_parked_not_raised(fake_slack, store):
    dlq = ParkedMessages()
    consumer = health_notifications.make_handler(health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq)
    for detail in (DEEP, HUGE_INT):
        event = listing_issue_event()
        event["detail"] = detail  # the detail as a string: parse_notification reads it as JSON
        out = consumer(event, LocalContext(30))
        assert out["status"] == "dead-lettered", out
    assert len(dlq.sent) == 2
    assert json.loads(dlq.sent[0]["MessageBody"])["detail"] == DEEP
