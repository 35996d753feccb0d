#!/usr/bin/env python3
"""torchsde and pathwise side by side, on one thread, in interleaved rounds.

Workloads (float64, one thread each):
  query-d<D>   W+H interval queries at random [s, t] in [0, 1], each asked for
               P paths of dimension D at once: torchsde's BrownianInterval of
               size (P, D) with levy_area_approximation='space-time' (its
               default query-split tree, or --torchsde-tree halfway), against
               `pathwise-lab workload --kind query` (brownian::SampleBatch, the
               engine behind the Sample RPC, one request per interval, tol
               2^-20 — the default). Unit: one path's answer to one query.
  ou-srk-vs-shark, ou-euler
               OU dy = -y dt + dW, y0 = 1 on [0, 1], P paths, constant dt:
               torchsde.sdeint (method 'srk', additive noise, space-time
               Lévy area; or 'euler', W only) against `pathwise-lab workload
               --kind ou` (integrate::SolveEnsemble, statistics on,
               trajectories off, the Lévy kind the engine picks by default:
               space-time-time). The rows "..., pathwise on <kind> as
               torchsde" run pathwise on torchsde's Lévy kind instead (W,H
               for ShARK, W only for Euler; they share the round's torchsde
               run). Unit: one path-step.

Each round runs every workload on both engines back to back, the order
alternating between rounds, so that load on a shared machine falls on both
alike. pathwise runs in a subprocess per round and times itself (start-up is
not counted); torchsde runs in this process after a warm-up. Reported: per
engine the median process-CPU time per unit, the median (min–max) over rounds
of the per-round CPU ratio torchsde / pathwise (> 1: pathwise is faster) and
the median wall ratio; --json keeps every round's CPU and wall times. Every
run is checked against theory (E W²/(t − s) = 1 per path; E y(1) = e^-1;
5 standard errors), so that a wrong workload cannot pass as a fast one (with
100 paths or more).

Exit codes: 0 success; 1 a run or a check failed; 2 bad command line;
3 torch or torchsde cannot be imported (the message says how to get them).
See bench/torchsde/README.md.
"""
import argparse
import datetime
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time

EXIT_FAILED = 1
EXIT_MISSING_DEPS = 3

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_LAB = os.path.join(REPO, "build", "bin", "pathwise-lab")
# Fewer queries at d = 256, where one query of 1 000 paths is 256 000 values.
DEFAULT_QUERIES = "1:1024,16:256,256:64"

MISSING_DEPS_HELP = """\
run_side_by_side.py: {what} cannot be imported ({error}).

torch: Debian's package, for the system interpreter /usr/bin/python3:
    apt-get install -y python3-torch        (sudo where you are not root)
torchsde and trampoline are pure Python; get their sources (do not add them
to this repository) and put them on PYTHONPATH or pass --torchsde-src:
    git clone https://github.com/google-research/torchsde  /opt/torchsde-src/torchsde
    git clone https://github.com/ferreum/trampoline        /opt/torchsde-src/trampoline
    /usr/bin/python3 bench/torchsde/run_side_by_side.py \\
        --torchsde-src /opt/torchsde-src/torchsde --torchsde-src /opt/torchsde-src/trampoline
(or `pip install torchsde`, which brings trampoline, where pip can reach PyPI).
bench/torchsde/README.md has the details.
"""


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="torchsde and pathwise side by side (one thread, interleaved rounds).",
        epilog="Exit codes: 0 success; 1 a run or a check failed; 2 bad command line; "
        "3 torch or torchsde missing.")
    p.add_argument("--pathwise-lab", default=DEFAULT_LAB,
                   help="the pathwise-lab binary (default: %(default)s)")
    p.add_argument("--torchsde-src", action="append", default=[], metavar="DIR",
                   help="a folder to put in front of sys.path (torchsde's or trampoline's "
                   "source checkout); repeatable")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    p.add_argument("--paths", type=int, default=1000, help="paths per request/ensemble (1000)")
    p.add_argument("--dims", default="1,16,256", help="query dimensions (default 1,16,256)")
    p.add_argument("--queries", default=DEFAULT_QUERIES,
                   help="random intervals per round of a query workload: one number for "
                   "every dimension or d:Q pairs (default %(default)s). torchsde's cost "
                   "per query grows with the queries its tree has served, pathwise's does "
                   "not: compare runs at the same setting")
    p.add_argument("--dt", type=float, default=2.0 ** -10, help="OU step (default 2^-10)")
    p.add_argument("--parts", default="query,ou", help="query, ou or both (default query,ou)")
    p.add_argument("--torchsde-tree", choices=("query-split", "halfway"), default="query-split",
                   help="torchsde's tree: its default (split at the queries) or the dyadic "
                   "halfway tree at tol 2^-20, pathwise's construction")
    p.add_argument("--seed", type=int, default=1, help="seed of both engines and the intervals")
    p.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: 1 round, 8 paths, 2 queries, d = 1, 2, dt = 2^-4 "
                   "(too few paths for the checks)")
    a = p.parse_args(argv)
    if a.quick:
        a.rounds, a.paths, a.queries, a.dims, a.dt = 1, 8, "2", "1,2", 2.0 ** -4
    try:
        a.dims = [int(d) for d in a.dims.split(",") if d.strip()]
    except ValueError:
        p.error(f"--dims: '{a.dims}' is not a list of integers")
    a.parts = [x.strip() for x in a.parts.split(",") if x.strip()]
    for name, value in (("--rounds", a.rounds), ("--paths", a.paths)):
        if value < 1:
            p.error(f"{name}: must be >= 1, got {value}")
    if not a.dims or min(a.dims) < 1:
        p.error("--dims: every dimension must be >= 1")
    a.queries = parse_queries(p, a.queries, a.dims if "query" in a.parts else [])
    if not a.parts or set(a.parts) - {"query", "ou"}:
        p.error(f"--parts: must name query and/or ou, got '{','.join(a.parts)}'")
    if not 0.0 < a.dt <= 1.0:
        p.error(f"--dt: must be in (0, 1], got {a.dt}")
    return a


