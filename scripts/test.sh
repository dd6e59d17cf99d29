#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to find: formatting, lints,
# then unit and integration tests (SDK <-> server over real sockets; C tests compiled with
# gcc and run under valgrind), then the C example end to end.
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
