"""The register → for each planned result: planned, in progress, met or overdue, with reasons.

Input: a ``Register`` (``register.load_register``) and the repository root (for
evidence files, article PDFs and ``bibliography/project-outputs.bib``).
Output: ``audit()`` returns an ``Audit`` (every result's ``ResultStatus``, every
output with the result it counts toward, and the register's own findings);
``verify()`` returns just the results.

The criteria are data in the plan (``PlanItem.criteria``); this module only
applies them. An output counts toward at most one result: when it qualifies
for several, the outputs are shared out to fill as many results as possible,
earlier results first. Every message exists in Russian and English, most in
Kazakh too (``Text``; a missing Kazakh text falls back to the Russian).

The statuses say where a result stands, not only whether it is done: *planned*
while nothing is recorded for it, *in progress* once an output is recorded but
the result is not met yet, *met*, and *overdue* only after its deadline (the
result's own, or the end of the grant's period).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from grantpress.core.dates import build_time, format_date
from grantpress.core.ids import doi_valid, irn_key, isbn_valid, orcid_valid
from grantpress.core.messages import TEXT_LANGUAGES, Text, msg
from grantpress.model.register import (
    OUTPUTS_BIB,
    Article,
    Event,
    Evidence,
    Indexing,
    IndexRule,
    Monograph,
    PlanItem,
    Register,
    Training,
    has_register,
    load_register,
)
from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.latex import strip_delimiters

STATUSES = ("planned", "in_progress", "met", "overdue")


@dataclass(frozen=True)
class Fact:
    """One fact that decided a verdict (the journal's percentile, an event's dates…)."""
    label: Text
    value: object
    """A string (a name, an ISBN), a ``Text``, a date, or a (start, end) pair of dates."""

    def value_in(self, lang: str) -> str:
        value = self.value
        if isinstance(value, Text):
            return value.get(lang)
        if isinstance(value, tuple):
            start, end = value
            if end and end != start:
                return f"{format_date(start, lang)} – {format_date(end, lang)}"
            return format_date(start, lang)
        if isinstance(value, dt.date):
            return format_date(value, lang)
        return str(value)

    def as_dict(self) -> dict:
        return {"label": self.label.as_dict(),
                "value": {lang: self.value_in(lang) for lang in TEXT_LANGUAGES}}


# --- results ---------------------------------------------------------------------------

@dataclass
class Finding:
    """Why an output does not count (or a note on the register), with its place."""
    text: Text
    file: str = ""
    line: int = 0
    output: str | None = None
    """The output's ref (``article:key``, ``event:id``…), if about one."""
    blocking: bool = True
    """The output does not count because of it."""
    pending: bool = False
    """It can still be put right (a status to come, a file to add): progress, not failure."""

    def as_dict(self) -> dict:
        return {"message": self.text.as_dict(), "file": self.file, "line": self.line,
                "output": self.output, "blocking": self.blocking, "pending": self.pending}


@dataclass
class EvidenceCheck:
    ref: str
    what: str | None
    is_url: bool
    exists: bool | None
    """None for a URL: the build fetches nothing."""

    def as_dict(self) -> dict:
        return {"ref": self.ref, "what": self.what, "url": self.is_url, "exists": self.exists}


