"""Marketing, coupons, other products, calls to leave Amazon, off-platform contact, opt-out links.

TYPE-05, CONT-13, TYPE-16, CONT-05. Patterns run on lower-case NFKC text (Chinese: simplified).
"""

from __future__ import annotations

import re

from handlers.compliance.context import Ctx
from handlers.compliance.model import Detector, Rule, tag

GUIDELINES = "Amazon Communication Guidelines (Seller Central G1701)"
PROHIBITED = "Prohibited seller activities (Seller Central 200386250)"


def _not_buyers_own_coupon(ctx: Ctx, m: re.Match[str]) -> bool:
    # "the coupon you used at checkout was applied" is customer service, not an offer
    before = ctx.low[max(0, m.start() - 6) : m.start()]
    return not before.endswith(("the ", "your ", "ihr ", "votre ", "su ", "il suo "))


TYPE_05 = [
    Detector(r"\bcoupons?(?: codes?)?\b", ("coupon",), _not_buyers_own_coupon),
    Detector(r"\b(?:discount|promo|promotional|voucher|referral|gift) codes?\b", ("code",)),
    Detector(
        r"\b\d{1,2} ?% (?:off|discount)\b|\b(?:discount|\$\d+ off|€\d+ off|savings?) on (?:your )?next "
        r"(?:order|purchase)\b|\boff your next (?:order|purchase)\b",
        ("%", "next"),
    ),
    Detector(
        r"\b(?:check out|take a look at|have a look at|browse|discover|explore|see|don't miss|shop) (?:our|my) "
        r"(?:other|new|latest|full|whole)? ?(?:products?|collection|range|items|arrivals|releases|catalog(?:ue)?|"
        r"line|bestsellers)\b",
        ("our", "my"),
    ),
    Detector(
        r"\b(?:flash|special|exclusive|limited[- ]time|seasonal|black friday|holiday) (?:sale|offer|deal|discount|"
        r"promotion)s?\b|\bbuy one,? get one\b|\bnewsletter\b|\bloyalty (?:program|club)\b",
        ("sale", "offer", "deal", "discount", "promotion", "buy one", "newsletter", "loyalty"),
    ),
    Detector(
        r"\b(?:use|enter|apply) (?:the |our |this )?(?:promo |discount |coupon |voucher )?code\b"
        r"|\b(?:get|receive|claim|win) (?:a |your |our )?free (?:gifts?|samples?|products?|items?|goodies)\b",
        ("use", "enter", "apply", "get", "receive", "claim", "win"),
    ),
    Detector(
        r"\byou (?:might|may|will|would) also (?:like|love|enjoy|be interested in)\b|\b(?:our|my) (?:brand-?)?new "
        r"(?:products?|items?|arrivals|collection|range|releases)\b",
        ("also", "new"),
    ),
    # de
    Detector(
        r"\b(?:rabatt|gutschein|aktions|promo)codes?\b|\bgutscheine?\b|\b\d{1,2} ?% rabatt\b"
        r"|\b(?:ihre[nr]? |die )?nächste[nrs]? (?:bestellung|einkauf|kauf)\b[^.!?\n]{0,20}(?:rabatt|%)"
        r"|(?:entdecken sie|schauen sie sich|werfen sie einen blick auf) (?:auch )?unsere (?:anderen |neuen |weiteren )?"
        r"(?:produkte|artikel|kollektion)",
        ("rabatt", "gutschein", "code", "nächste", "entdecken", "schauen", "werfen"),
    ),
    # fr
    Detector(
        r"\bcode (?:promo|de réduction|de remise)\b|\bbons? de réduction\b|\b\d{1,2} ?% de (?:réduction|remise)\b"
        r"|\bprochaine commande\b[^.!?\n]{0,20}(?:réduction|remise|%)|(?:découvrez|jetez un (?:œil|oeil|coup d'œil) à|"
        r"consultez) nos (?:autres |nouveaux )?(?:produits|articles|collections?)|\bventes? flash\b",
        ("code", "réduction", "remise", "prochaine", "découvrez", "jetez", "consultez", "flash"),
    ),
    # es
    Detector(
        r"\bcupón\b|\bcupones\b|\bc[oó]digo (?:de descuento|promocional|promo)\b|\b\d{1,2} ?% de descuento\b"
        r"|\b(?:próxima|siguiente) compra\b[^.!?\n]{0,20}(?:descuento|%)|\bpróximo pedido\b[^.!?\n]{0,20}"
        r"(?:descuento|%)|(?:descubra|eche un vistazo a|vea|conozca) (?:nuestros|nuestras) (?:otros |otras |nuevos |"
        r"nuevas )?(?:productos|artículos|colecciones?)",
        ("cup", "código", "codigo", "descuento", "descubra", "eche", "vea", "conozca"),
    ),
    # it
    Detector(
        r"\bcodice (?:sconto|promozionale|promo)\b|\bbuoni? sconto\b|\b\d{1,2} ?% di sconto\b"
        r"|\bprossimo (?:ordine|acquisto)\b[^.!?\n]{0,20}(?:sconto|%)|(?:scopra|scopri|dia un'occhiata a|"
        r"dai un'occhiata a) (?:anche )?(?:i )?nostri (?:altri |nuovi )?(?:prodotti|articoli)",
        ("codice", "buon", "sconto", "prossimo", "scopr", "occhiata"),
    ),
    # zh
    Detector(
        r"优惠券|优惠码|折扣码|促销码|代金券|下次(?:购买|下单|购物)[^。！？\n]{0,8}(?:折|优惠|减)|\d{1,2} ?% ?(?:折扣|优惠)"
        r"|(?:看看|查看|关注|了解|选购|逛逛|浏览)(?:一下)?(?:我们|本店|店铺)(?:的)?(?:其他|其它|更多)?(?:新品|产品|商品)"
        r"|(?:限时|特价)(?:优惠|促销|折扣)",
        (
            "优惠",
            "折扣",
            "促销",
            "代金",
            "下次",
            "%",
            "看看",
            "查看",
            "关注",
            "了解",
            "选购",
            "逛逛",
            "浏览",
            "限时",
            "特价",
        ),
    ),
    # ja
    Detector(
        r"クーポン|割引コード|プロモーションコード|\d{1,2} ?(?:%|％)(?:オフ|off|引き)|\d割(?:引|オフ)"
        r"|次回(?:の)?(?:ご購入|ご注文|購入|お買い物)[^。！？\n]{0,12}(?:割引|オフ|%|お得)"
        r"|(?:他の|ほかの|その他の|新|新しい)商品[^。！？\n]{0,15}(?:ご覧|チェック|見て|ご検討)|セール",
        ("クーポン", "コード", "%", "オフ", "割", "次回", "商品", "セール"),
    ),
]

