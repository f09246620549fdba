#!/usr/bin/env bash
# The Python environment trainees' and trainers' servers run in on a `jiuzhu hub`.
# Every trainee has a system account of their own, so the interpreter, the libraries and the
# toolkit must be readable by every account: a venv of Debian's python3 in a world-readable
# folder (default /opt/jiuzhu-hub), with the toolkit installed as a copy (not editable: the
# repository may live where trainees cannot read). Re-running reinstalls the toolkit only when
# its files changed. Usage: tools/hub-runtime.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-${JIUZHU_HUB_RUNTIME_DIR:-/opt/jiuzhu-hub}}
bash "$here/tools/system-deps.sh" python3-venv
if [ ! -x "$dir/bin/python" ]; then
  echo "正在创建培训平台运行环境：$dir"
  mkdir -p "$dir"
  /usr/bin/python3 -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$dir/.jiuzhu-source"
# what the package is built from: toolkit/ and the top-level folders pyproject maps into it
# (checklists/, inspections/ since the re-cut); a folder missing here fails the build below
sources=(pyproject.toml README.md toolkit checklists inspections)
sum=$(cd "$here" && find "${sources[@]}" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  build=$(mktemp -d)
  trap 'rm -rf "$build"' EXIT
  # a clean copy: build artefacts never land in the repository
  (cd "$here" && tar cf - "${sources[@]}") | tar xf - -C "$build"
  # a failed install must stop here: an old toolkit left in the runtime looks like a working one
  if ! "$dir/bin/python" -m pip install --quiet "$build" > "$build/pip.log" 2>&1; then
    grep -v "^WARNING: Location" "$build/pip.log" >&2
    echo "培训平台运行环境安装失败：$dir" >&2
    exit 1
  fi
  "$dir/bin/python" -m pip uninstall --quiet --yes rfc3987-syntax >/dev/null 2>&1 || true
  "$dir/bin/python" -c "import toolkit.hub, toolkit.training.trainee, jupyterhub, nbgrader, jupyterhub_idle_culler"
  echo "$sum" > "$stamp"
fi
chmod -R a+rX "$dir"
echo "$dir"
