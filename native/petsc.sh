#!/usr/bin/env bash
# Makes PETSc 3.22.5 available and prints its installation directory on the last line of stdout.
#
#   native/petsc.sh            use $PETSC_DIR[/$PETSC_ARCH] if set (after checking it), else the
#                              cached build, else build it from Debian 13's source package
#   native/petsc.sh --check    only check $PETSC_DIR[/$PETSC_ARCH]; build nothing
#
# Progress goes to stderr; the only stdout line is the directory (use it as PETSC_DIR).
# Cache: ${PANODE_CACHE:-$HOME/.cache/panode}/petsc-3.22.5-<hash of the configure options>.
set -euo pipefail

PETSC_VERSION=3.22.5
SOURCE_PACKAGE_VERSION="${PETSC_VERSION}+dfsg1"
CONFIGURE_OPTIONS=(--with-debugging=0 --with-fc=0 --with-shared-libraries=1 --with-x=0
  --with-64-bit-indices=0 --with-scalar-type=real --with-precision=double
  COPTFLAGS=-O2 CXXOPTFLAGS=-O2)
BUILD_PACKAGES=(libopenmpi-dev openmpi-bin libopenblas-dev liblapack-dev python3 xz-utils make gcc g++)

say() { echo "panode/petsc: $*" >&2; }
die() { echo "panode/petsc: error: $*" >&2; exit 1; }

# Checks an installation: version 3.22.x, real double scalars, 32-bit PetscInt, shared library.
# Arguments: the directory holding petscversion.h, the one holding petscconf.h, the library directory.
check_installation() {
  local version_h="$1/petscversion.h" conf="$2/petscconf.h" lib="$3/libpetsc.so"
  [ -f "$version_h" ] && [ -f "$conf" ] ||
    die "no PETSc headers in $1 (set PETSC_DIR to an installation prefix, or PETSC_DIR and PETSC_ARCH to a build, or unset both to let Panode build PETSc $PETSC_VERSION)"
  local major minor
  major=$(awk '/#define PETSC_VERSION_MAJOR/{print $3}' "$version_h")
  minor=$(awk '/#define PETSC_VERSION_MINOR/{print $3}' "$version_h")
  [ "$major.$minor" = "3.22" ] ||
    die "PETSc in $1 is version $major.$minor; Panode's bindings need 3.22.x (unset PETSC_DIR to let Panode build $PETSC_VERSION)"
  if grep -q '#define PETSC_USE_COMPLEX' "$conf"; then
    die "PETSc in $2 uses complex scalars; Panode needs real scalars (--with-scalar-type=real)"; fi
  grep -q '#define PETSC_USE_REAL_DOUBLE' "$conf" ||
    die "PETSc in $2 is not double precision; Panode needs --with-precision=double"
  if grep -q '#define PETSC_USE_64BIT_INDICES' "$conf"; then
    die "PETSc in $2 uses 64-bit indices; Panode's bindings need 32-bit PetscInt (--with-64-bit-indices=0)"; fi
  [ -f "$lib" ] || die "no shared library $lib; Panode needs --with-shared-libraries=1"
}

options_hash() { printf '%s\n' "$PETSC_VERSION" "${CONFIGURE_OPTIONS[@]}" | sha256sum | cut -c1-12; }

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
  [ -n "$uri" ] || die "could not read a Debian archive URI from /etc/apt/sources.list[.d]"
  echo "$uri"
}

