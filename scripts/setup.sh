#!/usr/bin/env bash
# Installs what the application needs into this checkout: the Debian fonts its PDFs embed, a
# Python virtual environment with the project and its development tools, and the USWDS front-end
# assets (copied into static/vendor, which git ignores). Safe to run again: it only reinstalls
# what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/debian.sh

# The fonts every PDF embeds (core/pdf.py): DejaVu Sans for Latin, Cyrillic and Arabic, Droid
# Sans Fallback for Chinese, Japanese and Korean.
fonts=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || fonts+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || fonts+=(fonts-droid-fallback)
install_debian_packages ${fonts[@]+"${fonts[@]}"}

python_bin=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the Python virtual environment in .venv"
  "$python_bin" -m venv .venv
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

assets_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$assets_stamp" ] || [ ! -d static/vendor/uswds ]; then
  echo "Installing front-end assets (USWDS, axe-core) from npm"
  npm ci --no-audit --no-fund --loglevel=error
  rm -rf static/vendor/uswds
  mkdir -p static/vendor/uswds
  for part in css js fonts img; do
    cp -R "node_modules/@uswds/uswds/dist/$part" static/vendor/uswds/
  done
  rm -f node_modules/.installed-*
  touch "$assets_stamp"
fi
