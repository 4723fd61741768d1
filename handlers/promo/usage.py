"""The inline `/promo new` grammar in one line: shared by the parser and by the Slack command list, which
must not import the parser (it is loaded on the first /promo request, not at cold start)."""

INLINE_USAGE = (
    "CODE 20% ASIN1,ASIN2 +1d..+15d [--marketplace US] [--share-influencers yes|no] [--one-per-customer yes|no] "
    '[--note "..."]'
)
