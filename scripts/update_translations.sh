#!/bin/sh
# Refresh assets/translations/motcua_vi.ts from the UI's source strings (keeping existing
# translations), then compile it to motcua_vi.qm, which the kiosk loads at run time.
# English is the source language and needs no file.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
"$BIN/pyside6-lupdate" $(find ui -name '*.py' | sort) -ts assets/translations/motcua_vi.ts \
    -source-language en -target-language vi_VN -no-obsolete
"$BIN/pyside6-lrelease" assets/translations/motcua_vi.ts -qm assets/translations/motcua_vi.qm