install_build_packages() {
  local missing=()
  for p in "${BUILD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  say "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

# Downloads petsc_<version>.orig.tar.xz from Debian 13's source package into $1 (private apt config).
download_source() {
  local work=$1 uri
  uri=$(debian_archive_uri)
  mkdir -p "$work/apt/lists/partial" "$work/apt/parts" "$work/src"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$work/apt/sources.list"
  local apt_opts=(-o "Dir::Etc::sourcelist=$work/apt/sources.list" -o "Dir::Etc::sourceparts=$work/apt/parts"
    -o "Dir::State::Lists=$work/apt/lists" -o "APT::Get::List-Cleanup=0")
  say "reading Debian 13 source index"
  apt-get "${apt_opts[@]}" update -qq >&2 || die "apt-get update of the trixie source index failed"
  say "downloading petsc $SOURCE_PACKAGE_VERSION source (about 40 MB)"
  # The .dsc and debian.tar.xz may be missing from the archive; only the orig tarball matters.
  (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "petsc=$SOURCE_PACKAGE_VERSION-*" >&2 2>&1 ||
    apt-get "${apt_opts[@]}" source --download-only petsc >&2 2>&1) || true
  local tarball
  tarball=$(ls "$work/src"/petsc_"${SOURCE_PACKAGE_VERSION}".orig.tar.xz 2>/dev/null || true)
  [ -n "$tarball" ] || die "could not download petsc_${SOURCE_PACKAGE_VERSION}.orig.tar.xz from Debian 13's source packages"
  echo "$tarball"
}

build_petsc() {
  local prefix=$1
  install_build_packages
  BUILD_WORK=$(mktemp -d "${TMPDIR:-/tmp}/panode-petsc-build.XXXXXX")
  trap 'rm -rf "$BUILD_WORK"' EXIT
  local work=$BUILD_WORK
  local tarball
  tarball=$(download_source "$work")
  say "unpacking"
  tar -C "$work" -xf "$tarball"
  local src
  src=$(find "$work" -maxdepth 1 -type d -name 'petsc*' ! -name '*apt*' | head -n 1)
  [ -f "$src/configure" ] || die "unpacked source has no configure script"
  local staging="$prefix.partial"
  rm -rf "$staging"
  local line=(./configure "--prefix=$staging" "${CONFIGURE_OPTIONS[@]}")
  say "configuring: ${line[*]}"
  (cd "$src" && unset PETSC_DIR PETSC_ARCH && "${line[@]}" >"$work/configure.log" 2>&1) ||
    { tail -n 30 "$work/configure.log" >&2; die "configure failed (log above)"; }
  say "compiling (about 5 minutes on 2 cores)"
  local arch
  arch=$(awk -F= '/^PETSC_ARCH/{gsub(/ /,"",$2); print $2; exit}' "$src/lib/petsc/conf/petscvariables" 2>/dev/null || true)
  [ -n "$arch" ] || arch=$(ls -d "$src"/arch-* | head -n 1 | xargs basename)
  (cd "$src" && make PETSC_DIR="$src" PETSC_ARCH="$arch" MAKE_NP="$(nproc)" all >"$work/make.log" 2>&1) ||
    { tail -n 30 "$work/make.log" >&2; die "make failed (log above)"; }
  (cd "$src" && make PETSC_DIR="$src" PETSC_ARCH="$arch" install >"$work/install.log" 2>&1) ||
    { tail -n 30 "$work/install.log" >&2; die "make install failed (log above)"; }
  # PETSc records its prefix in pkg-config and conf files; rewrite the staging path to the final one.
  grep -rl --null "$staging" "$staging/lib/petsc/conf" "$staging/lib/pkgconfig" 2>/dev/null |
    xargs -0 -r sed -i "s#$staging#$prefix#g"
  echo "${line[*]}" | sed "s#$staging#$prefix#" > "$staging/panode-configure-line.txt"
  rm -rf "$prefix"
  mv "$staging" "$prefix"
  say "installed PETSc $PETSC_VERSION in $prefix"
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
  local cache="${PANODE_CACHE:-$HOME/.cache/panode}"
  local prefix="$cache/petsc-$PETSC_VERSION-$(options_hash)"
  if [ -f "$prefix/panode-configure-line.txt" ] && [ -f "$prefix/lib/libpetsc.so" ]; then
    echo "$prefix"
    return 0
  fi
  mkdir -p "$cache"
  build_petsc "$prefix"
  check_installation "$prefix/include" "$prefix/include" "$prefix/lib"
  echo "$prefix"
}

main "$@"
