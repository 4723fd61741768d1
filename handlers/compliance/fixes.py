"""Suggested fixes: a compliant rewrite of each offending sentence where one is possible.

All findings in one sentence share one rewrite, so the fix never reintroduces what another
finding in the same sentence removes. A rewrite is re-checked; if it would still be a
violation, the rule's advice is given instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Literal

from handlers.compliance.i18n import SEP, advice, phrase, translated
from handlers.compliance.lang import detect_or
from handlers.compliance.model import Rule

TEMPLATES: dict[str, dict[str, str]] = {
    "review": {
        "en": "If you have a moment, we would appreciate an honest review of your purchase on Amazon.",
        "de": "Wenn Sie einen Moment Zeit haben, freuen wir uns über eine ehrliche Bewertung Ihres Kaufs auf Amazon.",
        "fr": "Si vous avez un moment, nous vous serions reconnaissants de laisser un avis honnête sur votre achat sur "
        "Amazon.",
        "es": "Si tiene un momento, le agradeceríamos una reseña honesta de su compra en Amazon.",
        "it": "Se ha un momento, le saremmo grati per una recensione onesta del suo acquisto su Amazon.",
        "zh": "如果您有时间，欢迎在亚马逊上对您购买的商品留下真实的评价。",
        "ja": "お時間がありましたら、Amazonでご購入商品の率直なレビューをお寄せください。",
        "pt": "Se tiver um momento, agradeceríamos uma avaliação sincera da sua compra na Amazon.",
        "nl": "Als u even tijd heeft, stellen we een eerlijke beoordeling van uw aankoop op Amazon zeer op prijs.",
        "pl": "Jeśli znajdą Państwo chwilę, będziemy wdzięczni za szczerą opinię o zakupie na Amazon.",
        "sv": "Om du har en stund över uppskattar vi en ärlig recension av ditt köp på Amazon.",
        "tr": "Vaktiniz olursa, Amazon'daki satın alımınız hakkında dürüst bir değerlendirme bırakmanızdan "
        "memnuniyet duyarız.",
        "ar": "إذا كان لديك بعض الوقت، فسنكون ممتنين لتقييم صادق لمشترياتك على أمازون.",
    },
    "contact": {
        "en": "If you have any questions, please reply to this message through Amazon.",
        "de": "Bei Fragen antworten Sie bitte einfach über Amazon auf diese Nachricht.",
        "fr": "Pour toute question, répondez simplement à ce message via Amazon.",
        "es": "Si tiene alguna pregunta, responda a este mensaje a través de Amazon.",
        "it": "Per qualsiasi domanda, risponda a questo messaggio tramite Amazon.",
        "zh": "如有任何问题，请直接通过亚马逊回复此消息。",
        "ja": "ご不明な点がございましたら、Amazonのメッセージからご返信ください。",
        "pt": "Se tiver alguma dúvida, responda a esta mensagem pela Amazon.",
        "nl": "Heeft u vragen, beantwoord dit bericht dan via Amazon.",
        "pl": "W razie pytań prosimy odpowiedzieć na tę wiadomość przez Amazon.",
        "sv": "Om du har frågor kan du svara på det här meddelandet via Amazon.",
        "tr": "Sorularınız için bu mesajı Amazon üzerinden yanıtlayabilirsiniz.",
        "ar": "إذا كانت لديك أي أسئلة، يُرجى الرد على هذه الرسالة عبر أمازون.",
    },
    "resolved": {
        "en": "Thank you for letting us know; we are glad we could resolve the issue.",
        "de": "Danke für Ihre Nachricht; wir freuen uns, dass wir das Problem lösen konnten.",
        "fr": "Merci de nous avoir prévenus ; nous sommes heureux d'avoir pu résoudre le problème.",
        "es": "Gracias por avisarnos; nos alegra haber podido resolver el problema.",
        "it": "Grazie per averci avvisato; siamo lieti di aver potuto risolvere il problema.",
        "zh": "感谢您告知我们，很高兴问题已经得到解决。",
        "ja": "ご連絡ありがとうございます。問題を解決できて何よりです。",
        "pt": "Obrigado por nos avisar; ficamos felizes por termos resolvido o problema.",
        "nl": "Bedankt dat u het ons liet weten; we zijn blij dat we het probleem konden oplossen.",
        "pl": "Dziękujemy za informację; cieszymy się, że udało nam się rozwiązać problem.",
        "sv": "Tack för att du hörde av dig; vi är glada att vi kunde lösa problemet.",
        "tr": "Bize bildirdiğiniz için teşekkür ederiz; sorunu çözebildiğimize sevindik.",
        "ar": "شكرًا لإبلاغنا؛ يسعدنا أننا تمكنّا من حل المشكلة.",
    },
    "resolved_fb": {  # Amazon's own acceptable wording (Seller Central 202126280)
        "en": "If you are satisfied that we have resolved your concerns, it is possible to update or remove the feedback "
        "you originally provided.",
        "de": "Wenn Sie mit der Lösung Ihres Anliegens zufrieden sind, ist es möglich, Ihr ursprüngliches Feedback zu "
        "aktualisieren oder zu entfernen.",
        "fr": "Si vous estimez que nous avons résolu votre problème, il est possible de mettre à jour ou de supprimer le "
        "feedback que vous avez laissé.",
        "es": "Si considera que hemos resuelto su problema, es posible actualizar o eliminar el feedback que dejó.",
        "it": "Se ritiene che abbiamo risolto il problema, è possibile aggiornare o rimuovere il feedback lasciato.",
        "zh": "如果您认为我们已经解决了您的问题，您可以更新或删除之前留下的反馈。",
        "ja": "問題が解決したとお感じの場合は、以前に投稿されたフィードバックを更新または削除することも可能です。",
        "pt": "Se considerar que resolvemos o seu problema, é possível atualizar ou remover a avaliação que "
        "você deixou.",
        "nl": "Als u vindt dat we uw probleem hebben opgelost, is het mogelijk de feedback die u eerder gaf "
        "bij te werken of te verwijderen.",
        "pl": "Jeśli uznają Państwo, że rozwiązaliśmy problem, można zaktualizować lub usunąć wcześniej "
        "wystawioną opinię.",
        "sv": "Om du anser att vi har löst ditt problem är det möjligt att uppdatera eller ta bort det omdöme "
        "du lämnade.",
        "tr": "Sorununuzun çözüldüğünü düşünüyorsanız, daha önce bıraktığınız geri bildirimi güncellemeniz "
        "veya kaldırmanız mümkündür.",
        "ar": "إذا كنت ترى أننا حللنا مشكلتك، فمن الممكن تحديث الملاحظات التي تركتها سابقًا أو إزالتها.",
    },
    "cancel": {
        "en": "We are sorry: we cannot ship this item, so we have cancelled your order and you will not be charged.",
        "de": "Es tut uns leid: Wir können den Artikel nicht liefern und haben Ihre Bestellung storniert; Ihnen entstehen "
        "keine Kosten.",
        "fr": "Nous sommes désolés : nous ne pouvons pas expédier cet article, nous avons donc annulé votre commande et "
        "vous ne serez pas débité.",
        "es": "Lo sentimos: no podemos enviar este artículo, por lo que hemos cancelado su pedido y no se le cobrará.",
        "it": "Ci scusiamo: non possiamo spedire questo articolo, quindi abbiamo annullato il suo ordine e non le verrà "
        "addebitato nulla.",
        "zh": "非常抱歉，我们无法发出该商品，已为您取消订单，您不会被扣款。",
        "ja": "申し訳ございません。商品を発送できないため、ご注文をキャンセルいたしました。代金は請求されません。",
        "pt": "Sentimos muito: não podemos enviar este item, por isso cancelamos o seu pedido e você não será cobrado.",
        "nl": "Het spijt ons: we kunnen dit artikel niet verzenden, daarom hebben we uw bestelling "
        "geannuleerd en betaalt u niets.",
        "pl": "Przepraszamy: nie możemy wysłać tego produktu, dlatego anulowaliśmy zamówienie i nie zostaną "
        "Państwo obciążeni.",
        "sv": "Vi beklagar: vi kan inte skicka den här varan, så vi har avbrutit din beställning och du "
        "debiteras inte.",
        "tr": "Üzgünüz: bu ürünü gönderemiyoruz, bu nedenle siparişinizi iptal ettik ve sizden ücret alınmayacak.",
        "ar": "نعتذر، لا يمكننا شحن هذا المنتج، لذلك ألغينا طلبك ولن يتم تحصيل أي مبلغ منك.",
    },
}

_BOUNDARY = re.compile(r"[.!?]+(?=\s|$)|[。！？]+|\n")
_DANGLING = re.compile(
    r"(?:\s|^)(?:at|on|via|to|under|in|is|are|visit|call|email|e-mail|contact|or|and|us|me|from|see|check|go to|von|vom"
    r"|siehe|depuis|voir|desde|ver|da|dal|dalla|vedi|unter|auf|an|über|bei|per|oder|und"
    r"|sur|à|en|chez|ou|et|por|al|a|y|o|su|tramite|e|o"
    r"|para|em|no|na|pelo|pela|ou|veja|visite|acesse"  # pt
    r"|op|naar|bij|of|en|zie|bezoek"  # nl
    r"|pod|do|przez|lub|albo|adres|adresem|numer|numerem"  # pl
    r"|på|till|hos|eller|och|se|besök"  # sv
    r"|على|عبر|إلى|أو|و"  # ar
    r"|:|-|→)\s*$",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[\W_\d]+")


class SentenceBounds:
    """Sentence bounds of one text, for many spans: the boundary ends are found once (one regex pass),
    each lookup is a bisect, so bounding every finding of a long message stays linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in _BOUNDARY.finditer(text)]
        self.trimmed: dict[tuple[int, int], tuple[int, int]] = {}  # whitespace trimmed once per sentence

    def __call__(self, start: int, end: int) -> tuple[int, int]:
        text, ends = self.text, self.ends
        # the sentence starts after the last boundary ending at or before `start`
        k = bisect.bisect_right(ends, start)
        s = ends[k - 1] if k else 0
        # and ends with the first boundary ending after the span's last character: a search from there
        # finds either a boundary starting later or the tail of one around it, which ends where it ends
        p = max(end, start + 1) - 1 if end > start else start
        k = bisect.bisect_right(ends, p)
        e = ends[k] if k < len(ends) else len(text)
        if e < end:
            e = end
        key = (s, e)
        done = self.trimmed.get(key)
        if done is not None:
            return done
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        self.trimmed[key] = (s, e)
        return s, e


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    return SentenceBounds(text)(start, end)


