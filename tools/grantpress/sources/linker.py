"""A footnote's text → the sources of ``bibliography/*.bib`` it cites, or a review.

Input: the plain text of each footnote of a chapter, in order, and the
bibliography. Output: a ``Verdict`` a note:

- ``linked``: every reference of the note matched one entry with confidence; the
  note becomes citations, ``[@key, с. 15]`` (several for «…; …»), with the
  locator read from the text («С. 15», «Ст. 5», «б. 45», «45-б.», «P. 17») and «Там же» /
  «Ibid.» / «Сонда» resolved to the note before;
- ``review``: it looks like a reference and some entries are close, but not
  certainly it; it stays text and ``grantpress check`` names the candidates;
- ``new``: it looks like a reference and nothing is close: a source to add, with a
  BibTeX stub holding only what the text says (the rest left empty);
- ``text``: an author's note that is not a reference; left alone.

Matching uses what a GOST reference always shows: the authors' surnames and
the title's words, the year, and for a legal act its kind and number. A match
is confident only when these agree and nothing contradicts them (another
year, another act number); a short repeat (surname and a shortened title or
«Указ. соч.») is confident only for a source the chapter has already cited.
Words are compared by their first five letters, which is enough to meet
Russian and Kazakh case endings half-way without a stemmer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grantpress.core.langs import LANGUAGES, slug
from grantpress.sources.citeproc import parse_names
from grantpress.sources.latex import decode_latex

STEM = 5
MAX_REFERENCE = 2000
"""Characters: a footnote longer than this is not read as a reference."""
STOPWORDS = {"и", "в", "во", "на", "по", "о", "об", "с", "со", "к", "от", "до", "для", "за", "из",
             "the", "of", "and", "in", "on", "for", "a", "an", "to", "under", "мен", "және", "туралы"}
ACT_KINDS = ("закон", "кодекс", "консти", "конве", "проток", "догов", "согла", "указ", "постан",
             "приказ", "решен", "декла", "устав", "заң", "жарлы", "қаулы", "келісі", "бұйры",
             "шешім")
KAZAKH_KINDS = {"заң": "закон", "жарлы": "указ", "қаулы": "постан", "келісі": "согла",
                "бұйры": "приказ", "шешім": "решен"}
"""An act cited in Kazakh is the same act as its Russian entry: «Заңы» is «Закон»."""
IBID = re.compile(r"^(?:там\s+же|ibid\.?|ibidem|сонда|бұл\s+да\s+сонда)(?=[\s.,]|$)[.,]?\s*", re.I)
PREFIX = re.compile(r"^(?:(?:подробнее\s+)?см\.(?:\s+также)?|цит\.\s+по|see(?:\s+also)?|cf\.|"
                    r"қараңыз|қар\.)\s*:?\s*", re.I)
SHORT = re.compile(r"указ\.\s*соч|op\.\s*cit|аталған\s+еңбек", re.I)
_LABEL = r"(?:С|с|P|p|Pp|pp|Б|б|Ст|ст|Стт|стт|Art|art|П|п|Пп|пп|Ч|ч|Гл|гл)\."
_VALUE = r"\d+[а-яa-z]?(?:\.\d+)*(?:\s*[–—-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–—-]\s*\d+)?)*"
# «п. 2 ст. 4», «ч. 1 ст. 12»: the parts of an act, the smallest first, kept whole.
_CHAIN = rf"(?:{_LABEL}\s*{_VALUE}\s+)*"
LOCATOR_END = re.compile(rf"(?:^|(?<=[\s,.;:(]))({_CHAIN}{_LABEL})\s*({_VALUE})\s*[.)]?\s*$")
LOCATOR_START = re.compile(rf"^({_CHAIN}{_LABEL})\s*({_VALUE})\s+")
# A Kazakh entry's note gives the number first, as the styles print it («45-б.»,
# «45–47-бб.», «12-бап», «3-тармақ», «2-тарау», «2-т.»; the hyphen may be a no-break one).
_KK_LABEL = {"б": "б.", "бб": "б.", "бет": "б.", "бап": "ст.", "баптар": "ст.", "тармақ": "п.",
             "тарау": "гл.", "т": "т."}
LOCATOR_KK_END = re.compile(r"(?:^|(?<=[\s,.;:(]))(\d+(?:\s*[–—-]\s*\d+)?)[-\u2011]"
                            r"(бет|баптар|бап|тармақ|тарау|бб|б|т)\.?\s*$")
URL = re.compile(r"URL\s*:\s*(\S+?)[.,;)]*(?=\s|$)", re.I)
URLDATE = re.compile(r"дата\s+обращения\s*:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})", re.I)
YEAR = re.compile(r"(?<![\d№-])(1[89]\d\d|20\d\d)(?![\d-])")
NUMBER = re.compile(r"№\s*([\w][\w\-–/.]*\w|\w)")
INITIALS = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі\-]+,?\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.\s?(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\.)?")
_LOOKALIKE = str.maketrans("АВЕКМНОРСТХІ", "ABEKMHOPCTXI")
MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
          "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
DATE = re.compile(r"от\s+(\d{1,2})\s+([а-я]+)\s+(\d{4})", re.I)


@dataclass(frozen=True)
class Known:
    """A bibliography entry as the linker sees it."""
    key: str
    legal: bool
    english: bool
    surnames: frozenset[str]
    title: frozenset[str]
    year: str
    numbers: frozenset[str]
    kinds: frozenset[str]
    pages: str


@dataclass
class Cited:
    key: str
    locator: str = ""
    """As the chapter writes it: «с. 15», «ст. 5», «p. 17»."""


@dataclass
class Verdict:
    status: str
    """linked | review | new | text"""
    text: str
    cites: list[Cited] = field(default_factory=list)
    prefix: str = ""
    candidates: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    around: tuple[str, str] | None = None
    """For a note of the author's own with one reference in brackets: the text
    before and after it (the reference becomes a citation inside the note)."""


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w]+", text.lower().replace("ё", "е")) if w]


def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:STEM] for w in _words(text) if w not in STOPWORDS and not w.isdigit()
                     and len(w) > 1)


def _number(value: str) -> str:
    return re.sub(r"[\s–—]+", "-", value.strip(" .,")).translate(_LOOKALIKE).lower()


def known_sources(bibliography) -> list[Known]:
    """Every entry of the bibliography, reduced to what footnotes show of it."""
    out = []
    # One entry once, under its own key (``ids`` may name it again in the dict).
    for source in {s.key: s for s in bibliography.sources.values()}.values():
        key = source.key
        fields = {name: decode_latex(value)[0] for name, value in source.fields.items()}
        names = parse_names(fields.get("author") or fields.get("editor") or "")
        surnames = frozenset(w for n in names for w in _words(n.get("family", "")))
        title = " ".join(fields.get(f, "") for f in ("title", "subtitle"))
        legal = source.entry_type in ("legislation", "legal", "jurisdiction", "law")
        numbers = {_number(m.group(1)) for f in ("number", "titleaddon", "title")
                   for m in NUMBER.finditer(fields.get(f, ""))}
        if legal and fields.get("number"):
            numbers.add(_number(fields["number"]))
        kinds = " ".join(fields.get(f, "") for f in ("type", "title", "titleaddon"))
        out.append(Known(key, legal, fields.get("langid", "").lower() in ("english", "american",
                                                                          "british"),
                         surnames, _stems(title), (fields.get("date") or fields.get("year") or "")[:4],
                         frozenset(numbers), _kinds(kinds), fields.get("pages", "")))
    return out


def _kinds(text: str) -> frozenset[str]:
    words = _words(text)
    return frozenset(KAZAKH_KINDS.get(k, k) for k in ACT_KINDS for w in words if w.startswith(k))


@dataclass
class _Facts:
    body: str
    words: frozenset[str]
    stems: frozenset[str]
    years: frozenset[str]
    numbers: frozenset[str]
    kinds: frozenset[str]
    short: bool

    @property
    def opens_with_act(self) -> bool:
        first = next((w for w in _words(self.body) if w not in STOPWORDS), "")
        return any(first.startswith(k) for k in ACT_KINDS)

    @property
    def looks_like_reference(self) -> bool:
        return bool(self.years or self.numbers or "//" in self.body or SHORT.search(self.body)
                    or INITIALS.search(self.body) or (self.kinds and "«" in self.body))


def _facts(body: str) -> _Facts:
    return _Facts(body, frozenset(_words(body)), _stems(body), frozenset(YEAR.findall(body)),
                  frozenset(_number(m.group(1)) for m in NUMBER.finditer(body)), _kinds(body),
                  bool(SHORT.search(body)))


def split_locator(text: str) -> tuple[str, str, str]:
    """(body, label, value): «…, 2020. С. 15.» → («…, 2020», «С.», «15»)."""
    match = LOCATOR_END.search(text)
    if match:
        return text[:match.start()].rstrip(" ,.;:–—-("), match.group(1), match.group(2)
    match = LOCATOR_KK_END.search(text)
    if match:
        return (text[:match.start()].rstrip(" ,.;:–—-("), _KK_LABEL[match.group(2)],
                match.group(1))
    match = LOCATOR_START.match(text)
    if match:
        return text[match.end():].strip(), match.group(1), match.group(2)
    return text.rstrip(" .,;"), "", ""


class Linker:
    """The notes of one chapter, in order (it remembers the note before and what was cited)."""

    def __init__(self, known: list[Known], lang: str = "ru"):
        self.known = known
        self.page = LANGUAGES[lang].page if lang in LANGUAGES else LANGUAGES["ru"].page
        self.previous: Verdict | None = None
        self.seen: set[str] = set()

    def note(self, text: str) -> Verdict:
        # Non-breaking spaces and hyphens (Word's, or the book's typographic
        # rules' in a .docx it wrote) read as plain ones: «№ 477‑IV» is «№ 477-IV».
        text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2011", "-")).strip()
        # A reference is a line or two; a longer note is the author's own text (and
        # the patterns below then never see more than this, whatever the input).
        verdict = self._note(text) if len(text) <= MAX_REFERENCE else Verdict("text", text)
        # «Там же» after an author's note of its own refers to nothing certain.
        self.previous = verdict if verdict.status != "text" else None
        self.seen |= {c.key for c in verdict.cites}
        return verdict

    def _note(self, text: str) -> Verdict:
        ibid = IBID.match(text)
        if ibid:
            return self._ibid(text, text[ibid.end():])
        prefix = PREFIX.match(text)
        head = text[:prefix.end()].strip() if prefix else ""
        rest = text[prefix.end():] if prefix else text
        parts = [p.strip() for p in _split_parts(rest) if p.strip(" .")]
        if not parts:
            return Verdict("text", text)
        verdicts = [self._part(p) for p in parts]
        if not head and verdicts[0].status != "linked":
            inside = self._inside(text)
            if inside.around:
                return inside
        if all(v.status == "linked" for v in verdicts):
            return Verdict("linked", text, [c for v in verdicts for c in v.cites], head)
        if not any(v.status != "text" for v in verdicts):
            return self._inside(text)
        if any(v.status in ("linked", "review") for v in verdicts):
            candidates = [k for v in verdicts for k in ([c.key for c in v.cites] + v.candidates)]
            return Verdict("review", text, candidates=list(dict.fromkeys(candidates)))
        return Verdict("new", text, stubs=[s for v in verdicts for s in v.stubs])

    def _ibid(self, text: str, rest: str) -> Verdict:
        _, label, value = split_locator(rest)
        before = self.previous
        if before and before.status == "linked" and len(before.cites) == 1 and not before.around:
            key = before.cites[0].key
            return Verdict("linked", text, [Cited(key, self._locator(key, label, value))])
        candidates = (before.candidates or [c.key for c in before.cites]) if before else []
        return Verdict("review", text, candidates=candidates)

    def _part(self, part: str) -> Verdict:
        body, label, value = split_locator(part)
        facts = _facts(body)
        strong, weak = [], []
        for known in self.known:
            rank = self._rank(known, facts)
            if rank is None:
                continue
            (strong if rank[0] else weak).append((rank[1], known.key))
        if strong:
            strong.sort(reverse=True)
            if len(strong) == 1 or strong[0][0] > strong[1][0]:
                key = strong[0][1]
                return Verdict("linked", part, [Cited(key, self._locator(key, label, value))])
            return Verdict("review", part, candidates=[k for _, k in strong[:3]])
        if not facts.looks_like_reference and not label:
            return Verdict("text", part)
        if weak:
            weak.sort(reverse=True)
            return Verdict("review", part, candidates=[k for _, k in weak[:3]])
        return Verdict("new", part, stubs=[part])

    def _rank(self, known: Known, facts: _Facts) -> tuple[bool, float] | None:
        """(confident?, closeness) of ``known`` to the facts, None if it is not close.

        Confident needs the reference to open the note as GOST writes it (with
        the first author's surname, the title, or the act's kind): an author's
        sentence that merely names a book is not a reference to replace."""
        rank = self._closeness(known, facts)
        if rank and rank[0] and not self._opens(known, facts):
            return False, rank[1]
        return rank

    @staticmethod
    def _opens(known: Known, facts: _Facts) -> bool:
        first = next((w for w in _words(facts.body) if w not in STOPWORDS), "")
        # A Kazakh act opens with its state and puts its kind last:
        # «Қазақстан Республикасының 2011 жылғы 22 шілдедегі № 477-IV … Заңы».
        return (first in known.surnames or first[:STEM] in known.title
                or (known.legal and (any(first.startswith(k) for k in ACT_KINDS)
                                     or first == "қазақстан")))

    def _closeness(self, known: Known, facts: _Facts) -> tuple[bool, float] | None:
        shared = len(known.title & facts.stems)
        overlap = shared / len(known.title) if known.title else 0.0
        # One common word («вымышленный», «право») is not a likeness.
        close_title = overlap >= 0.5 and shared >= 2
        year_ok = bool(known.year) and known.year in facts.years
        year_conflict = bool(facts.years) and not year_ok
        cited = known.key in self.seen
        if known.legal:
            number_ok = bool(known.numbers & facts.numbers)
            number_conflict = bool(facts.numbers and known.numbers and not number_ok)
            kind_ok = bool(known.kinds & facts.kinds)
            if number_conflict or (facts.kinds and known.kinds and not kind_ok and not number_ok):
                return None
            closeness = overlap + year_ok + 2 * number_ok + kind_ok
            if number_ok and (kind_ok or overlap >= 0.5):
                return True, closeness
            if overlap >= 0.8 and (year_ok or (cited and not facts.years)):
                return True, closeness
            # A title's likeness alone, in a note that names no act and another year,
            # is a coincidence of the field's words («права», «мигрантов»).
            return (False, closeness) if number_ok or (
                close_title and (facts.kinds or not year_conflict)) else None
        if facts.opens_with_act:
            return None  # «Закон …», «Конвенция …»: a legal act, not a book about one
        surname = bool(known.surnames & facts.words)
        closeness = overlap + year_ok + surname
        if surname and not year_conflict and (overlap >= 0.6 or (cited and (facts.short
                                                                               or overlap >= 0.3))):
            return True, closeness
        if not known.surnames and overlap >= 0.8 and not year_conflict:
            return True, closeness
        return (False, closeness) if surname or (close_title and not year_conflict) else None

    def _locator(self, key: str, label: str, value: str) -> str:
        if not label:
            return ""
        known = next(k for k in self.known if k.key == key)
        value = re.sub(r"\s*[–—-]\s*", "–", value)
        if known.pages and re.sub(r"\s*[–—-]+\s*", "–", known.pages) == value:
            return ""  # the article's own pages, not a place in it
        kind = label.lower().rstrip(".")
        if kind in ("с", "p", "pp", "б"):
            # The chapter's word for a page, as citeproc knows it in that language
            # («б. 45», «45-б.» of a Kazakh note in a Russian chapter is «С. 45» in
            # GOST's Russian).
            return f"{'p.' if known.english else self.page} {value}"
        return f"{kind}. {value}"

    def _inside(self, text: str) -> Verdict:
        """An author's note with one reference in brackets: «… (Иванов И. И. … С. 5).»"""
        found = [m for m in re.finditer(r"\(([^()]{10,})\)", text)]
        if len(found) != 1:
            return Verdict("text", text)
        match = found[0]
        inner = Linker(self.known)
        inner.page = self.page
        inner.seen, inner.previous = self.seen, None
        verdict = inner._part(match.group(1).strip())
        if verdict.status != "linked":
            return Verdict("text", text)
        return Verdict("linked", text, verdict.cites, around=(text[:match.start()],
                                                              text[match.end():]))


