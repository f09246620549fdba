#!/usr/bin/env bash
# Creates the unprivileged system users the autograde sandbox runs trainee kernels as
# (toolkit/training/grading/sandbox.py): a pool jiuzhu-sandbox-1 … jiuzhu-sandbox-N, one per kernel
# running at once (N = JIUZHU_SANDBOX_POOL, default 8), so that one trainee's processes never
# count against another's limits.  As root it runs useradd; otherwise it prints the commands.
set -euo pipefail
n=${JIUZHU_SANDBOX_POOL:-8}
missing=()
for i in $(seq 1 "$n"); do
  id "jiuzhu-sandbox-$i" >/dev/null 2>&1 || missing+=("jiuzhu-sandbox-$i")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v useradd >/dev/null 2>&1; then
  echo "正在创建评分沙箱用户：${missing[*]}"
  for user in "${missing[@]}"; do
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  done
else
  echo "提示：缺少评分沙箱用户 ${missing[*]}，自动评分将拒绝运行。请管理员执行：" >&2
  for user in "${missing[@]}"; do
    echo "  sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $user" >&2
  done
fi
