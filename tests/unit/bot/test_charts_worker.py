"""The charts function (bot/workers/charts.py) and the Slack side's hand-over (bot/jobs/charts.py), issue 16.

A failed chart is told to the requester ("chart unavailable: …; the numbers above are complete") and the
handler returns normally: an asynchronous invocation that raised would be retried by Lambda and then land
in the DLQ with nobody told.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.jobs import charts as chart_jobs
from bot.workers import charts as chart_worker
from infra.lambda_invoke import AsyncInvoker, InvokeFailed

TAIL = "; the numbers above are complete"


def _event(bot, **over: Any) -> dict[str, Any]:
    event = {
        "kind": "health",
        "channel": "C0DEMO",
        "user": "U0DEMOUSER",
        "response_url": bot.slack.webhook_url(),
        "title": "acme US: account health, last 90 days",
        "filename": "health-acme-US.png",
        "initial_comment": "",
        "params": {"account": "acme", "marketplace": "US"},
    }
    return {**event, **over}


def _texts(bot) -> list[str]:
    return [r["text"] for r in bot.replies()]


def test_a_drawn_chart_is_uploaded_to_the_channel(bot):
    assert chart_worker.handler(_event(bot), None) == {"ok": True, "kind": "health"}
    [get_url] = bot.slack.calls_to("files.getUploadURLExternal")
    assert get_url.params["filename"] == "health-acme-US.png"
    [upload] = bot.slack.calls_to("upload")
    assert upload.params["head"].startswith("89504e47")
    [done] = bot.slack.calls_to("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0DEMO"
    assert bot.replies() == []


def test_a_broken_promo_report_is_told_through_response_url_and_the_handler_returns(bot):
    event = _event(bot, kind="promo", params={"code": "SUMMERSALE", "report": {"orders": "many"}})
    result = chart_worker.handler(event, None)  # returns: no exception for Lambda to retry
    assert result == {"ok": False, "reason": "the report data for the chart could not be read"}
    [text] = _texts(bot)
    assert text == "chart unavailable: the report data for the chart could not be read" + TAIL
    assert "ValidationError" not in json.dumps(bot.replies()) and "orders" not in text
    assert bot.replies()[0]["response_type"] == "ephemeral"
    assert bot.slack.calls_to("upload") == []


def test_an_unreadable_event_is_still_told(bot):
    result = chart_worker.handler({"response_url": bot.slack.webhook_url(), "kind": "pie"}, None)
    assert result["ok"] is False
    assert _texts(bot) == ["chart unavailable: the chart request could not be read" + TAIL]


def test_without_response_url_the_requester_gets_an_ephemeral_message(bot):
    event = _event(bot, response_url="", params={"account": "acme", "marketplace": "usa"})
    assert chart_worker.handler(event, None)["ok"] is False
    [ephemeral] = bot.slack.calls_to("chat.postEphemeral")
    assert ephemeral.params["channel"] == "C0DEMO" and ephemeral.params["user"] == "U0DEMOUSER"
    assert ephemeral.params["text"].startswith("chart unavailable: the account and marketplace")


def test_a_refused_upload_is_told_in_words(bot):
    bot.slack.add_fault("files.getUploadURLExternal", "status:500", times=5)
    assert chart_worker.handler(_event(bot), None)["ok"] is False
    [text] = _texts(bot)
    assert text.startswith("chart unavailable: Slack ") and text.endswith(TAIL)
    assert "Error" not in text and "Traceback" not in text


def test_a_missing_chart_stack_is_told(bot, monkeypatch):
    def no_matplotlib(*_a: Any, **_k: Any) -> bytes:
        raise ModuleNotFoundError("No module named 'matplotlib'")

    monkeypatch.setattr(chart_worker, "trend_png", no_matplotlib)  # our renderer, not a library under test
    assert chart_worker.handler(_event(bot), None)["ok"] is False
    assert _texts(bot) == ["chart unavailable: the chart renderer is not installed in the chart function" + TAIL]


# ---- the Slack side: handing the job over --------------------------------------------------------------
class RecordingLambda:
    """Records what boto3's Lambda client would send."""

    def __init__(self, status: int = 202, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status, self.error = status, error

    def invoke(self, *, FunctionName: str, InvocationType: str, Payload: bytes) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        self.calls.append(
            {"FunctionName": FunctionName, "InvocationType": InvocationType, "event": json.loads(Payload)}
        )
        return {"StatusCode": self.status}


class Replies:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def __call__(self, **kw: Any) -> None:
        self.sent.append(kw)


@pytest.fixture
def job() -> chart_jobs.ChartJob:
    command = {"channel_id": "C0DEMO", "user_id": "U0DEMOUSER", "response_url": "https://hooks.slack.com/x"}
    return chart_jobs.health_chart_job(command, "acme", "US")


@pytest.fixture
def deps(bot):
    return bot.env.runtime.deps


def test_a_job_is_sent_asynchronously_as_the_agreed_event(bot, deps, job):
    client = RecordingLambda()
    previous = chart_jobs.install(AsyncInvoker("sellerbot-ci-charts", client=client))
    try:
        respond = Replies()
        assert chart_jobs.request_chart(deps, job, respond) is True
    finally:
        chart_jobs.install(previous)
    [call] = client.calls
    assert call["FunctionName"] == "sellerbot-ci-charts" and call["InvocationType"] == "Event"
    assert call["event"] == {
        "kind": "health",
        "channel": "C0DEMO",
        "user": "U0DEMOUSER",
        "response_url": "https://hooks.slack.com/x",
        "title": "acme US: account health, last 90 days",
        "filename": "health-acme-US.png",
        "initial_comment": "",
        "params": {"account": "acme", "marketplace": "US"},
    }
    assert respond.sent == []


@pytest.mark.parametrize("client", [RecordingLambda(status=500), RecordingLambda(error=RuntimeError("boom"))])
def test_a_job_lambda_would_not_take_is_told(bot, deps, job, client):
    previous = chart_jobs.install(AsyncInvoker("sellerbot-ci-charts", client=client))
    try:
        respond = Replies()
        assert chart_jobs.request_chart(deps, job, respond) is False
    finally:
        chart_jobs.install(previous)
    [reply] = respond.sent
    assert reply["text"].startswith("chart unavailable: the function that does it ") and reply["text"].endswith(TAIL)
    assert "boom" not in reply["text"]


def test_without_a_charts_function_the_user_is_told_what_to_set(bot, deps, job, monkeypatch):
    monkeypatch.delenv(chart_jobs.CHARTS_FUNCTION_ENV, raising=False)
    previous = chart_jobs.install(None)
    try:
        respond = Replies()
        assert chart_jobs.request_chart(deps, job, respond) is False
    finally:
        chart_jobs.install(previous)
    assert chart_jobs.CHARTS_FUNCTION_ENV in respond.sent[0]["text"]


def test_the_configured_function_is_invoked_through_a_client_made_on_first_use(monkeypatch):
    monkeypatch.setenv(chart_jobs.CHARTS_FUNCTION_ENV, "sellerbot-prod-charts")
    previous = chart_jobs.install(None)
    try:
        invoker = chart_jobs.charts_invoker(None)
    finally:
        chart_jobs.install(previous)
    assert invoker is not None and invoker.function_name == "sellerbot-prod-charts"
    assert invoker._client is None  # no boto3 client until a job is sent


def test_an_oversized_event_is_refused_before_lambda():
    client = RecordingLambda()
    with pytest.raises(InvokeFailed, match="too large"):
        AsyncInvoker("f", client=client).invoke({"blob": "x" * 300_000})
    assert client.calls == []
