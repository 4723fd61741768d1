"""What the status watches (handlers/ops/status.py) is what serverless.yml deploys."""

from __future__ import annotations

from pathlib import Path

import yaml

from handlers.ops.status import FUNCTIONS, QUEUES, schedules

SERVERLESS = Path(__file__).resolve().parents[2] / "serverless.yml"


class _IgnoreTags(yaml.SafeLoader):
    """serverless.yml's CloudFormation tags (!Ref, !GetAtt, ...) read as None."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def _serverless():
    return yaml.load(SERVERLESS.read_text(), Loader=_IgnoreTags)


def test_every_schedule_with_its_rate():
    deployed = {
        name: [e["schedule"]["rate"] for e in fn.get("events") or [] if "schedule" in e]
        for name, fn in _serverless()["functions"].items()
    }
    deployed = {name: rates for name, rates in deployed.items() if rates}
    assert {s.name: [s.rate] for s in schedules()} == deployed


def test_every_function_is_watched_for_errors():
    assert set(_serverless()["functions"]) <= set(FUNCTIONS)
    assert set(FUNCTIONS) - set(_serverless()["functions"]) == set()


def test_every_queue_is_listed():
    parts = _serverless()["resources"]
    parts = parts if isinstance(parts, list) else [parts]  # a list when some come from ${file(...)}
    resources = {k: v for part in parts if isinstance(part, dict) for k, v in (part.get("Resources") or {}).items()}
    queues = {name for name, r in resources.items() if r.get("Type") == "AWS::SQS::Queue"}
    assert {q.name for q in QUEUES} == queues
    dlqs = {name for name, r in resources.items() if name in queues and name.endswith("DLQ")}
    assert {q.name for q in QUEUES if q.kind == "dlq"} == dlqs
