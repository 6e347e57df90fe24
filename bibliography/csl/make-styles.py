"""gost.csl.in → gost-7.1-2003.csl and gost-r-7.0.100-2018.csl.

The two profiles differ only in the values below; everything else (footnotes
after GOST R 7.0.5-2008, the areas, the words by language) is shared.
Run: .venv/bin/python bibliography/csl/make-styles.py
"""

from pathlib import Path

HERE = Path(__file__).parent

GMD = """    <choose>
      <if variable="gp-electronic">
        <choose>
          <if variable="gp-latin"><text value="[Electronic resource]"/></if>
          <else><text value="[Электронный ресурс]"/></else>
        </choose>
      </if>
    </choose>"""
def content_type(direct: bool) -> str:
    """The content-type area; ``direct``: print resources get «непосредственный»
    (``gp-print``: biblatex-gost's media says print, though a URL is given)."""
    words = """
        <choose>
          <if variable="gp-latin"><text value="Text : unmediated"/></if>
          <else><text value="Текст : непосредственный"/></else>
        </choose>
      """ if direct else ""
    return f"""    <choose>
      <if variable="gp-print">{words}</if>
      <else-if variable="gp-electronic URL" match="any">
        <choose>
          <if variable="gp-latin"><text value="Text : electronic"/></if>
          <else><text value="Текст : электронный"/></else>
        </choose>
      </else-if>
      <else>{words}</else>
    </choose>"""


NOTHING = '    <text value=""/>'
# GOST 7.1-2003: the electronic address is a note (area 7), the ISBN the area of
# the standard number after it (area 8). GOST R 7.0.100-2018 (examples of its
# appendix A): «– ISBN … – URL: … (дата обращения: …). – Текст : электронный.»
LINKS_THEN_ISBN = """      <text macro="links"/>
      <text macro="isbn"/>"""
ISBN_THEN_LINKS = """      <text macro="isbn"/>
      <text macro="links"/>"""

PROFILES = {
    "gost-7.1-2003": {
        "TITLE": "GOST 7.1-2003", "STANDARD": "GOST 7.1-2003", "ID": "gost-7.1-2003",
        "SORTSEP": " ", "EDBY_RU": "под ред.", "EDBY_EN": "ed. by",
        "COMP_RU": "сост.", "COMP_EN": "comp.", "TRANS_RU": "пер.", "TRANS_EN": "transl. by",
        "TRANS_FROM": "пер. с", "FROM": "gp-from-short",
        "PLACE": "gp-place-short", "GMD": GMD, "CONTENT_TYPE": NOTHING,
        "CONTENT_TYPE_NOTE": NOTHING, "LIST_TAIL": LINKS_THEN_ISBN,
        "ACT_DATE": "gp-act-date", "ACT_DATE_WORD": "от 22 июля 2011 г.",
        "ETAL_RULE": "GOST 7.1-2003: four or more authors: the first and «[и др.]»",
        "ETAL_VAR": "gp-authors4", "ETAL_MIN": "4", "ETAL_FIRST": "1",
    },
    "gost-r-7.0.100-2018": {
        "TITLE": "GOST R 7.0.100-2018", "STANDARD": "GOST R 7.0.100-2018",
        "ID": "gost-r-7.0.100-2018", "SORTSEP": ", ", "EDBY_RU": "под редакцией",
        "EDBY_EN": "edited by", "COMP_RU": "составитель", "COMP_EN": "compiled by",
        "TRANS_RU": "перевод", "TRANS_EN": "translated by", "TRANS_FROM": "перевод с",
        "FROM": "gp-from-long", "PLACE": "gp-place-full", "GMD": NOTHING,
        "CONTENT_TYPE": content_type(direct=True), "CONTENT_TYPE_NOTE": content_type(direct=False),
        "LIST_TAIL": ISBN_THEN_LINKS,
        "ACT_DATE": "gp-act-date-long", "ACT_DATE_WORD": "от 22 июля 2011 года",
        "ETAL_RULE": "GOST R 7.0.100-2018: four authors all named; five or more: the first three and «[и др.]»",
        "ETAL_VAR": "gp-authors5", "ETAL_MIN": "5", "ETAL_FIRST": "3",
    },
}


def render(name: str) -> str:
    text = (HERE / "gost.csl.in").read_text("utf-8")
    for key, value in PROFILES[name].items():
        text = text.replace(f"@@{key}@@", value)
    return text


if __name__ == "__main__":
    for name in PROFILES:
        (HERE / f"{name}.csl").write_text(render(name), "utf-8")
