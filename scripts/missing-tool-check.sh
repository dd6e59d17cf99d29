#!/usr/bin/env bash
# No test passes while testing nothing: with cmake and javac hidden from PATH and CI=true,
# the tests that need them (tests/packaging.rs, tests/java.rs) must fail, naming the Debian
# packages to install. Runs the already built test binaries (scripts/test.sh builds them).
set -uo pipefail
cd "$(dirname "$0")/.."
hidden=(cmake javac)
expect=("apt-get install cmake" "apt-get install default-jdk-headless")

shadow=$(mktemp -d)
trap 'rm -rf "$shadow"' EXIT
# A PATH without the hidden tools: every other command of every PATH directory, linked into
# one directory (the first of a name wins, as in a PATH search).
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  for f in "$d"/*; do
    name=${f##*/}
    [[ -f $f && -x $f && ! -e $shadow/$name ]] || continue
    [[ " ${hidden[*]} " == *" $name "* ]] && continue
    ln -s "$f" "$shadow/$name"
  done
done
for tool in "${hidden[@]}"; do
  if PATH=$shadow command -v "$tool" >/dev/null; then
    echo "could not hide $tool from PATH" >&2
    exit 1
  fi
done

echo "PATH without ${hidden[*]}, CI=true: cargo test --test packaging --test java"
out=$(PATH=$shadow CI=true cargo test --workspace --all-features --no-fail-fast \
  --test packaging --test java 2>&1)
status=$?
echo "$out" | grep -E '^test |panicked|apt-get install' || true
if ((status == 0)); then
  echo "FAIL: the tests passed with ${hidden[*]} missing under CI=true" >&2
  exit 1
fi
for e in "${expect[@]}"; do
  if ! grep -qF "$e" <<<"$out"; then
    echo "FAIL: no test said \"$e\"" >&2
    echo "$out" | tail -n 40 >&2
    exit 1
  fi
done
echo "ok: with ${hidden[*]} hidden, the tests that need them failed and named their packages"
