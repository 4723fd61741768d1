"""The fake Login with Amazon consent page for Amazon Ads, and LWA's authorization_code grant.

What Amazon documents (amazon-attribution.md §1; LWA "Authorization Code Grant",
https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html, and RFC 6749 §4.1.2):
  GET /ap/oa        client_id, scope, response_type=code, redirect_uri (and state). An unknown client id or a
                    redirect URI not registered for it is shown as an error page, never redirected to (the
                    redirect URI cannot be trusted). A scope other than advertising::campaign_management or a
                    response_type other than `code` goes back to the redirect URI with error=invalid_scope /
                    unsupported_response_type. Else a page: sign in as an Amazon account, Allow or Cancel.
  POST /ap/oa       (the page's form) Allow -> 302 redirect_uri?code=<code>&scope=advertising::campaign_management
                    &state=<same>; Cancel -> 302 redirect_uri?error=access_denied&error_description=...&state=<same>.
  POST /auth/o2/token grant_type=authorization_code: another app's client id or secret -> 401 invalid_client; a
                    code unknown, used, older than 5 minutes or bound to another redirect URI -> 400 invalid_grant;
                    else access_token, refresh_token, token_type, expires_in. The refresh token then works on the
                    fake's refresh_token grant and its Ads API like the seeded ones.
The 5-minute code lifetime is the SP-API guide's for its LWA codes; LWA's Ads pages say "short-lived" only.

Accounts that have no Ads profiles in the seed (the demo's Initech) get profiles for `new_accounts`' marketplaces
when they first grant; with `profiles_visible=False` a new grant lists none yet (Amazon: "within 2 hours").
"""

from __future__ import annotations

import html
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from infra.fakes.attribution.data import FakeProfile, generate_rows
from infra.fakes.sp_api.http import Response, json_response

if TYPE_CHECKING:
    from infra.fakes.attribution.data import AttributionData

ADS_SCOPE = "advertising::campaign_management"
CODE_LIFETIME_SECONDS = 300
CODE_ERROR = "The request has an invalid grant parameter : code"
DENIED_DESCRIPTION = "The user has denied the requested scope"
# (country, currency, zone, marketplace id, region) per project code, as the seed's profiles carry them.
_PROFILE_FIELDS = {
    "US": ("US", "USD", "America/Los_Angeles", "ATVPDKIKX0DER", "na"),
    "CA": ("CA", "CAD", "America/Los_Angeles", "A2EUQ1WTGCTBG2", "na"),
    "UK": ("GB", "GBP", "Europe/London", "A1F83G8C2ARO7P", "eu"),
    "DE": ("DE", "EUR", "Europe/Paris", "A1PA6795UKMFR9", "eu"),
    "FR": ("FR", "EUR", "Europe/Paris", "A13V1IB3VIYZZH", "eu"),
}


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    account: str
    issued: float
    used: bool = False