CONT_13 = [
    # "order" after an article is the noun ("you placed an order on our site"): it reports, it does not send
    Detector(
        r"\b(?:visit|check out|go to|browse|shop (?:at|on)|come to|head over to|find us (?:at|on)|(?<!an )(?<!the )(?<!your )(?<!first )(?<!last )order (?:from|on)|"
        r"buy (?:from|on)) (?:our|my) (?:own |official )?(?:website|web ?site|web ?shop|site|homepage|home page|online "
        r"(?:store|shop)|store|shop)\b|\bofficial (?:website|web ?site|site|store|online store)\b"
        r"|\b(?:order|buy|purchase|shop) (?:directly|direct) (?:from|with|on|through|at) (?:us|our)\b"
        r"|\b(?:follow|find|like) us on (?:instagram|facebook|tiktok|twitter|youtube|pinterest|social media|x)\b"
        r"|\b(?:cheaper|better (?:price|deal)s?|lower prices?) (?:on|at|in) our (?:own )?(?:website|site|store|shop)\b",
        ("our", "my", "official", "direct", " us on "),
    ),
    Detector(
        r"\b(?:on|at|via|through|from) our (?:own |official )?(?:website|web ?site|web ?shop|homepage|home page|online "
        r"(?:store|shop))\b",
        ("our",),
    ),
    Detector(
        r"(?:besuchen sie|besuche|schauen sie (?:auf|in)|kaufen sie (?:direkt )?(?:auf|in|bei)) (?:auch )?unsere[nmr]? "
        r"(?:eigene[nmr]? )?(?:website|webseite|homepage|internetseite|online-?shop|shop|seite)"
        r"|\boffizielle[nrs]? (?:website|webseite|shop|seite)\b|\bdirekt (?:bei uns|über unsere[nr]? (?:website|shop))"
        r"|\bfolgen sie uns auf\b",
        ("unser", "offizielle", "direkt", "folgen"),
    ),
    Detector(
        r"(?:visitez|rendez-vous sur|consultez|allez sur|découvrez) notre (?:propre )?(?:site|boutique|page|e-shop)"
        r"|\bsite (?:web |internet )?officiel\b|\b(?:commandez|achetez) directement (?:sur notre|chez nous|auprès de nous)"
        r"|\bsuivez-nous sur\b",
        ("notre", "officiel", "directement", "suivez"),
    ),
    Detector(
        r"(?:visite|visita|visítenos|visítanos|consulte|entre en) (?:nuestr[ao]|en nuestr[ao]) (?:propi[ao] )?"
        r"(?:sitio web|página web|web|tienda(?: online| en línea)?|página)|\b(?:sitio|página|tienda) (?:web )?oficial\b"
        r"|\b(?:compre|compra|pida) directamente (?:en nuestr|con nosotros|a nosotros)|\bs[ií]g(?:a|ue)nos en\b",
        ("nuestr", "oficial", "directamente", "nos en"),
    ),
    Detector(
        r"(?:visiti|visita|visitate|venga sul) (?:il nostro|la nostra|nostro|nostra) (?:sito|negozio|shop|pagina)"
        r"|\bsito (?:web )?ufficiale\b|\b(?:acquisti|acquista|ordina|compri) direttamente (?:sul nostro|da noi|dal nostro)"
        r"|\b(?:ci segua|seguici|seguiteci) su\b",
        ("nostr", "ufficiale", "direttamente", "segu"),
    ),
    Detector(
        r"(?:访问|浏览|登录|关注|搜索|来)(?:一下)?(?:我们|本店|我司)?(?:的)?(?:官网|官方网站|官方商城|网站|网店|独立站|公众号|天猫店|淘宝店)"
        r"|官网|官方网站|独立站|(?:直接)?(?:在|到|去)(?:我们|本店)(?:的)?(?:网站|官网|网店)(?:购买|下单|订购)",
        ("官", "网", "独立站", "公众号", "淘宝", "天猫"),
    ),
    Detector(
        r"公式(?:サイト|ホームページ|ストア|オンラインショップ|ショップ)|自社(?:サイト|ショップ|ec)"
        r"|(?:当社|弊社|当店)(?:の)?(?:ホームページ|ウェブサイト|webサイト|サイト|ネットショップ|オンラインショップ)",
        ("公式", "自社", "当社", "弊社", "当店"),
    ),
]

