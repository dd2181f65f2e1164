# Shared by demo.sh and test.sh: create .venv with Python 3.11 and install a requirements file.
PYTHON_BIN="${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"
PY=.venv/bin/python

ensure_venv() {
  if [ ! -x "$PY" ]; then
    if ! "$PYTHON_BIN" -m venv .venv; then
      echo "无法创建虚拟环境：请先安装 python3-venv（sudo apt-get install python3-venv）" >&2
      exit 1
    fi
  fi
  local stamp=".venv/.installed-$(cat "$@" requirements.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$PY" -m pip install --quiet --upgrade pip
    for req in "$@"; do "$PY" -m pip install --quiet -r "$req"; done
    touch "$stamp"
  fi
}
