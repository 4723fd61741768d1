"""Contact details in any script (issue 15, item 3): links, emails, phone numbers and messaging handles
in Japanese/Chinese text without spaces, full-width forms, spelled-out obfuscations, scheme-less domains;
and the numbers and names that are not contact details (order numbers, ASINs, tracking numbers, dates,
prices, model numbers, Amazon's own domains, file names).

Real data where there is some: phone numbers are phonenumbers' own example numbers for each Amazon
marketplace region (its metadata is Google's libphonenumber, built from the numbering plans), and the
corpus texts quoted below come from tests/compliance/corpus (their source addresses are there).
"""

from __future__ import annotations

import phonenumbers
import pytest

from handlers.compliance import check
from handlers.compliance.rules.contact import MARKETPLACE_REGIONS

CONTACT = {"CONT-01", "CONT-02", "CONT-08", "CONT-09", "TYPE-16"}


def _found(text: str, rule: str, excerpt: str | None = None) -> None:
    findings = check(text).findings
    hits = [f for f in findings if f.rule == rule]
    assert hits, f"{rule} not found in {text!r}: {[(f.rule, f.excerpt) for f in findings]}"
    if excerpt is not None:
        assert excerpt in [f.excerpt for f in hits], [(f.rule, f.excerpt) for f in findings]
    for f in findings:  # spans map back to the original text, whatever normalisation did
        assert text[f.start : f.end] == f.excerpt


def _clean(text: str) -> None:
    findings = [(f.rule, f.excerpt) for f in check(text).findings if f.rule in CONTACT]
    assert findings == [], text


# --- phone numbers ---------------------------------------------------------------------------------


def _examples() -> list[tuple[str, str]]:
    out = []
    for region in MARKETPLACE_REGIONS:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            n = phonenumbers.example_number_for_type(region, kind)
            out.append((region, phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)))
            out.append((region, phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)))
    return out


@pytest.mark.parametrize(("region", "number"), _examples())
def test_international_numbers_of_every_marketplace(region: str, number: str) -> None:
    _found(f"For questions: {number}.", "CONT-09", number)


NATIONAL = [  # the region's own format inside a sentence of its language, no "phone" word
    ("Sie erreichen uns unter 030 123456.", "030 123456"),
    ("Vous pouvez nous joindre au 01 23 45 67 89.", "01 23 45 67 89"),
    ("Puede contactarnos en el 810 12 34 56.", "810 12 34 56"),
    ("Ci trovate allo 02 1234 5678.", "02 1234 5678"),
    ("Our office: (201) 555-0123.", "(201) 555-0123"),
    ("Our UK office: 0121 234 5678.", "0121 234 5678"),
    ("ご不明な点は03-1234-5678までどうぞ。", "03-1234-5678"),
    ("有问题请联系13123456789谢谢", "13123456789"),
    ("携帯09012345678にご連絡ください。", "09012345678"),
    ("お問い合わせ：０３－１２３４－５６７８まで", "０３－１２３４－５６７８"),
    ("客服热线：４００－１２３－４５６７", "４００－１２３－４５６７"),
    ("Neem contact op via 010 123 4567.", "010 123 4567"),
    ("Zadzwoń: 512 345 678.", "512 345 678"),
]


@pytest.mark.parametrize(("text", "excerpt"), NATIONAL)
def test_national_numbers_in_running_text(text: str, excerpt: str) -> None:
    _found(text, "CONT-09", excerpt)


CORPUS_PHONES = [  # tests/compliance/corpus: ar-001, pl-002, pl-003, tr-004
    (
        "وفيه حال اردتم الاستفسار عن حالة الشحنه الرجاء التواصل مع خدمة العملاء لشركة سمسا\n\n8001242999\n\n920009999",
        "8001242999",
    ),
    (
        "Kontakt ze sklepem internetowym Kuchnie Świata jest możliwy:\n\na.      za pośrednictwem poczty "
        "elektronicznej pod adresem sklep@kuchnieswiata.com.pl\n\nb.      telefonicznie pod numerem telefonu "
        "+48 507 012 094",
        "+48 507 012 094",
    ),
    ("Telefon: 0850 522 0 938(Müşteri Hizmetleri)\n\nE-Posta: destek@takiperest.com", "0850 522 0 938"),
]


@pytest.mark.parametrize(("text", "excerpt"), CORPUS_PHONES)
def test_corpus_phone_numbers(text: str, excerpt: str) -> None:
    _found(text, "CONT-09", excerpt)


