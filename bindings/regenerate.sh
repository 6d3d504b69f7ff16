#!/usr/bin/env bash
# Regenerates the Java bindings in bindings/java from panode_petsc.h and allowlist.txt.
#   bindings/regenerate.sh /path/to/jextract [PETSC_DIR]
# PETSC_DIR defaults to what native/petsc.sh provides. The output is committed; never edit it by hand.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jextract=${1:?usage: bindings/regenerate.sh /path/to/jextract [PETSC_DIR]}
[ -x "$jextract" ] || { echo "regenerate: $jextract is not an executable jextract" >&2; exit 1; }
petsc=${2:-$("$here/../native/petsc.sh")}
mpi_includes=()
for dir in $(mpicc --showme:incdirs 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/openmpi/include); do
  mpi_includes+=(-I "$dir")
done
package=org.panode.internal.bindings
out="$here/java"
rm -rf "$out/${package//.//}"
mkdir -p "$out"
"$jextract" --output "$out" --target-package "$package" --header-class-name PetscApi \
  -I "$petsc/include" "${mpi_includes[@]}" @"$here/allowlist.txt" "$here/panode_petsc.h"
echo "regenerate: $(find "$out" -name '*.java' | wc -l) files in $out/${package//.//}" >&2
