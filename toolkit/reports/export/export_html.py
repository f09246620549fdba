"""Executed notebook → one self-contained HTML page without code.

nbconvert's ``basic`` template gives the cell outputs only; we wrap them in our own page with
inline CSS.  Nothing is loaded from elsewhere: no require.js, no MathJax, no web fonts; charts
are inline PNG data.  The page opens the same on an offline intranet machine.
"""

from __future__ import annotations

import copy
import html as html_lib
import re

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

# src=, href= or url() pointing anywhere but inline data or a page anchor
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?(?!data:|#)([^"'\s>]+))|(?:url\(\s*["']?(?!data:|#)([^"')]+))""",
    re.IGNORECASE)


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
        raise ValueError(f"HTML would load external resources: {leaks[:5]}")
    return page


def external_references(page: str) -> list[str]:
    """Every src/href/url() in ``page`` that is not inline data or an in-page anchor."""
    return [a or b for a, b in _EXTERNAL.findall(page)]


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
