"""What connecting Amazon Ads says: the consent link in Slack, the page after Amazon, the admin's note.

Pages are plain HTML with every value escaped (bot/views/connect.py's render_page); Slack text goes through
kit.escape. No code, token or secret is ever an argument here.
"""

from __future__ import annotations

from typing import Any

from bot.views import kit
from handlers.onboarding.ads import AdsOutcome, AdsRefusal

USAGE = "/sellerbot connect ads ACCOUNT"
NEW_GRANT_DELAY = "a new grant can take up to 2 hours to show its profiles"
NEW_LINK = "Ask your sellerbot admin for a new link (in Slack: /sellerbot connect ads ACCOUNT)."

REFUSAL_PAGES: dict[AdsRefusal, tuple[str, str]] = {
    AdsRefusal.MISSING_PARAMS: (
        "Incomplete request",
        "This address needs the values Amazon adds when it sends you back (state and code, or error). Nothing was "
        f"connected. {NEW_LINK}",
    ),
    AdsRefusal.FORGED_STATE: (
        "Link not valid",
        "This Amazon Ads authorization link was not made by sellerbot, was changed, or belongs to another kind of "
        f"authorization. Nothing was connected. {NEW_LINK}",
    ),
    AdsRefusal.UNKNOWN_STATE: (
        "Link not known",
        f"sellerbot has no record of this authorization link. Nothing was connected. {NEW_LINK}",
    ),
    AdsRefusal.REUSED_STATE: (
        "Link already used",
        f"This authorization link was used already; each link works once. Nothing more was connected. {NEW_LINK}",
    ),
    AdsRefusal.EXPIRED_STATE: (
        "Link expired",
        f"This authorization link expired: links work for 10 minutes. Nothing was connected. {NEW_LINK}",
    ),
    AdsRefusal.WRONG_REDIRECT: (
        "Wrong address",
        "Amazon sent you to an address this link was not made for. Nothing was connected. Your sellerbot admin "
        "needs to check the Allowed Return URLs of sellerbot's Amazon Ads app (Login with Amazon security profile).",
    ),
    AdsRefusal.DENIED: (
        "Not authorized",
        "You did not allow sellerbot to read your Amazon Ads data (or Amazon refused the request). Nothing was "
        "connected. To connect later, ask your sellerbot admin for a new link.",
    ),
    AdsRefusal.CODE_REFUSED: (
        "Amazon refused the authorization",
        "Amazon did not accept the one-time authorization code (it works once and for a few minutes). Nothing was "
        f"connected. {NEW_LINK}",
    ),
    AdsRefusal.APP_REFUSED: (
        "Amazon refused sellerbot's Ads app credentials",
        "Amazon did not accept sellerbot's Amazon Ads client id or secret. Nothing was connected. Your sellerbot "
        "admin needs to check the Ads app credentials (<prefix>/ads-app), then send a new link.",
    ),
    AdsRefusal.AMAZON_UNAVAILABLE: (
        "Amazon did not answer",
        f"Amazon could not be reached or answered with an error. Nothing was connected. Try again in a few minutes. "
        f"{NEW_LINK}",
    ),
    AdsRefusal.UNKNOWN_ACCOUNT: (
        "Account no longer there",
        "The sellerbot account this link was made for was removed. Nothing was connected.",
    ),
    AdsRefusal.NOT_CONFIGURED: (
        "sellerbot is not set up for this yet",
        "sellerbot's Amazon Ads app settings are missing. Nothing was connected. Your sellerbot admin needs to set "
        "the Ads app's client id and secret (<prefix>/ads-app) and SELLERBOT_AMAZON_CALLBACK_URL.",
    ),
}
REFUSAL_NOTES: dict[AdsRefusal, str] = {
    AdsRefusal.REUSED_STATE: "the consent link was used a second time (each link works once)",
    AdsRefusal.EXPIRED_STATE: "the consent link had expired (links work for 10 minutes)",
    AdsRefusal.WRONG_REDIRECT: "Amazon sent the browser to another redirect URI than the link was made for",
    AdsRefusal.DENIED: "the Amazon user did not allow access (Cancel on Amazon's page)",
    AdsRefusal.CODE_REFUSED: "Amazon refused the one-time code (used already or expired)",
    AdsRefusal.APP_REFUSED: "Amazon refused the Ads app's client id or secret (check <prefix>/ads-app)",
    AdsRefusal.AMAZON_UNAVAILABLE: "Amazon could not be reached or answered with an error",
    AdsRefusal.UNKNOWN_ACCOUNT: "the account was removed after the link was made",
    AdsRefusal.NOT_CONFIGURED: "the Ads app's client id and secret are not configured",
}


