"""Persuasion families (issue 15, item 4): conditional asks, guilt and sympathy, rewards for reviews or
screenshots, asking to cancel, contact-before-feedback, pressure about negative feedback; in all 13
languages, each finding spanning the offending phrase, and "review" as an ordinary verb left alone.

Texts marked with a source are real third-party texts (also in tests/compliance/corpus/); the others are
short instances of each family in the languages the corpus does not yet cover for it.
"""

import pytest

from handlers.compliance import LANGS, check
from handlers.compliance.engine import raw_spans
from handlers.compliance.lang import detect

# (lang, rule, text)
VIOLATIONS = [
    # REV-03 conditional asks
    # https://github.com/bernieplug/eepelican/blob/d05dd0580722f7972a6844eb5cc1aff75830c73b/content/blog/how-ask-review.md
    ("en", "REV-03", "If you liked the product, please consider leaving us a five-star review here: [review link]."),
    # https://github.com/swmartinezdot33/earnyour-marketing (public/course-assets, review request templates)
    (
        "en",
        "REV-03",
        "Hi [Name]! Thanks for choosing us for [service]. If you had a great experience, please leave us "
        "a review on Google: [LINK]. Takes 30 seconds! 🌟",
    ),
    (
        "en",
        "REV-03",
        "[Name], thank you for choosing [Your Business]! If we did great, we'd love a Google review: [LINK]",
    ),
    ("en", "REV-03", "If you’re happy with it, please leave us a review."),
    ("de", "REV-03", "Wenn Sie zufrieden sind, hinterlassen Sie bitte eine Bewertung."),
    ("fr", "REV-03", "Si vous êtes satisfait, merci de laisser un avis."),
    ("es", "REV-03", "Si está satisfecho, por favor déjenos una reseña."),
    ("it", "REV-03", "Se è soddisfatto, la preghiamo di lasciare una recensione."),
    ("pt", "REV-03", "Se ficou satisfeito, por favor deixe uma avaliação."),
    ("nl", "REV-03", "Als u tevreden bent, laat dan een review achter."),
    ("pl", "REV-03", "Jeśli jesteś zadowolony, prosimy o wystawienie opinii."),
    ("sv", "REV-03", "Om du är nöjd, lämna gärna en recension."),
    ("tr", "REV-03", "Memnun kaldıysanız lütfen bir yorum bırakın."),
    ("ar", "REV-03", "إذا كنت راضيا عن المنتج، يرجى ترك تقييم."),
    ("zh", "REV-03", "如果您满意，请给我们留下评价。"),
    ("ja", "REV-03", "ご満足いただけましたら、レビューをお願いします。"),
    # REV-02 positive or star asks in the newer languages
    ("pt", "REV-02", "Por favor, deixe uma avaliação positiva."),
    ("nl", "REV-02", "Wilt u ons een positieve review geven?"),
    ("pl", "REV-02", "Prosimy o wystawienie pozytywnej opinii."),
    ("sv", "REV-02", "Vänligen lämna ett positivt omdöme."),
    ("tr", "REV-02", "Lütfen bize 5 yıldız verin."),
    ("ar", "REV-02", "يرجى ترك تقييم إيجابي."),
    # https://github.com/sauteam/Guozaoke/blob/HEAD/Guozaoke/View/AppReview/ReviewGuideView.swift
    ("zh", "REV-02", "如果觉得我们做的还不错，请考虑给我们一个五星好评！"),
    # REV-06 rewards for a review or a screenshot of it
    # https://sellercentral.amazon.com.au/gp/help/external/202126280 (Amazon's own example of a violation)
    (
        "en",
        "FB-03",
        "Would you be willing to remove your feedback if we provide you with a voucher for 25% off your next purchase?",
    ),
    ("en", "REV-06", "Send us a screenshot of your review and we will extend your warranty by one year."),
    ("en", "REV-06", "Leave a review and join our VIP club for free gifts."),
    ("de", "REV-06", "Senden Sie uns einen Screenshot Ihrer Bewertung und erhalten Sie ein Geschenk."),
    ("fr", "REV-06", "Laissez un avis et recevez un cadeau gratuit."),
    ("es", "REV-06", "Envíenos una captura de su reseña y le regalamos una garantía extendida."),
    ("it", "REV-06", "Lasci una recensione e riceverà un buono regalo."),
    ("pt", "REV-06", "Deixe sua avaliação e ganhe um brinde."),
    ("nl", "REV-06", "Laat een review achter en ontvang 10% korting."),
    # https://truckdrivers.biz/reviews-help?lang=pl
    ("pl", "REV-06", "Co miesiąc przeprowadzimy losowanie nagrody dla najbardziej pomocnej 5-gwiazdkowej opinii."),
    ("sv", "REV-06", "Skriv en recension och få ett presentkort."),
    # https://www.puzzledepo.com/hediye-puan-yorum
    ("tr", "REV-06", "Satın aldığınız bir puzzle için yorum yapın extra hediye puan kazanın."),
    ("ar", "REV-06", "اترك تقييمك واحصل على هدية مجانية."),
    # https://search.52zhanxing.com/p/nlitmt9ym9
    ("zh", "REV-06", "好评返现5元红包"),
    # https://www.cocodecow.com/coco/htdocs/13/review/
    ("ja", "REV-06", "レビュー1件掲載につき\n10ポイントGET!"),
    # REV-07 / FB-03 change or remove asks in the newer languages
    ("pt", "REV-07", "Por favor, poderia remover a sua avaliação?"),
    ("nl", "REV-07", "Zou u uw review willen verwijderen?"),
    ("pl", "REV-07", "Prosimy o usunięcie opinii."),
    ("sv", "REV-07", "Kan du ta bort din recension?"),
    ("tr", "REV-07", "Lütfen yorumunuzu silebilir misiniz?"),
    ("ar", "REV-07", "يرجى حذف تقييمك."),
    ("nl", "FB-03", "Zou u uw feedback willen verwijderen?"),
    # REV-04 contact the seller before a negative review or feedback
    ("en", "REV-04", "Please contact us before leaving negative feedback."),
    ("de", "REV-04", "Bevor Sie eine negative Bewertung abgeben, kontaktieren Sie uns bitte."),
    ("fr", "REV-04", "Avant de laisser un avis négatif, contactez-nous."),
    ("pt", "REV-04", "Antes de deixar uma avaliação negativa, entre em contato conosco."),
    ("nl", "REV-04", "Voordat u een negatieve review plaatst, neem contact met ons op."),
    ("pl", "REV-04", "Zanim wystawisz negatywną opinię, skontaktuj się z nami."),
    ("sv", "REV-04", "Innan du lämnar ett negativt omdöme, kontakta oss."),
    ("tr", "REV-04", "Olumsuz yorum bırakmadan önce lütfen bizimle iletişime geçin."),
    ("ar", "REV-04", "قبل ترك تقييم سلبي، يرجى التواصل معنا."),
    # REV-10 guilt, sympathy, pressure about negative feedback
    ("en", "REV-10", "We are a small family business, every review decides our future."),
    ("en", "REV-10", "Your review keeps us alive."),
    ("en", "REV-10", "Negative feedback hurts our business badly."),
    ("en", "REV-10", "A bad review could shut us down."),
    # https://github.com/Ellyzeul/B1Sistema-PDOCRUD (resources/views/emails/ask-rating/international.blade.php)
    (
        "en",
        "REV-10",
        "Your evaluation is extremely important for Seline Bookstore to remain here at AMAZON providing rare "
        "works and out-of-stock titles!",
    ),
    # https://github.com/bernieplug/eepelican (content/blog/2019/05/9-ways-to-ruin-post-order-emails.md)
    ("en", "REV-10", "That’s why we need a review from you to boost our sales."),
    ("de", "REV-10", "Eine negative Bewertung schadet unserem kleinen Geschäft enorm."),
    ("fr", "REV-10", "Un avis négatif nuit énormément à notre petite entreprise."),
    ("es", "REV-10", "Una reseña negativa perjudica mucho a nuestro pequeño negocio."),
    ("it", "REV-10", "Una recensione negativa è un colpo fatale per noi."),
    # https://github.com/Ellyzeul/B1Sistema-PDOCRUD (resources/views/emails/ask-rating/national.blade.php)
    ("pt", "REV-10", "Sua avaliação é extremamente importante para que a Livraria B1 permaneça aqui na AMAZON!"),
    ("nl", "REV-10", "Een negatieve review schaadt ons kleine bedrijf enorm."),
    ("pl", "REV-10", "Negatywna opinia bardzo nam szkodzi i niszczy naszą małą firmę."),
    ("sv", "REV-10", "Ett negativt omdöme skadar vårt lilla företag."),
    ("tr", "REV-10", "Olumsuz yorumlar küçük işletmemize çok zarar veriyor."),
    ("ar", "REV-10", "التقييم السلبي يضر بمتجرنا الصغير كثيرا."),
    ("zh", "REV-10", "一个差评就会让我们小店倒闭。"),
    ("ja", "REV-10", "低評価は小さなお店にとって致命的です。レビューをお願いします。"),
    # TYPE-13 asking the buyer to cancel
    # https://github.com/wangliarchi/harvester/blob/b90a3f6891daed5568bf039c1631a0725f3f1820/template/letter/lw.ftl
    (
        "en",
        "TYPE-13",
        "If the above option is unacceptable to you, could you please log in to Amazon account, go to "
        "'Your Orders' and click 'Request Cancellation' button?",
    ),
    ("pt", "TYPE-13", "Por favor, cancele o pedido."),
    ("nl", "TYPE-13", "Wilt u de bestelling annuleren?"),
    ("pl", "TYPE-13", "Prosimy o anulowanie zamówienia."),
    ("sv", "TYPE-13", "Vänligen avbryt din beställning."),
    ("tr", "TYPE-13", "Lütfen siparişi iptal edin."),
    ("ar", "TYPE-13", "يرجى إلغاء الطلب."),
]

