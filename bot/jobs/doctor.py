"""The doctor's ports over the real services: Slack Web API, LWA + SP-API Sellers, the store, SQS.

Shared by `sellerbot doctor` (bot/cli/doctor.py) and the doctor section of `/sellerbot status`. Every
adapter turns a failure into a short reason (an error code or an exception's class name): exception text
can carry request ids, ARNs or, from LWA, a form body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.onboarding.doctor import AccountProbe, DoctorReport, Participation, QueueReading, SlackIdentity
from handlers.onboarding.rotation import LwaSecretBook, LwaSecretRecord
from handlers.ops.status import QUEUES, QueueDepths, read_queue
from infra.accounts import AccountConfig, MarketplaceConfig
from infra.secrets import CredentialsSource, MissingSecret
from infra.spapi.factory import SpApiFactory
from infra.store.base import Store

SENTINEL = ("ONBOARDING#DOCTOR", "sentinel")  # a key nothing writes: a GetItem proves the table answers
REGION_DEFAULT_MARKETPLACE = {"na": "US", "eu": "DE", "fe": "JP"}  # participations answer for the whole region


def _names(exc: BaseException) -> set[str]:
    return {t.__name__ for t in type(exc).__mro__}


class LiveDoctorPorts:
    def __init__(
        self,
        *,
        credentials: CredentialsSource,
        slack_api_url: str,
        factory: SpApiFactory,
        store: Store,
        queue_urls: Mapping[str, str],  # QueueSpec.url_env -> URL
        queues: QueueDepths | None,
        slack_client: Any = None,  # the bot's own WebClient (in Lambda); None: built from the stored bot token
    ) -> None:
        self.credentials, self.slack_api_url, self.factory = credentials, slack_api_url, factory
        self.slack_client = slack_client
        self.store, self.queue_urls, self.sqs = store, queue_urls, queues

    def slack_identity(self) -> SlackIdentity:
        from slack_sdk.errors import SlackApiError  # the doctor only

        from bot.slack_client import build_web_client

        client = self.slack_client
        if client is None:
            try:
                token = self.credentials.slack().bot_token.get_secret_value()
            except MissingSecret:
                return SlackIdentity(ok=False, error="not_authed")
            client = build_web_client(token, self.slack_api_url)
        try:
            answer = client.auth_test()
        except SlackApiError as exc:
            return SlackIdentity(ok=False, error=str(exc.response.get("error") or "error"))
        except Exception as exc:
            return SlackIdentity(ok=False, error=f"unreachable ({type(exc).__name__})")
        app_id = ""
        bot_id = answer.get("bot_id")
        if bot_id:
            try:  # users:read; an app installed before that scope was added cannot say
                app_id = str((client.bots_info(bot=bot_id).get("bot") or {}).get("app_id") or "")
            except Exception:
                app_id = ""
        return SlackIdentity(ok=True, team_id=str(answer.get("team_id") or ""), app_id=app_id)

    def probe_account(self, account: AccountConfig) -> AccountProbe:
        from sp_api.api import Sellers  # sp_api (~170 ms): the doctor only

        try:
            self.credentials.lwa()
        except MissingSecret:
            return AccountProbe(lwa="no_app_secret")
        try:
            self.credentials.refresh_token(account.account_id)
        except MissingSecret:
            return AccountProbe(lwa="no_token")
        probe_as = account
        if not account.marketplaces:  # a new account: any marketplace of its region answers for all of them
            code = REGION_DEFAULT_MARKETPLACE.get(account.region.lower(), "US")
            probe_as = account.model_copy(update={"marketplaces": [MarketplaceConfig(code=code, alert_channel="")]})
        try:
            client = self.factory.client(Sellers, probe_as, probe_as.marketplaces[0].code)
            response: Any = self.factory.call(
                "getMarketplaceParticipations", probe_as, client.get_marketplace_participation
            )
        except Exception as exc:
            if "TokenRefused" in _names(exc):  # infra/spapi's name for LWA's invalid_grant on the refresh token
                return AccountProbe(lwa="invalid_grant")
            if "AuthorizationError" in _names(exc):
                code = str(getattr(exc, "error_code", "") or "")
                if code in ("invalid_grant", "invalid_client"):
                    return AccountProbe(lwa=code)
                return AccountProbe(lwa="error", detail=code or f"HTTP {getattr(exc, 'status_code', '?')}")
            return AccountProbe(lwa="ok", participations_error=type(exc).__name__)
        payload = response.payload if isinstance(response.payload, list) else (response.payload or {}).get("payload")
        rows = []
        for p in payload or []:
            marketplace, participation = (p or {}).get("marketplace") or {}, (p or {}).get("participation") or {}
            if marketplace.get("id"):
                rows.append(
                    Participation(
                        marketplace_id=str(marketplace["id"]),
                        participating=bool(participation.get("isParticipating")),
                        suspended_listings=bool(participation.get("hasSuspendedListings")),
                    )
                )
        return AccountProbe(lwa="ok", participations=rows)

    def store_reachable(self) -> str | None:
        try:
            self.store.get(*SENTINEL)
        except Exception as exc:
            return type(exc).__name__
        return None

    def queues(self) -> list[QueueReading]:
        return [
            QueueReading(name=q.name, kind=q.kind, depth=q.depth, unknown=q.unknown)
            for q in (read_queue(spec, self.queue_urls, self.sqs) for spec in QUEUES)
        ]

    def lwa_secret(self) -> LwaSecretRecord | None:
        try:
            return LwaSecretBook(self.store).get()
        except Exception:  # the store check reports the outage
            return None


def admin_doctor(deps: Any) -> DoctorReport:
    """The checks for `/sellerbot status` (admins): everything but the per-account calls, which the status's own
    access lines make. `deps` is bot.deps.Deps."""
    import os
    from datetime import UTC, datetime

    from handlers.onboarding.doctor import DoctorConfig, run_doctor
    from infra.ops_status import SqsQueueDepths

    settings = deps.settings
    env = os.environ
    queue_urls = {q.url_env: env[q.url_env] for q in QUEUES if env.get(q.url_env)}
    ports = LiveDoctorPorts(
        credentials=deps.spapi.credentials_source,
        slack_api_url=settings.slack_api_url,
        factory=deps.spapi,
        store=deps.store,
        queue_urls=queue_urls,
        queues=SqsQueueDepths(endpoint_url=settings.aws_endpoint_url) if queue_urls else None,
        slack_client=deps.slack,
    )
    config = DoctorConfig(
        allowed_team_ids=settings.allowed_team_ids,
        allowed_app_ids=settings.allowed_api_app_ids,
        stage=settings.stage,
        reached_by_slack=True,
    )
    now = lambda: datetime.fromtimestamp(deps.clock(), UTC)
    return run_doctor(ports, config, deps.accounts, now, probe_accounts=False)
