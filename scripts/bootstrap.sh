#!/usr/bin/env bash
# Install everything briefgen needs on a fresh Debian/Ubuntu machine, idempotently:
# system libraries and fonts (Pango, HarfBuzz subsetting, CJK and Arabic fonts, poppler),
# then a virtual environment in .venv with briefgen, its test extra and the dev tools (the
# `dev` dependency group of pyproject.toml: ruff, mypy, deptry...).
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser the tests open `--html` output in (driven by playwright, never
# `playwright install`). fonts-noto-core covers Arabic, Hebrew, Ethiopic (Amharic),
# Devanagari, Thai, Cyrillic and Greek.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
          fonts-noto-core fonts-noto-cjk poppler-utils qpdf chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bootstrap: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "bootstrap: briefgen needs Python 3.11 or newer ($python is older)"; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip() {  # pip's own failure fails the script; its notes about unusable index locations are dropped
  .venv/bin/python -m pip "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }
}
# Dependency groups (`--group dev`) need pip 25.1 or newer.
.venv/bin/python -c 'import sys, pip; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (25, 1))' \
  || pip install -q --upgrade 'pip>=25.1'
pip install -q -e '.[test]' --group dev
# Byte-compiled now, as pip does for an installed wheel: an editable install compiles each
# module at every start where PYTHONDONTWRITEBYTECODE is set (a quarter of a `check`).
.venv/bin/python -m compileall -q briefgen >/dev/null
.venv/bin/briefgen --version