_CONTACT_VERBS = re.compile(
    r"\b(?:call|phone|ring|text|email|e-mail|mail|write|contact|reach|message|whatsapp|rufen"
    r"|anrufen|schreiben|kontaktieren|appelez|écrivez|contactez|llame|llámenos|escriba"
    r"|contacte|chiami|scriva|contatti|hotline|telephone|tel|number|telefon|téléphone|numéro"
    r"|teléfono|número|telefono|numero"
    r"|escreva|escreva-nos|ligue|contate|fale|telefone"  # pt
    r"|mailen|bel|bellen|schrijf|telefoon|telefoonnummer"  # nl
    r"|napisz|pisać|pisz|zadzwoń|skontaktuj|kontakt|numer|adres|adresem"  # pl
    r"|mejla|maila|ringa|skriv|kontakta|e-post|nummer"  # sv
    r"|yazın|yazabilirsiniz|arayın|ulaşın|iletişime|e-posta|adresine|numaradan|numaraya"  # tr
    r"|راسلنا|راسلونا|اتصل|اتصلوا|تواصل|تواصلوا|البريد|الهاتف|رقم|واتساب)\b"  # ar
    r"|电话|微信|邮箱|邮件|联系|電話|メール|連絡",
    re.IGNORECASE,
)
# a dropped "see / visit / is" means the link was the point of the sentence: no rewrite left
_PREDICATE = re.compile(
    r"\b(?:see|visit|check|go to|is|are|siehe|besuchen|ist|sind|voir|visitez|est|sont|ver|visite"
    r"|es|son|vedi|visiti|è|sono|veja|visite|acesse|é|são|zie|bezoek|is|zijn|zobacz|odwiedź|jest|są"
    r"|se|besök|är|ziyaret|bakın|زوروا|قم بزيارة)\b",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _remove(sentence: str, cuts: list[tuple[int, int]]) -> tuple[str, str]:
    """The sentence without the cut spans (and the words left dangling before them), and what was dropped."""
    out = ""
    dropped = ""
    pos = 0
    for s, e in sorted(cuts):
        if s < pos:
            s = pos
        piece = sentence[pos:s]
        for _ in range(3):
            trimmed = _DANGLING.sub("", piece)
            if trimmed == piece:
                break
            dropped += piece[len(trimmed) :]
            piece = trimmed
        out += piece + " "
        pos = max(pos, e)
    out += sentence[pos:]
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"\s+([,.;:!?。，！？])", r"\1", out)
    out = re.sub(r"([,;:])\s*([,.;:!?])", r"\2", out)
    out = out.strip(" ,;:-")
    if out and out[0].isalpha() and out[0].islower():
        out = out[0].upper() + out[1:]
    return out, dropped


