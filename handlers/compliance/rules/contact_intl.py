"""Contact and payment outside Buyer-Seller Messaging when no address is written out, in all 13 languages.

Real seller texts ask the buyer to leave the messaging channel without ever writing a number or an
address (CONT-08/09 catch those): "please call us back", "I tried to call you", "contact us by e-mail",
"via our phone numbers", "through the contact page", "give us your e-mail address" (TYPE-16); they ask
for payment by bank transfer or PayPal and give the account, or send the buyer to "the URL below" to
rate the shop on its own site (CONT-13). rules/__init__.py appends EXTRA to those rules by id.

Only the seller as the party to contact counts ("call us", "mir per E-Mail mitteilen"): "contact
Amazon customer service", "reply to this e-mail", "we will e-mail you the tracking number" and the
carrier's tracking page are not asks to leave the channel; a phrase next to an Amazon channel
("contact us by e-mail through Amazon") is vetoed. Patterns run on lower-case NFKC text (Chinese
simplified); every gap is bounded ({0,40}), so each regex is linear. Triggers are literal word starts.
"""

from __future__ import annotations

import re

from handlers.compliance.context import Ctx
from handlers.compliance.model import Detector

_G = r"[^.!?\n]"  # one character inside a sentence
_GA = r"[^.!?؟\n]"  # Arabic has its own question mark
_GJ = r"[^。！？\n]"  # Japanese / Chinese sentence character

# The Amazon channel itself: "by e-mail through Amazon", "über Amazon", "Amazonのメッセージ", "عبر أمازون".
_AMAZON = re.compile(r"amazon|amzn|アマゾン|亚马逊|أمازون|امازون|buyer[- ]seller|käufer-verkäufer")
_NEG_BEFORE = re.compile(
    r"\b(?:do not|don't|no need to|never|nicht|niet|geen|nie|inte|não|no|non)\b|不要|请勿|无需|不必|(?:^|\s)لا\s"
)
# "don't hesitate to call us" encourages the call
_HESITATE = re.compile(r"hesit|\bdud|\besit|zöger|aarzel|wahaj|tveka|çekinme|تتردد|遠慮")


def _off_amazon(ctx: Ctx, m: re.Match[str]) -> bool:
    """The phrase is not about Amazon's own channel and not negated ("no need to call us")."""
    low = ctx.low
    s, e = m.span()
    if _AMAZON.search(low, max(0, s - 40), min(len(low), e + 40)):
        return False
    before = low[max(0, s - 25) : s]
    return _NEG_BEFORE.search(before) is None or _HESITATE.search(before) is not None


# --- TYPE-16: call, e-mail, contact page, the buyer's own number or address --------------------------------