NOT_PHONES = [
    "Your order 113-4567890-1234567 has shipped.",
    "注文番号：２５０－１２３４５６７－１２３４５６７の商品を発送しました。",
    "订单号113-4567890-1234567已发货",
    "Digital order D01-1234567-1234567 is ready.",
    "ASIN B07XJ8C8F5 is the black version.",
    "UPS tracking 1Z999AA10123456784 shows it in transit.",
    "USPS: 9400 1000 0000 0000 0000 00",
    "Sendungsnummer 00340434161234567890 bei DHL.",
    "追跡番号：123456789012 ヤマト運輸",
    "运单号：SF1234567890123",
    "Delivery between 2026-12-01 and 2026-12-05.",
    "Lieferung am 01.12.2026 - 05.12.2026.",
    "2026年12月1日にお届けします。",
    "Shipped on 12/01/2026 10:30 from Leipzig.",
    "Der Preis beträgt 1.299,00 € inkl. MwSt.",
    "The price was $1,299.00 plus tax.",
    "価格は¥12,800です。",
    "Preço: R$ 1.299.000,00.",
    "Model XR-2000-1234567 is compatible.",
    "Serial number: 2023 0412 5567",
    "S/N 1234567890",
    "EAN 4006381333931",
    "Firmware version 1.2.10.4 fixes this.",
    "Pi is 3.14159265 approximately.",
    "Ihre PLZ 94105-1234",
    "Artikelnummer 12345678",
    "Steuernummer 12/345/67890",
    "IBAN DE89 3704 0044 0532 0130 00",
    "IP 192.168.100.1 blocked",
    "Öffnungszeiten Mo-Fr 9-17 Uhr, 10:30-18:00",
    "下单时间2026-12-01 10:30:00",
    "配送予定日：2026/12/01～2026/12/03",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_numbers_that_are_not_phones(text: str) -> None:
    _clean(text)


# --- email addresses -------------------------------------------------------------------------------

EMAILS = [
    ("ご連絡はshop@gmail.comまでお願いします。", "shop@gmail.com"),
    ("请发邮件到greenhome88@qq.com谢谢", "greenhome88@qq.com"),
    ("メール：ｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ", "ｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ"),
    ("邮箱shop@gmail。com", "shop@gmail。com"),
    ("Write to shop at gmail dot com please.", "shop at gmail dot com"),
    ("Write to shop (at) greenhome (dot) de please.", "shop (at) greenhome (dot) de"),
    ("Write to shop [at] greenhome [dot] fr please.", "shop [at] greenhome [dot] fr"),
    ("Escríbenos a tienda arroba gmail punto com.", "tienda arroba gmail punto com"),
    ("Escreva para loja arroba gmail ponto com.", "loja arroba gmail ponto com"),
    ("Écrivez à boutique chez orange point fr.", "boutique chez orange point fr"),
    ("Schreiben Sie an shop at web punkt de.", "shop at web punkt de"),
    ("Napisz na sklep małpa wp kropka pl.", "sklep małpa wp kropka pl"),
    ("Bize magaza at gmail nokta com adresinden yazın.", "magaza at gmail nokta com"),
    ("メールはshop アットマーク gmail ドット comまで", "shop アットマーク gmail ドット com"),
    ("邮箱shop艾特qq点com", "shop艾特qq点com"),
    ("راسلنا على shop ات gmail نقطة com", "shop ات gmail نقطة com"),
    ("E-Post: info@LedPerf.com", "info@LedPerf.com"),  # corpus sv-009
    (
        "contact opneemt met onze klantenservice via info@digisupplies.nl. Graag altijd",
        "info@digisupplies.nl",
    ),  # nl-005
    ("You can reach me at john.smith@gmail.com if anything is unclear.", "john.smith@gmail.com"),
]


@pytest.mark.parametrize(("text", "excerpt"), EMAILS)
def test_emails_in_any_script_and_obfuscation(text: str, excerpt: str) -> None:
    _found(text, "CONT-08", excerpt)


# --- web addresses ---------------------------------------------------------------------------------

DOMAINS = [
    ("Visit greenhome-shop.com for spare parts.", "greenhome-shop.com"),
    ("See www.example.co.uk for details.", "www.example.co.uk"),
    ("Manuals: shop.example.de/help", "shop.example.de/help"),
    ("To find more of our products, visit petstorewares.com.", "petstorewares.com"),  # corpus en-010
    ("请访问greenhome-shop.com了解更多", "greenhome-shop.com"),
    ("詳しくはgreenhome.co.jpをご覧ください。", "greenhome.co.jp"),
    ("サイト：ｇｒｅｅｎｈｏｍｅ．ｃｏｍ", "ｇｒｅｅｎｈｏｍｅ．ｃｏｍ"),
    ("网址greenhome 点 com", "greenhome 点 com"),
    ("サイトはgreenhome ドット comです", "greenhome ドット com"),
    ("Odwiedź greenhome kropka pl.", "greenhome kropka pl"),
    ("Acesse greenhome ponto com.", "greenhome ponto com"),
    ("greenhome nokta com adresini ziyaret edin.", "greenhome nokta com"),
    ("Bezoek greenhome.nl voor onderdelen.", "greenhome.nl"),
    ("Besuchen Sie greenhome.shop", "greenhome.shop"),
]


@pytest.mark.parametrize(("text", "excerpt"), DOMAINS)
def test_web_addresses_without_a_scheme(text: str, excerpt: str) -> None:
    _found(text, "CONT-01", excerpt)


NOT_DOMAINS = [
    "Please see the attached manual.pdf for the steps.",
    "Install setup.exe and photo.jpg is the picture.",
    "Update to firmware v2.3 first.",
    "It weighs 2.5 kg and is 3.75 inches wide.",
    "You can track it on Amazon.com as usual.",
    "Ihre Bestellung finden Sie auf amazon.de unter Meine Bestellungen.",
    "Your orders are at www.amazon.co.jp/gp/css/order-history",
    "It is done.Thanks for waiting.",
    "We shipped it today.Please let us know.",
    "We arrived at home yesterday.",
    "The product line is new, see line 2 of the manual.",
    "Le point de retrait indiqué est fermé ; pouvez-vous choisir un autre point de retrait ?",
    "En este punto de recogida no aceptan paquetes grandes.",
    "El punto es que llegó tarde.",
    "At this point it is working again.",
    "We shipped online via the usual line.",
    "Bottom Line: please tell us if the size fits.",
    "The VX 20000 model and the WX200 Pro are compatible.",
]


@pytest.mark.parametrize("text", NOT_DOMAINS)
def test_names_that_are_not_contact_details(text: str) -> None:
    _clean(text)


# --- messaging-app handles -------------------------------------------------------------------------

HANDLES = [
    "LINE ID: greenhome123",
    "LINE: greenhome_shop",
    "ＬＩＮＥ：ｇｒｅｅｎｈｏｍｅ",
    "ＬＩＮＥ ＩＤ：ｇｒｅｅｎｈｏｍｅ",
    "ラインID：greenhome までご連絡ください",
    "LINE@で友だち追加してください",
    "微信号：greenhome88",
    "加VX：greenhome88",
    "有问题加V信greenhome88",
    "QQ号：12345678",
    "加QQ：12345678咨询",
    "请加whatsapp联系我们",
    "WhatsApp +49 151 23456789",
    "wa.me/4915123456789",
    "Telegram: @greenhome_shop",
    "t.me/greenhome_shop",
    "카카오톡 ID: greenhome",
    "KakaoTalk: greenhome",
    "واتساب 0501234567",
]


PLACEHOLDERS = [  # template placeholders that become a contact detail (corpus en-137, de-106)
    ("If you have any questions, call us at [Phone Number].", "CONT-09", "[Phone Number]"),
    ("Hier können Sie bewerten: {rating_url}\n\n{shop_url}", "CONT-01", "{shop_url}"),
    ("Write to [Your Email] anytime.", "CONT-08", "[Your Email]"),
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), PLACEHOLDERS)
def test_template_placeholders_for_contact_details(text: str, rule: str, excerpt: str) -> None:
    _found(text, rule, excerpt)


def test_placeholders_that_are_not_contact_details() -> None:
    _clean("Hello [Customer Name], your order [Order Number] of {product_name} ships today. [Your Name]")


@pytest.mark.parametrize("text", HANDLES)
def test_messaging_app_handles(text: str) -> None:
    _found(text, "TYPE-16")


def test_spans_map_back_through_full_width_and_mixed_text() -> None:
    text = "お問い合わせ：ｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ、電話０３－１２３４－５６７８まで。"
    got = {(f.rule, f.excerpt) for f in check(text).findings}
    assert ("CONT-08", "ｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ") in got
    assert ("CONT-09", "０３－１２３４－５６７８") in got
