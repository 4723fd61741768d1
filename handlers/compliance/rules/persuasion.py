"""REV-10: guilt, sympathy or pressure tied to a review or feedback, in all 13 languages.

"We are a small family business, every review decides our future", "your review keeps us alive",
"a bad review could shut us down", "negative feedback hurts our business badly". Amazon forbids
manipulating reviews and pressuring buyers about feedback (Customer product reviews policy; Seller
feedback policy: "pressuring ... a buyer to remove or modify negative feedback is a violation"). A
message that makes the seller's survival hang on the buyer's review, or tells the buyer what a
negative one would do to the seller, is that pressure, so REV-10 is a violation. A plain "we are a
small business" or "it would mean a lot" stays REV-05 (a warning): it persuades, but does not lean on
the buyer with harm.

The review's importance is pressure when it is tied to the business itself: "a review is very important for
our small business", "your review is very important to our store" (REV-10, the store needs it to go on). Its
importance "to us" ("your feedback is very important to us", "it would mean a lot") is the mild REV-05 warning;
"positive feedback is the best thing that can happen to us. Please leave a review" asks for a positive review
(REV-02, rules/reviews.py).

Each detector needs a review or feedback word near its match (review_near), so "our future depends
on returning customers" alone is not a finding. Gaps are bounded: linear time.
"""

from __future__ import annotations

import re

from handlers.compliance.context import REVIEW, Ctx
from handlers.compliance.model import Detector, Rule

REVIEWS_POLICY = "Customer product reviews policy (Seller Central G201972160)"
FEEDBACK_POLICY = "Seller feedback policy (Seller Central 202126280)"

_S = r"[^.!?؟。！？\n]"


def review_close(ctx: Ctx, m: re.Match[str]) -> bool:
    """A review or feedback word within 160 characters: guilt about reviews, not about business in general."""
    return REVIEW.search(ctx.low[max(0, m.start() - 160) : m.end() + 160]) is not None


