"""The Slack function never imports matplotlib (issue 16, item 2): charts are drawn by the `charts` function.

Run in a fresh interpreter (this test process has long since imported matplotlib elsewhere): import
bot.lambda_handler, build the Slack entry through the local harness, run `/promo report` and
`/health acme US --post` through the signed Lambda path, and check sys.modules after each step.

Locally the charts handler runs in the same process (bot/local routes the charts function to it), so the
chart jobs are sent to a recording Lambda client instead, at our own adapter's boundary
(infra/lambda_invoke.AsyncInvoker takes any object with boto3's `invoke`): everything the Slack function
runs is real, only the hand-over to the other function is recorded. Afterwards, and only then, the
recorded events are given to the charts handler in the same process: they are enough for it to upload
both PNGs, so the test does not pass by sending nothing useful.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = r"""
import json, sys

def has_mpl():
    return any(m == "matplotlib" or m.startswith("matplotlib.") for m in sys.modules)

out = {}
import bot.lambda_handler  # noqa: F401  (the Slack function's entry module)
out["after_import"] = has_mpl()

from bot.jobs import charts as chart_jobs
from bot.local.harness import BotHarness
from infra.lambda_invoke import AsyncInvoker
from infra.store.sqlite import SQLiteStore
from tests.support.promo import PROMO_DATA


class RecordingLambda:
    def __init__(self):
        self.calls = []

    def invoke(self, *, FunctionName, InvocationType, Payload):
        self.calls.append({"FunctionName": FunctionName, "InvocationType": InvocationType,
                           "event": json.loads(Payload)})
        return {"StatusCode": 202}


with BotHarness(store=SQLiteStore(":memory:")) as bot:
    out["after_build"] = has_mpl()
    client = RecordingLambda()
    chart_jobs.install(AsyncInvoker("sellerbot-test-charts", client=client))
    bot.slack.seed_file("C0REPORTS", "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    bot.slash("/promo report SUMMERSALE", user="U0REQUESTER", channel="C0REPORTS")
    bot.wait()
    out["after_promo_report"] = has_mpl()
    bot.slash("/health acme US --post")
    bot.wait()
    out["after_health_post"] = has_mpl()
    out["replies"] = [r.get("text", "") for r in bot.replies()]
    out["invocations"] = [(c["FunctionName"], c["InvocationType"], c["event"]["kind"]) for c in client.calls]
    out["uploads_by_slack_function"] = len(bot.slack.calls_to("files.completeUploadExternal"))

    from bot.workers import charts as chart_worker

    out["charts_results"] = [chart_worker.handler(c["event"], None) for c in client.calls]
    out["uploaded_to"] = [c.params.get("channel_id") for c in bot.slack.calls_to("files.completeUploadExternal")]
    out["after_charts_handler"] = has_mpl()
print("RESULT " + json.dumps(out))
"""


def test_slack_function_never_imports_matplotlib():
    env = {k: v for k, v in os.environ.items() if k != "SELLERBOT_CHARTS_FUNCTION"}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    [line] = [x for x in run.stdout.splitlines() if x.startswith("RESULT ")]
    out = json.loads(line.removeprefix("RESULT "))
    assert out["after_import"] is False
    assert out["after_build"] is False
    assert out["after_promo_report"] is False, out["replies"]
    assert out["after_health_post"] is False, out["replies"]
    # Both charts were handed to the charts function, asynchronously, and not drawn here.
    assert out["invocations"] == [
        ["sellerbot-test-charts", "Event", "promo"],
        ["sellerbot-test-charts", "Event", "health"],
    ]
    assert out["uploads_by_slack_function"] == 0
    assert not any("chart unavailable" in r for r in out["replies"]), out["replies"]
    # What was handed over is all the charts function needs.
    assert [r["ok"] for r in out["charts_results"]] == [True, True], out["charts_results"]
    assert out["uploaded_to"] == ["D0REQUESTER", "C0DEMO"]  # the promo chart goes to the requester's DM (issue 17)
    assert out["after_charts_handler"] is True  # the check above can see matplotlib when it is there
