#!/usr/bin/env python3
"""Criterion results of `cargo bench --bench parse` as multiples of the floor.

The floor is `floor_10MB/memchr_newlines`: one memchr pass counting line breaks over a
10 MB article, the least any stage that reads the whole text can cost. For each
benchmark under target/criterion this prints its median time and how many floors it
costs:

- a benchmark with a byte throughput (a full parse, a whole-document check) is compared
  byte for byte: 3.0 means three memchr passes over the same text;
- any other (a keystroke, one conversion) is compared with one pass over 10 MB: 0.1
  means a tenth of a pass. Element throughputs (conversions per iteration) are divided
  out first, so the figure is per element.

    cargo bench --bench parse -- 'floor|full_parse|keystroke|table|positions'
    scripts/bench/floor.py [target/criterion]

Prints a Markdown table. Run both in one session: the figures are only comparable
within one run on one machine.
"""

import json
import pathlib
import sys

FLOOR = "floor_10MB/memchr_newlines"


def load(root):
    out = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        out[meta["full_id"]] = (est["median"]["point_estimate"], meta.get("throughput") or {})
    return out


def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    results = load(root)
    if FLOOR not in results:
        sys.exit(f"floor.py: no {FLOOR} under {root}: run `cargo bench --bench parse -- floor` first")
    floor_ns, floor_tp = results[FLOOR]
    floor_bytes = floor_tp["Bytes"]
    print(f"floor: one memchr pass over {floor_bytes / 2**20:.1f} MiB = {fmt_ns(floor_ns)}\n")
    print("| benchmark | median | per | × floor |")
    print("| --- | ---: | --- | ---: |")
    for name in sorted(results):
        ns, tp = results[name]
        if "Bytes" in tp:
            per, multiple = f"{tp['Bytes'] / 2**20:.1f} MiB", (ns / tp["Bytes"]) / (floor_ns / floor_bytes)
            shown = ns
        elif "Elements" in tp:
            shown = ns / tp["Elements"]
            per, multiple = "element", shown / floor_ns
        else:
            shown, per, multiple = ns, "iteration", ns / floor_ns
        print(f"| {name} | {fmt_ns(shown)} | {per} | {multiple:.3g} |")


if __name__ == "__main__":
    main()