def parse_queries(p, text, dims):
    """--queries: "Q" or "d:Q,d:Q" -> {d: Q} for every d in dims."""
    try:
        if ":" not in text:
            per_dim = {d: int(text) for d in dims}
        else:
            per_dim = {int(d): int(q) for d, q in (item.split(":") for item in text.split(","))}
    except ValueError:
        p.error(f"--queries: '{text}' is not a number or a list of d:Q pairs")
    for d in dims:
        if d not in per_dim:
            p.error(f"--queries: no count for d = {d} in '{text}'")
        if per_dim[d] < 1:
            p.error(f"--queries: must be >= 1, got {per_dim[d]} for d = {d}")
    return per_dim


def import_torch(src_dirs):
    """Imports torch and torchsde on one thread; exits 3 with how to get them."""
    for d in reversed(src_dirs):
        sys.path.insert(0, os.path.abspath(d))
    # One thread for torch's intra-op pools, set before the import reads them.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    modules = []
    for what in ("torch", "torchsde"):
        try:
            modules.append(__import__(what))
        except ImportError as e:  # trampoline missing surfaces as torchsde's ImportError
            sys.stderr.write(MISSING_DEPS_HELP.format(what=what, error=e))
            sys.exit(EXIT_MISSING_DEPS)
    torch, torchsde = modules
    torch.set_num_threads(1)
    return torch, torchsde


class Failed(Exception):
    pass


# Fewer paths than this and the sample standard error is itself too uncertain
# for a normal-theory bound (the warm-up and --quick runs): no check.
MIN_PATHS_TO_CHECK = 100


def check_close(name, value, expected, std_error, paths):
    """5 standard errors: a false alarm has probability about 6e-7 per check."""
    if paths < MIN_PATHS_TO_CHECK:
        return
    if not (std_error > 0 and abs(value - expected) <= 5 * std_error):
        raise Failed(f"{name}: check value {value:.5g} is not within 5 standard errors "
                     f"({std_error:.3g}) of {expected:.5g}")


