"""Review, feedback and cancellation rules in the six newer marketplace languages: pt nl pl sv tr ar.

The first seven languages' detectors live in reviews.py and conduct.py; these are the same families
(positive/star asks REV-02, conditional asks REV-03, diversion of unhappy buyers REV-04, persuasion
REV-05, incentives REV-06, change/remove asks REV-07 and FB-03, asking to cancel TYPE-13) for Amazon's
BR, NL/BE, PL, SE, TR and SA/AE/EG marketplaces. rules/__init__.py appends them to their rules by id.

Text is lower-case NFKC. Arabic words take clitic prefixes (و ف ب ل ال), so Arabic stems are matched
without a leading word boundary, and Arabic triggers (matched at word starts) list the prefixed forms.
Every gap is bounded ([^.!?\\n]{0,40}), so each regex runs in linear time.
"""

from __future__ import annotations

from handlers.compliance.context import all_of, no_negation, review_ctx
from handlers.compliance.model import Detector
from handlers.compliance.rules.reviews import _near, ask_or_you_can, not_reply_to_review, not_thanks, review_ahead

_AR_PREFIXES = ("", "ال", "و", "وال", "ب", "بال", "ل", "لل", "ف", "فال")


def _ar(*stems: str) -> tuple[str, ...]:
    """Arabic triggers: each stem with the clitic prefixes it may carry at the start of a word."""
    return tuple(p + s for s in stems for p in _AR_PREFIXES)


_S = r"[^.!?؟\n]"  # one character inside a sentence (Arabic has its own question mark)

# Review words per language (objects of the asks).
_REV_PT = r"(?:avalia[çc](?:ão|ões|ao|oes)|coment[áa]rios?|opini(?:ão|ões|ao)|resenhas?|feedback|nota|estrelas)"
_REV_NL = r"(?:reviews?|recensies?|beoordeling(?:en)?|feedback|waardering(?:en)?|sterren)"
_REV_PL = r"(?:opini\w{0,3}|ocen\w{0,2}|recenzj\w{0,2}|komentarz\w{0,3}|feedback|gwiazd\w{0,3})"
_REV_SV = r"(?:recension\w{0,3}|omdöme\w{0,2}|betyg\w{0,3}|feedback|stjärn\w{0,3})"
_REV_TR = r"(?:yorum\w{0,8}|değerlendirme\w{0,8}|puan\w{0,6}|geri bildirim\w{0,6}|yıldız\w{0,6})"
_REV_AR = r"(?:تقييم|مراجع|تعليق|رأي|نجوم|نجمة)"

