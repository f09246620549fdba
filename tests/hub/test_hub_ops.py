"""What an IT office meets around the hub without starting one: the systemd unit, the refusal of a
second start (pid file), hub.yaml's idle and limit settings, the address on the account list, and
the umask every `jiuzhu` command writes under (the running hub: tests/hub/test_hub_live.py)."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.errors import InputError, UserError
from toolkit.hub import accounts, layout, limits
from toolkit.hub.server import HubProcess


def test_the_service_unit_runs_this_installation_and_stops_by_sigterm(tmp_path, capsys):
    root = tmp_path / "hub"
    assert main(["hub", "service", "--bind", "0.0.0.0:8000", "--root", str(root)]) == 0
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(root / "jiuzhu-hub.service", encoding="utf-8")
    command = unit["Service"]["ExecStart"].split()
    assert Path(command[0]).is_file() and os.access(command[0], os.X_OK)
    assert command[1:] == ["hub", "start", "--root", str(root.resolve()), "--bind", "0.0.0.0:8000"]
    assert unit["Service"]["KillMode"] == "mixed" and unit["Service"]["KillSignal"] == "SIGTERM"
    assert unit["Service"]["Restart"] == "on-failure" and unit["Install"]["WantedBy"] == "multi-user.target"
    assert "systemctl enable --now jiuzhu-hub" in capsys.readouterr().out
    analyze = shutil.which("systemd-analyze")
    if analyze:                                      # systemd's own check of the unit file
        copy = tmp_path / "jiuzhu-hub.service"
        copy.write_bytes((root / "jiuzhu-hub.service").read_bytes())
        verified = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=120)
        assert verified.returncode == 0, verified.stderr


def test_a_bad_bind_for_the_service_is_refused(tmp_path, capsys):
    assert main(["hub", "service", "--bind", "8000", "--root", str(tmp_path / "hub")]) == 2
    assert "--bind" in capsys.readouterr().err
    assert not (tmp_path / "hub" / "jiuzhu-hub.service").exists()


def test_a_second_start_is_refused_while_the_first_lives(tmp_path):
    hub = layout.open_hub(tmp_path / "hub")
    (hub.state / "runtime.json").write_text(json.dumps({"bind": "127.0.0.1:18123"}), encoding="utf-8")
    other = subprocess.Popen(["sleep", "60"])
    try:
        (hub.state / "jiuzhu-hub.pid").write_text(str(other.pid))
        with pytest.raises(UserError) as err:
            HubProcess(hub, "127.0.0.1:0").refuse_if_running()
        assert f"进程号 {other.pid}" in str(err.value) and "端口 18123" in str(err.value)
    finally:
        other.kill()
        other.wait()
    HubProcess(hub, "127.0.0.1:0").refuse_if_running()        # a dead pid is a stale file, not a hub


@pytest.mark.parametrize("yaml_text, expected", [
    ("", (3600, 1024 ** 3, 1.0)),                                          # the defaults
    ("idle_timeout: 0\nlimits: {memory: 512M, cpus: 0.5}\n", (0, 512 * 1024 ** 2, 0.5)),
    ("limits: {memory: 0, cpus: 0}\n", (3600, 0, 0.0)),                    # no limits
])
def test_idle_and_limit_settings(tmp_path, yaml_text, expected):
    root = tmp_path / "hub"
    root.mkdir()
    (root / "hub.yaml").write_text(yaml_text + "courses:\n  - {id: quji, title: 区级培训}\n", encoding="utf-8")
    hub = layout.open_hub(root)
    assert (hub.idle_timeout, hub.memory, hub.cpus) == expected


@pytest.mark.parametrize("bad", ["idle_timeout: 一小时\n", "limits: {memory: lots}\n", "limits: {cpus: -1}\n"])
def test_bad_idle_or_limit_settings_are_refused_in_chinese(tmp_path, bad):
    root = tmp_path / "hub"
    root.mkdir()
    (root / "hub.yaml").write_text(bad + "courses:\n  - {id: quji, title: 区级培训}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        layout.open_hub(root)
    assert "hub.yaml" in str(err.value) and "limits.memory 如 1G" in str(err.value)


def test_the_account_list_names_the_address_the_hub_was_started_on(tmp_path):
    hub = layout.open_hub(tmp_path / "hub")
    assert accounts.reach_url(hub) == "http://127.0.0.1:8000/"              # hub.yaml, before any start
    (hub.state / "runtime.json").write_text(json.dumps({"bind": "10.1.2.3:8123"}), encoding="utf-8")
    assert accounts.reach_url(hub) == "http://10.1.2.3:8123/"               # `hub start --bind`
    (hub.state / "runtime.json").write_text(json.dumps({"bind": "0.0.0.0:8123"}), encoding="utf-8")
    url = accounts.reach_url(hub)
    assert url.endswith(":8123/") and "0.0.0.0" not in url                  # this server's own address


def test_an_earlier_account_list_is_read_back(tmp_path):
    course = layout.open_hub(tmp_path / "hub").course("quji")
    made = [accounts.Account("dh001", "trainee", "张三丰", password="abcdefgh23", created=True),
            accounts.Account("dh002", "trainee", "李四", note="账号已停用")]
    path = accounts.write_account_list(tmp_path / "list.xlsx", course, made, "http://10.0.0.1:8000/")
    assert accounts.read_account_list(path) == {"dh001": {"password": "abcdefgh23", "note": ""},
                                                "dh002": {"password": "", "note": "账号已停用"}}
    assert accounts.read_account_list(tmp_path / "none.xlsx") == {}


@pytest.mark.parametrize("argv, words", [
    (["hub", "accounts"], ["--course"]),
    (["hub", "accounts", "remove"], ["remove dh004"]),
    (["hub", "accounts", "remove", "root", "grader-quji"], ["root"]),       # never a system or grader account
])
def test_accounts_commands_missing_what_they_need(tmp_path, capsys, argv, words):
    assert main([*argv, "--root", str(tmp_path / "hub")]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words) and "Traceback" not in err


def test_memory_sizes():
    assert [limits.parse_memory(v) for v in ("1G", "512M", "2048K", 0, "", "1.5G")] == [
        1024 ** 3, 512 * 1024 ** 2, 2048 * 1024, 0, 0, int(1.5 * 1024 ** 3)]
    with pytest.raises(ValueError):
        limits.parse_memory("lots")


def test_files_a_command_writes_are_kept_from_other_accounts(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
    workbook.active.append(["dh001", "张三", "东湖街道", "东湖社区"])
    workbook.save(tmp_path / "花名册.xlsx")
    course = tmp_path / "course"
    before = os.umask(0o022)
    try:
        assert main(["course", "init", str(course)]) == 0
        assert main(["course", "roster", "import", str(tmp_path / "花名册.xlsx"), "--course", str(course)]) == 0
        assert os.umask(0o022) == 0o022                         # the caller's umask is given back
    finally:
        os.umask(before)
    written = [p for p in course.rglob("*") if p.is_file()]
    assert any(p.name == "gradebook.db" for p in written)    # the roster lives here
    assert [p for p in written if stat.S_IMODE(p.stat().st_mode) & 0o007] == []
