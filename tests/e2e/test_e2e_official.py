"""Scenario 3 of issue 6: an official opens a district report and the city summary from disk.

The intranet machine has no internet: the network guard aborts (and fails the test on) any
request that leaves file:// or 127.0.0.1.  The page must load fully, show its charts and
tables, and draw Chinese with a CJK font — checked with the font Chromium actually used for
the text (DevTools ``CSS.getPlatformFontsForNode``) and the measured width of the glyphs.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]   # a real browser

CJK = re.compile(r"[\u4e00-\u9fff]")


def rendered_fonts(page, selector: str) -> list[dict]:
    """Fonts Chromium used to draw the text of the first ``selector`` element (DevTools)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"页面中没有 {selector}"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


GLYPH_WIDTHS = """(selector) => {
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const widths = [];
  let node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.data.length; i++) {
      if (!/[\\u4e00-\\u9fff]/.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      widths.push(range.getBoundingClientRect().width);
    }
  }
  return {widths, fontSize: parseFloat(getComputedStyle(el).fontSize),
          family: getComputedStyle(el).fontFamily};
}"""


def check_report_page(page, path, shot, name: str, title_part: str) -> None:
    page.goto(path.as_uri(), wait_until="load")
    expect(page.locator("h1").first).to_contain_text(title_part)
    assert page.evaluate("document.readyState") == "complete"
    shot(page, f"{name}-top")

    # Charts: every image decoded and drawn with a real size.
    images = page.locator("img")
    assert images.count() >= 1, "报告中没有图表"
    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 50))
        .map(img => img.src.slice(0, 80))""")
    assert broken == [], f"图表没有显示：{broken}"
    images.first.scroll_into_view_if_needed()
    expect(images.first).to_be_visible()

    # Tables: visible, with Chinese header cells.
    tables = page.locator("table")
    assert tables.count() >= 1, "报告中没有表格"
    expect(tables.first).to_be_visible()
    assert CJK.search(tables.first.locator("th").first.inner_text())

    # Sample-data mark visible.
    expect(page.get_by_text("示例数据").first).to_be_visible()

    # Chinese drawn with a CJK font, and each glyph has a real width (no empty boxes).
    for selector in ("h1", "table th", "h2"):
        fonts = rendered_fonts(page, selector)
        used = {f["familyName"]: f["glyphCount"] for f in fonts}
        cjk_fonts = [family for family in used if "CJK" in family or "Han" in family]
        assert cjk_fonts, f"{selector} 的中文未使用中文字体绘制：{used}"
        measured = page.evaluate(GLYPH_WIDTHS, selector)
        assert measured["widths"], f"{selector} 中没有中文"
        smallest = min(measured["widths"])
        assert smallest > 0.5 * measured["fontSize"], (
            f"{selector} 中有宽度异常的汉字（{smallest:.1f}px，字号 {measured['fontSize']}px）")

    images.first.scroll_into_view_if_needed()
    shot(page, f"{name}-chart")


def test_official_opens_reports_offline(sample_reports, page, shot, network_guard):
    district_html, summary_html = sample_reports["district"], sample_reports["summary"]
    for path in (district_html, summary_html):
        text = path.read_text(encoding="utf-8")
        external = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+""", text)
        assert not [u for u in external if "127.0.0.1" not in u], f"{path.name} 引用外部资源：{external[:5]}"

    check_report_page(page, district_html, shot, "official-01-district", sample_reports["district_name"])
    page.locator("h2", has_text="三、存在问题").scroll_into_view_if_needed()
    shot(page, "official-02-district-findings")
    check_report_page(page, summary_html, shot, "official-03-summary", "汇总")
    assert network_guard.outside() == []
