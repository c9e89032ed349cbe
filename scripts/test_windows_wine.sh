#!/usr/bin/env bash
# Runs a Windows program (node.exe, bun.exe, deno.exe) under Wine 10 on a Debian amd64 machine, as root, with only
# Debian's packages: scripts/test_windows.mjs calls it once per runtime. From the project root:
#
#   scripts/test_windows_wine.sh PATH/TO/PROGRAM.exe ARGS...
#   scripts/test_windows_wine.sh --setup      (only the Debian tree with Wine: .ci/run starts it early)
#
# The first call sets Wine up (about 5 minutes: Debian trixie with Wine 10 by debootstrap into $WIN_ROOT, 1.4 GB,
# and a prefix that says Windows 10); later calls start in about a second. The project root is bound into the Wine
# machine at the same path (drive Z:), so relative paths work; the program must live under the project or the cache.
# Output goes to a file first (node.exe cannot write to a Unix pipe); stdin is /dev/null; the exit status is the
# program's. Each call runs in a private mount namespace: nothing stays mounted on the host afterwards.
#
# What Wine 10 is not (measured 2026-12-05): Deno's DeleteFileW leaves delete-pending names (libuv's POSIX delete,
# used by Node and Bun, works); CreateSymbolicLinkW is a stub (success, nothing created); no console (no Ctrl+C,
# Ctrl+Break or console close); ACLs are not enforced. Debian 12's Wine 8 cannot run Node 24+ or Deno at all.
set -euo pipefail
WIN_CACHE=${WIN_CACHE:-$HOME/.cache/windows-under-wine}
WIN_ROOT=${WIN_ROOT:-$WIN_CACHE/trixie}
WINEPREFIX=${WINEPREFIX:-$WIN_CACHE/prefix}
exe=${1:?usage: test_windows_wine.sh PROGRAM.exe ARGS...}; shift
project=$PWD
mkdir -p "$WIN_CACHE"
say() { echo "test_windows_wine: $*" >&2; }

# 1. Wine 10 in a Debian trixie tree (its usr/bin/wine is a link into the tree's /etc: test a plain file).
if [[ ! -f "$WIN_ROOT/usr/lib/wine/wineserver" || ! -f "$WIN_ROOT/.complete" ]]; then
  command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [[ -n "$mirror" ]] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
  if [[ -f "$WIN_ROOT/usr/lib/wine/wineserver" ]]; then
    : # made by an earlier version of this set-up, or by ../shared/tools/windows-under-wine: keep it
  else
    say "debootstrap trixie with wine into $WIN_ROOT (a few minutes, once)"
    rm -rf "$WIN_ROOT"
    debootstrap --variant=minbase --include=wine64,wine trixie "$WIN_ROOT" "$mirror" >"$WIN_CACHE/debootstrap.log" 2>&1 ||
      { say "debootstrap failed: see $WIN_CACHE/debootstrap.log"; exit 1; }
  fi
  touch "$WIN_ROOT/.complete"
fi
# debootstrap writes no /etc/hosts: without one "localhost" does not resolve (Deno's vitest listens on it).
[[ -f "$WIN_ROOT/etc/hosts" ]] || printf '127.0.0.1 localhost\n::1 localhost\n' >"$WIN_ROOT/etc/hosts"
[[ "$exe" != "--setup" ]] || exit 0

# 2. Run inside a private mount namespace: the project and the cache are bound into the tree only there.
export WINEPREFIX WINEDEBUG=-all XDG_RUNTIME_DIR=/tmp WINEDLLOVERRIDES="mscoree,mshtml="
# Wine passes the Unix environment through: TMPDIR would hide TEMP/TMP from gettempdir(), and certificate paths
# that mean nothing on the Windows side make Deno warn on stderr.
unset TMPDIR DISPLAY SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS
out=$(mktemp -p "$WIN_CACHE" out.XXXXXX)
trap 'rm -f "$out"' EXIT
status=0
unshare --mount --propagation private /bin/bash -s -- "$WIN_ROOT" "$WIN_CACHE" "$project" "$out" "$exe" "$@" <<'INNER' || status=$?
set -u
root=$1 cache=$2 project=$3 out=$4 exe=$5; shift 5
mount -t proc proc "$root/proc"
for d in "$cache" "$project"; do mkdir -p "$root$d"; mount --bind "$d" "$root$d"; done
w() { chroot "$root" /usr/bin/env -C "$project" "$@"; }
# Lets the server go before the namespace does. A service it started (winedevice.exe) can keep it up: once,
# `wineserver -w` waited 15 minutes after deno.exe had ended. So a minute at most, then it is killed.
settle() { timeout 60 chroot "$root" /usr/bin/env -C "$project" wineserver -w || w wineserver -k || true; }
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
  echo "test_windows_wine: making a Windows 10 prefix in $WINEPREFIX (once)" >&2
  w wine wineboot -u >/dev/null 2>&1 || true
  w wine winecfg /v win10 >/dev/null 2>&1
  settle
fi
status=0
w wine "$exe" "$@" >"$out" 2>&1 </dev/null || status=$?
settle
exit $status
INNER
cat "$out"
exit $status