# Issue 15, kinds of misses on the real corpus: each family by a real text (corpus id) and short instances
# in the other languages.
VIOLATIONS += [
    # en-105: https://github.com/bernieplug/eepelican/blob/d05dd0580722f7972a6844eb5cc1aff75830c73b/content/blog/craft-follow-up.md
    ("en", "REV-03", "if you’ve had a good experience, we’d love to hear from you"),
    # es-110: https://github.com/jotamed/testimonioya/blob/HEAD/public/recursos/guia-emails-testimonios.md
    (
        "es",
        "REV-03",
        "Hola [Nombre],\n\n¿Qué tal tu experiencia con [producto/servicio]?\n\nSi te ha ido bien, nos encantaría que compartieras tu opinión. \nSolo te llevará 2 minutos:\n\n[ENLACE TESTIMONIOYA]\n\nTu testimonio ayuda a otros clientes a tomar la decisión.\n\n¡Gracias!\n[Tu nombre]",
    ),
    # en-024: http://shchhyl.cn/article/113713
    (
        "en",
        "REV-03",
        "Dear xxx,\nThank you for your business and purchase. We email you to know whether products you bought in our store–xxx– meets your demands.\nYour order in Amazonxxx\nWe has been working assiduously in hope of providing our customers high-quality products and best services. If the product isn’t what expected before, please never hesitate to contact us, we will give priority to offering solutions to your situation.\nRather, if it is true that our products and service make you satisfactory, we sincerely hope you can leave us feedback by clicking on the following link:\nxxxxxxx\nMeanwhile, we hope, if possible, you can share with us your usage experience on the product reviews, which certainly would of great significance and benefits in product quality enhancement and service improvement.\nxxxxxThanks so much for your kind help. xxx Customer Service Team",
    ),
    # en-023: https://pastebin.com/S7tHEd8z
    (
        "en",
        "REV-10",
        "Dear Win,\nThanks for your e-mail.\nWe are glad to assist you.\nWould you please kindly understand us ? we need your support and understand , your review is very important to our store.\nIf you are willing to give us a chance , we are very appreciate your help .\nCould you please kindly tell us your idea ?\nLooking forward to hearing from you .\nThanks for your time and understand in advance.",
    ),
    # en-113: https://github.com/common-repository/5-stars-rating-funnel/blob/fef6207994e7ada7935b91466424008fdc494e4a/templates/funnel/default/positive_answer.php
    (
        "en",
        "REV-02",
        "Positive feedback is the best thing that can happen to us! Therefore, we would be pleased to receive a review! Briefly on our own behalf: A review is very important for us and our future customers, because we want an honest and open review to present our company to the outside world.",
    ),
    # it-004: https://www.ilmattino.it/tecnologia/internet/amazon_processo_recensioni_false-7002785.html
    (
        "it",
        "REV-06",
        "Vi sarà inviata la data quando scrivere la recensione, inviate il link della recensione una volta online e vi invieremo il prodotto desiderato",
    ),
    # sv-002: https://www.notino.se/produktrecensioner/
    (
        "sv",
        "REV-06",
        "Till influencers och testare skickar vi presentpaket med produkter gratis. De kommer att testa dem åt oss och skriva en recension om de vill.",
    ),
    ("en", "REV-03", "If everything went smoothly, we'd love to hear about your experience."),
    ("en", "REV-03", "Had a great experience? Share your thoughts with other buyers."),
    ("de", "REV-03", "Wenn alles gut gelaufen ist, teilen Sie Ihre Erfahrung mit anderen Käufern."),
    ("fr", "REV-03", "Si tout s'est bien passé, partagez votre expérience avec d'autres clients."),
    ("es", "REV-03", "Si tuviste una buena experiencia, cuéntanos."),
    ("it", "REV-03", "Se ti sei trovato bene, condividi la tua esperienza."),
    ("pt", "REV-03", "Se tudo correu bem, compartilhe sua experiência conosco."),
    ("nl", "REV-03", "Als alles goed is verlopen, deel je ervaring met andere klanten."),
    ("pl", "REV-03", "Jeśli wszystko poszło dobrze, podziel się swoją opinią."),
    ("sv", "REV-03", "Om allt gick bra, dela din upplevelse med andra kunder."),
    ("tr", "REV-03", "Her şey yolunda gittiyse deneyiminizi paylaşın."),
    ("ar", "REV-03", "إذا كانت تجربتك جيدة، شاركنا رأيك."),
    ("zh", "REV-03", "如果您有愉快的购物体验，欢迎分享您的感受。"),
    ("ja", "REV-03", "快適にご利用いただけましたら、ぜひ感想をお聞かせください。"),
    ("en", "REV-10", "A review is very important for our small business."),
    ("de", "REV-10", "Ihre Bewertung ist sehr wichtig für unser kleines Unternehmen."),
    ("fr", "REV-10", "Votre avis est très important pour notre petite entreprise."),
    ("es", "REV-10", "Su reseña es muy importante para nuestra pequeña empresa."),
    ("it", "REV-10", "La sua recensione è molto importante per la nostra piccola azienda."),
    ("pt", "REV-10", "Sua avaliação é muito importante para a nossa pequena empresa."),
    ("nl", "REV-10", "Uw review is erg belangrijk voor ons kleine bedrijf."),
    ("pl", "REV-10", "Twoja opinia jest bardzo ważna dla naszej małej firmy."),
    ("sv", "REV-10", "Din recension är mycket viktig för vårt lilla företag."),
    ("tr", "REV-10", "Yorumunuz küçük işletmemiz için çok önemli."),
    ("ar", "REV-10", "تقييمك مهم جدا لمتجرنا الصغير."),
    ("zh", "REV-10", "您的评价对我们小店非常重要。"),
    ("ja", "REV-10", "レビューは小さなお店にとってとても大切です。"),
    ("de", "REV-02", "Positive Bewertungen sind für uns sehr wichtig. Bitte hinterlassen Sie eine Bewertung."),
    ("fr", "REV-02", "Les avis positifs sont très importants pour nous. Merci de laisser un avis."),
    ("es", "REV-02", "Las reseñas positivas son muy importantes para nosotros. Por favor, déjenos una reseña."),
    ("it", "REV-02", "Le recensioni positive sono molto importanti per noi. Per favore, lasci una recensione."),
    ("pt", "REV-02", "Avaliações positivas são muito importantes para nós. Por favor, deixe uma avaliação."),
    ("nl", "REV-02", "Positieve reviews zijn heel belangrijk voor ons. Laat alstublieft een review achter."),
    ("pl", "REV-02", "Pozytywne opinie są dla nas bardzo ważne. Prosimy o wystawienie opinii."),
    ("sv", "REV-02", "Positiva recensioner är mycket viktiga för oss. Lämna gärna en recension."),
    ("tr", "REV-02", "Olumlu yorumlar bizim için çok önemli. Lütfen bir yorum bırakın."),
    ("ar", "REV-02", "التقييمات الإيجابية مهمة جدا لنا. يرجى ترك تقييم."),
    ("zh", "REV-02", "好评对我们非常重要，请给我们留下评价。"),
    ("ja", "REV-02", "高評価は私たちの励みになります。レビューをお願いします。"),
    ("en", "REV-06", "Send us the link to your review and we will send you the product."),
    ("de", "REV-06", "Schicken Sie uns den Link zu Ihrer Bewertung, dann senden wir Ihnen das Produkt."),
    ("fr", "REV-06", "Envoyez-nous le lien de votre avis et nous vous enverrons le produit."),
    ("es", "REV-06", "Envíanos el enlace de tu reseña y te enviaremos el producto."),
    ("pt", "REV-06", "Envie o link da sua avaliação e enviaremos o produto."),
    ("nl", "REV-06", "Stuur ons de link naar je review, dan sturen wij je het product."),
    ("pl", "REV-06", "Wyślij nam link do twojej opinii, a wyślemy produkt."),
    ("tr", "REV-06", "Yorum linkini gönderin, ürünü size göndereceğiz."),
    ("ar", "REV-06", "أرسل لنا رابط التقييم وسنرسل لك المنتج."),
    ("zh", "REV-06", "把评价截图发给我们，我们会把产品寄给您。"),
    ("ja", "REV-06", "レビューのスクリーンショットを送っていただければ、商品をお送りします。"),
    ("en", "REV-06", "We send free products to our product testers. They test them and write a review."),
    ("de", "REV-06", "Unsere Produkttester erhalten die Artikel kostenlos. Danach schreiben sie eine Bewertung."),
]

