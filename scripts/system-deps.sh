#!/usr/bin/env bash
# Make sure the Debian packages the kiosk needs are installed.
#   scripts/system-deps.sh run    what `make run` needs (Qt's xcb libraries, fonts, pyscard's build deps,
#                                 xset to keep the screen on, the Vietnamese voice: speech-dispatcher
#                                 with espeak-ng)
#   scripts/system-deps.sh test   what `make test` needs (the above + pcscd, vpcd, Xvfb, xwininfo,
#                                 optipng for `make screenshots`)
# As root it installs what is missing with apt-get; as another user it names what is missing and fails.
# It also points speech-dispatcher at a sound output that cannot hang (see configure_speech).
set -euo pipefail

run_pkgs=(python3-venv python3-dev gcc libc6-dev libpcsclite-dev pcscd
          libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
          libfontconfig1 libglib2.0-0 libpulse0 fonts-noto-core x11-xserver-utils
          speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2)
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

# speech-dispatcher plays through PulseAudio by default; with no sound server and no sound card
# (a headless build or CI machine) speaking never finishes. With a sound card: PulseAudio when it
# runs, else ALSA's default device. Without one: ALSA's "null" device, so speech is produced and
# finishes, silently. `kiosk doctor` checks the result.
speechd_conf=/etc/speech-dispatcher/speechd.conf
configure_speech() {
  [[ -f "$speechd_conf" ]] || return 0
  local method device
  if grep -qs '^ *[0-9]' /proc/asound/cards; then
    method='"pulse,alsa"' device='"default"'
  else
    method='"alsa"' device='"null"'
  fi
  if grep -q "^AudioOutputMethod $method # motcua-kiosk" "$speechd_conf" &&
     grep -q "^AudioALSADevice $device # motcua-kiosk" "$speechd_conf"; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "system-deps: speech-dispatcher needs AudioOutputMethod $method and AudioALSADevice" \
         "$device in $speechd_conf (run this script as root)" >&2
    return 1
  fi
  sed -i -e '/^ *AudioOutputMethod /d' -e '/^ *AudioALSADevice /d' "$speechd_conf"
  printf 'AudioOutputMethod %s # motcua-kiosk: scripts/system-deps.sh\n' "$method" >> "$speechd_conf"
  printf 'AudioALSADevice %s # motcua-kiosk: scripts/system-deps.sh\n' "$device" >> "$speechd_conf"
  echo "system-deps: speech-dispatcher plays through $method (ALSA device $device)"
}

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  configure_speech
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  configure_speech
else
  echo "system-deps: these Debian packages are missing:" >&2
  echo "  ${missing[*]}" >&2
  echo "install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
