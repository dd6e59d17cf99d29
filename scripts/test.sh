#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to find: formatting, lints,
# then unit and integration tests (SDK <-> server over real sockets; C and C++ tests compiled
# with gcc/g++ and run under valgrind; Java tests on the JVM; the clang module-map check),
# then the C example end to end, then a short run of every fuzz target (nightly toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
# --all-features: one build that also carries the JNI glue (feature `jni`), which the Java
# tests load; the C tests ignore the Java_* exports.
cargo clippy --workspace --all-targets --all-features -- -D warnings
# The C, C++ and Java tests link the cdylib; the durability tests start the server binary.
cargo build --workspace --all-features
cargo test --workspace --all-features
make -C examples-c run
# The C and C++ tests again under AddressSanitizer + LeakSanitizer: the library (and the
# server the C++ programs use) built with nightly's -Zsanitizer=address in target/asan, the
# programs with clang -fsanitize=address (docs/RELIABILITY.md, Sanitizers). Nightly only.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  make -C tests/c asan
else
  echo "note: no nightly toolchain; the ASan run of the C and C++ tests skipped (rustup toolchain install nightly)"
fi
# A smoke run of the cargo-fuzz targets over the committed corpus (long runs: fuzz/README.md).
# They need the nightly toolchain; without it this step says so instead of failing.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  bash fuzz/run-smoke.sh "${V2TIM_FUZZ_SECONDS:-10}"
else
  echo "note: no nightly toolchain; fuzz smoke run skipped (rustup toolchain install nightly)"
fi
