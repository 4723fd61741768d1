"""Configurable promo-code rules with the sourced defaults.

Sources (see /work/shared/reference/sp-api.md §1.3, amazon-rules-and-peers.md §4.1):
- 8–12 alphanumerics, 5–80 % off, ≤ 30 days, active ~4 h after creation:
  Seller Central help "Create a social media promo code" [secondary copy].
- Codes stored uppercase, 0→O and 1→I converted: Seller Central help G202140170.
- Sharing with Influencers/Associates is on by default and cannot be changed
  after creation [unverified]; the US-only and Brand Registry limits are not in
  any primary source [unverified], hence configurable.
- 14-day recommendation: issue 5 ("at least two weeks for influencers to pick it up").
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class PromoRules(BaseModel):
    code_min_len: int = 8
    code_max_len: int = 12
    percent_min: float = 5
    percent_max: float = 80
    max_duration_days: int = 30
    recommended_min_days: int = 14
    min_lead_hours: float = 4
    sharing_marketplaces: list[str] = Field(default_factory=lambda: ["US"])
    sharing_requires_brand_registry: bool = True
    max_asins: int = 200


DEFAULT_RULES = PromoRules()

# Amazon folds these when it stores a code, so "TOP10TIX" and "TOPIOTIX" collide.
_FOLDED = {"0": "O", "1": "I"}
_CONFUSABLES = str.maketrans(_FOLDED)


def canonical_code(code: str) -> str:
    """The code as Amazon will compare it: uppercase with 0→O and 1→I."""
    return code.strip().upper().translate(_CONFUSABLES)


def lookalikes(code: str) -> dict[str, str]:
    """The digits in `code` Amazon folds to letters when it stores it ({"0": "O"}, in code order); empty
    when nothing folds. Letters O and I alone are stored as typed, so PROMOSALE folds nothing."""
    return {c: _FOLDED[c] for c in dict.fromkeys(code) if c in _FOLDED}
