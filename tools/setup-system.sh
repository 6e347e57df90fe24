#!/usr/bin/env bash
# Installs the Debian packages grantpress needs, only those that are missing.
#   tools/setup-system.sh build   fonts (Liberation Serif, PT Serif, DejaVu Serif)
#   tools/setup-system.sh test    + poppler-utils, Java (EPUBCheck, Nu checker), Chromium,
#                                   LibreOffice Writer (opens the built .docx as Word would)
set -euo pipefail
need=()
has_font() { fc-list 2>/dev/null | grep -q "$1"; }
has_font "Liberation Serif" || need+=(fonts-liberation)
has_font "PT Serif" || need+=(fonts-paratype)
has_font "DejaVu Serif" || need+=(fonts-dejavu-core)
command -v fc-match >/dev/null || need+=(fontconfig)
command -v git >/dev/null || need+=(git)
if [ "${1:-build}" = "test" ]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v chromium >/dev/null || need+=(chromium)
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
  [ -f /usr/share/hunspell/kk_KZ.dic ] && [ -f /usr/share/hunspell/ru_RU.dic ] && command -v hunspell >/dev/null || need+=(hunspell hunspell-ru hunspell-kk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "grantpress: installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
