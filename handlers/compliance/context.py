"""What detectors and validators see: the normalised text, its language, sentence bounds."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from handlers.compliance.normalize import Normalized

_BOUNDARY = re.compile(r"[.!?。！？\n](?:(?<=[。！？\n])|(?=\s|$))")  # one class first: fast scan

# Cross-language context lexicons (lower-case, simplified Chinese). A message may mix languages,
# so context checks accept any language's words.
# "review" as an ordinary verb with an administrative object ("we will review your refund request",
# "please review the attached invoice", "we reviewed your return") is not about a product review.
ADMIN_OBJECT = (
    r"(?:(?:your|the|this|that|these|those|our|my|their|his|her|its|a|an|all|any)\s+)?(?:[\w-]+\s+)?"
    r"(?:requests?|refunds?|returns?|cases?|claims?|orders?|invoices?|accounts?|attach\w*|files?|documents?|details"
    r"|information|polic(?:y|ies)|terms|messages?|e-?mails?|situation|issues?|photos?|pictures?|images?|videos?"
    r"|evidence|receipts?|applications?|submissions?|records?|tracking|shipment|payment|warranty claim)\b"
)
REVIEW_NOUN = (
    r"review(?!(?:ed|ing)?\s+" + ADMIN_OBJECT + r")(?!(?:ed|ing)? it (?:against|with|internally|carefully|within))"
    r"(?! (?:is|was|will be) (?:complete|completed|done|finished|pending|underway)\b)"
)
# Review words of the 13 marketplace languages (pt nl pl sv tr ar after the first seven).
REVIEW = re.compile(
    REVIEW_NOUN
    + r"|rating|feedback|\bevaluation|\bstars?\b|\brate\b|bewert|rezension|\bsterne?\b|\bavis\b|évaluation|commentaire"
    r"|étoiles?|reseña|opini[oó]n|valoraci[oó]n|calificaci[oó]n|comentario|estrellas?|recension|valutazion"
    r"|\bstelle\b|评价|评论|好评|差评|留评|五星|评分|反馈|レビュー|評価|フィードバック|口コミ|クチコミ|星"
    r"|avalia[çc][ãa]o|avalia[çc][õo]es|\bavali[ea]r?\b|coment[áa]rio|opini[ãa]o|estrelas|resenha"
    r"|recensie|beoordel|\bsterren\b|\bwaardering"
    r"|\bopini[aięeo]|\bocen[aęiyo]|recenzj|komentarz|gwiazd"
    r"|recension|omdöme|\bbetyg|stjärn"
    r"|\byorum|değerlendirme|\bpuan|yıldız"
    r"|تقييم|مراجع|تعليق|نجوم|نجمة|رأيك|آراء"
)
# An ask to share one's experience or opinion stands in for a review word after a satisfaction
# condition ("if you've had a good experience, we'd love to hear from you"): the condition decides who is
# asked, the verb what for. A verb is required ("share your experience"), so a condition that only names the
# experience ("if you're happy with your experience, contact us") is not an ask.
SHARE = re.compile(
    r"\bhear (?:from you|(?:about|what you think)|your (?:thoughts|opinion|experience))"
    r"|\b(?:share|tell us about|tell others about|tell (?:others|other (?:buyers|customers|shoppers)|the world|your friends|everyone)"
    r")\b[^.!?\n]{0,20}?\b(?:experience|thoughts|opinion|impressions?|story|love)\b|\bspread the word\b"
    r"|(?:erfahrung\w*|meinung|eindrücke?) (?:mit uns |mit anderen )?teilen|teilen sie (?:ihre|deine|uns)|erzählen sie"
    r"|partag\w* (?:votre|ton|vos|ta|avec nous) ?(?:expérience|ressenti|impressions?|avis)?|faites-nous part"
    r"|compart\w* (?:tu|su|sus|tus|con nosotros) ?(?:experiencia|impresi\w*)?|cu[ée]nt(?:anos|enos)"
    r"|condivid\w* (?:la (?:tua|sua)|le (?:tue|sue)|con noi) ?(?:esperienz\w*|impression\w*)?|raccontaci|ci racconti"
    r"|(?:compartilh|partilh)\w* (?:a |as )?(?:sua|tua|suas|tuas|conosco)|conte-nos|nos conte"
    r"|\bdeel (?:je|jouw|uw) (?:ervaring|mening)|(?:ervaring|mening) (?:met ons )?(?:te )?delen|horen (?:we|wij) graag"
    r"|podziel\w* się|\bdela (?:din|dina|er|med oss)|höra från (?:dig|er)|berätta (?:för oss|gärna)"
    r"|deneyim\w* paylaş|görüşleriniz\w* paylaş|شارك|شاركنا|مشاركة تجربت"
    r"|分享|晒单|晒图|感想|ご意見|お聞かせ|体験談"
)
ASK = re.compile(
    r"\bplease\b|(?:would|we'd) be (?:pleased|happy|glad|grateful|delighted|thankful) (?:to receive|to read|to hear|if you)|could you|would you|can you|you must|you have to|you need to|\bkindly\b|we ask|ask you|appreciate|request that|\bhope\b|hoping"
    r"|willing|if you could|we'd love|we would love|\bleave (?:us|a|an)\b|\bwrite (?:us|a)\b|\bgive us\b|laissez|donnez"
    r"|hinterlassen sie|geben sie|d[eé]j(?:enos|anos|e)|danos|d[eé]nos|lasci|lasciateci|dateci|留下|给我们"
    r"|\bbitte\b|könnten sie|würden sie|wären sie|bitten sie"
    r"|pourriez|pouvez-vous|pouvez vous|veuillez|merci de|nous vous demandons|accepteriez|serait-il possible"
    r"|por favor|podría|le pedimos|le agradecer|estaría dispuest|puede usted|potrebbe|può |per favore|la preghiamo"
    r"|le chiediamo|sarebbe disposto|gentilmente|请|能否|可否|麻烦|希望|是否可以|帮忙|お願い|ください|下さい|いただけ|頂け"
    r"|poderia|pedimos|gostar[íi]amos|\bdeixe\b|\bdeixar\b|\bd[êe]\b|\bavalie\b|agradecer[íi]amos|ficar[íi]amos"
    r"|alstublieft|alsjeblieft|\bgraag\b|zou u|zou je|kunt u|kun je|wilt u|wil je|\blaat\b|\bgeef\b"
    r"|proszę|prosimy|prośba|czy m[oó]g(?:ł|łby|łaby)|czy możesz|czy może pan|\bzostaw|\bwystaw|\bdaj\b|będziemy wdzięczni"
    r"|snälla|vänligen|var snäll|skulle du|kan du|\blämna|\bge oss|vi skulle uppskatta"
    r"|lütfen|rica|\bbırak|verebilir|yapabilir|\bverin\b|\bverir mi"
    r"|من فضلك|يرجى|الرجاء|نرجو|رجاء|نأمل|هل يمكنك|اترك|أعطنا|نتمنى"
)
NEGATION = re.compile(
    r"\b(?:not|no|nicht|kein|keine|pas|non|nie|never|não|niet|geen|inte|ej|değil)\b|n't|un(?:satisfied|happy)|不|没|ない|なかった|ません"
    r"|\bniezadowolon|\binsatisfeit|\bontevreden|\bmissnöjd|memnun kalmad|memnun değil|غير راض|لم تكن راض"
)
ISSUE = re.compile(
    r"delay|late\b|problem|issue|damaged|missing|lost|unfortunately|sorry|apolog|replacement|refund|return"
    r"|verzöger|verspät|leider|problem|beschädigt|entschuldig|ersatz|retard|malheureusement|problème|endommagé"
    r"|désolé|excus|remplacement|retraso|lamentablemente|dañado|disculp|sentimos|reemplazo|ritardo|purtroppo"
    r"|danneggiat|scus|dispiace|sostituzione|延迟|延误|抱歉|问题|损坏|不好意思|遗憾|退款|遅れ|遅延|申し訳|問題|破損|不具合|返金"
    r"|atraso|infelizmente|danificad|reembolso|desculp|vertraging|helaas|beschadigd|terugbetal|excuses"
    r"|opóźnien|niestety|uszkodz|zwrot|przeprasz|försen|tyvärr|skadad|återbetal|ursäkt"
    r"|gecik|maalesef|hasarl|iade|özür|تأخير|للأسف|تالف|استرداد|نعتذر|مشكلة"
)


@dataclass
class Ctx:
    norm: Normalized
    lang: str
    _bounds: list[int] | None = field(default=None, repr=False)
    # (pattern, sentence start, sentence end) -> found: matches of one long sentence share one search
    _found: dict[tuple[re.Pattern[str], int, int], bool] = field(default_factory=dict, repr=False)
    _texts: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)
    _anywhere: dict[re.Pattern[str], bool] = field(default_factory=dict, repr=False)

    @property
    def low(self) -> str:
        return self.norm.low

    def sentence(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The [start, end) of the sentence(s) around low[start:end]."""
        if self._bounds is None:
            self._bounds = [m.start() for m in _BOUNDARY.finditer(self.low)]
        b = self._bounds
        i = bisect.bisect_left(b, start)
        s = b[i - 1] + 1 if i else 0
        j = bisect.bisect_left(b, end if end is not None else start + 1, lo=i)
        e = b[j] + 1 if j < len(b) else len(self.low)
        return s, e

    def windows(self, hits: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
        """Merged [start, end) windows: the sentence around each hit, widened by `reach`."""
        if self._bounds is None:
            self._bounds = [m.start() for m in _BOUNDARY.finditer(self.low)]
        b = self._bounds
        nb = len(b)
        n = len(self.low)
        out: list[list[int]] = []
        for i, j in sorted(hits) if len(hits) > 1 else hits:
            if out and j <= out[-1][1]:
                continue  # inside the previous window already
            k = bisect.bisect_left(b, i)
            s = b[k - 1] + 1 if k else 0
            k2 = bisect.bisect_left(b, j, lo=k)
            e = b[k2] + 1 if k2 < nb else n
            s = s - reach if s > reach else 0
            e = e + reach if e + reach < n else n
            if out and s <= out[-1][1]:
                out[-1][1] = max(out[-1][1], e)
            else:
                out.append([s, e])
        return [(s, e) for s, e in out]

    def sentence_text(self, m: re.Match[str]) -> str:
        key = self.sentence(m.start(), max(m.end() - 1, m.start()))
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self.low[key[0] : key[1]]
        return text

    def in_sentence(self, rx: re.Pattern[str], m: re.Match[str]) -> bool:
        """Does `rx` occur in the sentence(s) holding match `m`? Searched once per sentence and pattern:
        searching the sentence again for every match in it is quadratic in an unpunctuated 20,000-character text.
        """
        s, e = self.sentence(m.start(), max(m.end() - 1, m.start()))
        key = (rx, s, e)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = rx.search(self.sentence_text(m)) is not None
        return found

    def in_text(self, rx: re.Pattern[str]) -> bool:
        """Does `rx` occur anywhere in the message? Searched once per message, not once per match."""
        found = self._anywhere.get(rx)
        if found is None:
            found = self._anywhere[rx] = rx.search(self.low) is not None
        return found


class Spans(list[tuple[int, int]]):
    """A scanner's output list that also answers "does a span already found start here?" in log time.

    `any(a <= i < b for a, b in out)` per candidate is quadratic when a message holds thousands of links.
    """

    def __init__(self) -> None:
        super().__init__()
        self._starts: list[int] = []  # the union of the spans, as disjoint sorted [start, end) runs
        self._ends: list[int] = []

    def append(self, span: tuple[int, int]) -> None:
        super().append(span)
        s, e = span
        if e <= s:
            return
        i = bisect.bisect_left(self._ends, s)  # first run ending at or after s: touches or overlaps
        j = bisect.bisect_right(self._starts, e)  # runs starting at or before e
        if i < j:
            s, e = min(s, self._starts[i]), max(e, self._ends[j - 1])
        self._starts[i:j] = [s]
        self._ends[i:j] = [e]

    def covers(self, i: int) -> bool:
        """Is position i inside one of the spans?"""
        k = bisect.bisect_right(self._starts, i) - 1
        return k >= 0 and i < self._ends[k]


# A detector's veto: may this match of the normalised text stand, in this context?
Validator = Callable[[Ctx, re.Match[str]], bool]
# A whole-message detector: [start, end) spans of the normalised text.
Scanner = Callable[[Ctx], list[tuple[int, int]]]


def review_ctx(ctx: Ctx, m: re.Match[str]) -> bool:
    return ctx.in_sentence(REVIEW, m)


def ask_ctx(ctx: Ctx, m: re.Match[str]) -> bool:
    return ctx.in_sentence(ASK, m)


def no_negation(ctx: Ctx, m: re.Match[str]) -> bool:
    return NEGATION.search(m.group()) is None


def all_of(*checks: Validator) -> Validator:
    """A validator that keeps a match only when every one of `checks` keeps it."""

    def check(ctx: Ctx, m: re.Match[str]) -> bool:
        return all(c(ctx, m) for c in checks)

    return check
