"""What connecting a seller says: the consent link in Slack, the page the seller sees after Amazon, and what
the admin is told. Pages are plain HTML with every value escaped; Slack text goes through kit.escape."""

from __future__ import annotations

import html
from typing import Any

from bot.views import kit
from handlers.onboarding.flow import Outcome, Refusal

REGION_MARKETPLACES = {"NA": "US, CA, MX", "EU": "UK, DE, FR, IT, ES", "FE": "JP"}
USAGE = "/sellerbot connect [NA|EU|FE] [ACCOUNT]"
PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Referrer-Policy": "no-referrer",  # the callback URL carries the code and the state
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}
NEW_LINK = "Ask your sellerbot admin for a new link (in Slack: /sellerbot connect)."
# What the seller's browser shows for each refusal: what happened, that nothing was stored, what to do.
REFUSAL_PAGES: dict[Refusal, tuple[str, str]] = {
    Refusal.MISSING_PARAMS: (
        "Incomplete request",
        "This address needs the values Amazon adds when it sends you back (state, selling_partner_id and "
        f"spapi_oauth_code). Nothing was connected. {NEW_LINK}",
    ),
    Refusal.FORGED_STATE: (
        "Link not valid",
        f"This authorization link was not made by sellerbot, or it was changed. Nothing was connected. {NEW_LINK}",
    ),
    Refusal.UNKNOWN_STATE: (
        "Link not known",
        f"sellerbot has no record of this authorization link. Nothing was connected. {NEW_LINK}",
    ),
    Refusal.REUSED_STATE: (
        "Link already used",
        f"This authorization link was used already; each link works once. Nothing more was connected. {NEW_LINK}",
    ),
    Refusal.EXPIRED_STATE: (
        "Link expired",
        f"This authorization link expired: links work for 10 minutes. Nothing was connected. {NEW_LINK}",
    ),
    Refusal.WRONG_REDIRECT: (
        "Wrong address",
        "Amazon sent you to an address this link was not made for. Nothing was connected. Your sellerbot admin "
        "needs to check the redirect URI registered for the app in Amazon's Solution Provider Portal.",
    ),
    Refusal.CODE_REFUSED: (
        "Amazon refused the authorization",
        "Amazon did not accept the one-time authorization code (it works once and for five minutes). Nothing was "
        f"connected. {NEW_LINK} Then confirm on Amazon's page within five minutes.",
    ),
    Refusal.APP_REFUSED: (
        "Amazon refused sellerbot's app credentials",
        "Amazon did not accept sellerbot's Login with Amazon client id or secret. Nothing was connected. Your "
        "sellerbot admin needs to check the app's LWA credentials (sellerbot doctor), then send a new link.",
    ),
    Refusal.AMAZON_UNAVAILABLE: (
        "Amazon did not answer",
        f"Amazon could not be reached or answered with an error. Nothing was connected. Try again in a few minutes. "
        f"{NEW_LINK}",
    ),
    Refusal.OTHER_SELLER: (
        "Different seller account",
        "You signed in with a different Amazon seller account than the one this link renews. Nothing was changed. "
        "Sign in with the account the link was made for, or ask your sellerbot admin for a link for a new account.",
    ),
    Refusal.NOT_AMAZON: (
        "Not from Amazon",
        "This sign-in did not come from Amazon's Seller Central. Nothing was connected.",
    ),
    Refusal.UNKNOWN_SELLER: (
        "Start from Slack",
        "sellerbot does not know this seller account yet. Nothing was connected. Ask your agency's sellerbot admin "
        "to send you a link from Slack (/sellerbot connect), and authorize from that link.",
    ),
    Refusal.NOT_CONFIGURED: (
        "sellerbot is not set up for this yet",
        "sellerbot's Amazon app settings are missing. Nothing was connected. Your sellerbot admin needs to set "
        "SELLERBOT_SPAPI_APP_ID and SELLERBOT_AMAZON_CALLBACK_URL.",
    ),
}
# What the admin is told in Slack when a refusal can be traced to them (one line, no values from the request).
REFUSAL_NOTES: dict[Refusal, str] = {
    Refusal.REUSED_STATE: "the consent link was used a second time (each link works once)",
    Refusal.EXPIRED_STATE: "the consent link had expired (links work for 10 minutes)",
    Refusal.FORGED_STATE: "the consent link did not match what sellerbot issued",
    Refusal.WRONG_REDIRECT: "Amazon sent the seller to another redirect URI than the link was made for",
    Refusal.CODE_REFUSED: "Amazon refused the one-time code (used already or older than five minutes)",
    Refusal.APP_REFUSED: "Amazon refused the app's LWA client id or secret (run `sellerbot doctor`)",
    Refusal.AMAZON_UNAVAILABLE: "Amazon could not be reached or answered with an error",
    Refusal.OTHER_SELLER: "the seller signed in with a different seller account than the one being renewed",
}


def consent_link(region: str, url: str, *, account_id: str | None) -> dict[str, Any]:
    what = f"renew the authorization of `{kit.escape(account_id)}`" if account_id else "connect a seller account"
    text = (
        f"Open this link to {what} ({region}: {REGION_MARKETPLACES[region]}). Sign in to Seller Central as the "
        "account's primary user (or a user with *Manage Authorized Partners*) and click *Confirm*. The link works "
        "once, for 10 minutes, and is tied to you: you are told here what it connected. You can forward it to the seller."
    )
    return kit.message(
        f"Connect a seller account ({region}): {url}",
        [kit.section(text), kit.section(f"<{kit.escape(url)}|Authorize sellerbot in Seller Central ({region})>")],
    )


def connected_note(outcome: Outcome) -> dict[str, Any]:
    verb = "Reconnected" if outcome.reconnected else "Connected"
    marketplaces = ", ".join(outcome.marketplaces) or "none the bot serves yet"
    text = (
        f":white_check_mark: {verb} *{kit.escape(outcome.account_name)}* as account "
        f"`{kit.escape(outcome.account_id or '')}`: seller {kit.escape(outcome.selling_partner_id or '')}, "
        f"region {kit.escape(outcome.region or '')}, marketplaces {kit.escape(marketplaces)}. "
        "Set its alert channels with `/sellerbot accounts`."
    )
    return kit.message(text, [kit.section(text)], ephemeral=False)


def refusal_note(outcome: Outcome) -> dict[str, Any] | None:
    """The admin's Slack line for a refusal, or None when nobody can be named (a forged state)."""
    if outcome.refusal is None or outcome.refusal not in REFUSAL_NOTES:
        return None
    region = outcome.region or "NA"
    text = (
        f":warning: A seller authorization was refused: {REFUSAL_NOTES[outcome.refusal]}. Nothing was connected. "
        f"For a new link: `/sellerbot connect {region}`."
    )
    return kit.message(text, [kit.section(text)], ephemeral=False)


def page(outcome: Outcome) -> tuple[str, str]:
    """(title, paragraph) of the page the seller's browser shows."""
    if outcome.refusal is not None:
        return REFUSAL_PAGES[outcome.refusal]
    verb = "reconnected" if outcome.reconnected else "connected"
    return (
        "Connected",
        f"Your Amazon seller account {outcome.selling_partner_id} ({outcome.region}) is now {verb} to sellerbot as "
        f"{outcome.account_id}, with the marketplaces {', '.join(outcome.marketplaces) or 'none the bot serves yet'}. "
        "You can close this page.",
    )


def render_page(title: str, text: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)} · sellerbot</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">'
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
