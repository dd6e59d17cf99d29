#!/usr/bin/env bash
# The sizes of the SDK binaries, in bytes, as a Markdown table (docs/PERFORMANCE.md,
# Footprint):
#
#   desktop  cargo build --release                    (embedded server; target/release)
#   Android  cargo build --profile dist -p v2tim --lib --no-default-features --features jni
#   app      cargo build --profile dist -p v2tim --lib --no-default-features  (target/dist)
#
# For each: libv2tim.so stripped, and what libv2tim.a adds to a C program (examples-c/
# remote_demo.c, statically linked with --gc-sections and stripped, minus the same link of an
# empty program). Fails when a build without the embedded server is over the budget,
# V2TIM_SIZE_BUDGET bytes (default 3 MiB) stripped. Builds for the host; the Android and iOS
# builds cross-compile the same code (docs/INTEGRATION.md).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${V2TIM_SIZE_BUDGET:-3145728}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo 'int main(void) { return 0; }' >"$scratch/empty.c"

link_static() { # OUT SOURCE [LIBRARY.a]
  local out=$1 src=$2
  shift 2
  gcc -O2 -Iinclude -ffunction-sections -fdata-sections "$src" "$@" -Wl,--gc-sections \
    -lpthread -ldl -lm -o "$out"
  strip "$out"
  stat -c %s "$out"
}

stripped_so() { cp "$1" "$scratch/lib.so" && strip "$scratch/lib.so" && stat -c %s "$scratch/lib.so"; }

base=$(link_static "$scratch/empty" "$scratch/empty.c")
rows=() over=()
measure() { # NAME DIR EMBEDDED(yes/no)
  local so static
  so=$(stripped_so "$2/libv2tim.so")
  static=$(($(link_static "$scratch/demo" examples-c/remote_demo.c "$2/libv2tim.a") - base))
  rows+=("| $1 | $3 | $so | $static |")
  if [[ $3 == no ]] && ((so > budget)); then over+=("$1: $so > $budget"); fi
}

cargo build --release
measure "desktop: cargo build --release" target/release yes
cargo build --profile dist -p v2tim --lib --no-default-features --features jni
measure "Android: --profile dist --no-default-features --features jni" target/dist no
cargo build --profile dist -p v2tim --lib --no-default-features
measure "app: --profile dist --no-default-features" target/dist no

echo
echo "| build | embedded server | libv2tim.so stripped (bytes) | libv2tim.a in a C program (bytes) |"
echo "| --- | --- | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo
if ((${#over[@]})); then
  printf 'over the size budget: %s\n' "${over[@]}" >&2
  exit 1
fi
echo "builds without the embedded server are within the budget of $budget bytes"