REV_02 = [
    Detector(
        r"\b(?:avalia[çc](?:ão|ões)|coment[áa]rios?|opini(?:ão|ões)|resenhas?|feedback|nota) (?:muito )?(?:positiv[ao]s?"
        r"|favor[áa]ve(?:l|is)|boas?|[óo]tim[ao]s?|excelentes?|m[áa]xima|de (?:5|cinco) estrelas)\b"
        r"|\b(?:boa|[óo]tima|excelente|positiva) (?:avalia[çc]ão|opini[ãa]o|nota|resenha)\b|\b(?:5|cinco) estrelas\b"
        r"|\bnota (?:5|cinco|10|dez|máxima)\b",
        ("positiv", "favor", "boa", "boas", "ótim", "otim", "excelente", "estrelas", "máxima", "maxima", "nota"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:positieve|goede|mooie|uitstekende|lovende|(?:5|vijf)[- ]?sterren)[ -]?(?:reviews?|recensies?|beoordeling(?:en)?"
        r"|feedback|waardering(?:en)?)\b|\b(?:5|vijf) sterren\b",
        ("positie", "goede", "mooie", "uitstekend", "lovend", "sterren"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:pozytywn|dobr|pochlebn|świetn|wysok)\w{1,3} (?:opini|ocen|recenzj|komentarz|feedback)\w{0,3}\b"
        r"|\b(?:5|pięć)[- ]?gwiazd\w{0,5}|\bmaksymaln\w{1,3} (?:ocen|liczb)\w{0,3}",
        ("pozytywn", "dobr", "pochlebn", "świetn", "wysok", "gwiazd", "maksymaln"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:positiv[at]?|bra|fin[at]?|högt?) (?:recension(?:er)?|omdöme[nt]?|betyg|feedback)\b"
        r"|\b(?:5|fem)[- ]?stjärn(?:or|a|iga)?\b|\bhögsta betyg(?:et)?\b",
        ("positiv", "bra", "fin", "hög", "stjärn"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:olumlu|pozitif|iyi|güzel|yüksek|harika) (?:bir )?(?:yorum|değerlendirme|puan|geri bildirim)\w{0,8}"
        r"|\b(?:5|beş)[- ]?yıldız\w{0,8}|\btam puan\w{0,4}",
        ("olumlu", "pozitif", "iyi", "güzel", "yüksek", "harika", "yıldız", "beş", "tam puan"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        _REV_AR + r"\w{0,4}\s(?:ال)?(?:إيجابي|ايجابي|جيد|ممتاز|عال)\w{0,3}|(?:5|٥|خمس|خمسة)\s(?:نجوم|نجمات)"
        r"|(?:العلامة|الدرجة) الكاملة",
        (*_ar("إيجابي", "ايجابي", "جيد", "ممتاز", "عال", "نجوم", "نجمات"), "العلامة", "الدرجة"),
        all_of(not_thanks, ask_or_you_can),
    ),
]

REV_03 = [
    Detector(
        r"\b(?:se|caso) (?:você |o senhor |a senhora )?(?:(?:est[áa]|estiver|ficou|ficar|tiver ficado|se sentir|sentiu-se"
        r"|se sente|for) (?:muito |totalmente |completamente |plenamente )?(?:satisfeit[oa]s?|content[ea]s?|feliz|felizes)"
        r"|(?:gostou|gostar|amou|curtiu|adorou)\b|(?:o produto |a compra |o item |nosso produto )?(?:lhe |te )?"
        r"(?:agradou|agradar))",
        ("satisfeit", "content", "feliz", "gost", "amou", "curtiu", "adorou", "agrad"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\b(?:als|indien|wanneer|mocht) (?:u|je|jij) " + _S + r"{0,30}?(?:zeer |heel |helemaal |erg )?(?:tevreden|blij"
        r"|content|enthousiast)\b|\b(?:als|indien|mocht) (?:het|de|uw|je|ons) "
        + _S
        + r"{0,30}?(?:bevalt|beviel|bevallen)",
        ("tevreden", "blij", "content", "enthousiast", "beval"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\b(?:jeśli|jeżeli|jesli|jezeli|gdy|o ile) " + _S + r"{0,30}?(?:zadowolon|usatysfakcjonowan)\w{1,3}"
        r"|\b(?:jeśli|jeżeli|jesli|jezeli) " + _S + r"{0,20}?(?:spodoba|podoba)\w{0,4}",
        ("zadowolon", "usatysfakcjon", "spodoba", "podoba"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\b(?:om|ifall|är) (?:du|ni) " + _S + r"{0,20}?(?:nöjd|nöjda|glad|glada|belåten|belåtna|tillfreds)\b"
        r"|\b(?:om|ifall) (?:du|ni) (?:gillar|gillade|tyckte om|uppskattade|uppskattar)\b",
        ("nöjd", "glad", "belåten", "belåtna", "tillfreds", "gilla", "tyckte om", "uppskatta"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\b(?:memnun|mutlu|hoşnut|razı) (?:kald[ıi]ysan[ıi]z|kald[ıi]ysan|iseniz|isen|olduysan[ıi]z|olursan[ıi]z"
        r"|kal[ıi]rsan[ıi]z|kaldığınız takdirde)|\b(?:beğendiyseniz|beğendiysen|beğenirseniz|sevdiyseniz|beğendiğiniz takdirde)"
        r"|\beğer " + _S + r"{0,30}?(?:memnun|beğen|mutlu)\w{0,10}",
        ("memnun", "mutlu", "hoşnut", "razı", "beğen", "sevdiyseniz", "eğer"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"(?:إذا|اذا|إن|ان|لو|في حال|عندما)\s(?:كنت|كنتِ|كنتم|كان)?\s?" + _S + r"{0,20}?(?:راض|سعيد|مسرور|مستمتع)\w{0,3}"
        r"|(?:إذا|اذا|إن|لو|في حال)\s(?:أعجبك|اعجبك|أعجبتك|اعجبتك|أعجبكم|نال)",
        (*_ar("راض", "راضي", "سعيد", "مسرور", "مستمتع"), "أعجبك", "اعجبك", "أعجبتك", "اعجبتك", "أعجبكم", "نال"),
        all_of(no_negation, review_ahead),
    ),
]

REV_04 = [
    Detector(
        r"\bantes de (?:deixar|escrever|publicar|dar|fazer)\b"
        + _S
        + r"{0,40}?"
        + _REV_PT
        + _S
        + r"{0,60}?(?:contat|contact"
        r"|entre em contato|fale conosco|escreva|nos avise|nos informe)|\b(?:entre em contato|contate-nos|fale conosco"
        r"|nos contate|escreva-nos)\b"
        + _S
        + r"{0,40}?\b(?:primeiro|antes)\b"
        + _S
        + r"{0,60}?"
        + _REV_PT
        + r"|\bem vez de (?:deixar|dar|escrever)\b"
        + _S
        + r"{0,40}?"
        + _REV_PT
        + r"|\b(?:não|nao) (?:deixe|dê|de|escreva) (?:uma )?(?:avalia[çc]ão|nota|opini[ãa]o|coment[áa]rio) (?:negativa|ruim|baixa)",
        ("antes", "primeiro", "em vez", "não", "nao"),
    ),
    Detector(
        r"\b(?:voordat|voor) (?:u|je) "
        + _S
        + r"{0,40}?"
        + _REV_NL
        + _S
        + r"{0,60}?(?:contact|mail|neem|laat (?:het )?ons"
        r" weten)|\b(?:neem|nemen)\b"
        + _S
        + r"{0,20}?contact"
        + _S
        + r"{0,40}?\b(?:eerst|voordat)\b"
        + _S
        + r"{0,60}?"
        + _REV_NL
        + r"|\bin plaats van\b"
        + _S
        + r"{0,40}?"
        + _REV_NL,
        ("voordat", "voor u", "voor je", "eerst", "in plaats"),
    ),
    Detector(
        r"\bzanim " + _S + r"{0,40}?" + _REV_PL + _S + r"{0,60}?(?:skontaktuj|kontakt|napisz|prosimy o)"
        r"|\b(?:skontaktuj|prosimy o kontakt|proszę o kontakt|napisz do nas)\w{0,6}\b"
        + _S
        + r"{0,40}?\b(?:najpierw|zanim"
        r"|przed)\b" + _S + r"{0,60}?" + _REV_PL + r"|\bzamiast\b" + _S + r"{0,40}?" + _REV_PL,
        ("zanim", "najpierw", "przed", "zamiast"),
    ),
    Detector(
        r"\binnan (?:du|ni) " + _S + r"{0,40}?" + _REV_SV + _S + r"{0,60}?(?:kontakta|hör av|skriv till|meddela)"
        r"|\b(?:kontakta oss|hör av dig|skriv till oss)\b"
        + _S
        + r"{0,40}?\b(?:först|innan)\b"
        + _S
        + r"{0,60}?"
        + _REV_SV
        + r"|\bi stället för\b"
        + _S
        + r"{0,40}?"
        + _REV_SV
        + r"|\bistället för\b"
        + _S
        + r"{0,40}?"
        + _REV_SV,
        ("innan", "först", "i stället", "istället"),
    ),
    Detector(
        _REV_TR
        + r"\s(?:bırakmadan|yapmadan|vermeden|yazmadan|paylaşmadan)\s(?:önce|evvel)"
        + _S
        + r"{0,60}?(?:iletişim"
        r"|ulaş|yaz|bildir)|\b(?:bize ulaşın|iletişime geçin|bizimle iletişime)\w{0,4}\b"
        + _S
        + r"{0,40}?\b(?:önce|öncelikle"
        r"|ilk önce)\b"
        + _S
        + r"{0,60}?"
        + _REV_TR
        + r"|\b(?:olumsuz|kötü|düşük) "
        + _REV_TR
        + r"\s(?:yerine|bırakmak yerine)",
        ("önce", "evvel", "öncelikle", "yerine"),
    ),
    Detector(
        r"قبل\s(?:أن\s)?(?:ترك|تترك|كتابة|تكتب|إعطاء|وضع|نشر|تقديم)"
        + _S
        + r"{0,40}?"
        + _REV_AR
        + _S
        + r"{0,60}?(?:تواصل|اتصل|راسل|أخبرنا|اخبرنا)|(?:تواصل|اتصل|راسل)\w{0,3}\sمعنا\s?(?:أولا|اولا|أولاً|اولاً)"
        + _S
        + r"{0,60}?"
        + _REV_AR
        + r"|(?:بدلا|بدلاً)\sمن"
        + _S
        + r"{0,40}?"
        + _REV_AR,
        (*_ar("قبل"), "أولا", "اولا", "أولاً", "اولاً", "بدلا", "بدلاً"),
    ),
]

REV_05 = [
    Detector(
        r"\b(?:pequena empresa|empresa familiar|neg[óo]cio familiar|pequeno neg[óo]cio)\b|\bsignifica muito para n[óo]s\b"
        r"|\bnos ajuda(?:ria)? muito\b",
        ("pequen", "empresa familiar", "negócio", "negocio", "significa", "ajuda"),
        review_ctx,
    ),
    Detector(
        r"\b(?:klein(?:e)? (?:familie)?(?:bedrijf|onderneming|winkel)|familiebedrijf)\b|\bbetekent (?:heel )?veel voor ons\b"
        r"|\bhelpt ons (?:enorm|heel erg|echt)\b",
        ("klein", "familiebedrijf", "betekent", "helpt"),
        review_ctx,
    ),
    Detector(
        r"\b(?:mał\w{1,2} (?:rodzinn\w{1,2} )?(?:firm|sklep|biznes)\w{0,3}|(?:firm|biznes)\w{0,3} rodzinn\w{1,3})\b"
        r"|\bwiele dla nas znaczy\b|\bbardzo nam pomo\w{1,6}",
        ("mał", "firm", "biznes", "wiele dla nas", "bardzo nam"),
        review_ctx,
    ),
    Detector(
        r"\b(?:litet? (?:familje)?(?:företag|butik)|familjeföretag)\b|\bbetyder (?:jättemycket|mycket|allt) för oss\b"
        r"|\bhjälper oss (?:mycket|enormt)\b",
        ("lite", "familjeföretag", "betyder", "hjälper"),
        review_ctx,
    ),
    Detector(
        r"\bküçük (?:bir )?(?:aile )?(?:işletme|şirket|firma|dükkan)\w{0,4}|\baile (?:şirketi|işletmesi)\w{0,4}"
        r"|\bbizim için çok (?:önemli|değerli)\b|\bbize çok yardımcı",
        ("küçük", "aile", "bizim için", "bize çok"),
        review_ctx,
    ),
    Detector(
        r"(?:شركة|مشروع|متجر)\s(?:صغير|صغيرة|عائلي|عائلية)|يعني\sلنا\sالكثير|يساعدنا\sكثير",
        (*_ar("شركة", "مشروع", "متجر"), "يعني", "يساعدنا"),
        review_ctx,
    ),
]

_INC_PT = (
    r"(?:gr[áa]tis|gratuit[oa]s?|brindes?|presentes?|vale[- ]presente|cart(?:ão|ões) (?:de )?presente|reembols\w*"
    r"|dinheiro de volta|descontos?|cupo(?:m|ns)|cashback|recompensas?|sorteios?|garantia (?:estendida|extra|adicional)"
    r"|clube vip|vip|r\$ ?\d+|\d+ ?reais)"
)
_INC_NL = (
    r"(?:gratis|kosteloos|cadeau\w*|geschenk\w*|cadeaubon\w*|cadeaukaart\w*|terugbetal\w*|geld terug|korting\w*"
    r"|coupon\w*|beloning\w*|verloting\w*|winactie\w*|verlengde garantie|extra garantie|vip\w*)"
)
_INC_PL = (
    r"(?:gratis|darmow\w*|prezent\w*|upomin\w*|bon\w* podarunkow\w*|kart\w* podarunkow\w*|zwrot\w*|rabat\w*|zniżk\w*"
    r"|kupon\w*|nagrod\w*|losowani\w*|konkurs\w*|przedłużon\w* gwarancj\w*|dodatkow\w* gwarancj\w*|vip\w*|\d+ ?(?:zł|pln))"
)
_INC_SV = (
    r"(?:gratis|kostnadsfri\w*|present\w*|gåv\w*|presentkort\w*|återbetal\w*|pengarna tillbaka|rabatt\w*|kupong\w*"
    r"|belöning\w*|utlottning\w*|tävling\w*|förlängd garanti|extra garanti|vip\w*|\d+ ?(?:kr|sek)\b)"
)
_INC_TR = (
    r"(?:ücretsiz|bedava|hediye\w*|para iade\w*|iade\w*|indirim\w*|kupon\w*|ödül\w*|çekiliş\w*|uzatılmış garanti\w*"
    r"|ek garanti\w*|vip\w*|puan kazan\w*|\d+ ?(?:tl|₺))"
)
_INC_AR = (
    r"(?:مجان\w*|هدي\w*|استرداد|استرجاع المبلغ|خصم|كوبون|قسيمة|مكافأ\w*|مكافا\w*|جائز\w*|سحب على|ضمان ممتد"
    r"|ضمان إضافي|كاش ?باك|نقاط)"
)
_SHOT = {
    "pt": r"|captura de tela|print",
    "nl": r"|screenshot\w*|schermafbeelding\w*",
    "pl": r"|zrzut\w* ekranu|screenshot\w*",
    "sv": r"|skärmdump\w*|skärmbild\w*|screenshot\w*",
    "tr": r"|ekran görüntü\w*",
    "ar": r"|لقطة شاشة|صورة شاشة",
}
REV_06 = [
    Detector(
        _near(_INC_PT, _REV_PT[:-1] + _SHOT["pt"] + ")"),
        (
            "grátis",
            "gratis",
            "gratuit",
            "brinde",
            "presente",
            "vale",
            "cart",
            "reembols",
            "dinheiro",
            "desconto",
            "cupom",
            "cupons",
            "cashback",
            "recompensa",
            "sorteio",
            "garantia",
            "clube",
            "vip",
            "r$",
            "reais",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_NL, _REV_NL[:-1] + _SHOT["nl"] + ")"),
        (
            "gratis",
            "kosteloos",
            "cadeau",
            "geschenk",
            "terugbetal",
            "geld terug",
            "korting",
            "coupon",
            "beloning",
            "verloting",
            "winactie",
            "garantie",
            "vip",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_PL, _REV_PL[:-1] + _SHOT["pl"] + ")"),
        (
            "gratis",
            "darmow",
            "prezent",
            "upomin",
            "bon",
            "kart",
            "zwrot",
            "rabat",
            "zniżk",
            "kupon",
            "nagrod",
            "losowani",
            "konkurs",
            "gwarancj",
            "vip",
            "zł",
            "pln",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_SV, _REV_SV[:-1] + _SHOT["sv"] + ")"),
        (
            "gratis",
            "kostnadsfri",
            "present",
            "gåv",
            "återbetal",
            "pengarna",
            "rabatt",
            "kupong",
            "belöning",
            "utlottning",
            "tävling",
            "garanti",
            "vip",
            "kr",
            "sek",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_TR, _REV_TR[:-1] + _SHOT["tr"] + ")"),
        (
            "ücretsiz",
            "bedava",
            "hediye",
            "para",
            "iade",
            "indirim",
            "kupon",
            "ödül",
            "çekiliş",
            "garanti",
            "uzatılmış",
            "ek garanti",
            "vip",
            "puan",
            "tl",
            "₺",
        ),
        not_reply_to_review,
    ),
    Detector(
        _INC_AR
        + _S
        + r"{0,80}?"
        + _REV_AR[:-1]
        + _SHOT["ar"]
        + r")|"
        + _REV_AR[:-1]
        + _SHOT["ar"]
        + r")"
        + _S
        + r"{0,80}?"
        + _INC_AR,
        _ar(
            "مجان",
            "هدي",
            "استرداد",
            "استرجاع",
            "خصم",
            "كوبون",
            "قسيمة",
            "مكافأ",
            "مكافا",
            "جائز",
            "سحب",
            "ضمان",
            "كاش",
            "نقاط",
        ),
        not_reply_to_review,
    ),
]


def _change(verbs: str, objects: str, lang: str, *, verb_last: bool = False) -> str:
    """A change/remove verb within a few words of the review (or feedback) object, either order allowed."""
    if lang == "ar":
        return rf"(?:{verbs})\s{_S}{{0,20}}?(?:{objects})"
    near = rf"\b(?:{verbs})\w{{0,8}}\b{_S}{{0,25}}?\b(?:{objects})"
    back = rf"\b(?:{objects})\w{{0,8}}\b{_S}{{0,25}}?\b(?:{verbs})"
    return f"{back}|{near}" if verb_last else f"{near}|{back}"


_VERBS = {
    "pt": r"remov|retir|exclu|apag|alter|mud|modific|atualiz|edit|reconsider|corrig",
    "nl": r"verwijder|aanpass|aan te pass|wijzig|verander|bijwerk|bij te werk|herzie|intrek|in te trek|pas (?:uw|je|de)",
    "pl": r"usun|usuń|zmieni|zmień|edytow|edytuj|popraw|zaktualizow|zaktualizuj|wycofa|skasow|skasuj",
    "sv": r"ta bort|radera|ändra|uppdatera|redigera|justera|ompröva|dra tillbaka",
    "tr": r"sil|kaldır|değiştir|güncelle|düzenle|geri çek|revize",
    "ar": r"حذف|احذف|إزالة|ازالة|أزل|تعديل|عدل|عدّل|تغيير|غير|غيّر|تحديث|حدث|سحب",
}
_TRIG = {
    "pt": ("remov", "retir", "exclu", "apag", "alter", "mud", "modific", "atualiz", "edit", "reconsider", "corrig"),
    "nl": (
        "verwijder",
        "aanpass",
        "aan te pass",
        "wijzig",
        "verander",
        "bijwerk",
        "bij te werk",
        "herzie",
        "intrek",
        "in te trek",
        "pas",
    ),
    "pl": (
        "usun",
        "usuń",
        "zmieni",
        "zmień",
        "edytow",
        "edytuj",
        "popraw",
        "zaktualizow",
        "zaktualizuj",
        "wycofa",
        "skasow",
        "skasuj",
    ),
    "sv": ("ta bort", "radera", "ändra", "uppdatera", "redigera", "justera", "ompröva", "dra tillbaka"),
    "tr": ("sil", "kaldır", "değiştir", "güncelle", "düzenle", "geri çek", "revize"),
    "ar": _ar(
        "حذف", "احذف", "إزالة", "ازالة", "أزل", "تعديل", "عدل", "عدّل", "تغيير", "غير", "غيّر", "تحديث", "حدث", "سحب"
    ),
}
_REVIEW_OBJ = {
    "pt": r"avalia[çc]|coment[áa]rio|opini|resenha|nota\b|estrelas",
    "nl": r"review|recensie|beoordeling|waardering|sterren",
    "pl": r"opini|ocen|recenzj|komentarz|gwiazd",
    "sv": r"recension|omdöme|betyg|stjärn",
    "tr": r"yorum|değerlendirme|puan|yıldız",
    "ar": r"تقييم|تعليق|مراجعت|رأي|نجوم",
}
_FEEDBACK_OBJ = {
    "pt": r"feedback|avalia[çc]ão do vendedor",
    "nl": r"feedback|verkopersbeoordeling",
    "pl": r"feedback|ocen\w{0,2} sprzedawcy|komentarz\w{0,3} dla sprzedawcy",
    "sv": r"feedback|säljarbetyg|säljaromdöme",
    "tr": r"geri bildirim|satıcı (?:puan|değerlendirme)",
    "ar": r"ملاحظات|تقييم البائع",
}
_VERB_LAST = {"tr", "nl", "pl"}  # "uw review te verwijderen", "yorumunuzu silmenizi", "opinię zmienić"


def _change_asks(objects: dict[str, str]) -> list[Detector]:
    out = []
    for lang in ("pt", "nl", "pl", "sv", "tr", "ar"):
        det = Detector(
            _change(_VERBS[lang], objects[lang], lang, verb_last=lang in _VERB_LAST), _TRIG[lang], ask_or_you_can
        )
        det.lang = lang
        out.append(det)
    return out


REV_07 = _change_asks(_REVIEW_OBJ)
FB_03 = _change_asks(_FEEDBACK_OBJ)

TYPE_13 = [
    Detector(
        r"\b(?:por favor|poderia|pode|pedimos (?:que|a (?:você|vc))|solicitamos que|pe[çc]o que|gostar[íi]amos que)\b"
        + _S
        + r"{0,25}?\b(?:cancel(?:ar|e)|solicitar o cancelamento|pedir o cancelamento)\b|\bcancele (?:o|seu|o seu|este)"
        r" pedido\b",
        ("cancel",),
        no_negation,
    ),
    Detector(
        r"\b(?:wilt u|kunt u|zou u|wil je|kun je|graag|alstublieft|alsjeblieft|vragen (?:u|je))\b"
        + _S
        + r"{0,30}?\b(?:annuleren|de annulering aan te vragen|annulering aanvragen)\b|\bannuleer (?:uw|de|je) bestelling\b",
        ("annul",),
        no_negation,
    ),
    Detector(
        r"\b(?:prosimy|proszę|czy mógłby|czy mogłaby|czy może|czy możesz|czy mogliby)\b"
        + _S
        + r"{0,30}?\b(?:anulowa\w{1,3}|anuluj\w{0,3}|złoży\w{1,3} wniosek o anulowanie)\b|\banuluj (?:swoje )?zamówienie",
        ("anul",),
        no_negation,
    ),
    Detector(
        r"\b(?:vänligen|snälla|kan du|kan ni|skulle du|skulle ni|vi ber dig|vi ber er)\b"
        + _S
        + r"{0,30}?\b(?:avbryta|avboka|annullera|makulera)\b|\b(?:avbryt|avboka|annullera) (?:din |er )?beställning",
        ("avbry", "avbok", "annuller", "makulera"),
        no_negation,
    ),
    Detector(
        r"\bsipariş\w{0,6} (?:lütfen )?iptal (?:edin|ediniz|eder misiniz|edebilir misiniz|etmenizi|etmeniz)"
        r"|\biptal (?:talebi|talebinde|isteği) (?:oluştur|bulun|gönder)\w{0,12}",
        ("iptal",),
        no_negation,
    ),
    Detector(
        r"(?:يرجى|الرجاء|نرجو|من فضلك|هل يمكنك|نطلب منك|قم ب)\s?" + _S + r"{0,20}?(?:إلغاء|الغاء)\s?(?:ال)?طلب",
        _ar("إلغاء", "الغاء"),
        no_negation,
    ),
]

for _family in (REV_02, REV_03, REV_04, REV_05, REV_06, TYPE_13):
    for _det, _lang in zip(_family, ("pt", "nl", "pl", "sv", "tr", "ar"), strict=True):
        _det.lang = _lang
for _det in REV_04:
    _det.reach = 300  # "if not satisfied, contact us first ... review" spans sentences
for _det in REV_03:
    _det.reach = 0

# rule id -> the detectors rules/__init__.py appends to that rule
EXTRA: dict[str, list[Detector]] = {
    "REV-02": REV_02,
    "REV-03": REV_03,
    "REV-04": REV_04,
    "REV-05": REV_05,
    "REV-06": REV_06,
    "REV-07": REV_07,
    "FB-03": FB_03,
    "TYPE-13": TYPE_13,
}
