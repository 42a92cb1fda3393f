#!/usr/bin/env bash
# Throughput of the exact (s, S) search against stockpyl 1.0.2, measured one right after the
# other on the same machine: both solve the 24 Zheng-Federgruen instances (h = 1, p = 9, K = 64,
# Poisson demand) on one thread.
#
#   plugins/policy/benches/compare.sh [VENV]
#
# VENV is a virtualenv with stockpyl==1.0.2 installed (default /tmp/spvenv; see
# tests/data/stockpyl/make_reference.py). Prints both figures (optimisations per second) and
# their ratio. Other load on the machine skews both; compare the figures of one run only.
set -euo pipefail

venv=${1:-/tmp/spvenv}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
instances=24
cd "$root"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc --version)"

# Build first, so that compiling overlaps neither measurement.
cargo bench -p restock-policy --bench ss --no-run 2>&1 | tail -n1

echo "--- stockpyl 1.0.2 (benches/ss_reference.py)"
py_out=$("$venv/bin/python" "$here/ss_reference.py")
echo "$py_out" | sed '$d'
py_rate=$(echo "$py_out" | awk '/^rate /{print $2}')

echo "--- restock-policy (cargo bench -p restock-policy --bench ss)"
cargo bench -p restock-policy --bench ss 2>/dev/null | grep -E '^ss/|time:|thrpt:'
estimates="$target/criterion/ss/zheng_federgruen/new/estimates.json"
rust_rate=$(python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['mean']['point_estimate']; print('%.3f' % ($instances / (ns / 1e9)))" "$estimates")

echo "--- result (optimisations per second; Rust: criterion mean, Python: mean of passes), load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v r="$rust_rate" -v p="$py_rate" 'BEGIN {
    printf "Rust   %10.1f /s  (%.3f ms per instance)\n", r, 1000 / r
    printf "Python %10.3f /s  (%.3f s per instance)\n", p, 1 / p
    printf "ratio  %10.1f x   goal >= 100 x: %s\n", r / p, (r / p >= 100 ? "met" : "NOT met")
}'
