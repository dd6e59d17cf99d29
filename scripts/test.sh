#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to find: formatting, lints,
# then unit and integration tests (SDK <-> server over real sockets; C tests compiled with
# gcc and run under valgrind), then the C example end to end.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
# The C tests link the cdylib and the durability tests start the server binary.
cargo build --workspace
cargo test --workspace
make -C examples-c run
