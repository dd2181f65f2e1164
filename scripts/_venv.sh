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

# PDFs (WeasyPrint) need HarfBuzz's subsetter and a Chinese font to embed; as root this installs
# them when missing, else says how.
ensure_pdf_libs() {
  local missing=()
  ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
  fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || missing+=(fonts-noto-cjk)
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=(poppler-utils); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} for PDF documents..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "PDF documents need: sudo apt-get install -y ${missing[*]}" >&2
  fi
}