_EN = (
    # the seller's survival or future hangs on reviews
    r"\b(?:decides?|determines?|(?:will )?make or break|affects?) (?:our|the) (?:future|survival|fate|business|livelihood)\b"
    r"|\bkeeps? (?:us|our (?:small |little |family )?(?:business|shop|store|company)) (?:alive|afloat|going|running|in business)\b"
    r"|\bour (?:small |little |family )?(?:business|shop|store|company|livelihood|survival|future|family|income|jobs?)\b"
    + _S
    + r"{0,25}?\b(?:depends?|relies?|rely|hangs?) (?:on|upon)\b"
    r"|\b(?:can(?:no|')t|cannot|could not|couldn't|won't) survive without\b|\bsurvival of our\b|\bmeans? everything to us\b"
    r"|\blife or death\b|\b(?:put|putting|drive|driving) us out of business\b"
    r"|\b(?:shut|close|closing|shutting) (?:us|our (?:\w+ )?(?:business|shop|store|account)) down\b"
    r"|\b(?:get|have|had) our (?:\w+ )?account (?:suspended|closed|banned|deactivated)\b"
    r"|\b(?:destroy|destroys|ruin|ruins|kill|kills|devastate|devastates|bankrupt) (?:us|our (?:\w+ )?(?:business|shop|store|company"
    r"|family|livelihood))\b"
    # a negative review or feedback harms us
    r"|\b(?:negative|bad|poor|low|neutral|1[- ]star|one[- ]star|critical)\b"
    + _S
    + r"{0,40}?\b(?:hurts?|harms?|damages?|destroys?|ruins?|kills?|devastates?|affects?|impacts?|costs?|penali[sz]es?"
    r"|hits?) (?:us|our|small)\b"
    r"|\b(?:hurts?|harms?|damages?|devastating|disastrous|fatal|a disaster) (?:for |to )?(?:us|our (?:\w+ )?(?:business|shop|store"
    r"|company|account))\b"
    r"|\bwe (?:are )?(?:begging|beg) you\b|\bfeed our (?:family|families|children|kids)\b"
    # the review keeps the shop on Amazon, or the seller needs it to sell
    r"|\b(?:important|essential|crucial|vital|necessary)\b"
    + _S
    + r"{0,40}?\bto (?:remain|stay|survive|continue (?:selling"
    r"|operating|to sell)|keep (?:selling|going|our (?:shop|store|business)))\b"
    r"|\bwe (?:really |desperately |badly )?need (?:a |your |more |some )?(?:reviews?|feedback|ratings?)\b"
    + _S
    + r"{0,30}?\bto (?:boost|increase|grow|survive|keep|stay|save|get|improve) (?:our|us|the)\b"
    # blame over a negative one
    r"|\bno way to treat\b|\bwe (?:did not|didn't|do not|don't) deserve\b|\bunfair to (?:us|a small)\b"
)
_DE = (
    r"\b(?:unsere|die) (?:zukunft|existenz)\b" + _S + r"{0,30}?\b(?:hängt|hängen|entscheide\w*|bestimm\w*|abhängig)"
    r"|\b(?:entscheide\w*|bestimm\w*) (?:über )?unsere (?:zukunft|existenz)"
    r"|\bexistenz(?:bedrohend|gefährdend|sichernd)\w*|\büberleben\b|\bbedeute\w* uns alles\b"
    r"|\b(?:negative|schlechte)\w* (?:bewertung|rezension|feedback|sterne)\w*"
    + _S
    + r"{0,40}?\b(?:schade\w*|schädig\w*"
    r"|ruinier\w*|zerstör\w*|kosten uns|gefährde\w*|trifft uns|treffen uns)"
    r"|\b(?:ruiniert|zerstört|vernichtet|gefährdet) (?:uns|unser\w* (?:geschäft|existenz|unternehmen|shop))\b"
    r"|\b(?:wichtig|entscheidend|notwendig)\b"
    + _S
    + r"{0,40}?\b(?:damit wir|um) "
    + _S
    + r"{0,30}?\b(?:weiter|überleben"
    r"|bestehen|bleiben)"
)
_FR = (
    r"\b(?:notre|l') ?(?:avenir|survie|existence)\b" + _S + r"{0,30}?\b(?:dépend\w*|en jeu)"
    r"|\b(?:décide\w*|détermine\w*) (?:de )?(?:notre|l') ?(?:avenir|survie)|\bnous fai\w* vivre\b|\bsurvivre\b"
    r"|\b(?:avis|évaluations?|commentaires?|notes?) (?:négati\w+|défavorables?)" + _S + r"{0,40}?\b(?:nui\w*|pénalis\w*"
    r"|tu\w*|détrui\w*|ruin\w*|coul\w*|fatal\w*|catastroph\w*)"
    r"|\b(?:mauvais avis|mauvaises? (?:notes?|évaluations?))" + _S + r"{0,40}?\b(?:nui\w*|pénalis\w*|tu\w*|détrui\w*"
    r"|ruin\w*|coul\w*|fatal\w*|catastroph\w*)|\bcompte plus que tout\b"
    r"|\b(?:important|essentiel|crucial|vital)\w*\b" + _S + r"{0,40}?\bpour (?:que nous |que notre \w+ )?(?:rest\w+"
    r"|survi\w+|continu\w+)"
)
_ES = (
    r"\b(?:nuestro|el) (?:futuro|negocio|sustento)\b" + _S + r"{0,30}?\bdepende\w*|\bnuestra supervivencia\b"
    r"|\b(?:sobrevivir|subsistir)\b|\bsignifica todo para nosotros\b"
    r"|\b(?:reseñas?|valoraci[oó]n\w*|opini[oó]n\w*|comentarios?|calificaci[oó]n\w*) negativ\w+"
    + _S
    + r"{0,40}?\b(?:perjudic\w*"
    r"|hund\w*|arruin\w*|destru\w*|cerrar|da[ñn]\w*|fatal\w*)"
    r"|\bmala (?:reseña|valoraci[oó]n|opini[oó]n|calificaci[oó]n)" + _S + r"{0,40}?\b(?:perjudic\w*|hund\w*|arruin\w*"
    r"|destru\w*|cerrar|da[ñn]\w*|fatal\w*)"
    r"|\b(?:importante|esencial|fundamental|vital)\b" + _S + r"{0,40}?\bpara (?:que )?" + _S + r"{0,30}?\b(?:sig\w+"
    r"|permanezc\w+|permanecer|sobreviv\w+|continu\w+)"
)
_IT = (
    r"\b(?:il nostro|il) (?:futuro|lavoro|sostentamento)\b"
    + _S
    + r"{0,30}?\bdipend\w*|\bsopravviv\w+|\bsopravvivenza\b"
    r"|\b(?:recension[ei]|valutazion[ei]|feedback|opinion[ei]) negativ\w+" + _S + r"{0,40}?\b(?:danneggi\w*|rovin\w*"
    r"|distrugg\w*|fatal\w*|colpo|chiudere|penalizz\w*)|\bsignifica tutto per noi\b|\bcolpo fatale\b"
    r"|\b(?:importante|essenziale|fondamentale|vitale)\b" + _S + r"{0,40}?\bper (?:rimanere|restare|sopravvivere"
    r"|continuare)"
)
_PT = (
    r"\b(?:nosso|o) (?:futuro|neg[óo]cio|sustento)\b" + _S + r"{0,30}?\bdepende\w*|\bsobreviv\w+|\bsobrevivência\b"
    r"|\bsignifica tudo para n[óo]s\b"
    r"|\b(?:avalia[çc](?:ão|ões)|coment[áa]rios?|opini(?:ão|ões)|notas?) (?:negativ\w+|ruins?|baixas?)"
    + _S
    + r"{0,40}?\b(?:prejudic\w*|destr[óo]\w*|arruin\w*|fech\w*|fatal\w*|afet\w*)"
    r"|\b(?:importante|essencial|fundamental|vital)\b"
    + _S
    + r"{0,40}?\bpara (?:que )?"
    + _S
    + r"{0,30}?\b(?:permane\w+"
    r"|continu\w+|sobreviv\w+|se mantenha)"
)
_NL = (
    r"\bonze (?:toekomst|zaak|winkel|bedrijf)\b" + _S + r"{0,30}?\bhang\w* af\b|\bvoortbestaan\b|\boverleven\b"
    r"|\bnegatieve (?:review|recensie|beoordeling|feedback)\w*" + _S + r"{0,40}?\b(?:schaadt|schaden|kapot|ruïneer\w*"
    r"|kost ons|nekt|funest|rampzalig)"
)
_PL = (
    r"\b(?:nasza|naszej) przyszłoś\w+" + _S + r"{0,30}?\bzależ\w*|\bprzetrwa\w+|\butrzyma\w* się na rynku"
    r"|\bnegatywn\w+ (?:opini|ocen|komentarz|recenzj)\w*" + _S + r"{0,40}?\b(?:szkodzi|niszczy|zniszcz\w*|rujnuj\w*"
    r"|zaszkodz\w*|zamknięci\w*|bardzo nam szkodz\w*)"
)
_SV = (
    r"\bvår (?:framtid|överlevnad|verksamhet)\b"
    + _S
    + r"{0,30}?\b(?:beror|hänger|avgör\w*)|\böverleva\b|\böverlevnad\b"
    r"|\bnegativ\w* (?:recension|omdöme|betyg|feedback)\w*" + _S + r"{0,40}?\b(?:skadar|förstör\w*|sänker oss|slår ut)"
)
_TR = (
    r"\bgeleceğimiz\w*|\bayakta kal\w*|\bhayatta kal\w*|\bişimizi bitir\w*|\bdükkanı kapat\w*"
    r"|\b(?:olumsuz|kötü|düşük) (?:yorum|değerlendirme|puan|geri bildirim)\w*" + _S + r"{0,40}?\b(?:zarar\w*|mahved\w*"
    r"|batır\w*|bitir\w*|kapat\w*)"
)
_AR = (
    r"مستقبلنا|بقاءنا|بقائنا|استمرارنا|(?:يعتمد|تعتمد)\s(?:عملنا|رزقنا|مصدر رزقنا|متجرنا)"
    r"|(?:تقييم|مراجعة|تعليق)\w{0,3}\s(?:ال)?(?:سلبي|سيء|سيئ)\w{0,2}"
    + _S
    + r"{0,40}?(?:يضر|يضرّ|يدمر|يدمّر|يؤذي|يغلق|يقضي)"
)
_ZH = (
    r"差评" + _S + r"{0,10}?(?:影响|伤害|毁|害|打击|致命|关店|倒闭|封店|扣分)"
    r"|(?:生死|生存|存亡|饭碗|活下去|养家|关门|倒闭|关店)" + _S + r"{0,15}?(?:评价|好评|差评|评论)"
    r"|(?:评价|好评|差评|评论)" + _S + r"{0,15}?(?:生死|生存|存亡|饭碗|活下去|养家|关门|倒闭|关店)"
    r"|求求(?:您|你)|跪求"
)
_JA = (
    r"(?:死活|存続|生活がかか|生命線|閉店|廃業)"
    r"|(?:低評価|悪い評価|悪いレビュー|星1|星一つ)" + _S + r"{0,15}?(?:打撃|致命的|大きな影響|閉店|廃業|痛手)"
)

