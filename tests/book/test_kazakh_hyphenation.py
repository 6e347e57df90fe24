"""Kazakh hyphenation (tools/grantpress/book/pdf/hyphenation): the patterns pyphen and
WeasyPrint load for ``kk``, scored on words whose division the rules give.

The rules are those of «Қазақ тілінің негізгі емле ережелері» (Government
decree No. 1150 of 5 November 2013, «Тасымал»), as the teaching pages below
state them, each with its examples; a word is listed with every break the rules
allow (the syllable boundaries, less those that would leave or carry a single
letter):

* https://all.aikyn.kz/qazaq_tili/буын-мен-тасымал.html «Буын мен тасымал»:
  ба-ла-лар, а-та, ас-та-на, ек-пін, бал-шық, бат-пақ, бөл-шек, таң-дау,
  сақ-тау, көк-тем, жар-ғақ, қа-лам, қа-зір, мек-теп, ақыл-дас-тық, ха-бар-лан-ды-ру;
* https://tarbie.kz/20404 «Сөздердің тасымалдануы»: ала-қан, ор-на-лас-ты-ру;
  й and у between vowels begin the next syllable (да-уыс, са-уат, да-йын-дық,
  құ-йын); и and у for ый, ій, ұу, үу end theirs (бу-ын, су-ық, қи-ын, ти-ын,
  жи-ын); of three consonants two stay (құмырс-қа, күңгірт-теу, жаңғырт-ты);
* https://ent-2014.kz/tutorials/tasymal-perenos.html «Тасымал»: жа-уап, қа-йын,
  са-уын, ке-йін, қа-уын, жа-уын, ба-уыр, та-уар; no break in a one-syllable
  word (қант, төрт, бұлт) nor of a one-letter syllable (а-та, ә-ке);
* http://emirsaba.org/trsinova-g-t.html?page=8 «Тасымал»: ке-ре-ге; ар-мия (арми-я is not allowed).
"""

from __future__ import annotations

import pyphen
import pytest

from grantpress.book.pdf.hyphenation import DICTIONARY, patterns, register

WORDS = """
ба-ла-лар ата ат-ты ана әке әже қа-ла да-ла ас-та-на ек-пін ек-ше ар-шы бал-шық
бат-пақ бөл-шек таң-дау сақ-тау көк-тем жар-ғақ қа-лам қа-зір мек-теп ақыл-дас-тық
ха-бар-лан-ды-ру ала-қан ор-на-лас-ты-ру да-уыс са-уат да-йын-дық құ-йын бу-ын су-ық
қи-ын ти-ын жи-ын құ-мырс-қа күң-гірт-теу жаң-ғырт-ты жа-уап қа-йын са-уын ке-йін
қа-уын жа-уын ба-уыр та-уар қант төрт бұлт ке-ре-ге ар-мия
""".split()

SCORE = 0.95
"""Share of the words divided exactly as listed that the patterns must reach."""


@pytest.fixture(scope="module")
def kazakh():
    register()
    return pyphen.Pyphen(lang="kk")


def test_the_dictionary_is_the_generators_output():
    assert DICTIONARY.read_text("utf-8") == patterns()


def test_pyphen_finds_the_dictionary_for_kk_and_kk_kz(kazakh):
    register()
    assert pyphen.language_fallback("kk-KZ") in ("kk_KZ", "kk")
    assert pyphen.language_fallback("kk") in ("kk_KZ", "kk")
    assert kazakh.inserted("Қазақстан") == "Қа-зақс-тан"


def test_word_list_score(kazakh):
    wrong = [(w, kazakh.inserted(w.replace("-", ""))) for w in WORDS
             if kazakh.inserted(w.replace("-", "")) != w]
    score = 1 - len(wrong) / len(WORDS)
    print(f"Kazakh word list: {len(WORDS) - len(wrong)}/{len(WORDS)} = {score:.3f}; wrong: {wrong}")
    assert score >= SCORE, wrong


def test_no_single_letter_is_left_or_carried(kazakh):
    text = ("Монография Қазақстан Республикасының аумағындағы заңсыз және мәжбүрлі "
            "көші-қон процестерін құқықтық реттеуге арналған тәуелсіздік халықаралық "
            "ынтымақтастығы мемлекеттердің қызметкерлеріне әуежай өңірде үкімет һәм").split()
    for word in text:
        for part in kazakh.inserted(word).split("-"):
            assert len(part) >= 2, (word, kazakh.inserted(word))


def test_weasyprint_hyphenates_kazakh_text(tmp_path):
    """A narrow column of Kazakh text is hyphenated where the patterns allow."""
    import subprocess

    from weasyprint import HTML
    register()
    words = "мемлекеттердің халықаралық ынтымақтастығы қызметкерлеріне " * 4
    html = ("<html lang=kk><style>@page { size: 40mm 120mm; margin: 3mm } "
            "p { font: 10pt 'PT Serif', 'DejaVu Serif'; hyphens: auto; text-align: justify }"
            f"</style><p>{words}</p></html>")
    pdf = tmp_path / "kk.pdf"
    HTML(string=html).write_pdf(pdf)
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split()
    broken = [w for w in lines if w.endswith(("-", "\u2010"))]
    assert broken, lines
    kazakh = pyphen.Pyphen(lang="kk")
    for piece in broken:
        assert any(kazakh.inserted(w).replace("-", "|").startswith(piece[:-1] + "|")
                   for w in words.split()), piece
