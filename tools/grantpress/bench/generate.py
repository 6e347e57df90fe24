"""A seed and a page count → a FICTIONAL book repository of about that many pages.

Output: ``monograph/book.yml``, ``monograph/chapters/*.md`` (front matter,
Russian and Kazakh prose made from word lists, footnote citations with
locators and repeats, pipe tables, SVG figures, cross-references),
``monograph/figures/*.svg``, ``bibliography/*.bib`` (every entry type a legal
monograph cites) and a README saying that all of it is made up. The same
arguments always give byte-identical files: one ``random.Random(seed)`` drives
everything and nothing depends on time, locale or hash order.

The benchmark edits ``EDIT_CHAPTER``: its sentence ``EDIT_SENTENCE`` is there
to be changed without moving a line (see ``edit_sentence``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

WORDS_PER_PAGE = 136
"""Body words on a printed page (145×215 mm, 11 pt, ~4 footnotes a page).

Calibrated by building the 300-page book and counting its pages (pypdf)."""
BODY_SHARE = 0.81
"""Share of the pages that are chapters; the rest is the source list (~47 pages
for 400 entries), the title pages and the table of contents."""
CITATIONS_PER_PAGE = 4
ENTRIES_PER_PAGE = 400 / 300
"""Bibliography size grows with the book: ~400 entries at 300 pages."""

CHAPTERS = 10
"""Numbered chapters; with the introduction and the conclusion, 12 units."""
SECTIONED = {2: 3, 5: 2, 8: 3}
"""Chapter number → how many section files (параграфы) it has."""
KAZAKH_CHAPTERS = {3, 9}
EDIT_NUMBER = 6
EDIT_CHAPTER = "monograph/chapters/06-chapter.md"
"""The middle chapter the benchmark edits (it has no section files)."""
EDIT_SENTENCE = "Данный вывод подтверждается правоприменительной практикой 2019 года."
EDIT_YEAR = "2019"

AUTHORS = ["Ахметова А. С.", "Бекмұратов Ғ. Қ.", "Иванова Е. П.", "Нұрланұлы Ө. Ү.",
           "Сейітқали Һ. І.", "Петров Д. В."]
"""Six fictional members of the author collective."""

# ---------------------------------------------------------------- word lists

RU_ADJ = ["правовой", "миграционной", "международной", "национальной", "конституционной",
          "административной", "уголовной", "вынужденной", "нелегальной", "трудовой",
          "государственной", "процессуальной", "временной", "постоянной", "социальной",
          "эффективной", "действующей", "специальной", "региональной", "договорной"]
RU_NOUN = ["регулирование", "законодательство", "защита", "политика", "ответственность",
           "процедура", "практика", "норма", "система", "реализация", "гарантия",
           "компетенция", "механизм", "статус", "режим", "институт", "принцип", "обязанность",
           "ограничение", "интеграция", "депортация", "выдворение", "натурализация",
           "регистрация", "квота"]
RU_GEN = ["беженцев", "мигрантов", "иностранцев", "лиц без гражданства", "оралманов",
          "кандасов", "государства", "органов внутренних дел", "пограничной службы",
          "работодателей", "трудящихся-мигрантов", "соискателей убежища", "граждан",
          "международных организаций", "Евразийского экономического союза", "судов",
          "местных исполнительных органов", "миграционной полиции"]
RU_VERB = ["определяет", "устанавливает", "закрепляет", "предусматривает", "обеспечивает",
           "ограничивает", "регламентирует", "требует", "допускает", "исключает",
           "расширяет", "конкретизирует", "отражает", "затрагивает", "гарантирует"]
RU_TAIL = ["в условиях глобализации", "на территории Республики Казахстан",
           "в соответствии с международными стандартами", "с учётом судебной практики",
           "в пределах компетенции уполномоченного органа", "при рассмотрении ходатайства",
           "на основании решения суда", "в рамках интеграционных процессов",
           "с момента пересечения государственной границы", "в порядке, установленном законом",
           "в период действия временного убежища", "вне зависимости от гражданства"]
RU_OPEN = ["Следует отметить, что", "Как показывает анализ,", "Вместе с тем", "Представляется, что",
           "Таким образом,", "В доктрине справедливо указывается, что", "При этом",
           "Особого внимания заслуживает то, что", "Нельзя не согласиться с тем, что",
           "Как отмечается в литературе,"]

KK_ADJ = ["құқықтық", "көші-қон", "халықаралық", "ұлттық", "конституциялық", "әкімшілік",
          "мәжбүрлі", "заңсыз", "еңбек", "мемлекеттік", "әлеуметтік", "уақытша", "тұрақты",
          "өңірлік", "тиімді", "қолданыстағы", "арнайы", "шарттық"]
KK_NOUN = ["реттеу", "заңнама", "қорғау", "саясат", "жауапкершілік", "рәсім", "тәжірибе",
           "норма", "жүйе", "кепілдік", "құзырет", "тетік", "мәртебе", "режим", "институт",
           "қағида", "міндет", "шектеу", "ықпалдастыру", "тіркеу", "квота", "өтініш"]
KK_GEN = ["босқындардың", "көшіп-қонушылардың", "шетелдіктердің", "азаматтығы жоқ адамдардың",
          "қандастардың", "мемлекеттің", "ішкі істер органдарының", "шекара қызметінің",
          "жұмыс берушілердің", "еңбекші көшіп-қонушылардың", "баспана іздеушілердің",
          "азаматтардың", "Еуразиялық экономикалық одақтың", "соттардың"]
KK_VERB = ["айқындайды", "белгілейді", "бекітеді", "көздейді", "қамтамасыз етеді", "шектейді",
           "реттейді", "талап етеді", "жол береді", "кеңейтеді", "нақтылайды", "көрсетеді",
           "кепілдік береді", "қозғайды"]
KK_TAIL = ["жаһандану жағдайында", "Қазақстан Республикасының аумағында",
           "халықаралық стандарттарға сәйкес", "сот тәжірибесін ескере отырып",
           "уәкілетті органның құзыреті шегінде", "өтінішті қарау кезінде",
           "сот шешімі негізінде", "ықпалдастыру үдерістері аясында",
           "мемлекеттік шекарадан өткен сәттен бастап", "заңда белгіленген тәртіппен",
           "уақытша баспана берілген кезеңде", "азаматтығына қарамастан"]
KK_OPEN = ["Айта кету керек,", "Талдау көрсеткендей,", "Сонымен қатар", "Біздің ойымызша,",
           "Осылайша,", "Ғылыми әдебиетте орынды атап өтілгендей,", "Бұл ретте",
           "Ерекше назар аударатын жайт,", "Әділ айтылғандай,", "Әдебиетте көрсетілгендей,"]

RU_SURNAMES = ["Абдрахманов", "Байжанова", "Васильев", "Гусейнова", "Дмитриев", "Ержанова",
               "Жуков", "Зайцева", "Исмаилов", "Ким", "Лебедева", "Морозов", "Никитина",
               "Орлов", "Полякова", "Романов", "Смирнова", "Тихонов", "Уварова", "Фёдоров",
               "Хасанова", "Чернов", "Шевченко", "Яковлева"]
KK_SURNAMES = ["Әбдіров", "Ғабитқызы", "Қасымов", "Ңұрғалиев", "Өтегенова", "Ұлықбеков",
               "Үсенова", "Һашимов", "Іскаков", "Жұмабаева", "Сәрсенбаев", "Тоқтарова",
               "Бөкейханов", "Мұқанова", "Шәріпов", "Есқараева"]
EN_SURNAMES = ["Anderson", "Brooks", "Clarke", "Dawson", "Ellis", "Fletcher", "Graham",
               "Harper", "Irving", "Jensen", "Keller", "Lawson", "Mitchell", "Norton"]
RU_INITIALS = "АБВГДЕЖЗИКЛМНОПРСТЭЮЯ"
KK_INITIALS = "АӘБҒДЕЖЗҚЛМНОӨРСТҰҮШ"
EN_INITIALS = "ABCDEGHJKLMNPRSTW"
RU_CITIES = [("Москва", "Юрайт"), ("Санкт-Петербург", "Юридический центр"),
             ("Алматы", "Жеті жарғы"), ("Астана", "Фолиант"), ("Караганда", "КарГУ"),
             ("Шымкент", "Әлем"), ("Минск", "Белорусская наука")]
KK_CITIES = [("Алматы", "Қазақ университеті"), ("Астана", "Фолиант"),
             ("Алматы", "Жеті жарғы"), ("Түркістан", "Тұран")]
EN_CITIES = [("Oxford", "Fictional University Press"), ("London", "Imaginary Books"),
             ("Cambridge", "Invented Academic"), ("New York", "Sample House")]
RU_JOURNALS = ["Вестник вымышленного университета. Серия юридическая",
               "Журнал условного права", "Право и миграция (вымышленный журнал)",
               "Вопросы выдуманной юриспруденции", "Евразийский условный юридический журнал"]
KK_JOURNALS = ["Шартты университет хабаршысы. Құқық сериясы", "Құқық және көші-қон журналы",
               "Ойдан шығарылған заң журналы"]
EN_JOURNALS = ["Journal of Fictional Migration Law", "Imaginary Refugee Studies Quarterly",
               "Sample Review of International Law"]
GAZETTES = ["Ведомости Парламента Республики Казахстан",
            "Собрание актов Президента и Правительства Республики Казахстан",
            "Казахстанская правда"]


# ---------------------------------------------------------------- prose

class Prose:
    """Sentences in one language, drawn from the word lists."""

    def __init__(self, rng: random.Random, lang: str):
        self.rng, self.lang = rng, lang
        kk = lang == "kk"
        self.adj, self.noun, self.gen = (KK_ADJ, KK_NOUN, KK_GEN) if kk else (RU_ADJ, RU_NOUN, RU_GEN)
        self.verb, self.tail, self.open = (KK_VERB, KK_TAIL, KK_OPEN) if kk else (RU_VERB, RU_TAIL, RU_OPEN)

    def clause(self) -> str:
        r = self.rng
        if self.lang == "kk":
            return (f"{r.choice(self.gen)} {r.choice(self.adj)} {r.choice(self.noun)} "
                    f"{r.choice(self.tail)} {r.choice(self.adj)} {r.choice(self.noun)} "
                    f"{r.choice(self.verb)}")
        return (f"{r.choice(self.adj)} {r.choice(self.noun)} {r.choice(self.gen)} "
                f"{r.choice(self.verb)} {r.choice(self.noun)} {r.choice(self.gen)} "
                f"{r.choice(self.tail)}")

    def sentence(self) -> str:
        r = self.rng
        text = self.clause()
        if r.random() < 0.45:
            text += ", " + ("ал " if self.lang == "kk" else "а ") + self.clause()
        if r.random() < 0.5:
            return f"{r.choice(self.open)} {text}"
        return text[0].upper() + text[1:]

    def title(self, words: int = 4) -> str:
        r = self.rng
        parts = [r.choice(self.adj), r.choice(self.noun), r.choice(self.gen)]
        if words > 3:
            parts.append(r.choice(self.tail))
        text = " ".join(parts)
        return text[0].upper() + text[1:]


# ---------------------------------------------------------------- bibliography

@dataclass
class Entry:
    key: str
    type: str
    fields: list[tuple[str, str]]
    locator: str = "с."
    group: str = "literature"
    """legal | literature | electronic: which .bib file it goes to."""

    def bibtex(self) -> str:
        lines = [f"@{self.type}{{{self.key},"]
        lines += [f"  {name} = {{{value}}}," for name, value in self.fields]
        return "\n".join(lines) + "\n}\n"


def _person(rng: random.Random, lang: str, full: bool = False) -> str:
    if lang == "en":
        return f"{rng.choice(EN_SURNAMES)}, {rng.choice(EN_INITIALS)}."
    surnames, initials = (KK_SURNAMES, KK_INITIALS) if lang == "kk" else (RU_SURNAMES, RU_INITIALS)
    return f"{rng.choice(surnames)}, {rng.choice(initials)}. {rng.choice(initials)}."


def _authors(rng: random.Random, lang: str) -> str:
    count = rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]
    return " and ".join(_person(rng, lang) for _ in range(count))


def _isbn13(rng: random.Random) -> str:
    digits = [9, 7, 8, 6, 0, 1] + [rng.randrange(10) for _ in range(6)]
    check = (10 - sum((3 if i % 2 else 1) * d for i, d in enumerate(digits)) % 10) % 10
    body = "".join(map(str, digits))
    return f"{body[:3]}-{body[3:6]}-{body[6:9]}-{body[9:]}-{check}"


def _langid(lang: str) -> str:
    return {"ru": "russian", "kk": "kazakh", "en": "english"}[lang]


def _title(rng: random.Random, lang: str) -> str:
    if lang == "en":
        return rng.choice(["Migration", "Refugee", "Asylum", "Border", "Labour Mobility"]) + " " + \
            rng.choice(["Law", "Governance", "Protection", "Policy"]) + " in " + \
            rng.choice(["Central Asia", "Eurasia", "Post-Soviet States", "Comparative Perspective"])
    return Prose(rng, lang).title(rng.choice([3, 4]))


def _legislation(rng: random.Random, n: int, kind: str) -> Entry:
    year = rng.randrange(1993, 2025)
    date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    topic = Prose(rng, "ru").title(3)
    convocation = rng.choice(["IV", "V", "VI", "VII", "VIII"])
    fields = {
        "constitution": [("title", "Конституция Вымышленной Республики"),
                         ("titleaddon", "принята на условном референдуме")],
        "code": [("title", f"{rng.choice(['Условный', 'Вымышленный'])} кодекс о {topic.lower()}"),
                 ("type", "Кодекс Республики Казахстан"), ("number", f"{n}-{convocation}")],
        "constitutional-law": [("title", f"О {topic.lower()}"),
                               ("type", "Конституционный закон Республики Казахстан"),
                               ("number", f"{n}-{convocation}")],
        "law": [("title", f"О {topic.lower()}"), ("type", "Закон Республики Казахстан"),
                ("number", f"{n}-{convocation}")],
        "treaty": [("title", f"Вымышленная конвенция о {topic.lower()}"),
                   ("titleaddon", f"заключена в г. Условном {date[8:]}.{date[5:7]}.{year}")],
        "decree": [("title", f"Об утверждении Концепции {topic.lower()}"),
                   ("type", "Указ Президента Республики Казахстан"), ("number", str(n))],
        "government": [("title", f"Об утверждении Правил {topic.lower()}"),
                       ("type", "постановление Правительства Республики Казахстан"),
                       ("number", str(n))],
        "departmental": [("title", f"Об утверждении инструкции по {topic.lower()}"),
                         ("type", "приказ Министра внутренних дел Республики Казахстан"),
                         ("number", str(n))],
    }[kind]
    fields = [*fields, ("date", date)]
    if rng.random() < 0.5:
        fields += [("journaltitle", rng.choice(GAZETTES)), ("sourceyear", str(year)),
                   ("issue", str(rng.randrange(1, 24))), ("pages", str(rng.randrange(1, 300))),
                   ("pagination", "article")]
    else:
        fields += [("journaltitle", "Информационно-правовая система «Әділет» (вымышленная)"),
                   ("url", f"https://example.kz/fictional/act/{n}"), ("urldate", "2025-02-01")]
    fields += [("langid", "russian"), ("keywords", kind)]
    return Entry(f"act{n:03d}-{year}", "legislation", fields,
                 "ст." if kind in ("law", "code", "constitution", "constitutional-law") else "п.",
                 "legal")


def _court(rng: random.Random, n: int) -> Entry:
    year = rng.randrange(2000, 2025)
    fields = [("title", f"О судебной практике по делам о {Prose(rng, 'ru').title(3).lower()}"),
              ("type", "нормативное постановление Верховного Суда Республики Казахстан"),
              ("date", f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"),
              ("number", str(rng.randrange(1, 20))), ("langid", "russian"), ("keywords", "court")]
    return Entry(f"court{n:03d}-{year}", "jurisdiction", fields, "п.", "legal")


def _book(rng: random.Random, n: int, lang: str) -> Entry:
    year = rng.randrange(1995, 2025)
    city, publisher = rng.choice({"ru": RU_CITIES, "kk": KK_CITIES, "en": EN_CITIES}[lang])
    fields = [("author", _authors(rng, lang)), ("title", _title(rng, lang))]
    if lang != "en" and rng.random() < 0.5:
        fields.append(("titleaddon", rng.choice(["монография", "учебное пособие", "курс лекций"])
                       if lang == "ru" else rng.choice(["монография", "оқу құралы"])))
    if rng.random() < 0.2:
        fields.append(("edition", str(rng.randrange(2, 6))))
    fields += [("location", city), ("publisher", publisher), ("date", str(year)),
               ("pagetotal", str(rng.randrange(120, 600)))]
    if rng.random() < 0.5:
        fields.append(("isbn", _isbn13(rng)))
    fields.append(("langid", _langid(lang)))
    return Entry(f"book{n:03d}-{year}", "book", fields, "p." if lang == "en" else "с.")


def _collection(rng: random.Random, n: int) -> Entry:
    year = rng.randrange(2000, 2025)
    editor = _person(rng, "ru")
    surname, initials = editor.split(", ")
    city, publisher = rng.choice(RU_CITIES)
    fields = [("editor", editor), ("editorgen", f"{initials} {surname}а"),
              ("title", _title(rng, "ru")), ("subtitle", "сборник научных трудов"),
              ("location", city), ("publisher", publisher), ("date", str(year)),
              ("pagetotal", str(rng.randrange(150, 500))), ("langid", "russian")]
    return Entry(f"coll{n:03d}-{year}", "collection", fields)


def _incollection(rng: random.Random, n: int, collection: Entry) -> Entry:
    f = dict(collection.fields)
    start = rng.randrange(5, 400)
    fields = [("author", _authors(rng, "ru")), ("title", _title(rng, "ru")),
              ("booktitle", f["title"]), ("booksubtitle", f["subtitle"]),
              ("editor", f["editor"]), ("editorgen", f["editorgen"]),
              ("location", f["location"]), ("publisher", f["publisher"]), ("date", f["date"]),
              ("pages", f"{start}--{start + rng.randrange(5, 25)}"), ("langid", "russian")]
    return Entry(f"inc{n:03d}-{f['date']}", "incollection", fields)


def _article(rng: random.Random, n: int, lang: str) -> Entry:
    year = rng.randrange(1998, 2025)
    start = rng.randrange(3, 200)
    journal = rng.choice({"ru": RU_JOURNALS, "kk": KK_JOURNALS, "en": EN_JOURNALS}[lang])
    fields = [("author", _authors(rng, lang)), ("title", _title(rng, lang)),
              ("journaltitle", journal), ("date", str(year))]
    if rng.random() < 0.5:
        fields.append(("volume", str(rng.randrange(1, 40))))
    fields += [("number", str(rng.randrange(1, 12))),
               ("pages", f"{start}--{start + rng.randrange(4, 20)}")]
    if lang == "en":
        fields.append(("doi", f"10.5555/fict.{year}.{n}"))
    fields.append(("langid", _langid(lang)))
    return Entry(f"art{n:03d}-{year}", "article", fields, "p." if lang == "en" else "с.")


def _inproceedings(rng: random.Random, n: int) -> Entry:
    year = rng.randrange(2005, 2025)
    city, publisher = rng.choice(RU_CITIES)
    start = rng.randrange(10, 300)
    fields = [("author", _authors(rng, "ru")), ("title", _title(rng, "ru")),
              ("booktitle", f"Актуальные проблемы {rng.choice(RU_ADJ)} науки"),
              ("booktitleaddon", f"материалы условной междунар. науч.-практ. конф. ({city}, {year} г.)"),
              ("location", city), ("publisher", publisher), ("date", str(year)),
              ("pages", f"{start}--{start + rng.randrange(3, 8)}"), ("langid", "russian")]
    return Entry(f"conf{n:03d}-{year}", "inproceedings", fields)


def _thesis(rng: random.Random, n: int) -> Entry:
    year = rng.randrange(1998, 2025)
    kind = rng.choice(["дис. ... канд. юрид. наук", "автореф. дис. ... канд. юрид. наук",
                       "дис. ... д-ра юрид. наук", "дис. ... д-ра философии (PhD)"])
    fields = [("author", _person(rng, rng.choice(["ru", "kk"]))), ("title", _title(rng, "ru")),
              ("type", kind), ("location", rng.choice(["Алматы", "Астана", "Москва"])),
              ("date", str(year)), ("pagetotal", str(rng.randrange(24, 400))),
              ("langid", "russian")]
    return Entry(f"thes{n:03d}-{year}", "thesis", fields)


def _online(rng: random.Random, n: int) -> Entry:
    year = rng.randrange(2015, 2025)
    lang = rng.choice(["ru", "ru", "kk"])
    fields = [("title", _title(rng, lang)),
              ("journaltitle", rng.choice(["Условное бюро статистики", "Вымышленный портал",
                                           "Шартты ақпараттық агенттік"])),
              ("journalsubtitle", "[сайт]"), ("date", str(year)),
              ("url", f"https://example.kz/fictional/page/{n}"), ("urldate", "2025-03-01"),
              ("langid", _langid(lang))]
    return Entry(f"web{n:03d}-{year}", "online", fields, "")


LEGAL_KINDS = [("constitution", 1), ("code", 8), ("constitutional-law", 3), ("law", 36),
               ("treaty", 15), ("decree", 8), ("government", 6), ("departmental", 4)]
"""Kinds of normative acts and their share, per ~410 entries."""


def bibliography(rng: random.Random, size: int) -> list[Entry]:
    """About ``size`` entries of every type, in a fixed order."""
    scale = size / 410
    count = lambda base: max(1, round(base * scale))  # noqa: E731
    entries, n = [], 0

    def add(entry: Entry) -> None:
        nonlocal n
        entries.append(entry)
        n += 1

    for kind, base in LEGAL_KINDS:
        for _ in range(1 if kind == "constitution" else count(base)):
            add(_legislation(rng, n, kind))
    for _ in range(count(6)):
        add(_court(rng, n))
    for lang, base in (("ru", 50), ("kk", 15), ("en", 15)):
        for _ in range(count(base)):
            add(_book(rng, n, lang))
    collections = []
    for _ in range(count(12)):
        collections.append(_collection(rng, n))
        add(collections[-1])
    for _ in range(count(40)):
        add(_incollection(rng, n, rng.choice(collections)))
    for lang, base in (("ru", 70), ("kk", 20), ("en", 20)):
        for _ in range(count(base)):
            add(_article(rng, n, lang))
    for _ in range(count(25)):
        add(_inproceedings(rng, n))
    for _ in range(count(22)):
        add(_thesis(rng, n))
    for _ in range(count(35)):
        entry = _online(rng, n)
        entry.group = "electronic"
        add(entry)
    return entries


# ---------------------------------------------------------------- chapters

@dataclass
class Unit:
    """One file of the book being generated."""
    file: str
    kind: str
    title: str
    lang: str
    words: int
    authors: list[str] = field(default_factory=list)
    number: int = 0
    label: str = ""
    sections: list["Unit"] = field(default_factory=list)


class Citer:
    """Chooses what each footnote cites: every entry once, then repeats.

    A quarter of the citations repeat the previous source (GOST «Там же»), a
    fifth one cited earlier in the same chapter (the short form)."""

    def __init__(self, rng: random.Random, entries: list[Entry]):
        self.rng, self.entries = rng, entries
        self.unused = list(entries)
        rng.shuffle(self.unused)
        self.last: Entry | None = None
        self.in_chapter: list[Entry] = []

    def new_chapter(self) -> None:
        self.last, self.in_chapter = None, []

    def pick(self) -> Entry:
        r = self.rng
        roll = r.random()
        if self.last and roll < 0.25:
            entry = self.last
        elif self.in_chapter and roll < 0.45:
            entry = r.choice(self.in_chapter)
        elif self.unused:
            entry = self.unused.pop()
        else:
            entry = r.choice(self.entries)
        self.last = entry
        if entry not in self.in_chapter:
            self.in_chapter.append(entry)
        return entry

    def cite(self) -> str:
        entry = self.pick()
        where = str(self.rng.randrange(1, 400))
        if self.rng.random() < 0.08:
            other = self.pick()
            return f"[@{entry.key}{self._loc(entry, where)}; @{other.key}]"
        return f"[@{entry.key}{self._loc(entry, where)}]"

    @staticmethod
    def _loc(entry: Entry, where: str) -> str:
        return f", {entry.locator} {where}" if entry.locator else ""


@dataclass
class Writer:
    rng: random.Random
    citer: Citer
    labels: list[str] = field(default_factory=list)
    """Every label written so far (for references back)."""
    figures: dict[str, str] = field(default_factory=dict)
    """figures/NAME.svg → its content."""

    def body(self, unit: Unit, heading_prefix: str) -> str:
        """The Markdown body of one unit: paragraphs, headings, tables, figures."""
        r, prose = self.rng, Prose(self.rng, unit.lang)
        self.citer.new_chapter()
        blocks, words, heads, tables, figs, notes = [], 0, 0, 0, 0, 0
        size = unit.words / WORDS_PER_PAGE  # pages; short chapters still get a table and a figure
        edit_at = unit.words // 2 if unit.number == EDIT_NUMBER and unit.kind == "chapter" else -1
        if unit.kind == "chapter" and unit.number > 1:
            # A reference back to the previous chapter, by its front-matter label.
            blocks.append(prose.sentence() + f" (см. гл. @sec:ch{unit.number - 1}).")
        while words < unit.words:
            page = words / WORDS_PER_PAGE
            if unit.kind != "front" and page >= heads * 7 and unit.words - words > WORDS_PER_PAGE * 2:
                heads += 1
                label = f"sec:{heading_prefix}-h{heads}"
                blocks.append(f"# {prose.title()} {{#{label}}}")
                self.labels.append(label)
            if page >= min(4, size / 3) + tables * 12 and unit.kind in ("chapter", "section"):
                tables += 1
                blocks += self._table(prose, f"tbl:{heading_prefix}-t{tables}")
            if page >= min(8, size * 2 / 3) + figs * 20 and unit.kind in ("chapter", "section"):
                figs += 1
                blocks += self._figure(prose, f"{heading_prefix}-f{figs}")
            if edit_at >= 0 and words >= edit_at:
                blocks.append(EDIT_SENTENCE + " " + self._paragraph(prose, 2)[0])
                edit_at = -1
            text, footnote = self._paragraph(prose, r.randrange(3, 7))
            if footnote is not None and r.random() < 0.35:
                notes += 1
                name = f"{heading_prefix}n{notes}"
                text += f"[^{name}]"
                blocks += [text, f"[^{name}]: {footnote}"]
            else:
                blocks.append(text)
            words += len(text.split())
        return "\n\n".join(blocks) + "\n"

    def _paragraph(self, prose: Prose, sentences: int) -> tuple[str, str | None]:
        """A paragraph with its citations, and the text of a possible author's note."""
        r, out = self.rng, []
        # ~4 citations a page: one in every so many words.
        cite_every = WORDS_PER_PAGE / CITATIONS_PER_PAGE
        for _ in range(sentences):
            sentence = prose.sentence()
            if r.random() < len(sentence.split()) / cite_every:
                sentence += self.citer.cite()
            if self.labels and r.random() < 0.04:
                target = r.choice(self.labels)
                word = {"fig": "рис.", "tbl": "табл.", "sec": "«"}[target[:3]]
                ref = f"(см. {word} @{target})" if word != "«" else f"(см. «@{target}»)"
                sentence += " " + ref
            if prose.lang == "ru" and r.random() < 0.03:
                sentence += " (қаз. «" + Prose(r, "kk").clause() + "»)"
            out.append(sentence + ".")
        note = None
        if r.random() < 0.5:
            note = prose.sentence() + self.citer.cite() + "."
        return " ".join(out), note

    def _table(self, prose: Prose, label: str) -> list[str]:
        r = self.rng
        rows = ["| Показатель | 2022 | 2023 | 2024 |", "|:--|--:|--:|--:|"]
        for _ in range(r.randrange(4, 8)):
            rows.append(f"| {prose.title(3)} | " +
                        " | ".join(str(r.randrange(10, 9000)) for _ in range(3)) + " |")
        self.labels.append(label)
        lead = prose.sentence() + f" (см. табл. @{label})."
        return [lead, "\n".join(rows) + f"\n\n: {prose.title()} {{#{label}}}"]

    def _figure(self, prose: Prose, name: str) -> list[str]:
        label = f"fig:{name}"
        self.figures[f"{name}.svg"] = figure_svg(self.rng, prose)
        self.labels.append(label)
        lead = prose.sentence() + f" (см. рис. @{label})."
        return [lead, f"![{prose.title()}](../figures/{name}.svg){{#{label}}}"]