# The review's importance to the store or the small business (the review word in the same sentence).
_BIZ = {
    "en": (
        r"\b(?:important|crucial|vital|essential|critical|everything)\b"
        + _S
        + r"{0,25}?\b(?:for|to) (?:us as )?(?:a |our |the )?"
        r"(?:(?:small|little|tiny|family|independent|young|new)[- ](?:[\w-]+ )?(?:business|store|shop|company|brand|seller)"
        r"|(?:store|shop|business|company)\b)",
        ("important", "crucial", "vital", "essential", "critical", "everything"),
    ),
    "de": (
        r"\b(?:wichtig|entscheidend|überlebenswichtig|existenziell)\w*\b"
        + _S
        + r"{0,25}?\bfür (?:uns als )?(?:unser\w* |ein\w* )?"
        r"(?:(?:klein|jung|familien)\w*[ -]?)(?:unternehmen|geschäft|shop|laden|händler|betrieb|firma)"
        r"|\b(?:wichtig|entscheidend|überlebenswichtig)\w*\b"
        + _S
        + r"{0,25}?\bfür unser\w* (?:geschäft|shop|laden|unternehmen|firma)",
        ("wichtig", "entscheidend", "existenziell"),
    ),
    "fr": (
        r"\b(?:important|essentiel|crucial|vital|primordial)\w*\b"
        + _S
        + r"{0,25}?\bpour (?:notre|une) (?:petite |jeune )?"
        r"(?:entreprise|boutique|magasin|commerce|société)",
        ("important", "essentiel", "crucial", "vital", "primordial"),
    ),
    "es": (
        r"\b(?:importantes?|esencial\w*|fundamental\w*|vital\w*|crucial\w*)\b"
        + _S
        + r"{0,25}?\bpara (?:nuestr[ao]|una|un) "
        r"(?:pequeñ[ao] )?(?:empresa|tienda|negocio|comercio)",
        ("importante", "esencial", "fundamental", "vital", "crucial"),
    ),
    "it": (
        r"\b(?:important[ei]|essenzial[ei]|fondamental[ei]|vital[ei])\b"
        + _S
        + r"{0,25}?\bper (?:il nostro|la nostra|una|un) "
        r"(?:piccol[ao] )?(?:azienda|negozio|attività|impresa|shop)",
        ("important", "essenzial", "fondamental", "vital"),
    ),
    "pt": (
        r"\b(?:importantes?|essencia\w*|fundamenta\w*|vita\w*)\b"
        + _S
        + r"{0,25}?\bpara (?:a nossa|nossa|o nosso|nosso|uma) "
        r"(?:pequena )?(?:empresa|loja|neg[óo]cio)",
        ("importante", "essencia", "fundamenta", "vita"),
    ),
    "nl": (
        r"\b(?:belangrijk|essentieel|cruciaal|van levensbelang)\w*\b" + _S + r"{0,25}?\bvoor (?:ons|onze) (?:kleine )?"
        r"(?:bedrijf|winkel|zaak|onderneming|webshop)",
        ("belangrijk", "essentieel", "cruciaal", "levensbelang"),
    ),
    "pl": (
        r"\b(?:ważn|istotn|kluczow|niezbędn)\w*\b" + _S + r"{0,25}?\bdla (?:naszej|naszego) (?:mał\w+ )?"
        r"(?:firmy|sklepu|biznesu|działalności)",
        ("ważn", "istotn", "kluczow", "niezbędn"),
    ),
    "sv": (
        r"\b(?:viktig|avgörande|livsviktig)\w*\b" + _S + r"{0,25}?\bför (?:vårt|vår|ett|en) (?:lilla |litet |liten )?"
        r"(?:företag|butik|verksamhet|affär)",
        ("viktig", "avgörande", "livsviktig"),
    ),
    "tr": (
        r"\b(?:küçük )?(?:işletmemiz|mağazamız|dükkanımız|firmamız)\w* için" + _S + r"{0,25}?(?:önemli|hayati)",
        ("işletmemiz", "mağazamız", "dükkanımız", "firmamız"),
    ),
    "ar": (
        r"(?:مهم|مهمة|ضروري|ضرورية|حيوي|حيوية)" + _S + r"{0,25}?(?:متجرنا|شركتنا|مشروعنا|لمتجرنا|لشركتنا|لمشروعنا)",
        ("مهم", "ضروري", "حيوي"),
    ),
    "zh": (
        r"对(?:我们)?(?:这家|我们的)?(?:小店|小本生意|小公司|店铺|小卖家)(?:来说)?"
        + _S
        + r"{0,6}?(?:非常|很|十分|极其|特别)?(?:重要|关键)",
        ("小店", "小本生意", "小公司", "店铺", "小卖家"),
    ),
    "ja": (
        r"小さな(?:お店|店舗|会社|ショップ)(?:にとって|には)" + _S + r"{0,15}?(?:重要|大切|死活)",
        ("小さな",),
    ),
}


