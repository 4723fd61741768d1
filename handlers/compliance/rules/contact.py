"""Links, bare and obfuscated domains, email addresses, phone numbers, HTML (CONT-01/02/08/09/12)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

import phonenumbers
import tldextract

from handlers.compliance.context import Ctx
from handlers.compliance.model import Rule

GUIDELINES = "Amazon Communication Guidelines (Seller Central G1701 / 200389080)"
MESSAGING_API = "Messaging API schema (messaging.json)"

_AMAZON_HOST = re.compile(
    r"(?:[a-z0-9-]+\.)*(?:amazon\.(?:com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|ae|sa|eg|in"
    r"|co\.jp|cn|com\.au|sg)|a\.co|amzn\.(?:to|eu|asia|com)|media-amazon\.com|ssl-images-amazon\.com)$"
)
# Amazon pages that serve marketing rather than the order: product detail pages and storefronts.
_AMAZON_MARKETING_PATH = re.compile(r"/(?:[^/\s]+/)?(?:dp|gp/product|stores|shops|s)(?:[/?]|$)|/s\?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- web addresses -----------------------------------------------------------------------------------
# Patterns run on the normalised text (NFKC, lower case): full-width "ｇｒｅｅｎ．ｃｏｍ" arrives as "green.com"
# and spans map back. ASCII look-arounds instead of \b, because a CJK character is a word character:
# "请访问greenhome-shop.com了解" has no \b before the "g".
_TLDS_COMMON = _words(
    "com net org info biz shop store online site top xyz io co app link club vip tech website email page blog"
)
# real TLDs that are mostly file extensions
_FILE_SUFFIXES = frozenset(("zip", "mov", "md", "py", "sh", "rs", "ps", "so"))
# The bundled public-suffix snapshot: no network, no disk cache; loaded once at import (about 25 ms).
_PSL = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
_PSL("example.com")

_DOT_WORD = r"dot|punkt|point|punto|ponto|kropka|nokta|punt|نقطة"
_DOT_CJK = r"点|點|ドット|どっと"
_DOT_SPOKEN = (
    rf"\s{{0,3}}(?:\(\.\)|\[\.\]|[(\[{{](?:{_DOT_WORD}|{_DOT_CJK})[)\]}}]|{_DOT_CJK})\s{{0,3}}"
    rf"|\s{{1,3}}(?:{_DOT_WORD})\s{{1,3}}"
)
_TLD_SPOKEN = re.compile(r"(?:com|net|org|info|shop|store|co\.uk|co\.jp|com\.[a-z]{2}|(?P<cc>[a-z]{2}))(?![a-z0-9-])")
# After a dot WORD a two-letter TLD is also a word ("le point de retrait", "el punto es", "this point it is"):
# it counts only at the end of a clause, after a name that is not a determiner.
_CC_END = re.compile(r"\s{0,3}(?:$|[\n.,;:!?)」』。，！？、]|[^\x00-\x7f])")
_DETERMINERS = _words(
    "a an the this that which what some any one le la les un une ce cet cette el los las una este esta ese esa"
    " il lo gli questo questa quel der die das dem den ein eine einem einen dieser diese jeder o os um uma"
    " ten ta to het een deze bu şu her"
)

_URL_RX = re.compile(
    r"https?://[^\s<>\"'()\[\]{}]{1,2000}|www\s?\.\s?[a-z0-9-]{1,63}+(?:\s?\.\s?[a-z0-9-]{1,63}+){0,6}"
    r"(?:/[^\s<>\"']{0,2000})?"
)
# A host-like token: labels joined by dots, possessive so a long run of letters costs one pass.
_HOST_RX = re.compile(r"(?<![a-z0-9@._/-])[a-z0-9][a-z0-9-]*+(?:\.[a-z0-9-]++)++")
_PATH_RX = re.compile(r"/[a-z0-9._~:/?#\[\]@!$&*+,;=%-]*+")

_TRAIL = ".,;:!?)]}>'\"。，！？、）"


def _host(url: str) -> str:
    u = re.sub(r"\s+", "", url)
    u = re.sub(r"^[a-z]+://", "", u)
    if "." not in u:
        u = re.sub(rf"[(\[{{]?(?:{_DOT_WORD}|{_DOT_CJK}|\.)[)\]}}]?", ".", u)
    return re.split(r"[/?#:]", u, maxsplit=1)[0].strip(".")


def _trim(m: re.Match[str]) -> tuple[int, int]:
    s, e = m.span()
    while e > s and m.string[e - 1] in _TRAIL:
        e -= 1
    return s, e


@functools.lru_cache(maxsize=4096)
def is_amazon(url: str) -> bool:
    host = _host(url)
    return _AMAZON_HOST.match(host) is not None or _PSL(host).domain in ("amazon", "amzn")


@functools.lru_cache(maxsize=4096)
def _domain_ok(host: str, *, structured: bool) -> bool:
    """A registrable domain under a public suffix (bundled list); dictionary-word gTLDs ("done.now") need
    structure (www., a subdomain, a path, or a hyphen/digit in the name)."""
    labels = host.split(".")
    if labels[-1].isdigit() or not all(labels):
        return False
    ext = _PSL(host)
    if not ext.suffix or not ext.domain or ext.suffix in _FILE_SUFFIXES:
        return False
    last = ext.suffix.rsplit(".", 1)[-1]
    if len(last) == 2 or last in _TLDS_COMMON or "." in ext.suffix:
        return True
    return structured or bool(ext.subdomain) or any(c.isdigit() or c == "-" for c in ext.domain)


def _bare_domains(ctx: Ctx) -> Iterator[tuple[int, int]]:
    low = ctx.low
    for m in _HOST_RX.finditer(low):
        s, e = m.span()
        host = m.group()
        if e < len(low) and low[e] == "@":
            continue  # the local part of an email address (CONT-08)
        path = _PATH_RX.match(low, e) if e < len(low) and low[e] == "/" else None
        if not _domain_ok(host, structured=path is not None or host.startswith("www.")):
            continue
        if is_amazon(host):
            continue
        if path is None and host.count(".") == 1:
            # "done.Thanks", "order.It arrives": a sentence run-on, not a domain (domains are written in lower case)
            os_, oe = ctx.norm.span(s, e)
            tail = ctx.norm.original[os_:oe].rsplit(".", 1)[-1].rsplit("．", 1)[-1]
            if not tail.islower():
                continue
        yield _trim_span(low, s, path.end() if path else e)


def _trim_span(low: str, s: int, e: int) -> tuple[int, int]:
    while e > s and low[e - 1] in _TRAIL:
        e -= 1
    return s, e


_SPOKEN_RX = re.compile(rf"(?<![a-z0-9@._-])[a-z0-9][a-z0-9-]{{0,62}}+(?P<dot>{_DOT_SPOKEN})")


def _spoken_domains(low: str) -> Iterator[tuple[int, int]]:
    """'greenhome dot com', 'greenhome 点 com', 'greenhome ドット com', 'greenhome kropka pl'."""
    for d in _SPOKEN_RX.finditer(low):
        s, a = d.start(), d.start("dot")
        t = _TLD_SPOKEN.match(low, d.end())
        if t is None:
            continue
        dot = d.group("dot").strip()
        word_dot = (dot.isascii() and dot.isalpha()) or dot == "نقطة"
        if t.group("cc") and word_dot and (low[s:a] in _DETERMINERS or not _CC_END.match(low, t.end())):
            continue
        yield s, t.end()


def _links(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    out: list[tuple[int, int]] = []
    if "http" in low or "www" in low:
        for m in _URL_RX.finditer(low):
            if not is_amazon(m.group()):
                out.append(_trim(m))
    # overlapping spans (a bare domain inside a URL) are merged by the engine
    if "." in low:
        out.extend(_bare_domains(ctx))
    out.extend((s, e) for s, e in _spoken_domains(low) if not is_amazon(low[s:e]))
    return out


_AMAZON_URL = re.compile(r"amazon\.[a-z.]{2,6}/[^\s<>\"']{1,2000}")


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


# --- email addresses ---------------------------------------------------------------------------------
# "@" (and full-width "＠", folded by NFKC), bracketed "(at)", spoken words between spaces (at, arroba, chez,
# małpa, apenstaartje, snabel-a, Arabic آت/ات), Japanese and Chinese words with or without spaces.
_AT_WORD = r"at|arroba|chez|małpa|malpa|apenstaartje|snabel-a|ات|آت"
_AT_CJK = r"アットマーク|あっとまーく|アット|艾特"
_AT = rf"\s{{0,3}}(?:@|[(\[{{](?:at|@|arroba|{_AT_CJK})[)\]}}]|{_AT_CJK})\s{{0,3}}|\s{{1,3}}(?:{_AT_WORD})\s{{1,3}}"
_DOT_ANY = rf"\s{{0,3}}[.。]\s{{0,3}}|{_DOT_SPOKEN}"
# One pass: possessive local part and labels, bounded repeats; validated in Python (public suffix, plausibility).
_EMAIL_RX = re.compile(
    rf"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{{0,63}}+(?P<at>{_AT})"
    rf"(?P<domain>(?P<first>[a-z0-9-]{{1,63}}+)(?:(?:{_DOT_ANY})[a-z0-9-]{{1,63}}+){{0,4}}?(?:{_DOT_ANY})"
    r"(?P<tld>[a-z]{2,24}+)(?![a-z0-9-]|[.。][a-z0-9]))"
)
_SPELLED_DOT = re.compile(rf"[(\[{{]|{_DOT_CJK}|\s(?:{_DOT_WORD})\s")
_SPACED_DOT = re.compile(r"\s[.。]|[.。]\s")
_SEPARATORS = re.compile(_DOT_ANY)


def _emails(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    out: list[tuple[int, int]] = []
    m = _EMAIL_RX.search(low)
    while m is not None:
        if _plausible_email(m):
            out.append(m.span())
            m = _EMAIL_RX.search(low, m.end())
        else:  # "me at john.smith@gmail.com": the real address may start inside a rejected match
            m = _EMAIL_RX.search(low, m.start("domain"))
    return out


def _plausible_email(m: re.Match[str]) -> bool:
    """'shop@greenhome.de' / 'shop (at) greenhome (dot) de' always; 'shop at greenhome.de' is a web address
    (CONT-01) unless the domain is a mail provider or the dot is spelled out too ("x at y dot com")."""
    domain = m.group("domain")
    host = _SEPARATORS.sub(".", domain)
    if not _domain_ok(host, structured=True):
        return False
    spelled_dot = _SPELLED_DOT.search(domain) is not None
    if (spelled_dot or _SPACED_DOT.search(domain)) and m.group("tld") not in _TLDS_COMMON and len(m.group("tld")) != 2:
        return False
    if m.group("at").strip() not in ("at", "ات", "آت", "chez"):
        return True
    return m.group("first") in _MAIL_PROVIDERS or spelled_dot


# --- telephone numbers -------------------------------------------------------------------------------
# A candidate is a run of digits and separators (possessive: one pass however long the run); cheap
# checks drop order numbers, dates, prices, decimals and numbers named as something else; then
# phonenumbers decides, in the text's own regions first, then in every Amazon marketplace region.
# The matcher only ever sees the candidate's window, never the whole text.
_SEP_CHARS = " -./()\u2010\u2011\u2012\u2013\u2014\u2212ー"
_SEP_CLASS = r"[ \-./()\u2010-\u2014\u2212ー]"
# at least 7 digits (shorter runs never reach Python), possessive separators: linear
_PHONE_RUN = re.compile(rf"(?:\+\s?|\(\s?)?(?<!\d)\d(?:{_SEP_CLASS}*+\d){{6}}[\d \-./()\u2010-\u2014\u2212ー]*+")
_DROP_SEPS = str.maketrans("", "", _SEP_CHARS)  # a run is digits, "+" and separators: this leaves "+49301234567"
_HAS_SEP = re.compile(_SEP_CLASS)
_PHONE_CTX = re.compile(
    r"(?:\b(?:call|phone|tel|tel\.|telephone|mobile|cell|hotline|whatsapp|sms|text us|telefon|handy|anrufen|rufen"
    r"|téléphone|appel|portable|teléfono|telefone|telefoon|bel ons|llám|móvil|celular|telefono|chiam|cellulare"
    r"|zadzwo|komórk|ring|cep|gsm|rufnummer|mobilnummer|festnetz)|هاتف|الهاتف|جوال|الجوال|اتصل|واتساب|واتس"
    r"|电话|手机|致电|热线|联系方式|電話|携帯|フリーダイヤル|☎|📞|\bfax)"
)
_NOT_PHONE_CTX = re.compile(
    r"(?:\b(?:order|tracking|track|invoice|asin|sku|ref|reference|case|ticket|serial|model|part|batch|lot|ean|upc"
    r"|isbn|imei|gtin|jan|iban|vat|s/n|sn|id|seriennummer|modell|série|modèle|serie|modelo|modello|bestell"
    r"|sendung|rechnung|commande|suivi|facture|pedido|seguimiento|factura|ordine|spedizione|fattura|zamówieni"
    r"|przesyłk|sipariş|kargo|takip|bestelnummer|ordernummer|rastreio|rastreamento|nota fiscal|qq|no\.|nr\."
    r"|artikel|article|item|steuer|ust|siret|siren|kvk|nip|regon|vkn|hrb|handelsregister"
    r"|company number|registr|plz|zip|postal|postcode|post code|código postal|kod pocztowy)"
    r"|رقم الطلب|الطلب|تتبع|序列号|型号|货号|批号|条码|订单|单号|运单|快递|追踪|物流|注文|追跡|伝票|型番|品番"
    r"|商品番号|商品编号|邮编|郵便番号|〒|登録番号|法人番号|お問い合わせ番号|シリアル|微信|#|n°|nº)"
)
_DIGIT_OR_NL = re.compile(r"[\d\n]")


class _Cues:
    """Where the words naming a number ("tel", "order", "电话"...) end: found once per text, so each
    candidate costs a bisect instead of a regex search of its own."""

    def __init__(self, low: str, rx: re.Pattern[str], reach: int) -> None:
        self.low, self.reach = low, reach
        self.ends = [m.end() for m in rx.finditer(low)]

    def before(self, s: int) -> bool:
        """A cue ends at most `reach` characters before s, with no digit or line break in between."""
        i = bisect.bisect_right(self.ends, s) - 1
        if i < 0:
            return False
        end = self.ends[i]
        return s - end <= self.reach and _DIGIT_OR_NL.search(self.low, end, s) is None


_DATE = re.compile(
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:\s{0,3}[-/.]{1,3}\s{0,3}"
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}))?(?![\d])"
)
_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}|^\d{5}-\d{4}$")  # Amazon order ID; US ZIP+4
_DECIMAL = re.compile(r"\d+\.\d+|\d{1,3}(?:\.\d{1,3}){3}")  # 3.14159265, 192.168.100.1
_UNIT_AFTER = re.compile(
    r"\s{0,3}(?:€|\$|£|¥|eur\b|euro|usd|gbp|円|元|yen|dollars?|%|km|kg|mm|cm|ml|g\b|x\b|zł|pln|sek|kr\b|tl\b|₺|sar|aed|ريال)"
)
_CURRENCY_BEFORE = ("$", "€", "£", "¥", "usd", "eur", "r$", "zł", "₺", "sar", "aed", "円")
_MONEY_END = re.compile(r"\d[.,]\d{2}$")

# Phone regions of Amazon's marketplaces (GB for UK), plus CN for sellers' own numbers.
MARKETPLACE_REGIONS = (
    "US",
    "CA",
    "MX",
    "BR",
    "GB",
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "BE",
    "PL",
    "SE",
    "TR",
    "SA",
    "AE",
    "EG",
    "JP",
    "CN",
)
_LANG_REGIONS = {
    "en": ("US", "GB", "CA"),
    "de": ("DE",),
    "fr": ("FR", "BE", "CA"),
    "es": ("ES", "MX"),
    "it": ("IT",),
    "ja": ("JP",),
    "zh": ("CN", "HK", "TW"),
    "pt": ("BR",),
    "nl": ("NL", "BE"),
    "pl": ("PL",),
    "sv": ("SE",),
    "tr": ("TR",),
    "ar": ("SA", "AE", "EG"),
}
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# phonenumbers costs ~0.1 ms per region tried; a message with more distinct candidates than this is a
# table of numbers, not a signature, and the rest are judged by the format rules alone (no per-input timeout).
_PN_BUDGET = 24


def _own_regions(ctx: Ctx) -> tuple[str, ...]:
    regions = list(_LANG_REGIONS.get(ctx.lang, ()))
    sample = ctx.low[:2000]
    for rx, more in ((_KANA, ("JP",)), (_HAN, ("CN", "HK", "TW")), (_ARABIC, ("SA", "AE", "EG"))):
        if rx.search(sample):
            regions.extend(r for r in more if r not in regions)
    return tuple(regions)


_REGION_CACHE: dict[tuple[str, tuple[str, ...]], str | None] = {}


def _valid_region(number: str, regions: tuple[str, ...]) -> str | None:
    """The first region in which `number` parses as a valid number (phonenumbers' VALID leniency); cached."""
    if len(_REGION_CACHE) > 4096:
        _REGION_CACHE.clear()
    _REGION_CACHE[(number, regions)] = found = _first_valid(number, regions)
    return found


def _first_valid(number: str, regions: tuple[str, ...]) -> str | None:
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return region
    return None


@functools.lru_cache(maxsize=4096)
def _matched(window: str, region: str) -> tuple[int, int] | None:
    for pm in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID, max_tries=4):
        return pm.start, pm.end
    return None