def figure_svg(rng: random.Random, prose: Prose) -> str:
    """A box-and-arrow scheme with 4–6 labelled levels, like the book's real figures."""
    levels = rng.randrange(4, 7)
    height = 20 + levels * 52
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="{height}" '
           f'viewBox="0 0 480 {height}" role="img">',
           f"<title>{prose.title(3)}</title>",
           '<style>text{font-family:"Liberation Serif","PT Serif","DejaVu Serif",serif;'
           "font-size:14px}</style>"]
    for i in range(levels):
        y, inset = 20 + i * 52, 18 * i
        out.append(f'<rect x="{20 + inset}" y="{y}" width="{440 - 2 * inset}" height="38" '
                   f'rx="4" fill="#f2f2f2" stroke="#333"/>')
        out.append(f'<text x="240" y="{y + 24}" text-anchor="middle">{prose.title(3)[:48]}</text>')
        if i:
            out.append(f'<path d="M240 {y - 14} v12" stroke="#333"/>')
    return "\n".join(out) + "\n</svg>\n"


def plan_units(rng: random.Random, pages: int) -> list[Unit]:
    """The book's files, with the number of body words each gets."""
    words = pages * BODY_SHARE * WORDS_PER_PAGE
    units = [Unit("chapters/00-introduction.md", "front", "Введение", "ru", round(words * 0.03))]
    per_chapter = round(words * 0.94 / CHAPTERS)
    for number in range(1, CHAPTERS + 1):
        lang = "kk" if number in KAZAKH_CHAPTERS else "ru"
        prose = Prose(rng, lang)
        authors = rng.sample(AUTHORS, rng.choice([1, 1, 2]))
        chapter = Unit(f"chapters/{number:02d}-chapter.md", "chapter", prose.title(), lang,
                       per_chapter, authors, number, f"sec:ch{number}")
        sections = SECTIONED.get(number, 0)
        if sections:
            chapter.words = round(per_chapter * 0.08)
            for s in range(1, sections + 1):
                chapter.sections.append(Unit(
                    f"chapters/{number:02d}-{s}-section.md", "section", prose.title(3), lang,
                    round(per_chapter * 0.92 / sections), rng.sample(AUTHORS, 1), number,
                    f"sec:ch{number}-s{s}"))
        units.append(chapter)
    units.append(Unit("chapters/99-conclusion.md", "back", "Заключение", "ru", round(words * 0.03)))
    return units


