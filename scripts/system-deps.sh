#!/usr/bin/env bash
# Make sure the Debian packages the kiosk needs are installed.
#   scripts/system-deps.sh run    what `make run` needs (Qt's xcb libraries, fonts, pyscard's build deps,
#                                 xset to keep the screen on)
#   scripts/system-deps.sh test   what `make test` needs (the above + pcscd, vpcd, Xvfb, xwininfo,
#                                 optipng for `make screenshots`)
# As root it installs what is missing with apt-get; as another user it names what is missing and fails.
set -euo pipefail

run_pkgs=(python3-venv python3-dev gcc libc6-dev libpcsclite-dev pcscd
          libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
          libfontconfig1 libglib2.0-0 libpulse0 fonts-noto-core x11-xserver-utils)
test_pkgs=("${run_pkgs[@]}" vsmartcard-vpcd xvfb xauth x11-utils poppler-utils optipng)

case "${1:-test}" in
  run) wanted=("${run_pkgs[@]}") ;;
  test) wanted=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian-like system; make sure these (or your system's equivalents) are installed:" >&2
  echo "  ${wanted[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "system-deps: these Debian packages are missing:" >&2
  echo "  ${missing[*]}" >&2
  echo "install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
