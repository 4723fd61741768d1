"""Onboarding: connecting seller accounts through Amazon's OAuth, the first-run doctor, LWA secret rotation."""
