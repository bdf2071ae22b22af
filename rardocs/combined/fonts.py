"""Text in the standard fonts Helvetica and Helvetica-Bold: their metrics, WinAnsi
encoding, the width of a text and shortening or wrapping it to a width, the font
objects (``/F1`` and ``/F2``) and the operators that show text with them."""

from __future__ import annotations

import unicodedata

import pikepdf
from pikepdf import Dictionary, Name, Operator, String

# Advance widths (1/1000 em) of Helvetica and Helvetica-Bold in WinAnsiEncoding, codes 32–255,
# from Adobe's core font metrics (AFM); 0 where the code has no character.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
)
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
)
_FONTS = {"/F1": _HELVETICA, "/F2": _HELVETICA_BOLD}  # the contents pages' font names
_PLAIN = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00ad": "", "\u200b": "", "\u2060": "",
          "\ufeff": "", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u2032": "’"}


def winansi(text: str) -> bytes:
    """``text`` in WinAnsiEncoding: what cp1252 lacks becomes its plain form (a letter
    without its accent: ő is o), or "?"."""
    out = bytearray()
    for char in text:
        char = _PLAIN.get(char, char)
        for c in char:
            try:
                out += c.encode("cp1252")
            except UnicodeEncodeError:
                plain = unicodedata.normalize("NFKD", c).encode("cp1252", "ignore")
                letter = unicodedata.category(c).startswith("L") and plain.isalpha()
                out += plain if letter else b"?"
    return bytes(max(b, 32) for b in out)


def text_width(text: str, font: str, size: float) -> float:
    widths = _FONTS[font]
    return sum(widths[b - 32] for b in winansi(text)) * size / 1000


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with "…" to fit ``width``."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text.rstrip() + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while text_width(line, font, size) > width and len(line) > 1:  # a word longer than the line
            cut = len(line)
            while cut > 1 and text_width(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line or not lines else lines


def add_fonts(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    def font(name: str):
        return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(name),
                                            Encoding=Name.WinAnsiEncoding))

    return {"/F1": font("/Helvetica"), "/F2": font("/Helvetica-Bold")}


def show(font, size: float, lines, gray: float = 0.0) -> list:
    ops = [([], Operator("BT")), ([font, size], Operator("Tf")), ([gray], Operator("g"))]
    x0 = y0 = 0.0
    for x, y, text in lines:
        ops.append(([round(x - x0, 2), round(y - y0, 2)], Operator("Td")))
        ops.append(([String(winansi(text))], Operator("Tj")))
        x0, y0 = x, y
    return [*ops, ([], Operator("ET"))]
