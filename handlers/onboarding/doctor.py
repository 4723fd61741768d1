"""`sellerbot doctor`: the first-run checklist (onboarding.md §4) over ports, each check with a fix.

No Slack client, no boto3 here: bot/cli/doctor.py (and /sellerbot status) pass adapters for the Slack
identity, each account's LWA refresh + getMarketplaceParticipations, the store, the queues and the LWA
secret record. A check that cannot be read says so ("unknown") and counts as a warning, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel

from handlers.onboarding.rotation import LwaSecretRecord
from infra.accounts import AccountConfig, AccountsConfig
from infra.clock import as_utc

Outcome = Literal["pass", "warn", "fail"]
SECRET_WARN_DAYS = 30  # the secret's due date is this close: rotate now (the lwaRotation schedule does it itself)
EVENTS_PATH = "/slack/events"


class Check(BaseModel):
    name: str  # e.g. "slack", "lwa acme", "marketplaces acme"
    outcome: Outcome
    detail: str  # what was found, in plain words (never a secret)
    fix: str = ""  # what to do; empty on a pass


class DoctorReport(BaseModel):
    generated_at: datetime
    checks: list[Check]

    @property
    def failed(self) -> bool:
        return any(c.outcome == "fail" for c in self.checks)


# ---- what the ports answer ----------------------------------------------------------------------------------------
class SlackIdentity(BaseModel):
    ok: bool
    error: str = ""  # Slack's error code when not ok (invalid_auth, token_revoked, ...)
    team_id: str = ""
    app_id: str = ""  # bots.info(bot=bot_id).bot.app_id; empty when unknown


class Participation(BaseModel):
    marketplace_id: str
    participating: bool
    suspended_listings: bool


class AccountProbe(BaseModel):
    """One LWA refresh and one getMarketplaceParticipations with the account's refresh token."""

    lwa: Literal["ok", "invalid_grant", "invalid_client", "no_token", "no_app_secret", "error"]
    detail: str = ""  # a short reason for "error" (an error code, never an exception's text)
    participations: list[Participation] | None = None  # None: not read (LWA failed, or the call failed)
    participations_error: str = ""


class QueueReading(BaseModel):
    name: str
    kind: str  # work | dlq | failure
    depth: int | None = None
    unknown: str | None = None


class DoctorPorts(Protocol):
    def slack_identity(self) -> SlackIdentity: ...

    def probe_account(self, account: AccountConfig) -> AccountProbe: ...

    def store_reachable(self) -> str | None:
        """None if a read of the store succeeded, else the reason in a few words."""
        ...

    def queues(self) -> list[QueueReading]: ...

    def lwa_secret(self) -> LwaSecretRecord | None: ...


class DoctorConfig(BaseModel):
    allowed_team_ids: list[str] = []
    allowed_app_ids: list[str] = []
    app_events_url: str | None = None  # what the Slack app's manifest points at (SELLERBOT_SLACK_EVENTS_URL, --app-url)
    stack_events_url: str | None = None  # the stack's SlackEventsUrl output
    stage: str = "local"
    # Run inside the deployed bot from a Slack command: Slack reached the stack, so its URL is right for that command.
    reached_by_slack: bool = False