def review_in_sentence(ctx: Ctx, m: re.Match[str]) -> bool:
    return ctx.in_sentence(REVIEW, m)


REV_10 = [
    *(Detector(rx, trig, review_in_sentence, lang=lang) for lang, (rx, trig) in _BIZ.items()),
    Detector(
        _EN,
        (
            "decide",
            "determine",
            "make or break",
            "affect",
            "keep",
            "depend",
            "reli",
            "rely",
            "hang",
            "survive",
            "survival",
            "mean",
            "life or death",
            "put",
            "putting",
            "drive",
            "driving",
            "shut",
            "close",
            "closing",
            "shutting",
            "get our",
            "have our",
            "had our",
            "destroy",
            "ruin",
            "kill",
            "devastat",
            "bankrupt",
            "important",
            "essential",
            "crucial",
            "vital",
            "necessary",
            "need",
            "no way",
            "deserve",
            "unfair",
            "negative",
            "bad",
            "poor",
            "low",
            "neutral",
            "1-star",
            "1 star",
            "one-star",
            "one star",
            "critical",
            "hurt",
            "harm",
            "damag",
            "disastrous",
            "fatal",
            "a disaster",
            "we are begging",
            "we beg",
            "begging",
            "feed our",
        ),
        review_close,
        lang="en",
    ),
    Detector(
        _DE,
        (
            "wichtig",
            "entscheidend",
            "notwendig",
            "zukunft",
            "existenz",
            "entscheid",
            "bestimm",
            "überleben",
            "bedeute",
            "negativ",
            "schlecht",
            "ruiniert",
            "zerstört",
            "vernichtet",
            "gefährdet",
        ),
        review_close,
        lang="de",
    ),
    Detector(
        _FR,
        (
            "important",
            "essentiel",
            "crucial",
            "vital",
            "avenir",
            "survie",
            "existence",
            "l'avenir",
            "l'existence",
            "décide",
            "détermine",
            "nous fai",
            "survivre",
            "négati",
            "défavorable",
            "mauvais",
            "compte plus",
        ),
        review_close,
        lang="fr",
    ),
    Detector(
        _ES,
        (
            "importante",
            "esencial",
            "fundamental",
            "vital",
            "futuro",
            "negocio",
            "sustento",
            "supervivencia",
            "sobrevivir",
            "subsistir",
            "significa todo",
            "negativ",
            "mala",
        ),
        review_close,
        lang="es",
    ),
    Detector(
        _IT,
        (
            "importante",
            "essenziale",
            "fondamentale",
            "vitale",
            "futuro",
            "lavoro",
            "sostentamento",
            "sopravviv",
            "negativ",
            "significa tutto",
            "colpo fatale",
        ),
        review_close,
        lang="it",
    ),
    Detector(
        _PT,
        (
            "importante",
            "essencial",
            "fundamental",
            "vital",
            "futuro",
            "negócio",
            "negocio",
            "sustento",
            "sobreviv",
            "significa tudo",
            "negativ",
            "ruim",
            "ruins",
            "baixa",
        ),
        review_close,
        lang="pt",
    ),
    Detector(_NL, ("onze", "voortbestaan", "overleven", "negatieve"), review_close, lang="nl"),
    Detector(_PL, ("nasza", "naszej", "przetrwa", "utrzyma", "negatywn"), review_close, lang="pl"),
    Detector(_SV, ("vår", "överleva", "överlevnad", "negativ"), review_close, lang="sv"),
    Detector(
        _TR,
        ("geleceğimiz", "ayakta", "hayatta", "işimizi", "dükkanı", "olumsuz", "kötü", "düşük"),
        review_close,
        lang="tr",
    ),
    Detector(
        _AR,
        (
            "مستقبلنا",
            "بقاءنا",
            "بقائنا",
            "استمرارنا",
            "يعتمد",
            "تعتمد",
            "سلبي",
            "السلبي",
            "سيء",
            "السيء",
            "سيئ",
            "السيئ",
        ),
        review_close,
        lang="ar",
    ),
    Detector(
        _ZH,
        ("差评", "生死", "生存", "存亡", "饭碗", "活下去", "养家", "关门", "倒闭", "关店", "求求", "跪求"),
        review_close,
        lang="zh",
    ),
    Detector(
        _JA,
        ("死活", "存続", "生活がかか", "生命線", "閉店", "廃業", "低評価", "悪い評価", "悪いレビュー", "星1", "星一つ"),
        review_close,
        lang="ja",
    ),
]

RULES = [
    Rule(
        "REV-10",
        "Guilt, sympathy or pressure about a review or feedback",
        "violation",
        f"{REVIEWS_POLICY}; {FEEDBACK_POLICY}",
        'Making the seller\'s survival depend on the buyer\'s review ("every review decides our future", "your review '
        'keeps us alive") or warning what a negative review or feedback would do to you ("a bad review could shut us '
        'down") pressures the buyer; Amazon prohibits manipulating reviews and pressuring buyers about feedback.',
        "review",
        "Remove the appeal to your situation; ask every buyer the same neutral way, or solve their problem without "
        "mentioning reviews.",
        REV_10,
    ),
]
