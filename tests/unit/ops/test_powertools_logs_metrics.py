"""Issue 20 item 1: Powertools logs and EMF metrics.

One Lambda invocation prints at most one EMF line (namespace Sellerbot, dimensions service and stage only, never
an account), the log lines are Powertools JSON with a correlation id and cold_start, and the redaction of secrets
and buyer data still holds through the Powertools handler.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logging_setup
from bot.lambda_handler import handler
from bot.listeners.compliance import run_check
from bot.local.harness import BotHarness
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import headers_for, slash_body
from infra import metrics
from infra.store.sqlite import SQLiteStore

SECRET = "o1-test-signing-secret"


@pytest.fixture
def on_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "sellerbot-test-slack")
    monkeypatch.setenv("SELLERBOT_STAGE", "test")
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch.setattr(metrics, "_emf", None)  # built again with this stage


def _emf_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{") and '"_aws"' in line]


def test_one_invocation_prints_one_emf_line_with_service_and_stage_only(on_lambda, capsys):
    @metrics.log_metrics
    def invocation(event, context):
        for _ in range(150):  # Powertools alone would flush a second line at the 100th value
            metrics.count_spapi("getReport", throttled=False)
        metrics.count_spapi("createReport", throttled=True)
        metrics.count(metrics.HEALTH_CHECKS_SUCCEEDED)
        return "done"

    assert invocation({}, None) == "done"
    (line,) = _emf_lines(capsys.readouterr().out)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Sellerbot"
    assert [sorted(d) for d in directive["Dimensions"]] == [["service", "stage"]]
    assert (line["service"], line["stage"]) == ("sellerbot", "test")
    assert {m["Name"] for m in directive["Metrics"]} <= set(metrics.METRICS)
    assert line["SpApiCalls"] in (151, [151.0], 151.0) and line["SpApiThrottles"] in (1, [1.0], 1.0)
    # The operation is metadata, not a dimension nor a metric name.
    assert line["detail"]["SpApiCalls"] == {"getReport": 150, "createReport": 1}

    invocation({}, None)  # the next invocation starts from zero
    (again,) = _emf_lines(capsys.readouterr().out)
    assert again["SpApiCalls"] in (151, [151.0], 151.0)


def test_an_invocation_that_counted_nothing_prints_no_line_and_a_raising_one_still_flushes(on_lambda, capsys):
    metrics.log_metrics(lambda e, c: None)({}, None)
    assert _emf_lines(capsys.readouterr().out) == []

    @metrics.log_metrics
    def failing(event, context):
        metrics.count(metrics.HEALTH_CHECKS_FAILED)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing({}, None)
    (line,) = _emf_lines(capsys.readouterr().out)
    assert "HealthChecksFailed" in line


def test_metric_set_is_fixed_small_and_never_carries_an_account_dimension():
    assert len(metrics.METRICS) == len(set(metrics.METRICS)) <= 30
    assert metrics.DIMENSIONS == ("service", "stage")
    with pytest.raises(ValueError):
        metrics.count("SpApiCalls.acme")  # no name built from data


def test_off_lambda_nothing_is_printed_but_a_recorder_sees_the_counts(monkeypatch, capsys):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    with metrics.recording() as rec:
        metrics.log_metrics(lambda e, c: run_check("Thanks for your order!"))({}, None)
        run_check("Please leave us a 5-star review and we will refund you")
    assert _emf_lines(capsys.readouterr().out) == []
    assert rec.counts[metrics.COMPLIANCE_PASSED] >= 1 or rec.counts[metrics.COMPLIANCE_FAILED] >= 1
    assert sum(rec.counts.values()) == 2


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The Powertools handler on the root logger, writing into a buffer for the test."""
    logger = logging_setup.configure_logging()
    ours = logger.registered_handler
    assert isinstance(ours, logging.StreamHandler)
    root = logging.getLogger()
    added = ours not in root.handlers
    if added:
        root.addHandler(ours)
    stream = io.StringIO()
    previous = ours.setStream(stream)
    try:
        yield stream
    finally:
        ours.setStream(previous)
        if added:
            root.removeHandler(ours)


def _json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_slash_command_prints_one_emf_line_and_json_logs_with_its_correlation_id(on_lambda, capsys, log_stream):
    with BotHarness(signing_secret=SECRET, store=SQLiteStore(":memory:")):
        body = slash_body("/sellerbot help", trigger_id="1700000000.o1trigger")
        response = handler(http_api_event(body, headers_for(body, SECRET)), LocalContext())
        assert response["statusCode"] == 200
        logging.getLogger("slack_bolt.App").warning("a third-party line during the request")
    (line,) = _emf_lines(capsys.readouterr().out)
    assert line["CommandsHandled"] in (1, [1.0], 1.0)
    records = _json_lines(log_stream)
    bolt = [r for r in records if r["logger"] == "slack_bolt.App"]
    assert bolt, records
    # A digest of the trigger_id (the ack and its lazy runs share it); the trigger_id itself is never logged.
    assert bolt[-1]["correlation_id"] == logging_setup.slack_request_id({"trigger_id": "1700000000.o1trigger"})
    assert "1700000000.o1trigger" not in log_stream.getvalue()
    assert isinstance(bolt[-1]["cold_start"], bool) and bolt[-1]["service"] == "sellerbot"


def test_scrubbing_holds_through_the_powertools_handler(log_stream):
    logging_setup.register_secret("o1-registered-secret-value")
    logging_setup.bind(account="acme", marketplace="US")
    log = logging.getLogger("sellerbot.o1test")
    log.warning("buyer %s token %s", "jane@example.org", "xoxb-11-22-secret", extra={"note": "Atzr|IwEBIo1-extra"})
    try:
        raise ValueError("failed for o1-registered-secret-value")
    except ValueError:
        log.exception("call failed")
    # A record built by hand skips the scrubbing factory: the handler's filter still scrubs it.
    raw = logging.LogRecord("botocore.o1", logging.WARNING, __file__, 1, "key xoxp-3-4-5 in a dump", None, None)
    logging.getLogger().handle(raw)
    out = log_stream.getvalue()
    for leaked in ("jane@example.org", "xoxb-11-22", "Atzr|IwEBIo1", "o1-registered-secret-value", "xoxp-3-4-5"):
        assert leaked not in out
    first = _json_lines(log_stream)[0]
    assert (first["account"], first["marketplace"]) == ("acme", "US")
    assert "[secret redacted]" in out and "[email redacted]" in out