TYPE_16 = [
    Detector(
        r"\b(?:whatsapp|wechat|telegram|viber|skype|facebook messenger|line app)\b"
        r"|\b(?:call|phone|ring|text) us\b|\bgive us a (?:call|ring)\b|\bwe(?:'ll| will) (?:call|phone|ring) you\b"
        r"|\be-?mail us\b|\bwrite to us (?:directly|by e-?mail)\b|\bsend us an e-?mail\b",
        (
            "whatsapp",
            "wechat",
            "telegram",
            "viber",
            "skype",
            "messenger",
            "line app",
            " us",
            "call you",
            "phone you",
            "ring you",
        ),
    ),
    Detector(
        r"\brufen sie (?:uns|mich)\b[^.!?\n]{0,40}?\ban\b|\b(?:schreiben|senden) sie uns (?:gerne |einfach )?"
        r"(?:eine )?(?:e-?mail|sms)\b|\b(?:kontaktieren sie uns|erreichen sie uns) (?:gerne |einfach )?(?:per|über|unter) "
        r"(?:telefon|whatsapp|e-?mail|sms)\b|\bwir rufen sie an\b",
        ("rufen", "schreiben", "senden", "kontakt", "erreichen"),
    ),
    Detector(
        r"\bappelez[- ]nous\b|\b(?:envoyez|écrivez)[- ]nous (?:un )?(?:e-?mail|sms|courriel|mail)\b"
        r"|\bcontactez[- ]nous (?:par|sur|via) (?:téléphone|e-?mail|courriel|sms|whatsapp)\b|\bnous vous appellerons\b",
        ("appel", "envoyez", "écrivez", "contactez"),
    ),
    Detector(
        r"\bll[aá]m(?:enos|anos)\b|\b(?:env[ií](?:enos|anos)|escr[ií]b(?:anos|enos)) (?:un )?(?:correo|e-?mail|sms|whatsapp)\b"
        r"|\bcont[aá]ct(?:enos|anos) (?:por|v[ií]a) (?:tel[eé]fono|correo|e-?mail|whatsapp)\b|\ble llamaremos\b",
        ("lláme", "llame", "llama", "nos ", "llamaremos"),
    ),
    Detector(
        r"\b(?:ci chiami|chiamaci|chiamateci)\b|\b(?:ci scriva|scriveteci|scrivici|ci invii|inviateci) (?:una )?"
        r"(?:e-?mail|mail|sms)\b|\bci contatti (?:per|via|su) (?:telefono|e-?mail|whatsapp)\b|\bla chiameremo\b",
        ("chiam", "scriv", "invii", "inviateci", "contatti"),
    ),
    Detector(
        r"微信|(?:加|添加)(?:我们的?)?(?:qq|whatsapp|line)|qq(?:号|群)|(?:给我们|请)打电话|拨打[^。！？\n]{0,8}?(?:电话|热线)|致电(?:我们)?"
        r"|(?:给我们)?发(?:电子)?邮件(?:给我们)?",
        ("微信", "qq", "whatsapp", "line", "电话", "热线", "致电", "邮件"),
    ),
    Detector(
        r"(?:お電話|電話)(?:で|にて)(?:ご連絡|お問い合わせ|お問合せ)|(?:メール|e-?mail)(?:で|にて)(?:ご連絡|お問い合わせ|お問合せ)"
        r"|(?:line|ライン)(?:で|の|に)(?:ご連絡|友だち|友達|お問い合わせ)",
        ("電話", "メール", "mail", "line", "ライン"),
    ),
]

