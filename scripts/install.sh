#!/usr/bin/env bash
# Installs a built v2tim into PREFIX, for C and C++ consumers:
#
#   PREFIX/lib/libv2tim.so (.dylib; Windows: bin/v2tim.dll + lib/v2tim.dll.lib)
#   PREFIX/lib/libv2tim.a (Windows MSVC: lib/v2tim.lib), when built
#   PREFIX/include/v2tim.h                       the C header
#   PREFIX/include/v2tim-cpp/V2TIM*.h            the header-only C++ layer (bindings/cpp)
#   PREFIX/lib/cmake/v2tim/v2timConfig.cmake     find_package(v2tim): v2tim::v2tim,
#   PREFIX/lib/cmake/v2tim/v2timConfigVersion.cmake                   v2tim::v2tim_static
#   PREFIX/lib/pkgconfig/v2tim.pc, v2tim-static.pc
#
# Usage: scripts/install.sh PREFIX [debug|release]   (default release)
#
# It installs what cargo already built (`cargo build [--release]`) and builds nothing. The
# libraries are taken from $V2TIM_LIB_DIR if set, else $CARGO_TARGET_DIR/<profile> (default
# target/<profile>). The installed tree is relocatable (the CMake and pkg-config files find
# everything relative to themselves).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || $1 == -h || $1 == --help ]]; then
  echo "usage: $0 PREFIX [debug|release]" >&2
  exit 2
fi
prefix=$1
profile=${2:-release}
case $profile in
  debug | release) ;;
  *)
    echo "error: profile must be debug or release, not '$profile'" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
src=${V2TIM_LIB_DIR:-${CARGO_TARGET_DIR:-$root/target}/$profile}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[[ -n $version ]] || {
  echo "error: no version in $root/Cargo.toml" >&2
  exit 1
}

case $(uname -s) in
  Darwin) os=macos ;;
  MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) os=linux ;;
esac

mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
mkdir -p "$prefix/lib/cmake/v2tim" "$prefix/lib/pkgconfig" "$prefix/include/v2tim-cpp"

installed=()
copy() { # copy SRC DEST_DIR MODE
  install -m "$3" "$1" "$2/"
  installed+=("$2/$(basename "$1")")
}

shared_found=false
case $os in
  linux) shared=(libv2tim.so) ;;
  macos) shared=(libv2tim.dylib) ;;
  windows) shared=(v2tim.dll) ;;
esac
for f in "${shared[@]}"; do
  if [[ -f $src/$f ]]; then
    shared_found=true
    if [[ $os == windows ]]; then
      mkdir -p "$prefix/bin"
      copy "$src/$f" "$prefix/bin" 0755
    else
      copy "$src/$f" "$prefix/lib" 0755
    fi
  fi
done
# Windows import libraries (MSVC: v2tim.dll.lib; GNU: libv2tim.dll.a) and static libraries.
for f in v2tim.dll.lib libv2tim.dll.a v2tim.lib libv2tim.a; do
  [[ -f $src/$f ]] && copy "$src/$f" "$prefix/lib" 0644
done
if ! $shared_found && [[ ! -f $src/libv2tim.a && ! -f $src/v2tim.lib ]]; then
  echo "error: no v2tim library in $src: run \`cargo build$([[ $profile == release ]] && echo ' --release')\` first" >&2
  exit 1
fi

copy "$root/include/v2tim.h" "$prefix/include" 0644
for h in "$root"/bindings/cpp/include/*.h; do
  copy "$h" "$prefix/include/v2tim-cpp" 0644
done

# What a static link needs besides libv2tim.a (rustc --print native-static-libs).
case $os in
  linux) static_libs="-lpthread -ldl -lm -lrt -lutil" ;;
  macos) static_libs="-framework Security -framework CoreFoundation -lm" ;;
  windows) static_libs="-lws2_32 -luserenv -lbcrypt -lntdll -ladvapi32 -lkernel32 -lcrypt32 -lsecur32" ;;
esac
sizeof_void_p=$(($(getconf LONG_BIT 2>/dev/null || echo 64) / 8))

fill() { # fill TEMPLATE DEST
  sed -e "s|@VERSION@|$version|g" \
    -e "s|@STATIC_LIBS@|$static_libs|g" \
    -e "s|@SIZEOF_VOID_P@|$sizeof_void_p|g" "$1" >"$2"
  installed+=("$2")
}
fill "$root/packaging/cmake/v2timConfig.cmake.in" "$prefix/lib/cmake/v2tim/v2timConfig.cmake"
fill "$root/packaging/cmake/v2timConfigVersion.cmake.in" "$prefix/lib/cmake/v2tim/v2timConfigVersion.cmake"
fill "$root/packaging/pkgconfig/v2tim.pc.in" "$prefix/lib/pkgconfig/v2tim.pc"
fill "$root/packaging/pkgconfig/v2tim-static.pc.in" "$prefix/lib/pkgconfig/v2tim-static.pc"

echo "installed v2tim $version ($profile) into $prefix:"
printf '  %s\n' "${installed[@]#"$prefix"/}"
