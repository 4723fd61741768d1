"""Offers, off-Amazon review sites and repeat review asks in all 13 languages (issue 15).

Three kinds of text the first rule sets missed on real shop templates:
- TYPE-05: thank-you and birthday vouchers, abandoned-cart and win-back discounts ("N% on your next order"),
  loyalty points and store credit, referral programmes, "check our bestsellers / new collection";
- CONT-13: a review or rating on another site (Google, Trustpilot, Trusted Shops, Kiyoh, Facebook...), or
  "rate us" followed by a link or a template link placeholder that is not Amazon's;
- REV-09: the second ask ("I sent a note a few days ago", "this is my last reminder", "following up on my
  earlier request") when the message is about a review.
rules/__init__.py appends EXTRA to those rules by id. Patterns run on lower-case NFKC text (Chinese simplified);
every gap is bounded ({0,40}-style), so each regex is linear. Turkish "İ" lower-cases to "i" + U+0307.
"""

from __future__ import annotations

import re

from handlers.compliance.context import REVIEW, Ctx, all_of
from handlers.compliance.model import Detector

_G = r"[^.!?\n]"  # one character inside a sentence
_I = "i\u0307?"  # Turkish dotted capital I after lower-casing
_PCT = r"(?:\d{1,2}|\{[a-z_]{1,20}\}) ?%|%\d{1,2}"  # "10%", "{amount}%", Turkish "%10"

# --- TYPE-05: coupons, vouchers, discounts on the next order, points and credit, referral, other products ---

# "the coupon you used was applied", "your voucher for the return label": customer service, not an offer
_SERVICE = re.compile(
    r"return label|you (?:used|applied|redeemed)|was applied|rücksende|retouren|étiquette de retour|vous avez utilisé"
    r"|etiqueta de devoluci|ha utilizado|has usado|etichetta di reso|ha utilizzato|etiqueta de devolu|utilizou"
    r"|retourlabel|retourzending|heeft gebruikt|etykiet\w{0,3} zwrot|użył|returetikett|använde(?!r)|iade etiket|kullandığınız"
    r"|ملصق الإرجاع|استخدمت|退货标签|您使用的|返品ラベル|ご利用いただいた"
)


def _offer(ctx: Ctx, m: re.Match[str]) -> bool:
    return not ctx.in_sentence(_SERVICE, m)


