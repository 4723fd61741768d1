"""Pressure and threats (CONT-14); asking the buyer to cancel the order themselves (TYPE-13)."""

from __future__ import annotations

import re

from handlers.compliance.context import ASK, Ctx, all_of, no_negation
from handlers.compliance.model import Detector, Rule, tag

_FLOW = re.compile(r"your orders|your account|log ?in|sign in|button|\bif\b|option|order page")


def ask_or_cancel_flow(ctx: Ctx, m: re.Match[str]) -> bool:
    """ "Click 'Request cancellation'" is an ask when the sentence asks or walks through Amazon's order page."""
    s = ctx.sentence_text(m)
    return ASK.search(s) is not None or _FLOW.search(s) is not None


CONT_14 = [
    Detector(
        r"\blegal (?:action|steps|proceedings|consequences)\b|\b(?:take|pursue|consider) (?:further|legal) (?:action|steps)\b"
        r"|\b(?:report|reporting) you (?:to amazon)?\b|\b(?:we will|we'll|we are going to|we shall) (?:report|sue|block|"
        r"blacklist|ban|expose)\b|\bsue you\b|\bour (?:lawyers?|attorneys?|legal team)\b|\bor else\b|\b(?:final|last) "
        r"warning\b|\bface (?:the )?consequences\b|\byou will regret\b|\bunless you (?:remove|change|delete|update|"
        r"retract)\b|\b(?:you must|you have to) (?:remove|change|delete|update|retract)\b"
        r"|\b(?:amazon(?:'s)?|competitors?|other sellers)\b[^.!?\n]{0,30}?\b(?:scam|scammers|fake|knock-?offs|rip-?offs|"
        r"garbage|junk|useless|incompetent)\b",
        (
            "legal",
            "action",
            "steps",
            "report",
            "sue",
            "block",
            "blacklist",
            "ban",
            "expose",
            "lawyer",
            "attorney",
            "or else",
            "warning",
            "consequences",
            "regret",
            "unless you",
            "you must",
            "you have to",
            "scam",
            "fake",
            "knock",
            "rip",
            "garbage",
            "junk",
            "useless",
            "incompetent",
        ),
    ),
    Detector(
        r"\brechtliche (?:schritte|konsequenzen)\b|\bunser(?:em|en)? anwalt\b|\bwir werden sie (?:melden|verklagen|anzeigen)\b"
        r"|\banzeige erstatten\b|\bletzte (?:warnung|mahnung)\b|\b(?:andernfalls|ansonsten|sonst) (?:werden wir|melden wir)\b",
        ("rechtlich", "anwalt", "wir werden sie", "anzeige", "letzte", "andernfalls", "ansonsten", "sonst"),
    ),
    Detector(
        r"\b(?:poursuites?|actions?) (?:judiciaires?|en justice)\b|\bnotre avocat\b|\bnous (?:allons )?vous signaler\b"
        r"|\bdernier avertissement\b|\bsinon nous (?:allons|serons)\b|\bporter plainte\b",
        ("poursuite", "action", "avocat", "signaler", "avertissement", "sinon", "plainte"),
    ),
    Detector(
        r"\b(?:acciones?|medidas) legales\b|\bnuestro abogado\b|\b(?:le|te) (?:denunciaremos|reportaremos)\b"
        r"|\bvamos a denunciar\b|\b[uú]ltimo aviso\b|\bde lo contrario (?:tomaremos|le denunciaremos|le reportaremos)\b",
        ("legales", "abogado", "denunci", "reportaremos", "aviso", "contrario"),
    ),
    Detector(
        r"\b(?:azion[ei]|vie) legali\b|\bil nostro avvocato\b|\b(?:la|ti) (?:denunceremo|segnaleremo)\b|\bultimo avviso\b"
        r"|\baltrimenti (?:saremo costretti|procederemo|la segnaleremo)\b",
        ("legali", "avvocato", "denunceremo", "segnaleremo", "avviso", "altrimenti"),
    ),
    Detector(
        r"法律(?:责任|行动|手段|途径)|起诉|律师函|(?:投诉|举报)(?:你|您)|后果自负|否则(?:我们)?(?:将|会)|最后(?:一次)?警告",
        ("法律", "起诉", "律师", "投诉", "举报", "后果", "否则", "警告"),
    ),
    Detector(
        r"法的(?:措置|手段|対応)|訴え(?:ます|る)|弁護士|通報(?:します|いたします)|さもなければ|最終警告",
        ("法的", "訴え", "弁護士", "通報", "さもなければ", "最終警告"),
    ),
]