# Messaging-app handles and links, in any script: a handle is a contact outside Buyer-Seller Messaging.
# ASCII look-arounds instead of \b ("请加whatsapp联系" has no \b before the "w"), bounded repeats only.
_A = r"(?<![a-z0-9])"
_Z = r"(?![a-z0-9])"
_HANDLE = r"@?[a-z0-9][a-z0-9._-]{2,31}"
_MESSAGING = re.compile(
    rf"{_A}(?:line|ライン)\s{{0,2}}(?:id{_Z}|公式|アカウント)\s{{0,2}}[:：=]?\s{{0,3}}(?:{_HANDLE})?"
    rf"|{_A}line\s{{0,2}}@|{_A}(?P<colon>line|ライン)\s{{0,2}}[:：]\s{{0,3}}{_HANDLE}"
    r"|(?:line|ライン)[^\n。]{0,8}?(?:友だち|友達)(?:追加|登録)"
    rf"|{_A}(?:wechat|weixin)(?:\s{{0,2}}(?:id{_Z}|号|號))?\s{{0,2}}[:：]?\s{{0,3}}[a-z0-9][a-z0-9_-]{{4,31}}"
    # "vx"/"wx" are also model names ("VX 20000"): a handle only after 加 (add) or before a colon / 号
    rf"|(?:加|{_A})(?:vx|wx)(?:\s{{0,2}}(?:id{_Z}|号|號))?\s{{0,2}}[:：]\s{{0,3}}[a-z0-9][a-z0-9_-]{{4,31}}"
    rf"|加(?:vx|wx)\s{{0,2}}[a-z0-9][a-z0-9_-]{{4,31}}|{_A}(?:vx|wx)\s{{0,2}}(?:号|號)"
    rf"|微信|v信|薇信|威信|加v[:：]|{_A}qq(?:\s{{0,2}}(?:号码|号|群))?\s{{0,2}}[:：]?\s{{0,3}}[1-9]\d{{4,11}}(?!\d)"
    rf"|{_A}(?:whats\s?app|whatsap|telegram|viber|kakao\s?talk|kakaotalk|skype){_Z}"
    rf"|{_A}(?:wa\.me|api\.whatsapp\.com|t\.me|telegram\.me|line\.me|lin\.ee|open\.kakao\.com|weixin\.qq\.com)/"
    r"|카카오톡|카톡|واتساب|واتس\s?اب|تيليجرام|تلغرام|ワッツアップ|テレグラム"
)
_MESSAGING_GATE = (
    "line",
    "ライン",
    "wechat",
    "weixin",
    "vx",
    "wx",
    "微信",
    "v信",
    "薇信",
    "威信",
    "加v",
    "qq",
    "whats",
    "telegram",
    "viber",
    "kakao",
    "skype",
    "wa.me",
    "t.me",
    "카카오",
    "카톡",
    "واتس",
    "تيليجرام",
    "تلغرام",
    "ワッツアップ",
    "テレグラム",
)


