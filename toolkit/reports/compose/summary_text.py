"""The table printed after a run: every report with its status, time and folder; every failure
with its cell and error; a font warning when charts would show boxes."""

from __future__ import annotations



def render(summary) -> str:
    from toolkit.fonts import NO_CJK_FONT, find_cjk_font

    lines = []
    if find_cjk_font() is None:
        lines.append(NO_CJK_FONT)
    ok = [r for r in summary.results if r.ok]
    lines.append(f"报告输出目录：{summary.out_dir}（{summary.executor}，用时 {summary.wall_s:.1f} 秒）")
    width = max([len(r.name) for r in summary.results] + [2])
    for result in summary.results:
        status = "成功" if result.ok else "失败"
        seconds = result.timings.get("total_s")
        took = f"{seconds:6.1f} 秒" if seconds is not None else "   —    "
        files = "、".join(result.outputs) if result.outputs else ""
        lines.append(f"  {result.name:<{width}}  {status}  {took}  {files}")
    lines.append(f"清单：{summary.manifest}")
    failures = summary.failures
    lines.append(f"共 {len(summary.results)} 份，成功 {len(ok)} 份，失败 {len(failures)} 份。")
    if failures:
        lines.append("失败明细：")
        for result in failures:
            lines.append(f"  {result.name}：{result.failure.describe()}")
            if result.outputs:
                lines.append(f"    已执行的笔记本：{summary.out_dir / result.outputs[0]}")
    return "\n".join(lines)
