#!/usr/bin/env bash
# Panode against a hand-written PyTorch IMEX (bench/torch_imex.py) on the same data and model, in
# one run, alternating: per-epoch medians and the ratios. Not a test; numbers are for one machine.
#   bench/side-by-side.sh [kse|burgers] [GRID] [EPOCHS] [ROUNDS]
# e.g. bench/side-by-side.sh kse 64 20 2;  bench/side-by-side.sh burgers 512 5 1
# Needs Debian's PyTorch for the system Python: apt-get install python3-torch
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
problem=${1:-kse}
case "$problem" in
  kse) grid=${2:-64} step=0.2 prefix=ks ;;
  burgers) grid=${2:-512} step=0.05 prefix=burgers ;;
  *) echo "side-by-side: unknown problem '$problem' (kse or burgers)" >&2; exit 2 ;;
esac
epochs=${3:-20} rounds=${4:-1}
[ "$epochs" -ge 3 ] || { echo "side-by-side: need at least 3 epochs (the first two are warm-up)" >&2; exit 2; }
python=/usr/bin/python3
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "side-by-side: PyTorch is not installed for $python." >&2
  echo "  On Debian 12 (as root): apt-get update && apt-get install python3-torch" >&2
  exit 3
fi
cores=$(nproc)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$root/panode" generate "$problem" --grid "$grid" > "$out/generate.log" 2>&1 || { cat "$out/generate.log" >&2; exit 1; }
data=$(ls -t "${PANODE_CACHE:-$HOME/.cache/panode}/data/$prefix$grid-"*.npz | head -1)
echo "data: $data"

# median of a list of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
panode_epoch() { # loss.csv (cumulative seconds) -> median epoch time over epochs 3..
  awk -F, 'NR>1 { if (NR>3) print $2-prev; prev=$2 }' "$1" | median
}
torch_epoch() { # torch_imex.py output -> median over epochs 3..
  awk '$1=="epoch" && $2>=3 {print $3}' "$1" | median
}

declare -A results
for r in $(seq 1 "$rounds"); do
  "$root/panode" train "$problem" --grid "$grid" --step "$step" --epochs "$epochs" --out "$out/panode-$r" > "$out/panode-$r.log" 2>&1 \
    || { tail -5 "$out/panode-$r.log" >&2; exit 1; }
  results[panode]+="$(panode_epoch "$out/panode-$r/loss.csv") "
  for t in 1 "$cores"; do
    "$python" "$root/bench/torch_imex.py" --problem "$problem" --data "$data" --grid "$grid" --step "$step" \
      --epochs "$epochs" --threads "$t" > "$out/torch-$t-$r.log" 2>&1 || { tail -5 "$out/torch-$t-$r.log" >&2; exit 1; }
    results[torch$t]+="$(torch_epoch "$out/torch-$t-$r.log") "
  done
  echo "round $r: panode $(panode_epoch "$out/panode-$r/loss.csv") s/epoch," \
    "torch 1 thread $(torch_epoch "$out/torch-1-$r.log"), torch $cores threads $(torch_epoch "$out/torch-$cores-$r.log");" \
    "last losses: panode $(tail -1 "$out/panode-$r/loss.csv" | cut -d, -f3), torch $(awk '$1=="epoch" {l=$6} END {print l}' "$out/torch-1-$r.log")"
done
med() { tr ' ' '\n' | grep -v '^$' | median; }
p=$(echo "${results[panode]}" | med) t1=$(echo "${results[torch1]}" | med) tn=$(echo "${results[torch$cores]}" | med)
best=$(awk -v a="$t1" -v b="$tn" 'BEGIN {print (a < b ? a : b)}')
echo
echo "$problem $grid, $epochs epochs x $rounds round(s), median s/epoch over epochs 3..$epochs (torch $("$python" -c 'import torch; print(torch.__version__)'))"
printf "  %-28s %10s\n" "Panode imex-rk2" "$p" "PyTorch IMEX, 1 thread" "$t1" "PyTorch IMEX, $cores threads" "$tn"
awk -v p="$p" -v b="$best" 'BEGIN {printf "  Panode / best PyTorch      %10.2f  (below 1: Panode faster)\n", p / b}'
