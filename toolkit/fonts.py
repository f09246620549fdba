"""Chinese fonts for charts: find a CJK font and configure matplotlib, or warn clearly.

Without a CJK font matplotlib draws Chinese labels as empty boxes; we would rather say so.
Leaf module (imports nothing of ours): report notebooks and the training charts both use it.
"""

from __future__ import annotations

import warnings

NO_CJK_FONT = ("警告：未找到中文字体（如 Noto Sans CJK SC），图表中的中文会显示为方框。"
               "请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk），"
               "然后删除 ~/.cache/matplotlib 后重新运行")
# Preferred first; any font whose name contains "CJK" (Noto/Source Han) also qualifies.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC")


class NoCJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found; charts would show boxes."""


def find_cjk_font() -> str | None:
    """Name of an installed font with Chinese glyphs known to matplotlib, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    return next((n for n in sorted(names) if "CJK" in n), None)


def use_cjk_font(warn: bool = True) -> str | None:
    """Configure matplotlib for Chinese labels; return the font used (None → warning issued)."""
    import matplotlib

    name = find_cjk_font()
    if name is None:
        if warn:
            warnings.warn(NO_CJK_FONT, NoCJKFontWarning, stacklevel=2)
        return None
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
