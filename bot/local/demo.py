"""The demo defaults `make demo`, `sellerbot serve` and `sellerbot review` fall back on."""

from __future__ import annotations

import os
from pathlib import Path

# Credentials the embedded SP-API sandbox accepts (its LWA token service checks nothing else).
DEMO_LWA_ENV = {
    "SELLERBOT_LWA_APP_ID": "amzn1.application-oa2-client.demo",
    "SELLERBOT_LWA_CLIENT_SECRET": "demo-secret",
    "SELLERBOT_REFRESH_TOKEN_ACME": "Atzr|demo-acme",
    "SELLERBOT_REFRESH_TOKEN_GLOBEX": "Atzr|demo-globex",
}


def demo_store_url(directory: str | os.PathLike[str] = ".demo") -> str:
    path = Path(directory).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / 'sellerbot.db'}"
