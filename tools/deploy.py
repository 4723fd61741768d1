"""`make deploy STAGE=... REGION=... OPS_EMAIL=...`: deploy the stack with osls, then say what to do next.

Steps, each printed before it runs:
1. preflight: Node ^20.19 / ^22.13 / >=24 on PATH (osls's requirement) and AWS credentials in the default
   chain (environment, profile, IAM Identity Center); without either it stops and says how to get them;
2. the String parameters CloudFormation resolves at deploy (`{{resolve:ssm:...}}` in serverless.yml) are
   created when missing, never overwritten: the allow lists as `none` (any workspace: `sellerbot secrets
   put` narrows them to the workspace its bot token belongs to), the SP-API application id and the ops
   channel from SPAPI_APP_ID / OPS_CHANNEL (required on the first deploy of a stage);
3. the Lambda artifacts (tools/build_lambda_zip.py, as `make package` builds them);
4. `npx --no-install osls deploy --stage STAGE --region REGION --param=opsEmail=OPS_EMAIL`;
5. the stack's outputs (CloudFormation DescribeStacks) and the next steps of the first run.
`--dry-run` (DRY_RUN=1) checks the same prerequisites and prints the commands without running them or
touching AWS.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "sellerbot"
NAME = re.compile(r"^[a-z][a-z0-9-]{0,15}$")  # osls stage: part of every resource name
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
# Parameters serverless.yml resolves at deploy; a missing one fails the whole deploy.
ALLOW_LIST_PARAMETERS = ("allowed-team-ids", "allowed-enterprise-ids", "allowed-app-ids")
VALUE_PARAMETERS = {"spapi-application-id": "SPAPI_APP_ID", "ops-channel": "OPS_CHANNEL"}
# Who may connect, configure and disconnect accounts (SELLERBOT_ADMINS): Slack user ids, or `workspace` (the
# workspace's admins and owners), the default, so a fresh stack has admins before any account exists.
DEFAULTED_PARAMETERS = {"admins": ("ADMINS", "workspace")}


class Refused(Exception):
    """A prerequisite is missing; the message says how to provide it."""


def node_version_ok(version: str) -> bool:
    """osls's engines: ^20.19, ^22.13 or >=24."""
    match = re.match(r"v?(\d+)\.(\d+)", version.strip())
    if not match:
        return False
    major, minor = int(match[1]), int(match[2])
    return (major == 20 and minor >= 19) or (major == 22 and minor >= 13) or major >= 24


def check_node(env: Mapping[str, str]) -> str:
    node = shutil.which("node", path=env.get("PATH"))
    if node is None:
        raise Refused("node is not on PATH: install Node.js 20.19+, 22.13+ or 24+ (osls needs it), then retry.")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if not node_version_ok(version):
        raise Refused(f"node {version or '(unknown version)'} is too old for osls: install 20.19+, 22.13+ or 24+.")
    return version


def check_credentials(region: str) -> None:
    import boto3  # the deployer's machine only

    session = boto3.Session(region_name=region)
    if session.get_credentials() is None:
        raise Refused(
            "no AWS credentials found: set AWS_PROFILE (after `aws sso login` or `aws configure`) or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for the account to deploy to, then retry."
        )


def deploy_command(stage: str, region: str, ops_email: str) -> list[str]:
    return [
        "npx",
        "--no-install",
        "osls",
        "deploy",
        "--stage",
        stage,
        "--region",
        region,
        f"--param=opsEmail={ops_email}",
    ]


def ensure_parameters(ssm: Any, stage: str, values: Mapping[str, str], *, dry_run: bool) -> list[str]:
    """Create the deploy-time String parameters that are missing; the names created (never overwrites)."""
    wanted = {name: "none" for name in ALLOW_LIST_PARAMETERS}
    wanted.update({name: values.get(var, "") for name, var in VALUE_PARAMETERS.items()})
    wanted.update({name: values.get(var) or default for name, (var, default) in DEFAULTED_PARAMETERS.items()})
    if dry_run:
        for name, value in wanted.items():
            print(
                f"  would create /{SERVICE}/{stage}/{name} = {value or '<' + VALUE_PARAMETERS[name] + '>'} if missing"
            )
        return []
    created, missing = [], []
    for name, value in wanted.items():
        full = f"/{SERVICE}/{stage}/{name}"
        try:
            ssm.get_parameter(Name=full)
            continue
        except ssm.exceptions.ParameterNotFound:
            pass
        if not value:
            missing.append(f"{VALUE_PARAMETERS[name]}=... ({full})")
            continue
        ssm.put_parameter(Name=full, Value=value, Type="String", Overwrite=False)
        created.append(full)
    if missing:
        raise Refused(
            "the first deploy of this stage needs "
            + ", ".join(missing)
            + ": SPAPI_APP_ID is the app's id in Amazon's Solution Provider Portal (amzn1.sellerapps.app.…), "
            "OPS_CHANNEL the Slack channel id for alarms (C…)."
        )
    return created


