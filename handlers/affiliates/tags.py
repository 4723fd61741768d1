"""Attribution tags as copy-ready links, with Amazon's `aa_*` value rules checked first.

Rules (amazon-attribution.md §3 Tags): each `aa_*` value at most 255 characters and none of
/ & = # ? + ' " % $ (even escaped). A tag is a query string starting with "?", appended to a product
(detail) page: https://<store>/dp/<ASIN>?maas=…
"""

from __future__ import annotations

import re

AA_MAX_CHARS = 255
AA_FORBIDDEN = set("/&=#?+'\"%$")
ASIN = re.compile(r"^[A-Z0-9]{10}$")


def aa_problems(tag: str) -> list[str]:
    """What breaks Amazon's aa_* rules in `tag` (a query string); [] when it is fine.

    Values are checked as written (not URL-decoded): an escaped character (%2F) is refused like the
    character itself, and "+" is not read as a space.
    """
    problems = []
    for part in tag.lstrip("?").split("&"):
        name, _, value = part.partition("=")
        if not name.startswith("aa_"):
            continue
        if len(value) > AA_MAX_CHARS:
            problems.append(f"{name} is longer than {AA_MAX_CHARS} characters")
        bad = sorted(AA_FORBIDDEN.intersection(value))
        if bad:
            problems.append(f"{name} contains {' '.join(bad)}")
    return problems


def product_link(retail_host: str, asin: str | None, tag: str) -> str:
    """The product page with the tag, or the tag alone (to append to a page) without an ASIN."""
    query = tag if tag.startswith("?") else "?" + tag
    return f"https://{retail_host}/dp/{asin}{query}" if asin else query
