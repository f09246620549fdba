"""A trainee's HTML is shown, never run, when a trainer opens a submission or a feedback page.

The autograded notebook keeps what the trainee wrote or made: Markdown cells they added or edited,
raw cells, and -- on the sandboxed kernel path -- outputs of cells that ran their code (a trainee can
``display(HTML('<script>…'))`` or redefine what a test cell calls).  nbgrader's formgrader renders
that notebook with nbconvert's ``HTMLExporter`` on the hub's own origin, so a ``<script>`` or an
``onerror=`` there would run with the trainer's session (change grades, read other submissions).
nbconvert's ``sanitize_html`` is no answer: it turns the case tables and the feedback of our own
test cells into escaped text.

:class:`TraineeHTML` runs in the exporter (``c.HTMLExporter.preprocessors``, set by
:mod:`toolkit.training.course.course_config`) before the page is rendered:

* Markdown cells other than the locked cells of the source notebook (a ``grade_id`` nbgrader's
  autograde restored from the gradebook, locked, not an answer cell) are rendered here with HTML
  shown as text and harmful links disabled, then cleaned with the allow-list below;
* raw cells are shown as text;
* outputs: ``text/html`` and ``image/svg+xml`` are cleaned with the allow-list, ``text/markdown``
  is rendered like a trainee's Markdown cell, every other type except plain text, PNG, JPEG, GIF and
  LaTeX is dropped (``application/javascript``, widget views …); output metadata keeps only numeric
  image sizes; the notebook's widget state is dropped (the page would load the widget manager).

Every output is cleaned, also those of locked test cells: the trainee's code ran in the same kernel.
The allow-list keeps what our own outputs use (tables, paragraphs, headings, lists, code, ``<style>``
rules and ``style`` attributes whose properties are in :data:`CSS_PROPERTIES` and load nothing;
``<style>`` rules reach the outputs only, see :data:`SCOPE`); class names only ours, the Markdown
renderer's and code highlighting's.  Our own outputs render pixel for pixel as before (all six
exercises, formgrade and feedback pages, compared in Chromium).
"""

from __future__ import annotations

import re
from html import escape

import bleach
import tinycss2
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from bleach.html5lib_shim import Filter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

DONE = "jiuzhu_trainee_html"     # resources key: this export was cleaned already (never cleaned twice)

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
})
ATTRIBUTES = {
    "*": ["class", "style", "title"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "align"], "th": ["colspan", "rowspan", "align"],
    "ol": ["start"], "col": ["span"], "colgroup": ["span"],
}
SVG_TAGS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "defs", "clipPath", "title", "desc", "linearGradient", "radialGradient", "stop",
})
SVG_ATTRIBUTES = ["class", "style", "width", "height", "viewBox", "version", "x", "y", "x1", "y1", "x2",
                  "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "transform", "fill", "fill-opacity",
                  "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
                  "stroke-dasharray", "opacity", "font-size", "font-family", "font-weight",
                  "text-anchor", "dominant-baseline", "offset", "stop-color", "stop-opacity", "id",
                  "clip-path", "xmlns", "preserveAspectRatio", "gradientUnits"]
CSS_PROPERTIES = frozenset(ALLOWED_CSS_PROPERTIES) | {
    "margin", "margin-left", "margin-right", "margin-top", "margin-bottom",
    "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "border", "border-left", "border-right", "border-top", "border-bottom", "border-width",
    "border-style", "border-radius", "border-spacing", "max-width", "min-width", "max-height",
    "min-height", "break-inside", "page-break-inside", "overflow-x", "overflow-y",
    "fill", "stroke", "stroke-width", "opacity",
} - {"cursor"}                                       # cursor: url(…) would load a file
# A declaration that names one of these loads something or runs something: dropped.
_ACTIVE_CSS = re.compile(r"url|image|expression|import|\\|behavior|binding|javascript|@|<", re.I)
# A negative length (margin-top:-5000px) moves a trainee's element over the page's own controls
# (a link laid over the score buttons); none of our outputs needs one: dropped.
_NEGATIVE = re.compile(r"(?:^|[\s,(/])-\s*[\d.]")
_SAFE_SELECTOR = re.compile(r"[\w\s.#,:>+~*()\[\]='\"-]+")
MIME_KEPT = frozenset({"text/plain", "image/png", "image/jpeg", "image/gif", "text/latex"})
# Text that CommonMark or nbconvert's math pass would read as syntax; written as character
# references, the page shows the same characters and the template's Markdown pass leaves them.
_MARKDOWN_SYNTAX = {c: f"&#{ord(c)};" for c in "[]()*_`$\\!~#|:{}"}
_SYNTAX = re.compile(r"&#?\w+;|[" + re.escape("".join(_MARKDOWN_SYNTAX)) + "]")