# Real compliant texts that were called violations (corpus ids): a support reply explaining the incentive rule,
# a neutral seller-feedback request ("placed an order on our site" reports; it does not send the buyer away),
# and the neutral page of the same tool whose positive page is REV-02 above.
REAL_COMPLIANT = [
    # it-005: https://www.tomshw.it/altro/amazon-italia-prova-a-regolare-le-recensioni-cliente/
    (
        "Sì, è ancora possibile ricevere prodotti gratuiti o scontati da parte del venditore e puoi anche recensire questi prodotti, ma la tua recensione verrà rimossa se indichi di aver ricevuto il prodotto gratuitamente o con uno sconto in cambio della recensione.\n\nCome indicato nella mia email precedente, Amazon ha preso questa decisione in quanto i venditori hanno violato le nostre linee guida, che vietano la manipolazione delle recensioni.\n\nRecensioni che sono state scritte prima della modifica delle linee guida verranno retroattivamente rimosse.\n\nSpero di aver chiarito i tuoi dubbi e ti ringrazio per la collaborazione.\n\nA presto su Amazon.it"
    ),
    # en-144: https://github.com/Diamons/BOXNGO/blob/HEAD/app/View/Emails/html/feedbackrequested.ctp
    (
        "Recently you placed an order on our site BOX'NGO. Feedback for the seller is appreciated and strongly encouraged to help foster trust and reputation in the community. Sellers appreciate feedback to better understand how they are performing. Other users also appreciate seeing this feedback because it helps them decide if they want to purchase from a particular seller.\n\nWhen giving feedback, these are some questions to consider.\nConsider things such as communication. Did the seller answer your questions and concerns promptly? Was the seller clear?\nAnother important factor is shipment time. Did the seller ship promptly, or did he or she delay your shipment?\nWas the item as described?\n\nThere is no specific rubric or formula for giving feedback. At the end of the day it all comes down to whether or not you had a good experience with a particular seller.\n\nClick Here to Leave Feedback"
    ),
    # en-116: https://github.com/common-repository/5-stars-rating-funnel/blob/fef6207994e7ada7935b91466424008fdc494e4a/templates/funnel/default/feedback_page.php
    (
        "Feedback is the best thing that can happen to us! Please leave us information on what was good or not good! In summary: Feedback is very important for us and our future clients. Because we want problems and comments to change what we do in the future and make us better."
    ),
]

