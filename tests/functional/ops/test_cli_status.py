"""`sellerbot status --json`: the shape, in the demo's environment and against AWS (moto over HTTP)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.cli import main
from handlers.ops.heartbeat import record_run
from handlers.ops.status import QUEUES, schedules
from infra.store.factory import build_store


@pytest.fixture
def demo_env(monkeypatch, tmp_path):
    for q in QUEUES:
        monkeypatch.delenv(q.url_env, raising=False)
    for name in ("SELLERBOT_AWS_ENDPOINT_URL", "SELLERBOT_ACCOUNTS_FILE", "SELLERBOT_VERSION", "SELLERBOT_DEPLOYED_AT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SELLERBOT_STAGE", "local")
    url = f"sqlite:///{tmp_path / 'sellerbot.db'}"
    monkeypatch.setenv("SELLERBOT_STORE_URL", url)
    return url


def status_json(capsys, *args):
    assert main(["status", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_in_the_demo(demo_env, capsys):
    record_run(build_store(demo_env), "healthEscalation", datetime.now(UTC))
    data = status_json(capsys)
    assert {"version", "deployed_at", "schedules", "queues", "errors_24h", "health"} <= set(data)
    assert data["deployed_at"] is None and data["unknown"]["deployed_at"].startswith("not a deploy")
    shown = {s["name"]: s for s in data["schedules"]}
    assert set(shown) == {s.name for s in schedules()}  # every scheduled function (serverless.yml)
    assert shown["healthEscalation"]["last_success_at"] and shown["healthEscalation"]["late"] is False
    assert shown["promoExpiry"]["last_success_at"] is None and shown["promoExpiry"]["late"] is True
    assert len(data["queues"]) == len(QUEUES)
    for q in data["queues"]:  # never 0 when it was not read
        assert q["depth"] is None and q["unknown"] == f"no queue URL configured ({_env(q['name'])})"
    assert data["errors_24h"]["errors"] is None and data["errors_24h"]["unknown"].startswith("local run")
    assert data["health"]["pairs"] == 4 and data["health"]["stale"] == 4


def test_version_comes_from_the_deploy_variables(demo_env, capsys, monkeypatch):
    monkeypatch.setenv("SELLERBOT_VERSION", "v1.4.0-3-gabc1234")
    monkeypatch.setenv("SELLERBOT_DEPLOYED_AT", "2026-12-06T10:00:00Z")
    data = status_json(capsys)
    assert data["version"] == "v1.4.0-3-gabc1234" and data["deployed_at"] == "2026-12-06T10:00:00Z"
    assert data["unknown"] == {}


def test_against_aws_reads_depths_and_metrics(demo_env, capsys, monkeypatch, moto_server, sqs_queue):
    client, url = sqs_queue
    client.send_message(QueueUrl=url, MessageBody="parked")
    monkeypatch.setenv("SELLERBOT_STAGE", "dev")
    monkeypatch.setenv("SELLERBOT_AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("SELLERBOT_HEALTH_CHECK_DLQ_URL", url)
    data = status_json(capsys)
    queues = {q["name"]: q for q in data["queues"]}
    assert queues["HealthCheckDLQ"]["depth"] == 1
    assert data["errors_24h"]["errors"] == 0 and data["errors_24h"]["unknown"] is None


def test_text_output_and_help(demo_env, capsys):
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "unknown: no queue URL configured" in out and "health" in out
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    # argparse wraps the description at the terminal's width: compare the words, not the line breaks
    assert "does not ask a running bot" in " ".join(capsys.readouterr().out.split())


def _env(name):
    return next(q.url_env for q in QUEUES if q.name == name)