NEXT_STEPS = """\
Next steps (README "Deploy walk"):
  1. sellerbot manifest --url {events}  > manifest.yml
     api.slack.com/apps -> Create New App -> From a manifest -> paste it -> Create -> Install to Workspace
  2. sellerbot secrets put --stage {stage} --region {region}
     (Slack signing secret and bot token, LWA app id and client secret; each is checked before it is stored)
  3. make deploy STAGE={stage} REGION={region}   again, so the allow lists secrets put wrote take effect
  4. Solution Provider Portal -> your app -> Edit App: OAuth Login URI {api}/amazon/login,
     OAuth Redirect URI {api}/amazon/callback
  5. In Slack: /sellerbot connect NA|EU|FE   (once per seller and region)
  6. SELLERBOT_SLACK_EVENTS_URL={events} sellerbot doctor --stage {stage} --region {region}
"""


def stack_outputs(region: str, stage: str) -> dict[str, str]:
    import boto3  # the deployer's machine only

    stacks = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=f"{SERVICE}-{stage}")
    return {o["OutputKey"]: o["OutputValue"] for o in stacks["Stacks"][0].get("Outputs", [])}


def print_outputs(outputs: Mapping[str, str], stage: str, region: str) -> None:
    print("Stack outputs:")
    for key in sorted(outputs):
        print(f"  {key}: {outputs[key]}")
    events = outputs.get("SlackEventsUrl", "<SlackEventsUrl>")
    api = outputs.get("HttpApiUrl") or (events.removesuffix("/slack/events") if outputs else "<HttpApiUrl>")
    print()
    print(NEXT_STEPS.format(events=events, api=api, stage=stage, region=region), end="")


def git_version() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def run(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    parser = argparse.ArgumentParser(prog="make deploy", description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--stage", default="")
    parser.add_argument("--region", default="")
    parser.add_argument("--ops-email", default="")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    try:
        if not NAME.match(args.stage):
            raise Refused("STAGE is required: make deploy STAGE=prod REGION=eu-west-1 OPS_EMAIL=ops@example.com")
        if not REGION.match(args.region):
            raise Refused("REGION is required (an AWS region such as eu-west-1): make deploy STAGE=... REGION=...")
        if "@" not in args.ops_email:
            raise Refused("OPS_EMAIL is required: the address that receives the ops function's own failures.")
        node = check_node(env)
        check_credentials(args.region)
    except Refused as exc:
        print(f"make deploy: {exc}", file=sys.stderr)
        return 2
    command = deploy_command(args.stage, args.region, args.ops_email)
    print(f"[1/5] node {node}, AWS credentials found")
    print(f"[2/5] deploy-time parameters under /{SERVICE}/{args.stage}")
    print(f"[3/5] {sys.executable} tools/build_lambda_zip.py")
    print(f"[4/5] {' '.join(command)}")
    print(f"[5/5] stack outputs of {SERVICE}-{args.stage} ({args.region})")
    if args.dry_run:
        ensure_parameters(None, args.stage, env, dry_run=True)
        print_outputs({}, args.stage, args.region)
        return 0
    import boto3  # the deployer's machine only

    try:
        for name in ensure_parameters(boto3.client("ssm", region_name=args.region), args.stage, env, dry_run=False):
            print(f"  created {name}")
    except Refused as exc:
        print(f"make deploy: {exc}", file=sys.stderr)
        return 2
    subprocess.run([sys.executable, "tools/build_lambda_zip.py"], cwd=ROOT, check=True)
    deploy_env = {
        **env,
        "SLS_TELEMETRY_DISABLED": "1",
        "SELLERBOT_VERSION": git_version(),
        "SELLERBOT_DEPLOYED_AT": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if subprocess.run(command, cwd=ROOT, env=deploy_env, check=False).returncode != 0:
        print(
            "make deploy: osls deploy failed (its message is above); fix it and run make deploy again.", file=sys.stderr
        )
        return 1
    print_outputs(stack_outputs(args.region, args.stage), args.stage, args.region)
    return 0


if __name__ == "__main__":
    sys.exit(run())
