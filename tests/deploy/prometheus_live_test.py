#!/usr/bin/python3
"""The real Prometheus against the real pathwised, both on loopback.

pathwised runs with the arguments of deploy/k8s (addresses moved to
loopback); Prometheus runs with deploy/prometheus/prometheus.yml (target,
intervals and storage moved to the test) and rules.yml. The test checks the
scrape with promtool, the scrape's families against metrics.txt, reads
metrics back through Prometheus's HTTP API, and runs every rule and every
dashboard query there.

Usage: prometheus_live_test.py --pathwised BIN --pathwise BIN [--prometheus BIN] [--promtool BIN]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(ROOT, "deploy")
sys.path.insert(0, os.path.join(DEPLOY, "prometheus"))
import check_names  # noqa: E402  (the same parsing of metrics.txt and PromQL)

ARGS = None
START = re.compile(r"event=start listen=[\d.]+:(\d+) metrics=http://[\d.]+:(\d+)/metrics")
SCRAPE_SECONDS = 1  # the test's scrape and rule interval (15 s in the committed config)


def free_port():
    """A loopback port that was free a moment ago (Prometheus cannot take port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode()
    except urllib.error.HTTPError as e:
        e.close()  # it holds the connection open
        raise


def read(path):
    with open(path) as f:
        return f.read()


def wait_for(what, check, timeout):
    """Polls check() until it returns something truthy; fails naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except (OSError, ValueError, KeyError) as e:
            last = e
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last error: {last})")


def stop(process, grace=20):
    """SIGTERM, then SIGKILL if it has not exited within grace seconds; returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def deployment_args():
    with open(os.path.join(DEPLOY, "k8s", "base", "deployment.yaml")) as f:
        deployment = yaml.safe_load(f)
    return deployment["spec"]["template"]["spec"]["containers"][0]["args"]


def compose_args():
    with open(os.path.join(DEPLOY, "compose.yaml")) as f:
        return yaml.safe_load(f)["services"]["pathwised"]["command"]


def start_pathwised(case, args, log):
    """Starts pathwised with args, its addresses moved to loopback; returns (process, grpc, metrics port)."""
    with open(log, "w") as err:
        process = subprocess.Popen(
            [ARGS.pathwised, *args, "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=err)
    if isinstance(case, type):  # called from setUpClass
        case.addClassCleanup(stop, process)
    else:
        case.addCleanup(stop, process)

    def started():
        if process.poll() is not None:
            raise AssertionError(f"pathwised {' '.join(args)} exited {process.returncode}:\n{read(log)}")
        return START.search(read(log))

    match = wait_for("pathwised's event=start", started, 30)
    return process, int(match.group(1)), int(match.group(2))


def scrape_families(text):
    """{family: type} from the # TYPE lines of a text-format scrape."""
    return dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))


class PrometheusLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pathwise-prometheus-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.pathwised, cls.grpc_port, cls.metrics_port = start_pathwised(
            cls, deployment_args(), os.path.join(cls.tmp, "pathwised.log"))

        # The committed config, pointed at this pathwised and sped up.
        with open(os.path.join(DEPLOY, "prometheus", "prometheus.yml")) as f:
            config = yaml.safe_load(f)
        (job,) = config["scrape_configs"]
        assert job["job_name"] == "pathwised" and job["static_configs"][0]["targets"] == ["pathwised:9464"], job
        job["static_configs"][0]["targets"] = [f"127.0.0.1:{cls.metrics_port}"]
        interval = f"{SCRAPE_SECONDS}s"
        config["global"].update(scrape_interval=interval, scrape_timeout=interval, evaluation_interval=interval)
        cls.config = os.path.join(cls.tmp, "prometheus.yml")
        with open(cls.config, "w") as f:
            yaml.safe_dump(config, f)
        shutil.copy(os.path.join(DEPLOY, "prometheus", "rules.yml"), cls.tmp)

        cls.web = f"http://127.0.0.1:{free_port()}"
        log = os.path.join(cls.tmp, "prometheus.log")
        with open(log, "w") as err:
            cls.prometheus = subprocess.Popen(
                [ARGS.prometheus, f"--config.file={cls.config}",
                 f"--storage.tsdb.path={os.path.join(cls.tmp, 'data')}",
                 f"--web.listen-address={cls.web[len('http://'):]}"],
                stdout=subprocess.DEVNULL, stderr=err)
        cls.addClassCleanup(stop, cls.prometheus)

        def ready():
            if cls.prometheus.poll() is not None:
                raise AssertionError(f"prometheus exited {cls.prometheus.returncode}:\n{read(log)}")
            return http_get(f"{cls.web}/-/ready")

        wait_for("Prometheus to be ready", ready, 60)

    def query(self, expr):
        body = json.loads(http_get(f"{self.web}/api/v1/query?" + urllib.parse.urlencode({"query": expr})))
        self.assertEqual(body["status"], "success", f"{expr}: {body}")
        return body["data"]["result"]

    def test_promtool_checks_the_config_and_the_scrape(self):
        run = subprocess.run([ARGS.promtool, "check", "config", self.config], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        scrape = http_get(f"http://127.0.0.1:{self.metrics_port}/metrics")
        run = subprocess.run([ARGS.promtool, "check", "metrics"], input=scrape, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)

    def test_scrape_matches_the_metric_list(self):
        listed = check_names.load_metrics(os.path.join(DEPLOY, "prometheus", "metrics.txt"))
        scraped = scrape_families(http_get(f"http://127.0.0.1:{self.metrics_port}/metrics"))
        unlisted = sorted(set(scraped) - set(listed))
        self.assertEqual(unlisted, [], "families exposed but missing from deploy/prometheus/metrics.txt")
        missing = sorted(n for n, (_, _, lazy) in listed.items() if not lazy and n not in scraped)
        self.assertEqual(missing, [], "families in deploy/prometheus/metrics.txt that pathwised does not expose")
        for name, kind in scraped.items():
            self.assertEqual(kind, listed[name][0], f"type of {name}")

    def test_metrics_read_back_through_prometheus(self):
        wait_for("up == 1", lambda: [r for r in self.query('up{job="pathwised"}') if r["value"][1] == "1"], 30)
        (info,) = self.query('pathwise_build_info{job="pathwised"}')
        self.assertEqual(info["value"][1], "1")
        self.assertRegex(info["metric"]["algorithm"], r"\S")
        # One real call, counted by pathwised and read back through Prometheus.
        run = subprocess.run([ARGS.pathwise, "sample", "--server", f"127.0.0.1:{self.grpc_port}",
                              "--intervals", "0:0.5", "--format", "csv"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        expr = 'pathwise_rpcs_total{job="pathwised", method="Sample", code="OK"}'
        wait_for("the Sample call in Prometheus", lambda: [r for r in self.query(expr) if float(r["value"][1]) >= 1], 30)

    def test_every_rule_evaluates(self):
        with open(os.path.join(DEPLOY, "prometheus", "rules.yml")) as f:
            expected = {g["name"]: len(g["rules"]) for g in yaml.safe_load(f)["groups"]}

        def evaluated():
            groups = json.loads(http_get(f"{self.web}/api/v1/rules"))["data"]["groups"]
            rules = [r for g in groups for r in g["rules"]]
            done = all(not r["lastEvaluation"].startswith("0001-") for r in rules)
            return groups if rules and done else None

        groups = wait_for("every rule's first evaluation", evaluated, 30)
        self.assertEqual({g["name"]: len(g["rules"]) for g in groups}, expected)
        for group in groups:
            for rule in group["rules"]:
                self.assertEqual(rule["health"], "ok", f"{rule['name']}: {rule.get('lastError')}")
        # Nothing is wrong with a fresh, idle server: once it has been scraped,
        # no alert stays firing or pending (PathwiseAbsent may be pending
        # before the first scrape).
        def alerts():
            return [a["labels"]["alertname"] for a in
                    json.loads(http_get(f"{self.web}/api/v1/alerts"))["data"]["alerts"]]

        wait_for("up == 1", lambda: [r for r in self.query('up{job="pathwised"}') if r["value"][1] == "1"], 30)
        try:
            wait_for("no alerts", lambda: alerts() == [], 15)
        except AssertionError:
            self.fail(f"alerts of an idle server: {alerts()}")

    def test_every_dashboard_query_runs(self):
        listed = check_names.load_metrics(os.path.join(DEPLOY, "prometheus", "metrics.txt"))
        recorded, _ = check_names.rule_exprs(os.path.join(DEPLOY, "prometheus", "rules.yml"))
        scraped = scrape_families(http_get(f"http://127.0.0.1:{self.metrics_port}/metrics"))
        path = os.path.join(DEPLOY, "grafana", "dashboards", "pathwise.json")
        with open(path) as f:
            exprs = check_names.dashboard_exprs(path, json.load(f))
        # Rates need two scrapes in their window, recording rules one evaluation.
        wait_for("three scrapes", lambda: self.query('count_over_time(up{job="pathwised"}[1m]) >= 3'), 30)
        wait_for("the recording rules", lambda: self.query("pathwise:rpc_errors:ratio_rate5m"), 30)
        for where, expr in exprs:
            concrete = re.sub(r"\$__rate_interval", "1m", expr)
            concrete = concrete.replace("$job", "pathwised").replace("$instance", ".*")
            result = self.query(concrete)
            # A query over families that exist now must show a series.
            names = check_names.names_in(concrete)
            present = all(n in recorded or n == "up" or
                          re.sub(r"_(bucket|sum|count)$", "", n) in scraped for n in names)
            if present:
                self.assertNotEqual(result, [], f"{where}: no series for {concrete}")

    def test_the_probed_health_service_serves(self):
        # The kubelet's grpc probe asks grpc.health.v1.Health/Check for the
        # empty service name, as `pathwise health` does.
        run = subprocess.run([ARGS.pathwise, "health", "--server", f"127.0.0.1:{self.grpc_port}"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("SERVING", run.stdout)

    def test_configured_flags_are_accepted(self):
        # compose.yaml's command goes after the image's entrypoint flags.
        process, _, _ = start_pathwised(self, compose_args(), os.path.join(self.tmp, "compose.log"))
        self.assertEqual(stop(process), 0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    parser.add_argument("--prometheus", default=shutil.which("prometheus") or "/usr/bin/prometheus")
    parser.add_argument("--promtool", default=shutil.which("promtool") or "/usr/bin/promtool")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v", *rest])
