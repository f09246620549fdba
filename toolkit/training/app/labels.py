"""Every word a cadre reads in the phone app (我的练习, an exercise, its feedback), in one place."""

from __future__ import annotations

TEXT = {
    "app_title": "我的练习",
    "intro": "点按钮开始或继续作答。作答会自动保存；完成后点“提交”。",
    "status": {"not_started": "未开始", "in_progress": "作答中", "submitted": "已提交",
               "graded": "已评分 {score} 分", "graded_plain": "已评分"},
    "action": {"start": "开始", "continue": "继续作答", "submit": "提交", "feedback": "查看反馈"},
    "progress": "已答 {answered} / {total} 题",
    "deadline": "截止时间：{when}",
    "deadline_passed": "（已过截止时间）",
    "submitted_at": "{when} 已提交",
    "changed_after_submit": "提交后又修改了作答，请重新提交。",
    "course": "课程：{title}",
    "none": "目前还没有发布的练习。培训老师发布练习后，刷新本页即可看到。",
    "refresh": "刷新",
    "back": "‹ 返回我的练习",
    "working": "正在处理，请稍候……",
    "fetching": "正在获取练习……",
    "submitting": "正在提交……",
    "submitted_ok": "✔ 已提交（{when}）。培训老师评分后，这里会显示分数和反馈。",
    "submit_check_title": "提交前检查：",
    "submit_anyway": "仍然提交",
    "keep_answering": "继续作答",
    "feedback_title": "练习反馈：{title}",
    "feedback_score": "得分 {score} / {total} 分",
    "feedback_missing": "还没有收到这次提交的反馈。",
    "exercise_fallback": "练习 {number}",
    # errors: what happened, what to do
    "error": "出现问题：{problem}。请刷新本页；如果仍然不行，请联系培训老师。",
    "fetch_failed": "无法获取练习（{detail}）",
    "submit_failed": "提交没有成功（{detail}）",
    "feedback_failed": "无法取回反馈（{detail}）",
    "list_failed": "无法读取练习列表（{detail}）",
    "no_case": "还没有为你准备这个练习的案例",
    "not_fetched": "这个练习还没有开始",
    "exchange_detail": "练习交换目录不可用",
    "unknown": "未知原因",
}

# Latin tokens a cadre may see besides Chinese (tests check the visible text against this list).
LATIN_ALLOWED = ("SAMPLE",)
