#!/usr/bin/env bash
# Makes PETSc 3.22.x available and prints its installation directory on the last line of stdout.
#
#   native/petsc.sh            use $PETSC_DIR[/$PETSC_ARCH] if set (after checking it), else a
#                              cached build, else build the 3.22.x that Debian 13 serves (or a
#                              tarball put in the cache folder)
#   native/petsc.sh --check    only check $PETSC_DIR[/$PETSC_ARCH]; build nothing
#
# One line per phase goes to stderr; apt's, configure's and make's output go to a log in the cache
# folder, whose tail is shown on failure. The only stdout line is the directory (use it as PETSC_DIR).
# Cache: ${PANODE_CACHE:-$HOME/.cache/panode}/petsc-<version>-<hash of version and configure options>.
# Sourcing this file defines the functions without running anything (the tests do that).
set -euo pipefail
shopt -s inherit_errexit # set -e inside $(...) too: a failed step of a build must not pass unseen

PETSC_SERIES=3.22
CONFIGURE_OPTIONS=(--with-debugging=0 --with-fc=0 --with-shared-libraries=1 --with-x=0
  --with-64-bit-indices=0 --with-scalar-type=real --with-precision=double
  COPTFLAGS=-O2 CXXOPTFLAGS=-O2)
BUILD_PACKAGES=(libopenmpi-dev openmpi-bin libopenblas-dev liblapack-dev python3 xz-utils make gcc g++)
# sha256 of the source tarballs Panode knows, by file name (Debian's orig tarballs: from the
# Checksums-Sha256 of Debian 13's signed source index; upstream ones: from the PETSc release archive).
declare -A KNOWN_SHA256=(
  [petsc_3.22.5+dfsg1.orig.tar.xz]=f3692bd85214d9d6372996dad8d9731fffdcb7d0a2d6c638bc51d3185cdcacd4
)
PANODE_CACHE_DIR="${PANODE_CACHE:-$HOME/.cache/panode}"
SETUP_LOG="$PANODE_CACHE_DIR/petsc-setup.log"

say() { echo "panode/petsc: $*" >&2; }
die() { echo "panode/petsc: error: $*" >&2; exit 1; }

# Runs a phase with its output in the setup log: one line on stderr, the log's tail if it fails.
phase() {
  local what=$1; shift
  say "$what"
  mkdir -p "$(dirname "$SETUP_LOG")"
  echo "=== $what: $*" >>"$SETUP_LOG"
  "$@" >>"$SETUP_LOG" 2>&1 || { tail -n 25 "$SETUP_LOG" >&2; die "$what failed (full log: $SETUP_LOG)"; }
}

# Checks an installation: version 3.22.x, real double scalars, 32-bit PetscInt, shared library.
# Arguments: the directory holding petscversion.h, the one holding petscconf.h, the library directory.
check_installation() {
  local version_h="$1/petscversion.h" conf="$2/petscconf.h" lib="$3/libpetsc.so"
  [ -f "$version_h" ] && [ -f "$conf" ] ||
    die "no PETSc headers in $1 (set PETSC_DIR to an installation prefix, or PETSC_DIR and PETSC_ARCH to a build, or unset both to let Panode build PETSc $PETSC_SERIES.x)"
  local major minor subminor
  major=$(awk '/#define PETSC_VERSION_MAJOR/{print $3}' "$version_h")
  minor=$(awk '/#define PETSC_VERSION_MINOR/{print $3}' "$version_h")
  subminor=$(awk '/#define PETSC_VERSION_SUBMINOR/{print $3}' "$version_h")
  [ "$major.$minor" = "$PETSC_SERIES" ] ||
    die "PETSc in $1 is version $major.$minor.$subminor; Panode's bindings need $PETSC_SERIES.x (unset PETSC_DIR to let Panode build one)"
  if grep -q '#define PETSC_USE_COMPLEX' "$conf"; then
    die "PETSc in $2 uses complex scalars; Panode needs real scalars (--with-scalar-type=real)"; fi
  grep -q '#define PETSC_USE_REAL_DOUBLE' "$conf" ||
    die "PETSc in $2 is not double precision; Panode needs --with-precision=double"
  if grep -q '#define PETSC_USE_64BIT_INDICES' "$conf"; then
    die "PETSc in $2 uses 64-bit indices; Panode's bindings need 32-bit PetscInt (--with-64-bit-indices=0)"; fi
  [ -f "$lib" ] || die "no shared library $lib; Panode needs --with-shared-libraries=1"
}

# The cache key of a version's build (for 3.22.5 the same as Panode has always used).
options_hash() { printf '%s\n' "$1" "${CONFIGURE_OPTIONS[@]}" | sha256sum | cut -c1-12; }
cache_prefix() { echo "$PANODE_CACHE_DIR/petsc-$1-$(options_hash "$1")"; }