# "review" as an ordinary verb next to "refund", neutral asks, and help offered without a link to reviews.
COMPLIANT = [
    "We will review your refund request within two business days.",
    "Please review the attached invoice.",
    "We reviewed your return and issued the refund.",
    # https://github.com/ (en-031 in the corpus: a refund-request reply template)
    "We have received your refund request for [order number] and will review it against our published return and "
    "refund policy. We will reply with the next step once the review is complete.",
    "Please leave an honest review of the product.",
    "If you have any questions about your refund, please contact us.",
    "If you are not satisfied, please contact us and we will send a replacement.",
    "Como está sua experiência? Deixe sua avaliação honesta.",
    "Wij horen graag uw eerlijke mening in een review.",
    "If you have any questions, we'd love to hear from you.",
    "If everything went well, your package should arrive on Monday.",
    "Our testers checked every unit before shipping. Please leave an honest review.",
    "Please send us a screenshot of the damage and we will send a replacement.",
    "Si tienes alguna pregunta, cuéntanos.",
]


def _rules(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule, s, e in raw_spans(text, detect(text)):
        out.setdefault(rule.id, []).append(text[s:e])
    return out


@pytest.mark.parametrize(("lang", "rule", "text"), VIOLATIONS)
def test_family_is_found_with_its_phrase(lang: str, rule: str, text: str) -> None:
    if lang not in LANGS:
        pytest.skip(f"{lang} is not a checked language yet")
    found = _rules(text)
    assert rule in found, found
    # the span is the offending phrase, not the whole message (short single-line texts may be whole)
    if len(text) > 120:
        assert all(len(x) < len(text) for x in found[rule])


@pytest.mark.parametrize("text", COMPLIANT)
def test_ordinary_text_is_not_a_violation(text: str) -> None:
    found = _rules(text)
    assert not {r for r in found if r.startswith(("REV", "FB", "TYPE-13"))}, found


def test_mild_persuasion_stays_a_warning() -> None:
    """ "We are a small business" alone persuades (REV-05, warning); it does not lean on the buyer with harm."""
    found = _rules("We are a small business, so please leave an honest review.")
    assert "REV-05" in found and "REV-10" not in found


@pytest.mark.parametrize("text", REAL_COMPLIANT)
def test_real_compliant_text_is_not_a_violation(text: str) -> None:
    result = check(text)
    assert result.verdict != "violation", [(f.rule, f.excerpt) for f in result.findings]


def test_importance_to_us_is_not_pressure() -> None:
    """The review's importance "to us" persuades at most; tied to the store or the small business it is REV-10."""
    assert "REV-10" not in _rules("Your feedback is very important to us. Please leave an honest review.")
    assert "REV-10" in _rules("Your review is very important to our store. Please leave an honest review.")
