"""`sellerbot secrets put [--stage S --region R] [--slack] [--lwa] [--stdin]`: store the app secrets, checked first.

Writes, through infra/secret_writer.py, the SecureString parameters infra/secrets.py reads:
  <prefix>/slack  {"signing_secret", "bot_token"}      checked with Slack's auth.test (the bot token)
  <prefix>/lwa    {"lwa_app_id", "lwa_client_secret"}  checked with an LWA client_credentials token request
Every value is checked before any is written: one refusal writes nothing. Values are read without echo from
prompts, or with --stdin as `name=value` lines (signing_secret, bot_token, lwa_app_id, lwa_client_secret);
the LWA app id, which is no secret, may also be given with --lwa-app-id. Nothing printed contains a value.
With --stage it also sets the stack's allow lists (allowed-team-ids, allowed-app-ids) to the workspace and app
the bot token belongs to, and starts the LWA secret's 180-day clock in the stack's store.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("\n", " ") if __doc__ else ""
MAX_VALUE = 4096  # SSM standard tier caps a value at 4096 characters
SLACK_FIELDS = ("signing_secret", "bot_token")
LWA_FIELDS = ("lwa_app_id", "lwa_client_secret")
PROMPTS = {
    "signing_secret": "Slack signing secret (Basic Information -> App Credentials): ",
    "bot_token": "Slack Bot User OAuth Token, xoxb-… (OAuth & Permissions): ",
    "lwa_app_id": "LWA client id, amzn1.application-oa2-client.… (Developer Central -> View): ",
    "lwa_client_secret": "LWA client secret, amzn1.oa2-cs.v1.…: ",
}


class Refused(Exception):
    """A value is missing or a service refused it; the message never holds a value."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("secrets", help="store the Slack and LWA app secrets in SSM, checked first")
    sub = parser.add_subparsers(dest="secrets_command", metavar="ACTION", required=True)
    put = sub.add_parser("put", help="check and store secrets", description="Check and store secrets. " + DESCRIPTION)
    put.add_argument("--stage", help="the deployed stage: parameters under /sellerbot/STAGE (needs AWS credentials)")
    put.add_argument("--region", help="the stack's AWS region (default: your AWS configuration's)")
    put.add_argument("--slack", action="store_true", help="only the Slack secrets")
    put.add_argument("--lwa", action="store_true", help="only the LWA app id and client secret")
    put.add_argument("--lwa-app-id", help="the LWA client id (no secret), instead of a prompt")
    put.add_argument("--stdin", action="store_true", help="read name=value lines from stdin instead of prompting")
    put.add_argument("--store", help="store URL for the LWA secret's date; default the stack's table")
    put.set_defaults(func=run)


def _read_values(args: argparse.Namespace, fields: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    if args.lwa_app_id:
        values["lwa_app_id"] = args.lwa_app_id.strip()
    if args.stdin:
        for raw in sys.stdin.read(64 * MAX_VALUE).splitlines():
            name, sep, value = raw.partition("=")
            if sep and name.strip() in fields:
                values.setdefault(name.strip(), value.strip())
    else:
        import getpass  # prompts only

        for name in fields:
            if name not in values:
                values[name] = getpass.getpass(PROMPTS[name]).strip()
    for name in fields:
        value = values.get(name, "")
        if not value:
            raise Refused(f"no {name} given (--stdin expects a line `{name}=...`).")
        if len(value) > MAX_VALUE or any(c.isspace() for c in value):
            raise Refused(f"{name} is not a single word of at most {MAX_VALUE} characters: check what was pasted.")
    return values


def _check_slack(bot_token: str, slack_api_url: str) -> dict[str, str]:
    """auth.test (and bots.info for the app id) with the bot token; Refused with Slack's error code."""
    from slack_sdk.errors import SlackApiError

    from bot.slack_client import build_web_client

    client = build_web_client(bot_token, slack_api_url)
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "error")
        raise Refused(f"Slack refused the bot token ({error}): copy the Bot User OAuth Token again.") from None
    except Exception as exc:
        raise Refused(f"Slack could not be reached ({type(exc).__name__}).") from None
    app_id = ""
    try:
        app_id = str((client.bots_info(bot=answer.get("bot_id")).get("bot") or {}).get("app_id") or "")
    except Exception:
        app_id = ""  # an app installed without users:read cannot say; the team is enough to go on
    return {"team_id": str(answer.get("team_id") or ""), "team": str(answer.get("team") or ""), "app_id": app_id}


