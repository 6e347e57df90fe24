"""``grantpress check`` on footnotes written as text: numbered as the book prints
them (the notes that citations make count), each listed with what it looks like."""

from __future__ import annotations

from conftest import make_book, run_cli


def test_text_notes_are_numbered_with_the_citations_and_listed(tmp_path):
    root = make_book(tmp_path)
    chapter = root / "monograph" / "chapters" / "90-end.md"
    chapter.write_text(chapter.read_text("utf-8") + (
        "\nТекст[@ivanov2020, с. 5]. Ещё^[Там же. С. 6.] и[^a], и рисунок @fig:scheme.\n"
        "\n[^a]: Иванов И. И. Вымышленная книга о миграционном праве. 2019. С. 9.\n"
        "\nПояснение автора[^b].\n\n[^b]: Автор благодарит коллег.\n"), "utf-8")
    result = run_cli(root, "check")
    assert result.exit_code == 0, result.output
    # Note 2 («Там же» after a citation) could be a citation now; note 3 has another year.
    assert "monograph/chapters/90-end.md:7: предупреждение: сноска 2: похоже на [@ivanov2020]" \
        in result.output
    assert "monograph/chapters/90-end.md:9: предупреждение: сноска 3: похоже на [@ivanov2020]" \
        in result.output
    assert "сноска 1:" not in result.output and "сноска 4:" not in result.output
