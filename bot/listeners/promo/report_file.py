"""Find and fetch the promo-code sales report a user uploaded to the channel (`/promo report`).

Only Slack-hosted files shared in the channel the command ran in are read, so a report
cannot be pulled from another channel or an arbitrary URL with the bot's token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from bot.deps import Deps
from bot.listeners.common import slack_error
from bot.views import kit

REPORT_EXTENSIONS = (".csv", ".tsv", ".txt")
REPORT_FILETYPES = {"csv", "tsv", "text"}
MAX_REPORT_BYTES = 20 * 1024 * 1024
"""Largest uploaded report `/promo report` reads (default 20 MB). A larger file is refused up front when
Slack's `size` says so, and otherwise its download is streamed and dropped once it passes this many bytes."""


class ReportFileError(Exception):
    pass


def _is_report_file(f: dict[str, Any]) -> bool:
    name = str(f.get("name") or "").lower()
    return f.get("filetype") in REPORT_FILETYPES or name.endswith(REPORT_EXTENSIONS)


def pick_report_file(deps: Deps, channel: str, file_id: str | None) -> dict[str, Any]:
    if file_id:
        try:
            info = deps.slack.files_info(file=file_id)["file"]
        except Exception as exc:
            raise ReportFileError(
                f"Slack cannot find file {file_id} ({slack_error(exc)}); check the id or upload the report again."
            ) from None
        shared_in = {*info.get("channels", []), *info.get("groups", []), *info.get("ims", [])}
        if channel not in shared_in:
            raise ReportFileError(
                f"File {file_id} is not shared in this channel; share it here first "
                "(sellerbot only reads reports from the channel you run the command in)."
            )
        if not _is_report_file(info):
            raise ReportFileError(
                f"File {file_id} (`{kit.escape(str(info.get('name')))}`, {kit.escape(str(info.get('filetype')))}) is not a CSV/TSV "
                "report; upload the .csv/.tsv/.txt Seller Central gives you."
            )
        return info
    files = deps.slack.files_list(channel=channel, count=50).get("files") or []
    candidates = [f for f in files if _is_report_file(f)]
    if not candidates:
        raise ReportFileError(
            "No CSV/TSV file in this channel. Download the report in Seller Central "
            "(Advertising → Promotions → Manage Promotions → Download report, or the All Orders "
            "report under Reports → Fulfillment), upload it here, "
            "then run `/promo report CODE` again (or give its FILE_ID)."
        )
    return max(candidates, key=lambda f: (f.get("created") or 0, f.get("timestamp") or 0))


def download_file(deps: Deps, info: dict[str, Any]) -> bytes:
    # Lazy: httpx costs ~60 ms of cold start; only `/promo report` downloads a file.
    import httpx

    name = kit.escape(str(info.get("name") or info.get("id")))  # an uploader chose it: shown as text
    cap = MAX_REPORT_BYTES
    too_big = ReportFileError(
        f"`{name}` is larger than {cap / 2**20:g} MB; download a shorter date range from Seller Central."
    )
    if int(info.get("size") or 0) > cap:
        raise too_big
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        raise ReportFileError(f"Slack gives no download link for `{name}`; upload it again as a file (not a snippet).")
    host = urlparse(url).hostname or ""
    api_host = urlparse(deps.settings.slack_api_url).hostname or ""
    if not (host == api_host or host == "slack.com" or host.endswith(".slack.com")):
        raise ReportFileError(f"`{name}` is hosted outside Slack ({host}); sellerbot only downloads Slack files.")
    token = deps.settings.slack_bot_token.get_secret_value()
    try:
        with httpx.stream(
            "GET", url, headers={"Authorization": f"Bearer {token}"}, timeout=20.0, follow_redirects=True
        ) as resp:
            if resp.status_code != 200:
                raise ReportFileError(
                    f"Could not download `{name}` (HTTP {resp.status_code}); the bot needs the files:read "
                    "scope and access to this channel."
                )
            if resp.headers.get("content-type", "").startswith("text/html"):
                raise ReportFileError(
                    f"Slack returned a login page instead of `{name}`; the bot token lacks files:read."
                )
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise too_big
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > cap:
                    raise too_big
    except httpx.HTTPError as exc:
        raise ReportFileError(f"Could not download `{name}` ({type(exc).__name__}); try again.") from None
    return bytes(body)