def _check_lwa(app_id: str, client_secret: str, lwa_endpoint: str | None) -> None:
    import httpx
    from pydantic import SecretStr

    from handlers.onboarding.amazon import AmazonRefused, token_url
    from handlers.onboarding.rotation import SCOPE_NOTIFICATIONS, grantless_token
    from infra.secrets import LwaCredentials

    lwa = LwaCredentials(lwa_app_id=app_id, lwa_client_secret=SecretStr(client_secret))
    try:
        with httpx.Client(timeout=15) as http:
            grantless_token(http, url=token_url(lwa_endpoint), lwa=lwa, scope=SCOPE_NOTIFICATIONS)
    except AmazonRefused as exc:
        hint = (
            "the client id or secret is wrong, or the secret expired: copy both again from the Developer Console"
            if exc.kind == "invalid_client"
            else "Amazon did not accept the request"
        )
        raise Refused(f"Amazon refused the LWA credentials ({exc.kind}): {hint}.") from None
    except httpx.HTTPError as exc:
        raise Refused(f"Amazon's token service could not be reached ({type(exc).__name__}).") from None


def run(args: argparse.Namespace) -> int:
    import os
    from datetime import UTC, datetime

    from bot.settings import Settings
    from handlers.onboarding.rotation import LwaSecretBook
    from infra.ops_status import Unreadable
    from infra.secret_writer import SecretWriteFailed, SecretWriter
    from infra.secrets import register_secrets
    from infra.stack_info import StackInfo
    from infra.store.factory import build_store

    env = dict(os.environ)
    if args.stage:
        env.update(SELLERBOT_SECRETS="ssm", SELLERBOT_SSM_PREFIX=f"/sellerbot/{args.stage}", SELLERBOT_STAGE=args.stage)
    if env.get("SELLERBOT_SECRETS", "env") != "ssm":
        print("error: give --stage STAGE (the deployed stage whose SSM parameters to write).", file=sys.stderr)
        return 2
    settings = Settings.from_env(env)
    both = not (args.slack or args.lwa)
    fields = (SLACK_FIELDS if args.slack or both else ()) + (LWA_FIELDS if args.lwa or both else ())
    say: Callable[[str], Any] = lambda line: print(line, flush=True)
    try:
        values = _read_values(args, fields)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    register_secrets(*(v for k, v in values.items() if k != "lwa_app_id"))  # the log scrubber knows them now
    try:
        identity = None
        if "bot_token" in values:
            identity = _check_slack(values["bot_token"], settings.slack_api_url)
            say(f"Slack: auth.test ok, workspace {identity['team'] or ''} {identity['team_id']}".rstrip())
        if "lwa_client_secret" in values:
            _check_lwa(values["lwa_app_id"], values["lwa_client_secret"], settings.lwa_endpoint)
            say(f"LWA: token request ok for client {values['lwa_app_id']}")
    except Refused as exc:
        print(f"error: {exc} Nothing was written.", file=sys.stderr)
        return 1
    region = args.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    writer = SecretWriter(settings, region_name=region)
    prefix = "/" + settings.ssm_prefix.strip("/")
    try:
        if "bot_token" in values:
            writer.put_slack(values["signing_secret"], values["bot_token"])
            say(f"stored {prefix}/slack")
        if "lwa_client_secret" in values:
            writer.put_lwa(values["lwa_app_id"], values["lwa_client_secret"])
            say(f"stored {prefix}/lwa")
    except SecretWriteFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stack = StackInfo(args.stage or settings.stage, region=region, endpoint_url=settings.aws_endpoint_url)
    if identity is not None and args.stage:
        try:
            if identity["team_id"]:
                stack.put_string_parameter("allowed-team-ids", identity["team_id"])
                say(f"set /sellerbot/{args.stage}/allowed-team-ids = {identity['team_id']}")
            if identity["app_id"]:
                stack.put_string_parameter("allowed-app-ids", identity["app_id"])
                say(f"set /sellerbot/{args.stage}/allowed-app-ids = {identity['app_id']}")
            say("run make deploy again so the stack applies the allow lists.")
        except Unreadable as exc:
            print(f"warning: the allow lists were not set ({exc.reason}).", file=sys.stderr)
    if "lwa_client_secret" in values:
        try:
            store_url = args.store or env.get("SELLERBOT_STORE_URL")
            if not store_url and args.stage:
                store_url = "dynamodb://" + stack.outputs()["StoreTableName"]
            if not store_url:
                raise Unreadable("no store")
            LwaSecretBook(build_store(store_url)).record_new_secret(at=datetime.now(UTC), by="cli:secrets-put")
            say("recorded today as the LWA client secret's rotation date (Amazon requires a new one every 180 days)")
        except (Unreadable, KeyError, ValueError) as exc:
            reason = exc.reason if isinstance(exc, Unreadable) else type(exc).__name__
            print(f"warning: the secret's date was not recorded ({reason}); the doctor will say so.", file=sys.stderr)
    return 0
