#!/usr/bin/env bash
# Two "hosts" on one machine: network namespaces panode-h1/panode-h2 joined by a veth pair
# (10.77.0.1, 10.77.0.2), OpenMPI over TCP between them (no shared memory), the remote rank
# started by an rsh agent that enters the other namespace instead of ssh. Trains KSE-64 on small
# data (DataParallelRun) on 1 rank and on the two hosts and prints both loss curves.
#   docs/two-hosts.sh          (as root, from the repository root, after mvn test-compile)
#   docs/two-hosts.sh clean    removes the namespaces
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = clean ]; then ip netns del panode-h1 2>/dev/null || true; ip netns del panode-h2 2>/dev/null || true; exit 0; fi
if ! ip netns list | grep -q panode-h2; then
  ip netns add panode-h1 && ip netns add panode-h2
  ip link add veth-p0 type veth peer name veth-p1
  ip link set veth-p0 netns panode-h1 && ip link set veth-p1 netns panode-h2
  ip netns exec panode-h1 ip addr add 10.77.0.1/24 dev veth-p0
  ip netns exec panode-h2 ip addr add 10.77.0.2/24 dev veth-p1
  for n in 1 2; do ip netns exec panode-h$n ip link set lo up; done
  ip netns exec panode-h1 ip link set veth-p0 up && ip netns exec panode-h2 ip link set veth-p1 up
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/rsh" <<'AGENT'
#!/bin/bash
host=$1; shift
case "$host" in 10.77.0.1) ns=panode-h1 ;; 10.77.0.2) ns=panode-h2 ;; *) echo "unknown host $host" >&2; exit 1 ;; esac
exec ip netns exec "$ns" /bin/bash -c "$*"
AGENT
chmod +x "$work/rsh"
source native/env.sh && panode_setup . >/dev/null
cp="target/test-classes:target/classes:$(cat target/classpath.txt)"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$cp"
  org.panode.train.DataParallelRun kse 3 7 21)
mpirun --allow-run-as-root -n 1 "${java[@]}" "$work/one" 2>/dev/null | grep -E '^(loss|test)' | sed 's/^test /test 0 0 /' > "$work/one.txt"
ip netns exec panode-h1 mpirun --allow-run-as-root --host 10.77.0.1,10.77.0.2 -n 2 --mca plm_rsh_agent "$work/rsh" \
  --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 \
  -x PETSC_DIR -x JAVA_HOME "${java[@]}" "$work/two" 2>/dev/null | grep -E '^(loss|test)' | sed 's/^test /test 0 0 /' > "$work/two.txt"
paste -d' ' "$work/one.txt" "$work/two.txt" | awk '{d = $4 - $8; if (d < 0) d = -d; r = d / ($4 < 0 ? -$4 : $4);
  if (r > worst) worst = r; print $1, $2, $3, "1 rank", $4, "2 hosts", $8} END {printf "largest relative difference %.2e\n", worst}'
cmp -s "$work/two/checkpoint-0.bin" "$work/two/checkpoint-1.bin" && echo "the two hosts end in the same state (bit for bit)"