def _messaging_handles(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    if not any(g in low for g in _MESSAGING_GATE):  # substring tests: most messages stop here
        return []
    out = []
    for m in _MESSAGING.finditer(low):
        if m.group("colon") == "line":  # "LINE: shop88" is the app, "Bottom line: please..." is English
            s, e = ctx.norm.span(*m.span("colon"))
            if not ctx.norm.original[s:e].isupper():
                continue
        out.append(m.span())
    return out


CONT_05 = [
    Detector(
        r"\bunsubscribe\b|\bopt[- ]out (?:of|from) (?:these|our|future|further) (?:e-?mails|messages)\b"
        r"|\bto stop receiving (?:these |our )?(?:e-?mails|messages)\b|\b(?:abmelden|abbestellen)\b"
        r"|\bse désabonner\b|\bdésinscri|\bdarse de baja\b|\bcancelar (?:la|su) suscripci[oó]n\b"
        r"|\bannullare l'iscrizione\b|\bdisiscri|退订|取消订阅|配信停止",
        (
            "unsubscribe",
            "opt",
            "stop receiving",
            "abmelden",
            "abbestellen",
            "désabonner",
            "désinscri",
            "baja",
            "suscrip",
            "iscrizione",
            "disiscri",
            "退订",
            "取消订阅",
            "配信停止",
        ),
    ),
]

tag(TYPE_05, "en", "en", "en", "en", "en", "en", "en", "de", "fr", "es", "it", "zh", "ja")
tag(CONT_13, "en", "en", "de", "fr", "es", "it", "zh", "ja")
tag(TYPE_16)

RULES = [
    Rule(
        "TYPE-05",
        "Marketing, coupons or other products",
        "violation",
        GUIDELINES,
        'Marketing is not allowed in buyer messages: no coupons, discount codes, "% off your next order", sales or '
        "promotion of other products.",
        "delete",
        "Delete the offer or promotion.",
    ),
    Rule(
        "CONT-13",
        "Call to leave Amazon",
        "violation",
        PROHIBITED,
        'Messages may not divert buyers off Amazon: no "visit our website / store / official site", buying directly '
        "from you, or following you elsewhere.",
        "delete",
        "Delete this sentence: keep the buyer on Amazon (no website, store or social media).",
    ),
    Rule(
        "TYPE-16",
        "Contact outside Buyer-Seller Messaging",
        "violation",
        GUIDELINES,
        "Buyer-Seller Messaging is the only approved channel: do not ask buyers to call, email or message you on "
        "WhatsApp/WeChat/LINE.",
        "contact",
        "Ask the buyer to reply through Amazon instead.",
        scan=_messaging_handles,
    ),
    Rule(
        "CONT-05",
        "Opt-out link",
        "violation",
        GUIDELINES,
        "Messages may not contain an unsubscribe / opt-out link or instruction; Amazon manages opt-outs.",
        "delete",
        "Delete the opt-out text.",
    ),
]
RULES[0].detectors, RULES[1].detectors, RULES[2].detectors, RULES[3].detectors = TYPE_05, CONT_13, TYPE_16, CONT_05
