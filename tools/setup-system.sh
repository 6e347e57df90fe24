#!/usr/bin/env bash
# Installs the Debian packages grantpress needs, only those that are missing:
# with everything installed it runs no package manager at all.
#   tools/setup-system.sh build   fonts (Liberation Serif, PT Serif, DejaVu Serif), git,
#                                   rsvg-convert (a PNG copy of each SVG figure in the .docx,
#                                   for Word before 2016 and LibreOffice, which show no SVG)
#   tools/setup-system.sh test    + poppler-utils, Java (EPUBCheck, Nu checker), Chromium, Hunspell,
#                                   LibreOffice Writer (opens the built .docx as Word would)
# Installing needs root (or sudo without a password) and the network; without
# them the script says what is missing and how to install it, and exits 1.
set -euo pipefail
need=()
# fc-list with a pattern prints the matching fonts and nothing else: a test of
# its output, with no pipe (`fc-list | grep -q` under pipefail failed at random
# when grep closed the pipe before fc-list had written everything).
has_font() { [ -n "$(fc-list "$1" family 2>/dev/null)" ]; }
command -v fc-list >/dev/null || need+=(fontconfig)
has_font "Liberation Serif" || need+=(fonts-liberation)
has_font "PT Serif" || need+=(fonts-paratype)
has_font "DejaVu Serif" || need+=(fonts-dejavu-core)
command -v git >/dev/null || need+=(git)
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
if [ "${1:-build}" = "test" ]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v chromium >/dev/null || need+=(chromium)
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
  command -v hunspell >/dev/null || need+=(hunspell)
  [ -f /usr/share/hunspell/ru_RU.dic ] || need+=(hunspell-ru)
  [ -f /usr/share/hunspell/kk_KZ.dic ] || need+=(hunspell-kk)
fi
if [ ${#need[@]} -eq 0 ]; then
  echo "grantpress: system packages (${1:-build}): all installed, nothing to install"
  exit 0
fi

echo "grantpress: missing system packages: ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "grantpress: installing them needs root. Run once, as root:" >&2
    echo "    apt-get update && apt-get install --no-install-recommends ${need[*]}" >&2
    echo "then run make again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt or dpkg (an unattended upgrade) for at most two minutes
# rather than failing at once on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=120 -o Acquire::Retries=2)
if ! $SUDO "${apt[@]}" update -qq \
    || ! $SUDO "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
  echo "grantpress: apt-get could not install ${need[*]}." >&2
  echo "    It needs the network (the Debian mirrors) and the apt lock; see its message above," >&2
  echo "    then run make again, or install the packages by hand." >&2
  exit 1
fi
