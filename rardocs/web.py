"""Press releases as plain text (LinkedIn, e-mail) and HTML (the website).

Both are Jinja templates over the same template data as the Word document
(:func:`rardocs.press.press_context`), so the three forms always agree. The text
keeps every paragraph on one line, for pasting into a post or an e-mail that
wraps lines itself; the HTML is a complete page that needs nothing from
elsewhere (its stylesheet is inline).
"""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup

from .documents import Markdown, Rich
from .markdown import to_html, to_text

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

TEXT = """\
{{ label | upper }}

{{ date }}

{{ title | line }}
{% if lead %}

{{ lead | line }}
{% endif %}
{% if body %}

{{ body }}
{% endif %}
{% if decision %}

»{{ decision.text | line }}«
{{ decision.attribution }}
{% endif %}
{% if quote %}

»{{ quote.text | line }}«
{{ quote.signature | line }}
{% endif %}
{% if contact %}

Yderligere oplysninger
{% for line in contact.lines %}
{{ line | line }}
{% endfor %}
{% endif %}
{% if about %}

{{ about_title }}
{{ about | paragraphs | join("\\n\\n") }}
{% endif %}
"""

HTML = """\
<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title | line }} – {{ council.name }}</title>
<style>
body { max-width: 40em; margin: 2em auto; padding: 0 1em; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.8em; line-height: 1.2; margin: .3em 0 .6em; }
h2 { font-size: 1.15em; margin-top: 2em; }
.etiket { margin: 0; font-weight: bold; text-transform: uppercase; letter-spacing: .05em; color: #1f3a5f; }
.dato { margin: 0; color: #555; }
.manchet { font-weight: bold; font-size: 1.1em; }
figure { margin: 1.5em 0; }
blockquote { margin: 0; padding-left: 1em; border-left: 4px solid #1f3a5f; font-style: italic; }
blockquote p { margin: 0; }
figcaption { margin-top: .4em; padding-left: 1.25em; color: #555; }
address { font-style: normal; }
a { color: #1f3a5f; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .2em .5em; }
</style>
</head>
<body>
<main>
<article class="pressemeddelelse">
<header>
<p class="etiket">{{ label }}</p>
<p class="dato"><time datetime="{{ iso_date }}">{{ date }}</time></p>
<h1>{{ title }}</h1>
{% if lead %}
<p class="manchet">{{ lead }}</p>
{% endif %}
</header>
{% if body %}
{{ body }}
{% endif %}
{% if decision %}
<figure class="beslutning">
<blockquote><p>»{{ decision.text }}«</p></blockquote>
<figcaption>{{ decision.attribution }}</figcaption>
</figure>
{% endif %}
{% if quote %}
<figure class="citat">
<blockquote><p>»{{ quote.text }}«</p></blockquote>
<figcaption>{{ quote.signature }}</figcaption>
</figure>
{% endif %}
{% if contact %}
<section class="kontakt">
<h2>Yderligere oplysninger</h2>
<address>
{{ contact.lines[0] }}
{% if contact.phone %}
<br>Tlf. {% if contact.phone | tel %}<a href="tel:{{ contact.phone | tel }}">{{ contact.phone }}</a>{% else %}{{ contact.phone }}{% endif +%}
{% endif %}
{% if contact.email %}
<br>E-mail: <a href="mailto:{{ contact.email }}">{{ contact.email }}</a>
{% endif %}
</address>
</section>
{% endif %}
{% if about %}
<section class="om">
<h2>{{ about_title }}</h2>
{% for paragraph in about | paragraphs %}
<p>{{ paragraph }}</p>
{% endfor %}
</section>
{% endif %}
</article>
</main>
</body>
</html>
"""


def _line(text: str) -> str:
    """``text`` on one line: line breaks (a YAML ``|`` block, say) become spaces."""
    return " ".join(text.split())


def _paragraphs(text: str) -> list[str]:
    """``text``'s paragraphs (apart by a blank line), each on one line."""
    return [_line(p) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _tel(phone: str) -> str:
    """A phone number for a ``tel:`` link: ``+4512345678``, or empty if it has no digits."""
    digits = re.sub(r"[^\d+]", "", phone)
    return digits if re.fullmatch(r"\+?\d{3,}", digits) else ""


_ENV = jinja2.Environment(
    loader=jinja2.DictLoader({"pressemeddelelse.txt": TEXT, "pressemeddelelse.html": HTML}),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters.update(line=_line, paragraphs=_paragraphs, tel=_tel)


def _markdown(rich: Rich) -> str:
    return "\n\n".join(block.text for block in rich.blocks if isinstance(block, Markdown))


def press_text(data: dict) -> str:
    """The press release as plain text: every paragraph one line, a blank line
    between paragraphs, list items one per line."""
    body = _markdown(data["body"])
    return _ENV.get_template("pressemeddelelse.txt").render(data, body=to_text(body) if body else "")


def press_html(data: dict) -> str:
    """The press release as a complete HTML5 page in Danish."""
    body = _markdown(data["body"])
    return _ENV.get_template("pressemeddelelse.html").render(data, body=Markup(to_html(body)) if body else "")