_CALL_EN = (
    r"\b(?:call|phone|ring) (?:us|me) back\b|\b(?:please |kindly )?(?:call|phone|ring|text|e-?mail) me\b"
    r"|\bgive (?:us|me) a (?:call|ring|buzz)\b|\bcall back on\b"
    r"|\b(?:tried|trying|attempted|been unable) (?:to )?(?:call|phone|ring|reach)(?:ing)? you(?: by (?:phone|telephone))?\b"
    r"|\b(?:contact|reach|get in touch with|write to|message|notify|inform) (?:us|me)(?: directly)? (?:by|via|through|on|over|at|using)"
    r" (?:the |our |my )?(?:tele)?(?:phone|e-?mail|mail|sms|text|hotline|contact (?:page|form)|phone numbers?|helpline|website)\b"
    r"|\b(?:via|through|on|at|using) (?:our|my) (?:tele)?(?:phone numbers?|hotline|helpline|e-?mail(?: address)?|contact (?:page|form))\b"
    r"|\b(?:via|through|using) the contact (?:page|form)\b|\bby (?:phone|telephone) or (?:e-?mail|mail)\b"
    r"|\bby (?:e-?mail|mail) or (?:tele)?phone\b|\bdrop (?:us|me) (?:an? )?(?:e-?mail|line)\b"
    r"|\b(?:send|give|provide|share|leave|text|tell) (?:us|me)?\s?(?:with )?your (?:personal )?(?:e-?mail(?: address)?"
    r"|(?:tele)?phone (?:number|no)|mobile(?: number)?|cell(?: number)?|whatsapp(?: number)?|contact (?:details|number))\b"
)
_CALL_DE = (
    r"\bzurück(?:zu)?rufen\b|\brufen sie (?:uns|mich) (?:bitte |gerne |einfach |kurz )?(?:zurück|an)\b"
    r"|\b(?:sie|uns|mich) (?:bitte |gerne |jederzeit |einfach |kurz )?(?:anrufen|anzurufen)\b"
    r"|\btelefonisch (?:zu )?(?:erreich\w{0,3}|kontaktier\w{0,3}|melden)\b|\b(?:erreichen|kontaktieren) sie (?:uns|mich)"
    r" (?:gerne |bitte |einfach |jederzeit )?(?:telefonisch|per (?:e-?mail|mail|telefon)|unter)\b"
    r"|\b(?:mir|uns) (?:bitte |gerne |einfach |kurz )?(?:per|via|über) (?:e-?mail|mail|telefon|sms)\b"
    r"|\b(?:per|via) (?:e-?mail|mail|telefon) (?:an|bei) (?:uns|mich)\b"
    r"|\b(?:über|unter|an) unsere[nr]? (?:telefonnummer|hotline|service-?hotline|e-?mail-?adresse|kontaktseite"
    r"|kontaktformular)\w{0,2}\b|\b(?:über|per) (?:das|unser) kontaktformular\b"
    r"|\b(?:teilen|senden|schicken|geben) sie (?:uns|mir) (?:bitte |gerne )?ihre (?:e-?mail-?adresse|telefonnummer"
    r"|handynummer|mobilnummer)\b"
)
_CALL_FR = (
    r"\b(?:rappelez|appelez|téléphonez)[- ](?:nous|moi)\b|\bnous (?:rappeler|appeler|téléphoner)\b"
    r"|\b(?:essayé|tenté) de vous (?:appeler|joindre|téléphoner|contacter par téléphone)\b"
    r"|\b(?:nous|me) (?:contacter|joindre|écrire|faire savoir|informer|prévenir) (?:directement )?(?:par|au|via|sur)"
    r" (?:téléphone|e-?mail|mail|courriel|sms|notre (?:numéro|standard|formulaire|page))\b"
    r"|\b(?:joignables?|contacter|nous contacter) par téléphone\b|\bpar téléphone ou (?:par )?(?:e-?mail|mail|courriel)\b"
    r"|\b(?:via|par|sur) (?:notre|le) (?:formulaire|page) de contact\b|\bnotre numéro de téléphone\b"
    r"|\b(?:envoyez|communiquez|donnez|indiquez)[- ]nous votre (?:adresse (?:e-?mail|mail|électronique)|numéro de téléphone)\b"
)
_CALL_ES = (
    r"\bdevu[eé]lv(?:anos|enos|ame|eme) la llamada\b|\b(?:intentamos|intenté|hemos intentado|he intentado|tratamos de)"
    r" (?:llamarle|llamarte|llamarlo|llamarla|contactarle por teléfono|localizarle)\b"
    r"|\b(?:contactar(?:nos|me)?|comunicar(?:se|te)? con nosotros|comun[ií]quese con nosotros|cont[aá]ctenos|cont[aá]ctanos"
    r"|escr[ií]b(?:anos|enos|irnos)|llamarnos) (?:por|v[ií]a|a través de|al|mediante|en) (?:tel[eé]fono|correo|e-?mail|whatsapp"
    r"|nuestr[oa]s? (?:tel[eé]fonos?|n[uú]meros?|correo|formulario|p[aá]gina))\b"
    r"|\bpor tel[eé]fono o (?:por )?(?:correo|e-?mail)\b|\b(?:formulario|p[aá]gina) de contacto\b"
    r"|\b(?:env[ií]enos|env[ií]anos|ind[ií]quenos|d[ée]nos|facil[ií]tenos) su (?:correo|e-?mail|n[uú]mero de tel[eé]fono|tel[eé]fono)\b"
)
_CALL_IT = (
    r"\b(?:ci richiami|richiamaci|richiamateci|richiamarci|ci chiami|chiamarci|ci telefoni|telefonarci)\b"
    r"|\b(?:provato|tentato|cercato) (?:a|di) (?:chiamarla|chiamarti|telefonarle|contattarla telefonicamente)\b"
    r"|\b(?:contattarci|contattateci|contattaci|ci contatti|scriverci|ci scriva) (?:via|per|tramite|al|a mezzo) (?:telefono"
    r"|e-?mail|mail|whatsapp|nostro (?:numero|modulo))\b|\btelefonicamente\b"
    r"|\b(?:inviarci|mandarci|scriverci) una (?:e-?mail|mail)\b|\b(?:modulo|pagina) (?:di )?contatt[oi]\b"
    r"|\bnostro numero di telefono\b|\b(?:ci invii|ci indichi|ci comunichi|inviateci|comunicateci) il suo (?:indirizzo e-?mail"
    r"|numero di telefono)\b"
)
_CALL_PT = (
    r"\b(?:ligue|liga|telefone)(?:-nos| para nós| pra gente)\b|\bnos (?:ligue|telefone)\b|\bme ligue\b"
    r"|\b(?:tentamos|tentei|tentaram) (?:ligar|telefonar|contato telef[oô]nico)\b|\bretorne (?:a|nossa) liga[çc][ãa]o\b"
    r"|\b(?:entre|entrar|entrando) em contato (?:conosco |comigo )?(?:por|via|pelo|pela|atrav[ée]s d[oa]) (?:telefone"
    r"|e-?mail|whatsapp|nosso (?:telefone|e-?mail|formul[áa]rio)|nossa p[áa]gina)\b"
    r"|\b(?:envie|mande)(?:-nos| para nós)? um e-?mail\b|\bnos (?:envie|mande) um e-?mail\b|\bpor telefone ou e-?mail\b"
    r"|\b(?:formul[áa]rio|p[áa]gina) de contato\b"
)
_CALL_NL = (
    r"\bbel (?:ons|mij|me)\b|\b(?:ons|mij|me) (?:even |gerust )?(?:terug)?(?:te )?bellen\b|\bterug(?:te)?bellen\b"
    r"|\b(?:geprobeerd|geprobeerd om|proberen) (?:je|u|jou) (?:te )?(?:bellen|telefonisch te bereiken)\b"
    r"|\bcontact (?:met (?:ons|mij|me) )?(?:(?:op)?(?:neemt|nemen|neem)|op) (?:per|via) (?:e-?mail|mail|telefoon|whatsapp"
    r"|ons contactformulier)\b"
    r"|\b(?:telefonisch|per e-?mail|per mail) contact\b|\b(?:mail|e-?mail) (?:ons|mij|me)\b"
    r"|\bstuur (?:ons|mij|me) (?:een )?(?:e-?mail|mail|mailtje)\b|\b(?:via|met) (?:ons|het) contactformulier\b|\bcontactpagina\b"
    r"|\b(?:geef|stuur|deel|laat)\b" + _G + r"{0,20}\b(?:je|uw|jouw) (?:e-?mailadres|telefoonnummer|mobiele nummer)"
)
_CALL_PL = (
    r"\bzadzwo[nń] do (?:nas|mnie)\b|\bzadzwoń(?:cie)?\b|\boddzwo[nń]\w{0,4}\b|\bdodzwoni[ćc]\b"
    r"|\b(?:kontakt|skontaktuj\w{0,4} się z nami|prosimy o kontakt|prosimy kontaktować się) (?:telefoniczn\w{1,3}|mailow\w{1,3}"
    r"|e-?mailow\w{1,3}|przez (?:e-?mail|telefon|formularz)|pod numerem)\b|\b(?:telefonicznie|mailowo)\b"
    r"|\b(?:napisz|napiszcie|wyślij|wyślijcie|prosimy wysłać) (?:do nas |nam )?(?:maila|e-?maila|wiadomość e-?mail)\b"
    r"|\bformularz\w{0,3} kontaktow\w{1,3}\b|\b(?:podaj|prosimy podać|prosimy o podanie)\w{0,3} (?:swój |swoj\w{1,3} )?"
    r"(?:adres(?:u)? e-?mail|numer\w{0,2} telefonu)\b"
)
_CALL_SV = (
    r"\bring (?:oss|mig)\b|\bringa (?:oss|mig|upp|tillbaka)\b|\b(?:försökt|försökte) (?:att )?ringa\b"
    r"|\bkontakta (?:oss|mig) (?:via|per|på|genom) (?:telefon|e-?post|mejl|mail|sms|vårt kontaktformulär)\b"
    r"|\b(?:mejla|maila) (?:oss|mig)\b|\bskicka (?:oss |mig )?(?:ett )?(?:mejl|mail|e-?postmeddelande)\b"
    r"|\bkontaktformulär\w{0,3}\b|\bvia telefon eller (?:e-?post|mejl|mail)\b"
)
_CALL_TR = (
    r"\bbizi (?:arayın|arayınız|arayabilirsiniz|arayin)\b|\bgeri (?:arayın|arayınız|dönüş yapın)\b|\baramaya çalıştı\w{0,4}\b"
    r"|\b(?:telefon|e-?posta|mail|whatsapp)\w{0,12} (?:ile|yoluyla|üzerinden|aracılığıyla)" + _G + r"{0,30}?"
    r"(?:bize ulaş|iletişime geç|bizimle iletişim|arayın|yazın)\w{0,14}"
    r"|\b(?:bize|tarafımıza) (?:e-?posta|mail) (?:gönderin|atın|atabilirsiniz|gönderebilirsiniz)\w{0,4}"
    r"|\btelefon numaralarımız\w{0,6}|\biletişim formu\w{0,6}"
)
_CALL_AR = (
    r"(?:تواصل|اتصل|راسل|الاتصال|التواصل|مراسلت)\w{0,4}\s(?:معنا|بنا|بنا|علينا)?\s?" + _GA + r"{0,20}?"
    r"(?:عبر|على|من خلال|ب)\s?(?:ال)?(?:هاتف|(?:أرقام|ارقام|رقم)\w{0,3} (?:ال)?هاتف|بريد|إيميل|ايميل|صفحة|واتس)\w{0,8}"
    r"|(?:أرقامنا|ارقامنا) (?:ال)?هاتفية|أرقام هواتفنا|رقم هاتفنا|صفحة (?:إ|ا)تصل بنا|هاتفيا|هاتفياً"
    r"|حاول\w{0,3} (?:ال)?اتصال بك|عاود\w{0,3} الاتصال|اتصل\w{0,2} بنا على"
)
_CALL_ZH = (
    r"回电|回个电话|给我们(?:打|回)?(?:个)?电话|(?:通过|用|以)(?:电话|邮件|电子邮件|邮箱)(?:联系|告知|通知|联络)"
    r"|(?:电话|邮件|邮箱)(?:联系|联络)(?:我们|我)|联系我们的(?:客服)?(?:电话|邮箱)|(?:尝试|试图|试着)(?:给您|与您)?(?:打电话|联系您)"
    r"|(?:联系|联络)(?:页面|表单)|发送(?:电子)?邮件(?:至|到)|留下(?:您的)?(?:电话|手机号|邮箱|联系方式)"
)
_CALL_JA = (
    r"(?:お電話|電話|メール|e-?mail|fax|ファックス)(?:で|にて)(?:の)?(?:ご連絡|連絡|お問い?合わ?せ|問い?合わ?せ|ご相談|ご返信)"
    r"|お電話(?:ください|下さい|いただ|頂|をお願い|差し上げ|しました|したのですが|をおかけ)|折り返し(?:お)?電話"
    r"|(?:お問い?合わ?せ|問い?合わ?せ)(?:フォーム|窓口)|(?:下記|以下)(?:の)?(?:電話番号|メールアドレス|連絡先|お問い?合わ?せ先)"
    r"|(?:電話番号|メールアドレス)(?:まで|へ|に)(?:ご連絡|お問い?合わ?せ)"
)

