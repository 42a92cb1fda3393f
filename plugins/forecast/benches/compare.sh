#!/usr/bin/env bash
# Throughput of the Rust AutoETS port against statsforecast 2.1.1, measured one right after the
# other on the same machine: both fit and forecast (h = 12) the 2,509 complete carparts series on
# one thread, with season length 1 and 12.
#
#   plugins/forecast/benches/compare.sh [VENV]
#
# VENV is a virtualenv with statsforecast==2.1.1 installed (default /tmp/sfvenv; see
# tests/data/carparts/make_reference_ets.py). Prints both figures (series per second) and their
# ratio per season length. Other load on the machine skews both; run it idle.
set -euo pipefail

venv=${1:-/tmp/sfvenv}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
series=2509
cd "$root"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc --version)"

# Build first, so that compiling overlaps neither measurement.
cargo bench -p restock-forecast --bench ets --no-run 2>&1 | tail -n1

echo "--- statsforecast 2.1.1 (benches/reference_throughput.py)"
py_out=$("$venv/bin/python" "$here/reference_throughput.py")
echo "$py_out" | grep -v '^mean_series_per_s'
py_m1=$(echo "$py_out" | awk '/^mean_series_per_s_m1 /{print $2}')
py_m12=$(echo "$py_out" | awk '/^mean_series_per_s_m12 /{print $2}')

echo "--- restock-forecast (cargo bench -p restock-forecast --bench ets)"
cargo bench -p restock-forecast --bench ets 2>/dev/null | grep -E '^ets/|time:|thrpt:'
rate() {
    python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['mean']['point_estimate']; print('%.1f' % ($series / (ns / 1e9)))" \
        "$target/criterion/ets/$1/new/estimates.json"
}
rust_m1=$(rate carparts_m1)
rust_m12=$(rate carparts_m12)

echo "--- result (series per second; Rust: criterion mean, Python: mean of passes)"
awk -v r1="$rust_m1" -v p1="$py_m1" -v r12="$rust_m12" -v p12="$py_m12" 'BEGIN {
    printf "season_length  1: Rust %8.1f  Python %8.1f  ratio %5.1f x\n", r1, p1, r1 / p1
    printf "season_length 12: Rust %8.1f  Python %8.1f  ratio %5.1f x\n", r12, p12, r12 / p12
}'
