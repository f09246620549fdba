"""LibreOffice, headless: render a .docx to PDF, or re-save a workbook as an office would.

``soffice --headless --convert-to`` runs with its own throw-away user profile (so it never
meets a desktop instance or a half-written profile) and a fontconfig file that maps the
Windows/WPS font names of our documents (仿宋, 黑体, 楷体, 宋体, 方正小标宋简体 and their
English names) to the installed Noto CJK **SC** faces: Chinese glyphs, never the Japanese ones.
LibreOffice is installed by package name (``tools/system-deps.sh``, Makefile ``APT_PACKAGES``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.errors import UserError

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
ALIASES = {
    SERIF: ["仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "宋体", "SimSun", "NSimSun", "楷体",
            "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋"],
    SANS: ["黑体", "SimHei", "微软雅黑", "Microsoft YaHei"],
}
NO_OFFICE = ("未找到 LibreOffice（soffice）。请管理员安装：sudo apt-get install --no-install-recommends "
             "libreoffice-writer libreoffice-calc")


class OfficeError(UserError):
    """LibreOffice is missing or could not convert a file."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeError(NO_OFFICE)
    return found


def fontconfig_file(folder: Path) -> Path:
    """A fonts.conf that includes the system one and adds our name → Noto CJK SC aliases."""
    rules = []
    for target, names in ALIASES.items():
        for name in names:
            rules.append(f"<match target=\"pattern\"><test name=\"family\"><string>{name}</string></test>"
                         f"<edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>{target}</string>"
                         f"</edit></match>")
    text = ("<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
            "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
            + "".join(rules) + "</fontconfig>")
    path = Path(folder) / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


def convert(source: Path, fmt: str, out_dir: Path, timeout: float = 180.0) -> Path:
    """Convert ``source`` with LibreOffice to ``fmt`` (e.g. 'pdf', 'xlsx') into ``out_dir``."""
    return convert_all([source], fmt, out_dir, timeout)[0]


def convert_all(sources: list[Path], fmt: str, out_dir: Path, timeout: float = 600.0) -> list[Path]:
    """Convert several files in one LibreOffice run (its start-up is most of the time).

    Results are named after their source; when two sources share a name (每区的 报告.docx), the
    source's folder name is put in front: ``东湖区-报告.pdf``, and when that is shared too, the
    source's position: ``0012-东湖区-整改清单.pdf``.
    """
    sources = [Path(p).resolve() for p in sources]
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in sources]
    ext = fmt.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="jiuzhu-office-") as tmp:
        inbox, outbox = Path(tmp) / "in", Path(tmp) / "out"
        inbox.mkdir()
        staged, stems = [], set()
        for n, source in enumerate(sources):
            stem = source.stem if names.count(source.name) == 1 else f"{source.parent.name}-{source.stem}"
            if stem in stems:                   # same folder name too (东湖区/整改清单.xlsx of two runs)
                stem = f"{n:04d}-{stem}"
            stems.add(stem)
            link = inbox / f"{n:04d}{source.suffix}"
            shutil.copyfile(source, link)
            staged.append((link, out_dir / f"{stem}.{ext}"))
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(Path(tmp))), HOME=tmp)
        command = [soffice(), f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", fmt, "--outdir", str(outbox), *(str(a) for a, _ in staged)]
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            raise OfficeError(f"LibreOffice 转换 {len(sources)} 个文件超过 {timeout:.0f} 秒未完成") from err
        for (link, target), source in zip(staged, sources):
            result = outbox / f"{link.stem}.{ext}"
            if done.returncode != 0 or not result.is_file():
                raise OfficeError(f"LibreOffice 无法转换 {source.name}：{(done.stderr or done.stdout).strip()[:300]}")
            shutil.move(str(result), target)
    return [target for _, target in staged]
