"""Review and feedback solicitation: REV-02..REV-09 and FB-03.

A neutral request ("please leave an honest review") is allowed (REV-01, FB-01); these rules only fire on the
prohibited shapes: positive/star asks, conditions, diversion, incentives, change/remove asks, supplied text,
repeat asks and persuasion. Patterns run on lower-case NFKC text (Chinese: simplified).
"""

from __future__ import annotations

import re

from handlers.compliance.context import ASK, REVIEW, REVIEW_NOUN, SHARE, Ctx, all_of, ask_ctx, no_negation, review_ctx
from handlers.compliance.model import Detector, Rule, tag

REVIEWS_POLICY = "Customer product reviews policy (Seller Central G201972160)"
MANIPULATION = "Review manipulation policy (Seller Central E8SYAZUBGVFBHCH)"
FEEDBACK_POLICY = "Seller feedback policy (Seller Central 202126280)"

_THANKS = re.compile(
    r"thank|thanks|danke|merci(?! de| d')|gracias|grazie|感谢|谢谢|多谢|ありがとう|for your|für ihre|pour votre|por su|per la sua"
    r"|obrigad|agradecemos|bedankt|dank u|dank je|dziękuj|tack för|teşekkür|شكرا|شكراً|نشكر"
)


def not_thanks(ctx: Ctx, m: re.Match[str]) -> bool:
    """ "Thank you for the great review" answers a buyer; it asks for nothing."""
    s, _ = ctx.sentence(m.start())
    return _THANKS.search(ctx.low[max(s, m.start() - 30) : m.start()]) is None


def review_near(ctx: Ctx, m: re.Match[str]) -> bool:
    return REVIEW.search(ctx.low[max(0, m.start() - 200) : m.end() + 200]) is not None


def review_ahead(ctx: Ctx, m: re.Match[str]) -> bool:
    """A condition is about a review when a review word is in its sentence or just after it
    ("If it met your expectations, would you mind sharing that? Leave a review: ...")."""
    s, e = ctx.sentence(m.start(), max(m.end() - 1, m.start()))
    end = min(len(ctx.low), max(e, m.end() + 160))
    # "if you've had a good experience, we'd love to hear from you": sharing the experience is the review
    return REVIEW.search(ctx.low, s, end) is not None or SHARE.search(ctx.low, s, end) is not None


_YOU_CAN = re.compile(
    r"\byou (?:can|may|could|might)\b|\bif you (?:don't|do not)\b|\bunless you\b|sie können"
    r"|vous pouvez|puede|può|可以|できます|você pode|pode |u kunt|je kunt|możesz|może pan|du kan|ni kan"
    r"|yapabilirsiniz|verebilirsiniz|يمكنك"
)


_PERSUADE = re.compile(
    r"would (?:really )?(?:help|mean|be (?:great|amazing|appreciated|wonderful))|helps? us|love to"
    r"|means? (?:a lot|so much|the world)|würde uns|aiderait|ayudaría|aiuterebbe|freuen (?:wir )?uns"
    r"|serions ravis|nous ferait plaisir|nos encantaría|nos gustaría|ci farebbe piacere|saremmo felici"
    r"|ajudaria|ficaríamos|gostaríamos|zou ons|helpt ons|pomoże nam|pomogłoby|skulle hjälpa|hjälper oss"
    r"|yardımcı olur|memnun oluruz|سيساعدنا|يسعدنا"
)


def ask_or_you_can(ctx: Ctx, m: re.Match[str]) -> bool:
    return ctx.in_sentence(ASK, m) or ctx.in_sentence(_YOU_CAN, m) or ctx.in_sentence(_PERSUADE, m)


REV_02 = [
    Detector(
        r"\b(?:positive|good|great|glowing|excellent|favou?rable|nice|awesome|perfect|top|high|5[- ]?star|five[- ]star)"
        r" (?:product )?(?:reviews?|ratings?|feedback)\b|\bonly (?:positive|good|happy) (?:reviews?|ratings?|feedback)\b",
        (
            "positive",
            "good",
            "great",
            "glowing",
            "excellent",
            "favo",
            "nice",
            "awesome",
            "perfect",
            "top",
            "high",
            "star",
            "only",
        ),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:give|leave|rate|award|rating of|with|score)\b[^.!?\n]{0,25}?\b(?:5|five|10|ten) ?-?stars?\b"
        r"|\brate us (?:highly|5|five|10|ten)\b|★{3,}|☆{3,}|\btop marks\b",
        ("star", "rate us", "★", "☆", "top marks"),
        not_thanks,
    ),
    Detector(
        r"\b(?:positive|gute|sehr gute|tolle|hervorragende|fünf-?sterne|5-?sterne)[nrs]?[ -](?:bewertung|rezension|"
        r"feedback)(?:en)?\b|\b(?:5|fünf)[ -]sterne\b",
        ("positiv", "gute", "tolle", "hervorragend", "sterne"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:avis|commentaires?|évaluations?) (?:positifs?|positives?|favorables?|élogieux|(?:5|cinq) étoiles)\b"
        r"|\b(?:bon|bonne|excellente?) (?:avis|note|évaluation)\b|\b(?:5|cinq) étoiles\b",
        ("positi", "favorable", "élogieux", "étoiles", "bon", "excellent"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:reseñas?|opiniones|opini[oó]n|valoraci[oó]n(?:es)?|calificaci[oó]n(?:es)?|comentarios?) (?:muy )?"
        r"(?:positiv[ao]s?|buen[ao]s?|favorables?|excelentes?|de (?:5|cinco) estrellas)\b"
        r"|\bbuena (?:reseña|valoraci[oó]n|opini[oó]n|calificaci[oó]n)\b|\b(?:5|cinco) estrellas\b",
        ("positiv", "buen", "favorable", "excelente", "estrellas"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"\b(?:recension[ei]|valutazion[ei]|feedback|opinion[ei]) (?:molto )?(?:positiv[aei]|ottim[aei]|favorevol[ei]|"
        r"a (?:5|cinque) stelle)\b|\bbuona (?:recensione|valutazione)\b|\b(?:5|cinque) stelle\b",
        ("positiv", "ottim", "favorevol", "stelle", "buona"),
        all_of(not_thanks, ask_or_you_can),
    ),
    Detector(
        r"(?:给|留|写|打|求|希望|期待|请|麻烦)[^。！？\n]{0,8}?(?:五星|5星|五颗星|好评|满分|高分)|(?:五星|5星)好评",
        ("五星", "5星", "五颗星", "好评", "满分", "高分"),
        not_thanks,
    ),
    Detector(
        r"(?:星5|星5つ|5つ星|五つ星|★5|高評価|良い評価|よい評価|いい評価|良いレビュー|高い評価|満点)[^。！？\n]{0,15}?"
        r"(?:お願い|ください|下さい|いただけ|頂け|をつけて|して)",
        ("星5", "5つ星", "五つ星", "★", "評価", "レビュー", "満点"),
        not_thanks,
    ),
]

