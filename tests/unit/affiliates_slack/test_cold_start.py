"""/affiliates is registered without importing its listeners, views, domain or Attribution client (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_cold_start_imports_none_of_the_affiliate_modules() -> None:
    code = (
        "import sys, bot.lambda_handler; "
        "print(sorted(m for m in sys.modules if 'affiliates' in m and m != 'bot.listeners.affiliates_routes'))"
    )
    env = {**os.environ, "SLACK_SIGNING_SECRET": "x"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
