#!/usr/bin/env python3
"""Where the training thread's time goes, from `perf script -F tid,time,ip,sym,dso` with call chains.

Reads the script output on stdin; the training thread is the one with the most samples in JIT-compiled
Java code (perf-PID.map). Samples are kept from the given fraction of the run on (after JIT warm-up).
A sample is "BLAS" when its leaf is in libopenblas or when sched_yield (OpenBLAS's caller-side wait for
its worker threads; nothing else in Panode yields) is on its call chain.
  perf script ... | bench/blas_share.py [FROM_FRACTION] [TO_FRACTION]
"""
import collections
import re
import sys


def samples(stream):
    head = re.compile(r"^\s*(\d+)\s+([\d.]+):")
    frame = re.compile(r"^\s+[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$")
    tid, time, chain = None, None, []
    for line in stream:
        m = head.match(line)
        if m:
            if tid is not None:
                yield tid, time, chain
            tid, time, chain = int(m.group(1)), float(m.group(2)), []
            continue
        f = frame.match(line)
        if f and tid is not None:
            chain.append((f.group(1), f.group(2)))
    if tid is not None:
        yield tid, time, chain


def category(chain):
    if not chain:
        return "unknown"
    sym, dso = chain[0]
    if any("sched_yield" in s for s, _ in chain) or "openblas" in dso:
        return "BLAS (OpenBLAS, incl. waiting for its worker)"
    if "org.panode" in sym:
        return "Panode Java code (JIT)"
    if "perf-" in dso:
        return "other JIT code (JDK stubs: copies, fills, compares; JTransforms; interpreter)"
    if "petsc" in dso:
        return "PETSc"
    if "nd4j" in dso:
        return "ND4J (optimizer)"
    if "kallsyms" in dso:
        return "kernel (other)"
    if "libjvm" in dso:
        return "JVM runtime"
    return "other native (" + dso.split("/")[-1] + ")"


def main():
    lo = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    hi = float(sys.argv[2]) if len(sys.argv) > 2 else 0.95
    rows = list(samples(sys.stdin))
    if not rows:
        sys.exit("blas_share: no samples on stdin")
    jit = collections.Counter(t for t, _, c in rows if c and "perf-" in c[0][1])
    main_tid = jit.most_common(1)[0][0]
    times = [s for t, s, _ in rows if t == main_tid]
    start, end = min(times), max(times)
    a, b = start + lo * (end - start), start + hi * (end - start)
    kept = [c for t, s, c in rows if t == main_tid and a <= s <= b]
    counts = collections.Counter(category(c) for c in kept)
    print(f"training thread {main_tid}: {len(kept)} samples over {b - a:.1f} s ({lo:.0%}-{hi:.0%} of its run)")
    for name, n in counts.most_common():
        print(f"  {100 * n / len(kept):5.1f} %  {name}")
    leaves = collections.Counter(c[0][0][:90] for c in kept if c)
    print("  top leaf functions:")
    for name, n in leaves.most_common(12):
        print(f"    {100 * n / len(kept):5.1f} %  {name}")
    # Outside BLAS, by the nearest Panode method on the chain (who made the copy, fill, PETSc call, ...).
    owners = collections.Counter(owner(c) for c in kept if not category(c).startswith("BLAS"))
    print("  outside BLAS, by the nearest Panode method on the call chain:")
    for name, n in owners.most_common(15):
        print(f"    {100 * n / len(kept):5.1f} %  {name}")


def owner(chain):
    for sym, _ in chain:
        if "org.panode" in sym:
            return re.sub(r"\(.*", "", sym.split(" ", 1)[-1])[:90]
    return "(no Panode frame)"


if __name__ == "__main__":
    main()
