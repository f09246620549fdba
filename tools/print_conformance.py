"""Print every official document under a folder with LibreOffice, measure the PDFs and write the
table (文件 → 页数 → 正文页数 → 最小文字 → 问题) into docs/print-conformance.md.

    .venv/bin/python tools/print_conformance.py build/demo            # after `make demo`
    .venv/bin/python tools/print_conformance.py build/demo --check    # exit 1 when a document fails

The checks are ``toolkit.reports.export.conformance``; every document is printed (LibreOffice runs of
``BATCH`` files; the demo's ~430 documents take about 9 minutes on two busy cores).
Exit status 1 when a document fails (with --check).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from toolkit.reports.export.conformance import check, markdown_table
from toolkit.reports.export.office import convert_all

BATCH = 40
DOCS = Path(__file__).resolve().parents[1] / "docs" / "print-conformance.md"
# (pattern, kind, most body pages; None: no limit); report.pdf is already printed
PATTERNS = [("**/整改情况通报/**/报告.docx", "docx", 4), ("**/报告.docx", "docx", 10), ("**/report.pdf", "docx", 10),
            ("**/整改清单*.xlsx", "xlsx", None), ("**/整改情况.xlsx", "xlsx", None),
            ("**/各问题整改情况.xlsx", "xlsx", None), ("**/*检查表.xlsx", "xlsx", None),
            ("**/培训计划*.xlsx", "xlsx", None), ("**/培训台账.xlsx", "xlsx", None), ("**/plan.xlsx", "xlsx", None),
            ("**/导入错误清单*.xlsx", "xlsx", None)]
HEADER = """# 打印检查：每份正式文件按 LibreOffice 打印后的测量结果

由 `tools/print_conformance.py {source}` 生成（不要手工修改）。每份文件用 LibreOffice 打印为 PDF 后测量：
纸张 A4；最小中文文字不小于 9 磅；Word 文件（公文）文字在版心内、页码为“— n —”（4 号宋体，单页居右、双页居左
空一字，版心下 7 mm）、正文（附件1之前）不超过规定页数（通报 4 页、报告 10 页）、有落款（署名和中文成文日期）；
表格每页页脚有页码；所有文件不含程序文字（英文编号、命令、文件名、哈希、“轮次 2019”）和数字写法的日期（2019-01-21）
（导入错误清单照录所填的值和文件名，对它不查这两项），没有因列宽不足印成 ### 的日期或数字。

"""


def documents(root: Path) -> list[tuple[Path, str, int | None]]:
    """(file, kind, most body pages) for every official document under ``root``."""
    found: dict[Path, tuple[str, int | None]] = {}
    for pattern, kind, limit in PATTERNS:
        for path in sorted(root.glob(pattern)):
            if path.name.startswith((".", "~$")) or path in found:
                continue
            found[path] = (kind, limit)
    return [(path, kind, limit) for path, (kind, limit) in found.items()]


def measure(root: Path) -> list:
    """Print what needs printing (LibreOffice runs of :data:`BATCH` files) and check every document."""
    docs = documents(root)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-print-") as tmp:
        sources = [p for p, _k, _l in docs if p.suffix != ".pdf"]
        printed = {}
        for start in range(0, len(sources), BATCH):       # one run of hundreds of files may not finish
            batch = sources[start:start + BATCH]
            printed.update(zip(batch, convert_all(batch, "pdf", Path(tmp) / str(start))))
        return [check(printed.get(path, path), str(path.relative_to(root)), kind, limit,
                      file_names=path.name.startswith("导入错误清单"))    # it names the files to correct
                for path, kind, limit in docs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="打印检查：正式文件按 LibreOffice 打印后测量")
    parser.add_argument("root", type=Path, help="文件所在目录，如 build/demo")
    parser.add_argument("--out", type=Path, default=DOCS, help="写出的表格（默认 docs/print-conformance.md）")
    parser.add_argument("--check", action="store_true", help="有文件不合格时返回 1")
    args = parser.parse_args(argv)
    results = measure(args.root)
    args.out.write_text(HEADER.format(source=args.root) + markdown_table(results), encoding="utf-8")
    failed = [r for r in results if not r.ok]
    print(f"{len(results)} 份文件，{len(failed)} 份不合格 → {args.out}")
    for r in failed:
        print(f"  {r.document}：{'；'.join(r.problems)}")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