def _norm(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if url.endswith(EVENTS_PATH) else url + EVENTS_PATH


# ---- the checks -----------------------------------------------------------------------------------------------------
def check_slack(identity: SlackIdentity, config: DoctorConfig) -> Check:
    if not identity.ok:
        fixes = {
            "invalid_auth": "the bot token is wrong: copy the Bot User OAuth Token (xoxb-…) from the app's "
            "OAuth & Permissions page and run `sellerbot secrets put`.",
            "not_authed": "no bot token is stored: run `sellerbot secrets put`.",
            "token_revoked": "the app was uninstalled or its token revoked: reinstall the app to the workspace, "
            "then `sellerbot secrets put` with the new bot token.",
            "account_inactive": "the app was uninstalled: reinstall it, then `sellerbot secrets put`.",
        }
        return Check(
            name="slack",
            outcome="fail",
            detail=f"auth.test answered {identity.error or 'an error'}",
            fix=fixes.get(identity.error, "check the bot token with `sellerbot secrets put`; Slack may be down."),
        )
    if config.allowed_team_ids and identity.team_id not in config.allowed_team_ids:
        return Check(
            name="slack",
            outcome="fail",
            detail=f"the bot token belongs to workspace {identity.team_id}, which the stack does not allow",
            fix=f"set /sellerbot/{config.stage}/allowed-team-ids to {identity.team_id} (`sellerbot secrets put` does) "
            "and run make deploy again, or store the token of the right workspace.",
        )
    if config.allowed_app_ids and identity.app_id and identity.app_id not in config.allowed_app_ids:
        return Check(
            name="slack",
            outcome="fail",
            detail=f"the bot token belongs to app {identity.app_id}, which the stack does not allow",
            fix=f"set /sellerbot/{config.stage}/allowed-app-ids to {identity.app_id} and run make deploy again.",
        )
    if not config.allowed_team_ids:
        return Check(
            name="slack",
            outcome="warn",
            detail=f"bot token works (workspace {identity.team_id}), but the stack accepts requests from any workspace",
            fix="run `sellerbot secrets put` (it writes allowed-team-ids and allowed-app-ids) and make deploy again.",
        )
    return Check(name="slack", outcome="pass", detail=f"bot token works, workspace {identity.team_id} allowed")


def check_urls(config: DoctorConfig) -> Check:
    if config.reached_by_slack and not (config.app_events_url and config.stack_events_url):
        return Check(name="urls", outcome="pass", detail="Slack reached this stack (this command came through it)")
    if not config.stack_events_url:
        return Check(
            name="urls",
            outcome="warn",
            detail="the stack's SlackEventsUrl is unknown (no CloudFormation access)",
            fix="run with AWS credentials and --stage/--region, or pass --stack-url (make deploy prints it).",
        )
    if not config.app_events_url:
        return Check(
            name="urls",
            outcome="warn",
            detail=f"the Slack app's URL is unknown; the stack serves {config.stack_events_url}",
            fix="set SELLERBOT_SLACK_EVENTS_URL (or --app-url) to the URL in the Slack app's manifest.",
        )
    if _norm(config.app_events_url) != _norm(config.stack_events_url):
        return Check(
            name="urls",
            outcome="fail",
            detail=f"the Slack app calls {_norm(config.app_events_url)}, the stack serves {_norm(config.stack_events_url)}",
            fix=f"`sellerbot manifest --url {config.stack_events_url}` and paste it into the app's App Manifest page "
            "(api.slack.com/apps -> your app -> App Manifest), then save.",
        )
    return Check(
        name="urls", outcome="pass", detail=f"the Slack app calls the stack's {_norm(config.stack_events_url)}"
    )


_LWA_FIXES = {
    "invalid_grant": "Amazon refused the refresh token (the seller revoked the app, or the 365-day authorization "
    "lapsed): reconnect with `/sellerbot connect {region}` in Slack.",
    "invalid_client": "Amazon refused the app's client id or secret (expired or rotated): copy the current secret "
    "from the Developer Console (LWA credentials -> View) and run `sellerbot secrets put --lwa`.",
    "no_token": "no refresh token is stored for this account: connect it with `/sellerbot connect {region}`.",
    "no_app_secret": "the LWA app id and client secret are not stored: run `sellerbot secrets put --lwa`.",
    "error": "Amazon's token service did not answer as expected; run the doctor again, and check the network.",
}


def check_account(account: AccountConfig, probe: AccountProbe) -> list[Check]:
    aid = account.account_id
    if probe.lwa != "ok":
        what = {
            "invalid_grant": "Amazon answered invalid_grant: reconnect needed",
            "invalid_client": "Amazon answered invalid_client: client secret expired or rotated",
            "no_token": "no refresh token stored",
            "no_app_secret": "no LWA app secret stored",
            "error": f"token request failed ({probe.detail or 'no answer'})",
        }[probe.lwa]
        return [
            Check(
                name=f"lwa {aid}",
                outcome="fail",
                detail=what,
                fix=_LWA_FIXES[probe.lwa].format(region=account.region.upper()),
            ),
            Check(
                name=f"marketplaces {aid}", outcome="warn", detail="not checked: no access token", fix="fix LWA first."
            ),
        ]
    checks = [Check(name=f"lwa {aid}", outcome="pass", detail="refresh token accepted")]
    if probe.participations is None:
        checks.append(
            Check(
                name=f"marketplaces {aid}",
                outcome="fail",
                detail=f"getMarketplaceParticipations failed ({probe.participations_error or 'no answer'})",
                fix="the app may lack the Selling Partner Insights role, or the token belongs to another region: "
                f"check the app's roles, then reconnect with `/sellerbot connect {account.region.upper()}`.",
            )
        )
        return checks
    listed = {p.marketplace_id: p for p in probe.participations}
    missing = [m.code for m in account.marketplaces if m.marketplace_id not in listed]
    idle = [
        m.code
        for m in account.marketplaces
        if m.marketplace_id in listed and not listed[m.marketplace_id].participating
    ]
    suspended = [
        m.code
        for m in account.marketplaces
        if m.marketplace_id in listed and listed[m.marketplace_id].suspended_listings
    ]
    codes = ", ".join(m.code for m in account.marketplaces) or "none"
    if missing or idle:
        problems = "; ".join(
            part
            for part in (
                f"not listed by Amazon: {', '.join(missing)}" if missing else "",
                f"not participating: {', '.join(idle)}" if idle else "",
            )
            if part
        )
        checks.append(
            Check(
                name=f"marketplaces {aid}",
                outcome="fail",
                detail=problems,
                fix="remove these marketplaces from the account in `/sellerbot accounts`, or reconnect the seller "
                f"account that sells there (`/sellerbot connect {account.region.upper()}`).",
            )
        )
    elif suspended:
        checks.append(
            Check(
                name=f"marketplaces {aid}",
                outcome="warn",
                detail=f"{codes} reachable; suspended listings in {', '.join(suspended)}",
                fix="review the suspended listings in Seller Central (Inventory -> Manage All Inventory -> Suppressed).",
            )
        )
    else:
        checks.append(Check(name=f"marketplaces {aid}", outcome="pass", detail=f"{codes} listed and participating"))
    return checks


def check_store(reason: str | None) -> Check:
    if reason is None:
        return Check(name="store", outcome="pass", detail="the table answers reads")
    return Check(
        name="store",
        outcome="fail",
        detail=f"the store is unreachable ({reason})",
        fix="check SELLERBOT_STORE_URL (dynamodb://<StoreTableName output>) and that your credentials may read it.",
    )


def check_queues(readings: Sequence[QueueReading]) -> Check:
    unknown = [q for q in readings if q.depth is None]
    parked = [f"{q.name} {q.depth}" for q in readings if q.kind != "work" and q.depth]
    if unknown:
        return Check(
            name="queues",
            outcome="warn",
            detail=f"{len(unknown)} of {len(readings)} queues unreadable (first: {unknown[0].name}: {unknown[0].unknown})",
            fix="run with deployer credentials and --stage/--region (the queue URLs come from the stack).",
        )
    if parked:
        return Check(
            name="queues",
            outcome="warn",
            detail="messages parked: " + ", ".join(parked),
            fix="see `/sellerbot status` for what failed, fix it, then redrive from its buttons.",
        )
    return Check(name="queues", outcome="pass", detail=f"{len(readings)} queues reachable, nothing parked")


def check_lwa_secret(record: LwaSecretRecord | None, now: datetime) -> Check:
    if record is None:
        return Check(
            name="lwa secret age",
            outcome="warn",
            detail="no rotation date recorded for the LWA client secret",
            fix="store the secret with `sellerbot secrets put --lwa` (it records the date); Amazon requires a new "
            "secret every 180 days.",
        )
    due = record.due_at()
    left = due - as_utc(now)
    age = (as_utc(now) - as_utc(record.rotated_at)).days
    manual = (
        "Developer Console -> LWA credentials -> View -> Rotate secret, then `sellerbot secrets put --lwa`; "
        "for automatic rotation register the AppNotifications queue under Notification Preferences."
    )
    if left <= timedelta(0):
        return Check(
            name="lwa secret age",
            outcome="fail",
            detail=f"the client secret expired {due:%Y-%m-%d} ({age} days old): every SP-API call fails",
            fix=manual,
        )
    if left <= timedelta(days=SECRET_WARN_DAYS):
        return Check(
            name="lwa secret age",
            outcome="warn",
            detail=f"{age} days old, due {due:%Y-%m-%d} ({left.days} days left)",
            fix=manual,
        )
    return Check(
        name="lwa secret age", outcome="pass", detail=f"{age} days old, due {due:%Y-%m-%d} ({left.days} days left)"
    )


def run_doctor(
    ports: DoctorPorts,
    config: DoctorConfig,
    accounts: AccountsConfig,
    now: Callable[[], datetime],
    *,
    probe_accounts: bool = True,
) -> DoctorReport:
    """Every check; `probe_accounts=False` leaves out the per-account LWA and participation calls (/sellerbot
    status makes its own per account, and getMarketplaceParticipations allows 0.016 requests/s)."""
    checks = [check_slack(ports.slack_identity(), config), check_urls(config)]
    if not accounts.accounts:
        checks.append(
            Check(
                name="accounts",
                outcome="fail",
                detail="no seller account is connected",
                fix="connect one in Slack with `/sellerbot connect NA|EU|FE` (an admin).",
            )
        )
    for account in accounts.accounts if probe_accounts else []:
        checks.extend(check_account(account, ports.probe_account(account)))
    checks.append(check_store(ports.store_reachable()))
    checks.append(check_queues(ports.queues()))
    checks.append(check_lwa_secret(ports.lwa_secret(), now()))
    return DoctorReport(generated_at=as_utc(now()), checks=checks)
