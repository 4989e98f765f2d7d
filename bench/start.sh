#!/usr/bin/env bash
# Start time and memory of the release app against a minimal Tauri 2 app (bench/minimal-app, the yardstick),
# measured in the same run on the same machine. Called by bench/run.sh; runs alone too: `bench/start.sh`.
#
# For each app, RUNS runs (the apps alternate A B B A ... so machine noise hits both alike), each in a fresh
# throwaway HOME, XDG folders and SEEDANCE_DATA_DIR, inside a private D-Bus session with an unlocked
# gnome-keyring, on one Xvfb display:
#   start    launch -> the window is mapped and viewable (polled every 10 ms: `xdotool search --sync` only
#            looks every 500 ms, too coarse for starts well under a second)
#   memory   2 s after the window is shown: RSS and PSS summed over the app and every descendant
#            (WebKitWebProcess, WebKitNetworkProcess, ...), from /proc/PID/smaps_rollup
#   idle CPU the 10 s after the window is shown, whole tree, % of one core (information only); also the 10 s
#            after the first 2 s, when the page has loaded and only background work is left ("quiet")
# Prints human lines and `RESULT key=value` lines (medians): start_ms minimal_start_ms rss_mib minimal_rss_mib
# pss_mib minimal_pss_mib app_idle_cpu_pct minimal_idle_cpu_pct app_quiet_cpu_pct minimal_quiet_cpu_pct.
#
# The minimal app's window is the app's size (1280x800): window area alone moves the minimal tree's memory by
# about 14 MiB RSS (10 MiB PSS) against its default 800x600, which is not what this comparison is about.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${BENCH_START_RUNS:-7}
APP_BIN=$TARGET/release/seedance-studio
APP_TITLE="Seedance Studio"
MINIMAL_BIN=$TARGET/release/minimal-tauri-app
MINIMAL_TITLE="Minimal Tauri Yardstick"
WINDOW_TIMEOUT_S=30
SETTLE_S=2
IDLE_S=10
KEYRING_PASSWORD=seedance-bench-keyring

say() { printf '\033[1;36m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# ---- process-tree helpers ------------------------------------------------------------------------------------

# The PIDs of $1 and all its descendants, however deep (WebKit's helpers may sit under a sandbox launcher).
tree_pids() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END {
      queue[1] = root; n = 1
      for (i = 1; i <= n; i++) {
        print queue[i]
        split(kids[queue[i]], k, " ")
        for (j in k) if (k[j] != "") queue[++n] = k[j]
      }
    }'
}

# "PID TICKS" (user + system CPU) for each PID given that still exists.
cpu_ticks() {
  local p
  for p in "$@"; do
    # Fields after the parenthesised command name, which may itself hold spaces.
    awk -v p="$p" '{ sub(/^.*\) /, ""); print p, $12 + $13 }' "/proc/$p/stat" 2>/dev/null || true
  done
}

# cpu_pct_since SNAPSHOT PID...: CPU the PIDs used since the cpu_ticks SNAPSHOT, as % of one core over IDLE_S.
# A process that started after the snapshot counts from its own start: all of its CPU is in the window.
cpu_pct_since() {
  local snapshot=$1
  shift
  cpu_ticks "$@" | awk -v before="$snapshot" -v hz="$(getconf CLK_TCK)" -v s="$IDLE_S" '
    BEGIN { n = split(before, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, " "); t[f[1]] = f[2] } }
    { used += $2 - ($1 in t ? t[$1] : 0) }
    END { printf "%.1f", 100 * used / hz / s }'
}

# ---- one measured run (runs inside its own dbus-run-session; see run_once) -----------------------------------