_TYPE_05_BY_LANG = {
    "en": (
        r"\b(?:discount|gift|birthday|thank[- ]you|welcome|loyalty) vouchers?\b|\bvoucher codes?\b"
        r"|\bhere(?: is|'s) your (?:coupon|voucher|discount|gift)\b|\b(?:earn|get|receive|enjoy|claim) (?:\$\d{1,4} |€\d{1,4} |£\d{1,4} )?(?:in )?store credits?\b"
        r"|\b(?:loyalty|reward|bonus) points\b|\brefer a friend\b|\breferral (?:program(?:me)?|link|bonus|reward)s?\b"
        rf"|(?:{_PCT}|\$\d{{1,4}}|€\d{{1,4}})(?: off| discount)?{_G}{{0,30}}?\bon your next (?:order|purchase)\b"
        r"|\b(?:check out|discover|shop|browse) (?:our|my) (?:best ?sellers|new (?:collection|season|arrivals))\b",
        (
            "discount",
            "gift",
            "birthday",
            "thank",
            "welcome",
            "loyalty",
            "voucher",
            "here",
            "store",
            "reward",
            "bonus",
            "refer",
            "on your next",
            "check",
            "discover",
            "shop",
            "browse",
        ),
    ),
    "de": (
        r"\b(?:ermäßigungs|rabatt|geschenk|einkaufs|wert|aktions|geburtstags|willkommens|dankeschön)?gutschein\w{0,4}"
        r"|\b(?:bonus|treue|prämien)punkte\b|\bguthaben\b{g}{0,60}?\b(?:einlösen|nächsten (?:einkäuf|einkauf|bestellung))"
        r"|\bfreunde werben\b|\bempfehlungsprogramm\b"
        r"|\b(?:rabatt|nachlass|ermäßigung)\b{g}{0,30}?\b(?:ihre[nrm]?|deine[nrm]?) nächsten? (?:bestellung|einkauf|kauf)"
        r"|\b(?:entdecken sie|stöbern sie in) unsere[nr]? (?:bestseller|neue[nr]? kollektion|neuheiten)\b",
        (
            "ermäßigung",
            "rabatt",
            "geschenk",
            "einkauf",
            "wertgutschein",
            "aktion",
            "geburtstag",
            "willkommen",
            "dankeschön",
            "gutschein",
            "bonus",
            "treue",
            "prämien",
            "guthaben",
            "freunde werben",
            "empfehlung",
            "nachlass",
            "entdecken",
            "stöbern",
        ),
    ),
    "fr": (
        r"\b(?:bon|chèque|code|coupon)s? (?:d'achat|cadeau|de réduction|de remise|promo(?:tionnel)?)\b"
        r"|\bpoints? (?:de )?fidélité\b|\bcarte de fidélité\b|\bparrain(?:age|ez)\b|\bavoir\b{g}{0,40}?prochaine"
        rf"|\b(?:réduction|remise)\b{_G}{{0,40}}?\bprochaine commande\b|(?:{_PCT}){_G}{{0,30}}?\bprochaine commande\b"
        r"|\bdécouvrez (?:nos meilleures ventes|notre nouvelle collection|nos nouveautés)\b",
        (
            "bon",
            "chèque",
            "code",
            "coupon",
            "point",
            "carte",
            "parrain",
            "avoir",
            "réduction",
            "remise",
            "%",
            "découvrez",
        ),
    ),
    "es": (
        r"\b(?:bono|vale|cheque|tarjeta) (?:de )?(?:descuento|regalo|compra)\b|\bpuntos (?:de )?(?:fidelidad|recompensa)\b"
        r"|\brecomienda a un amigo\b|\bprograma de (?:referidos|fidelización|puntos)\b"
        rf"|\bdescuento\b{_G}{{0,40}}?\b(?:próxima|siguiente) compra\b|\bdescuento\b{_G}{{0,40}}?\bpróximo pedido\b"
        r"|\bdescubre (?:nuestros más vendidos|nuestra nueva colección|nuestras novedades)\b",
        ("bono", "vale", "cheque", "tarjeta", "puntos", "recomienda", "programa", "descuento", "descubre"),
    ),
    "it": (
        r"\bbuon[oi] (?:sconto|regalo|acquisto)\b|\becco il tuo buono\b|\bpunti (?:fedeltà|premio)\b|\bcarta fedeltà\b"
        r"|\bpresenta un amico\b|\bprogramma (?:fedeltà|di referral)\b"
        rf"|\bsconto\b{_G}{{0,40}}?\b(?:tuo|suo|vostro) prossimo (?:ordine|acquisto)\b"
        r"|\bscopri (?:i nostri (?:best ?seller|più venduti)|la nostra nuova collezione|le nostre novità)\b",
        ("buon", "ecco", "punti", "carta", "presenta", "programma", "sconto", "scopri"),
    ),
    "pt": (
        r"\bcup(?:ão|ões|om|ons)\b|\bc[óo]digo (?:de desconto|promocional)\b|\bvale(?:-| de )(?:desconto|presente|compra)\b"
        r"|\bpontos (?:de )?(?:fidelidade|recompensa)\b|\bindique um amigo\b|\bprograma de (?:indicação|fidelidade)\b"
        rf"|\bdesconto\b{_G}{{0,40}}?\b(?:sua |na |para a sua )?(?:próxima|seguinte) (?:compra|encomenda)\b"
        r"|\b(?:confira|conheça|descubra) (?:os nossos|nossos) (?:mais vendidos|lançamentos)\b|\bnova coleção\b",
        (
            "cup",
            "código",
            "codigo",
            "vale",
            "pontos",
            "indique",
            "programa",
            "desconto",
            "confira",
            "conheça",
            "descubra",
            "nova",
        ),
    ),
    "nl": (
        r"\b(?:kortings|actie|kado|cadeau)(?:code|bon)s?\b|\bwaardebon(?:nen)?\b|\btegoedbon\b|\bspaarpunten\b"
        r"|\b(?:loyaliteits|klanten)programma\b|\bvriend(?:en)? (?:aanbrengen|uitnodigen)\b"
        rf"|\bkorting\b{_G}{{0,40}}?\b(?:uw|je|jouw) volgende (?:order|bestelling|aankoop)\b"
        r"|\bbekijk (?:onze )?(?:bestsellers|nieuwe collectie|nieuwste producten)\b",
        (
            "korting",
            "actie",
            "kado",
            "cadeau",
            "waardebon",
            "tegoed",
            "spaarpunt",
            "loyaliteit",
            "klantenprogramma",
            "vriend",
            "bekijk",
        ),
    ),
    "pl": (
        r"\bkod\w{0,3} rabatow\w{1,3}\b|\bkupon\w{0,3} rabatow\w{1,3}\b|\bbon\w{0,2} (?:rabatow|upominkow)\w{1,3}\b"
        r"|\bprogram\w{0,2} (?:lojalnościow|polecając|partnersk)\w{1,3}|\bpoleca(?:jąc|j) nasz\w{0,2} sklep"
        r"|\b(?:punkt\w{0,2}) lojalnościow\w{1,3}|\brabat\w{0,3}\b{g}{0,40}?\bnastępn\w{1,3} zakup"
        r"|\bsprawdź (?:nasze )?(?:bestsellery|nowości|nową kolekcję)\b",
        ("kod", "kupon", "bon", "program", "poleca", "punkt", "rabat", "sprawdź"),
    ),
    "sv": (
        r"\b(?:rabatt|present|kampanj)(?:kod|kort|check)\w{0,3}\b|\bbonuspoäng\b|\blojalitetsprogram\w{0,3}\b"
        r"|\btipslänk\w{0,3}\b|\btipsa en vän\b|\bvärva en vän\b|\brabatt\b{g}{0,40}?\bnästa (?:köp|beställning|order)\b"
        r"|\bkolla in (?:våra )?(?:bästsäljare|nyheter|nya kollektion)\w{0,3}\b",
        ("rabatt", "present", "kampanj", "bonus", "lojalitet", "tipslänk", "tipsa", "värva", "kolla"),
    ),
    "tr": (
        rf"\b{_I}ndirim kupon\w{{0,4}}|\bkupon kod\w{{0,4}}|\b{_I}ndirim kod\w{{0,4}}\b|(?:{_PCT}) {_I}ndirim\w{{0,4}}"
        rf"|\bsadakat (?:programı|puanı)\b|\barkadaşını davet et\b|\bsonraki (?:alışveriş|sipariş)\w{{0,6}}{_G}{{0,30}}?"
        rf"{_I}ndirim|\bçok satanlar\w{{0,4}}\b|\byeni koleksiyon\w{{0,4}}\b",
        ("indirim", "i\u0307ndirim", "kupon", "%", "sadakat", "arkadaşını", "sonraki", "çok satan", "yeni koleksiyon"),
    ),
    "ar": (
        r"(?:كوبون|قسيمة|كود|رمز) (?:ال)?(?:خصم|هدية|تخفيض)|عرض خاص|عروض خاصة|نقاط (?:ال)?(?:مكافأة|مكافآت|ولاء)"
        r"|برنامج (?:ال)?(?:ولاء|إحالة)|ادع صديق|(?:خصم|تخفيض)[^.!?؟\n]{0,30}?(?:طلبك|مشترياتك) (?:التالي|القادم)"
        r"|الأكثر مبيعا|مجموعتنا الجديدة",
        (
            "كوبون",
            "قسيمة",
            "كود",
            "رمز",
            "عرض",
            "عروض",
            "نقاط",
            "برنامج",
            "ادع",
            "خصم",
            "تخفيض",
            "الأكثر",
            "مجموعتنا",
        ),
    ),
    "zh": (
        r"(?:会员)?积分(?:奖励|兑换|抵扣|返还)?|返现|(?:推荐|邀请)好友|生日(?:礼券|优惠|礼包)|礼品卡|新品上市|热销(?:产品|商品|款)"
        r"|畅销(?:产品|商品|款)",
        ("积分", "返现", "推荐好友", "邀请好友", "生日", "礼品卡", "新品", "热销", "畅销"),
    ),
    "ja": (
        r"ポイント(?:還元|プレゼント|付与|\d{1,2}倍)|お誕生日(?:クーポン|特典|プレゼント)|(?:友達|友だち|お友達)紹介"
        r"|新商品のご案内|新作(?:のご案内|をチェック)|人気商品をチェック|ギフト券プレゼント",
        ("ポイント", "誕生日", "紹介", "新商品", "新作", "人気商品", "ギフト券"),
    ),
}


