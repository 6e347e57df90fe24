"""CITATION.cff and .zenodo.json: generated from book.yml and the register, valid, and
holding only known facts (tests/fixtures/check/cff-1.2.0.schema.json is the CFF schema)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import REPO, make_book, run_cli
from ruamel.yaml import YAML

SCHEMA = REPO / "tests" / "fixtures" / "check" / "cff-1.2.0.schema.json"


@pytest.fixture(autouse=True)
def _russian():
    from grantpress.core.messages import set_language
    set_language("ru")


def schema_errors(value, schema, root=None, where="$") -> list[str]:
    """A small JSON Schema (draft-07) validator: the keywords the CFF schema uses."""
    root = root or schema
    if "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return schema_errors(value, node, root, where)
    errors = []
    kinds = schema.get("type")
    if kinds:
        names = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float),
                 "boolean": bool, "null": type(None)}
        allowed = kinds if isinstance(kinds, list) else [kinds]
        if not any(isinstance(value, names[k]) and not (k in ("integer", "number")
                                                         and isinstance(value, bool)) for k in allowed):
            return [f"{where}: expected {kinds}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
        if schema.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                errors.append(f"{where}: not a date")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: below minimum")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) < len(value):
            errors.append(f"{where}: items not unique")
        for i, item in enumerate(value):
            if "items" in schema:
                errors += schema_errors(item, schema["items"], root, f"{where}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: {key} is required")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unknown property {key}")
    for branch in schema.get("anyOf", []) and [schema["anyOf"]]:
        if all(schema_errors(value, s, root, where) for s in branch):
            errors.append(f"{where}: matches none of anyOf")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not schema_errors(value, s, root, where)]
        if len(matching) != 1:
            errors.append(f"{where}: matches {len(matching)} of oneOf")
    return errors


def load_cff(path):
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(path.read_text("utf-8")),
                                 default=str))


def cff_schema():
    return json.loads(SCHEMA.read_text("utf-8"))


def test_validator_rejects_bad_cff():
    schema = cff_schema()
    assert schema_errors({"cff-version": "1.2.0", "message": "m", "title": "t", "authors": []}, schema)
    assert schema_errors({"cff-version": "1.2.0", "message": "m", "title": "t",
                          "authors": [{"name": "x"}], "doi": "not-a-doi"}, schema)
    assert not schema_errors({"cff-version": "1.2.0", "message": "m", "title": "t",
                              "authors": [{"family-names": "Тестов", "given-names": "Т. Т."}]}, schema)


def test_mini_book_files_are_valid_and_carry_its_facts(tmp_path):
    root = make_book(tmp_path)
    result = run_cli(root, "meta")
    assert result.exit_code == 0, result.output
    assert "Записан CITATION.cff" in result.output
    assert "Не указано и потому не включено: publisher, isbn" in result.output
    cff = load_cff(root / "CITATION.cff")
    assert not schema_errors(cff, cff_schema())
    assert cff["authors"] == [{"family-names": "Тестов", "given-names": "Т. Т."},
                              {"family-names": "Әбенова", "given-names": "Ә. Ә."}]
    cited = cff["preferred-citation"]
    assert cited["type"] == "book" and cited["year"] == 2026 and cited["languages"] == ["ru"]
    assert "isbn" not in cited and "publisher" not in cited and "doi" not in cff
    assert "date-released" not in cff
    zenodo = json.loads((root / ".zenodo.json").read_text("utf-8"))
    assert zenodo["upload_type"] == "publication" and zenodo["publication_type"] == "book"
    assert zenodo["creators"] == [{"name": "Тестов, Т. Т."}, {"name": "Әбенова, Ә. Ә."}]
    assert zenodo["language"] == "rus" and zenodo["imprint_place"] == "Алматы"
    assert zenodo["notes"] == ("Монография подготовлена в рамках проекта «Тестовый проект», "
                               "ИРН AP00000000, грантодатель: Вымышленный фонд.")
    assert "publication_date" not in zenodo and "doi" not in zenodo and "license" not in zenodo
    assert run_cli(root, "meta").output.startswith("Без изменений: CITATION.cff")
    assert run_cli(root, "meta", "--check").exit_code == 0


def test_register_gives_full_names_and_orcid(tmp_path):
    root = make_book(tmp_path)
    register = (REPO / "tests/fixtures/check/broken/project.yml").read_text("utf-8")
    (root / "project.yml").write_text(register, "utf-8")
    run_cli(root, "meta")
    cff = load_cff(root / "CITATION.cff")
    assert cff["authors"][0] == {"family-names": "Тестов", "given-names": "Тест Тестович",
                                 "affiliation": "Вымышленный университет",
                                 "orcid": "https://orcid.org/0000-0002-1825-0097"}
    assert not schema_errors(cff, cff_schema())
    zenodo = json.loads((root / ".zenodo.json").read_text("utf-8"))
    assert zenodo["creators"][0]["orcid"] == "0000-0002-1825-0097"


def test_stale_files_are_a_check_warning(tmp_path):
    root = make_book(tmp_path)
    run_cli(root, "meta")
    book = root / "monograph/book.yml"
    book.write_text(book.read_text("utf-8").replace("year: 2026", "year: 2027"), "utf-8")
    assert run_cli(root, "meta", "--check").exit_code == 1
    output = run_cli(root, "check").output
    assert "CITATION.cff:1: предупреждение: CITATION.cff не соответствует" in output
    assert "grantpress meta" in output


def test_repository_files_are_up_to_date_valid_and_invent_nothing():
    """The committed files are what «grantpress meta» makes now (run it after editing book.yml)."""
    result = run_cli(REPO, "meta", "--check")
    assert result.exit_code == 0, result.output + " (run: .venv/bin/grantpress meta)"
    cff = load_cff(REPO / "CITATION.cff")
    assert not schema_errors(cff, cff_schema())
    from grantpress.inputs.project import load_project
    book = load_project(REPO).book
    for key, value in (("year", book.year), ("isbn", book.isbn), ("publisher", book.publisher)):
        assert (key in cff["preferred-citation"]) == bool(value)
    assert "doi" not in cff and "date-released" not in cff and "license" not in cff
    zenodo = json.loads((REPO / ".zenodo.json").read_text("utf-8"))
    if not (book.authors or any(c.meta.authors for c in load_project(REPO).chapters)):
        # no author is named yet: the research group as a whole, not an invented person
        assert zenodo["creators"] == [{"name": cff["authors"][0]["name"]}]
        assert cff["authors"][0]["name"].startswith("Исследовательская группа проекта «")
    assert "publication_date" not in zenodo and "doi" not in zenodo
