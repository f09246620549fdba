#!/usr/bin/env bash
# Installs the Debian packages the toolkit needs, by name, when they are missing.
# As root it runs apt-get; otherwise it prints the command for an administrator.
set -euo pipefail
missing=()
for pkg in "$@"; do
  case "$pkg" in
    fonts-noto-cjk)
      fonts=$(fc-list 2>/dev/null || true)
      grep -qi "Noto Sans CJK" <<<"$fonts" || missing+=("$pkg") ;;
    chromium)
      command -v chromium >/dev/null 2>&1 || missing+=("$pkg") ;;
    *)
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "正在安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  # matplotlib caches its font list; drop it so the new CJK font is seen.
  rm -f "$HOME"/.cache/matplotlib/fontlist-*.json
else
  echo "提示：缺少系统软件包 ${missing[*]}。请管理员执行：" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  echo "（缺少中文字体时图表中的汉字会显示为方框；缺少 chromium 时无法生成 PDF 和运行浏览器测试。）" >&2
fi