def chapter_file(unit: Unit, body: str) -> str:
    meta = [f"title: {unit.title}"]
    if unit.authors:
        meta.append("authors: [" + ", ".join(unit.authors) + "]")
    if unit.lang != "ru":
        meta.append(f"lang: {unit.lang}")
    if unit.label:
        meta.append(f"label: {unit.label}")
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body


def book_yml(units: list[Unit]) -> str:
    chapters = []
    for unit in units:
        if unit.kind != "chapter":
            continue
        if unit.sections:
            chapters.append(f"    - file: {unit.file}\n      sections:\n" +
                            "\n".join(f"        - {s.file}" for s in unit.sections))
        else:
            chapters.append(f"    - {unit.file}")
    authors = "\n".join(f"  - {{name: {a}}}" for a in AUTHORS)
    return f"""# FICTIONAL benchmark book (see ../README.md): generated by grantpress.bench.
title:
  ru: Вымышленная монография о правовом регулировании миграции
  kk: Көші-қонды құқықтық реттеу туралы ойдан шығарылған монография
  en: A fictional monograph on the legal regulation of migration
language: ru
editors:
  - {{name: {AUTHORS[0]}, degree: доктор юридических наук, position: профессор}}
authors:
{authors}
reviewers:
  - {{name: Рецензентова Р. Р., degree: доктор юридических наук, position: профессор}}
  - {{name: Сынақов С. С., degree: кандидат юридических наук, position: доцент}}
organisation: Вымышленный институт права
recommendation: Рекомендовано к изданию учёным советом вымышленного института (протокол № 1 от 1 января 2026 г.)
city: Алматы
year: 2026
isbn: null
udc: "342.7"
bbk: "67.400"
publisher: Вымышленное издательство
keywords: [миграция, беженцы, вымышленная книга]
grant: {{funder: Вымышленный фонд, programme: Условный конкурс, irn: AP00000000, title: Вымышленный проект}}
annotations:
  ru: front/annotation.ru.md
  kk: front/annotation.kk.md
contents:
  front: [{units[0].file}]
  chapters:
{chr(10).join(chapters)}
  back: [{units[-1].file}]
page: {{size: "145x215"}}
"""


