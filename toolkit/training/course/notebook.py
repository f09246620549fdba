"""The source notebook of one assignment, with nbgrader cell metadata.

One notebook per assignment, the same for every trainee: the trainee's own case is generated
when the notebook runs.  Cells: title and how-to (locked), setup (locked), answer cards
(locked), m05's optional pandas cell (free), then one autograded test cell per question with
its points — or, for a free-text question, a manually graded task cell — and a closing
how-to-submit note.
"""

from __future__ import annotations

import nbformat

from toolkit.cases.base import Case, Question

PANDAS_ASSIGNMENTS = ("m05_funds",)
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"

HOW_TO = """### 开始：点击笔记本上方工具栏中的 ▶▶ 按钮（“重启内核并运行所有单元格”），再点“确认重启内核”。

下方随即显示**你本人的案例**和**答题卡**（每位学员的案例数字、人名和日期各不相同）。

- 在答题卡中逐题作答：金额可写 1500、1,500 或 １５００元，日期可写 2018-10-08 或 2018年10月8日。每次修改都会**自动保存**，答题卡下方会显示“已保存”。
- 点击“检查作答”，查看还有哪些题没有作答（这里不显示对错）。
- 完成后保存笔记本（Ctrl+S），在作业列表（菜单 Nbgrader → Assignment List）中点击 Submit（提交）。可以多次提交，以最后一次为准。

灰色锁定的单元格请不要修改或删除。"""

SUBMIT_NOTE = """## 提交前请确认

- 点击答题卡下方的“检查作答”，确认所有题目都已作答；
- 保存笔记本（Ctrl+S）后再提交。评分后，培训老师会发回反馈：每题的得分、正确答案和政策依据。"""

PANDAS_NOTE = """## 选做：用 pandas 核对（街镇工作人员，不计分）

下面的单元格把案例中的表格读成 pandas 数据框（DataFrame），可以用筛选、合并、分组等方法核对台账。
**答案仍需填写在上方的答题卡中**，本单元格不计分，可以自由修改。"""

PANDAS_CODE = """# 选做，不计分：本人案例中的表格（每位学员各不相同）
case = ex.case                 # case.data 是案例的原始数据
tables = ex.frames()           # 数据框，例如 tables["ledger"]、tables["roster"]
for name, frame in tables.items():
    print(name, frame.shape)
    display(frame.head())"""


def _meta(grade_id: str, *, locked: bool = True, grade: bool = False, solution: bool = False,
          task: bool = False, points: float | None = None, hide_code: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if points is not None:
        meta["points"] = points
    found = {"nbgrader": meta}
    if hide_code:   # a cadre sees the case and the cards, not the code that shows them
        found["jupyter"] = {"source_hidden": True}
    return found


def test_source(assignment: str, question: Question) -> str:
    no = question.id.lstrip("q")
    return (f"# 第{no}题自动评分（{question.points:g} 分）：请勿修改或删除本单元格\n"
            "from toolkit.training.trainee.autograde import check, grade\n"
            f"check({assignment!r}, {question.id!r})\n"
            f"{HIDDEN_BEGIN}\n"
            f"grade({assignment!r}, {question.id!r})\n"
            f"{HIDDEN_END}")


def task_source(question: Question) -> str:
    no = question.id.lstrip("q")
    return (f"### 第{no}题（书面作答，{question.points:g} 分，人工评分）\n\n"
            f"请在上方答题卡第{no}题的文本框中书写，内容会自动保存并随作业提交。"
            "培训老师在评分时阅读你提交的内容并给分。")


def source_notebook(case: Case) -> nbformat.NotebookNode:
    """The nbgrader source notebook for ``case.assignment`` (questions from a reference case)."""
    v4 = nbformat.v4
    a = case.assignment
    cells = [
        v4.new_markdown_cell(f"# {case.title}\n\n{HOW_TO}", metadata=_meta("intro"), id="intro"),
        v4.new_code_cell("# 显示本人的案例（请勿修改本单元格）\nfrom toolkit.training.trainee.exercise import start\n\n"
                         f"ex = start({a!r})\nex.show_case()", metadata=_meta("setup", hide_code=True), id="setup"),
        v4.new_code_cell("# 答题卡（请勿修改本单元格）\nex.cards()", metadata=_meta("cards", hide_code=True), id="cards"),
    ]
    if a in PANDAS_ASSIGNMENTS:
        cells += [v4.new_markdown_cell(PANDAS_NOTE, id="pandas-note"),
                  v4.new_code_cell(PANDAS_CODE, id="pandas")]
    for q in case.questions:
        if q.kind == "text":
            cells.append(v4.new_markdown_cell(task_source(q), id=f"{q.id}-task",
                                              metadata=_meta(f"{q.id}_task", task=True, points=q.points)))
        else:
            cells.append(v4.new_code_cell(test_source(a, q), id=f"{q.id}-test",
                                          metadata=_meta(f"{q.id}_test", grade=True, points=q.points, hide_code=True)))
    cells.append(v4.new_markdown_cell(SUBMIT_NOTE, metadata=_meta("submit"), id="submit"))
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["jiuzhu"] = {"assignment": a, "generated_by": "jiuzhu course build"}
    return nb
