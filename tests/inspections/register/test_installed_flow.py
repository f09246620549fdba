"""Issue 15, done-when 1: a wheel installed in a fresh virtualenv runs a real district from zero.

The wheel is built from this checkout (``pip wheel --no-deps``; its build back-end comes from the
same package index ``make setup`` used) and installed ``--no-deps`` into a new venv made without pip by
the base interpreter.  That venv sees the project venv's site-packages for third-party libraries
through a plain path line in a ``.pth`` file — such a line does not run the project venv's
own ``.pth`` files, so the editable install of this checkout is NOT active there.  The test
checks that ``toolkit`` is imported from the wheel and that no path of the repository is on
``sys.path``, then runs every command in an empty folder outside the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from toolkit.demo import qingpu

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"                          # build from a copy: nothing is written into the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "data", "*.egg-info",
                                                                 "__pycache__", ".pytest_cache", "courses"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(base / "dist"), str(source)], check=True, cwd=base)
    wheel = next((base / "dist").glob("jiuzhu_toolkit-*.whl"))
    venv = base / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_project_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True)
    return venv


def run(venv: Path, cwd: Path, *args: str, expect: int = 0) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # nbconvert's templates are data files of the library, installed under the project venv's prefix
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    done = subprocess.run([str(venv / "bin" / "jiuzhu"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == expect, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_a_district_from_org_template_to_reports_with_the_installed_wheel(installed, tmp_path):
    work = tmp_path / "青浦区民政局"
    work.mkdir()
    probe = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import sys, toolkit, importlib.resources as r; print(toolkit.__file__); "
                            "print(r.files('toolkit.inspections.notebooks')); print('\\n'.join(sys.path))"],
                           cwd=work, capture_output=True, text=True, check=True).stdout
    lines = probe.splitlines()
    assert lines[0].startswith(str(installed)) and lines[1].startswith(str(installed)), probe
    # third-party libraries come from the project venv; nothing else of the checkout is on the path
    outside_venv = [p for p in lines[2:] if p.startswith(str(REPO)) and not p.startswith(str(REPO / ".venv"))]
    assert outside_venv == [], probe

    run(installed, work, "org", "template", "--out", ".")
    qingpu.fill_templates(work)
    store = "jiuzhu.sqlite"
    assert "新增 11" in run(installed, work, "org", "import", "区街镇名册.xlsx", "--store", store)
    assert "新增 275" in run(installed, work, "register", "import", "低保档案名册.xlsx", "--store", store)
    run(installed, work, "inspect", "plan", "--round", "2019-各区互检", "--kind", "各区互检", "--store", store,
        expect=2)

    for round_id, kind in (("2019-区级督导", "区级督导"), ("2019-自查", "自查")):
        assert f"{kind}计划" in run(installed, work, "inspect", "plan", "--round", round_id, "--kind", kind,
                                   "--store", store, "--out", f"计划/{round_id}")
        run(installed, work, "inspect", "forms", "--round", round_id, "--store", store, "--out", f"表格/{round_id}")
        forms = sorted((work / "表格" / round_id).glob("*.xlsx"))
        assert len(forms) == 11
        qingpu.fill_forms(work / store, round_id, forms)
        assert "新增 11 个" in run(installed, work, "inspect", "import", *map(str, forms), "--round", round_id,
                                   "--store", store)
        assert "夏阳街道" in run(installed, work, "inspect", "scores", "--round", round_id, "--store", store)

    run(installed, work, "inspect", "report", "--round", "2019-区级督导", "--store", store, "--out", "报告",
        "--formats", "html,docx,xlsx", "--jobs", "2", "--issue-date", "2020-01-20")
    folder = work / "报告" / "2019-区级督导"
    district = folder / "青浦区"
    summary = folder / "全区汇总"
    for part in (district, summary):
        assert list(part.glob("*.docx")) and list(part.glob("*.xlsx")) and list(part.glob("*.html")), part
    html = next(district.glob("*.html")).read_text(encoding="utf-8")
    assert "青浦区社会救助管理服务质量区级督导检查报告" in html
    summary_html = next(summary.glob("*.html")).read_text(encoding="utf-8")
    assert "青浦区社会救助管理服务质量区级督导全区汇总报告" in summary_html and "各街镇得分排名" in summary_html
    assert "全市汇总" not in summary_html and "示例数据" not in html
    assert "全市" not in summary_html and "青浦区民政局督导检查组" in summary_html   # a 全区汇总 speaks of the district
    run(installed, work, "inspect", "report", "--round", "2019-自查", "--store", store, "--out", "报告",
        "--formats", "html", "--jobs", "2", "--issue-date", "2020-01-20")
    assert "青浦区社会救助管理服务质量街镇自查报告" in next((work / "报告" / "2019-自查" / "青浦区").glob("*.html")).read_text(encoding="utf-8")
    assert not any(REPO in p.resolve().parents for p in work.rglob("*"))
