#!/usr/bin/env bash
# Panode against a hand-written PyTorch IMEX (bench/torch_imex.py) on the same data and model, in
# one run, alternating: per-epoch medians and the ratios. Not a test; numbers are for one machine.
#   bench/side-by-side.sh [kse|burgers] [GRID] [EPOCHS] [ROUNDS]
# e.g. bench/side-by-side.sh kse 64 30 3;  bench/side-by-side.sh burgers 512 6 1
# Times the second half of the epochs (the JIT compiler warms up in the first).
# Panode runs with -Dpanode.blas.profile=true: it also prints the share of Panode's epoch inside
# BLAS and the epoch's GEMM rate against a dgemm timed in the same process (medians, same epochs),
# and the same for the network alone at the batch (values and VJPs, no solver): the epoch's ceiling.
# Both sides run in this shell's environment, OPENBLAS_CORETYPE included; the OpenBLAS kernel in use
# is printed. A machine that pins an older kernel for other software can be compared at OpenBLAS's
# own choice with: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/side-by-side.sh ...
# Needs Debian's PyTorch for the system Python: apt-get install python3-torch
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
problem=${1:-kse}
case "$problem" in
  kse) grid=${2:-64} step=0.2 ;;
  burgers) grid=${2:-512} step=0.05 ;;
  *) echo "side-by-side: unknown problem '$problem' (kse or burgers)" >&2; exit 2 ;;
esac
epochs=${3:-20} rounds=${4:-1}
[ "$epochs" -ge 3 ] || { echo "side-by-side: need at least 3 epochs (the first two are warm-up)" >&2; exit 2; }
# Epochs timed: the second half (at least from epoch 3). The JVM's JIT compiler keeps compiling for
# several seconds and takes one of the two cores while it does; both sides are timed on the same epochs.
first=$(( epochs / 2 + 1 )); [ "$first" -ge 3 ] || first=3
python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "side-by-side: PyTorch is not installed for $python." >&2
  echo "  On Debian 12 (as root): apt-get update && apt-get install python3-torch" >&2
  exit 3
fi
cores=$(nproc)
corename=$("$python" -c 'import ctypes; l = ctypes.CDLL("libopenblas.so.0"); l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())' 2>/dev/null || echo unknown)
# OpenMP threads (libnd4jcpu's, PyTorch's intra-op pool) yield instead of spinning: on a busy
# machine spinning made PyTorch's 2-thread epoch 20x slower than its 1-thread one.
export OMP_WAIT_POLICY=PASSIVE
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$root/panode" generate "$problem" --grid "$grid" > "$out/generate.log" 2>&1 || { cat "$out/generate.log" >&2; exit 1; }
data=$(sed -n 's/^data: //p' "$out/generate.log" | tail -n 1) # the file this checkout's generate used
[ -f "$data" ] || { cat "$out/generate.log" >&2; echo "side-by-side: generate named no data file" >&2; exit 1; }
echo "data: $data"

# median of a list of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
panode_epoch() { # loss.csv (cumulative seconds; row r+1 is epoch r) -> median epoch time over epochs first..
  awk -F, -v first="$first" 'NR>1 { if (NR-1 >= first) print $2-prev; prev=$2 }' "$1" | median
}
torch_epoch() { # torch_imex.py output -> median over epochs first..
  awk -v first="$first" '$1=="epoch" && $2>=first {print $3}' "$1" | median
}