REV_03 = [
    Detector(
        r"\bif (?:you(?:'re| are| were|'ve been| have been| feel| felt) (?:very |completely |fully |totally |truly |"
        r"really )?(?:satisfied|happy|pleased|delighted|content|thrilled)(?! that (?:we|the|your|it))"
        r"|you(?:'re| are) (?:still |regularly )?(?:using|enjoying) (?:the|it|our|your|this|these)\b"
        r"|we (?:did (?:a )?(?:great|good|well)|delivered|got it right|nailed it|exceeded|met your)"
        r"|you had (?:a |an )?(?:good|great|positive|pleasant|excellent|wonderful|nice|amazing)"
        r"|[^.!?\n]{0,60}?\b(?:makes?|made) you (?:satisf\w*|happy|pleased|smile)"
        r"|you (?:liked|loved|enjoyed)\b|you (?:like|love|enjoy) (?:it|the|your|our|this|these|them|using|what)\b|you(?:'ve| have) (?:had|enjoyed) (?:a |an )?(?:good|great|"
        r"positive|pleasant|excellent|wonderful)|(?:everything|all|it) (?:is|was|went|worked) (?:fine|good|great|ok|okay|"
        r"well|perfect|as expected|to your (?:satisfaction|liking))|(?:the |your |our )?[\w-]+ (?:met|meets|exceeded|"
        r"lived up to) your expectations|satisfied|happy|pleased)",
        ("if ",),
        all_of(no_negation, review_ahead),
    ),
    # a satisfaction question, then "if so": "Did we fix it? If so, your review could help ..."
    Detector(
        r"\b(?:happy|satisfied|pleased|enjoy\w*|like|love|fix(?:ed)?|help(?:ed)?|work(?:ed|s)?|good|great|expectations)"
        r"\b[^.!?\n]{0,60}\?\s*if (?:so|yes)\b|\bhad a (?:good|great|positive|pleasant|wonderful|amazing) (?:experience|time)"
        r"\b[^.!?\n]{0,40}\?",
        ("if so", "if yes", "had a"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\b(?:happy|satisfied|pleased|enjoying|enjoyed|loved?|liked?) (?:with )?(?:your|the) (?:new )?[\w-]+\?\s*"
        r"[^.!?\n]{0,60}?\b(?:reviews?|ratings?|feedback|stars?)\b",
        ("happy", "satisfied", "pleased", "enjoy", "love", "like"),
        no_negation,
    ),
    Detector(
        r"\b(?:wenn|falls|sofern) (?:sie|du) (?:mit [^.!?\n]{0,40}?)?(?:sehr |rundum |voll |vollauf )?(?:zufrieden|"
        r"glücklich|begeistert)\b|\b(?:wenn|falls|sofern) (?:ihnen|dir) [^.!?\n]{0,40}?(?:gefallen|gefällt|gefiel)"
        r"|\b(?:wenn|falls) alles (?:in ordnung|gut|zu ihrer zufriedenheit|bestens)",
        (
            "zufrieden",
            "glücklich",
            "begeistert",
            "gefallen",
            "gefällt",
            "gefiel",
            "in ordnung",
            "alles gut",
            "zufriedenheit",
            "bestens",
        ),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\bsi (?:vous (?:êtes|étiez|avez été|êtes resté) (?:très |pleinement |entièrement )?(?:satisfaite?s?|"
        r"contente?s?|ravie?s?)|(?:le produit|l'article|votre achat|notre produit|il|elle|cela|ça) vous (?:a plu|plaît|"
        r"plait|convient|satisfait)|vous (?:avez )?(?:aimé|apprécié|appréciez|aimez))\b",
        ("satisf", "content", "ravi", "plu", "plaît", "plait", "convient", "aimé", "apprécié", "appréciez", "aimez"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\bsi (?:usted )?(?:está|estás|quedó|ha quedado|queda|estuvo|se siente) (?:muy |totalmente |completamente )?"
        r"(?:satisfech[oa]s?|content[oa]s?|feliz)\b|\bsi (?:el producto |nuestro producto |su compra |la compra )?"
        r"(?:le|te) (?:ha )?(?:gust(?:ó|a|ado)|encant(?:ó|a|ado))",
        ("satisfech", "content", "feliz", "gust", "encant"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"\bse (?:(?:è|sei|siete|è stato|è stata|è rimasto|è rimasta|si ritiene) (?:molto |pienamente |completamente )?"
        r"(?:soddisfatt[oaie]|content[oaie]|felice)|(?:il prodotto |l'articolo |il nostro prodotto )?(?:le|ti|vi) "
        r"(?:è piaciut[oa]|piace))",
        ("soddisfatt", "content", "felice", "piaciut", "piace"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"如果(?:您|你)?(?:对[^，。！？\n]{0,15}?)?(?:很|非常|比较|还)?(?:满意|喜欢)|若(?:您)?(?:对[^，。！？\n]{0,15}?)?满意"
        r"|(?:满意|喜欢)的话",
        ("满意", "喜欢"),
        all_of(no_negation, review_ahead),
    ),
    Detector(
        r"(?:ご満足|満足)いただけ(?:まし)?たら|ご満足いただけた(?:場合|なら)|気に入っていただけ(?:まし)?たら"
        r"|気に入っていただけた(?:場合|なら)|お気に召しましたら|お気に召した(?:場合|なら)|満足(?:され|した)(?:場合|なら|ら)",
        ("満足", "気に入", "お気に召"),
        review_ahead,
    ),
]

REV_04 = [
    Detector(
        r"\b(?:contact|message|e-?mail|reach out to|write to|tell|let) us\b[^!?\n]{0,60}?\b(?:first|before)\b"
        r"[^.!?\n]{0,60}?\b(?:reviews?|feedback|ratings?)\b"
        r"|\bbefore (?:leaving|writing|posting|giving|submitting|you (?:leave|write|post|give|submit))\b[^.!?\n]{0,40}?"
        r"\b(?:reviews?|feedback|ratings?)\b[^.!?\n]{0,60}?\b(?:contact|message|e-?mail|reach out|write to|let us know)"
        r"|\b(?:instead of|rather than) (?:leaving|writing|posting|giving)\b[^.!?\n]{0,30}?\b(?:reviews?|feedback|ratings?)\b"
        r"|\bif (?:you(?:'re| are| were) (?:not |un|dis)|(?:there is|there's|you have|you had) (?:a |any )?(?:problem|"
        r"issue|complaint))[^.!?\n]{0,80}?\b(?:contact|message|e-?mail|let us know|reach out)\b[^\n]{0,120}?"
        r"(?:\botherwise\b|\bif not\b|\bif (?:you(?:'re| are)) (?:satisfied|happy)\b)[^\n]{0,80}?\b(?:reviews?|feedback|"
        r"ratings?|stars?)\b",
        ("first", "before", "instead", "rather", "otherwise"),
    ),
    Detector(r"\bonly (?:happy|satisfied|pleased|delighted) (?:customers|buyers|clients)\b", ("only",)),
    Detector(
        r"\b(?:kontaktieren sie uns|wenden sie sich|schreiben sie uns|melden sie sich)\b[^.!?\n]{0,40}?\b(?:zuerst|bevor|"
        r"vorher)\b[^.!?\n]{0,60}?(?:bewertung|rezension|feedback)|\bbevor sie\b[^.!?\n]{0,30}?(?:bewertung|rezension|"
        r"feedback)[^.!?\n]{0,60}?(?:kontaktieren|wenden|schreiben|melden)|\b(?:statt|anstatt) (?:einer? )?(?:negativen |"
        r"schlechten )?(?:bewertung|rezension)|(?:nicht zufrieden|unzufrieden)[^\n]{0,120}?(?:andernfalls|ansonsten|sonst|"
        r"wenn sie zufrieden)[^\n]{0,80}?(?:bewertung|rezension|sterne)",
        ("zuerst", "bevor", "vorher", "statt", "andernfalls", "ansonsten", "sonst"),
    ),
    Detector(
        r"\b(?:contactez[- ]nous|écrivez[- ]nous)\b[^.!?\n]{0,40}?\b(?:d'abord|avant)\b[^.!?\n]{0,60}?(?:avis|commentaire|"
        r"évaluation)|\bavant de (?:laisser|publier|donner|écrire)\b[^.!?\n]{0,40}?(?:avis|commentaire|évaluation)"
        r"[^.!?\n]{0,60}?(?:contact|écrivez)|\b(?:au lieu|plutôt que) de (?:laisser|publier)\b[^.!?\n]{0,40}?(?:avis|"
        r"commentaire)|(?:pas satisfaite?|insatisfaite?)[^\n]{0,120}?(?:sinon|si vous êtes satisfait)[^\n]{0,80}?(?:avis|"
        r"étoiles|évaluation)",
        ("abord", "avant", "au lieu", "plutôt", "sinon"),
    ),
    Detector(
        r"\b(?:cont[aá]ct(?:enos|anos)|escr[ií]b(?:anos|enos)|p[oó]ngase en contacto)\b[^.!?\n]{0,40}?\b(?:primero|antes)\b"
        r"[^.!?\n]{0,60}?(?:reseña|opini[oó]n|valoraci[oó]n|comentario)|\bantes de (?:dejar|publicar|escribir)\b"
        r"[^.!?\n]{0,40}?(?:reseña|opini[oó]n|valoraci[oó]n|comentario)[^.!?\n]{0,60}?(?:cont[aá]ct|escr[ií]b|p[oó]ngase)"
        r"|\ben (?:lugar|vez) de (?:dejar|publicar)\b[^.!?\n]{0,40}?(?:reseña|opini[oó]n|valoraci[oó]n)"
        r"|(?:no est[aá] satisfech|insatisfech)[^\n]{0,120}?(?:de lo contrario|si no|si est[aá] satisfech)[^\n]{0,80}?"
        r"(?:reseña|estrellas|valoraci[oó]n|opini[oó]n)",
        ("primero", "antes", "lugar de", "vez de", "contrario"),
    ),
    Detector(
        r"\b(?:ci contatti|contattaci|contattateci|ci scriva|scriveteci|scrivici)\b[^.!?\n]{0,40}?\bprima\b[^.!?\n]{0,60}?"
        r"(?:recensione|valutazione|feedback)|\bprima di (?:lasciare|scrivere|pubblicare)\b[^.!?\n]{0,40}?(?:recensione|"
        r"valutazione|feedback)[^.!?\n]{0,60}?(?:contatt|scriv)|\binvece di (?:lasciare|scrivere)\b[^.!?\n]{0,40}?"
        r"(?:recensione|valutazione)|(?:non (?:è|sei) soddisfatt|insoddisfatt)[^\n]{0,120}?(?:altrimenti|se (?:è|sei) "
        r"soddisfatt)[^\n]{0,80}?(?:recensione|stelle|valutazione)",
        ("prima", "invece", "altrimenti"),
    ),
    Detector(
        r"(?:请先|务必先|先)(?:与我们|和我们)?(?:联系|联络|找)(?:我们|卖家|客服)?[^。！？\n]{0,30}?(?:评价|评论|差评|留评)"
        r"|(?:不要|请勿|别|千万不要)(?:直接)?(?:给|留)?(?:差评|中差评|负面评价|负评)"
        r"|(?:留|给|写)(?:差评|评价|评论)(?:之)?前[^。！？\n]{0,20}?(?:联系|联络)"
        r"|不满意[^\n]{0,40}?(?:联系|联络)[^\n]{0,60}?(?:满意|否则)[^\n]{0,30}?(?:好评|五星|评价)",
        ("先", "差评", "负面", "负评", "前", "否则", "不满意"),
    ),
    Detector(
        r"(?:レビュー|評価)(?:を書く|を投稿する|をつける|をする|する)?前に[^。！？\n]{0,30}?(?:ご連絡|お問い合わせ|連絡)"
        r"|(?:まず|先に)[^。！？\n]{0,10}?(?:ご連絡|お問い合わせ)[^。！？\n]{0,40}?(?:レビュー|評価)"
        r"|(?:低評価|悪い評価|悪いレビュー)(?:を(?:つける|書く|投稿する))?前に"
        r"|ご満足いただけない場合[^\n]{0,60}?(?:ご連絡|お問い合わせ)[^\n]{0,80}?(?:レビュー|評価)",
        ("前に", "まず", "先に", "ご満足いただけない"),
    ),
]

REV_05 = [
    Detector(
        r"\b(?:small|family|family-owned|family-run|independent|tiny) (?:business|company|shop|brand|seller)\b"
        r"|\b(?:reviews?|feedback|ratings?) (?:really |truly )?(?:means?|mean) (?:so much|a lot|the world|everything)\b"
        r"|\b(?:would|will|could) (?:really |truly )?(?:make our day|mean the world|mean a lot|help us (?:a lot|so much|"
        r"grow|survive|enormously))\b|\bour (?:livelihood|survival) depends\b",
        ("small", "family", "independent", "tiny", "mean", "make our day", "help us", "livelihood", "survival"),
        review_ctx,
    ),
    Detector(
        r"\b(?:kleines?|kleinen) (?:familien)?(?:unternehmen|betrieb|geschäft|händler)\b|\bfamilienunternehmen\b"
        r"|\b(?:bedeutet|bedeuten|hilft|helfen|würde) uns (?:sehr viel|alles|enorm|wirklich sehr|die welt)\b",
        ("klein", "familien", "bedeute", "hilft", "helfen", "würde"),
        review_ctx,
    ),
    Detector(
        r"\bpetite entreprise\b|\bentreprise familiale\b|\b(?:compte|comptent|aiderait|aide) (?:beaucoup|énormément)"
        r" (?:pour nous|nous)\b|\bnous aiderait (?:beaucoup|énormément)\b",
        ("petite", "familiale", "beaucoup", "énormément"),
        review_ctx,
    ),
    Detector(
        r"\b(?:pequeña empresa|empresa familiar|negocio familiar|pequeño negocio)\b|\bsignifica (?:mucho|much[ií]simo|"
        r"el mundo) para nosotros\b|\bnos ayuda(?:r[ií]a)? (?:mucho|much[ií]simo)\b",
        ("pequeñ", "familiar", "significa", "ayuda"),
        review_ctx,
    ),
    Detector(
        r"\b(?:piccola (?:azienda|impresa|attività)|azienda familiare)\b|\bsignifica (?:molto|tantissimo) per noi\b"
        r"|\bci aiuterebbe (?:molto|tantissimo)\b|\bci aiuta (?:molto|tantissimo)\b",
        ("piccola", "familiare", "significa", "aiut"),
        review_ctx,
    ),
    Detector(
        r"小本生意|小卖家|家庭作坊|(?:对我们)(?:来说)?(?:非常|很|十分)重要|(?:支持|帮助)(?:一下)?(?:我们)?(?:这家)?小店",
        ("小本", "小卖家", "家庭", "重要", "小店"),
        review_ctx,
    ),
    Detector(
        r"小さな(?:会社|お店|店舗|ショップ)|家族経営|(?:大変|とても|非常に)(?:助かり|励み)",
        ("小さな", "家族", "助かり", "励み"),
        review_ctx,
    ),
]

_INC_EN = (
    r"(?:free (?:products?|items?|gifts?|samples?|units?|ones?|bottles?|packs?|accessor(?:y|ies)|upgrades?|shipping)"
    r"|for free|free of charge|gift ?cards?|gift vouchers?|(?:a|small|little|special) gifts?|giveaways?|refunded"
    r"|refunds?(?! (?:request|policy|policies|process|status|claim|application))"
    r"|reimburse\w*|money back|cash ?back|rebates?|compensat\w*|rewards?|vouchers?|coupons?|discounts?|\d+ ?% off"
    r"|[$€£]\s?\d+|\d+ ?(?:usd|eur|euros?|dollars?|pounds?)\b|paypal|sweepstakes?|raffles?|contests?|lottery|prizes?"
    r"|extended warranty|(?:extra|additional|free|lifetime|\d+|one|two|three)[- ](?:years?|months?)?[- ]?warranty"
    r"|warranty (?:extension|upgrade)|extend(?:ed|ing)? (?:your |the )?warranty|vip(?: club| member\w*| program\w*| group| list)?|exclusive (?:deals?|offers?)|bonus)"
)
_REV_EN = rf"(?:{REVIEW_NOUN}s?|ratings?|feedback|stars?|rate us|screenshots?)"
_INC_DE = (
    r"(?:gratis|kostenlos\w*|geschenk\w*|gutschein\w*|(?:rück)?erstatt\w*|geld zurück|rabatt\w*|\d+ ?%|belohn\w*"
    r"|garantieverlängerung|verlängerte\w* garantie|vip\w*|guthaben\w*|bonus\w*"
    r"|prämie\w*|gewinnspiel\w*|verlosung\w*|[$€£]\s?\d+|\d+ ?(?:euro|eur|€))"
)
_INC_FR = (
    r"(?:gratuit\w*|offert\w*|cadeaux?|cartes? cadeaux?|bons? d'achat|rembours\w*|réductions?|remises?|codes? promo"
    r"|récompenses?|tirage au sort|concours|garantie (?:prolongée|étendue|supplémentaire)|club vip|vip"
    r"|[$€£]\s?\d+|\d+ ?(?:euros?|eur|€))"
)
_INC_ES = (
    r"(?:gratis|gratuit[oa]s?|regalos?|tarjetas? (?:de )?regalo|reembols\w*|descuentos?|cupones|cupón|recompensas?"
    r"|sorteos?|concursos?|garant[ií]a (?:extendida|adicional|ampliada)|club vip|vip|[$€£]\s?\d+|\d+ ?(?:euros?|eur|€))"
)
_INC_IT = (
    r"(?:gratis|gratuit[oaie]|omaggi[oa]?|regal[oi]|buoni? regalo|carte? regalo|rimbors\w*|scont[oi]|coupon|premio"
    r"|ricompens[ae]|concorsi?|estrazion[ei]|garanzia (?:estesa|aggiuntiva)|club vip|vip|[$€£]\s?\d+"
    r"|\d+ ?(?:euro|eur|€|dollari))"
)
_REV_ANY = (
    r"(?:reviews?|ratings?|feedback|bewertung\w*|rezension\w*|avis|évaluations?|reseñas?|valoraci[oó]n\w*"
    r"|recension[ei]|valutazion[ei]|评价|评论|好评|五星|留评|レビュー|評価|口コミ"
    r"|avalia[çc](?:ão|ões)|recensies?|beoordeling\w*|opini[aęie]\w{0,2}|recenzj\w{0,2}|recension\w{0,3}|omdöme\w{0,2}"
    r"|yorum\w{0,6}|değerlendirme\w{0,6}|تقييم\w{0,3}|مراجع\w{0,3})"
)
_INC_ZH = (
    r"(?:返现|红包|礼品卡|免费|赠品|礼物|小礼品|退款|返款|优惠券|折扣|奖励|抽奖|现金|补偿|延保|延长保修|会员|积分)"
)
_REV_ZH = r"(?:评价|评论|好评|五星|留评|晒图|晒单|截图)"
_INC_JA = r"(?:無料|プレゼント|ギフト券|ギフトカード|返金|割引|クーポン|特典|謝礼|ポイント|抽選|キャッシュバック|延長保証|保証延長|くじ)"
_REV_JA = r"(?:レビュー|評価|口コミ|星)"


def _near(a: str, b: str, gap: int = 80, cjk: bool = False) -> str:
    stop = "。！？" if cjk else ".!?\n"  # in CJK a line break is layout, not a sentence end
    w = "" if cjk else r"(?<!\w)"
    e = "" if cjk else r"(?!\w)"
    return rf"{w}{a}{e}[^{stop}]{{0,{gap}}}?{w}{b}{e}|{w}{b}{e}[^{stop}]{{0,{gap}}}?{w}{a}{e}"


_READ_REVIEW = re.compile(
    r"(?:read|saw|seen|noticed|received) your (?:review|feedback|rating)|ihre (?:bewertung|rezension) (?:gelesen|gesehen)"
    r"|(?:lu|vu) votre (?:avis|commentaire)|(?:leído|visto) su (?:opini[oó]n|reseña|valoraci[oó]n)"
    r"|(?:letto|visto) la sua (?:recensione|valutazione)|(?:看到|收到)(?:了)?您的(?:评价|评论)|レビューを(?:拝見|確認)"
    r"|(?:lemos|vimos) (?:a )?sua (?:avalia|opini)|uw (?:review|beoordeling) (?:gelezen|gezien)"
    r"|(?:przeczytaliśmy|widzieliśmy) (?:pana |pani |twoją )?(?:opini|recenzj)|(?:läst|sett) (?:din|er) (?:recension|omdöme)"
    r"|yorumunuzu (?:okuduk|gördük)|(?:قرأنا|رأينا) (?:تقييمك|مراجعتك)"
)


# A sentence that states the rule ("your review will be removed if you received the product for free in exchange
# for it", "incentivised reviews are not allowed") explains the policy; it offers nothing.
_POLICY_TALK = re.compile(
    r"\b(?:will|would|may|can|could) be (?:removed|deleted|taken down|suppressed)\b|\bprohibit|\bnot (?:allowed|permitted)\b"
    r"|\bviolat\w* (?:amazon|the|our|these)|\bagainst (?:amazon's |the |our )?(?:polic|guideline|rules|terms)|\bforbid"
    r"|\b(?:wird|werden) (?:entfernt|gelöscht)|\bverboten\b|\bnicht (?:erlaubt|gestattet|zulässig)|\bverstößt"
    r"|\bsera (?:supprimé|retiré)e?s?\b|\bseront (?:supprimé|retiré)e?s\b|\binterdit|\bpas (?:autorisé|permis)"
    r"|\bser[áa]n? (?:eliminad|borrad|retirad)|\bprohibid|\bno (?:está|están) permitid"
    r"|\bverr(?:à|anno) (?:rimoss|eliminat|cancellat)|\bsar(?:à|anno) (?:rimoss|eliminat)|\bvietat|\bnon (?:è|sono) consentit"
    r"|\blinee guida|\bser(?:á|ão) (?:removid|excluíd|apagad)|\bproibid|\bnão (?:é|são) permitid"
    r"|\bwordt verwijderd|\bworden verwijderd|\bverboden\b|\bniet toegestaan"
    r"|\bzostan\w* usunięt|\bzabronion|\bniedozwolon|\btas bort\b|\bförbjud|\binte tillåt"
    r"|\bkaldırıl\w*|\byasak|\bizin verilmez|سيتم حذف|ممنوع|محظور|غير مسموح|将被删除|会被删除|禁止|不允许|削除され|禁止され"
)


def not_reply_to_review(ctx: Ctx, m: re.Match[str]) -> bool:
    """ "We read your review and will send the missing part for free" answers a review; it buys nothing.
    A sentence stating the rule about incentivised reviews explains it; it offers nothing either."""
    return not ctx.in_sentence(_READ_REVIEW, m) and not ctx.in_sentence(_POLICY_TALK, m)


_TRIG_EN = (
    "free",
    "gift",
    "refund",
    "reimburs",
    "money back",
    "cash",
    "rebate",
    "compensat",
    "reward",
    "voucher",
    "coupon",
    "discount",
    "% off",
    "usd",
    "eur",
    "dollar",
    "pound",
    "paypal",
    "sweepstake",
    "raffle",
    "contest",
    "lottery",
    "prize",
    "warranty",
    "bonus",
    "giveaway",
    "extend",
    "vip",
    "exclusive",
)
REV_06 = [
    Detector(_near(_INC_EN, _REV_EN), _TRIG_EN, not_reply_to_review),
    Detector(
        _near(_INC_DE, r"(?:bewertung\w*|rezension\w*|feedback|sterne)"),
        (
            "gratis",
            "kostenlos",
            "geschenk",
            "gutschein",
            "erstatt",
            "geld zurück",
            "rabatt",
            "%",
            "belohn",
            "prämie",
            "gewinnspiel",
            "verlosung",
            "euro",
            "eur",
            "garantie",
            "verlängert",
            "vip",
            "guthaben",
            "bonus",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_FR, r"(?:avis|évaluations?|commentaires?|étoiles)"),
        (
            "gratuit",
            "offert",
            "cadeau",
            "bon d'achat",
            "bons d'achat",
            "rembours",
            "réduction",
            "remise",
            "promo",
            "récompense",
            "tirage",
            "concours",
            "euro",
            "eur",
            "garantie",
            "vip",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_ES, r"(?:reseñas?|opini[oó]n\w*|valoraci[oó]n\w*|calificaci[oó]n\w*|comentarios?|estrellas)"),
        (
            "gratis",
            "gratuit",
            "regalo",
            "reembols",
            "descuento",
            "cupón",
            "cupones",
            "recompensa",
            "sorteo",
            "concurso",
            "euro",
            "eur",
            "garant",
            "vip",
        ),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_IT, r"(?:recension[ei]|valutazion[ei]|feedback|stelle)"),
        (
            "gratis",
            "gratuit",
            "omaggi",
            "regal",
            "buon",
            "carta regalo",
            "carte regalo",
            "rimbors",
            "scont",
            "coupon",
            "premio",
            "ricompens",
            "concors",
            "estrazion",
            "euro",
            "eur",
            "garanzia",
            "vip",
            "dollari",
        ),
        not_reply_to_review,
    ),
    Detector(
        "好评返现|" + _near(_INC_ZH, _REV_ZH, 20, cjk=True),
        (
            "返现",
            "红包",
            "礼品卡",
            "免费",
            "赠品",
            "礼物",
            "礼品",
            "退款",
            "返款",
            "优惠券",
            "折扣",
            "奖励",
            "抽奖",
            "现金",
            "补偿",
            "延保",
            "延长保修",
            "会员",
            "积分",
        ),
        not_reply_to_review,
    ),
    # money for a review, any language: one detector for the currency signs every lexicon shares
    Detector(
        r"[$€£¥]\s?\d+(?:[.,]\d+)?[^.!?。！？\n]{0,80}?"
        + _REV_ANY
        + r"|"
        + _REV_ANY
        + r"[^.!?。！？\n]{0,80}?(?:[$€£¥]\s?\d+|\d+(?:[.,]\d+)? ?[$€£¥元円])",
        ("$", "€", "£", "¥", "元", "円"),
        not_reply_to_review,
    ),
    Detector(
        _near(_INC_JA, _REV_JA, 50, cjk=True),
        (
            "無料",
            "プレゼント",
            "ギフト",
            "返金",
            "割引",
            "クーポン",
            "特典",
            "謝礼",
            "ポイント",
            "抽選",
            "キャッシュバック",
            "延長保証",
            "保証延長",
            "くじ",
        ),
        not_reply_to_review,
    ),
]


def _change_asks(objects: dict[str, str]) -> list[Detector]:
    en, de, fr, es, it, zh, ja = (objects[k] for k in ("en", "de", "fr", "es", "it", "zh", "ja"))
    return [
        Detector(
            rf"\b(?:remov(?:e|ing)|delet(?:e|ing)|chang(?:e|ing)|updat(?:e|ing)|revis(?:e|ing)|edit(?:ing)?"
            rf"|amend(?:ing)?|modif(?:y|ying)|reconsider(?:ing)?|(?:take|taking) down|withdraw(?:ing)?|upgrad(?:e|ing)"
            rf"|rais(?:e|ing)|improv(?:e|ing)|adjust(?:ing)?|retract(?:ing)?)(?:\s+(?:or|and|/)\s+\w+)?\s+(?:(?:your|the|this|that|these|those|its|my)\s+)?"
            rf"(?:[\w-]+\s+){{0,3}}?(?:{en})\b"
            rf"|\b(?:your|the|this|that) (?:[\w-]+ ){{0,2}}?(?:{en}) (?:removed|deleted|changed|updated|taken down|"
            rf"revised|edited)\b",
            (
                "remov",
                "delet",
                "chang",
                "updat",
                "revis",
                "edit",
                "amend",
                "modif",
                "reconsider",
                "take down",
                "taking down",
                "withdraw",
                "upgrad",
                "rais",
                "improv",
                "adjust",
                "retract",
            ),
            ask_or_you_can,
        ),
        Detector(
            rf"\b(?:(?:ihre|die|diese|deine)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{de})\b[^.!?\n]{{0,30}}?\b(?:zu )?(?:entfernen|"
            rf"löschen|ändern|abändern|anpassen|aktualisieren|überdenken|zurückziehen|korrigieren|zurücknehmen)\b"
            rf"|\b(?:entfernen|löschen|ändern|aktualisieren) sie (?:bitte )?(?:ihre|die|diese)\s+(?:[\w-]+\s+){{0,2}}?"
            rf"(?:{de})",
            ("entfernen", "löschen", "ändern", "anpassen", "aktualisieren", "überdenken", "zurück", "korrigieren"),
            ask_ctx,
        ),
        Detector(
            rf"\b(?:supprimer|modifier|retirer|changer|mettre à jour|revoir|réviser|corriger)\s+(?:(?:votre|le|la|cet|"
            rf"cette|vos|les|l')\s*)?(?:[\w'-]+\s+){{0,2}}?(?:{fr})\b",
            ("supprimer", "modifier", "retirer", "changer", "mettre à jour", "revoir", "réviser", "corriger"),
            ask_ctx,
        ),
        Detector(
            rf"\b(?:eliminar|borrar|cambiar|modificar|actualizar|retirar|quitar|editar|corregir|reconsiderar)\s+(?:(?:su|"
            rf"la|el|esta|este|sus|las|los)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{es})\b",
            (
                "eliminar",
                "borrar",
                "cambiar",
                "modificar",
                "actualizar",
                "retirar",
                "quitar",
                "editar",
                "corregir",
                "reconsiderar",
            ),
            ask_ctx,
        ),
        Detector(
            rf"\b(?:rimuovere|eliminare|cancellare|modificare|cambiare|aggiornare|rivedere|correggere|togliere)\s+"
            rf"(?:(?:la sua|il suo|la|il|questa|questo|le|i|sua|suo)\s+)?(?:[\w'-]+\s+){{0,2}}?(?:{it})\b",
            (
                "rimuovere",
                "eliminare",
                "cancellare",
                "modificare",
                "cambiare",
                "aggiornare",
                "rivedere",
                "correggere",
                "togliere",
            ),
            ask_ctx,
        ),
        Detector(
            rf"(?:删除|删掉|修改|更改|撤销|撤回|追加|改成|改为)(?:一下)?(?:您|你)?(?:的)?(?:这个|这条)?[^。！？\n]{{0,4}}?(?:{zh})"
            rf"|(?:{zh})[^。！？\n]{{0,6}}?(?:删除|删掉|删了|修改|改成|改为|撤销)",
            ("删", "修改", "更改", "撤", "追加", "改"),
            ask_ctx,
        ),
        Detector(
            rf"(?:{ja})[^。！？\n]{{0,12}}?(?:削除|変更|修正|取り消|取消|書き換え|見直し|更新|編集)",
            ("削除", "変更", "修正", "取り消", "取消", "書き換え", "見直し", "更新", "編集"),
            ask_ctx,
        ),
    ]


REV_07 = _change_asks(
    {
        "en": r"reviews?|ratings?|stars?",
        "de": r"bewertung(?:en)?|rezension(?:en)?|sterne(?:bewertung)?|produktbewertung",
        "fr": r"avis|évaluations?|note|commentaires?",
        "es": r"reseñas?|valoraci[oó]n(?:es)?|opini[oó]n(?:es)?|calificaci[oó]n(?:es)?|comentarios?",
        "it": r"recension[ei]|valutazion[ei]|opinion[ei]",
        "zh": r"评价|评论|差评|中评|好评|评分",
        "ja": r"レビュー|評価|口コミ|星",
    }
)
FB_03 = _change_asks(
    {
        "en": r"feedback",
        "de": r"feedback|verkäuferbewertung",
        "fr": r"feedback",
        "es": r"feedback",
        "it": r"feedback",
        "zh": r"反馈|卖家反馈|店铺评分",
        "ja": r"フィードバック|出品者評価",
    }
)

REV_08 = [
    Detector(
        r"\bcopy ?(?:and|&|\+) ?paste\b|\bcopy[- ]paste\b|\b(?:sample|example|template|suggested|pre-?written|ready-made)"
        r" (?:reviews?|review text|wording|feedback)\b|\b(?:you (?:can|could) (?:write|say|use)|(?:just|simply) (?:write|"
        r"say|copy)|feel free to (?:use|copy)|for example,? (?:write|say))\b[^.!?\n]{0,40}?(?:[\"“'«:]|something like|the "
        r"following)|\bcopy (?:your|this|the|that) (?:[\w-]+ )?(?:feedback|text|message|comment|wording) (?:as|into|to) "
        r"(?:a |your |the )?(?:product )?reviews?\b|\b(?:write|say|mention|post|include)\b[^.!?\n]{0,25}?\b(?:something "
        r"like|the following)\b",
        (
            "copy",
            "sample",
            "example",
            "template",
            "suggested",
            "written",
            "ready-made",
            "write",
            "say",
            "feel free",
            "following",
        ),
        review_near,
    ),
    Detector(
        r"\bkopieren (?:und|&) einfügen\b|\b(?:beispiel|muster|vorlage|vorschlag)(?:-|s)?(?:bewertung|rezension|text)\b"
        r"|\b(?:schreiben sie(?: einfach)?|(?:sie könnten|könnten sie) (?:zum beispiel |etwa |z\. ?b\. )?schreiben)\b[^.!?\n]{0,30}?"
        r"(?:[\"“„'«:]|etwas wie|folgendes)",
        ("kopieren", "beispiel", "muster", "vorlage", "vorschlag", "schreiben"),
        review_near,
    ),
    Detector(
        r"\bcopier[- ](?:et )?coller\b|\b(?:modèle|exemple) d'(?:avis|commentaire|évaluation)\b|\b(?:avis|commentaire|texte)"
        r" (?:type|pré-?rédigé|pré-?écrit|suggéré)\b|\b(?:écrivez|écrire|vous pouvez écrire)\b[^.!?\n]{0,30}?(?:[\"“«:]|"
        r"quelque chose comme|le texte suivant)",
        ("copier", "modèle", "exemple", "type", "pré", "suggéré", "écri"),
        review_near,
    ),
    Detector(
        r"\bcopiar y pegar\b|\bcopie y pegue\b|\b(?:reseña|opini[oó]n|comentario|texto) (?:de ejemplo|sugerid[oa]|modelo|"
        r"predefinid[oa]|ya escrit[oa])\b|\b(?:escriba|escribir|escribe|puede escribir)\b[^.!?\n]{0,30}?(?:[\"“«:]|algo como|"
        r"lo siguiente|el siguiente texto)",
        ("copi", "ejemplo", "sugerid", "modelo", "predefinid", "escrit", "escrib"),
        review_near,
    ),
    Detector(
        r"\bcopia (?:e|&) incolla\b|\bcopiare e incollare\b|\b(?:recensione|testo|commento) (?:di esempio|suggerit[ao]|"
        r"precompilat[ao]|già scritt[ao])\b|\b(?:scriva|scrivi|scrivere|può scrivere)\b[^.!?\n]{0,30}?(?:[\"“«:]|qualcosa "
        r"come|il seguente testo)",
        ("copia", "esempio", "suggerit", "precompilat", "scritt", "scriv"),
        review_near,
    ),
    Detector(
        r"(?:复制|拷贝)[^。！？\n]{0,10}?(?:粘贴|以下|下面)|(?:评价|好评)(?:模板|范文|文案|内容如下)|可以(?:这样|如下)(?:写|评价)"
        r"|参考(?:以下|下面)的?(?:评价|内容|文字)",
        ("复制", "拷贝", "模板", "范文", "文案", "如下", "这样", "参考"),
        review_near,
    ),
    Detector(
        r"(?:コピー|コピペ)[^。！？\n]{0,10}?(?:貼り付け|ペースト|して|ください)|(?:レビュー|評価)(?:の)?(?:例文|テンプレート|文例|見本)"
        r"|(?:以下|下記)の(?:文章|例文|文面)",
        ("コピ", "例文", "テンプレート", "文例", "見本", "以下", "下記"),
        review_near,
    ),
]

REV_09 = [
    Detector(
        r"\b(?:another|second|third|final|last|friendly|gentle|quick|kind) reminder\b[^.!?\n]{0,60}?\b(?:reviews?|feedback|"
        r"ratings?)\b|\b(?:reviews?|feedback)\b[^.!?\n]{0,40}?\breminder\b|\b(?:haven't|have not|did not|didn't) (?:yet )?"
        r"(?:had a chance to )?(?:left|leave|written|write|received|seen)\b[^.!?\n]{0,30}?\b(?:reviews?|feedback)\b"
        r"|\b(?:asked|contacted|wrote to|reached out to) you (?:before|already|earlier|previously|last week|a few days ago)"
        r"\b[^.!?\n]{0,40}?\b(?:reviews?|feedback)\b|\bfollow(?:ing)?[- ]up on our (?:previous |earlier |last )?(?:request|"
        r"message|email)\b[^.!?\n]{0,40}?\b(?:reviews?|feedback)\b",
        (
            "reminder",
            "haven't",
            "have not",
            "did not",
            "didn't",
            "asked you",
            "contacted you",
            "wrote to you",
            "reached out to you",
            "follow",
        ),
    ),
    Detector(
        r"\berinnerung\b[^.!?\n]{0,40}?(?:bewertung|rezension|feedback)|(?:bewertung|rezension)[^.!?\n]{0,40}?erinner"
        r"|\b(?:noch keine|bisher keine) (?:bewertung|rezension)",
        ("erinner", "noch keine", "bisher keine"),
    ),
    Detector(
        r"\b(?:rappel|relance)\b[^.!?\n]{0,40}?(?:avis|évaluation|commentaire)|\b(?:pas encore|toujours pas) (?:laissé|"
        r"reçu|écrit)\b[^.!?\n]{0,20}?(?:avis|évaluation)",
        ("rappel", "relance", "pas encore", "toujours pas"),
    ),
    Detector(
        r"\brecordatorio\b[^.!?\n]{0,40}?(?:reseña|opini[oó]n|valoraci[oó]n)|\b(?:todav[ií]a|a[uú]n) no (?:ha dejado|ha "
        r"escrito|hemos recibido)\b[^.!?\n]{0,20}?(?:reseña|opini[oó]n|valoraci[oó]n)",
        ("recordatorio", "no ha", "no hemos"),
    ),
    Detector(
        r"\b(?:promemoria|sollecito|le ricordiamo)\b[^.!?\n]{0,40}?(?:recensione|valutazione|feedback)|\b(?:non ha ancora|"
        r"ancora non ha) (?:lasciato|scritto)\b[^.!?\n]{0,20}?(?:recensione|valutazione)",
        ("promemoria", "sollecito", "ricordiamo", "ancora"),
    ),
    Detector(
        r"(?:再次|又一次|第二次|最后一次)(?:提醒|邀请|请求|请)[^。！？\n]{0,20}?(?:评价|评论|留评)|(?:还没有|尚未|还未)(?:给|留|写)?"
        r"(?:我们)?(?:评价|评论|留评)",
        ("再次", "又一次", "第二次", "最后一次", "还没有", "尚未", "还未"),
    ),
    Detector(
        r"(?:再度|再び)[^。！？\n]{0,15}?(?:レビュー|評価)|まだ(?:レビュー|評価)(?:を)?(?:いただいて|頂いて|書いて)(?:いない|おりません)",
        ("再度", "再び", "まだ"),
    ),
]

tag(REV_02, "en", "en", "de", "fr", "es", "it", "zh", "ja")
tag(REV_04, "en", "en", "de", "fr", "es", "it", "zh", "ja")
tag(REV_03, "en", "en", "en", "de", "fr", "es", "it", "zh", "ja")
# curly apostrophes (you’ve, you’re) are what word processors and web pages write
REV_03[0].regex = re.compile(REV_03[0].pattern.replace("'", "['’]"))
tag(REV_06, "en", "de", "fr", "es", "it", "zh", None, "ja")
for _family in (REV_05, REV_07, FB_03, REV_08, REV_09):
    tag(_family)
for _det in REV_04:
    _det.reach = 300  # "if not satisfied, contact us first. Otherwise, ... review" spans sentences


# A positive review praised as what the seller wants, with an ask in that sentence or the next: "Positive feedback
# is the best thing that can happen to us! Therefore, we would be pleased to receive a review!" asks for a positive
# one (a neutral "Feedback is the best thing that can happen to us" is fine).
def ask_ahead(ctx: Ctx, m: re.Match[str]) -> bool:
    s, e = ctx.sentence(m.start(), max(m.end() - 1, m.start()))
    return ASK.search(ctx.low, s, min(len(ctx.low), e + 160)) is not None


_VALUED = {
    "en": (
        r"\b(?:positive|good|great|5[- ]star|five[- ]star) (?:reviews?|feedback|ratings?) (?:is|are|would be|means?|helps?|makes?)"
        r"\b[^.!?\n]{0,40}?\b(?:best|important|crucial|vital|everything|the world|a lot|greatest|essential|huge|so much)\b",
        ("positive", "good", "great", "star"),
    ),
    "de": (
        r"\b(?:positive|gute|tolle|5-?sterne|fünf-?sterne)[nrs]? (?:bewertung|rezension|feedback)\w* (?:ist|sind|bedeute\w*|hilft"
        r"|helfen)\b[^.!?\n]{0,40}?(?:wichtig|alles|das beste|sehr viel|enorm)",
        ("positiv", "gute", "tolle", "sterne"),
    ),
    "fr": (
        r"\b(?:avis|commentaires?|évaluations?|notes?) (?:positifs?|positives?|favorables?|(?:5|cinq) étoiles) (?:est|sont|compte\w*"
        r"|aide\w*|nous)\b[^.!?\n]{0,40}?(?:important|essentiel|beaucoup|tout|meilleur|énormément)",
        ("positi", "favorable", "étoiles"),
    ),
    "es": (
        r"\b(?:reseñas?|opiniones|opini[oó]n|valoraci[oó]n(?:es)?|comentarios?) (?:positiv[ao]s?|buen[ao]s?|de (?:5|cinco) estrellas) "
        r"(?:es|son|significa\w*|nos ayuda\w*)\b[^.!?\n]{0,40}?(?:important|esencial|mucho|todo|mejor|fundamental)",
        ("positiv", "buen", "estrellas"),
    ),
    "it": (
        r"\b(?:recension[ei]|valutazion[ei]|feedback|opinion[ei]) (?:positiv[aei]|a (?:5|cinque) stelle) (?:è|sono|significa\w*"
        r"|ci aiuta\w*)\b[^.!?\n]{0,40}?(?:important|essenzial|fondamental|molto|tutto|miglior)",
        ("positiv", "stelle"),
    ),
    "pt": (
        r"\b(?:avalia[çc](?:ão|ões)|coment[áa]rios?|opini(?:ão|ões)) (?:positiv[oa]s?|de (?:5|cinco) estrelas) (?:é|são|significa\w*"
        r"|nos ajuda\w*)\b[^.!?\n]{0,40}?(?:important|essencia|fundamental|muito|tudo|melhor)",
        ("positiv", "estrelas"),
    ),
    "nl": (
        r"\bpositieve (?:reviews?|recensies?|beoordeling\w*|feedback) (?:is|zijn|betekent|betekenen|helpt|helpen)\b"
        r"[^.!?\n]{0,40}?(?:belangrijk|veel|alles|beste)",
        ("positieve",),
    ),
    "pl": (
        r"\bpozytywn\w+ (?:opini|ocen|recenzj|komentarz)\w* (?:jest|są|znacz\w*|pomaga\w*)\b[^.!?\n]{0,40}?"
        r"(?:ważn|istotn|wiele|dużo|najlepsz)",
        ("pozytywn",),
    ),
    "sv": (
        r"\bpositiva? (?:recension|omdöme|betyg|feedback)\w* (?:är|betyder|hjälper)\b[^.!?\n]{0,40}?(?:viktig|mycket|allt|bästa)",
        ("positiv",),
    ),
    "tr": (
        r"\b(?:olumlu|pozitif|5 yıldızlı|beş yıldızlı) (?:yorum|değerlendirme|puan|geri bildirim)\w*[^.!?\n]{0,30}?"
        r"(?:çok önemli|önemlidir|hayati|en iyi)",
        ("olumlu", "pozitif", "yıldızlı"),
    ),
    "ar": (
        r"(?:تقييم|تقييمات|مراجعة|مراجعات|تعليق)\w{0,3}\s(?:ال)?(?:إيجابي|ايجابي)\w{0,2}[^.!?؟\n]{0,30}?"
        r"(?:مهم|تعني لنا|يعني لنا|تساعدنا|يساعدنا|أفضل)",
        ("إيجابي", "ايجابي"),
    ),
    "zh": (r"好评(?:对[^。！？\n]{0,8}?)?(?:来说)?(?:非常|很|十分|极其|特别)?(?:重要|关键|意义重大)", ("好评",)),
    "ja": (
        r"(?:高評価|良い評価|星5|★5|良いレビュー)(?:は|が)[^。！？\n]{0,15}?(?:励み|重要|大切)",
        ("高評価", "良い", "星5", "★5"),
    ),
}
for _lang, (_rx, _trig) in _VALUED.items():
    _valued = Detector(_rx, _trig, all_of(not_thanks, ask_ahead), lang=_lang)
    _valued.reach = 0
    REV_02.append(_valued)

# A condition on a good experience or on things having gone well ("si te ha ido bien", "se ti sei trovato bene",
# "om allt gick bra"), in every language; review_ahead still wants a review word or a share-your-experience ask.
_GOOD = {
    "en": (
        r"\bif (?:things|it all|everything|all|your (?:order|purchase|delivery|experience)) (?:went|go|goes|has gone|have gone"
        r"|was|were|has been) (?:well|smoothly|great|good|positive|perfectly|to plan)\b"
        r"|\bif your experience (?:was|has been|is) (?:a )?(?:good|great|positive|pleasant|excellent|wonderful)\b",
        ("if ",),
    ),
    "de": (
        r"\b(?:wenn|falls|sofern) (?:sie|du) (?:eine |einen )?(?:gute|positive|tolle|schöne|angenehme)[nr]? "
        r"(?:erfahrung|eindruck|einkaufserlebnis)\w*|\b(?:wenn|falls|sofern) (?:alles|es) (?:gut|bestens|reibungslos) "
        r"(?:gelaufen|geklappt|verlaufen)",
        ("erfahrung", "eindruck", "erlebnis", "gelaufen", "geklappt", "verlaufen"),
    ),
    "fr": (
        r"\bsi (?:tout s'est|cela s'est|ça s'est|votre (?:commande|achat|expérience) s'est) (?:bien|très bien) passée?"
        r"|\bsi (?:vous avez|tu as) (?:eu|passé|vécu) une? (?:bonne|excellente|agréable|belle) (?:expérience|moment)",
        ("bien passé", "expérience", "moment"),
    ),
    "es": (
        r"\bsi (?:todo )?(?:te|le|les|nos) (?:ha ido|fue|va|ha salido|salió) (?:todo )?(?:bien|genial)\b"
        r"|\bsi todo (?:ha ido|fue|salió|ha salido|está|estuvo) bien\b"
        r"|\bsi (?:tuviste|has tenido|ha tenido|tuvo) una (?:buena|excelente|gran|linda) experiencia"
        r"|\bsi (?:disfrutaste|has disfrutado|ha disfrutado|disfrutó)\b",
        ("bien", "genial", "experiencia", "disfrut"),
    ),
    "it": (
        r"\bse (?:ti sei|si è|vi siete) trovat[oaie] bene|\bse (?:tutto )?è andat[oa] (?:tutto )?bene"
        r"|\bse (?:hai|ha|avete) avuto una (?:buona|bella|ottima|positiva) esperienza",
        ("trovat", "andat", "esperienza"),
    ),
    "pt": (
        r"\bse (?:tudo )?(?:correu|deu|foi|ocorreu) (?:tudo )?bem\b"
        r"|\bse (?:você )?(?:teve|tiveste|tiver) uma (?:boa|ótima|excelente|otima) experi[êe]ncia",
        ("bem", "experiência", "experiencia"),
    ),
    "nl": (
        r"\b(?:als|indien|mocht) alles (?:goed|naar wens|prima) (?:is )?(?:gegaan|verlopen|ging|verliep)"
        r"|\b(?:als|indien) (?:je|u|jij) een (?:goede|fijne|positieve|prettige) ervaring"
        r"|\b(?:als|indien) (?:je|u|jij) (?:ervan )?(?:hebt |heeft )?genoten",
        ("gegaan", "verlopen", "ging", "verliep", "ervaring", "genoten"),
    ),
    "pl": (
        r"\b(?:jeśli|jeżeli|jesli|jezeli) wszystko (?:poszło|przebiegło|było) (?:dobrze|pomyślnie|w porządku)"
        r"|\b(?:jeśli|jeżeli|jesli|jezeli) (?:masz|miałeś|miałaś|mieliście) (?:dobre|pozytywne|miłe) doświadczeni",
        ("dobrze", "pomyśln", "porządku", "doświadczeni"),
    ),
    "sv": (
        r"\b(?:om|ifall) allt (?:gick|har gått|fungerade|var) (?:bra|fint|smidigt)"
        r"|\b(?:om|ifall) (?:du|ni) (?:har )?(?:haft|hade) en (?:bra|positiv|fin|trevlig) (?:upplevelse|erfarenhet)",
        ("bra", "fint", "smidigt", "upplevelse", "erfarenhet"),
    ),
    "tr": (
        r"\bher şey yolunda (?:gittiyse|ise|geçtiyse)|\b(?:iyi|güzel|olumlu|harika) bir deneyim (?:yaşadıysanız|yaşadıysan"
        r"|edindiyseniz)|\balışverişiniz\w* (?:memnun|keyifli) (?:geçtiyse|ise)",
        ("yolunda", "deneyim", "alışveriş"),
    ),
    "ar": (
        r"(?:إذا|اذا|إن|لو|في حال)\s(?:كانت\s)?تجربتك\s(?:معنا\s)?(?:جيدة|رائعة|إيجابية|ايجابية|ممتعة|مميزة)"
        r"|(?:إذا|اذا|إن|لو|في حال)\s(?:سارت|مرت|كانت)\s(?:الأمور|كل الأمور|كل شيء)\s(?:بشكل\s)?(?:جيد|على ما يرام|بخير)",
        ("تجربتك", "سارت", "مرت", "الأمور", "كل شيء"),
    ),
    "zh": (
        r"如果(?:您|你)?(?:有|拥有|获得)?(?:了)?(?:愉快|良好|满意|不错|美好)的(?:购物|使用)?(?:体验|经历)",
        ("体验", "经历"),
    ),
    "ja": (
        r"(?:快適に|気持ちよく|楽しく)(?:ご利用|お使い|お買い物)(?:いただけ|頂け)(?:まし)?たら"
        r"|お楽しみ(?:いただけ|頂け)(?:まし)?たら|(?:良い|よい|素敵な)(?:体験|お買い物)(?:ができ|をされ)(?:まし)?たら",
        ("快適", "気持ちよく", "楽しく", "お楽しみ", "体験", "お買い物"),
    ),
}
for _lang, (_rx, _trig) in _GOOD.items():
    REV_03.append(Detector(_rx.replace("'", "['’]"), _trig, all_of(no_negation, review_ahead), lang=_lang))
REV_03[1].reach = 80  # "Did we fix it? If so, ..."
REV_03[2].reach = 80  # "Happy with your purchase? Leave a review"
for _det in REV_06[-2:]:
    _det.reach = 40  # a CJK promotion breaks its line between the review and the reward

# Proof of a review for the product itself: "send us the link of your review and we will send you the product",
# "inviate il link della recensione ... vi invieremo il prodotto". The product, the order or a refund is the reward
# even without a word like "free". (proof, what the seller sends back, triggers)
_PROOF = {
    "en": (
        r"(?:links?|urls?|screenshots?|proof|screen ?shots?) (?:to|of|for) (?:your |the |a )?(?:review|feedback|rating)s?"
        r"|(?:review|feedback|rating) (?:links?|urls?|screenshots?)",
        r"(?:we(?:'ll| will| shall)?|and we) (?:then )?(?:send|ship|give|mail|refund|reimburse|pay|return)",
        ("link", "url", "screenshot", "screen shot", "proof"),
    ),
    "de": (
        r"(?:link|screenshot)s? (?:zu |zur |von )?(?:ihrer|deiner|der) (?:bewertung|rezension)",
        r"(?:senden|schicken|erstatten|geben) wir|wir (?:senden|schicken|erstatten) (?:ihnen|dir)",
        ("link", "screenshot"),
    ),
    "fr": (
        r"(?:lien|capture d'écran|capture)s? (?:de|vers) (?:votre|ton|l') ?(?:avis|commentaire|évaluation)",
        r"(?:nous )?vous (?:enverrons|rembourserons|offrirons|expédierons)|(?:nous )?t'(?:enverrons|offrirons)",
        ("lien", "capture"),
    ),
    "es": (
        r"(?:enlace|link|captura(?: de pantalla)?) (?:de|a) (?:tu|su|la) (?:reseña|opini[oó]n|valoraci[oó]n)",
        r"(?:te|le|les|os) (?:enviaremos|mandaremos|reembolsaremos|regalaremos|devolveremos)",
        ("enlace", "link", "captura"),
    ),
    "it": (
        r"(?:link|screenshot) (?:della|alla|di) (?:tua |sua |vostra )?(?:recensione|valutazione)",
        r"(?:vi|ti|le) (?:invieremo|spediremo|manderemo|rimborseremo|regaleremo)",
        ("link", "screenshot"),
    ),
    "pt": (
        r"(?:link|print|captura de tela) d[ao] (?:sua |tua )?(?:avalia[çc][ãa]o|opini[ãa]o|coment[áa]rio)",
        r"(?:enviaremos|mandaremos|reembolsaremos|devolveremos|lhe enviamos|te enviamos)",
        ("link", "print", "captura"),
    ),
    "nl": (
        r"(?:link|screenshot) (?:naar|van) (?:je|uw|jouw|de) (?:review|recensie|beoordeling)",
        r"(?:sturen|versturen|geven) (?:wij|we)|(?:wij|we) (?:sturen|versturen) (?:je|u)",
        ("link", "screenshot"),
    ),
    "pl": (
        r"(?:link\w*|zrzut\w* ekranu|screenshot\w*) (?:do )?(?:twojej |swojej |pana |pani )?(?:opinii|recenzji)",
        r"(?:wyślemy|prześlemy|zwrócimy|oddamy)",
        ("link", "zrzut", "screenshot"),
    ),
    "sv": (
        r"(?:länk\w*|skärmdump\w*|skärmbild\w*) (?:till|av) (?:din |er )?(?:recension|omdöme)",
        r"(?:skickar vi|vi skickar|återbetalar vi)",
        ("länk", "skärmdump", "skärmbild"),
    ),
    "tr": (
        r"(?:yorum|değerlendirme)\w* (?:link|bağlantı|ekran görüntü)\w*",
        r"(?:göndereceğiz|göndeririz|yollayacağız|yollarız|iade edeceğiz|iade ederiz)",
        ("link", "bağlantı", "ekran görüntü"),
    ),
    "ar": (
        r"(?:رابط|لقطة شاشة)\s(?:ال)?(?:تقييم|مراجعة|تعليق)",
        r"(?:سنرسل|سنقوم بإرسال|سنعيد|نرسل لك)",
        ("رابط", "لقطة"),
    ),
    "zh": (r"(?:评价|好评|评论)(?:的)?(?:链接|截图)", r"(?:寄给|发给|送给|返还|退还|退款给)", ("链接", "截图")),
    "ja": (
        r"レビュー(?:の)?(?:url|リンク|スクリーンショット|スクショ)",
        r"(?:お送り|発送|送付|返金)",
        ("url", "リンク", "スクリーンショット", "スクショ"),
    ),
}
# Free products for testers or influencers who then review them, the review often in the next sentence:
# "Till influencers och testare skickar vi presentpaket med produkter gratis. De kommer ... skriva en recension."
_TESTERS = {
    "en": (r"(?:product )?testers?|influencers?|reviewers|test(?:ing)? (?:panel|program|team)", _INC_EN, _REV_EN),
    "de": (r"(?:produkt)?tester\w*|influencer\w*|testpanel", _INC_DE, r"(?:bewertung\w*|rezension\w*)"),
    "fr": (r"testeu(?:r|se)s?|influenceu(?:r|se)s?", _INC_FR, r"(?:avis|évaluations?|commentaires?)"),
    "es": (
        r"probador(?:es|as?)|testers?|influencers?|influenciador\w*",
        _INC_ES,
        r"(?:reseñas?|opini[oó]n\w*|valoraci[oó]n\w*)",
    ),
    "it": (r"tester|influencer", _INC_IT + r"|prodott[oi] (?:in )?omaggio", r"(?:recension[ei]|valutazion[ei])"),
    "pt": (
        r"testadores?|testers?|influenciador\w*|influencers?",
        r"(?:gr[áa]tis|gratuit\w*|brindes?|presentes?)",
        r"(?:avalia[çc](?:ão|ões)|resenhas?|opini(?:ão|ões))",
    ),
    "nl": (
        r"testers?|influencers?|testpanel",
        r"(?:gratis|kosteloos|cadeau\w*|pakket\w*)",
        r"(?:reviews?|recensies?|beoordeling\w*)",
    ),
    "pl": (r"tester\w*|influencer\w*", r"(?:gratis|darmow\w*|prezent\w*|paczk\w*)", r"(?:opini\w{0,3}|recenzj\w{0,2})"),
    "sv": (
        r"testare|testpersoner|testpanel\w*|influencers?",
        r"(?:gratis|kostnadsfri\w*|presentpaket\w*|present\w*)",
        r"(?:recension\w*|omdöme\w*)",
    ),
    "tr": (
        r"test kullanıcı\w*|testçi\w*|influencer\w*|fenomen\w*",
        r"(?:ücretsiz|bedava|hediye\w*)",
        r"(?:yorum\w*|değerlendirme\w*)",
    ),
    "ar": (r"مختبر\w*|المؤثرين|مؤثرين|المختبرين", r"(?:مجان\w*|هدي\w*)", r"(?:تقييم\w*|مراجع\w*)"),
    "zh": (
        r"测评(?:师|员)|试用(?:官|员|者)|体验官|网红|达人",
        r"(?:免费|赠送|礼品|礼包|样品)",
        r"(?:评价|评论|测评报告|好评)",
    ),
    "ja": (r"モニター|インフルエンサー|テスター", r"(?:無料|プレゼント|提供|進呈)", r"(?:レビュー|口コミ|評価)"),
}
_TESTER_TRIG = {
    "en": ("tester", "influencer", "reviewers", "test panel", "test program", "test team", "testing"),
    "de": ("tester", "produkttester", "influencer", "testpanel"),
    "fr": ("testeu", "influenceu"),
    "es": ("probador", "tester", "influencer", "influenciador"),
    "it": ("tester", "influencer"),
    "pt": ("testador", "tester", "influenciador", "influencer"),
    "nl": ("tester", "influencer", "testpanel"),
    "pl": ("tester", "influencer"),
    "sv": ("testare", "testpersoner", "testpanel", "influencer"),
    "tr": ("test kullanıcı", "testçi", "influencer", "fenomen"),
    "ar": ("مختبر", "المؤثرين", "مؤثرين", "المختبرين"),
    "zh": ("测评", "试用", "体验官", "网红", "达人"),
    "ja": ("モニター", "インフルエンサー", "テスター"),
}
_CJK = {"zh", "ja"}
for _lang, (_proof, _back, _trig) in _PROOF.items():
    _gap = r"[^。！？\n]{0,60}?" if _lang in _CJK else r"[^.!?\n]{0,60}?"
    REV_06.append(
        Detector(
            rf"(?:{_proof}){_gap}(?:{_back})|(?:{_back}){_gap}(?:{_proof})", _trig, not_reply_to_review, lang=_lang
        )
    )
for _lang, (_who, _inc, _rev) in _TESTERS.items():
    _g = r"[^\n]{0,80}?" if _lang not in _CJK else r"[^\n]{0,40}?"
    _g2 = r"[^\n]{0,120}?" if _lang not in _CJK else r"[^\n]{0,50}?"
    _w = "" if _lang in _CJK or _lang == "ar" else r"\b"
    _det = Detector(
        rf"{_w}(?:(?:{_who}){_g}(?:{_inc})|(?:{_inc}){_g}(?:{_who})){_g2}{_w}(?:{_rev})",
        _TESTER_TRIG[_lang],
        not_reply_to_review,
        lang=_lang,
    )
    _det.reach = 160  # the review is promised in the sentence after the gift
    REV_06.append(_det)

RULES = [
    Rule(
        "REV-02",
        "Asks for a positive review or a star rating",
        "violation",
        REVIEWS_POLICY,
        "Review requests must be neutral: asking for a positive review, good feedback or a number of stars is "
        "prohibited.",
        "review",
        "Ask for an honest review instead.",
        REV_02,
    ),
    Rule(
        "REV-03",
        "Conditional review request",
        "violation",
        REVIEWS_POLICY,
        'Asking for a review only if the buyer is happy ("if you liked it", "if you are satisfied") is prohibited; '
        "ask every buyer the same neutral way.",
        "review",
        "Ask without a condition.",
        REV_03,
    ),
    Rule(
        "REV-04",
        "Diverts unhappy buyers away from reviews",
        "violation",
        MANIPULATION,
        'Sending unhappy buyers to you first ("contact us before leaving a review") while happy ones review is '
        "selective solicitation and is prohibited.",
        "review",
        "Ask every buyer for an honest review; offer help separately, without linking it to reviews.",
        REV_04,
    ),
    Rule(
        "REV-05",
        "Persuasive review request",
        "warning",
        REVIEWS_POLICY,
        'Language that persuades the buyer to leave a review ("we are a small business", "it would mean the world") '
        "is not allowed; keep the request neutral.",
        "review",
        "Keep the request neutral.",
        REV_05,
    ),
    Rule(
        "REV-06",
        "Incentive for a review",
        "violation",
        REVIEWS_POLICY,
        "Offering anything for a review (free product, refund, gift card, discount, entry into a draw) is prohibited.",
        "review",
        "Remove the incentive.",
        REV_06,
    ),
    Rule(
        "REV-07",
        "Asks to change or remove a review",
        "violation",
        REVIEWS_POLICY,
        "Asking a buyer to change, update or remove a review is prohibited, even after resolving their issue.",
        "resolved",
        "Resolve the issue without mentioning the review.",
        REV_07,
    ),
    Rule(
        "FB-03",
        "Asks to change or remove seller feedback",
        "violation",
        FEEDBACK_POLICY,
        "Pressing or incentivising a buyer to remove or change feedback is a violation; after resolving the issue you "
        "may only say that it is possible to update or remove it.",
        "resolved_fb",
        "Use Amazon's neutral wording after resolving the issue.",
        FB_03,
    ),
    Rule(
        "REV-08",
        "Supplies review text",
        "violation",
        REVIEWS_POLICY,
        "Supplying text for the buyer to post, or asking them to copy feedback into a review, influences the review and "
        "is prohibited.",
        "review",
        "Let the buyer write their own review.",
        REV_08,
    ),
    Rule(
        "REV-09",
        "Repeat review request",
        "violation",
        "Amazon Communication Guidelines; Solicitations API",
        "Only one review request per order is allowed; reminders and repeat requests are not.",
        "delete",
        "Delete the reminder: send one review request per order.",
        REV_09,
    ),
]
