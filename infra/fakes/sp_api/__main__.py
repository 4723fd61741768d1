"""`python -m infra.fakes.sp_api [--port N]`: serve the SP-API sandbox until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from infra.fakes.sp_api.data import ORDERS_PER_PAIR, SandboxData
from infra.fakes.sp_api.server import FakeSpApi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.fakes.sp_api",
        description="Fake Amazon SP-API + LWA token service with the demo sandbox data (2 accounts x 2 marketplaces).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0 = any free port)")
    parser.add_argument("--enforce-rates", action="store_true", help="answer 429 beyond Amazon's default rates")
    parser.add_argument("--rate-scale", type=float, default=1.0, help="multiply every rate (benchmarks); default 1")
    parser.add_argument("--report-polls", type=int, default=2, help="getReport polls before DONE (default 2)")
    parser.add_argument(
        "--orders-per-pair",
        type=int,
        default=ORDERS_PER_PAIR,
        help=f"orders per account-marketplace (default {ORDERS_PER_PAIR})",
    )
    args = parser.parse_args(argv)
    if args.rate_scale <= 0 or args.report_polls < 0 or args.orders_per_pair < 0:
        parser.error("--rate-scale must be > 0; --report-polls and --orders-per-pair must be >= 0")
    fake = FakeSpApi(
        SandboxData.build(orders_per_pair=args.orders_per_pair),
        enforce_rates=args.enforce_rates,
        rate_scale=args.rate_scale,
        report_polls=args.report_polls,
        host=args.host,
        port=args.port,
    )
    base_url = fake.start()
    print(f"fake SP-API listening on {base_url}; environment for the bot:", flush=True)
    for key, value in fake.credentials_env().items():
        print(f"export {key}='{value}'", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
