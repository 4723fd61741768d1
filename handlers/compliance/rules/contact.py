"""Links, bare and obfuscated domains, email addresses, phone numbers, HTML (CONT-01/02/08/09/12)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from handlers.compliance.context import Ctx, Spans
from handlers.compliance.model import Detector, Rule

GUIDELINES = "Amazon Communication Guidelines (Seller Central G1701 / 200389080)"
MESSAGING_API = "Messaging API schema (messaging.json)"

_AMAZON_HOST = re.compile(
    r"(?:[a-z0-9-]+\.)*(?:amazon\.(?:com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|ae|sa|eg|in"
    r"|co\.jp|cn|com\.au|sg)|a\.co|amzn\.(?:to|eu|asia|com)|media-amazon\.com|ssl-images-amazon\.com)$"
)
# Amazon pages that serve marketing rather than the order: product detail pages and storefronts.
_AMAZON_MARKETING_PATH = re.compile(r"/(?:[^/\s]+/)?(?:dp|gp/product|stores|shops|s)(?:[/?]|$)|/s\?")
_TLDS = (
    r"com|net|org|info|biz|shop|store|online|site|top|xyz|io|co|de|fr|it|es|uk|cn|jp|eu|us|ca|au|nl|pl|be|at|ch"
    r"|me|ly|app|link"
)
_TLD_SPOKEN = r"com|net|org|info|shop|store|cn|eu|co\.uk|co"  # after "dot/punkt/point/punto/点": no word-like TLDs
_DOT_SPOKEN = r"\s*(?:\(\.\)|\[\.\]|\(dot\)|\[dot\]|\{dot\}|点)\s*|\s+(?:dot|punkt|point|punto)\s+"

_URL = r"https?://[^\s<>\"'()\[\]{}]+|www\s*\.\s*[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)*(?:/[^\s<>\"']*)?"
_SPOKEN = rf"(?<![\w@.-])[a-z0-9][a-z0-9-]+(?:{_DOT_SPOKEN})(?:{_TLD_SPOKEN})\b"

_TRAIL = ".,;:!?)]}>'\"。，！？、）"


def _host(url: str) -> str:
    u = re.sub(r"\s+", "", url)
    u = re.sub(r"^[a-z]+://", "", u)
    u = re.sub(r"(?:\(\.\)|\[\.\]|\(dot\)|\[dot\]|\{dot\}|点|dot|punkt|point|punto)", ".", u) if "." not in u else u
    return re.split(r"[/?#:]", u, maxsplit=1)[0].strip(".")


def _trim(m: re.Match[str]) -> tuple[int, int]:
    s, e = m.span()
    while e > s and m.string[e - 1] in _TRAIL:
        e -= 1
    return s, e


def is_amazon(url: str) -> bool:
    return _AMAZON_HOST.match(_host(url)) is not None


_URL_RX = re.compile(_URL)
_TLD_HIT = re.compile(rf"\.(?:{_TLDS})\b(?!\.\w|@)")  # starts with a literal "." -> fast scan
_LABELS_BEFORE = re.compile(r"[a-z0-9][a-z0-9.-]*$")
_DOMAIN_TAIL = re.compile(rf"\.(?:{_TLDS})(?:\.[a-z]{{2}})?\b(?:/[^\s<>\"']*)?")
_SPOKEN_RX = re.compile(_SPOKEN)
_SPOKEN_GATE = (" dot ", " punkt ", " point ", " punto ", "(dot)", "[dot]", "{dot}", "(.)", "[.]", "点")
_SPOKEN_TRIGGERS = (
    " dot ",
    "(dot)",
    "[dot]",
    "{dot}",
    "(.)",
    "[.]",
    " punkt ",
    " point ",
    " punto ",
    "点com",
    "点 com",
    "点net",
    "点cn",
    "点org",
)


def _bare_domains(low: str) -> Iterator[tuple[int, int]]:
    for hit in _TLD_HIT.finditer(low):
        i = hit.start()
        head = _LABELS_BEFORE.search(low, max(0, i - 64), i)
        if head is None:
            continue
        s = head.start()
        while s < i and low[s] in ".-":
            s += 1
        if s >= i or (s > 0 and (low[s - 1].isalnum() or low[s - 1] in "@._-/")):
            continue
        tail = _DOMAIN_TAIL.match(low, i)
        yield s, tail.end() if tail else hit.end()


def _trim_span(low: str, s: int, e: int) -> tuple[int, int]:
    while e > s and low[e - 1] in _TRAIL:
        e -= 1
    return s, e


def _links(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    out = Spans()
    if "http" in low or "www" in low:
        for m in _URL_RX.finditer(low):
            if not is_amazon(m.group()):
                out.append(_trim(m))
    if "." in low:
        for s, e in _bare_domains(low):
            s, e = _trim_span(low, s, e)
            if out.covers(s) or is_amazon(low[s:e]):
                continue
            # "order.It arrives": a sentence run-on, not a domain (domains are written in lower case)
            orig_s, orig_e = ctx.norm.span(s, e)
            tld = re.search(rf"\.({_TLDS})\b", low[s:e])
            if tld and not ctx.norm.original[orig_s:orig_e][tld.start(1) : tld.end(1)].islower():
                continue
            out.append((s, e))
    hits = (
        [(i, i + len(t)) for t in _SPOKEN_TRIGGERS if t in low for i in _find_all(low, t)]
        if any(t in low for t in _SPOKEN_GATE)
        else []
    )
    for ws, we in ctx.windows(hits, 0) if hits else ():
        for m in _SPOKEN_RX.finditer(low, ws, we):
            if not is_amazon(m.group()) and not out.covers(m.start()):
                out.append(m.span())
    return out


def _find_all(low: str, t: str) -> list[int]:
    out = []
    i = low.find(t)
    while i != -1:
        out.append(i)
        i = low.find(t, i + 1)
    return out


_AMAZON_URL = re.compile(r"amazon\.[a-z.]{2,6}/[^\s<>\"']+")


def _amazon_marketing_links(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    if "amazon." not in low:
        return []
    out = []
    for m in _AMAZON_URL.finditer(low):
        path = m.group()[m.group().index("/") :]
        if _AMAZON_MARKETING_PATH.search(path):
            s, e = _trim(m)
            for prefix in ("www.", "smile.", "https://", "http://"):
                if low[max(0, s - len(prefix)) : s] == prefix:
                    s -= len(prefix)
            out.append((s, e))
    return out


# Obfuscations: "(at)", "[at]", " at " (needs a dot-part), "@" with spaces, full-width (NFKC folds it).
_AT = r"\s*(?:@|\(at\)|\[at\]|\{at\}|\(@\)|艾特)\s*|\s+at\s+"
_DOT = r"\s*\.\s*|" + _DOT_SPOKEN
EMAIL = (
    rf"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*(?:{_AT})[a-z0-9-]+(?:(?:{_DOT})[a-z0-9-]+)*?"
    rf"(?:{_DOT})(?:com|net|org|de|fr|it|es|co\.uk|co|cn|jp|uk|eu|info|me|io|biz|shop|store)\b"
)

# Phones: a run of digits and separators, validated in Python (digits count, dates, order IDs, money).
_PHONE_RUN = re.compile(r"\d[\d \-./()]{5,24}\d")  # starts with a digit -> fast scan; extended in Python
_PHONE_CTX = re.compile(
    r"(?:call|phone|tel\b|telephone|mobile|cell|hotline|whatsapp|sms|text us|telefon|handy|anrufen|rufen|"
    r"téléphone|appel|portable|teléfono|llám|móvil|telefono|chiam|cellulare|电话|手机|致电|热线|電話|携帯|フリーダイヤル|"
    r"fax)[^\d\n]{0,25}$"
)
_NOT_PHONE_CTX = re.compile(
    r"(?:order|tracking|track|invoice|asin|sku|ref|reference|case|ticket|serial|model|part|batch|lot|ean|upc|isbn|imei"
    r"|s/n|seriennummer|série|serie|序列号|型号|シリアル|型番|bestell|sendung|rechnung|commande|suivi|facture"
    r"|pedido|seguimiento|factura|ordine|spedizione|fattura|订单|单号|运单|追踪|注文|追跡|伝票|#|no\.|nr\.|n°|nº)"
    r"[^\d\n]{0,20}$"
)
_DATE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:\s*[-/.]+\s*"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}))?$"
)
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


_UNIT_AFTER = re.compile(r"\s*(?:€|\$|£|¥|eur\b|euro|usd|gbp|円|元|yen|dollars?|%|km|kg|mm|cm|ml|g\b|x\b)")
_MONEY_END = re.compile(r"\d[.,]\d{2}$")
_NANP = re.compile(r"\d{3}[-. ]\d{3}[-. ]\d{4}")


def _phones(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    out = []
    for m in _PHONE_RUN.finditer(low):
        s, e = m.span()
        if e < len(low) and (low[e].isalnum() or low[e] == "_"):
            continue
        if s > 0 and low[s - 1] == "(":
            s -= 1
        while s > 0 and low[s - 1] == " " and s > 1 and low[s - 2] == "+":
            s -= 1
        if s > 0 and low[s - 1] == "+":
            s -= 1
        if s > 0 and (low[s - 1].isalnum() or low[s - 1] in "_+"):
            continue
        run = low[s:e]
        while run and run[-1] in ").":
            run, e = run[:-1], e - 1
        if run.count("(") != run.count(")") and run.startswith("(") and run.count("(") > run.count(")"):
            run, s = run[1:], s + 1
        digits = sum(map(str.isdigit, run))
        if not 7 <= digits <= 15 or _DATE.match(run) or _ORDER_ID.match(run):
            continue
        before = low[max(0, s - 30) : s]
        if _UNIT_AFTER.match(low, e) or before.rstrip().endswith(("$", "€", "£", "¥", "usd", "eur")):
            continue
        if _MONEY_END.search(run) and not run.startswith("+"):  # 1.299,00 / 1,299.00: money
            continue
        phone_ctx = _PHONE_CTX.search(before) is not None
        if not phone_ctx and _NOT_PHONE_CTX.search(before):
            continue
        separated = any(c in run for c in " -./()")
        if (
            phone_ctx
            or run.startswith(("+", "00", "("))
            or (separated and digits >= 8 and run[0] == "0")
            or (separated and _NANP.fullmatch(run))
        ):
            out.append((s, e))
    return out


def _html(ctx: Ctx) -> list[tuple[int, int]]:
    if "<" not in ctx.low and "&" not in ctx.low:
        return []
    return [
        m.span()
        for m in re.finditer(
            r"</?(?:a|b|i|u|p|br|hr|div|span|img|table|tr|td|th|tbody|strong|em|h[1-6]|ul|ol|li|font|center|html|body"
            r"|head|style|script|iframe|link|meta|small|big|sup|sub|blockquote|pre|code|section|header|footer)\b[^<>]{0,300}>"
            r"|&(?:nbsp|amp|lt|gt|quot|copy|reg);",
            ctx.low,
        )
    ]


_MAIL_PROVIDERS = {
    "gmail",
    "googlemail",
    "yahoo",
    "outlook",
    "hotmail",
    "gmx",
    "web",
    "icloud",
    "qq",
    "163",
    "126",
    "aol",
    "live",
    "mail",
    "t-online",
    "orange",
    "free",
    "libero",
    "protonmail",
    "proton",
    "yandex",
    "msn",
    "wanadoo",
    "laposte",
    "sina",
    "foxmail",
    "docomo",
    "ezweb",
    "softbank",
    "naver",
}
_SPACED_AT = re.compile(r"\s+at\s+")
_SPELLED_DOT = re.compile(r"\s(?:dot|punkt|point|punto)\s|\(dot\)|\[dot\]|\{dot\}|点")


def _plausible_email(ctx: Ctx, m: re.Match[str]) -> bool:
    """ "shop at greenhome.de" is a web address (CONT-01), "anna at gmail.com" / "x at y dot com" an email."""
    text = m.group()
    at = _SPACED_AT.search(text)
    if at is None or "@" in text or "(at)" in text or "[at]" in text or "{at}" in text:
        return True
    domain = text[at.end() :]
    first = re.split(r"[\s.(\[{点]", domain, maxsplit=1)[0]
    if first == "www":
        return False
    return first in _MAIL_PROVIDERS or _SPELLED_DOT.search(domain) is not None


RULES = [
    Rule(
        "CONT-01",
        "Link that is not an Amazon link",
        "violation",
        GUIDELINES + "; " + MESSAGING_API,
        "Links are allowed only to Amazon (e.g. the buyer's order page); web addresses, bare domains and spelled-out "
        'addresses ("example dot com") are not.',
        "remove",
        "Remove the address; point the buyer to their order in Your Orders on Amazon.",
        scan=_links,
    ),
    Rule(
        "CONT-02",
        "Amazon product or storefront link",
        "warning",
        GUIDELINES,
        "Links to Amazon product pages or storefronts are allowed only when needed for this order, never to market "
        "other products.",
        "remove",
        "Keep only links the buyer needs for this order (the order page or the review page).",
        scan=_amazon_marketing_links,
    ),
    Rule(
        "CONT-08",
        "Email address",
        "violation",
        GUIDELINES + "; " + MESSAGING_API,
        "Email addresses are not allowed, including obfuscated ones and those in signatures; buyers reply through "
        "Buyer-Seller Messaging.",
        "contact",
        "Remove the email address.",
        detectors=[
            Detector(
                EMAIL,
                (
                    "@",
                    "(at)",
                    "[at]",
                    "{at}",
                    "艾特",
                    " dot ",
                    "(dot)",
                    "[dot]",
                    "{dot}",
                    " punkt ",
                    " point ",
                    " punto ",
                    "点com",
                    "点 com",
                    "点net",
                    "点cn",
                    "点org",
                    ".com",
                    ".net",
                    ".org",
                    ".de",
                    ".fr",
                    ".it",
                    ".es",
                    ".co",
                    ".cn",
                    ".jp",
                    ".uk",
                    ".eu",
                    ".info",
                    ".me",
                    ".io",
                    ".biz",
                    ".shop",
                    ".store",
                ),
                _plausible_email,
            )
        ],
    ),
    Rule(
        "CONT-09",
        "Telephone number",
        "violation",
        GUIDELINES,
        "Telephone numbers are not allowed; keep the conversation in Buyer-Seller Messaging.",
        "contact",
        "Remove the telephone number.",
        scan=_phones,
    ),
    Rule(
        "CONT-12",
        "HTML markup",
        "violation",
        MESSAGING_API,
        "HTML is not allowed: messages must be plain text.",
        "remove",
        "Remove the HTML tags; send plain text.",
        scan=_html,
    ),
]
