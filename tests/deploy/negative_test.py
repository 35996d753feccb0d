#!/usr/bin/python3
"""Each check of deploy/ rejects a broken input, naming the problem.

Every case starts from the committed file (which must pass, so a failure is
the mutation's), breaks one thing, and expects the check to exit non-zero
with a message that names what broke:
  deploy/k8s/validate           on the kustomize rendering, mutated
  deploy/check-compose          on a mutated copy of compose.yaml, and of
                                compose.secure.yaml over compose.yaml
  deploy/prometheus/check_names.py  on a mutated copy of the dashboard
  promtool test rules           on a mutated copy of rules.yml (the unit tests
                                must notice a changed threshold)
"""
import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(ROOT, "deploy")


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def first(objects, kind):
    return next(o for o in objects if o["kind"] == kind)


def container(objects):
    return first(objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]


def rename(mapping, old, new):
    mapping[new] = mapping.pop(old)


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pathwise-negative-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def expect(self, result, message):
        self.assertNotEqual(result.returncode, 0, f"accepted; output:\n{result.stdout}{result.stderr}")
        self.assertIn(message, result.stdout + result.stderr)


class KubernetesValidatorTest(Case):
    CASES = {
        "misspelt field": (lambda o: rename(container(o), "readinessProbe", "readinesProbe"),
                           "/spec/template/spec/containers/0/readinesProbe: unknown field"),
        "misspelt field in a CRD object": (lambda o: rename(first(o, "ServiceMonitor")["spec"]["endpoints"][0], "port", "prot"),
                                           "/spec/endpoints/0/prot: unknown field"),
        "wrong type": (lambda o: first(o, "Deployment")["spec"].update(replicas="two"),
                       "/spec/replicas must be integer"),
        "missing required field": (lambda o: first(o, "Deployment")["spec"].pop("selector"),
                                   "required property"),
        "bad quantity": (lambda o: container(o)["resources"]["limits"].update(memory="1.5 GB"),
                         'must match format "quantity"'),
        "grpc probe on a named port": (lambda o: container(o)["livenessProbe"]["grpc"].update(port="grpc"),
                                       "/livenessProbe/grpc/port must be integer"),
        "privilege escalation": (lambda o: container(o)["securityContext"].update(allowPrivilegeEscalation=True),
                                 "allowPrivilegeEscalation must be false"),
        "capabilities kept": (lambda o: container(o)["securityContext"].pop("capabilities"),
                              "capabilities must drop ALL"),
        "no limits": (lambda o: container(o)["resources"].pop("limits"),
                      "no resources.limits.memory"),
        "grace shorter than the drain": (lambda o: first(o, "Deployment")["spec"]["template"]["spec"].update(
            terminationGracePeriodSeconds=25), "terminationGracePeriodSeconds 25 must exceed preStop 5 s + --shutdown_grace 25 s"),
        "service port to nowhere": (lambda o: first(o, "Service")["spec"]["ports"][0].update(targetPort="grcp"),
                                    "targetPort grcp is no container port"),
        "scale target missing": (lambda o: first(o, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"].update(name="other"),
                                 "scaleTargetRef Deployment/other is not in the set"),
        "kind not allowed": (lambda o: o.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}),
                             "kind v1/Secret is not one deploy/k8s may contain"),
        "image without a registry": (lambda o: container(o).update(image="pathwise:0.1.0"),
                                     "image pathwise:0.1.0 names no registry host"),
        "image tagged latest": (lambda o: container(o).update(image="registry.example.com/pathwise/pathwised:latest"),
                                "needs a release tag or a digest, not latest"),
        "flag file in no volume": (lambda o: container(o)["args"].append("--auth_tokens_file=/etc/tokens"),
                                   "--auth_tokens_file names /etc/tokens, which no volumeMount holds"),
    }
    RENDERING = "servicemonitor"

    @classmethod
    def setUpClass(cls):
        render = run("kubectl", "kustomize", os.path.join(DEPLOY, "k8s", cls.RENDERING))
        assert render.returncode == 0, render.stderr
        cls.objects = [o for o in yaml.safe_load_all(render.stdout) if o]

    def validate(self, objects):
        path = os.path.join(self.tmp, "objects.yaml")
        with open(path, "w") as f:
            yaml.safe_dump_all(objects, f)
        return run(os.path.join(DEPLOY, "k8s", "validate"), path)

    def test_the_rendering_passes(self):
        result = self.validate(self.objects)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_each_mutation_is_rejected(self):
        for name, (mutate, message) in self.CASES.items():
            with self.subTest(name):
                objects = copy.deepcopy(self.objects)
                mutate(objects)
                self.expect(self.validate(objects), message)