declare -A results round
for r in $(seq 1 "$rounds"); do
  line="round $r:"
  for t in "$cores" 1; do # Panode: its batch threads (BLAS 1 thread each) at every core, then 1
    PANODE_JAVA_OPTS="${PANODE_JAVA_OPTS:-} -Dpanode.blas.profile=true" "$root/panode" train "$problem" --grid "$grid" --step "$step" --epochs "$epochs" --threads "$t" --out "$out/panode-$t-$r" \
      > "$out/panode-$t-$r.log" 2>&1 < /dev/null || { tail -5 "$out/panode-$t-$r.log" >&2; exit 1; }
    e=$(panode_epoch "$out/panode-$t-$r/loss.csv"); results[panode$t]+="$e "; round[panode$t]=$e; line+=" panode($t) $e"
    # the BLAS profile's epochs first..: share in BLAS (%), GEMM GFLOP/s over the epoch; dgemm reference
    share=$(awk -v first="$first" '$2=="epoch" && $3>=first && $5=="s," {gsub(/[(]/, "", $10); print $10}' "$out/panode-$t-$r.log" | median)
    rate=$(awk -v first="$first" '$2=="epoch" && $3>=first && $5=="s," {s=$0; sub(/ GFLOP\/s over the epoch.*/, "", s); n=split(s, a, " "); print a[n]}' "$out/panode-$t-$r.log" | median)
    # the same with the solves counted as a dense LU's 2 d^2 per right-hand side (the last number on the line)
    lurate=$(awk -v first="$first" '$2=="epoch" && $3>=first && $5=="s," {print $(NF-1)}' "$out/panode-$t-$r.log" | median)
    dgemm=$(awk '$2=="dgemm" {print $(NF-4)}' "$out/panode-$t-$r.log")
    # the same two rates as shares of a dgemm timed right after each epoch (the machine drifts within a run)
    after=$(awk -v first="$first" '$2=="epoch" && $3>=first && $4=="against" {for (i = 1; i <= NF; i++) if ($i == "GEMMs") print $(i + 1)}' "$out/panode-$t-$r.log" | median)
    luafter=$(awk -v first="$first" '$2=="epoch" && $3>=first && $4=="against" {print $(NF-1)}' "$out/panode-$t-$r.log" | median)
    # the network alone at the batch, no solver: its GEMM GFLOP/s over its time (the ceiling of the epoch's rate) and share in BLAS
    alone=$(awk '$2=="the" && $3=="network" && $4=="alone," {s=$0; sub(/ GFLOP\/s over its time.*/, "", s); n=split(s, a, " "); print a[n]}' "$out/panode-$t-$r.log")
    aloneshare=$(awk '$2=="the" && $3=="network" && $4=="alone," {for (i = 1; i <= NF; i++) if ($i == "BLAS") print $(i + 1)}' "$out/panode-$t-$r.log")
    results[share$t]+="$share "; results[rate$t]+="$rate "; results[lurate$t]+="$lurate "; results[dgemm$t]+="$dgemm "
    # the batch threads: the share of the epoch in parallel parts, and the threads' waiting inside them
    parallel=$(awk -v first="$first" '$2=="epoch" && $3>=first && $4=="on" {for (i = 1; i <= NF; i++) if ($i == "parts") print $(i + 1)}' "$out/panode-$t-$r.log" | median)
    waiting=$(awk -v first="$first" '$2=="epoch" && $3>=first && $4=="on" {for (i = 1; i <= NF; i++) if ($i == "thread") print $(i + 1)}' "$out/panode-$t-$r.log" | median)
    results[alone$t]+="$alone "; results[aloneshare$t]+="$aloneshare "; results[after$t]+="$after "; results[luafter$t]+="$luafter "
    results[parallel$t]+="$parallel "; results[waiting$t]+="$waiting "
  done
  for t in 1 "$cores"; do # PyTorch: torch.set_num_threads; its BLAS pool stays at OpenBLAS's default
    "$python" "$root/bench/torch_imex.py" --problem "$problem" --data "$data" --grid "$grid" --step "$step" \
      --epochs "$epochs" --threads "$t" > "$out/torch-$t-$r.log" 2>&1 || { tail -5 "$out/torch-$t-$r.log" >&2; exit 1; }
    e=$(torch_epoch "$out/torch-$t-$r.log"); results[torch$t]+="$e "; round[torch$t]=$e; line+=" torch($t) $e"
  done
  # this round's best Panode over its best PyTorch: the machine's speed drifts between rounds, and a
  # ratio within one round (minutes apart) is steadier than a ratio of medians over all rounds
  ratio=$(awk -v a="${round[panode1]}" -v b="${round[panode$cores]}" -v c="${round[torch1]}" -v d="${round[torch$cores]}" \
    'BEGIN { p = (a + 0 < b + 0 ? a : b); q = (c + 0 < d + 0 ? c : d); printf "%.2f", p / q }')
  results[ratio]+="$ratio "
  echo "$line s/epoch, best / best $ratio; last losses: panode $(tail -1 "$out/panode-1-$r/loss.csv" | cut -d, -f3)," \
    "torch $(awk '$1=="epoch" {l=$6} END {print l}' "$out/torch-1-$r.log")"