@dataclass
class OutputInfo:
    """One output of the register, as the report and the website show it."""
    ref: str
    kind: str
    label: str
    date: dt.date | None
    year: int | None
    evidence: list[EvidenceCheck] = field(default_factory=list)
    counted_for: str | None = None
    """The plan result this output counts toward, if any."""
    source: object = None
    """The register's record (Article, Event, Training or Monograph)."""
    facts: list[Fact] = field(default_factory=list)
    """What the verdict rests on, as the report and the website show it beside it."""

    def as_dict(self) -> dict:
        return {"ref": self.ref, "kind": self.kind, "label": self.label,
                "date": self.date.isoformat() if self.date else None, "year": self.year,
                "counted_for": self.counted_for, "facts": [f.as_dict() for f in self.facts],
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class ResultStatus:
    item: PlanItem
    status: str
    """One of ``STATUSES``: planned, in_progress, met or overdue."""
    required: int
    achieved: int
    counted: list[OutputInfo]
    reasons: list[Finding]
    missing: list[Text]
    """What is still missing for the result to be met."""
    criteria: list[Text]
    """The criteria in words."""
    deadline: dt.date | None
    overdue: bool

    @property
    def id(self) -> str:
        return self.item.id

    def as_dict(self) -> dict:
        return {"id": self.item.id, "text": self.item.text.model_dump(), "kind": self.item.kind,
                "status": self.status, "required": self.required, "achieved": self.achieved,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "overdue": self.overdue, "counted": [o.ref for o in self.counted],
                "criteria": [c.as_dict() for c in self.criteria],
                "reasons": [r.as_dict() for r in self.reasons],
                "missing": [m.as_dict() for m in self.missing]}


@dataclass
class Audit:
    register: Register
    date: dt.date
    results: list[ResultStatus]
    outputs: list[OutputInfo]
    findings: list[Finding]
    """About the register as a whole: facts not given, malformed identifiers."""


def report_date(root: Path) -> dt.date:
    """The date the report speaks for: the build's date (``dates.build_time``)."""
    return build_time(root).date()


def verify(register: Register, root: Path, today: dt.date | None = None) -> list[ResultStatus]:
    """Each planned result's status, with the outputs counted and the reasons."""
    return audit(register, root, today).results


def audit(register: Register, root: Path, today: dt.date | None = None) -> Audit:
    """The whole verification: results, outputs and the register's findings."""
    checker = _Checker(register, root.resolve(), today or report_date(root))
    return checker.run()


# --- identifiers -------------------------------------------------------------------------

def scopus_id_valid(value: str) -> bool:
    return re.fullmatch(r"\d{10,11}", value.strip()) is not None


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader  # lazy: start-up time of check
    reader = PdfReader(str(path))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


# --- the bibliography of outputs ---------------------------------------------------------

@dataclass
class BibEntry:
    key: str
    fields: dict
    line: int

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return re.sub(r"[{}]", "", strip_delimiters(value)).strip() if value else None

    @property
    def year(self) -> int | None:
        value = self.get("year") or (self.get("date") or "")[:4]
        return int(value) if value and value.isdigit() else None

    @property
    def date(self) -> dt.date | None:
        value = self.get("date") or ""
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None

    def label(self) -> str:
        authors = " and ".join(filter(None, [self.get("author")]))
        names = ", ".join(a.strip() for a in authors.split(" and ") if a.strip())
        parts = [names, self.get("title"),
                 self.get("journaltitle"),
                 str(self.year) if self.year else None]
        text = ". ".join(p.rstrip(".") for p in parts if p) + "."
        doi = self.get("doi")
        return text + (f" DOI: {doi}" if doi else "")


def read_outputs_bib(root: Path) -> tuple[dict[str, BibEntry], list[Finding]]:
    path = root / OUTPUTS_BIB
    if not path.exists():
        return {}, [Finding(msg("reg.register.bib_missing", path=OUTPUTS_BIB), OUTPUTS_BIB,
                            blocking=False)]
    # The sources' own reader: biblatex's names (``journal`` is ``journaltitle``,
    # ``year`` gives ``date``), crossref resolved; not the GOST checks of a source list.
    bib, problems = load_bib_files(root, [path], gost=False)
    findings = [Finding(msg("reg.register.bib_broken"), OUTPUTS_BIB, p.line, blocking=False)
                for p in problems if p.severity == "error"]
    entries = {key: BibEntry(key, s.fields, s.line) for key, s in bib.sources.items()}
    return entries, findings


# --- the checks --------------------------------------------------------------------------

class _Checker:
    """Applies the plan's criteria to the outputs; one instance per audit."""

    def __init__(self, register: Register, root: Path, today: dt.date):
        self.reg, self.root, self.today = register, root, today
        self.file = register.file
        self.bib, self.findings = read_outputs_bib(root)
        self._pdf_cache: dict[str, str | None] = {}

    def run(self) -> Audit:
        self._check_register()
        outputs = self._outputs()
        # For each plan item: the outputs considered, and the blocking findings of each.
        considered: dict[str, dict[str, list[Finding]]] = {}
        for item in self.reg.plan:
            considered[item.id] = {info.ref: self._check(item, info)
                                   for info in outputs if self._considers(item, info)}
        assigned = _share_out(self.reg.plan, considered)
        by_ref = {o.ref: o for o in outputs}
        for result_id, refs in assigned.items():
            for ref in refs:
                by_ref[ref].counted_for = result_id
        results = [self._status(item, considered[item.id], assigned[item.id], by_ref)
                   for item in self.reg.plan]
        for info in outputs:
            info.facts = self._facts(info)
        return Audit(self.reg, self.today, results, outputs, self.findings)

    # Which outputs a result looks at --------------------------------------------------

    def _considers(self, item: PlanItem, info: OutputInfo) -> bool:
        record = info.source
        if info.kind != item.kind:
            return False
        if record.results:
            return item.id in record.results
        return self._matches(item, record) is None

    def _matches(self, item: PlanItem, record) -> Text | None:
        """None when every ``match`` field holds, else what failed."""
        for name, fragments in item.criteria.match.items():
            value = _norm(str(getattr(record, name, None) or ""))
            if not any(_norm(f) in value for f in fragments):
                return msg("reg.why.no_match", field=msg("reg.field." + name),
                           allowed=_alternatives(fragments),
                           found=getattr(record, name, None) or "—")
        return None

    # The register's own facts -----------------------------------------------------------

    def _check_register(self) -> None:
        grant, note = self.reg.grant, self.findings.append
        for name, value in (("irn", grant.irn), ("funder", grant.funder),
                            ("programme", grant.programme), ("host", grant.host),
                            ("period.start", grant.period.start), ("period.end", grant.period.end)):
            if value in (None, ""):
                note(Finding(msg("reg.register.grant_missing", what=msg("reg.grant." + name)), self.file,
                             self.reg.line("grant", *name.split(".")), blocking=False, pending=True))
        if not self.reg.team:
            note(Finding(msg("reg.register.team_empty"), self.file, self.reg.line("team"),
                         blocking=False, pending=True))
        for i, member in enumerate(self.reg.team):
            line = lambda key: self.reg.line("team", i, key)  # noqa: E731
            if member.orcid and not orcid_valid(member.orcid):
                note(Finding(msg("reg.id.orcid", value=member.orcid), self.file, line("orcid")))
            if member.scopus_id and not scopus_id_valid(member.scopus_id):
                note(Finding(msg("reg.id.scopus", value=member.scopus_id), self.file, line("scopus_id")))
            if member.photo and not self._exists(member.photo):
                note(Finding(msg("reg.evidence.missing_file", path=member.photo), self.file, line("photo")))
        used = {a.key for a in self.reg.outputs.articles}
        for key, entry in self.bib.items():
            if key not in used:
                note(Finding(msg("reg.register.bib_unused", key=key), OUTPUTS_BIB, entry.line,
                             blocking=False))

    # All outputs ------------------------------------------------------------------------

    def _outputs(self) -> list[OutputInfo]:
        out = self.reg.outputs
        infos = []
        for a in out.articles:
            entry = self.bib.get(a.key)
            date = a.published or (entry.date if entry else None)
            year = date.year if date else (entry.year if entry else None)
            label = entry.label() if entry else a.key
            evidence = [e for ix in a.indexing for r in (ix.wos, ix.scopus, ix.koksnvo) if r
                        for e in r.evidence]
            checks = self._evidence(evidence + ([Evidence(file=a.pdf, what="PDF")] if a.pdf else []))
            infos.append(OutputInfo(f"article:{a.key}", "article", label, date, year, checks, source=a))
        for e in out.events:
            label = ", ".join(filter(None, [e.name, e.organiser, e.city, e.country]))
            if e.talk:
                label += f". «{e.talk}»"
            infos.append(OutputInfo(f"event:{e.id}", "event", label, e.start,
                                    e.start.year if e.start else None, self._evidence(e.evidence),
                                    source=e))
        for tr in out.trainings:
            label = ", ".join(filter(None, [f"«{tr.course}»", tr.organisation, tr.city, tr.country]))
            if tr.hours:
                label += f" ({tr.hours} ч.)"
            infos.append(OutputInfo(f"training:{tr.id}", "training", label, tr.start,
                                    tr.start.year if tr.start else None,
                                    self._evidence(tr.certificates), source=tr))
        if out.monograph:
            m = out.monograph
            title = m.title.ru if m.title else ""
            label = ". ".join(filter(None, [title, ", ".join(filter(None, [m.city, m.publisher,
                              str(m.year) if m.year else None])), f"ISBN {m.isbn}" if m.isbn else None]))
            files = m.evidence + ([Evidence(file=m.pdf, what="PDF")] if m.pdf else [])
            infos.append(OutputInfo("monograph", "monograph", label or "—", None, m.year,
                                    self._evidence(files), source=m))
        return infos

    def _evidence(self, items: list[Evidence]) -> list[EvidenceCheck]:
        return [EvidenceCheck(e.url or e.file, e.what, bool(e.url),
                              None if e.url else self._exists(e.file)) for e in items]

    def _exists(self, relative: str) -> bool:
        path = (self.root / relative).resolve()
        return path.is_relative_to(self.root) and path.is_file()

    # One output against one result ----------------------------------------------------

    def _check(self, item: PlanItem, info: OutputInfo) -> list[Finding]:
        """The reasons ``info`` does not count toward ``item`` (empty: it qualifies)."""
        record = info.source
        kind = {"article": self._article, "event": self._event,
                "training": self._training, "monograph": self._monograph}[info.kind]
        index = self._index_of(info)
        found: list[Finding] = []

        def why(text: Text, *loc, pending: bool = False, blocking: bool = True):
            found.append(Finding(text, self.file, self.reg.line(*index, *loc) if index else 0,
                                 info.ref, blocking, pending))

        if record.results:
            failed = self._matches(item, record)
            if failed:
                why(failed, "results")
        kind(item, record, info, why)
        if item.criteria.within_period:
            self._period(info, why)
        return found

    def _index_of(self, info: OutputInfo) -> tuple:
        out = self.reg.outputs
        if info.kind == "monograph":
            return ("outputs", "monograph")
        group = {"article": out.articles, "event": out.events, "training": out.trainings}[info.kind]
        name = {"article": "articles", "event": "events", "training": "trainings"}[info.kind]
        return ("outputs", name, next(i for i, r in enumerate(group) if r is info.source))

    def _period(self, info: OutputInfo, why) -> None:
        period = self.reg.grant.period
        record = info.source
        days = [d for d in (getattr(record, "start", None), getattr(record, "end", None)) if d]
        if info.kind == "article" and info.date:
            days = [info.date]
        if not (period.start and period.end):
            if days or info.year:
                why(msg("reg.why.period_unknown"), blocking=False, pending=True)
            return
        if days:
            outside = [d for d in days if not period.contains(d)]
            if outside:
                why(msg("reg.why.outside_period", date=outside[0].isoformat(),
                        start=period.start.isoformat(), end=period.end.isoformat()),
                    "end" if len(days) > 1 and outside[0] == days[-1] else
                    ("start" if info.kind != "article" else "published"))
        elif info.year is not None:
            if not period.start.year <= info.year <= period.end.year:
                why(msg("reg.why.outside_period", date=str(info.year),
                        start=period.start.isoformat(), end=period.end.isoformat()), "year")

    def _article(self, item: PlanItem, a: Article, info: OutputInfo, why) -> None:
        crit = item.criteria
        entry = self.bib.get(a.key)
        if entry is None:
            why(msg("reg.why.bib_missing", key=a.key, path=OUTPUTS_BIB), "key", pending=True)
        elif entry.get("doi") and not doi_valid(entry.get("doi")):
            why(msg("reg.id.doi", value=entry.get("doi")), "key", pending=True)
        if a.status not in crit.status:
            allowed = ", ".join(msg("reg.status." + s).ru for s in crit.status)
            why(msg("reg.why.article_status", status=msg("reg.status." + a.status), allowed=allowed),
                "status", pending=_ARTICLE_ORDER.index(a.status) < min(
                    _ARTICLE_ORDER.index(s) for s in crit.status))
        elif info.year is None:
            why(msg("reg.why.no_date"), "status", pending=True)
        if crit.indexing_any:
            self._indexing(item, a, info, why)
        if crit.acknowledgement:
            self._acknowledgement(a, why)
        if crit.evidence and a.pdf and not self._exists(a.pdf):
            why(msg("reg.evidence.missing_file", path=a.pdf), "pdf", pending=True)

    def _indexing(self, item: PlanItem, a: Article, info: OutputInfo, why) -> None:
        year = info.year if a.status == "published" else None
        records = [ix for ix in a.indexing if ix.year == year] if year else a.indexing[-1:]
        if not records:
            why(msg("reg.why.no_indexing", year=year or "—"), "indexing", pending=True)
            return
        record = records[0]
        pos = a.indexing.index(record)
        rules = item.criteria.indexing_any
        passing = [r for r in rules if _rule_holds(r, record)]
        if not passing:
            why(msg("reg.why.indexing_fails", year=record.year, found=_indexing_text(record),
                    needed=_rules_text(rules)), "indexing", pos)
            return
        if item.criteria.evidence:
            evidence = _rule_evidence(passing[0], record)
            if not evidence:
                why(msg("reg.why.indexing_no_evidence", year=record.year), "indexing", pos, pending=True)
            for e in evidence:
                if e.file and not self._exists(e.file):
                    why(msg("reg.evidence.missing_file", path=e.file), "indexing", pos, pending=True)

    def _acknowledgement(self, a: Article, why) -> None:
        if a.acknowledgement is None:
            why(msg("reg.why.ack_unknown"), "acknowledgement", pending=True)
        elif a.acknowledgement is False:
            why(msg("reg.why.ack_absent"), "acknowledgement")
        if not a.pdf or not self._exists(a.pdf):
            return
        irn = self.reg.grant.irn
        if not irn:
            why(msg("reg.why.irn_unknown"), "pdf", pending=True)
            return
        text = self._pdf_text(a.pdf)
        if text is None:
            why(msg("reg.why.pdf_unreadable", path=a.pdf), "pdf", pending=True)
        elif irn_key(irn) not in irn_key(text):
            why(msg("reg.why.irn_not_in_pdf", irn=irn, path=a.pdf), "pdf")

    def _pdf_text(self, relative: str) -> str | None:
        if relative not in self._pdf_cache:
            try:
                self._pdf_cache[relative] = pdf_text(self.root / relative)
            except Exception:  # a damaged PDF is reported, not raised
                self._pdf_cache[relative] = None
        return self._pdf_cache[relative]

    def _participation(self, item: PlanItem, people: list[str], evidence: list[Evidence],
                       start, why, people_key: str, evidence_key: str) -> None:
        crit = item.criteria
        if start is None:
            why(msg("reg.why.no_dates"), "start", pending=True)
        if crit.team_member and not people:
            why(msg("reg.why.no_people"), people_key, pending=True)
        if crit.evidence:
            if not evidence:
                why(msg("reg.why.no_evidence"), evidence_key, pending=True)
            for j, e in enumerate(evidence):
                if e.file and not self._exists(e.file):
                    why(msg("reg.evidence.missing_file", path=e.file), evidence_key, j, pending=True)

    def _event(self, item: PlanItem, e: Event, info: OutputInfo, why) -> None:
        self._participation(item, e.speakers, e.evidence, e.start, why, "speakers", "evidence")

    def _training(self, item: PlanItem, tr: Training, info: OutputInfo, why) -> None:
        self._participation(item, tr.participants, tr.certificates, tr.start, why,
                            "participants", "certificates")
        if item.criteria.evidence and tr.certificates and len(tr.certificates) < len(tr.participants):
            why(msg("reg.why.certificates_short", n=len(tr.certificates), m=len(tr.participants)),
                "certificates", blocking=False, pending=True)

    def _monograph(self, item: PlanItem, m: Monograph, info: OutputInfo, why) -> None:
        crit = item.criteria
        if crit.isbn:
            if not m.isbn:
                why(msg("reg.why.no_isbn"), "isbn", pending=True)
            elif not isbn_valid(m.isbn):
                why(msg("reg.id.isbn", value=m.isbn), "isbn", pending=True)
        if not m.publisher:
            why(msg("reg.why.no_publisher"), "publisher", pending=True)
        if not m.year:
            why(msg("reg.why.no_year"), "year", pending=True)
        if crit.evidence:
            if not (m.pdf or m.evidence):
                why(msg("reg.why.no_evidence"), "pdf", pending=True)
            if m.pdf and not self._exists(m.pdf):
                why(msg("reg.evidence.missing_file", path=m.pdf), "pdf", pending=True)
            for j, e in enumerate(m.evidence):
                if e.file and not self._exists(e.file):
                    why(msg("reg.evidence.missing_file", path=e.file), "evidence", j, pending=True)

    # The facts behind a verdict --------------------------------------------------------

    def _people(self, ids: list[str]) -> Text | None:
        if not ids:
            return None
        names = [self.reg.member(i).name if self.reg.member(i) else None for i in ids]
        return Text(*(", ".join(n.get(lang) if n else i for n, i in zip(names, ids))
                      for lang in ("ru", "en", "kk")))

    def _facts(self, info: OutputInfo) -> list[Fact]:
        """What the output is, in the terms of the criteria: only what the register gives."""
        record, pairs = info.source, []
        if info.kind == "article":
            entry = self.bib.get(record.key)
            pairs += [("journal", entry.get("journaltitle") or entry.get("journal") if entry else None),
                      ("status", msg("reg.status." + record.status)),
                      ("published", info.date or info.year)]
            for ix in record.indexing:
                if ix.wos:
                    pairs.append(("wos", msg("reg.fact.wos.value", index=ix.wos.index, year=ix.year)))
                if ix.scopus:
                    key = "reg.fact.scopus.subject" if ix.scopus.subject else "reg.fact.scopus.value"
                    pairs.append(("scopus", msg(key, percentile=ix.scopus.percentile,
                                                subject=ix.scopus.subject or "", year=ix.year)))
                if ix.koksnvo:
                    listed = ix.koksnvo.list_name or msg("reg.rule.koksnvo")
                    when = (msg("reg.fact.koksnvo.date", date=Text(*(format_date(ix.koksnvo.date, lang)
                                for lang in ("ru", "en", "kk")))) if ix.koksnvo.date else "")
                    pairs.append(("koksnvo", msg("reg.fact.koksnvo.value", list=listed, year=ix.year,
                                                 date=when)))
            pairs += [("authors", self._people(record.authors)),
                      ("doi", entry.get("doi") if entry else None),
                      ("acknowledgement", msg("reg.fact.yes") if record.acknowledgement else None)]
        elif info.kind in ("event", "training"):
            place = ", ".join(filter(None, [record.city, record.country])) or None
            dates = (record.start, record.end) if record.start else None
            if info.kind == "event":
                pairs += [("name", record.name), ("organiser", record.organiser), ("dates", dates),
                          ("place", place), ("talk", record.talk),
                          ("speakers", self._people(record.speakers))]
            else:
                pairs += [("course", record.course), ("organisation", record.organisation),
                          ("dates", dates), ("place", place), ("hours", record.hours),
                          ("participants", self._people(record.participants))]
        else:
            pairs += [("title", record.title.ru if record.title else None), ("isbn", record.isbn),
                      ("publisher", record.publisher), ("city", record.city), ("year", record.year),
                      ("print_run", record.print_run)]
        return [Fact(msg("reg.fact." + name), value) for name, value in pairs
                if value not in (None, "", [])]

    # The verdict ------------------------------------------------------------------------

    def _status(self, item: PlanItem, considered: dict[str, list[Finding]],
                assigned: list[str], by_ref: dict[str, OutputInfo]) -> ResultStatus:
        deadline = item.deadline or self.reg.grant.period.end
        achieved = len(assigned)
        overdue = deadline is not None and self.today > deadline and achieved < item.count
        reasons: list[Finding] = []
        met = achieved >= item.count
        # Work has started on the result once an output is recorded for it (not only
        # one that already counts): an output counted toward another result is not.
        progress = achieved > 0 or any(by_ref[ref].counted_for in (None, item.id)
                                       for ref in considered)
        for ref, found in considered.items():
            blocking = [f for f in found if f.blocking]
            claimed = item.id in by_ref[ref].source.results
            if ref in assigned:
                reasons += [f for f in found if not f.blocking]
            elif claimed or not met:
                # A met result does not list every other output that does not fit it.
                reasons += found
            elsewhere = by_ref[ref].counted_for
            where = (self.file, self.reg.line(*self._index_of(by_ref[ref])))
            if met and not claimed:
                continue
            if not blocking and ref not in assigned and elsewhere:
                reasons.append(Finding(msg("reg.why.counted_elsewhere", result=elsewhere), *where,
                                       output=ref))
            elif not blocking and ref not in assigned:
                reasons.append(Finding(msg("reg.why.surplus"), *where, output=ref, blocking=False))
        if met:
            status = "met"
        elif overdue:
            status = "overdue"
        elif progress:
            status = "in_progress"
        else:
            status = "planned"
        missing = []
        if achieved < item.count:
            missing.append(msg("reg.missing.count", n=item.count - achieved,
                               kind=msg(f"reg.kind.{item.kind}.many")))
            if deadline is None:
                missing.append(msg("reg.missing.deadline"))
        return ResultStatus(item, status, item.count, achieved, [by_ref[r] for r in assigned],
                            reasons, missing, criteria_text(item), deadline, overdue)


_ARTICLE_ORDER = ["planned", "submitted", "accepted", "published"]


def _alternatives(fragments: list[str]) -> Text:
    sep = msg("reg.or")
    quoted = [f"«{f}»" for f in fragments]
    return Text(sep.ru.join(quoted), sep.en.join(quoted))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _rule_holds(rule: IndexRule, record: Indexing) -> bool:
    checks = []
    if rule.wos:
        checks.append(record.wos is not None and record.wos.index in rule.wos)
    if rule.scopus_percentile_min is not None:
        checks.append(record.scopus is not None and record.scopus.percentile >= rule.scopus_percentile_min)
    if rule.koksnvo:
        checks.append(record.koksnvo is not None)
    return bool(checks) and all(checks)


def _rule_evidence(rule: IndexRule, record: Indexing) -> list[Evidence]:
    evidence = []
    if rule.wos and record.wos:
        evidence += record.wos.evidence
    if rule.scopus_percentile_min is not None and record.scopus:
        evidence += record.scopus.evidence
    if rule.koksnvo and record.koksnvo:
        evidence += record.koksnvo.evidence
    return evidence


def _rule_text(rule: IndexRule) -> Text:
    parts = []
    if rule.wos:
        parts.append(msg("reg.rule.wos", indexes=", ".join(rule.wos)))
    if rule.scopus_percentile_min is not None:
        parts.append(msg("reg.rule.scopus", min=rule.scopus_percentile_min))
    if rule.koksnvo:
        parts.append(msg("reg.rule.koksnvo"))
    return Text(*(" + ".join(getattr(p, lang) for p in parts) for lang in ("ru", "en")))


def _rules_text(rules: list[IndexRule]) -> Text:
    texts = [_rule_text(r) for r in rules]
    sep = msg("reg.or")
    return Text(sep.ru.join(t.ru for t in texts), sep.en.join(t.en for t in texts))


def _indexing_text(record: Indexing) -> Text:
    parts = []
    if record.wos:
        parts.append(msg("reg.found.wos", index=record.wos.index))
    if record.scopus:
        parts.append(msg("reg.found.scopus", percentile=record.scopus.percentile))
    if record.koksnvo:
        parts.append(msg("reg.found.koksnvo"))
    if not parts:
        return msg("reg.found.none")
    return Text("; ".join(p.ru for p in parts), "; ".join(p.en for p in parts))


def criteria_text(item: PlanItem) -> list[Text]:
    """The result's criteria in words, for the report."""
    crit, lines = item.criteria, []
    lines.append(msg("reg.crit.count", n=item.count, kind=msg(f"reg.kind.{item.kind}.many")))
    if item.kind == "article":
        lines.append(msg("reg.crit.status", allowed=Text(
            ", ".join(msg("reg.status." + s).ru for s in crit.status),
            ", ".join(msg("reg.status." + s).en for s in crit.status))))
        if crit.indexing_any:
            lines.append(msg("reg.crit.indexing", rules=_rules_text(crit.indexing_any)))
        if crit.acknowledgement:
            lines.append(msg("reg.crit.acknowledgement"))
    for name, fragments in crit.match.items():
        lines.append(msg("reg.crit.match", field=msg("reg.field." + name),
                         allowed=_alternatives(fragments)))
    if item.kind in ("event", "training") and crit.team_member:
        lines.append(msg("reg.crit.team_member"))
    if item.kind == "monograph" and crit.isbn:
        lines.append(msg("reg.crit.isbn"))
    if crit.evidence:
        lines.append(msg(f"reg.crit.evidence.{item.kind}"))
    if crit.within_period:
        lines.append(msg("reg.crit.period"))
    return lines


def _share_out(plan: list[PlanItem], considered: dict[str, dict[str, list[Finding]]]
               ) -> dict[str, list[str]]:
    """Qualifying outputs → results, each output once, filling as many places as possible.

    A bipartite matching (augmenting paths) over the results' places in plan order,
    so that an output which fits two results goes where it is needed.
    """
    places = [item.id for item in plan for _ in range(item.count)]
    fits = {p: [ref for ref, found in considered[p].items() if not any(f.blocking for f in found)]
            for p in {item.id for item in plan}}
    owner: dict[str, int] = {}  # output ref → place index

    def place(i: int, seen: set[str]) -> bool:
        for ref in fits[places[i]]:
            if ref in seen:
                continue
            seen.add(ref)
            if ref not in owner or place(owner[ref], seen):
                owner[ref] = i
                return True
        return False

    for i in range(len(places)):
        place(i, set())
    assigned: dict[str, list[str]] = {item.id: [] for item in plan}
    order: dict[str, int] = {}
    for refs in considered.values():
        for ref in refs:
            order.setdefault(ref, len(order))
    for ref, i in sorted(owner.items(), key=lambda x: order[x[0]]):
        assigned[places[i]].append(ref)
    return assigned


def read_grant(root: Path) -> tuple[Register, Audit] | None:
    """The register under ``root`` and its audit, or None when there is no project.yml."""
    if not has_register(root):
        return None
    register = load_register(root)
    return register, audit(register, root)
