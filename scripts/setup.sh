#!/usr/bin/env bash
# Installs what the tests need and a fresh Debian machine with the Rust toolchain lacks; run
# by scripts/test.sh (README's test command) before anything else, and by .ci/run.
#
#   Debian packages   gcc g++ make binutils valgrind (C and C++ tests), clang llvm and clang's
#                     sanitizer runtime libclang-rt-N-dev (module-map check, ASan), cmake and
#                     pkg-config (consumer tests), default-jdk-headless and junit4 (Java tests),
#                     g++-mingw-w64-x86-64-posix (Windows header check), postgresql (the
#                     server suite on PostgreSQL; scripts/services.sh runs its own instance)
#                     and nats-server (the cluster tests start their own), nodejs, npm and
#                     node-typescript (the npm package's tests, `npm pack`, the tsc check)
#   rustup            clippy and rustfmt for the stable toolchain; a nightly toolchain (ASan
#                     build of the library, fuzzing)
#   cargo install     cargo-fuzz
#
# Installs only what is missing, so a second run costs a few checks. Packages need root (or
# sudo without a password); otherwise it prints the command to run and goes on, and the
# tests that need the tool fail under CI (or V2TIM_REQUIRE_ALL=1) and are listed as skipped
# elsewhere. V2TIM_NO_INSTALL=1 only reports what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

# tool -> Debian package; a path stands for a file the package installs.
declare -A package=(
  [gcc]=gcc [g++]=g++ [make]=make [nm]=binutils [readelf]=binutils [valgrind]=valgrind
  [clang]=clang [clang++]=clang [llvm-symbolizer]=llvm [cmake]=cmake [pkg-config]=pkg-config
  [javac]=default-jdk-headless [java]=default-jdk-headless
  [/usr/share/java/junit4.jar]=junit4
  [x86_64-w64-mingw32-gcc]=gcc-mingw-w64-x86-64-posix
  [x86_64-w64-mingw32-g++]=g++-mingw-w64-x86-64-posix
  [/usr/lib/postgresql]=postgresql
  [nats-server]=nats-server
  [node]=nodejs [npm]=npm [tsc]=node-typescript [tar]=tar
)

missing_packages() {
  local tool
  for tool in "${!package[@]}"; do
    if [[ $tool == /* ]]; then [[ -e $tool ]] || echo "${package[$tool]}"; else have "$tool" || echo "${package[$tool]}"; fi
  done
  # clang's AddressSanitizer runtime is its own package on Debian (a Recommends of clang).
  if have clang && [[ "$(clang -print-file-name="libclang_rt.asan-$(uname -m).a")" != /* ]]; then
    echo "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
  fi
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif have sudo && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

apt_install() {
  ((${#@})) || return 0
  if [[ ${V2TIM_NO_INSTALL:-} == 1 ]]; then
    echo "setup: missing (V2TIM_NO_INSTALL=1): apt-get install $*"
    return 0
  fi
  echo "setup: apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get update -qq || ! as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
    echo "setup: could not install $* (needs root: apt-get install $*)"
    return 1
  fi
}

status=0
# Twice: clang's runtime package is only known once clang is there.
for _ in 1 2; do
  mapfile -t pkgs < <(missing_packages | sort -u)
  ((${#pkgs[@]})) || break
  apt_install "${pkgs[@]}" || { status=1; break; }
  [[ ${V2TIM_NO_INSTALL:-} == 1 ]] && break
done

if [[ ${V2TIM_NO_INSTALL:-} != 1 ]]; then
  if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
    echo "setup: rustup component add clippy rustfmt"
    rustup component add clippy rustfmt || status=1
  fi
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "setup: rustup toolchain install nightly"
    rustup toolchain install nightly --profile minimal || status=1
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "setup: cargo install cargo-fuzz"
    cargo install cargo-fuzz --locked || status=1
  fi
fi

((status == 0)) && echo "setup: every tool the tests use is installed"
exit $status