class SecureOverlayValidatorTest(KubernetesValidatorTest):
    """The same checks on deploy/k8s/secure, and what only it has: mounts."""
    RENDERING = "secure"
    CASES = {
        "mount of no volume": (lambda o: container(o)["volumeMounts"][0].update(name="tsl"),
                               "volumeMount tsl names no volume of the pod"),
        "certificate outside the mount": (lambda o: container(o)["volumeMounts"][0].update(mountPath="/etc/tls"),
                                          "--tls_cert_file names /etc/pathwise/tls/tls.crt, which no volumeMount holds"),
        "no probe": (lambda o: container(o).pop("readinessProbe"), "no readinessProbe"),
        "misspelt exec probe": (lambda o: rename(container(o)["livenessProbe"], "exec", "exce"),
                                "/livenessProbe/exce: unknown field"),
    }


class ComposeCheckTest(Case):
    CASES = {
        "unknown key": (lambda c: rename(c["services"]["pathwised"], "image", "imagee"),
                        "Unsupported config option for services.pathwised: 'imagee'"),
        "undeclared volume": (lambda c: c["volumes"].pop("grafana-data"),
                              "no declaration was found in the volumes section"),
        "unknown service": (lambda c: c["services"]["prometheus"].update(depends_on=["pathwise"]),
                            "depends on service 'pathwise' which is undefined"),
        "rules not beside the config": (lambda c: c["services"]["prometheus"]["volumes"].remove(
            "./prometheus/rules.yml:/etc/prometheus/rules.yml:ro"), "rules.yml, named by its config, is not mounted beside it"),
        "missing bind source": (lambda c: c["services"]["grafana"]["volumes"].__setitem__(
            1, "./grafana/dashbords:/etc/grafana/dashboards:ro"), "bind mount source ./grafana/dashbords does not exist"),
    }

    def check(self, compose):
        # A copy beside the real folders, so that relative mounts resolve the same.
        folder = os.path.join(self.tmp, "deploy")
        os.mkdir(folder)
        for name in ("prometheus", "grafana"):
            os.symlink(os.path.join(DEPLOY, name), os.path.join(folder, name))
        path = os.path.join(folder, "compose.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(compose, f)
        result = run(os.path.join(DEPLOY, "check-compose"), path)
        shutil.rmtree(folder)
        return result

    def test_each_mutation_is_rejected(self):
        with open(os.path.join(DEPLOY, "compose.yaml")) as f:
            compose = yaml.safe_load(f)
        result = self.check(compose)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        for name, (mutate, message) in self.CASES.items():
            with self.subTest(name):
                broken = copy.deepcopy(compose)
                mutate(broken)
                self.expect(self.check(broken), message)


class SecureComposeCheckTest(Case):
    """compose.secure.yaml over compose.yaml: the flags' files must be mounted."""
    CASES = {
        "certificate outside the mounts": (lambda c: c["services"]["pathwised"]["volumes"].pop(0),
                                           "--tls_cert_file names /etc/pathwise/tls/tls.crt, which no bind mount holds"),
        "secret folder missing": (lambda c: c["services"]["pathwised"]["volumes"].__setitem__(
            1, "${PATHWISE_SECRETS}/token:/etc/pathwise/tokens:ro"), "/token does not exist"),
    }

    def check(self, override):
        secrets = os.path.join(self.tmp, "secrets")
        os.makedirs(os.path.join(secrets, "tls"), exist_ok=True)
        os.makedirs(os.path.join(secrets, "tokens"), exist_ok=True)
        path = os.path.join(self.tmp, "compose.secure.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(override, f)
        return subprocess.run([os.path.join(DEPLOY, "check-compose"), os.path.join(DEPLOY, "compose.yaml"), path],
                              capture_output=True, text=True, timeout=120, env={**os.environ, "PATHWISE_SECRETS": secrets})

    def test_each_mutation_is_rejected(self):
        with open(os.path.join(DEPLOY, "compose.secure.yaml")) as f:
            override = yaml.safe_load(f)
        result = self.check(override)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        for name, (mutate, message) in self.CASES.items():
            with self.subTest(name):
                broken = copy.deepcopy(override)
                mutate(broken)
                self.expect(self.check(broken), message)


class DashboardNamesTest(Case):
    def panel(self, dashboard, title):
        return next(p for p in dashboard["panels"] if p.get("title") == title)

    def set_expr(self, title, expr):
        return lambda d: self.panel(d, title)["targets"][0].update(expr=expr)

    def test_each_mutation_is_rejected(self):
        with open(os.path.join(DEPLOY, "grafana", "dashboards", "pathwise.json")) as f:
            dashboard = json.load(f)
        cases = {
            "unknown metric": (self.set_expr("Active solves", 'sum(pathwise_solve_active{job=~"$job"})'),
                               "unknown metric pathwise_solve_active"),
            "unknown label": (self.set_expr("Active solves", 'sum(pathwise_solves_active{status="x"})'),
                              "pathwise_solves_active has no label status"),
            "unknown grouping label": (self.set_expr("RPC rate by method", "sum by (mehtod) (rate(pathwise_rpcs_total[5m]))"),
                                       "grouping label mehtod"),
            "histogram without _bucket": (self.set_expr("Active solves", "sum(rate(pathwise_rpc_duration_seconds[5m]))"),
                                          "unknown metric pathwise_rpc_duration_seconds"),
            "parse error": (self.set_expr("Active solves", "sum(pathwise_solves_active"),
                            "promtool cannot parse a dashboard expression"),
            "unknown variable": (self.set_expr("Active solves", 'sum(pathwise_solves_active{job=~"$jbo"})'),
                                 "unknown variable $jbo"),
            "duplicate panel id": (lambda d: self.panel(d, "CPU").update(id=self.panel(d, "Uptime")["id"]),
                                   "panel ids must be present and unique"),
        }
        path = os.path.join(self.tmp, "dashboard.json")
        for name, (mutate, message) in cases.items():
            with self.subTest(name):
                broken = copy.deepcopy(dashboard)
                mutate(broken)
                with open(path, "w") as f:
                    json.dump(broken, f)
                self.expect(run("/usr/bin/python3", os.path.join(DEPLOY, "prometheus", "check_names.py"), path), message)


class RuleTestsNoticeChangesTest(Case):
    # (text in rules.yml, replacement, at every occurrence): each must fail rules_test.yml.
    MUTATIONS = [
        ("> (14.4 * 0.001)", "> (20 * 0.001)"),
        ("> (6 * 0.001)", "> (10 * 0.001)"),
        ('code=~"UNKNOWN|INTERNAL|DATA_LOSS|UNAVAILABLE"', 'code=~"UNKNOWN|INTERNAL|DATA_LOSS|UNAVAILABLE|DEADLINE_EXCEEDED"'),
        (") > 2.5\n", ") > 5\n"),
        (") > 0.1\n", ") > 0.25\n"),
        ("[5m])) > 0.05", "[5m])) > 0.1"),
        (") > 120\n", ") > 200\n"),
        ("expr: pathwise_serving == 0\n        for: 2m", "expr: pathwise_serving == 0\n        for: 5m"),
        ("[30m]) > 2", "[30m]) > 3"),
    ]

    def test_each_mutation_fails_the_unit_tests(self):
        with open(os.path.join(DEPLOY, "prometheus", "rules.yml")) as f:
            rules = f.read()
        shutil.copy(os.path.join(DEPLOY, "prometheus", "rules_test.yml"), self.tmp)
        for old, new in self.MUTATIONS:
            with self.subTest(old):
                self.assertIn(old, rules)
                with open(os.path.join(self.tmp, "rules.yml"), "w") as f:
                    f.write(rules.replace(old, new))
                self.expect(run("promtool", "test", "rules", os.path.join(self.tmp, "rules_test.yml")), "FAILED")


if __name__ == "__main__":
    unittest.main(verbosity=2)
