"""Plain text and HTML from Markdown, for press releases on the web and LinkedIn."""

from __future__ import annotations


from .reader import INLINE_TAGS, InlinePart, html_of, parse, soft_breaks


def to_html(text: str) -> str:
    """The Markdown as an HTML fragment; raw HTML in it is shown, not run, and only
    web links are links (as in :func:`~.reader.parse`). A text longer than
    :data:`~.bounded.MAX_MARKDOWN` is its paragraphs as typed. Kept with the text's
    tree: the web page and the search text of a field read it once."""
    return html_of(text)


def to_text(text: str) -> str:
    """The Markdown as plain text: paragraphs apart, ``- `` bullets, ``text (url)`` links."""
    return "\n\n".join(_text_blocks(parse(text), "")).strip()


def _text_blocks(parent, indent: str) -> list[str]:
    out = []
    for el in parent:
        if el.tag in ("ul", "ol"):
            lines = []
            for number, li in enumerate(el, int(el.get("data-start", el.get("start", "1")))):
                marker = "-" if el.tag == "ul" else _marker(el, number)
                nested = [c for c in li if c.tag not in INLINE_TAGS]
                first = _inline_text(InlinePart(li))
                if not first and nested and nested[0].tag == "p":  # a loose list: the item's text is a paragraph
                    first, nested = _inline_text(nested[0]), nested[1:]
                lines.append(f"{indent}{marker} {first}".rstrip())
                if nested:
                    lines.extend(_text_blocks(nested, indent + "   "))
            out.append("\n".join(lines))
        elif el.tag == "table":
            out.append("\n".join(" | ".join(_inline_text(cell) for cell in tr) for section in el for tr in section))
        elif el.tag == "blockquote":
            out.extend(_text_blocks(el, indent))
        elif el.tag == "pre":
            out.append("".join(el.itertext()).rstrip("\n"))
        elif el.tag == "hr":
            continue
        else:
            out.append(indent + _inline_text(el))
    return out


def _marker(ol, number: int) -> str:
    kind = ol.get("data-kind", "decimal")
    value = str(number) if kind == "decimal" else chr(ord("a" if kind == "lowerLetter" else "A") + number - 1)
    return value + ol.get("data-suffix", ".")


def _inline_text(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag in ("ul", "ol", "p", "table", "pre", "blockquote"):
            continue
        if child.tag == "br":
            parts.append("\n")
        elif child.tag == "a":
            label = _inline_text(child)
            href = child.get("href", "")
            parts.append(label if href in (label, f"https://{label}") or not href else f"{label} ({href})")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return soft_breaks("".join(parts)).strip()
