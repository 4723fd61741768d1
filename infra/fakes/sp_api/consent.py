"""The fake Seller Central consent page and LWA authorization_code grant (reference onboarding.md §1.2-1.5, §5).

What Amazon does, as far as its documents say:
  GET  /apps/authorize/consent   needs application_id and state; a draft app without version=beta -> MD1000;
                                 a redirect_uri not registered -> MD5101, one with '#' -> MD5110; none -> the first
                                 registered one. The page names the app, lets the seller pick the account, Confirm
                                 or Cancel.
  POST (Confirm)                 302 to redirect_uri?state=<same>&selling_partner_id=<id>&spapi_oauth_code=<code>;
                                 the code is bound to the client, the redirect URI, the seller and the time.
                                 Cancel: Amazon documents no redirect, so the fake shows a page and stops.
  POST /auth/o2/token (code)     another client -> 401 invalid_client; unknown, used or older than 300 s ->
                                 400 invalid_grant "The request has an invalid grant parameter : code"; a
                                 redirect_uri sent and different -> 400 invalid_grant (the fake's choice, LWA's
                                 own check is unconfirmed); else the four fields, the refresh token now accepted.
  revoke (test hook)             the next refresh of that token -> 400 invalid_grant "... User may have revoked ...".
Sellers that exist only here (INITECH) are added to the fake SP-API's accounts when they consent, so a demo
connects a third seller from Slack and then reads its orders and reports.
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from infra.accounts import AccountConfig, MarketplaceConfig
from infra.fakes.sp_api.data import generate_orders
from infra.fakes.sp_api.http import Response, json_response

if TYPE_CHECKING:
    from infra.fakes.sp_api.data import SandboxData

FAKE_APPLICATION_ID = "amzn1.sp.solution.fake-sellerbot-app"
FAKE_APP_NAME = "sellerbot (draft)"
CODE_LIFETIME_SECONDS = 300
CODE_ERROR = "The request has an invalid grant parameter : code"
REVOKED_ERROR = (
    "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission."
)
NON_AMAZON_MARKETPLACE = "A1ZFFQZ3HTUKT9"  # an undocumented "Non-Amazon" id Amazon lists (#1367)
# A seller who exists only in the fake Seller Central: `make demo` connects it from Slack.
INITECH = AccountConfig(
    account_id="initech",
    name="Initech",
    seller_id="A1INITECHSELL3",
    region="eu",
    marketplaces=[MarketplaceConfig(code=c, alert_channel="") for c in ("UK", "DE", "FR")],
)
# Amazon's own fields per marketplace (countryCode is ISO 3166: GB where the bot says UK).
_MARKETPLACE_FIELDS = {
    "US": ("Amazon.com", "US", "USD", "en_US", "www.amazon.com"),
    "CA": ("Amazon.ca", "CA", "CAD", "en_CA", "www.amazon.ca"),
    "MX": ("Amazon.com.mx", "MX", "MXN", "es_MX", "www.amazon.com.mx"),
    "UK": ("Amazon.co.uk", "GB", "GBP", "en_GB", "www.amazon.co.uk"),
    "DE": ("Amazon.de", "DE", "EUR", "de_DE", "www.amazon.de"),
    "FR": ("Amazon.fr", "FR", "EUR", "fr_FR", "www.amazon.fr"),
    "IT": ("Amazon.it", "IT", "EUR", "it_IT", "www.amazon.it"),
    "ES": ("Amazon.es", "ES", "EUR", "es_ES", "www.amazon.es"),
    "JP": ("Amazon.co.jp", "JP", "JPY", "ja_JP", "www.amazon.co.jp"),
}


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    account_id: str
    issued: float
    used: bool = False


@dataclass
class FakeSellerCentral:
    """The app as registered with Amazon, the sellers who can sign in, and the codes handed out."""

    data: SandboxData
    application_id: str = FAKE_APPLICATION_ID
    draft: bool = True
    redirect_uris: list[str] = field(default_factory=list)
    login_uri: str = ""
    clock: Callable[[], float] = time.time
    extra_sellers: list[AccountConfig] = field(default_factory=lambda: [INITECH])
    codes: dict[str, _Code] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- who can consent ----------------------------------------------------------------------

    def sellers(self) -> list[AccountConfig]:
        known = {a.account_id for a in self.data.accounts.accounts}
        return [*self.data.accounts.accounts, *(s for s in self.extra_sellers if s.account_id not in known)]

    def seller(self, selling_partner_id: str) -> AccountConfig | None:
        return next((s for s in self.sellers() if s.seller_id == selling_partner_id), None)

    # -- consent page ------------------------------------------------------------------------

    def consent_page(self, query: dict[str, list[str]]) -> Response:
        q = {k: v[0] for k, v in query.items() if v}
        problem = self._consent_problem(q)
        if problem is not None:
            return _page(400, "Authorization error", problem)
        redirect_uri = q.get("redirect_uri") or self.redirect_uris[0]
        options = "".join(
            f'<option value="{html.escape(s.seller_id)}">{html.escape(s.name)} ({html.escape(s.region.upper())}: '
            f"{html.escape(', '.join(m.code for m in s.marketplaces))})</option>"
            for s in self.sellers()
        )
        hidden = "".join(
            f'<input type="hidden" name="{n}" value="{html.escape(v)}">'
            for n, v in (("application_id", q["application_id"]), ("state", q["state"]), ("redirect_uri", redirect_uri))
        )
        body = (
            f"<p>{html.escape(FAKE_APP_NAME)} asks for access to your selling account.</p>"
            f'<form method="post" action="/apps/authorize/confirm">{hidden}'
            f'<label>Account <select name="selling_partner_id">{options}</select></label>'
            '<button type="submit" name="action" value="confirm">Confirm</button>'
            '<button type="submit" name="action" value="cancel">Cancel</button></form>'
        )
        return _page(200, "Authorize application", body, raw=True)

    def _consent_problem(self, q: dict[str, str]) -> str | None:
        if not q.get("application_id") or not q.get("state"):
            return "The application_id and state parameters are required."
        if q["application_id"] != self.application_id:
            return "MD9100: This application is not available."
        if self.draft and q.get("version") != "beta":
            return "MD1000: This application is in draft state and can only be authorized with version=beta."
        redirect = q.get("redirect_uri")
        if redirect and "#" in redirect:
            return "MD5110: The redirect URI contains a fragment (#)."
        if (redirect and redirect not in self.redirect_uris) or (not redirect and not self.redirect_uris):
            return "MD5101: The redirect URI is not registered for this application."
        return None

    def confirm(self, form: dict[str, Any]) -> Response:
        q = {k: str(v) for k, v in form.items()}
        if q.get("action") == "cancel":
            return _page(
                200, "Authorization cancelled", "You did not authorize the application. You can close this page."
            )
        problem = self._consent_problem({**q, "version": "beta" if self.draft else q.get("version", "")})
        seller = self.seller(q.get("selling_partner_id", ""))
        if problem is not None or seller is None:
            return _page(400, "Authorization error", problem or "Pick one of your accounts.")
        code = "ANfake" + secrets.token_urlsafe(18)
        redirect_uri = q.get("redirect_uri") or self.redirect_uris[0]
        with self._lock:
            self.codes[code] = _Code(self.data.lwa_app_id, redirect_uri, seller.account_id, self.clock())
        query = urlencode({"state": q["state"], "selling_partner_id": seller.seller_id, "spapi_oauth_code": code})
        response = Response(302, b"", "text/html")
        response.headers["Location"] = f"{redirect_uri}{'&' if urlsplit(redirect_uri).query else '?'}{query}"
        return response

    def reauthorize(self, selling_partner_id: str, base_url: str) -> str:
        """Where Seller Central's Re-authorize button sends the browser: the app's log-in URI."""
        amazon_state = secrets.token_urlsafe(12)
        with self._lock:
            self.codes["login:" + amazon_state] = _Code("", "", selling_partner_id, self.clock())
        callback = f"{base_url}/apps/authorize/confirm/{self.application_id}"
        query = {
            "amazon_callback_uri": callback,
            "amazon_state": amazon_state,
            "selling_partner_id": selling_partner_id,
        }
        if self.draft:
            query["version"] = "beta"
        return f"{self.login_uri}?{urlencode(query)}"

    def login_confirm(self, query: dict[str, list[str]]) -> Response:
        """GET /apps/authorize/confirm/{application_id}: the app sent the browser back; redirect as a Confirm."""
        q = {k: v[0] for k, v in query.items() if v}
        with self._lock:
            pending = self.codes.pop("login:" + q.get("amazon_state", ""), None)
        if pending is None:
            return _page(400, "Authorization error", "The amazon_state is unknown or was used.")
        return self.confirm(
            {
                "application_id": self.application_id,
                "state": q.get("state", ""),
                "redirect_uri": q.get("redirect_uri", ""),
                "selling_partner_id": pending.account_id,
            }
        )

    # -- LWA --------------------------------------------------------------------------------

    def grant_code(self, form: dict[str, Any]) -> Response:
        code = str(form.get("code", ""))
        with self._lock:
            found = self.codes.get(code)
            if found is None or found.used or self.clock() - found.issued > CODE_LIFETIME_SECONDS:
                return _lwa_error(400, "invalid_grant", CODE_ERROR)
            found.used = True  # a second use is refused, as RFC 6749 §4.1.2 requires
            if form.get("redirect_uri") and form["redirect_uri"] != found.redirect_uri:
                return _lwa_error(400, "invalid_grant", CODE_ERROR)
            seller = next(s for s in self.sellers() if s.account_id == found.account_id)
            self._enable(seller)
            refresh = f"Atzr|fake-consent.{seller.account_id}.{secrets.token_urlsafe(12)}"
            self.data.refresh_tokens[refresh] = seller.account_id
        return json_response(
            200,
            {
                "access_token": f"Atza|fake.{seller.account_id}",
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )

    def _enable(self, seller: AccountConfig) -> None:
        """A seller known only to Seller Central gets orders and reports in the fake SP-API once it consents."""
        if self.data.accounts.get(seller.account_id) is not None:
            return
        # A copy: the data's AccountsConfig may be the process's cached demo file, which the bot reads too.
        self.data.accounts = self.data.accounts.model_copy(update={"accounts": [*self.data.accounts.accounts, seller]})
        used = {o.order_id for orders in self.data.orders.values() for o in orders}
        for m in seller.marketplaces:
            self.data.orders[(seller.account_id, m.marketplace_id)] = generate_orders(
                60, account_id=seller.account_id, marketplace_code=m.code, now=self.data.now, used_ids=used
            )
        self.data.reindex()

    def revoke(self, refresh_token: str) -> bool:
        with self._lock:
            if self.data.refresh_tokens.pop(refresh_token, None) is None:
                return False
            self.revoked.add(refresh_token)
            return True

    def refused_refresh(self, refresh_token: str) -> Response | None:
        """The answer to a refresh of a revoked token (None: not revoked)."""
        return _lwa_error(400, "invalid_grant", REVOKED_ERROR) if refresh_token in self.revoked else None


def participations(seller: AccountConfig) -> list[dict[str, Any]]:
    """getMarketplaceParticipations' payload for a seller: its marketplaces, in Amazon's fields, and one Non-Amazon."""
    out = []
    for m in seller.marketplaces:
        name, country, currency, language, domain = _MARKETPLACE_FIELDS[m.code]
        out.append(_participation(m.marketplace_id, name, country, currency, language, domain, seller.name))
    first = _MARKETPLACE_FIELDS[seller.marketplaces[0].code] if seller.marketplaces else _MARKETPLACE_FIELDS["US"]
    out.append(_participation(NON_AMAZON_MARKETPLACE, "Non-Amazon", first[1], first[2], first[3], "", seller.name))
    return out


def _participation(
    marketplace_id: str, name: str, country: str, currency: str, language: str, domain: str, store: str
) -> dict[str, Any]:
    return {
        "marketplace": {
            "id": marketplace_id,
            "name": name,
            "countryCode": country,
            "defaultCurrencyCode": currency,
            "defaultLanguageCode": language,
            "domainName": domain,
        },
        "storeName": store,
        "participation": {"isParticipating": True, "hasSuspendedListings": False},
    }


def form_of(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _lwa_error(status: int, error: str, description: str) -> Response:
    return json_response(status, {"error_description": description, "error": error})


def _page(status: int, title: str, text: str, *, raw: bool = False) -> Response:
    body = text if raw else f"<p>{html.escape(text)}</p>"
    page = f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    return Response(status, page.encode(), "text/html; charset=utf-8")
