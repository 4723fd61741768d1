"""The demo walk of issue 21, over real HTTP against the local server (`make demo`), with the `sellerbot` CLI only:
connect a third seller from Slack, the seller consents on the fake Seller Central, the admin lists and configures
it, and its first health check and /promo work, all without a restart."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bot.cli import main
from handlers.health.check_state import CheckStateBook

ADMIN = ["--user", "U0ADMIN", "--channel", "C0OPS"]
WALK: list[str] = []  # every command and what it printed; SELLERBOT_WALK_OUT=FILE writes it (the README's walk)


def sellerbot(capsys, *argv: str, code: int = 0) -> str:
    assert main(list(argv)) == code, capsys.readouterr()
    out = capsys.readouterr().out
    WALK.append(f"$ sellerbot {' '.join(argv)}\n{out}")
    return out


def test_connect_configure_first_health_check_and_promo_without_a_restart(demo, store, capsys):
    _env, url = demo
    at = ["--url", url]

    # 1. The admin asks for a consent link.
    out = sellerbot(capsys, "slash", "/sellerbot connect EU", *at, *ADMIN)
    link = re.search(r"http://127\.0\.0\.1:\d+/apps/authorize/consent\?[^\s|>]+", out)
    assert link, out

    # 2. The seller consents in (the fake) Seller Central; the admin is told in Slack.
    out = sellerbot(capsys, "consent", link.group(0), "--seller", "initech")
    assert "is now connected to sellerbot as initech, with the marketplaces UK, DE, FR" in out
    assert "Connected *Initech* as account `initech`" in out

    # 3. /sellerbot accounts lists it, not configured yet.
    out = sellerbot(capsys, "slash", "/sellerbot accounts", *at, *ADMIN)
    assert "*Initech* (`initech`) · EU" in out
    assert "*UK*: :large_green_circle: connected · no alert channel yet: Configure" in out
    assert "accounts_configure 'initech|UK'" in out

    # 4. Configure UK: the modal, then Save with an alert channel.
    out = sellerbot(capsys, "click", "accounts_configure", "initech|UK", *at, *ADMIN)
    assert "callback_id accounts_configure_submit" in out
    out = sellerbot(capsys, "submit", "--field", "alert_channel=C0INITECHUK", *at, *ADMIN)
    assert "saved the settings of `initech` UK" in out
    out = sellerbot(capsys, "slash", "/sellerbot accounts", *at, *ADMIN)
    assert "*UK*: :large_green_circle: connected · alerts <#C0INITECHUK>" in out

    # 5. The first health check: posted into the new channel, and /health shows it.
    out = sellerbot(capsys, "slash", "/health check initech UK", *at, *ADMIN)
    assert CheckStateBook(store).get("initech", "UK").last_success_at is not None
    out = sellerbot(capsys, "slash", "/health initech UK", *at, *ADMIN)
    assert "*initech* UK — healthy · account NORMAL" in out and "alerts go to <#C0INITECHUK>" in out

    # 6. /promo for the new account.
    out = sellerbot(capsys, "slash", "/promo list --account initech", *at, *ADMIN)
    assert "initech" in out.lower() or "Initech" in out
    if os.environ.get("SELLERBOT_WALK_OUT"):
        Path(os.environ["SELLERBOT_WALK_OUT"]).write_text("\n".join(WALK), encoding="utf-8")