# The newest complete cached build of a 3.22.x with these configure options, or nothing.
cached_build() {
  local dir version best=""
  for dir in "$PANODE_CACHE_DIR"/petsc-"$PETSC_SERIES".*-*; do
    [ -f "$dir/panode-configure-line.txt" ] && [ -f "$dir/lib/libpetsc.so" ] || continue
    version=$(basename "$dir" | sed -E 's/^petsc-([0-9.]+)-[0-9a-f]+$/\1/')
    [ "$dir" = "$(cache_prefix "$version")" ] || continue
    best=$(printf '%s\n%s\n' "$best" "$dir" | sed '/^$/d' | sort -V | tail -n 1)
  done
  echo "$best"
}

# The upstream version (3.22.N) of a tarball name: petsc_3.22.N+dfsg1.orig.tar.xz or petsc-3.22.N.tar.gz.
tarball_version() { basename "$1" | sed -nE "s/^petsc[-_]($PETSC_SERIES\.[0-9]+)([+.].*)?\.tar\.(xz|gz)$/\1/p"; }

# Checks a tarball against its recorded sha256; one of a version Panode does not know is used with a
# warning (Debian's own downloads are verified by apt against the signed index in any case).
verify_tarball() {
  local file=$1 name expected actual
  name=$(basename "$file")
  expected=${KNOWN_SHA256[$name]:-}
  if [ -z "$expected" ]; then
    say "warning: no recorded sha256 for $name; using it unchecked"
    return 0
  fi
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  [ "$actual" = "$expected" ] || die "$file has sha256 $actual, not the recorded $expected for $name; delete it and run again"
}

# A tarball the user put in the cache folder (newest 3.22.x), or nothing.
local_tarball() {
  local f best=""
  for f in "$PANODE_CACHE_DIR"/petsc_"$PETSC_SERIES".*.orig.tar.xz "$PANODE_CACHE_DIR"/petsc-"$PETSC_SERIES".*.tar.gz; do
    [ -f "$f" ] && [ -n "$(tarball_version "$f")" ] && best=$(printf '%s\n%s\n' "$best" "$f" | sed '/^$/d' | sort -V | tail -n 1)
  done
  echo "$best"
}

no_source() {
  die "no PETSc $PETSC_SERIES.x source: $1. Set PETSC_DIR to a PETSc $PETSC_SERIES.x installation, or put petsc-$PETSC_SERIES.N.tar.gz (PETSc's release archive) or petsc_$PETSC_SERIES.N+dfsg1.orig.tar.xz (Debian's) in $PANODE_CACHE_DIR and run again"
}

# The archive URI of the machine's own Debian sources (deb822 or one-line format).
debian_archive_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk 'BEGIN{RS=""} /Types:[^\n]*deb/ && /Suites:[^\n]*(bookworm|trixie|stable)( |\n|$)/ && !/security/ {
            if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit } }' \
          /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  echo "$uri"
}

