#!/usr/bin/env bash
# Epoch times of data-parallel training against the machine's own ceiling, in one run:
#   docs/scaling-benchmark.sh [EPOCHS]      (from the repository root; prints a table)
# For KSE grid 64 and Burgers grid 512: 1 rank x 1 BLAS thread, 2 ranks x 1 thread (mpirun),
# 1 rank x 2 threads. The ceiling: one single-threaded dgemm process (200 x 576 x 576, the system
# OpenBLAS) alone, then two at once. Epoch time = (wall time at the last epoch - at the first) /
# (EPOCHS - 1), so JIT warm-up and data loading are left out. Also times Comm.sum (MPI_Allreduce).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-4}
mpirun=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
./panode --version >/dev/null # build once, before any mpirun
source native/env.sh && panode_setup . >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dgemm() { # seconds -> GFLOP/s of one single-threaded dgemm loop
  OPENBLAS_NUM_THREADS=1 python3 - "$1" <<'PY'
import ctypes, sys, time
lib = ctypes.CDLL("libopenblas.so.0")
m, n, k = 200, 576, 576
A = (ctypes.c_double * (m * k))(*([0.5] * (m * k))); B = (ctypes.c_double * (k * n))(*([0.25] * (k * n))); C = (ctypes.c_double * (m * n))()
f = lib.cblas_dgemm
f.argtypes = [ctypes.c_int] * 6 + [ctypes.c_double, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_void_p, ctypes.c_int]
end = time.time() + float(sys.argv[1]); calls = 0; began = time.time()
while time.time() < end:
    f(101, 111, 111, m, n, k, 1.0, A, k, B, n, 0.0, C, n); calls += 1
print(2.0 * m * n * k * calls / (time.time() - began) / 1e9)
PY
}

epoch_seconds() { # folder -> seconds per epoch after the first
  awk -F, -v e="$epochs" 'NR == 2 {first = $2} NR == e + 1 {last = $2} END {printf "%.4f", (last - first) / (e - 1)}' "$1/loss.csv"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
one=$(dgemm 5)
dgemm 5 > "$work/a" & dgemm 5 > "$work/b"; wait
two=$(awk '{s += $1} END {print s}' "$work/a" "$work/b")
printf "dgemm 200x576x576, 1 thread: one process %.1f GFLOP/s; two at once %.1f in total: ceiling %.2fx\n" "$one" "$two" \
  "$(echo "$two / $one" | bc -l)"

# Runs a command with its output in a log, shown when it fails (set -e then ends the script).
logged() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { echo "failed: $*" >&2; tail -n 20 "$log" >&2; return 1; }
}

for problem in "kse --grid 64" "burgers --grid 512"; do
  name=${problem%% *}
  OPENBLAS_NUM_THREADS=1 logged "$work/$name-1x1.log" ./panode train $problem --epochs "$epochs" --blas-threads 1 \
    --test-every 1000 --out "$work/$name-1x1"
  OPENBLAS_NUM_THREADS=1 logged "$work/$name-2x1.log" "${mpirun[@]}" -n 2 ./panode train $problem --epochs "$epochs" \
    --blas-threads 1 --test-every 1000 --out "$work/$name-2x1"
  OPENBLAS_NUM_THREADS=2 logged "$work/$name-1x2.log" ./panode train $problem --epochs "$epochs" --blas-threads 2 \
    --test-every 1000 --out "$work/$name-1x2"
  a=$(epoch_seconds "$work/$name-1x1"); b=$(epoch_seconds "$work/$name-2x1"); c=$(epoch_seconds "$work/$name-1x2")
  printf "%s: s/epoch 1x1 %s, 2 ranks x 1 %s, 1 rank x 2 threads %s; speed-up 2x1 %.2fx, 1x2 %.2fx\n" "$problem" "$a" "$b" "$c" \
    "$(echo "$a / $b" | bc -l)" "$(echo "$a / $c" | bc -l)"
done
"${mpirun[@]}" -n 2 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
  org.panode.train.AllreduceBenchmark 30 2>/dev/null | grep '^ranks' || echo "(AllreduceBenchmark needs the test classes: mvn test-compile)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
