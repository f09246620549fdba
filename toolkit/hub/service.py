"""The systemd unit that runs `jiuzhu hub start` as a service on a server that reboots.

``jiuzhu hub service`` writes it with this installation's absolute paths.  systemd sends SIGTERM
to `jiuzhu hub start` only (``KillMode=mixed``), which stops JupyterHub, the proxy, the
formgraders and every trainee's server in order; whatever is still running after
``TimeoutStopSec`` is killed by systemd with the rest of the unit's control group.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from toolkit.hub.layout import Hub

UNIT_NAME = "jiuzhu-hub.service"

UNIT = """\
# {name}: 救助质量工具箱培训平台（JupyterHub），由 `jiuzhu hub service` 生成。
# 安装：sudo cp {name} /etc/systemd/system/ && sudo systemctl daemon-reload
#       sudo systemctl enable --now jiuzhu-hub
[Unit]
Description=救助质量工具箱 培训平台（JupyterHub，平台目录 {root}）
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=root
WorkingDirectory={root}
ExecStart={command}
# SIGTERM to `jiuzhu hub start` alone: it stops the hub, proxy, formgraders and trainees' servers
KillMode=mixed
KillSignal=SIGTERM
TimeoutStopSec=90
Restart=on-failure
RestartSec=10
# files the hub writes (logs, state) are kept from other accounts
UMask=0027
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=multi-user.target
"""


def unit_text(hub: Hub, bind: str) -> str:
    jiuzhu = Path(sys.executable).parent / "jiuzhu"
    command = shlex.join([str(jiuzhu), "hub", "start", "--root", str(hub.root), "--bind", bind])
    return UNIT.format(name=UNIT_NAME, root=hub.root, command=command)


def write_unit(hub: Hub, bind: str, out: Path | None) -> Path:
    from toolkit.files import write_text_atomic

    path = Path(out) if out else hub.root / UNIT_NAME
    write_text_atomic(path, unit_text(hub, bind))
    return path
