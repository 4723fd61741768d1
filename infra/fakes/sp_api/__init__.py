"""Fake SP-API + LWA over HTTP: `FakeSpApi(data=None, enforce_rates=False).start() -> base_url`.

Also runnable on its own: `python -m infra.fakes.sp_api --port 8901`.
"""

from infra.fakes.sp_api.data import (
    DEMO_LWA_APP_ID,
    DEMO_LWA_CLIENT_SECRET,
    DEMO_REFRESH_TOKENS,
    FakeOrder,
    SandboxData,
    generate_orders,
)
from infra.fakes.sp_api.faults import Faults
from infra.fakes.sp_api.server import FakeSpApi, FakeStats

__all__ = [
    "DEMO_LWA_APP_ID",
    "DEMO_LWA_CLIENT_SECRET",
    "DEMO_REFRESH_TOKENS",
    "FakeOrder",
    "FakeSpApi",
    "FakeStats",
    "Faults",
    "SandboxData",
    "generate_orders",
]