def _declarations(text: str) -> str:
    kept = []
    for item in tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration" or item.lower_name not in CSS_PROPERTIES:
            continue
        value = tinycss2.serialize(item.value).strip()
        if _ACTIVE_CSS.search(value) or _NEGATIVE.search(value):
            continue
        kept.append(f"{item.lower_name}:{value}{' !important' if item.important else ''}")
    return ";".join(kept)


# A rule of an output's <style> block reaches outputs only (nbconvert's classic templates wrap each
# in .output_subarea), never the formgrader's own controls; :where() keeps the rule's specificity.
SCOPE = ":where(.output_subarea) "


def clean_css(text: str) -> str:
    """A ``<style>`` block's rules with every declaration that is not allowed (or loads something)
    dropped and each selector scoped to the outputs; at-rules (``@import``, ``@font-face`` …) and
    odd selectors are dropped whole."""
    rules = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        body = _declarations(tinycss2.serialize(rule.content))
        if body and _SAFE_SELECTOR.fullmatch(selector):
            scoped = ",".join(SCOPE + part.strip() for part in selector.split(","))
            rules.append(f"{scoped}{{{body}}}")
    return "".join(rules)


class _StyleSanitizer(CSSSanitizer):
    def sanitize_css(self, style: str) -> str:
        return _declarations(style)


# Class names the formgrader's own controls and scripts use (.score, .comment, .tabbable, li.next …)
# must not appear on a trainee's elements: only ours, the Markdown renderer's and code highlighting's.
_CLASS = re.compile(r"jiuzhu-[\w-]+|anchor-link|highlight|hl-[\w-]+|language-[\w-]+|[a-z]{1,3}[0-9]?")


class _Classes(Filter):
    """Each ``class`` attribute keeps only the allowed class names."""

    def __iter__(self):
        for token in super().__iter__():
            attributes = token.get("data") if token["type"] in ("StartTag", "EmptyTag") else None
            if attributes and (None, "class") in attributes:
                kept = [name for name in attributes[(None, "class")].split() if _CLASS.fullmatch(name)]
                if kept:
                    attributes[(None, "class")] = " ".join(kept)
                else:
                    del attributes[(None, "class")]
            yield token


class _StyleBlocks(Filter):
    """The text of an allowed ``<style>`` element becomes its cleaned rules."""

    def __iter__(self):
        inside = False
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "style":
                inside, text = True, []
                yield token
            elif inside and token["type"] in ("Characters", "SpaceCharacters"):
                text.append(token["data"])
            elif inside and token["type"] == "EndTag" and token["name"] == "style":
                inside = False
                yield {"type": "Characters", "data": clean_css("".join(text))}
                yield token
            elif not inside:
                yield token


def _attribute(tag: str, name: str, value: str) -> bool:
    if name == "src":          # images only from the notebook itself (no request to anywhere)
        return tag == "img" and re.match(r"data:image/(png|jpeg|gif|webp);base64,", value, re.I) is not None
    if name == "href":
        return re.match(r"(https?:|mailto:|#)", value.strip(), re.I) is not None
    if name == "id":
        return tag in ("h1", "h2", "h3", "h4", "h5", "h6") and value.startswith(ANCHOR_PREFIX)
    return name in ATTRIBUTES.get(tag, ()) or name in ATTRIBUTES["*"]


def _cleaner(tags, attributes, protocols: list[str], filters: list) -> bleach.Cleaner:
    """A bleach cleaner that strips what it does not allow (comments too) and cleans CSS as above."""
    return bleach.Cleaner(tags=tags, attributes=attributes, protocols=protocols, strip=True, strip_comments=True,
                          css_sanitizer=_StyleSanitizer(), filters=filters)


_PROTOCOLS = ["http", "https", "mailto", "data"]
_HTML = _cleaner(TAGS, _attribute, _PROTOCOLS, [_Classes])
_HTML_STYLES = _cleaner(TAGS | {"style"}, _attribute, _PROTOCOLS, [_Classes, _StyleBlocks])


def _svg_attribute(tag: str, name: str, value: str) -> bool:
    # url(#id) refers inside the image; any other url( would load something
    return name in SVG_ATTRIBUTES and not re.search(r"url\(\s*['\"]?\s*[^#\s'\"]", value, re.I)


_SVG = _cleaner(SVG_TAGS | {"style"}, _svg_attribute, [], [_Classes, _StyleBlocks])


def clean_html(html: str, *, styles: bool = True) -> str:
    """``html`` with only the allowed tags, attributes and CSS (``<style>`` blocks with ``styles``)."""
    return (_HTML_STYLES if styles else _HTML).clean(html)


