#!/usr/bin/python3
"""Checks that rules.yml and the Grafana dashboards only use metrics pathwised exposes.

Every metric named in a PromQL expression must be in metrics.txt (the contract
with server/metrics.cc), a recording rule of rules.yml, or `up`; every label
used in a selector or a grouping must be a label of the metrics involved (or
job, instance, le). The dashboards' expressions are also parsed by
`promtool check rules` (Grafana's variables replaced by plain values), and the
dashboard JSON is checked for what Grafana needs to load it.

Usage: check_names.py [--promtool PATH] [DASHBOARD.json ...]
Exits 1 and names every problem when there is one.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.dirname(HERE)
TARGET_LABELS = {"job", "instance"}  # added by Prometheus to every scraped series
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan"}
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
SELECTOR = re.compile(r'([A-Za-z_:][\w:]*)?\s*\{([^}]*)\}')
MATCHER = re.compile(r'([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)')
GROUPING = re.compile(r'\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)')
IDENTIFIER = re.compile(r'(?<![\w:.$])[A-Za-z_:][\w:]*')


def load_metrics(path):
    """metrics.txt: name -> (type, label set, lazy)."""
    metrics = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            if len(line) not in (3, 4) or (len(line) == 4 and line[3] != "lazy"):
                raise SystemExit(f"{path}:{number}: expected 'name type labels [lazy]'")
            labels = set() if line[2] == "-" else set(line[2].split(","))
            metrics[line[0]] = (line[1], labels, len(line) == 4)
    return metrics


def resolve(name, metrics, recorded):
    """The label set a series name carries, or None for an unknown name."""
    if name in recorded:
        return recorded[name] | TARGET_LABELS
    if name == "up":
        return set(TARGET_LABELS)
    if name in metrics:
        kind, labels, _ = metrics[name]
        if kind not in ("histogram", "summary"):
            return labels | TARGET_LABELS
    for suffix, kinds, extra in (("_bucket", ("histogram",), {"le"}),
                                 ("_sum", ("histogram", "summary"), set()),
                                 ("_count", ("histogram", "summary"), set())):
        base = name[:-len(suffix)] if name.endswith(suffix) else None
        if base in metrics and metrics[base][0] in kinds:
            return metrics[base][1] | TARGET_LABELS | extra
    if name in metrics and metrics[name][0] == "summary":  # quantile series carry the bare name
        return metrics[name][1] | TARGET_LABELS | {"quantile"}
    return None


def grafana_to_promql(expr):
    """Replaces Grafana's variables with values PromQL accepts."""
    expr = re.sub(r'\$__(rate_)?interval|\$__range', "5m", expr)
    return re.sub(r'\$\{?\w+\}?', ".*", expr)


def names_in(expr):
    """Metric names of a PromQL expression (identifiers that are not functions or keywords)."""
    bare = STRING.sub('""', expr)
    bare = re.sub(r'\{[^}]*\}', "{}", bare)
    bare = GROUPING.sub(" ", bare)  # "sum by (job) (x)" -> "sum  (x)"
    bare = re.sub(r'\[[^\]]*\]', "[]", bare)
    names = []
    for match in IDENTIFIER.finditer(bare):
        rest = bare[match.end():].lstrip()
        if rest.startswith("(") or match.group(0).lower() in KEYWORDS:
            continue
        names.append(match.group(0))
    return names


def check_expr(where, expr, metrics, recorded):
    """Problems with the metric and label names of one expression."""
    problems = []
    known = {}
    for name in names_in(expr):
        labels = resolve(name, metrics, recorded)
        if labels is None:
            problems.append(f"{where}: unknown metric {name}")
        else:
            known[name] = labels
    for name, matchers in SELECTOR.findall(STRING.sub(lambda m: '"' + "x" * (len(m.group(0)) - 2) + '"', expr)):
        if name and name in known:
            allowed = known[name]
        elif name:
            continue  # already reported as unknown
        else:
            allowed = set().union(TARGET_LABELS, *known.values())
        for label in MATCHER.findall(matchers):
            if label != "__name__" and label not in allowed:
                problems.append(f"{where}: {name or 'selector'} has no label {label}")
    allowed = set().union(TARGET_LABELS, *known.values())
    for _, labels in GROUPING.findall(STRING.sub('""', expr)):
        for label in filter(None, (l.strip() for l in labels.split(","))):
            if label not in allowed:
                problems.append(f"{where}: grouping label {label} is on none of {sorted(known)}")
    return problems


