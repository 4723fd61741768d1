"""A fake Amazon Attribution API (LWA token, /v2/profiles, /attribution/*) over HTTP; see server.py."""

from infra.fakes.attribution.data import AttributionData
from infra.fakes.attribution.server import FakeAttribution, FakeSettings, Fault

__all__ = ["AttributionData", "FakeAttribution", "FakeSettings", "Fault"]