def clean_svg(svg: str) -> str:
    """An SVG image with its scripts, event handlers, links and foreign content removed."""
    return _SVG.clean(svg)


def markdown_as_text_html(source: str, attachments: dict | None = None) -> str:
    """A trainee's Markdown rendered as nbconvert renders it, but with any HTML in it shown as text
    and harmful links disabled; cleaned, and written so that the template's own Markdown pass
    passes it through unchanged (one HTML block on one line, no Markdown syntax characters).  Should
    that pass ever change it, the trainee's Markdown is shown as plain text instead."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, markdown2html_mistune

    renderer = IPythonRenderer(escape=True, allow_harmful_protocols=False, attachments=attachments or {})
    html = _ANCHORS.sub(r"\1" + ANCHOR_PREFIX, MarkdownWithMath(renderer=renderer).render(source))
    html = '<div class="jiuzhu-trainee-text">' + _inert(clean_html(html, styles=False)) + "</div>"
    return html if markdown2html_mistune(html).strip() == html else text_as_html(source)


# Headings keep their anchors (the ¶ link shown on hover), with ids no element of the formgrader
# page has: a heading named like a grade cell must not take the id of that cell's score box.  (Only
# the renderer's own tags match: any tag the trainee typed was escaped by the renderer.)
ANCHOR_PREFIX = "jiuzhu-text-"
_ANCHORS = re.compile(r'(<h[1-6] id="|<a class="anchor-link" href="#)')


def _inert(html: str) -> str:
    """Character references for line breaks anywhere (a blank line would end the HTML block) and for
    Markdown syntax in text and in quoted attribute values (the tags' own syntax and the references
    already there stay)."""
    html = html.replace("\r", "&#13;").replace("\n", "&#10;")
    out = []
    for part in re.split(r"(<[^<>]*>)", html):    # cleaned HTML: "<" in values is escaped
        if part.startswith("<"):
            out.append(re.sub(r'="([^"]*)"', lambda m: '="' + _references(m.group(1)) + '"', part))
        else:
            out.append(_references(part))
    return "".join(out)


def _references(text: str) -> str:
    return _SYNTAX.sub(lambda m: _MARKDOWN_SYNTAX.get(m.group(0), m.group(0)), text)


def text_as_html(text: str) -> str:
    """Text shown as itself (a raw cell): preformatted, escaped, inert for Markdown (one line)."""
    return '<div class="jiuzhu-trainee-text"><pre>' + _inert(escape(text, quote=False)) + "</pre></div>"


def is_source_cell(cell) -> bool:
    """A locked cell of the source notebook: after nbgrader's autograde (OverwriteCells) its
    ``grade_id`` is one the gradebook knows (unknown ids are removed), its ``locked`` flag is the
    gradebook's, and a locked cell's source is the gradebook's.  Answer and task cells are not."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (bool(meta.get("grade_id")) and meta.get("locked") is True
            and not meta.get("solution") and not meta.get("task"))


def _image_metadata(meta) -> dict:
    kept = {}
    for mime, value in (meta or {}).items():
        if mime in MIME_KEPT and isinstance(value, dict):
            sizes = {k: v for k, v in value.items()
                     if k in ("width", "height") and isinstance(v, int) and not isinstance(v, bool)}
            if sizes:
                kept[mime] = sizes
    return kept


def clean_output(output) -> None:
    """One output made inert in place (see the module docstring)."""
    data = output.get("data")
    if data is not None:
        for mime in list(data):
            value = data[mime]
            if mime == "text/html" and isinstance(value, str):
                data[mime] = clean_html(value)
            elif mime == "image/svg+xml" and isinstance(value, str):
                data[mime] = clean_svg(value)
            elif mime == "text/markdown" and isinstance(value, str):
                data[mime] = markdown_as_text_html(value)
            elif mime not in MIME_KEPT:
                del data[mime]
    if "metadata" in output:
        output["metadata"] = _image_metadata(output["metadata"])


class TraineeHTML(Preprocessor):
    """Trainee-controlled HTML in an exported notebook is shown as text or cleaned (module docstring)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        if resources.get(DONE):
            return nb, resources
        nb.metadata.pop("widgets", None)
        nb, resources = super().preprocess(nb, resources)
        resources[DONE] = True
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "raw":
            cell.cell_type = "markdown"
            cell.source = text_as_html(cell.source)
            for key in ("format", "raw_mimetype"):
                cell.metadata.pop(key, None)
        elif cell.cell_type == "markdown" and not is_source_cell(cell):
            cell.source = markdown_as_text_html(cell.source, cell.get("attachments"))
        for output in cell.get("outputs", []):
            clean_output(output)
        return cell, resources