def _fmt(pattern: str) -> str:
    return pattern.replace("{g}", _G)


TYPE_05 = [Detector(_fmt(p), t, _offer, lang=lang) for lang, (p, t) in _TYPE_05_BY_LANG.items()]

# --- CONT-13: reviews and ratings on another site --------------------------------------------------------

_SITES = (
    r"(?:google(?! ?(?:translat|übersetz|tradu|vertal|çeviri))(?: (?:maps|my business|business))?|trustpilot|trusted ?shops|kiyoh|feefo|facebook|yelp|tripadvisor"
    r"|ekomi|yotpo|sitejabber|reviews\.io|opineo|ceneo|prisjakt|pricerunner|şikayetvar|sikayetvar|idealo|proven ?expert"
    r"|谷歌|脸书|大众点评|小红书|グーグル|食べログ|جوجل|غوغل|قوقل|فيسبوك|فيس بوك)"
)
_SITE_TRIGGERS = (
    "google",
    "trustpilot",
    "trusted",
    "kiyoh",
    "feefo",
    "facebook",
    "yelp",
    "tripadvisor",
    "ekomi",
    "yotpo",
    "sitejabber",
    "reviews.io",
    "opineo",
    "ceneo",
    "prisjakt",
    "pricerunner",
    "şikayetvar",
    "sikayetvar",
    "idealo",
    "proven",
    "谷歌",
    "脸书",
    "大众点评",
    "小红书",
    "グーグル",
    "食べログ",
    "جوجل",
    "غوغل",
    "قوقل",
    "فيسبوك",
    "فيس",
)
# what a buyer is asked to leave there: the review words of context.REVIEW plus "experience" / "vote"
_RATE = (
    r"(?:reviews?|ratings?|rate|feedback|stars?|experience|testimonial|bewert\w{0,6}|rezension\w{0,3}|erfahrung\w{0,2}"
    r"|avis|évaluation|évaluer|expérience|reseña|opini[oó]n|valoraci[oó]n|experiencia|recensione|voto|esperienza"
    r"|avalia\w{1,5}|opini[ãa]o|experiência|recensie|beoordel\w{0,6}|ervaring|opini\w{0,3}|ocen\w{0,3}"
    r"|recenzj\w{0,2}|doświadczen\w{0,3}|recension\w{0,3}|omdöme|betyg|upplevelse|yorum\w{0,6}|değerlendir\w{0,6}"
    r"|deneyim\w{0,6}|puan\w{0,4}|评价|评论|好评|评分|体验|レビュー|評価|口コミ|クチコミ|感想|تقييم|مراجعة|رأيك|تجربت)"
)