# Each language's channel and call words: every alternative of its pattern holds one of them.
_TRIG = {
    "en": (
        "call",
        "phone",
        "telephone",
        "ring",
        "text",
        "mail",
        "e-mail",
        "email",
        "give",
        "tried",
        "trying",
        "attempted",
        "unable",
        "contact",
        "drop",
        "mobile",
        "cell",
        "whatsapp",
        "hotline",
        "helpline",
        "sms",
        "website",
    ),
    "de": (
        "zurück",
        "rufen",
        "anrufen",
        "anzurufen",
        "telefon",
        "kontakt",
        "erreichen",
        "e-mail",
        "email",
        "mail",
        "sms",
        "hotline",
        "service",
        "handy",
        "mobil",
    ),
    "fr": (
        "rappel",
        "appel",
        "téléphon",
        "essayé",
        "tenté",
        "joign",
        "joindre",
        "contacter",
        "e-mail",
        "email",
        "mail",
        "courriel",
        "sms",
        "formulaire",
        "page",
        "numéro",
        "standard",
        "adresse",
    ),
    "es": (
        "devu",
        "llam",
        "localizarle",
        "contactarle",
        "teléfono",
        "telefono",
        "correo",
        "e-mail",
        "email",
        "whatsapp",
        "nuestro",
        "nuestra",
        "formulario",
        "página",
        "pagina",
        "número",
        "numero",
    ),
    "it": (
        "richiam",
        "chiam",
        "telefon",
        "contatt",
        "e-mail",
        "email",
        "mail",
        "whatsapp",
        "nostro",
        "modulo",
        "pagina",
    ),
    "pt": (
        "ligue",
        "liga",
        "ligar",
        "ligação",
        "ligacao",
        "telefon",
        "contato",
        "e-mail",
        "email",
        "whatsapp",
        "formul",
        "página",
        "pagina",
    ),
    "nl": (
        "bel",
        "bellen",
        "terugbellen",
        "telefon",
        "telefoon",
        "contact",
        "e-mail",
        "email",
        "mail",
        "mailtje",
        "contactformulier",
        "contactpagina",
        "e-mailadres",
        "emailadres",
        "mobiele",
    ),
    "pl": (
        "zadzwo",
        "oddzwo",
        "dodzwoni",
        "telefon",
        "mail",
        "e-mail",
        "email",
        "formularz",
        "adres",
        "numer",
        "przez",
    ),
    "sv": ("ring", "kontakta", "mejl", "mail", "e-post", "epost", "kontaktformulär", "telefon"),
    "tr": (
        "bizi",
        "geri",
        "aramaya",
        "telefon",
        "e-posta",
        "eposta",
        "mail",
        "whatsapp",
        "bize",
        "tarafımıza",
        "iletişim",
    ),
    "ar": (
        *(
            p + w
            for w in ("تواصل", "اتصل", "اتصال", "راسل", "مراسل")
            for p in ("", "ال", "و", "ف", "ب", "بال", "ل", "لل")
        ),
        "يتواصل",
        "نتواصل",
        "تتواصل",
        "أرقامنا",
        "ارقامنا",
        "أرقام",
        "رقم",
        "صفحة",
        "هاتفيا",
        "هاتفياً",
        "حاول",
        "حاولنا",
        "عاود",
        "إتصل",
    ),
    "zh": ("回电", "回个", "电话", "邮件", "邮箱", "联系", "联络", "尝试", "试图", "试着", "发送", "留下"),
    "ja": ("電話", "メール", "mail", "fax", "ファックス", "折り返し", "問い合", "問合", "下記", "以下"),
}
_CALL = {
    "en": _CALL_EN,
    "de": _CALL_DE,
    "fr": _CALL_FR,
    "es": _CALL_ES,
    "it": _CALL_IT,
    "pt": _CALL_PT,
    "nl": _CALL_NL,
    "pl": _CALL_PL,
    "sv": _CALL_SV,
    "tr": _CALL_TR,
    "ar": _CALL_AR,
    "zh": _CALL_ZH,
    "ja": _CALL_JA,
}

