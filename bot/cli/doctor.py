"""`sellerbot doctor [--stage S --region R] [--json]`: the first-run checklist, each check with a fix.

Locally (no --stage) it reads this process's environment like the bot does: secrets from SELLERBOT_SECRETS
(env by default), the store from --store / $SELLERBOT_STORE_URL / the demo store, accounts from the store,
queue URLs from the SELLERBOT_*_QUEUE_URL variables, the fakes' endpoints when set. With --stage it checks the
deployed stack with the deployer's AWS credentials: secrets from SSM under /sellerbot/<stage>, the store and
the SlackEventsUrl from the stack's outputs, the queues from its resources, the allow lists from their SSM
parameters. The Slack app's URL comes from --app-url or $SELLERBOT_SLACK_EVENTS_URL (what the app was created
with). Exit status 1 when any check fails, 0 otherwise (warnings included).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("\n", " ") if __doc__ else ""
MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check a deployed stack (or the demo): Slack, URLs, LWA per account, marketplaces, store, queues",
        description="Run the first-run checklist and print each check with a fix. " + DESCRIPTION,
    )
    parser.add_argument("--stage", help="check the deployed stack sellerbot-STAGE (needs AWS credentials)")
    parser.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")
    parser.add_argument("--store", help="store URL (sqlite:///abs/path.db, dynamodb://TABLE); default from the stack")
    parser.add_argument("--app-url", help="the URL the Slack app calls; default $SELLERBOT_SLACK_EVENTS_URL")
    parser.add_argument("--stack-url", help="the stack's SlackEventsUrl, when CloudFormation cannot be read")
    parser.add_argument(
        "--json", action="store_true", help="print JSON: generated_at, failed, checks[{name, outcome, detail, fix}]"
    )
    parser.set_defaults(func=run)


def _environment(args: argparse.Namespace) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """The environment to build settings from, the stack's SlackEventsUrl, and the queue URLs."""
    import os

    from handlers.ops.status import QUEUES
    from infra.ops_status import Unreadable
    from infra.stack_info import StackInfo

    env = dict(os.environ)
    queue_urls = {q.url_env: env[q.url_env] for q in QUEUES if env.get(q.url_env)}
    stack_url: str | None = args.stack_url
    if not args.stage:
        return env, stack_url, queue_urls
    env.update(SELLERBOT_STAGE=args.stage, SELLERBOT_SECRETS="ssm", SELLERBOT_SSM_PREFIX=f"/sellerbot/{args.stage}")
    if args.region:
        env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = args.region
    stack = StackInfo(args.stage, region=args.region, endpoint_url=env.get("SELLERBOT_AWS_ENDPOINT_URL") or None)
    try:
        outputs = stack.outputs()
        stack_url = stack_url or outputs.get("SlackEventsUrl")
        if outputs.get("StoreTableName") and not args.store:
            env["SELLERBOT_STORE_URL"] = f"dynamodb://{outputs['StoreTableName']}"
        by_id = stack.queue_urls({q.name for q in QUEUES})
        queue_urls = {q.url_env: by_id[q.name] for q in QUEUES if q.name in by_id}
        for name, variable in (
            ("allowed-team-ids", "SELLERBOT_ALLOWED_TEAM_IDS"),
            ("allowed-app-ids", "SELLERBOT_ALLOWED_APP_IDS"),
        ):
            env[variable] = stack.string_parameter(name) or ""
    except Unreadable as exc:
        print(
            f"note: the stack could not be read ({exc.reason}); URL and queue checks will say unknown.", file=sys.stderr
        )
    return env, stack_url, queue_urls


def run(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one reaches Slack, Amazon and AWS.
    from datetime import UTC, datetime

    from bot.jobs.doctor import LiveDoctorPorts
    from bot.local.demo import demo_store_url
    from bot.settings import Settings
    from handlers.accounts.registry import AccountRegistry
    from handlers.onboarding.doctor import DoctorConfig, run_doctor
    from infra.ops_status import SqsQueueDepths
    from infra.secrets import credentials_source
    from infra.spapi.factory import build_spapi_factory
    from infra.store.factory import build_store

    env, stack_url, queue_urls = _environment(args)
    try:
        settings = Settings.from_env(env)
        store = build_store(args.store or env.get("SELLERBOT_STORE_URL") or demo_store_url())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    endpoint = env.get("SELLERBOT_AWS_ENDPOINT_URL") or None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    ports = LiveDoctorPorts(
        credentials=credentials_source(settings),
        slack_api_url=settings.slack_api_url,
        factory=build_spapi_factory(settings),
        store=store,
        queue_urls=queue_urls,
        queues=SqsQueueDepths(endpoint_url=endpoint, region=region) if queue_urls else None,
    )
    config = DoctorConfig(
        allowed_team_ids=settings.allowed_team_ids,
        allowed_app_ids=settings.allowed_api_app_ids,
        app_events_url=args.app_url or env.get("SELLERBOT_SLACK_EVENTS_URL") or None,
        stack_events_url=stack_url,
        stage=settings.stage,
    )
    try:
        accounts = AccountRegistry(store).snapshot()
    except Exception as exc:
        print(f"error: the store could not be read ({type(exc).__name__}); check --store or --stage.", file=sys.stderr)
        return 1
    report = run_doctor(ports, config, accounts, lambda: datetime.now(UTC))
    if args.json:
        out: dict[str, Any] = {"failed": report.failed, **report.model_dump(mode="json")}
        print(json.dumps(out, indent=2))
    else:
        print(render(report))
    return 1 if report.failed else 0


def render(report: Any) -> str:
    """The report as plain text: one line per check, the fix indented under a warning or a failure."""
    width = max((len(c.name) for c in report.checks), default=0)
    lines = []
    for c in report.checks:
        lines.append(f"{MARK[c.outcome]}  {c.name:<{width}}  {c.detail}")
        if c.fix and c.outcome != "pass":
            lines.append(f"      {'':<{width}}  fix: {c.fix}")
    failed = sum(c.outcome == "fail" for c in report.checks)
    warned = sum(c.outcome == "warn" for c in report.checks)
    lines.append(f"{len(report.checks)} checks: {failed} failed, {warned} warnings")
    return "\n".join(lines)
