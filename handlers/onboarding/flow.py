"""The steps of connecting a seller: begin (an admin in Slack), login (Amazon starts it: Appstore, yearly
re-authorization), callback (Amazon sends the seller back with a one-time code).

A callback either connects the seller (token exchanged at once, participations read, account created or
reconnected in the registry, refresh token written) or refuses; every refusal happens before anything is
stored, and says who asked when the state is known, so the admin can be told.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import httpx
from pydantic import BaseModel, Field

from handlers.accounts.models import ConnectedSeller
from handlers.accounts.registry import SellerMismatch
from handlers.audit import AuditEntry, audit_put
from handlers.onboarding import amazon
from handlers.onboarding.consent import consent_url, is_amazon_callback, login_redirect
from handlers.onboarding.state import Region, StateBook, StateProblem, StateRecord, StateRefused
from infra.accounts import AccountConfig, AccountsConfig
from infra.secrets import LwaCredentials
from infra.store.base import Store

log = logging.getLogger("sellerbot.onboarding")

MAX_PARAM_CHARS = 2048
SELLER_ID_CHARS = 64
AUDIT_PK = "ONBOARDING#AUDIT"


class Refusal(StrEnum):
    MISSING_PARAMS = "missing_params"
    FORGED_STATE = "forged_state"
    UNKNOWN_STATE = "unknown_state"
    REUSED_STATE = "reused_state"
    EXPIRED_STATE = "expired_state"
    WRONG_REDIRECT = "wrong_redirect"
    CODE_REFUSED = "code_refused"
    APP_REFUSED = "app_refused"  # LWA refused our client id / secret
    AMAZON_UNAVAILABLE = "amazon_unavailable"
    OTHER_SELLER = "other_seller"  # a re-authorization came back with a different selling_partner_id
    NOT_AMAZON = "not_amazon"  # log-in URI: amazon_callback_uri not on Amazon's hosts
    UNKNOWN_SELLER = "unknown_seller"  # log-in URI for a seller no account has: start from Slack
    NOT_CONFIGURED = "not_configured"


_STATE_REFUSALS = {
    StateProblem.FORGED: Refusal.FORGED_STATE,
    StateProblem.UNKNOWN: Refusal.UNKNOWN_STATE,
    StateProblem.REUSED: Refusal.REUSED_STATE,
    StateProblem.EXPIRED: Refusal.EXPIRED_STATE,
}
_HTTP_STATUS = {Refusal.MISSING_PARAMS: 400, Refusal.NOT_AMAZON: 400, Refusal.AMAZON_UNAVAILABLE: 502}


class ConnectSettings(BaseModel):
    application_id: str = ""  # SELLERBOT_SPAPI_APP_ID: amzn1.sp.solution... / amzn1.sellerapps.app...
    draft: bool = True  # SELLERBOT_SPAPI_APP_DRAFT: consent URLs carry version=beta
    callback_url: str = ""  # SELLERBOT_AMAZON_CALLBACK_URL: https://<api>/amazon/callback (registered at Amazon)
    seller_central_base: str | None = None  # the fake Seller Central (demo, tests); None = Amazon's hosts
    lwa_endpoint: str | None = None
    spapi_endpoint: str | None = None
    team_id: str | None = None  # log-in flow: the workspace this stack serves (first allowed team id)


class Outcome(BaseModel):
    """What a callback or log-in request ended in; the page and the Slack message are made from this."""

    refusal: Refusal | None = None
    status: int = 200
    redirect_to: str | None = None  # log-in URI: where the browser goes next
    record: StateRecord | None = None  # who asked, when known
    account_id: str | None = None
    account_name: str = ""
    selling_partner_id: str | None = Field(default=None, max_length=SELLER_ID_CHARS)
    region: str | None = None
    marketplaces: list[str] = Field(default_factory=list)  # the bot's codes (UK, DE ...)
    reconnected: bool = False

    @property
    def connected(self) -> bool:
        return self.refusal is None and self.account_id is not None


class Registry(Protocol):
    def snapshot(self) -> AccountsConfig: ...

    def get(self, account_id: str) -> AccountConfig | None: ...

    def connect(self, seller: ConnectedSeller, *, actor: str) -> AccountConfig: ...


class TokenWriter(Protocol):
    def put_refresh_token(self, account_id: str, token: str) -> None: ...


class ConnectFlow:
    def __init__(
        self,
        *,
        settings: ConnectSettings,
        states: StateBook,
        store: Store,
        registry: Registry,
        tokens: TokenWriter,
        lwa: Callable[[], LwaCredentials],
        http: httpx.Client,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.states = states
        self.store = store
        self.registry = registry
        self.tokens = tokens
        self.lwa = lwa
        self.http = http
        self.clock = clock

    # -- Slack: /sellerbot connect ------------------------------------------------------------

    def begin(
        self, *, team_id: str, user_id: str, region: Region, channel_id: str | None, account_id: str | None = None
    ) -> str:
        """The consent URL for the admin to open (or forward to the seller); its state lives 10 minutes."""
        state, _ = self.states.issue(
            team_id=team_id,
            user_id=user_id,
            region=region,
            redirect_uri=self.settings.callback_url,
            account_id=account_id,
            channel_id=channel_id,
        )
        self._audit(user_id, "consent_link_issued", region=region, account=account_id, team=team_id)
        return consent_url(
            region,
            application_id=self.settings.application_id,
            state=state,
            redirect_uri=self.settings.callback_url,
            draft=self.settings.draft,
            seller_central_base=self.settings.seller_central_base,
        )

    # -- Amazon: the log-in URI -----------------------------------------------------------------

    def login(self, params: Mapping[str, str]) -> Outcome:
        callback = params.get("amazon_callback_uri", "")
        amazon_state = params.get("amazon_state", "")
        seller = params.get("selling_partner_id", "")
        if not (callback and amazon_state and seller) or _too_long(callback, amazon_state, seller):
            return _refused(Refusal.MISSING_PARAMS)
        extra = (self.settings.seller_central_base,) if self.settings.seller_central_base else ()
        if not is_amazon_callback(callback, extra_bases=extra):
            return _refused(Refusal.NOT_AMAZON)
        account = next((a for a in self.registry.snapshot().accounts if a.seller_id == seller), None)
        if account is None or not self.settings.team_id:
            # No Slack admin asked for this seller: attaching it would let anyone add a seller to the workspace.
            return _refused(Refusal.UNKNOWN_SELLER, selling_partner_id=seller)
        region = account.region.upper()
        state, record = self.states.issue(
            team_id=self.settings.team_id,
            user_id="amazon-login",
            region=region if region in ("NA", "EU", "FE") else "NA",  # type: ignore[arg-type]
            redirect_uri=self.settings.callback_url,
            account_id=account.account_id,
            source="amazon_login",
            selling_partner_id=seller,
        )
        target = login_redirect(
            callback,
            redirect_uri=self.settings.callback_url,
            amazon_state=amazon_state,
            state=state,
            draft=self.settings.draft,
        )
        return Outcome(status=302, redirect_to=target, record=record, account_id=account.account_id)

    # -- Amazon: the redirect URI ---------------------------------------------------------------

    def callback(self, params: Mapping[str, str], *, received_at: str) -> Outcome:
        """`received_at`: this request's URL without its query (compared with the state's redirect URI)."""
        state = params.get("state", "")
        seller = params.get("selling_partner_id", "")
        code = params.get("spapi_oauth_code", "")
        if not (state and seller and code) or _too_long(state, code) or len(seller) > SELLER_ID_CHARS:
            return _refused(Refusal.MISSING_PARAMS)
        try:
            record = self.states.consume(state)
        except StateRefused as refused:
            outcome = _refused(_STATE_REFUSALS[refused.problem], record=refused.record, selling_partner_id=seller)
            self._audit_refusal(outcome)
            return outcome
        if received_at.rstrip("/") != record.redirect_uri.rstrip("/"):
            return self._refuse(Refusal.WRONG_REDIRECT, record, seller)
        if record.selling_partner_id and record.selling_partner_id != seller:
            return self._refuse(Refusal.OTHER_SELLER, record, seller)
        existing = self.registry.get(record.account_id) if record.account_id else None
        if existing is not None and existing.seller_id != seller:
            return self._refuse(Refusal.OTHER_SELLER, record, seller)
        try:
            lwa = self.lwa()
            granted = amazon.exchange_code(
                self.http,
                url=amazon.token_url(self.settings.lwa_endpoint),
                lwa=lwa,
                code=code,
                redirect_uri=record.redirect_uri,
            )
        except amazon.AmazonRefused as exc:
            refusal = Refusal.CODE_REFUSED if exc.kind == "invalid_grant" else Refusal.APP_REFUSED
            if exc.kind not in ("invalid_grant", "invalid_client"):
                refusal = Refusal.AMAZON_UNAVAILABLE
            return self._refuse(refusal, record, seller)
        except (httpx.HTTPError, LookupError):
            return self._refuse(Refusal.AMAZON_UNAVAILABLE, record, seller)
        endpoint = self.settings.spapi_endpoint or amazon.SPAPI_ENDPOINTS[record.region]
        try:
            participations = amazon.marketplace_participations(
                self.http, endpoint=endpoint, access_token=granted.access_token
            )
        except (amazon.AmazonRefused, httpx.HTTPError):
            return self._refuse(Refusal.AMAZON_UNAVAILABLE, record, seller)
        store_name = next((p.store_name for p in participations if p.store_name), "")
        account_id = record.account_id or self._existing_account(seller, record.region)
        try:
            config = self.registry.connect(
                ConnectedSeller(
                    selling_partner_id=seller,
                    region=record.region,
                    marketplace_ids=[p.marketplace_id for p in participations if p.participating][:100],
                    team_id=record.team_id,
                    user_id=record.user_id,
                    account_id=account_id,
                    name=store_name[:200],
                ),
                actor=record.user_id,
            )
        except SellerMismatch:
            return self._refuse(Refusal.OTHER_SELLER, record, seller)
        self.tokens.put_refresh_token(config.account_id, granted.refresh_token.get_secret_value())
        outcome = Outcome(
            record=record,
            account_id=config.account_id,
            account_name=config.name,
            selling_partner_id=seller,
            region=record.region,
            marketplaces=[m.code for m in config.marketplaces],
            reconnected=account_id is not None,
        )
        self._audit(
            record.user_id,
            "seller_connected",
            account=config.account_id,
            selling_partner_id=seller,
            region=record.region,
            marketplaces=outcome.marketplaces,
            team=record.team_id,
        )
        log.info(
            "seller connected",
            extra={"account": config.account_id, "region": record.region, "reconnected": outcome.reconnected},
        )
        return outcome

    def _existing_account(self, seller: str, region: str) -> str | None:
        """Connecting a seller already connected in this region reconnects it (its token is replaced)."""
        for account in self.registry.snapshot().accounts:
            if account.seller_id == seller and account.region.upper() == region:
                return account.account_id
        return None

    def _refuse(self, refusal: Refusal, record: StateRecord, seller: str) -> Outcome:
        outcome = _refused(refusal, record=record, selling_partner_id=seller)
        self._audit_refusal(outcome)
        return outcome

    def _audit_refusal(self, outcome: Outcome) -> None:
        record = outcome.record
        self._audit(
            record.user_id if record else "unknown",
            "connect_refused",
            refusal=str(outcome.refusal),
            region=record.region if record else None,
            account=record.account_id if record else None,
        )
        log.warning("amazon callback refused", extra={"refusal": str(outcome.refusal)})

    def _audit(self, actor: str, action: str, **detail: object) -> None:
        entry = AuditEntry(at=datetime.fromtimestamp(self.clock(), UTC), by=actor, action=action, detail=detail)
        self.store.put_if_absent(audit_put(AUDIT_PK, entry).item)


def _too_long(*values: str) -> bool:
    return any(len(v) > MAX_PARAM_CHARS for v in values)


def _refused(refusal: Refusal, *, record: StateRecord | None = None, selling_partner_id: str | None = None) -> Outcome:
    return Outcome(
        refusal=refusal,
        status=_HTTP_STATUS.get(refusal, 403 if refusal != Refusal.CODE_REFUSED else 400),
        record=record,
        selling_partner_id=(selling_partner_id or None) and selling_partner_id[:SELLER_ID_CHARS],
        region=record.region if record else None,
    )