README = """# A FICTIONAL benchmark book

Generated by `python -m grantpress.bench` (`grantpress.bench.generate`, seed {seed},
{pages} pages). Everything here is made up: the authors, the text, the laws,
the books and articles, the web pages. Only the Russian and Kazakh letters
(ә ғ қ ң ө ұ ү һ і) are real. Do not cite it; do not copy it into a real book.
"""


def generate_book(root: Path, pages: int = 300, seed: int = 1) -> Path:
    """Write a FICTIONAL book repository of about ``pages`` pages into ``root``."""
    rng = random.Random(seed)
    entries = bibliography(rng, max(60, round(pages * ENTRIES_PER_PAGE)))
    units = plan_units(rng, pages)
    writer = Writer(rng, Citer(rng, entries))
    files: dict[str, str] = {
        "README.md": README.format(seed=seed, pages=pages),
        "monograph/book.yml": book_yml(units),
        "monograph/front/annotation.ru.md":
            "Вымышленная аннотация сгенерированной книги для замеров скорости сборки. " +
            " ".join(Prose(rng, "ru").sentence() + "." for _ in range(3)) + "\n",
        "monograph/front/annotation.kk.md":
            "Құрастыру жылдамдығын өлшеуге арналған ойдан шығарылған кітаптың аңдатпасы. " +
            " ".join(Prose(rng, "kk").sentence() + "." for _ in range(3)) + "\n",
    }
    for unit in units:
        prefix = f"ch{unit.number}" if unit.number else unit.file.split("/")[1][:2]
        files[f"monograph/{unit.file}"] = chapter_file(unit, writer.body(unit, prefix))
        for s, section in enumerate(unit.sections, 1):
            files[f"monograph/{section.file}"] = chapter_file(section, writer.body(section, f"{prefix}s{s}"))
    for name, svg in writer.figures.items():
        files[f"monograph/figures/{name}"] = svg
    groups = {"legal": "legal-acts.bib", "literature": "literature.bib",
              "electronic": "electronic.bib"}
    for group, name in groups.items():
        chosen = [e.bibtex() for e in entries if e.group == group]
        files[f"bibliography/{name}"] = "% FICTIONAL sources of the benchmark book.\n\n" + "\n".join(chosen)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


_EDITED = re.compile(re.escape(EDIT_SENTENCE).replace(EDIT_YEAR, r"\d{4}"))


def edit_sentence(text: str, run: int) -> str:
    """The chapter with the year in ``EDIT_SENTENCE`` changed: same length, new per run."""
    year = str(int(EDIT_YEAR) - 1 - run % 20)
    return _EDITED.sub(EDIT_SENTENCE.replace(EDIT_YEAR, year), text, count=1)


def shift_pages(text: str, run: int, paragraphs: int = 8) -> str:
    """The chapter with ``paragraphs`` new paragraphs (about two pages) after its edit sentence."""
    rng = random.Random(f"shift-{run}")
    prose = Prose(rng, "ru")
    added = "\n\n".join(" ".join(prose.sentence() + "." for _ in range(5)) for _ in range(paragraphs))
    end = text.index("\n\n", _EDITED.search(text).start())
    return text[:end] + "\n\n" + added + text[end:]