@dataclass
class FakeLwaConsent:
    data: AttributionData
    redirect_uris: list[str] = field(default_factory=list)  # registered for every app of `data.apps`
    # Amazon accounts that may sign in without seeded profiles: account -> marketplaces its profiles get.
    new_accounts: dict[str, list[str]] = field(default_factory=lambda: {"initech": ["UK", "DE", "FR"]})
    profiles_visible: bool = True
    clock: Callable[[], float] = time.time
    codes: dict[str, _Code] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accounts(self) -> list[str]:
        seeded = {p.account for p in self.data.profiles} | set(self.data.refresh_tokens.values())
        return sorted(seeded | set(self.new_accounts))

    # -- the page ------------------------------------------------------------------------------

    def page(self, query: dict[str, list[str]]) -> Response:
        q = {k: v[0] for k, v in query.items() if v}
        problem = self._trust_problem(q)
        if problem is not None:
            return _page(400, "Login with Amazon: an error occurred", problem)
        if q.get("response_type") != "code":
            return _back(q["redirect_uri"], {"error": "unsupported_response_type", "state": q.get("state", "")})
        if q.get("scope") != ADS_SCOPE:
            return _back(q["redirect_uri"], {"error": "invalid_scope", "state": q.get("state", "")})
        options = "".join(
            f'<option value="{html.escape(a)}">{html.escape(a.title())}</option>' for a in self.accounts()
        )
        hidden = "".join(
            f'<input type="hidden" name="{n}" value="{html.escape(q.get(n, ""))}">'
            for n in ("client_id", "scope", "response_type", "redirect_uri", "state")
        )
        body = (
            "<p>sellerbot (Ads) would like to access your Amazon Advertising data "
            f"({html.escape(ADS_SCOPE)}).</p>"
            f'<form method="post" action="/ap/oa">{hidden}'
            f'<label>Amazon account <select name="account">{options}</select></label>'
            '<button type="submit" name="action" value="allow">Allow</button>'
            '<button type="submit" name="action" value="cancel">Cancel</button></form>'
        )
        return _page(200, "Amazon Sign-In: consent", body, raw=True)

    def decide(self, form: dict[str, str]) -> Response:
        problem = self._trust_problem(form)
        if problem is not None:
            return _page(400, "Login with Amazon: an error occurred", problem)
        state = form.get("state", "")
        if form.get("action") != "allow":
            return _back(
                form["redirect_uri"],
                {"error": "access_denied", "error_description": DENIED_DESCRIPTION, "state": state},
            )
        account = form.get("account", "")
        if account not in self.accounts():
            return _page(400, "Amazon Sign-In", "Pick one of your Amazon accounts.")
        code = "ANfakeads" + secrets.token_urlsafe(18)
        with self._lock:
            self.codes[code] = _Code(form["client_id"], form["redirect_uri"], account, self.clock())
        return _back(form["redirect_uri"], {"code": code, "scope": ADS_SCOPE, "state": state})

    def _trust_problem(self, q: dict[str, str]) -> str | None:
        if q.get("client_id") not in self.data.apps:
            return "The client_id is not known to Login with Amazon (unknown_client)."
        redirect = q.get("redirect_uri", "")
        if not redirect or redirect not in self.redirect_uris:
            return "The redirect_uri is not an allowed return URL for this application."
        return None

    # -- the token route ---------------------------------------------------------------------------

    def grant_code(self, form: dict[str, str]) -> Response:
        client_id = form.get("client_id", "")
        if self.data.apps.get(client_id) is None or self.data.apps[client_id] != form.get("client_secret"):
            return _lwa_error(401, "invalid_client", "Client authentication failed")
        with self._lock:
            found = self.codes.get(form.get("code", ""))
            if found is None or found.used or self.clock() - found.issued > CODE_LIFETIME_SECONDS:
                return _lwa_error(400, "invalid_grant", CODE_ERROR)
            found.used = True  # single use, whatever the outcome below (RFC 6749 §4.1.2)
            if found.client_id != client_id or form.get("redirect_uri") != found.redirect_uri:
                return _lwa_error(400, "invalid_grant", CODE_ERROR)
            refresh = f"Atzr|fake-ads-consent.{found.account}.{secrets.token_urlsafe(12)}"
            self.data.refresh_tokens[refresh] = found.account
            if self.profiles_visible:
                self._enable(found.account)
        return json_response(
            200,
            {
                "access_token": "Atza|fake-ads-grant." + secrets.token_hex(8),
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )

    def show_profiles(self) -> None:
        """Amazon lists a new grant's profiles within 2 hours: the fake lists them from now on."""
        with self._lock:
            self.profiles_visible = True
            for account in set(self.data.refresh_tokens.values()):
                self._enable(account)

    def _enable(self, account: str) -> None:
        if account not in self.new_accounts or any(p.account == account for p in self.data.profiles):
            return
        rng = random.Random(account)
        base = 5512910465837760 + 10 * (sorted(self.new_accounts).index(account))
        for n, code in enumerate(self.new_accounts[account]):
            country, currency, zone, marketplace_id, region = _PROFILE_FIELDS[code]
            profile = FakeProfile(
                profile_id=base + n + 1,
                country_code=country,
                currency=currency,
                timezone=zone,
                marketplace_id=marketplace_id,
                region=region,
                account=account,
                seller_id=f"A{account.upper()}SELLER",
                name=account.title(),
                advertiser_id=str(223456780 + n),
                advertiser_name=f"{account.title()} Brand",
            )
            profile.rows = generate_rows(
                rng, self.data.publishers, days=90, tags_per_publisher=2, campaign_base=26719043400 + n * 1000
            )
            self.data.profiles.append(profile)


def _back(redirect_uri: str, params: dict[str, Any]) -> Response:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    response = Response(302, b"", "text/html")
    response.headers["Location"] = f"{redirect_uri}{separator}{urlencode(params)}"
    return response


def _lwa_error(status: int, error: str, description: str) -> Response:
    return json_response(status, {"error_description": description, "error": error})


def _page(status: int, title: str, text: str, *, raw: bool = False) -> Response:
    body = text if raw else f"<p>{html.escape(text)}</p>"
    page = (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return Response(status, page.encode(), "text/html; charset=utf-8")
