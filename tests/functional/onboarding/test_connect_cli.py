"""The demo walk over real HTTP: `sellerbot slash '/sellerbot connect EU'`, then `sellerbot consent URL` plays
the seller on the fake Seller Central; the local server routes GET /amazon/callback to the amazonCallback
handler as a Lambda HTTP API event, and the new seller is usable at once (no restart)."""

from __future__ import annotations

import re

import pytest

from bot.cli import main
from infra.secrets import EnvCredentials


def test_connect_from_the_cli_walk(demo, capsys):
    env, url = demo
    assert main(["slash", "/sellerbot connect EU", "--url", url, "--user", "U0DEMOUSER"]) == 0
    out = capsys.readouterr().out
    link = re.search(r"http://127\.0\.0\.1:\d+/apps/authorize/consent\?[^\s|>]+", out)
    assert link, out
    assert main(["consent", link.group(0)]) == 0
    out = capsys.readouterr().out
    assert "Seller signs in as Initech" in out
    assert "is now connected to sellerbot as initech, with the marketplaces UK, DE, FR" in out
    assert "Connected *Initech* as account `initech`" in out
    assert "spapi_oauth_code=" not in out and "Atzr|" not in out
    token = EnvCredentials().refresh_token("initech").get_secret_value()
    assert env.fake_spapi.data.refresh_tokens[token] == "initech"
    # The same link again: the seller sees the refusal page, the admin is told.
    assert main(["consent", link.group(0)]) == 1
    out = capsys.readouterr().out
    assert "Link already used" in out and "used a second time" in out


def test_consent_help(capsys):
    with pytest.raises(SystemExit):
        main(["consent", "--help"])
    assert "Seller Central" in capsys.readouterr().out
