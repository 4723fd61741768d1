"""Where the seller consents, and where Amazon may send the browser back to.

Seller Central hosts per region from Amazon's developer guide ("Seller Central URLs", reference
onboarding.md §1.2): the consent is regional, so one host per region is enough.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from handlers.onboarding.state import Region

CONSENT_PATH = "/apps/authorize/consent"
SELLER_CENTRAL = {
    "NA": "sellercentral.amazon.com",
    "EU": "sellercentral-europe.amazon.com",
    "FE": "sellercentral.amazon.co.jp",
}
REGIONS: tuple[Region, ...] = ("NA", "EU", "FE")
# The log-in URI's amazon_callback_uri must be Amazon's: Amazon's own domains, any Seller Central host.
_AMAZON_SUFFIXES = (
    ".amazon.com",
    ".amazon.ca",
    ".amazon.com.mx",
    ".amazon.com.br",
    ".amazon.co.uk",
    ".amazon.de",
    ".amazon.fr",
    ".amazon.it",
    ".amazon.es",
    ".amazon.nl",
    ".amazon.se",
    ".amazon.pl",
    ".amazon.com.tr",
    ".amazon.ae",
    ".amazon.in",
    ".amazon.com.be",
    ".amazon.eg",
    ".amazon.sa",
    ".amazon.co.jp",
    ".amazon.com.au",
    ".amazon.sg",
)


def consent_url(
    region: Region,
    *,
    application_id: str,
    state: str,
    redirect_uri: str,
    draft: bool,
    seller_central_base: str | None = None,
) -> str:
    """The Seller Central page the seller confirms on; `version=beta` while the app is a draft (else MD1000).
    `seller_central_base` replaces `https://<host>` (the fake Seller Central in the demo and tests)."""
    base = (seller_central_base or f"https://{SELLER_CENTRAL[region]}").rstrip("/")
    query = {"application_id": application_id, "state": state, "redirect_uri": redirect_uri}
    if draft:
        query["version"] = "beta"
    return f"{base}{CONSENT_PATH}?{urlencode(query)}"


def is_amazon_callback(url: str, *, extra_bases: tuple[str, ...] = ()) -> bool:
    """True for an https URL on one of Amazon's hosts (or one of `extra_bases`, the local fake)."""
    if any(base and url.startswith(base.rstrip("/") + "/") for base in extra_bases):
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or parts.port not in (None, 443):
        return False
    return any(host == suffix[1:] or host.endswith(suffix) for suffix in _AMAZON_SUFFIXES)


def login_redirect(amazon_callback_uri: str, *, redirect_uri: str, amazon_state: str, state: str, draft: bool) -> str:
    """The log-in URI's answer: back to Amazon's confirm URL with our redirect URI, Amazon's state and ours."""
    query = {"redirect_uri": redirect_uri, "amazon_state": amazon_state, "state": state}
    if draft:
        query["version"] = "beta"
    separator = "&" if urlsplit(amazon_callback_uri).query else "?"
    return f"{amazon_callback_uri}{separator}{urlencode(query)}"
