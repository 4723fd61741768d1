"""Unnecessary message types: order/shipping confirmations (TYPE-03), thank-you-only messages (TYPE-04),
misused "[Important]" (TYPE-10)."""

from __future__ import annotations

import re

from handlers.compliance.context import ISSUE, REVIEW, Ctx
from handlers.compliance.model import Detector, Rule, tag

GUIDELINES = "Amazon Communication Guidelines (Seller Central G1701)"


def _no_issue(ctx: Ctx, m: re.Match[str]) -> bool:
    """A shipping notice that is about a delay or a problem is customer service, not a confirmation."""
    return not ctx.in_text(ISSUE)


TYPE_03 = [
    Detector(
        r"\byour (?:order|package|parcel|item|shipment)s? (?:has|have) (?:now )?(?:been )?(?:shipped|dispatched|sent|"
        r"confirmed|received|been placed)\b|\bwe(?:'ve| have) (?:just )?(?:shipped|dispatched|sent out|received) your "
        r"(?:order|package|parcel|item)\b|\b(?:order|shipping|shipment|dispatch|delivery) confirmation\b|\byour (?:order|"
        r"package|parcel) is (?:now )?on (?:its|the) way\b|\byour tracking number is\b|\bwe confirm (?:receipt of )?your "
        r"order\b|\byour order (?:has been|was) delivered\b",
        (
            "shipped",
            "dispatched",
            "sent",
            "confirm",
            "received",
            "placed",
            "on its way",
            "on the way",
            "tracking",
            "delivered",
        ),
        _no_issue,
    ),
    Detector(
        r"\bihre (?:bestellung|sendung|lieferung) (?:wurde|ist) (?:soeben |heute )?(?:versandt|verschickt|versendet|"
        r"bestätigt|unterwegs|zugestellt)\b|\b(?:versand|bestell)bestätigung\b|\bwir haben ihre bestellung (?:soeben |heute )?"
        r"(?:versandt|verschickt|erhalten)\b",
        ("versandt", "verschickt", "versendet", "bestätig", "unterwegs", "zugestellt", "erhalten"),
        _no_issue,
    ),
    Detector(
        r"\bvotre (?:commande|colis) (?:a été|est) (?:bien )?(?:expédiée?|envoyée?|confirmée?|en route|en chemin|livrée?)\b"
        r"|\bconfirmation de (?:commande|livraison|l'expédition|expédition)\b|\bnous avons (?:bien )?(?:expédié|reçu) "
        r"votre commande\b",
        ("expédi", "envoy", "confirmée", "confirmation", "en route", "en chemin", "livré", "reçu"),
        _no_issue,
    ),
    Detector(
        r"\bsu (?:pedido|paquete) (?:ha sido|fue|est[aá]) (?:enviado|confirmado|despachado|en camino|entregado)\b"
        r"|\bconfirmaci[oó]n de(?:l)? (?:pedido|env[ií]o)\b|\bhemos (?:enviado|recibido) su pedido\b",
        ("enviado", "confirmado", "confirmación", "confirmacion", "despachado", "en camino", "entregado", "recibido"),
        _no_issue,
    ),
    Detector(
        r"\bil (?:suo|tuo) (?:ordine|pacco) (?:è stato|è) (?:spedito|confermato|inviato|in viaggio|in arrivo|consegnato)\b"
        r"|\bconferma (?:dell'ordine|di spedizione|della spedizione|d'ordine)\b|\babbiamo (?:spedito|ricevuto) il (?:suo|"
        r"tuo) ordine\b",
        ("spedit", "conferm", "inviato", "in viaggio", "in arrivo", "consegnato", "ricevuto"),
        _no_issue,
    ),
    Detector(
        r"(?:您的)?(?:订单|包裹|商品)(?:已经|已)(?:发货|发出|寄出|确认|送达)|发货通知|订单确认",
        ("已发", "已经", "已寄", "已确认", "已送达", "发货通知", "订单确认"),
        _no_issue,
    ),
    Detector(
        r"(?:ご注文|商品)(?:の商品)?を(?:本日)?(?:発送|出荷)(?:いたしました|しました)|(?:発送|出荷|注文)(?:完了)?(?:のお知らせ|確認)"
        r"|ご注文を(?:承りました|受け付けました|確認いたしました)",
        ("発送", "出荷", "のお知らせ", "注文確認", "承りました", "受け付けました", "確認いたしました"),
        _no_issue,
    ),
]

