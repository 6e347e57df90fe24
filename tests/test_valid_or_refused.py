"""Valid or refused (issue 18): control characters, undecodable and oversized images.

Each is an error naming the file (and the line, for text), exit status 1, no
traceback, the previous outputs untouched. The fixture is fictional
(tests/books/mini).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_cli
from grantpress.inputs.safety import MAX_IMAGE_PIXELS

CHAPTER = "monograph/chapters/02-second.md"


def _append_line(root: Path, file: str, text: str) -> int:
    """``text`` as a new last line of ``file``; its line number."""
    path = root / file
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, text]) + "\n", "utf-8")
    return len(lines) + 1


def _refused(root: Path, where: str, message: str) -> None:
    before = (root / "build" / "monograph.epub").read_bytes()
    result = run_cli(root, "build", "pdf", "epub")
    assert result.exit_code == 1, result.output
    assert where in result.output and message in result.output, result.output
    assert "Traceback" not in result.output
    assert (root / "build" / "monograph.epub").read_bytes() == before


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x0b", "\ufffe"])
@pytest.mark.parametrize("file", [CHAPTER, "monograph/book.yml",
                                  "monograph/front/annotation.ru.md"])
def test_control_characters_are_an_error_with_file_and_line(char, file, book):
    line = _append_line(book, file, f"# текст{char}с управляющим символом")
    _refused(book, f"{file}:{line}:", f"U+{ord(char):04X}")


def test_tab_newline_and_crlf_are_text(book):
    path = book / CHAPTER
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"\xd0\xa2\xd0\xb0\xd0\xb1\t.\r\n")
    result = run_cli(book, "check")
    assert "U+" not in result.output, result.output


def _figure(root: Path, name: str, data: bytes) -> str:
    (root / "monograph" / "figures" / name).write_bytes(data)
    _append_line(root, CHAPTER, f"\n![Рисунок](../figures/{name})\n")
    return f"monograph/figures/{name}"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _with_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with its header claiming another size (the CRC made to match)."""
    ihdr = bytearray(png[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    return png[:16] + bytes(ihdr) + crc + png[33:]


def _flipped(png: bytes) -> bytes:
    at = png.index(b"IDAT") + 8
    return png[:at] + bytes([png[at] ^ 0x10]) + png[at + 1:]


@pytest.mark.parametrize("data", [
    _png(40, 30)[:60],  # cut short
    b"\x89PNG\r\n\x1a\n" + b"garbage" * 20,  # a PNG signature and nothing readable
    b"GIF89a" + b"\x00" * 40,
    _flipped(_png(40, 30)),  # a bit flipped in the pixels: the chunk's CRC fails
], ids=["truncated", "garbage", "gif garbage", "bit flipped"])
def test_an_undecodable_image_is_an_error_naming_it(data, book):
    where = _figure(book, "broken.png", data)
    _refused(book, where, "рисунок не читается")


def test_an_image_above_the_documented_size_is_refused(book):
    # 30,000 × 30,000: the header alone says so; nothing is decoded.
    where = _figure(book, "huge.png", _with_size(_png(2, 2), 30_000, 30_000))
    assert 30_000 * 30_000 > MAX_IMAGE_PIXELS
    _refused(book, where, "рисунок слишком велик: 900 млн точек")


def test_a_good_png_is_kept(book):
    _figure(book, "good.png", _png(400, 300))
    result = run_cli(book, "build", "epub")
    assert result.exit_code == 0, result.output
