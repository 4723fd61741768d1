"""Shared fixtures. AWS services run in moto server mode (tests/support/aws.py)."""

from __future__ import annotations

import os

import pytest

# Never let a test reach real AWS or pick up a developer's credentials.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)

from bot.local.harness import BotHarness
from infra.fakes.slack_api import FakeSlack
from infra.fakes.sp_api.http import drain_contract_violations
from infra.store.sqlite import SQLiteStore


@pytest.fixture(autouse=True)
def amazon_contract(request):
    """Fail any test in which the fake SP-API saw a request, or built an answer, off Amazon's model.

    Tests that send an off-model request on purpose mark themselves `off_model` and read
    `fake.contract_violations` themselves.
    """
    drain_contract_violations()
    yield
    violations = drain_contract_violations()
    if violations and request.node.get_closest_marker("off_model") is None:
        pytest.fail(
            "the fake SP-API saw traffic off Amazon's published model:\n"
            + "\n".join(f"  - {v}" for v in violations[:20]),
            pytrace=False,
        )


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    yield s
    s.close()


@pytest.fixture
def bot(store):
    """The whole Lambda handler, with a fake Slack and an in-memory store."""
    with BotHarness(store=store) as harness:
        yield harness


# ---- secret scan (issue 7): every log record of the run, scanned at the end ----------------
from tests.support import secret_scan as _secret_scan  # noqa: E402

_log_capture: _secret_scan.LogCapture | None = None


def pytest_sessionstart(session):
    global _log_capture
    _log_capture = _secret_scan.install()


def pytest_runtest_setup(item):
    # Something may have reset the root handlers (configure_logging does once); keep capturing.
    import logging

    if _log_capture is not None and _log_capture not in logging.getLogger().handlers:
        logging.getLogger().addHandler(_log_capture)


def pytest_sessionfinish(session, exitstatus):
    if _log_capture is None:
        return
    result = _log_capture.scan()
    _secret_scan.uninstall(_log_capture)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
    write = reporter.write_line if reporter is not None else print
    write(result.summary())
    for leak in result.leaks[:20]:
        write(f"  LEAK: {leak}")
    if result.leaks:
        session.exitstatus = 1