def _letters(s: str) -> int:
    return len(_LETTERS.sub("", s))


# A "sentence" longer than this (an unpunctuated paste) gets no cut-down rewrite: cutting, measuring and
# re-checking it costs as much as checking the message again, and a 5,000-character rewrite helps nobody.
MAX_REWRITE_CHARS = 1_000


def build_fixes(
    text: str, spans: list[tuple[Rule, int, int]], lang: str, recheck: Callable[[str, str], bool]
) -> list[str]:
    """One fix per (rule, start, end) span of `text`; `recheck(text, lang)` is True when a rewrite is compliant."""
    groups: dict[tuple[int, int], list[int]] = {}
    bounds = SentenceBounds(text)
    for i, (_, s, e) in enumerate(spans):
        groups.setdefault(bounds(s, e), []).append(i)
    fixes = [""] * len(spans)
    for (ss, se), idx in groups.items():
        rules = [spans[i][0] for i in idx]
        sentence = text[ss:se]
        # the message's language, unless this sentence is in another script (a Chinese line in an English mail)
        slang = lang if bool(_CJK.search(sentence)) == (lang in ("zh", "ja")) else detect_or(sentence, lang)
        cuts = [(spans[i][1] - ss, spans[i][2] - ss) for i in idx]
        rewrite, mode = _sentence_fix(sentence, rules, cuts, slang)
        if rewrite is not None and not recheck(rewrite, slang):
            rewrite, mode = None, "advice"
        for i in idx:
            fixes[i] = rewrite if rewrite is not None else _instruction(spans[i][0], mode or "advice", slang)
    return fixes


