"""Issue 16: the Slack function starts without an AWS region and without Bolt's token warnings,
nothing heavy is imported before a request needs it, and the SnapStart hooks warm before the snapshot
and re-read rotated Slack secrets after a restore."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import lambda_handler, runtime, snapstart
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
SECRET = "snapstart-test-secret"

SNIPPET = r"""
import sys
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import headers_for, slash_body
import bot.lambda_handler as lh
if {warm}:
    from bot import snapstart
    snapstart.warm()
    from handlers.compliance import lang
    assert "handlers.compliance.engine" in sys.modules and lang._identifier.cache_info().currsize == 1  # model loaded
    snapstart.refresh()
else:  # nothing a /sellerbot help does not need (boto3 itself is imported by Bolt's Lambda adapter)
    lazy = [m for m in ("handlers.compliance.engine", "sp_api", "handlers.compliance.langid_model") if m in sys.modules]
    assert not lazy, lazy
body = slash_body("/sellerbot help")
resp = lh.handler(http_api_event(body, headers_for(body, {secret!r})), LocalContext())
assert resp["statusCode"] == 200, resp
print("ACK")
"""


def _run_without_region(warm: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE")}
    env.update(
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-snapstart",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        AWS_LAMBDA_FUNCTION_NAME="sellerbot-test-slack",  # the entry is built at import, as on Lambda
        AWS_CONFIG_FILE=os.devnull,  # no region from a developer's ~/.aws/config either
    )
    code = SNIPPET.format(warm=warm, secret=SECRET)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "snapshot-hooks"])
def test_help_acks_without_an_aws_region_or_token_warnings(warm: bool) -> None:
    proc = _run_without_region(warm)
    assert "ACK" in proc.stdout, proc.stderr[-3000:]
    assert "NoRegionError" not in proc.stderr
    assert "will be ignored" not in proc.stderr and "will be unused" not in proc.stderr, proc.stderr[-3000:]


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "before-rotation")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-before")
    rt = runtime.build_runtime(Settings.from_env())
    runtime.install(rt)
    lambda_handler.install_entry(None)
    yield rt
    lambda_handler.install_entry(None)
    runtime.install(None)


def test_restore_keeps_the_snapshot_entry_but_drops_time_and_credential_caches(installed) -> None:
    entry = lambda_handler.current_entry()
    assert entry.runtime.deps.access is not None and "access" in installed.deps.__dict__
    snapstart.refresh()
    assert lambda_handler.current_entry() is entry
    assert "access" not in installed.deps.__dict__ and "spapi" not in installed.deps.__dict__


def test_restore_rereads_a_rotated_signing_secret_and_bot_token(installed, monkeypatch: pytest.MonkeyPatch) -> None:
    before = lambda_handler.current_entry()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "after-rotation")  # what SSM holds after a rotation
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-after")
    snapstart.refresh()
    after = lambda_handler.current_entry()
    assert after is not before
    assert after.runtime.settings.slack_signing_secret.get_secret_value() == "after-rotation"
    assert after.runtime.deps.slack.token == "xoxb-after"