TYPE_16 = [Detector(rx, _TRIG[lang], _off_amazon, lang=lang) for lang, rx in _CALL.items()]

# --- CONT-13: payment outside Amazon -----------------------------------------------------------------------
# Account details written out: the name of an account, a colon or a space, then a long run of digits
# ("Numer konta: 38 1160 2202 ...", "IBAN: DE89 3704 ...").
_ACCOUNT_NAME = (
    r"(?:iban|bic|swift(?: code)?|sort code|routing number|account (?:number|no\.?)|bank details|bank account"
    r"|kontonummer|bankverbindung|numer(?:u)? konta|nr\.? konta|rachunek|numéro de compte|\brib\b|número de cuenta|clabe"
    r"|numero di conto|número da conta|chave pix|rekeningnummer|bankrekening|bankgiro|plusgiro|swish"
    r"|hesap (?:numarası|no)|رقم الحساب|(?:ال)?آيبان|(?:ال)?ايبان|银行账号|银行账户|收款账号|口座番号|振込先)"
)
_ACCOUNT = _ACCOUNT_NAME + r"\s{0,3}[:：#]?\s{0,3}(?:[a-z]{2}\d{2})?[\d ]{8,40}\d"
# Paying (or being paid back) through a channel Amazon does not see.
_PAY_CHANNEL = (
    r"(?:paypal|bank transfer|wire transfer|western union|venmo|zelle|cash ?app|revolut|überweisung|vorkasse"
    r"|virement(?: bancaire)?|transferencia(?: bancaria)?|bonifico(?: bancario)?|transfer[êe]ncia(?: banc[áa]ria)?|\bpix\b"
    r"|boleto|overboeking|overschrijving|tikkie|przelew\w{0,3}|blik|banköverföring|swish|havale|\beft\b"
    r"|تحويل بنكي|حوالة بنكية|التحويل البنكي|银行转账|汇款|支付宝|银行汇款|銀行振込|振込|振り込み)"
)
_PAY_VERB = (
    r"(?:\bpay|\bsend (?:the |us )?(?:money|payment|amount|balance)|\btransfer\b|\brefund|zahl|bezahl|überweis|erstatt"
    r"|pa(?:y|i)ez|régl|rembours|virer|pag(?:ar|ue|o|a|amento|ue)|abon|reembols|transferir|rimbors|versar|effettu"
    r"|betaal|betal|overmaken|terugbeta|zapła|płać|wpła|opłac|zwrot|prze(?:la|lew)|betala|återbetal|överför"
    r"|öde(?:me|yin|yebilir)|iade|gönder|دفع|ادفع|سداد|استرداد|حول|تحويل|付款|支付|转账|汇|退款|支払|お支払|振り?込|返金)"
)
_PAY_RX = re.compile(_PAY_VERB)


