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
CONTENT_TYPE = """    <choose>
      <if variable="gp-electronic URL" match="any">
        <choose>
          <if variable="gp-latin"><text value="Text : electronic"/></if>
          <else><text value="Текст : электронный"/></else>
        </choose>
      </if>
    </choose>"""
NOTHING = '    <text value=""/>'

PROFILES = {
    "gost-7.1-2003": {
        "TITLE": "GOST 7.1-2003", "STANDARD": "GOST 7.1-2003", "ID": "gost-7.1-2003",
        "SORTSEP": " ", "EDBY_RU": "под ред.", "EDBY_EN": "ed. by",
        "PLACE": "gp-place-short", "GMD": GMD, "CONTENT_TYPE": NOTHING,
    },
    "gost-r-7.0.100-2018": {
        "TITLE": "GOST R 7.0.100-2018", "STANDARD": "GOST R 7.0.100-2018",
        "ID": "gost-r-7.0.100-2018", "SORTSEP": ", ", "EDBY_RU": "под редакцией",
        "EDBY_EN": "edited by", "PLACE": "gp-place-full", "GMD": NOTHING,
        "CONTENT_TYPE": CONTENT_TYPE,
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
