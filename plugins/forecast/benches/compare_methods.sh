#!/usr/bin/env bash
# Throughput of the point-forecast methods (naive ... IMAPA) against statsforecast 2.1.1,
# measured one right after the other on the same machine: both forecast (h = 12) the 2,509
# complete carparts series on one thread with the same models and settings.
#
#   plugins/forecast/benches/compare_methods.sh [VENV]
#
# VENV is a virtualenv with statsforecast==2.1.1 installed (default /tmp/sfvenv; see
# tests/data/carparts/make_reference.py). Prints, per model, the Rust figure (criterion mean),
# statsforecast's two figures (`model.forecast(y, h)` per series in a loop, the like-for-like
# one; `StatsForecast(...).forecast(df=...)` with n_jobs=1) and both ratios. The goal (>= 50x
# for naive, SES, Croston, SBA, TSB, ADIDA, IMAPA) is judged on the loop. Other load on the
# machine skews both sides; compare the figures of one run only.
set -euo pipefail

venv=${1:-/tmp/sfvenv}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
series=2509
models="naive seasonal_naive window_average ses croston sba tsb adida imapa"
goal_models=" naive ses croston sba tsb adida imapa "
cd "$root"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc --version)"

# Build first, so that compiling overlaps neither measurement.
cargo bench -p restock-forecast --bench methods --no-run 2>&1 | tail -n1

echo "--- statsforecast 2.1.1 (benches/methods_reference.py)"
py_out=$("$venv/bin/python" "$here/methods_reference.py")
echo "$py_out" | grep -v '^rate '

echo "--- restock-forecast (cargo bench -p restock-forecast --bench methods)"
cargo bench -p restock-forecast --bench methods 2>/dev/null | grep -E '^methods/|time:|thrpt:'

echo "--- result (series per second; Rust: criterion mean, Python: mean of passes), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-15s %12s %12s %12s %9s %9s  %s\n' model Rust "Py loop" "Py frame" "x loop" "x frame" "goal >= 50x (loop)"
for m in $models; do
    rust=$(python3 -c "import json,sys; ns=json.load(open(sys.argv[1]))['mean']['point_estimate']; print('%.1f' % ($series / (ns / 1e9)))" \
        "$target/criterion/methods/$m/new/estimates.json")
    loop=$(echo "$py_out" | awk -v m="$m" '$1 == "rate" && $2 == "loop" && $3 == m {print $4}')
    frame=$(echo "$py_out" | awk -v m="$m" '$1 == "rate" && $2 == "frame" && $3 == m {print $4}')
    goal=-
    if [[ $goal_models == *" $m "* ]]; then goal=yes; fi
    awk -v m="$m" -v r="$rust" -v l="$loop" -v f="$frame" -v g="$goal" 'BEGIN {
        verdict = g == "-" ? "(no goal)" : (r / l >= 50 ? "met" : "NOT met")
        printf "%-15s %12.0f %12.0f %12.0f %8.1fx %8.1fx  %s\n", m, r, l, f, r / l, r / f, verdict
    }'
done