def _pay_ask(ctx: Ctx, m: re.Match[str]) -> bool:
    """A paying verb in the sentence besides the channel's own name ("bank transfer" holds "transfer")."""
    s, e = ctx.sentence(m.start(), max(m.end() - 1, m.start()))
    low = ctx.low
    return (_PAY_RX.search(low, s, m.start()) or _PAY_RX.search(low, m.end(), e)) is not None and _off_amazon(ctx, m)


_PAY_TRIG = (
    "paypal",
    "bank transfer",
    "wire transfer",
    "western union",
    "venmo",
    "zelle",
    "cash",
    "revolut",
    "überweisung",
    "vorkasse",
    "virement",
    "transferencia",
    "bonifico",
    "transferência",
    "transferencia",
    "pix",
    "boleto",
    "overboeking",
    "overschrijving",
    "tikkie",
    "przelew",
    "blik",
    "banköverföring",
    "swish",
    "havale",
    "eft",
    "تحويل",
    "حوالة",
    "التحويل",
    "银行转账",
    "汇款",
    "支付宝",
    "银行汇款",
    "銀行振込",
    "振込",
    "振り込み",
)
_ACCOUNT_TRIG = (
    "iban",
    "bic",
    "swift",
    "sort code",
    "routing",
    "account",
    "bank details",
    "bank account",
    "kontonummer",
    "bankverbindung",
    "numer",
    "nr",
    "rachunek",
    "numéro de compte",
    "rib",
    "número de",
    "numero di conto",
    "clabe",
    "chave",
    "rekeningnummer",
    "bankrekening",
    "bankgiro",
    "plusgiro",
    "swish",
    "hesap",
    "رقم",
    "آيبان",
    "ايبان",
    "الآيبان",
    "الايبان",
    "银行",
    "收款",
    "口座",
    "振込先",
)

