"""Typed models of ``monograph/book.yml`` and of a chapter's front matter.

Unknown facts stay ``None`` or empty: the build shows them as missing and
``grantpress check`` warns; nothing here supplies an invented default.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from grantpress.core.langs import CODES
from grantpress.core.messages import t
from grantpress.core.yamlio import line_of


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FromYaml(Strict):
    """A model read from a YAML file, keeping the file's tree for the lines of its nodes."""
    _raw: object = PrivateAttr(default=None)

    def with_lines(self, raw):
        """This model, remembering ``raw``, the YAML tree it was validated from."""
        self._raw = raw
        return self

    def line(self, *loc) -> int:
        """The line in the file of the node at ``loc`` (0 when unknown)."""
        return line_of(self._raw, loc) if self._raw is not None else 0


class Localized(Strict):
    """A text in Russian, with Kazakh and English where given."""
    ru: str
    kk: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.ru


_SURNAME_INITIALS = re.compile(r"(?P<surname>[^\s,.]+)\s+(?P<initials>(?:\w\.\s*){1,3})")


class Person(Strict):
    name: str
    """«Фамилия И. О.», as the book's lists of people write it."""
    degree: str | None = None
    """Учёная степень, e.g. «доктор юридических наук, профессор»."""
    position: str | None = None
    """Должность и место работы."""

    @property
    def initials_first(self) -> str:
        """«И. О. Фамилия»: the form of the title page and of a statement of
        responsibility (ГОСТ 7.1-2003, 4.1.8: «отв. ред. Т. Т. Тестов»)."""
        match = _SURNAME_INITIALS.fullmatch(self.name.strip())
        if not match:
            return self.name
        initials = " ".join(re.findall(r"\w\.", match["initials"]))
        return f"{initials} {match['surname']}"


class Grant(Strict):
    """The grant acknowledgement printed on the imprint page."""
    funder: str | None = None
    programme: str | None = None
    irn: str | None = None
    """Индивидуальный регистрационный номер (ИРН) проекта."""
    title: str | None = None


class Annotations(Strict):
    ru: str | None = None
    kk: str | None = None
    en: str | None = None


class ChapterRef(Strict):
    """A chapter file and, optionally, the files of its sections (paragraphs)."""
    file: str
    sections: list[str] = Field(default_factory=list)


class Contents(Strict):
    """The order of the book: unnumbered front matter, chapters, back matter."""
    front: list[str] = Field(default_factory=list)
    chapters: list[ChapterRef | str]
    back: list[str] = Field(default_factory=list)

    @field_validator("chapters")
    @classmethod
    def _refs(cls, items):
        return [ChapterRef(file=i) if isinstance(i, str) else i for i in items]


PAGE_PRESETS = {"145x215": (145, 215), "A5": (148, 210), "A4": (210, 297)}


class Page(Strict):
    size: Literal["145x215", "A5", "A4"] = "145x215"
    paper: str = "60x84/16"
    """Формат бумаги и доля листа: gives the conventional printed sheets."""
    font_size: str = "11pt"

    @field_validator("paper")
    @classmethod
    def _paper(cls, value: str) -> str:
        if not re.fullmatch(r"\s*\d+\s*[x×х]\s*\d+\s*/\s*\d+\s*", value):
            raise ValueError(t("book.paper.format"))
        return value

    @property
    def millimetres(self) -> tuple[int, int]:
        return PAGE_PRESETS[self.size]


# ---- sources config (owned by the citations work; see tools/grantpress/sources.py)

SOURCE_RANKS = ("constitution", "treaty", "constitutional-law", "code", "law", "decree",
                "government", "departmental", "court", "foreign")


class SourceGroup(Strict):
    """One section of the source list."""
    id: Literal["legal", "legal-foreign", "literature", "electronic"]
    """legal: normative acts, treaties, court decisions; legal-foreign: acts of
    other states than ``jurisdiction``; electronic: web pages."""
    title: str


class Sources(Strict):
    """How the source list is grouped and ordered."""
    groups: list[SourceGroup] = Field(default_factory=lambda: [
        SourceGroup(id="legal", title="Нормативные правовые акты и официальные документы"),
        SourceGroup(id="legal-foreign", title="Нормативные правовые акты зарубежных государств"),
        SourceGroup(id="literature", title="Специальная литература"),
        SourceGroup(id="electronic", title="Электронные ресурсы")])
    """The sections, in order; an entry whose section is not listed joins «literature»."""
    ranks: list[Literal[SOURCE_RANKS]] = Field(default_factory=lambda: list(SOURCE_RANKS))
    """Order of legal force of the normative acts; an act's rank is read from its
    entry type and kind (tools/grantpress/sources/legal-ranks.yml) or its `keywords`."""
    jurisdiction: Literal["kz", "ru"] = "kz"
    """Whose acts are domestic; acts of other states go to «legal-foreign»."""
    nocite: list[str] = Field(default_factory=list)
    """Keys listed though not cited; «*» lists every entry of bibliography/."""


class Book(FromYaml):
    title: Localized
    subtitle: Localized | None = None
    language: Literal[CODES] = "ru"
    genre: str = "Коллективная монография"
    editors: list[Person] = Field(default_factory=list)
    """Ответственный редактор (редакторы)."""
    authors: list[Person] = Field(default_factory=list)
    """Авторский коллектив."""
    reviewers: list[Person] = Field(default_factory=list)
    organisation: str | None = None
    recommendation: str | None = None
    """«Рекомендовано к изданию …»: the body and the date of its decision."""
    city: str | None = None
    year: int | None = None
    isbn: str | None = None
    udc: str | None = None
    """УДК."""
    bbk: str | None = None
    """ББК."""
    author_mark: str | None = None
    """Авторский знак."""
    print_run: int | None = None
    publisher: str | None = None
    publisher_address: str | None = None
    printer: str | None = None
    """Полиграфическое предприятие (типография)."""
    printer_address: str | None = None
    signed_for_print: dt.date | None = None
    """Дата подписания в печать (ГГГГ-ММ-ДД), for the output data."""
    paper_kind: str | None = None
    """Вид бумаги, e.g. «офсетная» (the output data's «Бумага офсетная»)."""
    printing: str | None = None
    """Способ печати, e.g. «офсетная», «цифровая» («Печать офсетная»)."""
    order_number: str | None = None
    """Номер заказа типографии («Заказ № …»)."""
    edition: str = "1"
    """The edition, which is also the site's version (``grantpress deploy``)."""
    keywords: list[str] = Field(default_factory=list)
    grant: Grant = Grant()
    annotations: Annotations = Annotations()
    contents: Contents
    page: Page = Page()
    citation_style: str = "gost-7.1-2003"
    sources_title: str = "Список использованных источников"
    sources: Sources = Sources()

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_number(cls, value):
        """``edition: 2`` unquoted is YAML's number 2: the edition «2» all the same."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ChapterMeta(Strict):
    """The front matter of one chapter or section file."""
    title: str
    authors: list[str] = Field(default_factory=list)
    short_title: str | None = None
    """For the running head, when the title is too long for it."""
    lang: Literal[CODES] | None = None
    label: str | None = Field(default=None, pattern=r"^sec:[\w\-.]+$")
    """A label (sec:…) other chapters use to refer to this one: @sec:…"""

    @field_validator("authors", mode="before")
    @classmethod
    def _one_author(cls, value):
        return [value] if isinstance(value, str) else value