Mode = Literal["advice", "advice+review", "cancel"]


def _instruction(rule: Rule, mode: Mode, lang: str) -> str:
    """What to do about one finding when its sentence has no compliant rewrite, in `lang` (English alongside).

    Each finding gets its own rule's advice (an email address and a coupon in one sentence get different
    fixes); "advice+review" adds Amazon-safe review wording, because deleting the sentence drops its ask too;
    "cancel" is for the rule that asked the buyer to cancel.
    """
    if mode == "cancel" and rule.fix_kind == "cancel":
        local = f'{phrase("cancel_then", lang)} "{TEMPLATES["cancel"][lang]}"'
        english = phrase("cancel_then", "en").rstrip(":") + " the text above."
        return local if lang == "en" else f"{local}{SEP}{english}"
    text = advice(rule, lang)
    if mode == "advice+review":
        ask = f'{phrase("review_then", lang)} "{TEMPLATES["review"][lang]}"'
        own = translated(rule, "advice", lang)
        if own is None:
            return f"{text} {ask}"
        english = f"{rule.advice} " + phrase("review_then", "en").rstrip(":") + " the text above."
        return f"{own} {ask}{SEP}{english}"
    return text


def _sentence_fix(
    sentence: str, rules: list[Rule], cuts: list[tuple[int, int]], slang: str
) -> tuple[str | None, Mode | None]:
    """(rewrite, instruction mode) for one sentence holding findings of `rules` at `cuts`; at most one is set."""
    kinds = {r.fix_kind for r in rules}
    if kinds & {"delete", "instruction"}:
        return None, "advice+review" if "review" in kinds else "advice"
    if "cancel" in kinds:
        return None, "cancel"
    if "review" in kinds:
        return TEMPLATES["review"][slang], None
    if "resolved_fb" in kinds:
        return TEMPLATES["resolved_fb"][slang], None
    if "resolved" in kinds:
        return TEMPLATES["resolved"][slang], None
    if len(sentence) > MAX_REWRITE_CHARS:  # a run-on text, not a sentence: no rewrite to offer
        return (TEMPLATES["contact"][slang], None) if "contact" in kinds else (None, "advice")
    rest, dropped = _remove(sentence, cuts)
    if "contact" in kinds and (dropped.strip() or _CONTACT_VERBS.search(rest) or any(r.id == "TYPE-16" for r in rules)):
        return TEMPLATES["contact"][slang], None  # "email me at" without the address says nothing
    if (
        _letters(rest) >= 0.5 * _letters(sentence)
        and _letters(rest) >= 8
        and not (_PREDICATE.search(dropped) and "CONT-01" in {r.id for r in rules})
    ):
        return rest, None
    if "contact" in kinds:
        return TEMPLATES["contact"][slang], None
    return None, "advice"
