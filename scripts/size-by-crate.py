#!/usr/bin/env python3
"""What a binary's code and data are made of, by crate: the sizes of its symbols (from
`nm --size-sort -S -C`, so the binary must not be stripped yet), summed by the first path
segment of each demangled name. cargo-bloat does the same for binaries and plain cdylibs;
it refuses a package that is also a staticlib and rlib, as v2tim is.

    python3 scripts/size-by-crate.py target/dist/libv2tim.so [TOP]

Symbols of C and assembly code (ring's, SQLite's) have no crate path: their own names are
listed, grouped by prefix where they share one (ring_core_*, sqlite3*)."""
import collections
import re
import subprocess
import sys


def group(name: str) -> str:
    name = re.sub(r"^(<|&|mut |dyn |_<)+", "", name)
    head = re.split(r"::| as |<|>|\(|\[| ", name, maxsplit=1)[0]
    if head.startswith("ring_core_"):
        return "ring (C/asm)"
    if head.startswith("sqlite3"):
        return "sqlite (C)"
    return head


def main() -> None:
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    out = subprocess.run(
        ["nm", "--size-sort", "-S", "-C", path], check=True, capture_output=True, text=True
    ).stdout
    sizes: collections.Counter = collections.Counter()
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4:
            sizes[group(parts[3])] += int(parts[1], 16)
    total = sum(sizes.values())
    print(f"| crate | bytes | share |\n| --- | ---: | ---: |")
    for name, size in sizes.most_common(top):
        print(f"| {name} | {size:,} | {100 * size / total:.1f}% |")
    rest = total - sum(s for _, s in sizes.most_common(top))
    print(f"| (the rest) | {rest:,} | {100 * rest / total:.1f}% |")
    print(f"| **all symbols** | **{total:,}** | |")


if __name__ == "__main__":
    main()
