"""``project.yml`` → the typed register of the grant: its plan and its outputs.

The register holds the grant (title, funder, IRN, period), the team, the plan
(the expected results, each with machine-checkable criteria: the rules are
data, so another grant's plan is checked the same way) and the outputs
(articles, events, trainings, the monograph). ``load_register`` reads and
validates it; every error names ``project.yml`` and the line. Unknown facts
stay empty: nothing here supplies an invented default.

The rules themselves (does an output count?) live in ``verify``.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.yamlio import line_of, load_yaml_file, validate
from grantpress.model.book import FromYaml, Localized, Strict

REGISTER_FILE = "project.yml"
OUTPUTS_BIB = "bibliography/project-outputs.bib"

Kind = Literal["article", "event", "training", "monograph"]
ArticleStatus = Literal["planned", "submitted", "accepted", "published"]
WosIndex = Literal["SSCI", "AHCI", "SCIE", "ESCI"]


LINK_SCHEMES = ("https", "http", "mailto", "doi")
"""What a link from the register may be, besides a path in the repository."""
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)


def _plain(value: str) -> str:
    """The value as a browser reads a link's scheme: entities decoded, spaces and
    control characters dropped (``java\tscript:`` is ``javascript:``)."""
    return re.sub(r"[\x00-\x20]+", "", html.unescape(value))


def safe_url(value: str | None) -> str | None:
    """A link of the register: https, http, mailto, or a DOI (``doi:10.…``, as its
    https://doi.org address); anything else (``javascript:``, ``data:``) is refused."""
    if value is None:
        return None
    scheme = _SCHEME.match(_plain(value))
    if not scheme or scheme.group(1).lower() not in LINK_SCHEMES:
        raise ValueError(t("link.scheme", allowed=", ".join(LINK_SCHEMES)))
    if scheme.group(1).lower() == "doi":
        return "https://doi.org/" + value.strip()[4:].lstrip("/")
    return value.strip()


def repository_path(value: str | None) -> str | None:
    """A file of the repository, as a relative path: no scheme, no root, no «..»."""
    if value is None:
        return None
    if _SCHEME.match(_plain(value)) or value.startswith(("/", "\\")) \
            or ".." in PurePosixPath(value.replace("\\", "/")).parts:
        raise ValueError(t("link.path"))
    return value


def _localized(value):
    """A plain string is accepted where a Localized text is expected: it is the Russian."""
    return {"ru": value} if isinstance(value, str) else value


class Period(Strict):
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError(t("reg.period.reversed"))
        return self

    def contains(self, day: dt.date) -> bool | None:
        """True/False, or None when the period is not known."""
        if not (self.start and self.end):
            return None
        return self.start <= day <= self.end


class Grant(Strict):
    title: Localized
    """The grant's title; the official one when known."""
    working_title: bool = False
    """The title is a working one (the official title is not known yet)."""
    funder: Localized | None = None
    programme: Localized | None = None
    irn: str | None = None
    """ИРН: the grant's individual registration number."""
    period: Period = Period()
    host: Localized | None = None
    """The host organisation."""
    licence: Localized | None = None
    """The licence under which the site and the monograph are published (the site's footer)."""
    contact: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    """The project's public e-mail address (the site's footer)."""

    _text = field_validator("title", "funder", "programme", "host", "licence", mode="before")(
        classmethod(lambda cls, v: _localized(v)))


class Member(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    """The key outputs use for this person (speakers, participants, authors)."""
    name: Localized
    role: Localized | None = None
    affiliation: Localized | None = None
    orcid: str | None = None
    scopus_id: str | None = None
    """Scopus Author ID."""
    photo: str | None = None
    email: str | None = None
    public_photo: bool = False
    """The photo is shown only when the member allows it."""
    public_email: bool = False
    """The e-mail is shown only when the member allows it."""

    _text = field_validator("name", "role", "affiliation", mode="before")(
        classmethod(lambda cls, v: _localized(v)))
    _photo = field_validator("photo")(classmethod(lambda cls, v: repository_path(v)))

    def shown_email(self) -> str | None:
        return self.email if self.public_email else None

    def shown_photo(self) -> str | None:
        return self.photo if self.public_photo else None


class IndexRule(Strict):
    """One way for a journal to qualify; every field given must hold."""
    wos: list[WosIndex] = Field(default_factory=list)
    """The journal is in one of these Web of Science indexes."""
    scopus_percentile_min: int | None = Field(default=None, ge=0, le=100)
    koksnvo: bool = False
    """The journal is on the KOKSNVO list of recommended journals."""


class Criteria(Strict):
    """What an output must be to count toward a result (data, not code)."""
    status: list[ArticleStatus] = Field(default_factory=lambda: ["published"])
    indexing_any: list[IndexRule] = Field(default_factory=list)
    """Articles: the journal's indexing in the year of publication meets one of these."""
    acknowledgement: bool = True
    """Articles: the grant acknowledgement (with the IRN) is in the article."""
    match: dict[str, list[str]] = Field(default_factory=dict)
    """Events and trainings: field → accepted fragments (any, case-insensitive)."""
    team_member: bool = True
    """Events and trainings: a member of the team took part."""
    evidence: bool = True
    """The output's evidence (programme, certificate, PDF) is given and exists."""
    within_period: bool = True
    isbn: bool = True
    """Monograph: a valid ISBN."""


class PlanItem(Strict):
    id: str
    text: Localized
    kind: Kind
    count: int = Field(ge=1)
    criteria: Criteria = Criteria()
    deadline: dt.date | None = None
    """Empty: the end of the grant's period."""


class Evidence(Strict):
    """A file in the repository or a URL, with what it is."""
    file: str | None = None
    url: str | None = None
    what: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _short(cls, value):
        if isinstance(value, str):
            return {"url": value} if _SCHEME.match(_plain(value)) else {"file": value}
        return value

    _url = field_validator("url")(classmethod(lambda cls, v: safe_url(v)))
    _file = field_validator("file")(classmethod(lambda cls, v: repository_path(v)))

    @model_validator(mode="after")
    def _one(self):
        if not (self.file or self.url):
            raise ValueError(t("reg.evidence.where"))
        return self


class WosRecord(Strict):
    index: WosIndex
    evidence: list[Evidence] = Field(default_factory=list)


class ScopusRecord(Strict):
    percentile: int = Field(ge=0, le=100)
    subject: str | None = None
    """The subject area the percentile is for."""
    evidence: list[Evidence] = Field(default_factory=list)


class KoksnvoRecord(Strict):
    list_name: str | None = None
    """The list (перечень) the journal is on."""
    date: dt.date | None = None
    """The date of the list's edition."""
    evidence: list[Evidence] = Field(default_factory=list)


class Indexing(Strict):
    """The journal's indexing in one year."""
    year: int = Field(ge=1900, le=2100)
    wos: WosRecord | None = None
    scopus: ScopusRecord | None = None
    koksnvo: KoksnvoRecord | None = None


class Article(Strict):
    key: str
    """The entry's key in bibliography/project-outputs.bib."""
    status: ArticleStatus
    published: dt.date | None = None
    """The date of publication; else the bib entry's date or year."""
    authors: list[str] = Field(default_factory=list)
    """Team member ids among the authors."""
    acknowledgement: bool | None = None
    """The article carries the grant acknowledgement (checked by a person)."""
    pdf: str | None = None
    """The article's PDF in the repository, searched for the IRN."""
    indexing: list[Indexing] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)
    """Plan results this article is claimed for; empty: any that fits."""


class Event(Strict):
    id: str
    name: str
    organiser: str | None = None
    city: str | None = None
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    talk: str | None = None
    """The title of the talk."""
    speakers: list[str] = Field(default_factory=list)
    """Team member ids."""
    evidence: list[Evidence] = Field(default_factory=list)
    """The programme or a certificate."""
    results: list[str] = Field(default_factory=list)


class Training(Strict):
    id: str
    course: str
    organisation: str | None = None
    city: str | None = None
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    hours: int | None = Field(default=None, ge=1)
    participants: list[str] = Field(default_factory=list)
    """Team member ids."""
    certificates: list[Evidence] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)


