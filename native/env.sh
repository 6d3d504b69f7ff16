# Sourced by ./panode and ./run-tests: finds a JDK >= 25, Maven and PETSc, and exports
# JAVA_HOME, PETSC_DIR (unsetting PETSC_ARCH, folded into PETSC_DIR) and OMP_WAIT_POLICY.
panode_fail() { echo "panode: error: $*" >&2; exit 1; }

# Prints the feature version of the JDK at $1 (empty if it is not a JDK).
panode_jdk_version() {
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}'
}

panode_find_jdk() {
  local candidates=() dir v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$dir" ] && candidates+=("$dir"); done
  local best="" best_v=0
  for dir in "${candidates[@]}"; do
    v=$(panode_jdk_version "$dir")
    [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null && [ "$v" -gt "$best_v" ] && { best=$dir; best_v=$v; }
  done
  [ -n "$best" ] || panode_fail "no JDK >= 25 found (looked at JAVA_HOME, javac on PATH, /usr/lib/jvm, /opt; Debian 12's own JDK is 17). Install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to it."
  export JAVA_HOME=$best
}

panode_ensure_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || panode_fail "Maven (mvn) is not installed; install it: apt-get install maven"
  local log="${PANODE_CACHE:-$HOME/.cache/panode}/maven-setup.log"
  mkdir -p "$(dirname "$log")"
  echo "panode: installing Maven (log: $log)" >&2
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y maven; } >"$log" 2>&1 ||
    { tail -n 25 "$log" >&2; panode_fail "could not install Maven with apt-get (full log: $log)"; }
}

panode_setup() {
  local root=$1
  panode_find_jdk
  panode_ensure_maven
  local petsc
  petsc=$("$root/native/petsc.sh") || exit 1
  export PETSC_DIR=$petsc
  unset PETSC_ARCH
  export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
  # OPENBLAS_CORETYPE is left to the user: OpenBLAS picks its kernels (SkylakeX on AVX-512 CPUs,
  # 1.6-1.9x Haswell's dgemm there, docs/benchmarks.md). ND4J's bundled 0.3.19, whose SkylakeX LU is wrong, is never
  # the first OpenBLAS in Panode's processes (SystemOpenBlas), and DenseLu refuses a wrong LAPACK.
  # Maven 3.8 on JDK 25 warns about sun.misc.Unsafe in its own jars.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  # The generated bindings are tied to the headers they were made from (PETSc 3.22, real double, 32-bit).
  export PATH="$JAVA_HOME/bin:$PATH"
}
