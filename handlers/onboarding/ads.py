"""Connecting an account's Amazon Ads (Attribution) from Slack: Login with Amazon's consent, then the profiles.

begin: an admin asks for an account; the link goes to LWA's consent page on the account's region's host
(amazon-attribution.md §1) with the bot's Ads app, scope advertising::campaign_management and a signed,
single-use state of purpose "ads" (handlers/onboarding/state.py), bound to the team, the admin and the account.
callback: Amazon sends the browser back with `code` (or `error`); the state is consumed, the code exchanged at
the region's LWA token host (authorization_code grant with the same redirect_uri), the credentials written to
`<prefix>/ads/<account>` and the account's profiles discovered with GET /v2/profiles on the regional Ads host and
stored the way handlers/affiliates/profiles.py stores them. Every refusal happens before anything is stored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, Field, SecretStr

from handlers.affiliates import profiles
from handlers.audit import AuditEntry, audit_put
from handlers.onboarding import amazon
from handlers.onboarding.state import Region, StateBook, StateProblem, StateRecord, StateRefused
from infra.accounts import AccountConfig
from infra.ads.client import AttributionClient
from infra.ads.errors import AdsError
from infra.ads.regions import TOKEN_URLS, attribution_marketplace
from infra.secrets import AdsAppCredentials, AdsCredentials, LwaCredentials, MissingSecret
from infra.store.base import Store

log = logging.getLogger("sellerbot.onboarding.ads")

ADS_SCOPE = "advertising::campaign_management"
CONSENT_PATH = "/ap/oa"
# Login with Amazon's consent host per region (amazon-attribution.md §1).
CONSENT_HOSTS: dict[Region, str] = {
    "NA": "https://www.amazon.com",
    "EU": "https://eu.account.amazon.com",
    "FE": "https://apac.account.amazon.com",
}
CALLBACK_PATH = "/amazon/ads/callback"
MAX_PARAM_CHARS = 2048
AUDIT_PK = "ONBOARDING#AUDIT"


class AdsRefusal(StrEnum):
    MISSING_PARAMS = "missing_params"
    FORGED_STATE = "forged_state"
    UNKNOWN_STATE = "unknown_state"
    REUSED_STATE = "reused_state"
    EXPIRED_STATE = "expired_state"
    WRONG_REDIRECT = "wrong_redirect"
    DENIED = "denied"  # Amazon's error redirect: access_denied (Cancel) or another LWA error
    CODE_REFUSED = "code_refused"
    APP_REFUSED = "app_refused"
    AMAZON_UNAVAILABLE = "amazon_unavailable"
    UNKNOWN_ACCOUNT = "unknown_account"  # the account was removed after the link was made
    NOT_CONFIGURED = "not_configured"


_STATE_REFUSALS = {
    StateProblem.FORGED: AdsRefusal.FORGED_STATE,
    StateProblem.UNKNOWN: AdsRefusal.UNKNOWN_STATE,
    StateProblem.REUSED: AdsRefusal.REUSED_STATE,
    StateProblem.EXPIRED: AdsRefusal.EXPIRED_STATE,
}
_STATUS = {
    AdsRefusal.MISSING_PARAMS: 400,
    AdsRefusal.CODE_REFUSED: 400,
    AdsRefusal.DENIED: 200,  # the seller chose not to: an answer, not an attack
    AdsRefusal.AMAZON_UNAVAILABLE: 502,
    AdsRefusal.NOT_CONFIGURED: 503,
}


class AdsConnectSettings(BaseModel):
    callback_url: str = ""  # https://<api>/amazon/ads/callback, registered as the Ads app's allowed return URL
    consent_base: str | None = None  # a fake LWA (demo, tests); None = Amazon's regional hosts
    lwa_endpoint: str | None = None  # SELLERBOT_ADS_LWA_ENDPOINT: token host override (…/auth/o2/token)
    ads_endpoint: str | None = None  # SELLERBOT_ADS_ENDPOINT: API host override (may contain {region})
    timeout: float = 10.0


class MarketplaceProfile(BaseModel):
    marketplace: str
    currency: str


class AdsOutcome(BaseModel):
    refusal: AdsRefusal | None = None
    status: int = 200
    record: StateRecord | None = None
    account_id: str | None = None
    account_name: str = ""
    region: str | None = None
    with_profile: list[MarketplaceProfile] = Field(default_factory=list)
    without_profile: list[str] = Field(default_factory=list)  # Attribution marketplaces with no profile yet
    not_attribution: list[str] = Field(default_factory=list)  # the account's marketplaces Attribution lacks
    profiles_unread: bool = False  # credentials stored, but Amazon did not list the profiles now

    @property
    def connected(self) -> bool:
        return self.refusal is None and self.account_id is not None


class Registry(Protocol):
    def get(self, account_id: str) -> AccountConfig | None: ...


class AdsWriter(Protocol):
    def put_ads(self, account_id: str, creds: AdsCredentials) -> None: ...


def region_of(account: AccountConfig) -> Region:
    region = account.region.upper()
    return region if region in ("NA", "EU", "FE") else "NA"  # type: ignore[return-value]


def consent_url(region: Region, *, client_id: str, state: str, redirect_uri: str, base: str | None = None) -> str:
    """LWA's consent page for the Ads scope on the region's host (`base` replaces it: the fake)."""
    query = {
        "client_id": client_id,
        "scope": ADS_SCOPE,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
    }
    return f"{(base or CONSENT_HOSTS[region]).rstrip('/')}{CONSENT_PATH}?{urlencode(query)}"


class AdsConnectFlow:
    def __init__(
        self,
        *,
        settings: AdsConnectSettings,
        states: StateBook,
        store: Store,
        registry: Registry,
        writer: AdsWriter,
        app: Callable[[], AdsAppCredentials],
        http: httpx.Client,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.states = states
        self.store = store
        self.registry = registry
        self.writer = writer
        self.app = app
        self.http = http
        self.clock = clock

    def is_configured(self) -> bool:
        if not self.settings.callback_url:
            return False
        try:
            self.app()
        except MissingSecret:
            return False
        return True

    # -- Slack: /sellerbot connect ads ACCOUNT --------------------------------------------------

    def begin(self, *, team_id: str, user_id: str, account: AccountConfig, channel_id: str | None) -> str:
        region = region_of(account)
        state, _ = self.states.issue(
            team_id=team_id,
            user_id=user_id,
            region=region,
            redirect_uri=self.settings.callback_url,
            account_id=account.account_id,
            channel_id=channel_id,
            purpose="ads",
        )
        self._audit(user_id, "ads_consent_link_issued", account=account.account_id, region=region, team=team_id)
        return consent_url(
            region,
            client_id=self.app().client_id,
            state=state,
            redirect_uri=self.settings.callback_url,
            base=self.settings.consent_base,
        )

    # -- Amazon: the redirect URI --------------------------------------------------------------------

    def callback(self, params: Mapping[str, str], *, received_at: str) -> AdsOutcome:
        state, code, error = params.get("state", ""), params.get("code", ""), params.get("error", "")
        if not state or not (code or error) or any(len(v) > MAX_PARAM_CHARS for v in (state, code, error)):
            return _refused(AdsRefusal.MISSING_PARAMS)
        try:
            record = self.states.consume(state, purpose="ads")
        except StateRefused as refused:
            outcome = _refused(_STATE_REFUSALS[refused.problem], record=refused.record)
            self._audit_refusal(outcome)
            return outcome
        if received_at.rstrip("/") != record.redirect_uri.rstrip("/"):
            return self._refuse(AdsRefusal.WRONG_REDIRECT, record)
        if error or not code:
            # The seller clicked Cancel (access_denied) or LWA refused the request: nothing to exchange.
            return self._refuse(AdsRefusal.DENIED, record)
        account = self.registry.get(record.account_id or "")
        if account is None:
            return self._refuse(AdsRefusal.UNKNOWN_ACCOUNT, record)
        try:
            app = self.app()
            granted = amazon.exchange_code(
                self.http,
                url=self._token_url(record.region),
                lwa=LwaCredentials(lwa_app_id=app.client_id, lwa_client_secret=app.client_secret),
                code=code,
                redirect_uri=record.redirect_uri,
            )
        except MissingSecret:
            return self._refuse(AdsRefusal.NOT_CONFIGURED, record)
        except amazon.AmazonRefused as exc:
            refusal = {"invalid_grant": AdsRefusal.CODE_REFUSED, "invalid_client": AdsRefusal.APP_REFUSED}.get(
                exc.kind, AdsRefusal.AMAZON_UNAVAILABLE
            )
            return self._refuse(refusal, record)
        except httpx.HTTPError:
            return self._refuse(AdsRefusal.AMAZON_UNAVAILABLE, record)
        creds = AdsCredentials(
            client_id=app.client_id,
            client_secret=app.client_secret,
            refresh_token=SecretStr(granted.refresh_token.get_secret_value()),
        )
        self.writer.put_ads(account.account_id, creds)
        outcome = AdsOutcome(
            record=record, account_id=account.account_id, account_name=account.name, region=record.region
        )
        self._discover(account, creds, outcome)
        self._audit(
            record.user_id,
            "ads_connected",
            account=account.account_id,
            region=record.region,
            profiles=[p.marketplace for p in outcome.with_profile],
            team=record.team_id,
        )
        log.info(
            "ads connected",
            extra={"account": account.account_id, "region": record.region, "profiles": len(outcome.with_profile)},
        )
        return outcome

    def _discover(self, account: AccountConfig, creds: AdsCredentials, outcome: AdsOutcome) -> None:
        """GET /v2/profiles on each Attribution marketplace's regional host; store what is found (a profile of
        an earlier grant that differs is forgotten first, so the new grant's is used)."""
        now = datetime.fromtimestamp(self.clock(), UTC)
        with httpx.Client(timeout=self.settings.timeout) as http:
            for marketplace in account.marketplaces:
                row = attribution_marketplace(marketplace.code)
                if row is None:
                    outcome.not_attribution.append(marketplace.code)
                    continue
                client = AttributionClient(
                    creds,
                    row.code,
                    endpoint=self.settings.ads_endpoint,
                    lwa_endpoint=self.settings.lwa_endpoint,
                    timeout=self.settings.timeout,
                    attempts=2,
                    http=http,
                )
                try:
                    found = profiles.discover(client, row)
                except AdsError as exc:
                    log.warning("ads profiles not read: %s", type(exc).__name__)
                    outcome.profiles_unread = True
                    outcome.without_profile.append(row.code)
                    continue
                if found is None:
                    outcome.without_profile.append(row.code)
                    continue
                old = profiles.stored(self.store, account.account_id, row.code)
                if old is not None and old.profile_id != found.profile_id:
                    profiles.forget(self.store, account.account_id, row.code, now)
                kept = profiles.remember(self.store, account.account_id, found, now)
                outcome.with_profile.append(MarketplaceProfile(marketplace=kept.marketplace, currency=kept.currency))

    def _token_url(self, region: str) -> str:
        if self.settings.lwa_endpoint:
            return self.settings.lwa_endpoint.rstrip("/") + "/auth/o2/token"
        return TOKEN_URLS[region.lower()]

    def _refuse(self, refusal: AdsRefusal, record: StateRecord) -> AdsOutcome:
        outcome = _refused(refusal, record=record)
        self._audit_refusal(outcome)
        return outcome

    def _audit_refusal(self, outcome: AdsOutcome) -> None:
        record = outcome.record
        self._audit(
            record.user_id if record else "unknown",
            "ads_connect_refused",
            refusal=str(outcome.refusal),
            account=record.account_id if record else None,
        )
        log.warning("amazon ads callback refused", extra={"refusal": str(outcome.refusal)})

    def _audit(self, actor: str, action: str, **detail: object) -> None:
        entry = AuditEntry(at=datetime.fromtimestamp(self.clock(), UTC), by=actor, action=action, detail=detail)
        self.store.put_if_absent(audit_put(AUDIT_PK, entry).item)


def _refused(refusal: AdsRefusal, *, record: StateRecord | None = None) -> AdsOutcome:
    return AdsOutcome(
        refusal=refusal,
        status=_STATUS.get(refusal, 403),
        record=record,
        account_id=None,
        region=record.region if record else None,
    )