def _no_amazon(ctx: Ctx, m: re.Match[str]) -> bool:
    """A review on Amazon is what Amazon asks for; a review elsewhere leaves Amazon."""
    return "amazon" not in m.group()


# a link, or a template placeholder for one ("{rating_url}", "[REVIEW LINK]", "[ENLACE ...]")
_LINK = (
    r"(?:https?://\S{1,100}|www\.\S{1,100}|\{[^{}\n]{0,30}(?:url|link|href)[^{}\n]{0,10}\}"
    r"|\[[^\[\]\n]{0,30}(?:link|url|enlace|lien|collegamento|lin[kc]|länk|bağlantı|رابط|链接|リンク)[^\[\]\n]{0,10}\])"
)
_PREP = r"(?:on|at|via|auf|bei|über|sur|chez|en|su|em|no|na|op|bij|på|w|na|في|على)"
# "rate us / evaluate our shop" (the shop, not the product) in each language
_RATE_US = (
    r"(?:\brate us\b|\breview us\b|\buns bewerten\b|(?:\{[a-z_]{1,20}\}|\bunseren shop|\bunser geschäft) bewerten\b"
    r"|\bnous (?:évaluer|noter)\b|\b(?:évaluez|notez)-nous\b|\bcalif[ií]canos\b|\bval[oó]ranos\b|\bdacci un voto\b"
    r"|\bvalutaci\b|\bavalie-nos\b|\bnos avalie\b|\bbeoordeel ons\b|\boceń nas\b|\bocen nas\b|\bbetygsätt oss\b"
    r"|\bbizi değerlendir\w{0,6}|قيمنا|قيّمنا)"
)
_RATE_US_TRIGGERS = (
    "rate us",
    "review us",
    "uns bewerten",
    "bewerten",
    "nous",
    "évaluez",
    "notez",
    "calif",
    "valóranos",
    "valoranos",
    "dacci",
    "valutaci",
    "avalie",
    "nos avalie",
    "beoordeel",
    "oceń",
    "ocen",
    "betygsätt",
    "bizi",
    "قيمنا",
    "قيّمنا",
)

