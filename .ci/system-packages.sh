#!/usr/bin/env bash
# System packages BLO Desk's tests need on Debian/Ubuntu: Qt's libraries (offscreen and xcb), Xvfb, xdotool (the
# walkthrough types in a real window), fonts, gettext, poppler (pdftotext/pdftoppm), qpdf, zbar (QR decoding),
# minisign and age (stock verifiers), PostgreSQL server binaries (the tests start their own server with initdb +
# pg_ctl), ImageMagick.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-6 libx11-xcb1 libxcb1 \
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 \
  libxcb-xkb1 fonts-dejavu-core xvfb xauth x11-utils xdotool imagemagick gettext poppler-utils qpdf zbar-tools \
  minisign age postgresql >/dev/null
