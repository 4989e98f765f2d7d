#!/usr/bin/env bash
# Installs and removes the built .deb with the system's package manager, as a user would, and checks what each
# step leaves on the system. Used by `./dev package` around tests/package/installed.test.mjs.
#
#   tests/package/install-deb.sh install FILE.deb   remove the H.264/AAC decoder plugin if it can go alone (a clean
#                                                   system lacks it), then `apt-get install ./FILE.deb`: the
#                                                   package's declared dependencies must bring it back
#   tests/package/install-deb.sh remove             `apt-get purge`, then check that every file the package put on
#                                                   the system is gone and nothing named after the app is left
#                                                   outside users' homes
#
# Needs root (or sudo) and network access to the distribution's package archive.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
STATE=target/package-test
PKG=seedance-studio
DECODER=gstreamer1.0-libav

say() { printf '\033[1;36m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31mFAIL:\033[0m %s\n' "$*" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
apt_get() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -y -qq "$@"; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Paths outside homes, temporary folders and the package manager's own books whose names mention the app.
named_paths() {
  find /usr /etc /opt /var -xdev \( -path /var/lib/dpkg -o -path /var/cache -o -path /var/log -o -path /var/tmp \
    -o -path /var/lib/apt \) -prune -o -iname '*seedance*' -print 2>/dev/null | sort
}

install_deb() {
  local deb=$1
  [[ -f "$deb" ]] || fail "no package at $deb (run ./dev package --build-only first)"
  rm -rf "$STATE" && mkdir -p "$STATE"
  if installed "$PKG"; then
    say "an earlier $PKG is installed: removing it first"
    apt_get purge "$PKG" >/dev/null
  fi
  named_paths >"$STATE/before.txt"
  # A clean system: WebKitGTK only recommends the decoder, so `--no-install-recommends` systems lack it.
  if installed "$DECODER"; then
    apt-mark showmanual "$DECODER" | grep -qx "$DECODER" && echo manual >"$STATE/decoder-was" || echo auto >"$STATE/decoder-was"
    if [[ $(apt-get -s remove "$DECODER" | grep -c '^Remv') -eq 1 ]]; then
      say "removing $DECODER, so the package has to bring it"
      apt_get remove "$DECODER" >/dev/null
    else
      say "$DECODER cannot be removed alone here; its declaration is checked from the package's control file only"
    fi
  fi
  dpkg-deb -f "$deb" Depends | tee "$STATE/depends.txt" | sed 's/^/    Depends: /'
  grep -q "$DECODER" "$STATE/depends.txt" || fail "the package does not depend on $DECODER: video would not play"
  [[ "$deb" == /* ]] || deb="./$deb" # a path, not a package name, to apt
  say "apt-get install $deb"
  apt_get install "$deb" >/dev/null
  installed "$PKG" || fail "$PKG is not installed after apt-get install"
  installed "$DECODER" || fail "installing $PKG did not bring $DECODER"
  dpkg -L "$PKG" >"$STATE/files.txt"
  for bin in /usr/bin/seedance-studio /usr/bin/seedance; do
    [[ -x "$bin" ]] || fail "$bin is not installed"
  done
  grep -q '\.desktop$' "$STATE/files.txt" || fail "no desktop entry installed"
  say "installed: $(grep -c . "$STATE/files.txt") paths, $(dpkg-query -W -f='${Installed-Size}' "$PKG") KiB"
}

remove_deb() {
  if [[ ! -f "$STATE/files.txt" ]]; then
    installed "$PKG" && apt_get purge "$PKG" >/dev/null
    fail "nothing recorded: run 'install' first"
  fi
  say "apt-get purge $PKG"
  apt_get purge "$PKG" >/dev/null
  installed "$PKG" && fail "$PKG is still installed after purge"
  local left=0 path
  while read -r path; do
    # Folders such as /usr/bin stay: they belong to other packages too.
    if [[ -e "$path" && ! -d "$path" ]]; then
      echo "left behind: $path" >&2
      left=$((left + 1))
    fi
  done <"$STATE/files.txt"
  named_paths >"$STATE/after.txt"
  if ! diff -u "$STATE/before.txt" "$STATE/after.txt"; then
    left=$((left + 1))
  fi
  # The decoder stays (other programs may use it), marked as it was before the test.
  if [[ "$(cat "$STATE/decoder-was" 2>/dev/null)" == manual ]] && installed "$DECODER"; then
    $sudo apt-mark manual "$DECODER" >/dev/null
  fi
  [[ $left -eq 0 ]] || fail "$left file(s) left on the system after purge"
  say "removed cleanly: none of the package's $(grep -c . "$STATE/files.txt") paths left, nothing else named after it"
}

case "${1:-}" in
  install) install_deb "${2:?usage: $0 install FILE.deb}" ;;
  remove) remove_deb ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
