"""ipywidgets form for one 街镇's results, used by ``inspections/data_entry.ipynb`` (copied out by ``jiuzhu inspect entry``).

The form only collects values: parsing and checks are the same functions the Excel import uses
(:mod:`toolkit.inspections.intake.validation`), and saving goes through
:func:`toolkit.inspections.forms.entry.save_submission` (all-or-nothing, audit trail).
Personal data typed into a case file is stored but shown masked in the case-file list.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from toolkit import SAMPLE_MARK
from toolkit.checklists.model import NO, NOT_APPLICABLE, YES
from toolkit.errors import UserError
from toolkit.inspections.store import store as st
from toolkit.inspections.forms.entry import load_submission, save_submission
from toolkit.inspections.store.rounds import load_context
from toolkit.inspections.intake.submission import DECISIONS, case_columns
from toolkit.inspections.intake.validation import BadValue, parse_case_row, parse_item_value, parse_names, parse_past_date
from toolkit.privacy import mask_id_number, mask_name

EMPTY = ("（请选择）", "")
WIDE = w.Layout(width="95%")


def _dropdown(choices, value="") -> w.Dropdown:
    return w.Dropdown(options=[EMPTY] + [(c, c) for c in choices], value=value if value in choices else "",
                      layout=w.Layout(width="220px"))


class EntryForm:
    """Widgets for one round; ``show()`` returns the whole form as one widget."""

    def __init__(self, store, round_id: str, today: date | None = None):
        self.store = store
        self.ctx = load_context(st.open_store(store, create=False), str(round_id), today)
        self.case_checklist = next((c for c in self.ctx.checklists.values() if c.kind == "case_file"), None)
        self.documents = [i for i in self.case_checklist.items if "document" in i.check] if self.case_checklist else []
        self.columns = case_columns(self.documents)
        self.sub = None
        self.district = w.Dropdown(description="被检查区", options=self.ctx.districts)
        self.unit = w.Dropdown(description="街镇")
        self.load_button = w.Button(description="载入", button_style="info")
        self.inspectors = w.Text(description="检查人员", placeholder="多人用、分隔", layout=WIDE)
        self.inspected_on = w.Text(description="检查日期", placeholder="2019-12-10")
        self.items: dict[tuple[str, str], tuple[w.Widget, w.Text]] = {}
        self.case_select = w.Dropdown(description="档案编号", options=[])
        self.case_fields: dict[str, w.Widget] = {}
        self.case_message = w.HTML()
        self.save_case_button = w.Button(description="保存本份档案", button_style="info")
        self.save_button = w.Button(description="校验并保存到数据库", button_style="success",
                                    layout=w.Layout(width="240px"))
        self.message = w.HTML()
        self.district.observe(lambda _: self._fill_units(), names="value")
        self.load_button.on_click(lambda _: self.load())
        self.case_select.observe(lambda _: self._show_case(), names="value")
        self.save_case_button.on_click(lambda _: self.save_case())
        self.save_button.on_click(lambda _: self.save())
        self._fill_units()
        self._build_item_widgets()
        self._build_case_widgets()

    # -- layout -------------------------------------------------------------------------------
    def _fill_units(self) -> None:
        options = sorted(self.ctx.units_of(self.district.value)) if self.district.value else []
        self.unit.options = options
        self.unit.value = options[0] if options else None

    def _build_item_widgets(self) -> None:
        for checklist in self.ctx.checklists.values():
            if checklist.kind != "unit":
                continue
            for item in checklist.items:
                if item.scoring == "proportion":
                    value = w.Text(placeholder="0–1 或 80%", layout=w.Layout(width="220px"))
                else:
                    value = _dropdown(item.choices() + ((NOT_APPLICABLE,) if item.applies_when else ()))
                self.items[(checklist.id, item.id)] = (value, w.Text(placeholder="备注", layout=w.Layout(width="260px")))

    def _build_case_widgets(self) -> None:
        for key, label in self.columns:
            if key == "case_id":
                continue
            if key == "decision":
                field = _dropdown(tuple(DECISIONS))
            elif key == "near_relative":
                field = _dropdown((YES, NO))
            elif key.startswith("doc:"):
                field = _dropdown((YES, NO, NOT_APPLICABLE))
            else:
                field = w.Text(placeholder="2019-05-01" if key.startswith("date:") else "")
            field.description = label[:12]
            field.style = {"description_width": "120px"}
            self.case_fields[key] = field

    def show(self) -> w.Widget:
        mark = f"<b style='color:#b00'>【{SAMPLE_MARK}】</b>" if self.ctx.is_sample else ""
        tabs = []
        titles = []
        for checklist in self.ctx.checklists.values():
            if checklist.kind != "unit":
                continue
            rows = [w.HBox([w.HTML(f"<b>{i.id}</b> {i.text}<br><small>{i.method}；{i.points:g} 分</small>",
                                   layout=w.Layout(width="460px")), *self.items[(checklist.id, i.id)]])
                    for i in checklist.items]
            tabs.append(w.VBox(rows))
            titles.append(checklist.title[:10])
        if self.case_checklist is not None:
            tabs.append(w.VBox([self.case_select, w.GridBox(list(self.case_fields.values()),
                                layout=w.Layout(grid_template_columns="repeat(2, 50%)")),
                                self.save_case_button, self.case_message]))
            titles.append("抽查档案")
        tab = w.Tab(children=tabs)
        for index, title in enumerate(titles):
            tab.set_title(index, title)
        return w.VBox([w.HTML(f"<h3>{mark}{self.ctx.round_id} 督导检查结果录入</h3>"),
                       w.HBox([self.district, self.unit, self.load_button]),
                       self.inspectors, self.inspected_on, tab, self.save_button, self.message])

    # -- behaviour ----------------------------------------------------------------------------
    def load(self) -> None:
        """Show the stored results of the chosen 街镇 (empty fields when none are stored)."""
        unit = self.ctx.units.get((self.district.value, self.unit.value))
        if unit is None:
            self.message.value = "请先选择区和街镇。"
            return
        self.sub = load_submission(self.store, self.ctx, unit)
        self.inspectors.value = "、".join(self.sub.inspectors)
        self.inspected_on.value = self.sub.inspected_on.isoformat()
        for key, (value, remarks) in self.items.items():
            entered, note = self.sub.items.get(key, ("", ""))
            value.value = entered if not isinstance(value, w.Dropdown) or entered in _choices(value) else ""
            remarks.value = note or ""
        sampled = self.ctx.sample.get(unit.id, [])
        self.case_select.options = sampled
        self.message.value = (f"已载入 {unit.district} {unit.name}：" +
                              ("已有结果，可修改后保存。" if self.sub.items else "尚无结果，请逐项填写。"))
        self._show_case()

    def _case_row(self, case_id):
        return next((r for r in self.sub.case_files if r.case_id == case_id), None) if self.sub else None

    def _show_case(self) -> None:
        row = self._case_row(self.case_select.value)
        for key, field in self.case_fields.items():
            value = "" if row is None else _shown(row, key)
            field.value = value if not isinstance(field, w.Dropdown) or value in _choices(field) else ""
        if row is not None:
            self.case_message.value = f"户主 {mask_name(row.head_name)}，身份证 {mask_id_number(row.id_number)}（已录入）"
        else:
            self.case_message.value = ""

    def save_case(self) -> bool:
        """Check the case-file fields with the import's rules and keep the row in the form."""
        raw = {key: field.value for key, field in self.case_fields.items()}
        raw["case_id"] = self.case_select.value
        if raw.get("head_name") == "" or raw.get("id_number") == "":
            existing = self._case_row(self.case_select.value)
            if existing is not None:   # personal data are never shown back: keep what is stored
                raw["head_name"] = raw["head_name"] or existing.head_name
                raw["id_number"] = raw["id_number"] or existing.id_number
                raw["phone"] = raw["phone"] or existing.phone
        row, errors = parse_case_row(raw, self.documents, self.ctx.today)
        if errors:
            labels = dict(self.columns)
            self.case_message.value = "<br>".join(f"✘ {labels[k]}：{e.message}" for k, e in errors)
            return False
        self.sub.case_files = [r for r in self.sub.case_files if r.case_id != row.case_id] + [row]
        self.case_message.value = f"✔ 档案 {row.case_id} 已暂存（户主 {mask_name(row.head_name)}）。全部填完后点“校验并保存到数据库”。"
        return True

    def collect(self) -> list[str]:
        """Copy the widget values into the submission; returns problems found while parsing."""
        problems = []
        self.sub.inspectors = parse_names(self.inspectors.value)
        try:
            self.sub.inspected_on = parse_past_date(self.inspected_on.value, self.ctx.today)
        except BadValue as err:
            problems.append(f"检查日期：{err.message}")
        for (checklist_id, item_id), (value, remarks) in self.items.items():
            item = self.ctx.checklists[checklist_id].item(item_id)
            try:
                entered = parse_item_value(item, value.value)
            except BadValue as err:
                problems.append(f"{self.ctx.checklists[checklist_id].title} 检查项 {item_id}：{err.message}")
                continue
            self.sub.items[(checklist_id, item_id)] = (entered, remarks.value.strip())
        return problems

    def save(self) -> bool:
        if self.sub is None:
            self.message.value = "请先选择区和街镇并点“载入”。"
            return False
        problems = self.collect()
        if not problems:
            try:
                record = save_submission(self.store, self.ctx, self.sub)
            except UserError as err:
                problems = err.problems or [err.message]
            else:
                self.message.value = f"✔ 已保存 {record.district} {record.unit}（{record.action}），已记入导入记录。"
                return True
        self.message.value = "✘ 未保存，请改正：<br>" + "<br>".join(problems)
        return False


def _choices(dropdown: w.Dropdown) -> list[str]:
    return [o[1] if isinstance(o, tuple) else o for o in dropdown.options]


def _shown(row, key: str) -> str:
    if key in ("head_name", "id_number", "phone"):
        return ""                                   # never shown back unmasked
    value = row.field_value(key)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)