one_run() {
  local bin=$1 title=$2 log=$3
  export NO_AT_BRIDGE=1
  # The app's keychain is the real Secret Service, as users have it; a fresh keyring, unlocked.
  echo "$KEYRING_PASSWORD" | timeout 10 gnome-keyring-daemon --unlock --components=secrets >/dev/null

  local t0 t1 pid now deadline
  t0=$(date +%s%N)
  "$bin" >"$log" 2>&1 &
  pid=$!
  deadline=$((t0 + WINDOW_TIMEOUT_S * 1000000000))
  while true; do
    if xdotool search --onlyvisible --name "^${title}\$" >/dev/null 2>&1; then
      t1=$(date +%s%N)
      break
    fi
    kill -0 "$pid" 2>/dev/null || { echo "FAIL the app exited before its window showed"; return 0; }
    now=$(date +%s%N)
    if ((now > deadline)); then
      echo "FAIL no visible window titled '$title' after ${WINDOW_TIMEOUT_S} s"
      kill_tree "$pid"
      return 0
    fi
    sleep 0.01
  done

  local shown settled
  shown=$(cpu_ticks $(tree_pids "$pid"))

  sleep "$SETTLE_S"
  local pids rss=0 pss=0 r q name p
  pids=$(tree_pids "$pid")
  settled=$(cpu_ticks $pids)
  for p in $pids; do
    read -r r q < <(awk '/^Rss:/ { r = $2 } /^Pss:/ { q = $2 } END { print r + 0, q + 0 }' \
      "/proc/$p/smaps_rollup" 2>/dev/null || echo "0 0")
    name=$(cat "/proc/$p/comm" 2>/dev/null || echo gone)
    echo "PROC $name $r $q"
    rss=$((rss + r)); pss=$((pss + q))
  done
  # Information only: the session's other processes (D-Bus, keyring, services the app had D-Bus start).
  for p in $(grep -l -s -a "SEEDANCE_BENCH_MARK=$SEEDANCE_BENCH_MARK" /proc/[0-9]*/environ | cut -d/ -f3); do
    grep -qx "$p" <<<"$pids" && continue
    [[ -r /proc/$p/smaps_rollup ]] || continue
    read -r r q < <(awk '/^Rss:/ { r = $2 } /^Pss:/ { q = $2 } END { print r + 0, q + 0 }' \
      "/proc/$p/smaps_rollup" 2>/dev/null || echo "0 0")
    echo "SESSION $(cat "/proc/$p/comm" 2>/dev/null || echo gone) $r $q"
  done

  sleep $((IDLE_S - SETTLE_S))
  local cpu_pct quiet_pct
  cpu_pct=$(cpu_pct_since "$shown" $(tree_pids "$pid"))
  sleep "$SETTLE_S"
  quiet_pct=$(cpu_pct_since "$settled" $(tree_pids "$pid"))

  echo "RUN start_ms=$(((t1 - t0) / 1000000)) rss_kib=$rss pss_kib=$pss procs=$(wc -w <<<"$pids") cpu_pct=$cpu_pct quiet_pct=$quiet_pct"
  kill_tree "$pid"
}