install_build_packages() {
  local missing=()
  for p in "${BUILD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  phase "reading the package index" apt-get update
  phase "installing ${missing[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# Downloads the orig tarball of the newest 3.22.x that Debian 13 serves into $1/src (private apt
# configuration from the machine's own sources) and prints its path.
download_source() {
  local work=$1 uri
  mkdir -p "$(dirname "$SETUP_LOG")"
  uri=$(debian_archive_uri)
  [ -n "$uri" ] || no_source "no Debian archive in /etc/apt/sources.list[.d] to read Debian 13's source index from"
  mkdir -p "$work/apt/lists/partial" "$work/apt/parts" "$work/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$work/apt/sources.list"
  local apt_opts=(-o "Dir::Etc::sourcelist=$work/apt/sources.list" -o "Dir::Etc::sourceparts=$work/apt/parts"
    -o "Dir::State::Lists=$work/apt/lists" -o "APT::Get::List-Cleanup=0")
  say "reading Debian 13's source index"
  apt-get "${apt_opts[@]}" update >>"$SETUP_LOG" 2>&1 || no_source "reading Debian 13's source index failed (log: $SETUP_LOG)"
  local version
  version=$(apt-cache "${apt_opts[@]}" showsrc petsc 2>>"$SETUP_LOG" | awk '/^Version:/{print $2}' |
    grep -E "^$PETSC_SERIES\.[0-9]+" | sort -V | tail -n 1 || true)
  [ -n "$version" ] || no_source "Debian 13 serves none (its petsc: $(apt-cache "${apt_opts[@]}" showsrc petsc 2>/dev/null | awk '/^Version:/{printf "%s ", $2}')"
  say "downloading petsc $version source (about 40 MB)"
  # The .dsc and debian.tar.xz may be gone from the archive; only the orig tarball matters.
  (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "petsc=$version") >>"$SETUP_LOG" 2>&1 || true
  local tarball
  tarball=$(ls "$work/src"/petsc_*.orig.tar.xz 2>/dev/null | head -n 1 || true)
  [ -n "$tarball" ] || no_source "downloading petsc $version from Debian 13 failed (log: $SETUP_LOG)"
  echo "$tarball"
}

# Builds from a tarball into the cache folder of its version and prints the prefix.
build_petsc() {
  local tarball=$1 work=$2
  local version prefix
  version=$(tarball_version "$tarball")
  prefix=$(cache_prefix "$version")
  phase "unpacking $(basename "$tarball")" tar -C "$work" -xf "$tarball"
  local src
  src=$(find "$work" -maxdepth 1 -type d -name 'petsc*' ! -name '*apt*' | head -n 1)
  [ -f "$src/configure" ] || die "the unpacked source has no configure script"
  local staging="$prefix.partial"
  rm -rf "$staging"
  local line=(./configure "--prefix=$staging" "${CONFIGURE_OPTIONS[@]}")
  phase "configuring PETSc $version" bash -c 'cd "$1" && shift && unset PETSC_DIR PETSC_ARCH && "$@"' _ "$src" "${line[@]}"
  local arch
  arch=$(awk -F= '/^PETSC_ARCH/{gsub(/ /,"",$2); print $2; exit}' "$src/lib/petsc/conf/petscvariables" 2>/dev/null || true)
  [ -n "$arch" ] || arch=$(ls -d "$src"/arch-* | head -n 1 | xargs basename)
  phase "compiling PETSc $version (about 5 minutes on 2 cores)" make -C "$src" PETSC_DIR="$src" PETSC_ARCH="$arch" MAKE_NP="$(nproc)" all
  phase "installing PETSc $version" make -C "$src" PETSC_DIR="$src" PETSC_ARCH="$arch" install
  # PETSc records its prefix in pkg-config and conf files; rewrite the staging path to the final one.
  grep -rl --null "$staging" "$staging/lib/petsc/conf" "$staging/lib/pkgconfig" 2>/dev/null |
    xargs -0 -r sed -i "s#$staging#$prefix#g"
  echo "${line[*]}" | sed "s#$staging#$prefix#" > "$staging/panode-configure-line.txt"
  rm -rf "$prefix"
  mv "$staging" "$prefix"
  say "installed PETSc $version in $prefix (set-up log: $SETUP_LOG)"
  echo "$prefix"
}

main() {
  local check_only=0
  [ "${1:-}" = "--check" ] && check_only=1
  if [ -n "${PETSC_DIR:-}" ]; then
    if [ -n "${PETSC_ARCH:-}" ] && [ -d "$PETSC_DIR/$PETSC_ARCH" ]; then
      # A source-tree build: generic headers in PETSC_DIR/include, configured ones under PETSC_ARCH.
      check_installation "$PETSC_DIR/include" "$PETSC_DIR/$PETSC_ARCH/include" "$PETSC_DIR/$PETSC_ARCH/lib"
      echo "$PETSC_DIR/$PETSC_ARCH"
    else
      check_installation "$PETSC_DIR/include" "$PETSC_DIR/include" "$PETSC_DIR/lib"
      echo "$PETSC_DIR"
    fi
    return 0
  fi
  [ $check_only = 1 ] && die "PETSC_DIR is not set"
  local prefix
  prefix=$(cached_build)
  if [ -n "$prefix" ]; then
    echo "$prefix"
    return 0
  fi
  mkdir -p "$PANODE_CACHE_DIR"
  # One build at a time for all checkouts sharing the cache: a second one waits, then finds it done.
  exec 8>"$PANODE_CACHE_DIR/.petsc-build.lock"
  if ! flock -n 8; then
    say "another set-up is building PETSc; waiting for it"
    flock 8
  fi
  prefix=$(cached_build)
  if [ -n "$prefix" ]; then
    echo "$prefix"
    return 0
  fi
  say "setting up PETSc $PETSC_SERIES.x once (log: $SETUP_LOG)"
  install_build_packages
  BUILD_WORK=$(mktemp -d "${TMPDIR:-/tmp}/panode-petsc-build.XXXXXX")
  trap 'rm -rf "$BUILD_WORK"' EXIT
  local tarball
  tarball=$(local_tarball)
  if [ -n "$tarball" ]; then
    say "using the source tarball $tarball"
  else
    tarball=$(download_source "$BUILD_WORK")
  fi
  verify_tarball "$tarball"
  prefix=$(build_petsc "$tarball" "$BUILD_WORK")
  check_installation "$prefix/include" "$prefix/include" "$prefix/lib"
  echo "$prefix"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