CONT_13 = [
    # "leave us a Google review", "share your experience on Trustpilot", "Bewertung bei Trusted Shops"
    Detector(
        rf"(?<![a-z]){_SITES}{_G}{{0,40}}?(?<![a-z]){_RATE}|(?<![a-z]){_RATE}{_G}{{0,40}}?(?<![a-z]){_SITES}",
        _SITE_TRIGGERS,
    ),
    # "rate us on {rating_url}", "nous évaluer sur {rating_url}", "dacci un voto su {rating_url}"
    Detector(rf"{_RATE_US}{_G}{{0,20}}?\b{_PREP} {_LINK}", _RATE_US_TRIGGERS, _no_amazon),
    # "Hier können Sie {shop_name} bewerten, wir freuen uns auf Ihr Feedback: {rating_url}"
    Detector(rf"{_RATE_US}[^.!?]{{0,60}}?{_LINK}", _RATE_US_TRIGGERS, _no_amazon, reach=80),
]

# --- REV-09: the second ask ------------------------------------------------------------------------------

_EXPERIENCE = re.compile(
    r"experience|erfahrung|expérience|experiencia|esperienza|experiência|ervaring|doświadczen|upplevelse|deneyim"
    r"|تجربت|体验|感想|ご意見"
)


def _about_a_review(ctx: Ctx, m: re.Match[str]) -> bool:
    """The earlier message the text recalls was a review ask: a review word within 200 characters."""
    window = ctx.low[max(0, m.start() - 200) : m.end() + 200]
    return REVIEW.search(window) is not None or _EXPERIENCE.search(window) is not None