# TERM to the app, then KILL to whatever of its tree is left after 5 s.
kill_tree() {
  local pids i
  pids=$(tree_pids "$1")
  kill -TERM "$1" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

if [[ ${1:-} == --one-run ]]; then
  shift
  one_run "$@"
  exit 0
fi

# ---- the parent: build, run alternately, report -------------------------------------------------------------

for tool in Xvfb xdotool dbus-run-session gnome-keyring-daemon ps npm cargo; do
  command -v "$tool" >/dev/null || die "$tool is missing: run ./dev setup, then run this again"
done

WORK=$(mktemp -d)
XVFB_PID=""
MARK="seedance-bench-start-$$"

# Every process a run left behind carries our mark in its environment (D-Bus-activated services too), so
# only those are stopped: never anything else on the machine.
stop_marked() {
  local p
  for p in $(grep -l -s -a "SEEDANCE_BENCH_MARK=$MARK" /proc/[0-9]*/environ | cut -d/ -f3); do
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    kill -KILL "$p" 2>/dev/null || true
  done
}

cleanup() {
  stop_marked
  [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  # A desktop portal may still hold a mount under a run's temporary HOME for a moment.
  awk -v t="$WORK" 'index($2, t) == 1 { print $2 }' /proc/mounts | while read -r m; do
    fusermount -uz "$m" 2>/dev/null || true
  done
  rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -f ui/dist/index.html ]] ||
  [[ -n $(find ui/src ui/public ui/index.html ui/vite.config.ts package-lock.json -newer ui/dist/index.html -print -quit) ]]; then
  say "building the UI (vite)"
  npm run --silent build >/dev/null
fi
say "building the app and the minimal Tauri app (release; slow the first time)"
cargo build --release --quiet -p seedance-studio
cargo build --release --quiet --locked --manifest-path bench/minimal-app/Cargo.toml --target-dir "$TARGET"
[[ -x $APP_BIN && -x $MINIMAL_BIN ]] || die "a release binary is missing: see the build output above"

# One X display for every run, on a free display number Xvfb picks itself. -noreset: by default Xvfb resets
# when its last client leaves, and an app connecting during that reset fails to initialise GTK.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$WORK/display" >/dev/null 2>&1 &
XVFB_PID=$!
for ((i = 0; i < 100; i++)); do
  [[ -s $WORK/display ]] && break
  sleep 0.1
done
[[ -s $WORK/display ]] || die "Xvfb did not start within 10 s"
export DISPLAY=":$(head -n1 "$WORK/display")"

# run_once WHICH BIN TITLE: one fresh run; sets the globals R_START R_RSS R_PSS R_CPU R_QUIET R_PROCS R_DETAIL
# R_SESSION.
run_once() {
  local which=$1 bin=$2 title=$3 home out
  kill -0 "$XVFB_PID" 2>/dev/null || die "the Xvfb display $DISPLAY stopped"
  home=$(mktemp -d "$WORK/run-XXXXXX")
  mkdir -p "$home"/{config,data,cache,state,runtime,seedance}
  chmod 700 "$home/runtime"
  out=$(SEEDANCE_BENCH_MARK=$MARK HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
    XDG_STATE_HOME="$home/state" XDG_RUNTIME_DIR="$home/runtime" SEEDANCE_DATA_DIR="$home/seedance" \
    timeout --kill-after=5 $((WINDOW_TIMEOUT_S + IDLE_S + SETTLE_S + 30)) \
    dbus-run-session -- "$ROOT/bench/start.sh" --one-run "$bin" "$title" "$home/app.log" 2>&1) || true
  stop_marked
  local run
  run=$(grep '^RUN ' <<<"$out" || true)
  if [[ -z $run ]]; then
    echo "$out" | grep -v '^PROC ' >&2
    echo "--- the $which app's output:" >&2
    tail -n 20 "$home/app.log" >&2 || true
    die "a $which run failed"
  fi
  R_START=$(sed -E 's/.*start_ms=([0-9]+).*/\1/' <<<"$run")
  R_RSS=$(sed -E 's/.*rss_kib=([0-9]+).*/\1/' <<<"$run")
  R_PSS=$(sed -E 's/.*pss_kib=([0-9]+).*/\1/' <<<"$run")
  R_CPU=$(sed -E 's/.*cpu_pct=([0-9.]+).*/\1/' <<<"$run")
  R_QUIET=$(sed -E 's/.*quiet_pct=([0-9.]+).*/\1/' <<<"$run")
  R_PROCS=$(sed -E 's/.*procs=([0-9]+).*/\1/' <<<"$run")
  # Per process kind (name: RSS/PSS MiB), to show where the memory is.
  R_DETAIL=$(awk '/^PROC / { r[$2] += $3; q[$2] += $4 }
    END { for (n in r) printf "%s %.0f/%.0f, ", n, r[n] / 1024, q[n] / 1024 }' <<<"$out")
  R_SESSION=$(awk '/^SESSION / && $2 !~ /^(start\.sh|bash|grep|cut|awk|cat|sleep|timeout|dbus-run-sessio)$/ { r[$2] += $3 }
    END { for (n in r) printf "%s %.0f, ", n, r[n] / 1024 }' <<<"$out")
  # A desktop portal (D-Bus started it for the app) may leave its mount under the run's XDG_RUNTIME_DIR.
  awk -v t="$home" 'index($2, t) == 1 { print $2 }' /proc/mounts | while read -r m; do
    fusermount -uz "$m" 2>/dev/null || true
  done
  rm -rf "$home" 2>/dev/null || true
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
more_mib() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a - b) / 1024 }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A S=() M=() P=() C=() Q=()
measure() { # measure which bin title: one counted run, kept under its app's key
  run_once "$@"
  local which=$1
  S[$which]+=" $R_START"; M[$which]+=" $R_RSS"; P[$which]+=" $R_PSS"; C[$which]+=" $R_CPU"; Q[$which]+=" $R_QUIET"
  printf '  %-8s start %5s ms | RSS %6s MiB | PSS %6s MiB | %s processes | CPU %5s%% (0-10 s), %4s%% (2-12 s) | %s\n' \
    "$which" "$R_START" "$(mib "$R_RSS")" "$(mib "$R_PSS")" "$R_PROCS" "$R_CPU" "$R_QUIET" "${R_DETAIL%, }"
  printf '  %-8s (not counted: the session around it, RSS MiB: %s)\n' "" "${R_SESSION%, }"
}

say "start time and memory on Xvfb $DISPLAY: $RUNS runs of each app, alternating (a warm-up pair first)"
run_once ours "$APP_BIN" "$APP_TITLE"
run_once minimal "$MINIMAL_BIN" "$MINIMAL_TITLE"
echo "  warm-up done (not counted)"
for ((i = 1; i <= RUNS; i++)); do
  echo " run $i/$RUNS"
  if ((i % 2)); then
    measure ours "$APP_BIN" "$APP_TITLE"
    measure minimal "$MINIMAL_BIN" "$MINIMAL_TITLE"
  else
    measure minimal "$MINIMAL_BIN" "$MINIMAL_TITLE"
    measure ours "$APP_BIN" "$APP_TITLE"
  fi
done

start_ms=$(median <<<"${S[ours]}")
minimal_start_ms=$(median <<<"${S[minimal]}")
rss=$(median <<<"${M[ours]}")
minimal_rss=$(median <<<"${M[minimal]}")
pss=$(median <<<"${P[ours]}")
minimal_pss=$(median <<<"${P[minimal]}")
cpu=$(median <<<"${C[ours]}")
minimal_cpu=$(median <<<"${C[minimal]}")
quiet=$(median <<<"${Q[ours]}")
minimal_quiet=$(median <<<"${Q[minimal]}")

echo "start -> window shown (median of $RUNS): ours $start_ms ms, minimal Tauri app $minimal_start_ms ms" \
  "($(awk -v a="$start_ms" -v b="$minimal_start_ms" 'BEGIN { printf "%.2f", a / b }')x)"
echo "memory ${SETTLE_S} s after the window shows, whole process tree (median):" \
  "RSS ours $(mib "$rss") MiB, minimal $(mib "$minimal_rss") MiB ($(more_mib "$rss" "$minimal_rss") MiB);" \
  "PSS ours $(mib "$pss") MiB, minimal $(mib "$minimal_pss") MiB ($(more_mib "$pss" "$minimal_pss") MiB)"
echo "CPU over the ${IDLE_S} s after the window shows (median, % of one core, whole tree): ours $cpu, minimal $minimal_cpu;" \
  "over the ${IDLE_S} s after that first ${SETTLE_S} s (the page has loaded): ours $quiet, minimal $minimal_quiet"
echo "RESULT start_ms=$start_ms minimal_start_ms=$minimal_start_ms"
echo "RESULT rss_mib=$(mib "$rss") minimal_rss_mib=$(mib "$minimal_rss") pss_mib=$(mib "$pss") minimal_pss_mib=$(mib "$minimal_pss")"
echo "RESULT app_idle_cpu_pct=$cpu minimal_idle_cpu_pct=$minimal_cpu app_quiet_cpu_pct=$quiet minimal_quiet_cpu_pct=$minimal_quiet"