def consent_link(account_id: str, region: str, url: str) -> dict[str, Any]:
    text = (
        f"Open this link to connect Amazon Ads (Attribution) for `{kit.escape(account_id)}` ({region}). Sign in "
        "with the Amazon account that has the seller's Amazon Ads access and click *Allow*. The link works once, "
        "for 10 minutes, and is tied to you: you are told here which marketplaces got an Attribution profile. You "
        "can forward it to the seller."
    )
    return kit.message(
        f"Connect Amazon Ads for {account_id} ({region}): {url}",
        [kit.section(text), kit.section(f"<{kit.escape(url)}|Authorize sellerbot in Amazon Ads ({region})>")],
    )


def connected_note(outcome: AdsOutcome) -> dict[str, Any]:
    account = kit.escape(outcome.account_id or "")
    lines = [f":white_check_mark: Amazon Ads connected for `{account}` ({kit.escape(outcome.region or '')})."]
    if outcome.with_profile:
        found = ", ".join(f"{kit.escape(p.marketplace)} ({kit.escape(p.currency)})" for p in outcome.with_profile)
        lines.append(f"Attribution profiles: {found}. `/affiliates {account}` shows them.")
    if outcome.without_profile:
        missing = ", ".join(kit.escape(m) for m in outcome.without_profile)
        why = "Amazon did not list the profiles just now" if outcome.profiles_unread else NEW_GRANT_DELAY
        if outcome.with_profile:
            lines.append(f"No profile yet for {missing}: {why}; `/affiliates` looks again on each use.")
        else:
            lines.append(
                f"No marketplace has an Attribution profile yet ({missing}): {why}. `/affiliates` looks again on "
                "each use."
            )
    if outcome.not_attribution:
        lines.append(
            f"Amazon Attribution does not exist for {', '.join(kit.escape(m) for m in outcome.not_attribution)}."
        )
    text = " ".join(lines)
    return kit.message(text, [kit.section(text)], ephemeral=False)


def refusal_note(outcome: AdsOutcome) -> dict[str, Any] | None:
    if outcome.refusal is None or outcome.refusal not in REFUSAL_NOTES:
        return None
    account = (outcome.record.account_id if outcome.record else None) or "ACCOUNT"
    text = (
        f":warning: Connecting Amazon Ads for `{kit.escape(account)}` was refused: "
        f"{REFUSAL_NOTES[outcome.refusal]}. Nothing was stored. For a new link: "
        f"`/sellerbot connect ads {kit.escape(account)}`."
    )
    return kit.message(text, [kit.section(text)], ephemeral=False)


def page(outcome: AdsOutcome) -> tuple[str, str]:
    if outcome.refusal is not None:
        return REFUSAL_PAGES[outcome.refusal]
    found = ", ".join(p.marketplace for p in outcome.with_profile)
    profiles = (
        f"Attribution profiles found for {found}." if found else f"No Attribution profile yet: {NEW_GRANT_DELAY}."
    )
    return (
        "Amazon Ads connected",
        f"sellerbot can now read Amazon Attribution for {outcome.account_id}. {profiles} You can close this page.",
    )