_REV_09_BY_LANG = {
    "en": (
        rf"\b(?:i|we) (?:sent (?:you )?(?:a |an )?(?:quick |short |brief )?(?:note|e-?mail|message|request)|wrote to you"
        rf"|emailed you|messaged you|reached out)\b{_G}{{0,40}}?\b(?:a (?:few|couple(?: of)?)"
        r" (?:days|weeks) ago|last week|yesterday|earlier|recently)\b"
        rf"|\b(?:i|we)(?:'ve| have) (?:sent|emailed|written)\b{_G}{{0,20}}?\b(?:a couple|a few|several|two|some)(?: of)? "
        r"(?:e-?mails|messages|notes|reminders)\b|\bthis is (?:my|our|the) (?:last|final) (?:one|reminder|e-?mail|message"
        r"|request|note)\b|\b(?:just )?following up on (?:my|our) (?:earlier|previous|last|recent) (?:request|e-?mail"
        r"|message|note)\b|\bin case you missed (?:it|my|our)\b",
        ("sent", "wrote", "emailed", "messaged", "reached", "written", "this is", "following", "in case"),
    ),
    "de": (
        r"\bvor (?:ein paar|einigen|wenigen) tagen haben wir ihnen\b|\b(?:letzte|zweite|kleine|freundliche) erinnerung\b"
        r"|\bwir möchten sie (?:noch einmal|nochmals|erneut) (?:an|um)\b|\bfalls sie unsere (?:e-?mail|nachricht) "
        r"verpasst haben\b",
        ("vor ", "letzte", "zweite", "kleine", "freundliche", "wir möchten", "falls"),
    ),
    "fr": (
        r"\bil y a quelques jours,? nous vous avons (?:envoyé|écrit|contacté)\b|\bnous revenons vers vous\b"
        r"|\b(?:dernier|petit) rappel\b|\bnous nous permettons de vous relancer\b|\bune dernière fois\b",
        ("il y a", "nous revenons", "dernier", "petit", "nous nous", "une dernière"),
    ),
    "es": (
        r"\bhace (?:unos|algunos|pocos) días (?:te|le|les) (?:enviamos|escribimos)\b|\búltimo recordatorio\b"
        r"|\bvolvemos a escribir(?:te|le)\b|\bpor si no (?:lo viste|vio nuestro)\b|\buna última vez\b",
        ("hace", "último", "volvemos", "por si", "una última"),
    ),
    "it": (
        r"\bqualche giorno fa (?:ti|le|vi) abbiamo (?:scritto|inviato)\b|\bultimo promemoria\b"
        r"|\b(?:ti|le) scriviamo di nuovo\b|\btorniamo a scriver(?:ti|le)\b|\bun'ultima volta\b",
        ("qualche", "ultimo", "scriviamo", "torniamo", "un'ultima"),
    ),
    "pt": (
        r"\bhá (?:alguns|poucos) dias,? (?:enviamos|lhe enviámos|lhe enviamos|te enviamos)\b|\b(?:último|pequeno) "
        r"lembrete\b|\bvoltamos a (?:escrever|entrar em contato|contactar)\b|\buma última vez\b",
        ("há", "último", "pequeno", "voltamos", "uma última"),
    ),
    "nl": (
        r"\b(?:een paar|enkele) dagen geleden (?:hebben we|stuurden we|mailden we)\b|\b(?:laatste|vriendelijke|kleine) "
        r"herinnering\b|\bwe sturen (?:je|u) nog een(?:maal)? \b|\bvoor de laatste keer\b",
        ("een paar", "enkele", "laatste", "vriendelijke", "kleine", "we sturen", "voor de"),
    ),
    "pl": (
        r"\bkilka dni temu (?:wysłaliśmy|pisaliśmy|prosiliśmy)\b|\b(?:ostatnie|krótkie|przyjazne) przypomnienie\b"
        r"|\bponownie prosimy\b|\bostatni raz\b",
        ("kilka", "ostatnie", "krótkie", "przyjazne", "ponownie", "ostatni"),
    ),
    "sv": (
        r"\bför några dagar sedan (?:skickade|skrev|mejlade) vi\b|\b(?:sista|vänlig|liten) påminnelse\b"
        r"|\bvi hör av oss igen\b|\ben sista gång\b",
        ("för några", "sista", "vänlig", "liten", "vi hör", "en sista"),
    ),
    "tr": (
        r"\bbirkaç gün önce (?:size )?(?:gönderdiğimiz|yazmıştık|e-?posta gönder)\w{0,8}|\b(?:son|küçük) bir "
        r"hatırlatma\b|\btekrar hatırlat\w{0,8}|\bson kez\b",
        ("birkaç", "son", "küçük", "tekrar"),
    ),
    "ar": (
        r"قبل (?:بضعة|عدة|أيام) (?:أيام )?(?:أرسلنا|راسلناك|كتبنا)|تذكير (?:أخير|بسيط|ودي)|للمرة الأخيرة",
        ("قبل", "تذكير", "للمرة"),
    ),
    "zh": (
        r"(?:几天前|前几天|之前|上周)(?:我们)?(?:曾)?(?:给您|向您)?(?:发|发送|写)(?:过|了)(?!货)|最后一次(?:提醒|请求|打扰)",
        ("几天前", "前几天", "之前", "上周", "最后一次"),
    ),
    "ja": (
        r"先日(?:も)?(?:メールにて|メールで)?(?:お送りし|ご案内し|お願いし)|リマインド|再度のご案内|改めてのお願い",
        ("先日", "リマインド", "再度", "改めて"),
    ),
}

REV_09 = [Detector(p, t, all_of(_about_a_review), lang=lang) for lang, (p, t) in _REV_09_BY_LANG.items()]

# rule id -> the detectors rules/__init__.py appends to that rule
EXTRA: dict[str, list[Detector]] = {"TYPE-05": TYPE_05, "CONT-13": CONT_13, "REV-09": REV_09}
for _det in CONT_13:
    _det.lang = None  # site names and links are the same in every language