def _split_parts(text: str) -> list[str]:
    """«A; B» → [A, B], not splitting inside «ёлочки» or brackets."""
    parts, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch in "«(":
            depth += 1
        elif ch in "»)":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


# ---- a stub for a source the bibliography lacks ---------------------------------------

def bibtex_stub(text: str, taken: set[str]) -> str:
    """A BibTeX entry holding what the footnote's text says, every other field empty.

    Nothing is guessed: a field is filled only from a part of the text whose form
    says what it is (an author's «Фамилия И. О.», «Город : Издательство, 2020»,
    «// Журнал. 2021. № 2», «№ 477-IV», «от 22 июля 2011 г.», «URL: …»,
    «дата обращения: 01.02.2024»). GOST 7.1-2003's dash between areas («. – »)
    is read as GOST 7.0.100-2018's full stop.
    """
    body, _, _ = split_locator(text)
    body = PREFIX.sub("", body).strip()
    url, urldate = URL.search(body), URLDATE.search(body)
    body = re.split(r"[.,]?\s*(?:[–—-]\s*)?URL\s*:", body, maxsplit=1, flags=re.I)[0]
    body = re.sub(r"\s*\[(?:электронный ресурс|электрондық ресурс|electronic resource)\]", "",
                  body, flags=re.I)
    body = re.sub(r"\.\s+[–—-]\s+", ". ", body).strip(" .–—-")
    own = body.split("//")[0]  # the work's own words, not its journal's or database's
    lang = ("kazakh" if re.search("[әғқңөұүһі]", own.lower())
            else "russian" if re.search("[а-яё]", own.lower()) else "english")
    online = [("url", url.group(1) if url else ""),
              ("urldate", "{}-{:0>2}-{:0>2}".format(*reversed(urldate.groups())) if urldate
               else "")] if url else []
    facts = _facts(own)
    if facts.kinds and not INITIALS.match(body):
        title = re.search(r"«([^»]+)»", own)
        date = DATE.search(own)
        year = sorted(facts.years)[0] if facts.years else ""
        kind = re.split(r"\s+от\s+|\s+№|\s*«", own, maxsplit=1)[0].strip(" ,.")
        # «Закон … «О …»»: the kind, then the title in quotes; otherwise the
        # name up to the date or number is the title (a treaty's, an agreement's).
        fields = [("title", title.group(1) if title else kind),
                  ("type", kind if title else ""),
                  ("date", _date(date) if date else year),
                  ("number", sorted(facts.numbers)[0].upper() if facts.numbers else ""),
                  *online, ("langid", lang)]
        entry = "legislation"
        name = title.group(1) if title else kind
    else:
        author = INITIALS.match(body)
        rest = body[author.end():].strip(" ,.") if author else body
        journal = re.search(r"//\s*([^.]+)(.*)", rest)
        title = re.split(r"\s*//|\.\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w .-]*\s*:)|\.\s+(?=\d{4})|\s+/\s+",
                         rest, maxsplit=1)[0].strip(" .")
        # «Алматы : Издательство, 2020» after the title (a city of one or two words).
        place = re.search(r"([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-]*(?: [\w\-]+)?)\s*:\s*([^,.]+?),\s*(\d{4})",
                          rest[len(title):])
        # The year of publication stands in an area of its own («…, 2021.», «. 2021.»),
        # not inside the title («доклад за 2023 год»).
        alone = re.search(r"(?:^|[.,]\s*)(1[89]\d\d|20\d\d)(?=\s*(?:[.,;]|$))",
                          journal.group(2) if journal else rest[len(title):])
        year = place.group(3) if place else alone.group(1) if alone else ""
        person = ""
        if author:
            surname, initials = re.match(r"([^\s,]+),?\s+(.*)", author.group(0)).groups()
            person = f"{surname}, {initials.strip()}"
        if journal:
            issue = NUMBER.search(journal.group(2))
            entry = "article"
            fields = [("author", person), ("title", title),
                      ("journaltitle", journal.group(1).strip()), ("date", year),
                      ("number", issue.group(1) if issue else ""), ("pages", ""),
                      *online, ("langid", lang)]
        elif url and not place:
            entry = "online"
            fields = [("author", person), ("title", title), ("date", year), *online,
                      ("langid", lang)]
        else:
            entry = "book"
            fields = [("author", person), ("title", title),
                      ("location", place.group(1).strip() if place else ""),
                      ("publisher", place.group(2).strip() if place else ""),
                      ("date", year), *online, ("langid", lang)]
        name = person.split(",")[0] if person else title
    key = _key(name, year, taken)
    taken.add(key)
    lines = [f"@{entry}{{{key},"] + [f"  {n} = {{{v}}}," for n, v in fields] + ["}"]
    return "\n".join(lines)


def _date(match) -> str:
    day, month, year = match.groups()
    number = next((n for stem, n in MONTHS.items() if month.lower().startswith(stem)), 0)
    return f"{year}-{number:02d}-{int(day):02d}" if number else year


def _key(name: str, year: str, taken: set[str]) -> str:
    base = "-".join(p for p in (slug(name, 2), year) if p) or "source"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key