_FILLER = re.compile(
    r"thank(?:s| you)(?: so much| very much)?(?: for (?:your|the) (?:order|purchase|business|trust|support)"
    r"| for (?:shopping|buying|ordering) with us| for choosing us)?"
    r"|we (?:really |truly )?appreciate your (?:order|purchase|business)|(?:we )?hope you(?:'ll)? (?:enjoy|like|love) (?:it|your|the)"
    r"|enjoy your (?:new )?(?:purchase|order|product|item)|if you (?:have|need) (?:any )?(?:questions?|help|anything)"
    r"|(?:feel free to|don't hesitate to|do not hesitate to) (?:contact|reach out to|message|ask) us|(?:please )?let us know if"
    r"|we(?:'re| are) (?:always )?(?:here|happy|glad|available) (?:to help|for you|if you need)|^\s*(?:hi|hello|dear|hey|"
    r"good (?:morning|afternoon|evening))\b|^\s*(?:best|kind|warm|many)? ?regards|^\s*(?:sincerely|cheers|best wishes|all the "
    r"best|best)\b|have a (?:nice|great|good|wonderful) (?:day|week|weekend)"
    r"|vielen dank|herzlichen dank|danke(?: schön| sehr)?|wir bedanken uns|bei fragen|zögern sie nicht|(?:stehen|sind) (?:wir )?"
    r"(?:ihnen )?(?:gerne |jederzeit )?zur verfügung|melden sie sich gerne|viel (?:freude|spaß)|^\s*(?:hallo|guten tag|sehr "
    r"geehrte|liebe)|mit freundlichen grüßen|(?:viele|beste|freundliche|liebe) grüße"
    r"|merci(?: beaucoup)?|nous vous remercions|n'hésitez pas|à votre (?:entière )?disposition|^\s*(?:bonjour|cher|chère)"
    r"|cordialement|bien à vous|bonne (?:journée|soirée)|profitez bien"
    r"|(?:muchas )?gracias|le agradecemos|no dude en|(?:quedamos|estamos) a su disposici[oó]n|^\s*(?:hola|estimad[oa])"
    r"|saludos|atentamente|que disfrute|un saludo"
    r"|grazie(?: mille)?|la ringraziamo|non esiti|(?:restiamo|siamo) a (?:sua )?disposizione|^\s*(?:ciao|gentile|salve)"
    r"|cordiali saluti|distinti saluti|buona giornata|buon divertimento"
    r"|感谢|谢谢|多谢|祝您|如有(?:任何)?(?:问题|疑问)|随时(?:与我们)?联系|您好|亲爱的|此致|敬礼|期待(?:再次)?为您服务"
    r"|ありがとうございま(?:す|した)|お買い上げいただき|ご購入いただき|ご不明な点|お気軽に|お問い合わせください|よろしくお願い"
    r"|こんにちは|今後とも|お楽しみください"
)
_SIGNOFF = re.compile(
    r"^\s*(?:best|kind|warm|many)? ?regards|^\s*(?:sincerely|cheers|best wishes|all the best|best)\b"
    r"|mit freundlichen grüßen|(?:viele|beste|freundliche|liebe) grüße|cordialement|bien à vous|saludos"
    r"|atentamente|cordiali saluti|distinti saluti|此致|敬礼|よろしくお願い"
)
_SPLIT = re.compile(r"[^.!?。！？\n]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_LETTERS = re.compile(r"[\W_\d]+")


def _thanks_only(ctx: Ctx) -> list[tuple[int, int]]:
    low = ctx.low
    if len(low) > 600 or REVIEW.search(low):
        return []
    signed_off = False
    saw_filler = False
    for m in _SPLIT.finditer(low):
        sentence = m.group()
        if not sentence.strip():
            continue
        if signed_off:
            continue  # the signature block after "Best regards"
        rest = _FILLER.sub(" ", sentence)
        matched = rest != sentence
        content = _LETTERS.sub("", rest)
        limit = 10 if _CJK.search(sentence) else 16
        if matched and len(content) <= limit:
            saw_filler = True
            signed_off = _SIGNOFF.search(sentence) is not None
            continue
        if not matched and len(content) <= 12 and len(sentence.split()) <= 3 and saw_filler:
            continue  # a name line ("Anna", "The GreenHome team")
        return []
    if not saw_filler:
        return []
    s = len(low) - len(low.lstrip())
    e = len(low.rstrip())
    return [(s, e)]


tag(TYPE_03)

RULES = [
    Rule(
        "TYPE-03",
        "Order or shipping confirmation",
        "warning",
        GUIDELINES,
        "Amazon already sends order, shipping and delivery confirmations; sellers must not send their own.",
        "instruction",
        "Do not send this message; Amazon already confirms orders and shipments.",
        TYPE_03,
    ),
    Rule(
        "TYPE-04",
        "Message that only thanks the buyer",
        "warning",
        GUIDELINES,
        "Messages that only thank the buyer or only say you are available to help are not permitted proactive "
        "messages.",
        "instruction",
        "Do not send this message; write only when the order needs it (a problem, a question, an invoice, a review "
        "request).",
        scan=_thanks_only,
    ),
    Rule(
        "TYPE-10",
        '"[Important]" tag',
        "warning",
        GUIDELINES,
        '"[Important]" and critical contact reasons are only for information the buyer needs to complete the order; '
        "misuse leads to restrictions.",
        "remove",
        "Remove the tag unless the message is critical to the order.",
        [Detector(r"[\[【]\s*(?:important|wichtig|importante|重要)\s*[\]】]", ("important", "wichtig", "重要"))],
    ),
]
