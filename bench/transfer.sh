#!/usr/bin/env bash
# Transfer benchmark rows (called by bench/run.sh after it has built the release examples): upload of a
# 29.9 MB image, download of a 200 MB result against curl, and idle CPU and polling with 3 running jobs,
# all against the simulator in a separate process. Builds the simulator binary, runs the example and
# passes its output through (human lines and `RESULT key=value` lines).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET=${CARGO_TARGET_DIR:-$(pwd)/target}
EXAMPLE=$TARGET/release/examples/bench_transfer

command -v curl >/dev/null || { echo "error: curl is not installed: the download yardstick needs it" >&2; exit 1; }
[[ -x $EXAMPLE ]] || { echo "error: $EXAMPLE is missing: run cargo build --release -p seedance-core --examples" >&2; exit 1; }

cargo build --release --quiet -p seedance-sim
SEEDANCE_SIM_BIN=$TARGET/release/seedance-sim exec "$EXAMPLE"
