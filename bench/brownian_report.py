#!/usr/bin/env python3
"""Runs bench_brownian once and prints the Markdown tables of docs/benchmarks.md.

Every ratio is computed from numbers measured in the same run (the machines
are shared and noisy, so absolute times across runs are not comparable).

usage: bench/brownian_report.py BUILD_DIR/bin/bench_brownian [--min-time 0.3]
"""
import json
import subprocess
import sys

KINDS = {0: "W", 1: "W,H", 2: "W,H,K"}


def run(binary, min_time):
    out = subprocess.run(
        [binary, "--benchmark_format=json", f"--benchmark_min_time={min_time}"],
        check=True, capture_output=True, text=True).stdout
    return {b["name"]: b for b in json.loads(out)["benchmarks"]}


def ns(b):
    assert b["time_unit"] == "ns", b["time_unit"]
    return b["cpu_time"]


def main():
    binary = sys.argv[1]
    min_time = sys.argv[sys.argv.index("--min-time") + 1] if "--min-time" in sys.argv else "0.3"
    r = run(binary, min_time)
    per_normal = r["BM_NormalPairs/4096"]["ns_per_normal"] * 1e9  # JSON gives seconds
    print(f"Generator: {per_normal:.2f} ns per normal in batches of 8192 "
          f"({1e3 / per_normal:.0f} M normals/s); single pair: "
          f"{ns(r['BM_NormalPairs/1']):.1f} ns.\n")

    print("Random-order queries (ns per query; ratio = time / time to draw the normals it consumes):\n")
    print("| kind | dim | tol | interval | point | normals/query | ratio |")
    print("|---|---|---|---|---|---|---|")
    for kind in KINDS:
        for dim in (1, 16, 256):
            for log2tol in (10, 20, 40):
                b = r[f"BM_RandomQuery/kind:{kind}/dim:{dim}/log2tol:{log2tol}/interval:1"]
                p = r.get(f"BM_RandomQuery/kind:{kind}/dim:{dim}/log2tol:{log2tol}/interval:0")
                normals = b["normals_per_query"]
                ratio = ns(b) / (normals * per_normal)
                point = f"{ns(p):.0f}" if p else "–"
                print(f"| {KINDS[kind]} | {dim} | 2^-{log2tol} | {ns(b):.0f} | {point} | "
                      f"{normals:.0f} | {ratio:.2f} |")

    print("\nA query against its own normals, interleaved in the same run "
          "(BM_QueryOverNormals; CPU ns per query):\n")
    print("| kind | dim | tol | query | its normals | ratio |")
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        for dim in (1, 16):
            for log2tol in (10, 20, 40):
                b = r.get(f"BM_QueryOverNormals/kind:{kind}/dim:{dim}/log2tol:{log2tol}")
                if b:
                    print(f"| {KINDS[kind]} | {dim} | 2^-{log2tol} | {b['query_ns']:.0f} | "
                          f"{b['normals_ns']:.0f} | {b['ratio']:.2f} |")

    print("\nSolver pattern (adjacent steps h = 2^-10, tol = h/2; ns per step) against the plain generator:\n")
    print("| kind | dim | tree | plain | tree / plain |")
    print("|---|---|---|---|---|")
    for kind in KINDS:
        for dim in (1, 16, 256):
            t = ns(r[f"BM_SolverPattern/kind:{kind}/dim:{dim}"])
            g = ns(r[f"BM_PlainGenerator/kind:{kind}/dim:{dim}"])
            print(f"| {KINDS[kind]} | {dim} | {t:.0f} | {g:.0f} | {t / g:.2f} |")


if __name__ == "__main__":
    main()
