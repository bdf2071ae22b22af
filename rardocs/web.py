"""Press releases as plain text (LinkedIn, e-mail) and HTML (the website).

Both are made from the same template data as the Word document
(:func:`rardocs.press.press_context`), so the three forms always agree.
"""

from __future__ import annotations

import html

from .documents import Markdown, Rich
from .markdown import to_html, to_text


def _markdown(rich: Rich) -> str:
    return "\n\n".join(block.text for block in rich.blocks if isinstance(block, Markdown))


def press_text(data: dict) -> str:
    """The press release as plain text."""
    parts = [data["label"].upper(), data["date"], data["title"]]
    if data["lead"]:
        parts.append(data["lead"])
    body = _markdown(data["body"])
    if body:
        parts.append(to_text(body))
    item = data["item"]
    if item["title"]:
        parts.append(f"{item['heading']}\n{to_text(_markdown(item['decision']))}")
    if data["quote"]:
        parts.append(f"»{data['quote']['text']}«\n{data['quote']['signature']}")
    if data["contact"]:
        parts.append("\n".join(["Yderligere oplysninger", *data["contact"]["lines"]]))
    if data["about"]:
        parts.append(f"{data['about_title']}\n{data['about']}")
    return "\n\n".join(parts) + "\n"


def press_html(data: dict) -> str:
    """The press release as a complete HTML page in Danish."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="da">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(data['title'])}</title>",
        "</head>",
        "<body>",
        '<article class="pressemeddelelse">',
        f'<p class="etiket">{e(data["label"])}</p>',
        f'<p class="dato"><time>{e(data["date"])}</time></p>',
        f"<h1>{e(data['title'])}</h1>",
    ]
    if data["lead"]:
        out.append(f'<p class="manchet"><strong>{e(data["lead"])}</strong></p>')
    body = _markdown(data["body"])
    if body:
        out.append(to_html(body))
    item = data["item"]
    if item["title"]:
        out.append(f"<h2>{e(item['heading'])}</h2>")
        out.append(to_html(_markdown(item["decision"])))
    if data["quote"]:
        out.append(f"<blockquote><p>»{e(data['quote']['text'])}«</p><footer>{e(data['quote']['signature'])}</footer></blockquote>")
    contact = data["contact"]
    if contact:
        out.append("<h2>Yderligere oplysninger</h2>")
        lines = [e(line) for line in contact["lines"]]
        if contact["email"]:  # the e-mail line, as a link
            lines[-1] = f'E-mail: <a href="mailto:{e(contact["email"])}">{e(contact["email"])}</a>'
        out.append("<p>" + "<br>\n".join(lines) + "</p>")
    if data["about"]:
        out.append(f"<h2>{e(data['about_title'])}</h2>\n<p>{e(data['about'])}</p>")
    out += ["</article>", "</body>", "</html>", ""]
    return "\n".join(out)
