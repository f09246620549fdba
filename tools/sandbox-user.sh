#!/usr/bin/env bash
# Creates the unprivileged system user the autograde sandbox runs trainee kernels as
# (toolkit/training/grading/sandbox.py).  As root it runs useradd; otherwise it prints the command.
set -euo pipefail
user=jiuzhu-sandbox
id "$user" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v useradd >/dev/null 2>&1; then
  echo "正在创建评分沙箱用户：$user"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
else
  echo "提示：缺少评分沙箱用户 $user，自动评分将拒绝运行。请管理员执行：" >&2
  echo "  sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $user" >&2
fi
