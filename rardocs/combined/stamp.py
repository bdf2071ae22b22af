"""The band on every bilag page: the page's content scaled into the part under it,
the bilag's label and page number written in it, the page's links moved along."""

from __future__ import annotations

from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from .fonts import fit, show, text_width
from .tags import artifact

#: The band at the top of every bilag page: its height, and the size of its text (points).
BAND = 28.0
BAND_TEXT = 8.5
_BALANCE_OPERATORS = "q Q BMC BDC EMC"


def stamp(page: pikepdf.Page, label: str, number: str, font, wrap: tuple | None) -> None:
    """Scale the page's content into the part under the band and write ``label`` and ``number`` in the band.

    The band is at the top as the page is shown (``/Rotate`` included); ``wrap``, a
    (tag, properties) pair, puts the page's own content in one marked-content sequence.
    """
    x0, y0, x1, y1 = _box(page)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    # shown (u, v) → page (x, y), as [a b c d e f]: x = a·u + c·v + e, y = b·u + d·v + f
    shown = {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0),
             180: (-1, 0, 0, -1, x1, y1), 270: (0, -1, 1, 0, x0, y1)}.get(rotate, (1, 0, 0, 1, x0, y0))
    wide, high = (x1 - x0, y1 - y0) if rotate in (0, 180) else (y1 - y0, x1 - x0)
    band = min(BAND, 0.08 * high)
    scale = (high - band) / high
    a, b, _, _, e, f = shown
    px, py = a * wide / 2 + e, b * wide / 2 + f  # the middle of the bottom edge stays where it is
    content = (scale, 0, 0, scale, round((1 - scale) * px, 3), round((1 - scale) * py, 3))
    balance = pikepdf.parse_content_stream(page, _BALANCE_OPERATORS)
    saves = sum(1 if op == Operator("q") else -1 if op == Operator("Q") else 0 for _, op in balance)
    marks = sum(1 if op in (Operator("BMC"), Operator("BDC")) else -1 if op == Operator("EMC") else 0
                for _, op in balance)
    before = [([*map(_number, content)], Operator("cm"))]
    after = [([], Operator("EMC"))] * max(0, marks)
    if wrap is not None:
        before.append(([Name(wrap[0]), wrap[1]], Operator("BDC")))
        after.append(([], Operator("EMC")))
    after += [([], Operator("Q"))] * (max(0, saves) + 1)
    page.contents_add(pikepdf.unparse_content_stream([([], Operator("q")), *before]), prepend=True)
    name = _font_name(page, font)
    size = min(BAND_TEXT, band * 0.35)
    margin = min(42.5, 0.07 * wide)
    base = high - band / 2 - size * 0.35
    number_width = text_width(number, "/F1", size)
    text = fit(label, "/F1", size, wide - 2 * margin - number_width - 12)
    band_ops = [([], Operator("q")), ([*map(_number, shown)], Operator("cm")),
                ([0.6], Operator("G")), ([0.4], Operator("w")),
                ([round(margin, 2), round(high - band + 3, 2)], Operator("m")),
                ([round(wide - margin, 2), round(high - band + 3, 2)], Operator("l")), ([], Operator("S")),
                *show(name, size, [(margin, base, text)]),
                *show(name, size, [(wide - margin - number_width, base, number)]), ([], Operator("Q"))]
    page.contents_add(pikepdf.unparse_content_stream([*after, *artifact(band_ops)]))
    for annotation in page.obj.get("/Annots", Array()):
        if isinstance(annotation, Dictionary):
            _scale_annotation(annotation, content)


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ValueError("page box")
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _font_name(page: pikepdf.Page, font) -> Name:
    """``font`` in the page's resources under a name of its own (a fixed one: the same bytes every time)."""
    fonts = page.resources.get("/Font", Dictionary())
    for n in range(1, 1000):
        name = Name(f"/RardocsBand{n}")
        if name not in fonts or fonts[name].objgen == font.objgen:
            break
    return page.add_resource(font, Name.Font, name=name)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 5)


def _scale_annotation(annotation: Dictionary, matrix: tuple) -> None:
    scale, _, _, _, dx, dy = matrix
    for key in ("/Rect", "/QuadPoints"):
        values = annotation.get(key)
        if isinstance(values, Array) and all(isinstance(v, (int, Decimal)) for v in values):
            annotation[key] = Array([round(float(v) * scale + (dx if n % 2 == 0 else dy), 3)
                                     for n, v in enumerate(values)])