def _candidate(low: str, s: int, e: int) -> tuple[int, int] | None:
    """The [s, e) of a plausible phone-number candidate run, or None for a number that is something else."""
    while e > s and low[e - 1] in _SEP_CHARS and not (low[e - 1] == ")" and "(" in low[s:e]):
        e -= 1
    run = low[s:e]
    if s > 0:
        p = low[s - 1]
        if p.isascii() and (p.isalnum() or p in "_+@#"):
            return None  # part of a token: ASIN, model number, 1Z tracking number
        if p in "-./" and s > 1 and low[s - 2].isascii() and low[s - 2].isalnum():
            return None  # XR-2000-1234567
    if e < len(low):
        n = low[e]
        if n.isascii() and (n.isalnum() or n == "_"):
            return None
        if n == "," and e + 1 < len(low) and low[e + 1].isdigit():
            return None  # 1.299.000,00: a number with a decimal comma
    number = run.translate(_DROP_SEPS)
    digits = len(number) - number.count("+")
    if not 7 <= digits <= 15:
        return None  # E.164 has at most 15 digits; longer runs are tracking numbers and IDs
    if ("-" in run and _ORDER_ID.search(run)) or ("." in run and _DECIMAL.fullmatch(run)):
        return None
    if run[-3] in ".," and not run.startswith("+") and _MONEY_END.search(run):
        return None
    date = _DATE.match(run.lstrip("("))
    if date is not None and sum(c.isdigit() for c in run[date.end() :]) < 7:
        return None  # a date, maybe with a time
    if _UNIT_AFTER.match(low, e) or low[max(0, s - 4) : s].rstrip().endswith(_CURRENCY_BEFORE):
        return None
    return s, e