PAYMENT = [
    Detector(_ACCOUNT, _ACCOUNT_TRIG, _off_amazon),
    Detector(_PAY_CHANNEL, _PAY_TRIG, _pay_ask),
]

# --- CONT-13: "the URL / link below" to rate or post on the shop's own site --------------------------------
_LINK_SITE = [
    Detector(
        r"\b(?:link|url)\w{0,2}\b"
        + _G
        + r"{0,60}?\b(?:on|at) our (?:own )?(?:site|web ?site|web ?shop|store|shop|page)\b"
        r"|\b(?:on|at) our (?:own )?(?:site|web ?shop|shop|store|page)\b" + _G + r"{0,40}?\b(?:link|url)\b",
        ("link", "url", "on our", "at our"),
        _off_amazon,
        lang="en",
    ),
    Detector(
        r"(?:url|リンク|link)"
        + _GJ
        + r"{0,12}?(?:より|から)"
        + _GJ
        + r"{0,30}?(?:弊社|当社|当店|自社)"
        + _GJ
        + r"{0,30}?"
        r"(?:投稿|ご投稿|評価|レビュー|ご意見|口コミ)",
        ("弊社", "当社", "当店", "自社"),  # "記載のURL": no word start before a Latin word inside Japanese
        _off_amazon,
        lang="ja",
    ),
    Detector(
        r"(?:链接|网址|url|link)" + _GJ + r"{0,30}?(?:我们|本店|我司)(?:的)?(?:网站|网店|店铺页面|页面)",
        ("链接", "网址", "我们", "本店", "我司"),
        _off_amazon,
        lang="zh",
    ),
]

for _d in PAYMENT:
    _d.lang = None  # account numbers and payment brands read the same in every language

CONT_13 = [*PAYMENT, *_LINK_SITE]

EXTRA: dict[str, list[Detector]] = {"TYPE-16": TYPE_16, "CONT-13": CONT_13}
