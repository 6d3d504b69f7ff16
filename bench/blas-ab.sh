#!/usr/bin/env bash
# A/B of the BLAS the network layers call, alternating runs of the same build:
#   bundled = the OpenBLAS JavaCPP unpacks for ND4J (a second pool next to PETSc's),
#   system  = the system's OpenBLAS, the same library and pool as PETSc's LAPACK (the default).
# Each run trains KSE 64 (imex-rk2, step 0.2, batch 256) for EPOCHS epochs; prints the median
# epoch time over epochs 3..EPOCHS. Usage: bench/blas-ab.sh [EPOCHS=30] [ROUNDS=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-30} rounds=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { # loss.csv -> median of the per-epoch differences of the cumulative seconds, epochs 3..
  awk -F, 'NR>1 { if (NR>3) print $2-prev; prev=$2 }' "$1" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
printf "%-8s %-8s %-6s %s\n" library threads round "s/epoch"
for r in $(seq 1 "$rounds"); do
  for lib in bundled system; do
    for threads in default 1; do
      opts=""; [ "$lib" = bundled ] && opts="-Dpanode.blas.library=bundled"
      env_threads=(); [ "$threads" = 1 ] && env_threads=(OPENBLAS_NUM_THREADS=1)
      dir="$out/$lib-$threads-$r"
      env "${env_threads[@]}" JAVA_TOOL_OPTIONS="$opts" "$root/panode" train kse --epochs "$epochs" --out "$dir" > "$dir.log" 2>&1 \
        || { tail -5 "$dir.log"; exit 1; }
      printf "%-8s %-8s %-6s %s\n" "$lib" "$threads" "$r" "$(median "$dir/loss.csv")"
    done
  done
done