TYPE_13 = [
    Detector(
        r"\b(?:please|kindly|could you|can you|would you|we ask you to|you (?:need|have) to|you should|we need you to|"
        r"we (?:would )?recommend (?:that )?you|we suggest (?:that )?you)\b[^.!?\n]{0,25}?\b(?:cancel|request (?:a |the )?"
        r"cancellation|submit a cancellation(?: request)?)\b"
        # the ask as a question: "I am wondering if you would like to cancel the order"
        r"|\b(?:if|whether) you(?:'d| would| might) (?:like|want|wish|prefer) to cancel\b",
        ("cancel",),
        no_negation,
    ),
    # directing the buyer to Amazon's cancellation button: "log in ... and click 'Request Cancellation'"
    Detector(
        r"\b(?:click|select|press|tap|choose|use|hit)\b[^.!?\n]{0,20}?['\"“‘]?(?:request (?:a |the )?)?cancel(?:l?ation)?"
        r"(?: request| (?:this |the )?(?:order|items?))?['\"”’]?(?: button| link| option)?"
        r"|\byou (?:can|could|may)\b[^.!?\n]{0,20}?\b(?:cancel (?:the|your|this) order|request (?:a |the )?cancellation)\b",
        ("cancel",),
        all_of(no_negation, ask_or_cancel_flow),
    ),
    Detector(
        r"\bstornieren sie (?:bitte )?(?:die|ihre|diese)\b[^.!?\n]{0,15}?bestellung|\b(?:bitte|könnten sie|würden sie)\b"
        r"[^.!?\n]{0,30}?(?:bestellung stornieren|stornierung (?:beantragen|anfordern))",
        ("stornier",),
        no_negation,
    ),
    Detector(
        r"\b(?:veuillez|merci d'|pourriez-vous|pouvez-vous|nous vous demandons d')\s?[^.!?\n]{0,10}?annuler (?:la|votre|"
        r"cette) commande\b|\bdemander l'annulation\b",
        ("annul",),
        no_negation,
    ),
    Detector(
        r"\bcancele (?:su|el|este) pedido\b|\b(?:podr[ií]a|puede|le pedimos que|por favor)\b[^.!?\n]{0,10}?(?:cancelar|"
        r"solicitar la cancelaci[oó]n)\b",
        ("cancel",),
        no_negation,
    ),
    Detector(
        r"\b(?:annulli|cancelli) (?:l'|il suo |il )?ordine\b|\b(?:potrebbe|può|le chiediamo di|per favore)\b[^.!?\n]{0,10}?"
        r"(?:annullare|richiedere l'annullamento)\b",
        ("annull", "cancell"),
        no_negation,
    ),
    Detector(
        r"(?:请|麻烦|能否|可否|希望)(?:您)?(?:自行|主动)?(?:申请)?取消(?:该|这个|此|一下)?订单|申请取消",
        ("取消",),
        no_negation,
    ),
    Detector(
        r"(?:ご注文|注文)を(?:お客様(?:ご自身)?で)?キャンセル(?:して|いただけ|をお願い|申請)|キャンセル(?:申請|リクエスト)を(?:お願い|して)",
        ("キャンセル",),
    ),
]

tag(CONT_14)
tag(TYPE_13, "en", "en", "de", "fr", "es", "it", "zh", "ja")

RULES = [
    Rule(
        "CONT-14",
        "Pressure, threats or disparagement",
        "violation",
        "Amazon Communication Guidelines; FB-03",
        'Threats, pressure ("legal action", "we will report you", "final warning") and disparaging Amazon or '
        "competitors are not allowed.",
        "delete",
        "Delete the threat; keep a neutral, helpful tone.",
        CONT_14,
    ),
    Rule(
        "TYPE-13",
        "Asks the buyer to cancel the order",
        "violation",
        "Seller Central G1701 / 201722390",
        "Do not ask the buyer to request a cancellation when you cannot fulfil the order: cancel it yourself with the "
        "correct reason (NoInventory / CouldNotShip).",
        "cancel",
        "Cancel the order yourself in Seller Central with the correct reason, then tell the buyer.",
        TYPE_13,
    ),
]
