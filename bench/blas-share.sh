#!/usr/bin/env bash
# Where a training run's time goes: `perf record` of `./panode train`, then the training thread's
# samples from 50 % to 95 % of the run (after the JIT warm-up) sorted into BLAS, Panode's Java code,
# JDK stubs, PETSc, ... by bench/blas_share.py. Not a test; numbers are for one machine.
#   bench/blas-share.sh [kse|burgers] [GRID] [EPOCHS]
# e.g. bench/blas-share.sh kse 64 60;  bench/blas-share.sh burgers 512 4
# Needs perf: apt-get install linux-perf (as root; or kernel.perf_event_paranoid <= 1 for a user).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
problem=${1:-kse}
case "$problem" in
  kse) grid=${2:-64} ;;
  burgers) grid=${2:-512} ;;
  *) echo "blas-share: unknown problem '$problem' (kse or burgers)" >&2; exit 2 ;;
esac
epochs=${3:-60}
if ! command -v perf >/dev/null 2>&1; then
  echo "blas-share: perf is not installed. On Debian 12 (as root): apt-get install linux-perf" >&2
  exit 3
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Frame pointers and a perf map let perf name the JIT-compiled Java frames and their callers.
PANODE_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer ${PANODE_JAVA_OPTS:-}" \
  perf record -F 499 -g -o "$out/perf.data" -- "$root/panode" train "$problem" --grid "$grid" --epochs "$epochs" \
  --test-every 100000 --out "$out/run" > "$out/train.log" 2> "$out/perf.log" < /dev/null ||
  { tail -5 "$out/train.log" "$out/perf.log" >&2; exit 1; }
grep "epochs in" "$out/train.log" || true
perf script -i "$out/perf.data" -F tid,time,ip,sym,dso 2>/dev/null | python3 "$root/bench/blas_share.py" 0.5 0.95