def _phones(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    out: list[tuple[int, int]] = []
    own: tuple[str, ...] | None = None
    every: tuple[str, ...] = ()
    cues: tuple[_Cues, _Cues] | None = None
    budget = _PN_BUDGET
    for m in _PHONE_RUN.finditer(low):
        cand = _candidate(low, *m.span())
        if cand is None:
            continue
        s, e = cand
        run = low[s:e]
        if cues is None:
            cues = _Cues(low, _PHONE_CTX, 25), _Cues(low, _NOT_PHONE_CTX, 20)
        if cues[0].before(s):
            out.append((s, e))  # named as a phone number: any plausible run of digits is one
            continue
        if cues[1].before(s):
            continue
        if own is None:
            own = _own_regions(ctx)
            every = own + tuple(r for r in MARKETPLACE_REGIONS if r not in own)
        separated = _HAS_SEP.search(run.strip("+( ")) is not None
        if run.startswith("+"):
            regions: tuple[str, ...] = ("ZZ",)
        elif separated or run.startswith("("):
            regions = every
        else:
            regions = own  # an unseparated run of digits is a phone number only in the text's own region
        if not regions:
            continue
        number = run.translate(_DROP_SEPS)
        key = (number, regions)
        if key in _REGION_CACHE:
            region = _REGION_CACHE[key]
        elif budget > 0:
            budget -= 1
            region = _valid_region(number, regions)
        else:
            if run.startswith(("+", "(")) or (separated and run[0] == "0" and len(number) >= 8):
                out.append((s, e))  # past the budget: the format rules alone
            continue
        if region is None:
            continue
        span = _matched(low[s:e], "US" if region == "ZZ" else region)
        out.append((s + span[0], s + span[1]) if span else (s, e))
    return out


# Template placeholders that stand for a contact detail: "[Phone Number]", "{shop_url}", "[Your Email]".
# Once the template is filled they are the number, web address or email address itself.
_PH_OPEN, _PH_CLOSE = r"(?:\[\[?|\{\{?\s{0,2}\$?|<<?)\s{0,2}", r"\s{0,2}(?:\]\]?|\}\}?|>>?)"
_PH_OWNER = r"(?:(?:your|our|my|the|insert|business|store|shop|company|seller|support)[ _.-]){0,3}"
_PLACEHOLDER = {
    kind: re.compile(rf"{_PH_OPEN}{_PH_OWNER}(?:{words}){_PH_CLOSE}")
    for kind, words in (
        (
            "phone",
            r"(?:tele)?phone(?:[ _-]?(?:number|no\.?|num))?|tel|mobile(?:[ _-]?number)?|whatsapp(?:[ _-]?number)?"
            r"|telefon(?:nummer)?|telefono|teléfono|téléphone|telefoon(?:nummer)?",
        ),
        (
            "url",
            r"(?:shop|store|site|web|website|homepage|rating|shop[ _-]?rating)(?:[ _-]?(?:url|link|address))?|url"
            r"|website[ _-]?(?:url|link)?",
        ),
        ("email", r"e-?mail(?:[ _-]?address)?|correo|courriel|e-?mail[ _-]?adresse"),
    )
}


def _placeholders(ctx: Ctx, kind: str) -> list[tuple[int, int]]:
    low = ctx.low
    if "[" not in low and "{" not in low and "<" not in low:
        return []
    return [m.span() for m in _PLACEHOLDER[kind].finditer(low)]


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


def _cont01(ctx: Ctx) -> list[tuple[int, int]]:
    return _links(ctx) + _placeholders(ctx, "url")


def _cont08(ctx: Ctx) -> list[tuple[int, int]]:
    return _emails(ctx) + _placeholders(ctx, "email")


def _cont09(ctx: Ctx) -> list[tuple[int, int]]:
    return _phones(ctx) + _placeholders(ctx, "phone")


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
        scan=_cont01,
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
        scan=_cont08,
    ),
    Rule(
        "CONT-09",
        "Telephone number",
        "violation",
        GUIDELINES,
        "Telephone numbers are not allowed; keep the conversation in Buyer-Seller Messaging.",
        "contact",
        "Remove the telephone number.",
        scan=_cont09,
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
