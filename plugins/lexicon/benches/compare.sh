#!/usr/bin/env bash
# Throughput of the Rust VADER port against vaderSentiment 3.3.2, measured one right after the
# other on the same machine: both score the 23,703 VADER ground-truth texts on one thread.
#
#   plugins/lexicon/benches/compare.sh [VENV]
#
# VENV is a virtualenv with vaderSentiment==3.3.2 installed (default /tmp/vadervenv; see
# tests/data/vader/make_reference.py). Prints both figures (mean texts per second over
# repeated full passes) and their ratio. Other load on the machine skews both; run it idle.
set -euo pipefail

venv=${1:-/tmp/vadervenv}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
texts=23703
cd "$root"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "$(rustc --version)"

# Build first, so that compiling overlaps neither measurement.
cargo bench -p restock-lexicon --bench vader --no-run 2>&1 | tail -n1

echo "--- vaderSentiment 3.3.2 (benches/reference_throughput.py)"
py_out=$("$venv/bin/python" "$here/reference_throughput.py")
echo "$py_out" | sed '$d'
py_rate=$(echo "$py_out" | tail -n1 | awk '{print $2}')

echo "--- restock-lexicon (cargo bench -p restock-lexicon --bench vader -- english_ground_truth\$)"
cargo bench -p restock-lexicon --bench vader -- 'vader/english_ground_truth$' 2>/dev/null \
    | grep -E '^vader/|time:|thrpt:'
estimates="$target/criterion/vader/english_ground_truth/new/estimates.json"
rust_rate=$(python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['mean']['point_estimate']; print('%.1f' % ($texts / (ns / 1e9)))" "$estimates")

echo "--- result"
awk -v r="$rust_rate" -v p="$py_rate" 'BEGIN {
    printf "Rust (criterion mean):    %10.0f texts/s\n", r
    printf "Python (mean of passes):  %10.0f texts/s\n", p
    printf "ratio:                    %10.1f x\n", r / p
}'
