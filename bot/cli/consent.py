"""`sellerbot consent URL`: play the seller on the demo's fake Seller Central.

Opens the consent link `/sellerbot connect` gave, picks the seller (--seller: its id or name, default the
last one listed, the demo's Initech), clicks Confirm (or Cancel), follows Amazon's redirect to the bot's
/amazon/callback, and prints the page the seller sees and what the bot told the admin in Slack. The one-time
code is never printed.
"""

from __future__ import annotations

import argparse
import html
import re
from typing import Any
from urllib.parse import urlsplit

MAX_PAGE = 200_000
_OPTION = re.compile(r'<option value="([^"]*)">([^<]*)</option>')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_TAGS = re.compile(r"<[^>]+>")


def page_text(body: str) -> str:
    """The page's words: headings and paragraphs, tags dropped."""
    text = re.sub(r"<title>.*?</title>", "", body[:MAX_PAGE], flags=re.S)
    text = html.unescape(_TAGS.sub("", re.sub(r"</(h1|p)>", "\n", text)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def run(args: argparse.Namespace) -> int:
    import httpx  # the CLI's other commands do not need it at start

    with httpx.Client(timeout=args.timeout, follow_redirects=False) as http:
        if urlsplit(args.url).path == "/ap/oa":  # `/sellerbot connect ads`: Login with Amazon's page
            return _ads_consent(http, args)
        page = http.get(args.url)
        if page.status_code != 200:
            print(f"Seller Central answered {page.status_code}:\n{page_text(page.text)}")
            return 1
        sellers = [(html.unescape(v), html.unescape(t)) for v, t in _OPTION.findall(page.text)]
        if not sellers:
            print("The consent page lists no seller account.")
            return 1
        wanted = (args.seller or "").lower()
        chosen = next((s for s in sellers if wanted and wanted in (s[0].lower(), s[1].lower().split(" (")[0])), None)
        if args.seller and chosen is None:
            print("No such seller on this page. Listed: " + "; ".join(f"{v} {t}" for v, t in sellers))
            return 2
        seller_id, label = chosen or sellers[-1]
        form = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
        form.update({"selling_partner_id": seller_id, "action": "cancel" if args.cancel else "confirm"})
        parts = urlsplit(args.url)
        print(f"Seller signs in as {label} and clicks {'Cancel' if args.cancel else 'Confirm'}.")
        confirm = http.post(f"{parts.scheme}://{parts.netloc}/apps/authorize/confirm", data=form)
        if confirm.status_code != 302:
            print(page_text(confirm.text))
            return 0 if args.cancel else 1
        location = confirm.headers["location"]
        print(f"Amazon redirects to {location.split('?')[0]} (state, selling_partner_id, one-time code)")
        bot = urlsplit(location)
        base = f"{bot.scheme}://{bot.netloc}"
        try:
            since = int(http.get(base + "/_local/calls", params={"since": 0}).json().get("last", 0))
        except (httpx.HTTPError, ValueError):
            since = None
        answer = http.get(location)
        print(f"\nThe seller's page (HTTP {answer.status_code}):\n{page_text(answer.text)}")
        if since is not None:
            calls = http.get(base + "/_local/calls", params={"since": since}).json().get("calls", [])
            for call in calls:
                if call.get("method") == "chat.postMessage":
                    params = call.get("params", {})
                    print(f"\nSlack, to {params.get('channel')}:\n{params.get('text', '')}")
        return 0 if answer.status_code == 200 else 1


def _ads_consent(http: Any, args: argparse.Namespace) -> int:
    """The fake Login with Amazon page: sign in as --seller (an Amazon account; default the last listed), Allow
    (or Cancel), follow the redirect to /amazon/ads/callback, print the page and the admin's Slack message."""
    page = http.get(args.url)
    if page.status_code != 200:
        print(f"Login with Amazon answered {page.status_code}:\n{page_text(page.text)}")
        return 1
    accounts = [html.unescape(v) for v, _t in _OPTION.findall(page.text)]
    wanted = (args.seller or "").lower()
    if not accounts or (wanted and wanted not in accounts):
        print("No such Amazon account on this page. Listed: " + "; ".join(accounts))
        return 2
    account = wanted or accounts[-1]
    form = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
    form.update({"account": account, "action": "cancel" if args.cancel else "allow"})
    parts = urlsplit(args.url)
    print(f"Amazon user signs in as {account} and clicks {'Cancel' if args.cancel else 'Allow'}.")
    answer = http.post(f"{parts.scheme}://{parts.netloc}/ap/oa", data=form)
    if answer.status_code != 302:
        print(page_text(answer.text))
        return 1
    return _follow(http, answer.headers["location"], "(state, scope, one-time code)")


def _follow(http: Any, location: str, carries: str) -> int:
    print(f"Amazon redirects to {location.split('?')[0]} {carries}")
    bot = urlsplit(location)
    base = f"{bot.scheme}://{bot.netloc}"
    try:
        since = int(http.get(base + "/_local/calls", params={"since": 0}).json().get("last", 0))
    except Exception:  # no local server's call log: print the page only
        since = None
    answer = http.get(location)
    print(f"\nThe page (HTTP {answer.status_code}):\n{page_text(answer.text)}")
    if since is not None:
        for call in http.get(base + "/_local/calls", params={"since": since}).json().get("calls", []):
            if call.get("method") == "chat.postMessage":
                params = call.get("params", {})
                print(f"\nSlack, to {params.get('channel')}:\n{params.get('text', '')}")
    return 0 if answer.status_code == 200 else 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "consent",
        help="play the seller on the demo's Seller Central consent page (after /sellerbot connect)",
        description="Open a consent link from `/sellerbot connect`, confirm as a seller on the fake Seller "
        "Central, follow the redirect to the bot and print the page and the admin's Slack message.",
    )
    parser.add_argument("url", help="the consent link /sellerbot connect answered with")
    parser.add_argument("--seller", help="seller id or name to sign in as (default: the last listed)")
    parser.add_argument("--cancel", action="store_true", help="click Cancel instead of Confirm")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.set_defaults(func=run)
