"""Executed notebook → one self-contained HTML page without code.

nbconvert's ``basic`` template gives the cell outputs only; we wrap them in our own page with
inline CSS.  Nothing is loaded from elsewhere: no require.js, no MathJax, no web fonts; charts
are inline PNG data.  The page opens the same on an offline intranet machine.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from html.parser import HTMLParser

from toolkit import SAMPLE_MARK

_CSS = """
body { font-family: "FangSong", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
       max-width: 60em; margin: 2em auto; padding: 0 1.5em; color: #1a1a1a; line-height: 1.6; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "SimSun", serif;
     font-size: 1.7em; text-align: center; margin-bottom: 0.2em; font-weight: normal; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-weight: normal;
     font-size: 1.3em; border-bottom: 2px solid #9b1c1c; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; font-size: 1.15em; margin-top: 1.2em; }
table { border-collapse: collapse; margin: 0.6em auto 1em; font-size: 0.92em;
        font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif; }
table.report-table[style] { table-layout: fixed; }
td, th { overflow-wrap: anywhere; }
.caption { text-align: center; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; }
.page-break, .annex { break-before: page; page-break-before: always; }
.annex-label { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.2em; }
.signature { text-align: right; margin: 2em 4em 1em auto; break-inside: avoid; }
.signature p { margin: 0.2em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
tr, img, .caption { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.caption { break-after: avoid; page-break-after: avoid; }
img { max-width: 100%; height: auto; }
.sample-mark { border: 2px solid #c00; color: #c00; font-weight: bold; text-align: center;
               padding: 0.3em; margin: 0.5em 0 1em; letter-spacing: 0.3em; }
.cell-stdout pre, pre { white-space: pre-wrap; font-family: inherit; }
.jp-OutputPrompt, .prompt { display: none; }
@page { size: A4; margin: 18mm 15mm; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{top_mark}
{body}
{mark}
</body>
</html>
"""

# attributes that make a browser fetch something; url() and @import in CSS
_FETCHING = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href",
             "codebase", "archive", "manifest", "ping"}
_DESCRIPTOR = re.compile(r"\d+(?:\.\d+)?[wx],?")          # '1x,' '480w' in a srcset
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", re.IGNORECASE)
EXTERNAL_MESSAGE = ("网页报告会从外部加载内容（{leaks}），无法在离线内网中照原样打开，因此没有写出。"
                    "这通常是报告中的某个名称或说明含有网页代码；请检查数据中的区、街镇名称和备注")


class ExternalResources(ValueError):
    """The page would load something from elsewhere (message in Chinese, names what)."""


def _inline(value: str) -> bool:
    value = value.strip()
    return not value or value.startswith("#") or value.lower().startswith("data:")


class _Fetches(HTMLParser):
    """Every reference the parsed document would fetch: tag attributes and CSS, never escaped text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _FETCHING:
                parts = [v.strip(",") for v in value.split() if not _DESCRIPTOR.fullmatch(v)] \
                    if name == "srcset" else [value]
                self.found += [v for v in parts if not _inline(v)]
            elif name == "style":
                self._css(value)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        self.found += [a or b for a, b in _CSS_URL.findall(text) if not _inline(a or b)]


def notebook_to_html(nb, title: str, sample: bool = False) -> str:
    """Render the outputs of executed notebook ``nb`` (no code, no prompts, no stderr)."""
    from nbconvert import HTMLExporter

    nb = _without_noise(nb)
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    body, _ = exporter.from_notebook_node(nb)
    mark = f'<div class="sample-mark">{SAMPLE_MARK}</div>' if sample else ""
    top_mark = "" if 'class="sample-mark"' in body else mark  # the document may show its own
    page = _PAGE.format(title=html_lib.escape(title), css=_CSS, mark=mark, top_mark=top_mark,
                        body=body)
    leaks = external_references(page)
    if leaks:  # a guard, not a filter: a report must never depend on the network
        raise ExternalResources(EXTERNAL_MESSAGE.format(leaks="、".join(leaks[:5])))
    return page


def external_references(page: str) -> list[str]:
    """Every src/href/url() the parsed ``page`` would fetch that is not inline data or an in-page
    anchor.  Markup shown as text (``&lt;img src=x&gt;`` in a 街镇 name) is text, not a fetch."""
    parser = _Fetches()
    parser.feed(page)
    parser.close()
    return parser.found


def _without_noise(nb):
    """Copy of ``nb`` without stderr streams, warnings and the papermill parameter cells."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters", "remove-cell"}:
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        cells.append(cell)
    nb.cells = cells
    return nb