def run_pathwise(lab, args):
    cmd = [lab, "workload", *args, "--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failed(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)


class Clock:
    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall_ns = 1e9 * (time.perf_counter() - self.wall0)
        self.cpu_ns = 1e9 * (time.process_time() - self.cpu0)


def random_intervals(count, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        a, b = rng.random(), rng.random()
        out.append((min(a, b), max(a, b)))
    return out


class QueryWorkload:
    def __init__(self, torch, torchsde, opts, dim):
        self.torch, self.torchsde, self.opts, self.dim = torch, torchsde, opts, dim
        self.queries = opts.queries[dim]
        self.name = f"query-d{dim}, {self.queries} queries"
        self.unit = "path-query"
        self.variants = [(self.name, None)]

    def torchsde_run(self, r):
        torch, o = self.torch, self.opts
        intervals = random_intervals(self.queries, o.seed + r)
        tree = ({"halfway_tree": True, "tol": 2.0 ** -20} if o.torchsde_tree == "halfway" else {})
        bm = self.torchsde.BrownianInterval(
            t0=0.0, t1=1.0, size=(o.paths, self.dim), dtype=torch.float64,
            levy_area_approximation="space-time", entropy=o.seed + r, **tree)
        answers = []
        with Clock() as c:
            for s, t in intervals:
                answers.append(bm(s, t, return_U=True))
        # Per path, the mean of W² / (t − s) over its queries and components;
        # a path's queries overlap, so the error comes from the spread across paths.
        per_path = sum((w * w).mean(dim=1) / (t - s)
                       for (w, _), (s, t) in zip(answers, intervals)) / self.queries
        check_close(f"torchsde {self.name}", float(per_path.mean()), 1.0,
                    float(per_path.std()) / math.sqrt(o.paths), o.paths)
        return c.cpu_ns / (self.queries * o.paths), c.wall_ns / (self.queries * o.paths)

    def pathwise_run(self, r, _):
        o = self.opts
        spec = ",".join(f"{s!r}:{t!r}" for s, t in random_intervals(self.queries, o.seed + r))
        out = run_pathwise(o.pathwise_lab, ["--kind", "query", "--dim", str(self.dim), "--paths",
                                            str(o.paths), "--seed", str(o.seed + r),
                                            "--intervals", spec])
        check_close(f"pathwise {self.name}", out["check_w2_over_length"], 1.0,
                    out["check_std_error"], o.paths)
        return out["cpu_ns_per_unit"], out["wall_ns_per_unit"]


class OuWorkload:
    """torchsde_method against pathwise_method, the latter on the Lévy kind the
    engine picks by default and on torchsde's (`matched_levy`)."""

    def __init__(self, torch, torchsde, opts, name, torchsde_method, pathwise_method,
                 matched_levy):
        self.torch, self.torchsde, self.opts = torch, torchsde, opts
        self.name, self.unit = name, "path-step"
        self.torchsde_method, self.pathwise_method = torchsde_method, pathwise_method
        kind = {"none": "W only", "space-time": "W,H"}[matched_levy]
        self.variants = [(name, None), (f"{name}, pathwise on {kind} as torchsde", matched_levy)]

    def torchsde_run(self, r):
        torch, o = self.torch, self.opts
        steps = round(1.0 / o.dt)

        class Ou(torch.nn.Module):
            noise_type, sde_type = "additive", "ito"

            def __init__(self, paths):
                super().__init__()
                self.g_value = torch.ones(paths, 1, 1, dtype=torch.float64)

            def f(self, t, y):  # theta (mu - y) with theta = 1, mu = 0
                return -y

            def g(self, t, y):  # sigma = 1; additive noise: (paths, state, noise)
                return self.g_value

        levy = "space-time" if self.torchsde_method == "srk" else "none"
        y0 = torch.ones(o.paths, 1, dtype=torch.float64)
        ts = torch.tensor([0.0, 1.0], dtype=torch.float64)
        with Clock() as c:
            bm = self.torchsde.BrownianInterval(
                t0=0.0, t1=1.0, size=(o.paths, 1), dtype=torch.float64,
                levy_area_approximation=levy, entropy=o.seed + r)
            ys = self.torchsde.sdeint(Ou(o.paths), y0, ts, bm=bm, method=self.torchsde_method,
                                      dt=o.dt)
        y1 = ys[-1, :, 0]
        check_close(f"torchsde {self.name}", float(y1.mean()), math.exp(-1.0),
                    float(y1.std()) / math.sqrt(o.paths), o.paths)
        return c.cpu_ns / (o.paths * steps), c.wall_ns / (o.paths * steps)

    def pathwise_run(self, r, levy):
        o = self.opts
        args = ["--kind", "ou", "--method", self.pathwise_method, "--paths", str(o.paths),
                "--dt", repr(o.dt), "--seed", str(o.seed + r)]
        if levy:
            args += ["--levy", levy]
        out = run_pathwise(o.pathwise_lab, args)
        check_close(f"pathwise {self.name} ({out['levy_area']})", out["check_mean_y_t1"],
                    math.exp(-1.0), out["check_std_error"], o.paths)
        return out["cpu_ns_per_unit"], out["wall_ns_per_unit"]


def workloads(torch, torchsde, o):
    out = []
    if "query" in o.parts:
        out += [QueryWorkload(torch, torchsde, o, d) for d in o.dims]
    if "ou" in o.parts:
        out += [
            OuWorkload(torch, torchsde, o, "ou-srk-vs-shark", "srk", "shark", "space-time"),
            OuWorkload(torch, torchsde, o, "ou-euler", "euler", "euler", "none"),
        ]
    return out


def warm_up(torch, torchsde, o):
    """First calls into torch and torchsde pay one-off set-up; not measured."""
    small = argparse.Namespace(**{**vars(o), "paths": 4, "dt": 2.0 ** -4,
                                  "queries": {d: 2 for d in o.queries}})
    for w in workloads(torch, torchsde, small):
        w.torchsde_run(0)


def machine():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "system": platform.platform(),
            "python": platform.python_version()}


def command_output(cmd):
    """The command's trimmed stdout, or None where it cannot run or fails."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except OSError:
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def pathwise_version(lab):
    r = subprocess.run([lab, "--version"], capture_output=True, text=True)
    if r.returncode != 0:
        raise Failed(f"{lab} --version exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout.strip()


def median_ratio(xs, ys):
    return statistics.median(x / y for x, y in zip(xs, ys))


def summarise(results):
    rows = []
    for name, res in results.items():
        t, p = res["torchsde"], res["pathwise"]
        cpu_ratios = [a / b for a, b in zip(t["cpu_ns"], p["cpu_ns"])]
        rows.append({
            "workload": name, "unit": res["unit"],
            "torchsde_cpu_ns": statistics.median(t["cpu_ns"]),
            "pathwise_cpu_ns": statistics.median(p["cpu_ns"]),
            "cpu_ratio": statistics.median(cpu_ratios),
            "cpu_ratio_min": min(cpu_ratios), "cpu_ratio_max": max(cpu_ratios),
            "wall_ratio": median_ratio(t["wall_ns"], p["wall_ns"]),
        })
    return rows


def format_ns(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 10000 else f"{ns:.0f} ns"


def print_table(rows, meta):
    print(f"\n{meta['date']}, {meta['machine']['cpu']} ({meta['machine']['cpus']} CPUs), "
          f"torch {meta['torch']} (package {meta['torch_package']}), "
          f"torchsde {meta['torchsde']}, {meta['pathwise']}, commit {meta['commit']}")
    print(f"{meta['rounds']} interleaved rounds, one thread, float64, {meta['paths']} paths; "
          f"load average {meta['load_before']} before, {meta['load_after']} after\n")
    print("| workload | unit | torchsde (CPU) | pathwise (CPU) | ratio torchsde/pathwise, CPU "
          "(min–max) | ratio, wall |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['workload']} | {r['unit']} | {format_ns(r['torchsde_cpu_ns'])} | "
              f"{format_ns(r['pathwise_cpu_ns'])} | {r['cpu_ratio']:.2f}× "
              f"({r['cpu_ratio_min']:.2f}–{r['cpu_ratio_max']:.2f}) | {r['wall_ratio']:.2f}× |")


def load_average():
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv):
    o = parse_args(argv)
    torch, torchsde = import_torch(o.torchsde_src)
    if not os.access(o.pathwise_lab, os.X_OK):
        sys.stderr.write(f"run_side_by_side.py: {o.pathwise_lab} is not an executable; build it "
                         "(`cmake --build build --target pathwise-lab`) or pass --pathwise-lab\n")
        return EXIT_FAILED
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "torch": torch.__version__,
        # Debian's torch reports "1.13.0a0"; its package version says which build.
        "torch_package": command_output(["dpkg-query", "-W", "-f", "${Version}",
                                         "python3-torch"]),
        "commit": command_output(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]),
        "torchsde": getattr(torchsde, "__version__", "unknown"), "rounds": o.rounds,
        "paths": o.paths, "dims": o.dims, "queries": {str(d): q for d, q in o.queries.items()},
        "dt": o.dt,
        "torchsde_tree": o.torchsde_tree, "seed": o.seed, "load_before": load_average(),
    }
    try:
        meta["pathwise"] = pathwise_version(o.pathwise_lab)
        warm_up(torch, torchsde, o)
        ws = workloads(torch, torchsde, o)
        # One row per pathwise variant; a workload's variants share its torchsde runs.
        results = {name: {"unit": w.unit, "torchsde": {"cpu_ns": [], "wall_ns": []},
                          "pathwise": {"cpu_ns": [], "wall_ns": []}}
                   for w in ws for name, _ in w.variants}
        for r in range(o.rounds):
            for w in ws:
                runs = [("torchsde", [n for n, _ in w.variants], lambda: w.torchsde_run(r))]
                runs += [("pathwise", [n], lambda levy=levy: w.pathwise_run(r, levy))
                         for n, levy in w.variants]
                for engine, rows, run in (runs if r % 2 == 0 else runs[::-1]):
                    cpu, wall = run()
                    for row in rows:
                        results[row][engine]["cpu_ns"].append(cpu)
                        results[row][engine]["wall_ns"].append(wall)
                    label = rows[-1] if engine == "pathwise" else w.name
                    print(f"round {r + 1}/{o.rounds} {label:50s} {engine:8s} "
                          f"{format_ns(cpu)} CPU, {format_ns(wall)} wall per {w.unit}",
                          file=sys.stderr, flush=True)
    except Failed as e:
        sys.stderr.write(f"run_side_by_side.py: {e}\n")
        return EXIT_FAILED
    meta["load_after"] = load_average()
    rows = summarise(results)
    print_table(rows, meta)
    if o.json:
        with open(o.json, "w") as f:
            json.dump({"meta": meta, "summary": rows, "rounds": results}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