def rule_exprs(rules_path):
    with open(rules_path) as f:
        rules = yaml.safe_load(f)
    recorded, exprs = {}, []
    for group in rules["groups"]:
        for rule in group["rules"]:
            name = rule.get("record") or rule.get("alert")
            exprs.append((f"{os.path.basename(rules_path)}: {name}", rule["expr"]))
            if "record" in rule:
                # A recording rule keeps the labels it groups by.
                grouped = GROUPING.search(rule["expr"])
                labels = {l.strip() for l in grouped.group(2).split(",")} if grouped else set()
                recorded[rule["record"]] = labels
    return recorded, exprs


def dashboard_problems(path, dashboard):
    """What Grafana needs: unique panel ids, positions, targets with refIds, known variables."""
    problems = []
    variables = {v["name"] for v in dashboard.get("templating", {}).get("list", [])}
    for key in ("uid", "title", "panels", "schemaVersion"):
        if key not in dashboard:
            problems.append(f"{path}: no {key}")
    ids = [p.get("id") for p in dashboard.get("panels", [])]
    if len(ids) != len(set(ids)) or None in ids:
        problems.append(f"{path}: panel ids must be present and unique: {ids}")
    for panel in dashboard.get("panels", []):
        where = f"{path}: panel {panel.get('id')} ({panel.get('title')})"
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")) or grid["x"] + grid["w"] > 24:
            problems.append(f"{where}: gridPos needs integer x, y, w, h within 24 columns")
        if panel.get("type") == "row":
            continue
        if not panel.get("targets"):
            problems.append(f"{where}: no targets")
        refs = [t.get("refId") for t in panel.get("targets", [])]
        if len(refs) != len(set(refs)) or None in refs:
            problems.append(f"{where}: refIds must be present and unique: {refs}")
        for target in panel.get("targets", []):
            if not target.get("expr"):
                problems.append(f"{where}: target {target.get('refId')} has no expr")
            for var in re.findall(r'\$\{?(\w+)\}?', target.get("expr", "")):
                if not var.startswith("__") and var not in variables:
                    problems.append(f"{where}: unknown variable ${var}")
        uid = panel.get("datasource", {}).get("uid", "")
        if uid not in ("prometheus", "${datasource}"):
            problems.append(f"{where}: datasource uid {uid!r} is neither the provisioned one nor $datasource")
    return problems


def dashboard_exprs(path, dashboard):
    exprs = []
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            if target.get("expr"):
                exprs.append((f"{os.path.basename(path)}: panel {panel['id']} ({panel['title']}) "
                              f"{target['refId']}", target["expr"]))
    for var in dashboard.get("templating", {}).get("list", []):
        query = var.get("query")
        query = query.get("query") if isinstance(query, dict) else query  # both of Grafana's forms
        match = re.fullmatch(r'label_values\((.*),\s*\w+\)', query or "")
        if match:
            exprs.append((f"{os.path.basename(path)}: variable {var['name']}", match.group(1)))
    return exprs


def promtool_parses(promtool, exprs):
    """Parses every expression with promtool (as recording rules of a scratch file)."""
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:expr:{i}", "expr": grafana_to_promql(expr)} for i, (_, expr) in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(rules, f)
    try:
        run = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if run.returncode == 0:
        return []
    failing = sorted({int(i) for i in re.findall(r'dashboard:expr:(\d+)', run.stdout + run.stderr)})
    named = "".join(f"\n  {exprs[i][0]}: {exprs[i][1]}" for i in failing)
    return [f"promtool cannot parse a dashboard expression:{named}\n{run.stdout}{run.stderr}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promtool", default="promtool")
    parser.add_argument("--metrics", default=os.path.join(HERE, "metrics.txt"))
    parser.add_argument("--rules", default=os.path.join(HERE, "rules.yml"))
    parser.add_argument("dashboards", nargs="*",
                        default=[os.path.join(DEPLOY, "grafana", "dashboards", "pathwise.json")])
    args = parser.parse_args()

    metrics = load_metrics(args.metrics)
    recorded, exprs = rule_exprs(args.rules)
    problems = []
    for where, expr in exprs:
        problems += check_expr(where, expr, metrics, recorded)
    for path in args.dashboards:
        try:
            with open(path) as f:
                dashboard = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
            continue
        problems += dashboard_problems(path, dashboard)
        board = dashboard_exprs(path, dashboard)
        for where, expr in board:
            problems += check_expr(where, grafana_to_promql(expr), metrics, recorded)
        problems += promtool_parses(args.promtool, board)
        print(f"{path}: {len(board)} expressions")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{os.path.basename(args.rules)}: {len(exprs)} expressions; "
          f"{'FAILED' if problems else 'OK'} ({len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