done
med() { tr ' ' '\n' | grep -v '^$' | median; }
declare -A m
for k in "panode$cores" panode1 torch1 "torch$cores"; do m[$k]=$(echo "${results[$k]}" | med); done
pbest=$(awk -v a="${m[panode1]}" -v b="${m[panode$cores]}" 'BEGIN {print (a < b ? a : b)}')
tbest=$(awk -v a="${m[torch1]}" -v b="${m[torch$cores]}" 'BEGIN {print (a < b ? a : b)}')
echo
echo "$problem $grid, $epochs epochs x $rounds round(s), median s/epoch over epochs $first..$epochs" \
  "(PyTorch $("$python" -c 'import torch; print(torch.__version__)'), OpenBLAS kernel $corename, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf "  %-40s %10s\n" "Panode imex-rk2, --threads $cores" "${m[panode$cores]}" "Panode imex-rk2, --threads 1" "${m[panode1]}" \
  "PyTorch IMEX, set_num_threads(1)" "${m[torch1]}" "PyTorch IMEX, set_num_threads($cores)" "${m[torch$cores]}"
awk -v p="$pbest" -v b="$tbest" 'BEGIN {printf "  best Panode / best PyTorch               %10.2f  (below 1: Panode faster)\n", p / b}'
echo "  the same within each round: ${results[ratio]}(median $(echo "${results[ratio]}" | med))"
for t in "$cores" 1; do
  share=$(echo "${results[share$t]}" | med) rate=$(echo "${results[rate$t]}" | med) dgemm=$(echo "${results[dgemm$t]}" | med)
  lurate=$(echo "${results[lurate$t]}" | med) alone=$(echo "${results[alone$t]}" | med) aloneshare=$(echo "${results[aloneshare$t]}" | med)
  awk -v t="$t" -v s="$share" -v r="$rate" -v d="$dgemm" -v l="$lurate" 'BEGIN {printf "  Panode, --threads %s: %.1f %% of the threads\047 time in BLAS; %.1f GFLOP/s over the epoch = %.0f %% of dgemm 2000^3 in the same process (%.1f GFLOP/s);\n    with the solves counted as dense LU, 2 d^2 per right-hand side (the epoch FLOPs of the PyTorch code): %.1f GFLOP/s = %.0f %%\n", t, s, r, 100 * r / d, d, l, 100 * l / d}'
  after=$(echo "${results[after$t]}" | med) luafter=$(echo "${results[luafter$t]}" | med)
  parallel=$(echo "${results[parallel$t]}" | med) waiting=$(echo "${results[waiting$t]}" | med)
  if [ "$t" -gt 1 ]; then awk -v p="$parallel" -v w="$waiting" -v t="$t" 'BEGIN {printf "    on %s batch threads: %.1f %% of the epoch in parallel parts (outside them one thread works); waiting in them for the slowest thread %.1f %% of the threads\047 time\n", t, p, w}'; fi
  awk -v a="$after" -v l="$luafter" 'BEGIN {printf "    against a dgemm timed right after each epoch (median over epochs, then rounds): %.0f %%, with the solves as dense LU %.0f %%\n", a, l}'
  awk -v a="$alone" -v s="$aloneshare" -v d="$dgemm" 'BEGIN {printf "    the network alone at this batch (values and VJPs, no solver): %.1f %% in BLAS, %.1f GFLOP/s = %.0f %% of the dgemm: the most the epoch\047s GEMMs could reach\n", s, a, 100 * a / d}'
done
