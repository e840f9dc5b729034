#!/usr/bin/env python3
"""Turns one run of benchmarks/run.sh into a Markdown report: every figure, and the ratios against the targets."""
import json
import re
import sys
from pathlib import Path


def load(path):
    rows = {}
    if not path.exists():
        return rows
    for result in json.loads(path.read_text()):
        name = result["benchmark"].rsplit(".", 2)
        name = name[-2] + "." + name[-1]
        param = next(iter(result.get("params", {}).values()), "")
        gc = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
        rows[(name, param, result["threads"])] = (result["primaryMetric"]["score"], result["primaryMetric"]["scoreError"],
                                                  gc.get("score"))
    return rows


def main(directory):
    out = Path(directory)
    rows = {}
    for file in ("core.json", "core-hit-t2.json", "spring-t1.json", "spring-t2.json"):
        rows.update(load(out / file))

    print("| benchmark | subject | threads | ns/op | ± | B/op |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, param, threads), (score, error, alloc) in sorted(rows.items()):
        b = "" if alloc is None else f"{alloc:.0f}"
        print(f"| {name} | {param} | {threads} | {score:.1f} | {error:.1f} | {b} |")

    def ns(name, param, threads):
        return rows.get((name, param, threads), (None, None, None))[0]

    def alloc(name, param, threads):
        return rows.get((name, param, threads), (None, None, None))[2]

    checks = []

    def ratio(label, a, b, limit):
        if a is None or b is None:
            checks.append((label, "not measured", f"<= {limit}", "?"))
            return
        value = a / b
        checks.append((label, f"{value:.2f}", f"<= {limit:.3g}", "met" if value <= limit else "MISSED"))

    for t in (1, 2):
        hit = "SpringHitBenchmark.hit"
        for engine in ("alruLru", "alruTinyLfu"):
            ratio(f"-t {t}: {engine} / springCacheable", ns(hit, engine, t), ns(hit, "springCacheable", t), 1 / 6)
            ratio(f"-t {t}: {engine} / noopProxy", ns(hit, engine, t), ns(hit, "noopProxy", t), 1.5)
            a, b = alloc(hit, engine, t), alloc(hit, "noopProxy", t)
            if a is not None and b is not None:
                extra = a - b
                checks.append((f"-t {t}: {engine} B/op - noopProxy B/op", f"{extra:.0f}", "<= 48", "met" if extra <= 48 else "MISSED"))
            ratio(f"-t {t}: {engine}Async / {engine}", ns(hit, engine + "Async", t), ns(hit, engine, t), 1.2)
        core = "CoreBenchmarks.hit"
        for engine, limit in (("TINY_LFU", 2), ("LRU", 4)):
            ratio(f"-t {t}: core {engine} / Caffeine getIfPresent (default executor)", ns(core, engine, t), ns(core, "CAFFEINE_DEFAULT", t), limit)
            ratio(f"-t {t}: core {engine} / Caffeine getIfPresent (maintenance on caller, as alru)", ns(core, engine, t), ns(core, "CAFFEINE", t), limit)

    stampede = out / "stampede.txt"
    if stampede.exists():
        for line in stampede.read_text().splitlines():
            match = re.match(r"(alru\w+)\s+(\d+)$", line.strip())
            if match:
                checks.append((f"stampede: {match.group(1)} executions", match.group(2), "== 1", "met" if match.group(2) == "1" else "MISSED"))

    print()
    print("| target | measured | bar | |")
    print("|---|---:|---|---|")
    for label, value, bar, verdict in checks:
        print(f"| {label} | {value} | {bar} | {verdict} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/quick")
