"""Store migrations and the jiuzhu checklist / inspect commands as a user runs them."""

from __future__ import annotations

from toolkit.cli import main
from toolkit.inspections.store import store as st


def test_store_created_and_migrated_on_first_use(tmp_path):
    path = tmp_path / "jiuzhu.sqlite"
    st.open_store(path).dispose()
    assert path.exists() and st.schema_versions(path) == [1, 2, 3]
    st.open_store(path).dispose()                     # second open applies nothing twice
    assert st.schema_versions(path) == [1, 2, 3]


def test_migration_2_adds_register_columns_to_an_older_store(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    st.open_store(path).dispose()
    with sqlite3.connect(path) as db:                 # what a store made before migration 2 looks like
        for table, column in (("rounds", "kind"), ("rounds", "scope"), ("households", "id_number")):
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute("DROP TABLE register_changes")
        db.execute("DELETE FROM schema_version WHERE version = 2")
    st.open_store(path).dispose()
    with sqlite3.connect(path) as db:
        columns = {r[1] for r in db.execute("PRAGMA table_info(rounds)")}
        assert {"kind", "scope"} <= columns
        assert "id_number" in {r[1] for r in db.execute("PRAGMA table_info(households)")}
        assert db.execute("SELECT count(*) FROM register_changes").fetchone() == (0,)
    assert st.schema_versions(path) == [1, 2, 3]


def test_a_mistyped_store_path_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "dta" / "jiuzhu.sqlite"
    for argv in (["inspect", "scores", "--round", "2019"], ["inspect", "plan", "--round", "2019"],
                 ["inspect", "forms", "--round", "2019", "--out", str(tmp_path / "forms")]):
        assert main(argv + ["--store", str(typo)]) == 2
        err = capsys.readouterr().err
        assert "不存在" in err and "未创建任何文件" in err and "Traceback" not in err
    missing = tmp_path / "jiuzhu.sqlite"
    assert main(["inspect", "scores", "--round", "2019", "--store", str(missing)]) == 2
    assert sorted(tmp_path.iterdir()) == []


def test_a_postgresql_url_without_its_driver_names_the_extra(tmp_path):
    import subprocess
    import sys

    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from toolkit.cli import main\n"
            "sys.exit(main(['inspect', 'scores', '--round', '2019', '--store', "
            "'postgresql+psycopg://jz:secret@127.0.0.1:1/jiuzhu']))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "jiuzhu-toolkit[postgres]" in run.stderr and "psycopg" in run.stderr
    assert "Traceback" not in run.stderr and "secret" not in run.stderr


def test_store_that_is_not_a_database(tmp_path, capsys):
    bogus = tmp_path / "x.sqlite"
    bogus.write_text("not a database", encoding="utf-8")
    assert main(["inspect", "scores", "--round", "2019", "--store", str(bogus)]) == 2
    assert "不是督导检查数据库" in capsys.readouterr().err


def test_checklist_init_writes_editable_copies_and_never_overwrites(tmp_path, capsys):
    from toolkit.checklists import default_checklist_dir, load_checklists

    folder = tmp_path / "本单位检查表"
    assert main(["checklist", "init", str(folder)]) == 0
    assert "--checklists" in capsys.readouterr().out
    names = sorted(p.name for p in default_checklist_dir().glob("*.yaml"))
    assert sorted(p.name for p in folder.glob("*.yaml")) == names and len(names) == 3
    assert load_checklists(folder).keys() == load_checklists().keys()
    edited = folder / names[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# 本单位修改\n", encoding="utf-8")
    assert main(["checklist", "init", str(folder)]) == 2
    assert "不会覆盖" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8").endswith("# 本单位修改\n")


def test_checklist_validate_and_show(tmp_path, capsys):
    assert main(["checklist", "init", str(tmp_path / "c")]) == 0
    capsys.readouterr()
    c = tmp_path / "c"
    assert main(["checklist", "validate", str(c / "town_street.yaml"), str(c / "case_file.yaml")]) == 0
    assert "校验通过" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: 坏表\nkind: unit\ntotal_points: 5\ngrade_bands: [{grade: 合格, min_pct: 0}]\n"
                   "sections:\n  - name: 一\n    items:\n      - {id: A, text: t, evidence: e, method: 查阅资料,"
                   " scoring: yes_no, points: 3, severity: 一般, basis: b, colour: red}\n", encoding="utf-8")
    assert main(["checklist", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml 第 9 行 检查项 A：未知字段“colour”" in err and "合计 3 与 total_points 5 不符" in err
    assert main(["checklist", "show", str(c / "service_window.yaml")]) == 0
    out = capsys.readouterr().out
    assert "窗口服务检查表" in out and "SW-05" in out and "暗访" in out


def test_inspect_import_bad_file_exits_2_with_list_on_stderr(city, capsys):
    bad = city.folder / "坏.xlsx"
    bad.write_text("x", encoding="utf-8")
    code = main(["inspect", "import", str(bad), "--round", "2019", "--store", str(city.store)])
    err = capsys.readouterr().err
    assert code == 2
    assert "未导入任何数据" in err and "坏.xlsx" in err and "Traceback" not in err
    assert list(city.folder.glob("导入错误清单_2019_*.xlsx"))


def test_inspect_import_and_scores_commands(city, capsys):
    assert main(["inspect", "import", *map(str, city.forms), "--round", "2019", "--store", str(city.store)]) == 0
    assert "导入完成：新增" in capsys.readouterr().out
    assert main(["inspect", "scores", "--round", "2019", "--store", str(city.store)]) == 0
    out = capsys.readouterr().out
    assert "【示例数据】" in out and "区排名" in out and "95%区间" in out
    assert main(["inspect", "scores", "--round", "2019", "--district", "西海区", "--store", str(city.store)]) == 2
    assert "可选：" in capsys.readouterr().err


def test_inspect_plan_and_forms_commands(city, capsys, tmp_path):
    assert main(["inspect", "plan", "--round", "2020", "--seed", "4", "--out", str(tmp_path),
                 "--store", str(city.store)]) == 0
    out = capsys.readouterr().out
    assert "互检计划" in out and "抽样规则" in out and (tmp_path / "plan.xlsx").exists()
    assert main(["inspect", "forms", "--round", "2020", "--out", str(tmp_path / "f"), "--district", "东湖区",
                 "--store", str(city.store)]) == 0
    assert "已生成" in capsys.readouterr().out and list((tmp_path / "f").glob("2020_东湖区_*.xlsx"))
    assert main(["inspect", "plan", "--round", "二〇二〇", "--store", str(city.store)]) == 2
    assert "四位年份" in capsys.readouterr().err


def test_an_import_that_cannot_get_the_write_lock_is_refused_in_chinese(city, capsys, monkeypatch, fingerprint):
    import sqlite3

    before = fingerprint(city.store)
    monkeypatch.setattr(st, "BUSY_SECONDS", 1)
    holder = sqlite3.connect(city.store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")                 # another writer holds the store throughout
    try:
        code = main(["inspect", "import", *map(str, city.forms), "--round", "2019", "--store", str(city.store)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 2 and "正被另一个导入占用" in err and "未写入任何数据" in err and "Traceback" not in err
    assert fingerprint(city.store) == before


def test_demo_and_sample_data_take_checklists_and_refuse_a_folder_without_any(tmp_path, capsys):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    for argv in (["demo", "--out", str(tmp_path / "demo")], ["sample-data", "--out", str(tmp_path / "s")]):
        assert main([*argv, "--checklists", str(empty)]) == 2
        err = capsys.readouterr().err
        assert "没有检查表" in err and "--checklists" in err and "Traceback" not in err
    assert not (tmp_path / "demo").exists() and not (tmp_path / "s").exists()