class Monograph(Strict):
    title: Localized | None = None
    isbn: str | None = None
    publisher: str | None = None
    city: str | None = None
    year: int | None = None
    print_run: int | None = Field(default=None, ge=1)
    pdf: str | None = None
    """The built PDF, relative to the repository (e.g. build/monograph.pdf)."""
    evidence: list[Evidence] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)

    _text = field_validator("title", mode="before")(classmethod(lambda cls, v: _localized(v)))


class Outputs(Strict):
    articles: list[Article] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    trainings: list[Training] = Field(default_factory=list)
    monograph: Monograph | None = None


class Register(FromYaml):
    grant: Grant
    team: list[Member] = Field(default_factory=list)
    plan: list[PlanItem]
    outputs: Outputs = Outputs()

    _file: str = PrivateAttr(default=REGISTER_FILE)

    @property
    def file(self) -> str:
        return self._file

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.team if m.id == member_id), None)


def has_register(root: Path) -> bool:
    """Whether the repository has a register: ``project.yml`` as anything at all,
    so that a folder or a link in its place is read, and refused, by the reader
    rather than taken for «no register»."""
    return os.path.lexists(root / REGISTER_FILE)


def load_register(root: Path, file: str = REGISTER_FILE) -> Register:
    """Read and validate ``root/project.yml``; ``InputError`` with lines on bad input."""
    data = load_yaml_file(root / file, file, root=root)
    register = validate(data, Register, file)
    _check_references(register, data, file)
    register.with_lines(data)._file = file
    return register


def _check_references(register: Register, data, file: str) -> None:
    """Ids are unique, and outputs name existing plan results and team members."""
    problems: list[Problem] = []
    plan_ids = [p.id for p in register.plan]
    team_ids = [m.id for m in register.team]
    for name, ids in (("plan", plan_ids), ("team", team_ids)):
        seen = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(Problem(file, line_of(data, (name, i, "id")),
                                        t("reg.register.duplicate_id", id=item_id),
                                        t("reg.register.duplicate_id.hint")))
            seen.add(item_id)
    outputs = register.outputs
    groups = [("articles", outputs.articles, "authors"), ("events", outputs.events, "speakers"),
              ("trainings", outputs.trainings, "participants")]
    for group, items, people in groups:
        for i, item in enumerate(items):
            for j, result in enumerate(item.results):
                if result not in plan_ids:
                    problems.append(Problem(file, line_of(data, ("outputs", group, i, "results", j)),
                                            t("reg.register.unknown_result", result=result),
                                            t("reg.register.unknown_result.hint",
                                              allowed=", ".join(plan_ids))))
            for j, person in enumerate(getattr(item, people)):
                if person not in team_ids:
                    problems.append(Problem(file, line_of(data, ("outputs", group, i, people, j)),
                                            t("reg.register.unknown_member", id=person),
                                            t("reg.register.unknown_member.hint")))
    monograph = outputs.monograph
    for j, result in enumerate(monograph.results if monograph else []):
        if result not in plan_ids:
            problems.append(Problem(file, line_of(data, ("outputs", "monograph", "results", j)),
                                    t("reg.register.unknown_result", result=result),
                                    t("reg.register.unknown_result.hint", allowed=", ".join(plan_ids))))
    if problems:
        raise InputError(problems)
