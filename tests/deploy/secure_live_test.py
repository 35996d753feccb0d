#!/usr/bin/python3
"""deploy/k8s/secure and deploy/compose.secure.yaml against the real pathwised.

pathwised runs with the arguments the secure overlay renders (addresses moved
to loopback), its /etc/pathwise files laid out in a temporary folder and made
with openssl as docs/deploy.md says: a CA, a server certificate for
serverAuth and clientAuth with IP:127.0.0.1, a client certificate, a token
file in the sha256 form. Checked:
  - the overlay's exec probe command and the compose healthcheck say SERVING
    (over TLS, with no token);
  - a Sample with the client's certificate and token answers the known bits;
    without a token it is refused UNAUTHENTICATED, without a client
    certificate the handshake fails;
  - a token added to the file works after SIGHUP (rotation).
Exits 77 (ctest: skipped), saying so, when pathwised has no --tls_cert_file.

Usage: secure_live_test.py --pathwised BIN --pathwise BIN
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(ROOT, "deploy")
MOUNTS = "/etc/pathwise/"
START = re.compile(r"event=start listen=[\d.]+:(\d+) ")
# W(0.5) of seed 1, path 0 (deploy/container-test checks the same bits).
EXPECTED_SAMPLE = '"w": [[[-1.593683532557531]]]'
ARGS = None


def run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)


def openssl(*args):
    result = run("openssl", *args)
    assert result.returncode == 0, f"openssl {' '.join(args)}: {result.stderr}"


def issue(folder, name, subject, usage, alt_names, ca):
    """A P-256 key and certificate signed by ca (docs/deploy.md's commands)."""
    ext = os.path.join(folder, f"{name}.ext")
    with open(ext, "w") as f:
        f.write(f"basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n"
                f"extendedKeyUsage = {usage}\n")
        if alt_names:
            f.write(f"subjectAltName = {alt_names}\n")
    key, csr, crt = (os.path.join(folder, f"{name}.{ext}") for ext in ("key", "csr", "crt"))
    openssl("req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-subj", f"/CN={subject}", "-keyout", key, "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key", "-CAcreateserial",
            "-days", "2", "-extfile", ext, "-out", crt)
    return key, crt


def secure_container():
    render = run("kubectl", "kustomize", os.path.join(DEPLOY, "k8s", "secure"))
    assert render.returncode == 0, render.stderr
    deployment = next(o for o in yaml.safe_load_all(render.stdout) if o and o["kind"] == "Deployment")
    return deployment["spec"]["template"]["spec"]["containers"][0]


class SecureDeploymentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pathwise-secure-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        tls = os.path.join(cls.tmp, "tls")
        os.makedirs(tls)
        os.makedirs(os.path.join(cls.tmp, "tokens"))
        ca = os.path.join(cls.tmp, "ca")
        openssl("req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-days", "2", "-subj", "/CN=pathwise test CA", "-keyout", f"{ca}.key", "-out", f"{ca}.crt")
        key, crt = issue(cls.tmp, "server", "pathwised", "serverAuth, clientAuth",
                         "DNS:localhost, IP:127.0.0.1", ca)
        for source, target in ((key, "tls.key"), (crt, "tls.crt"), (f"{ca}.crt", "ca.crt")):
            shutil.copy(source, os.path.join(tls, target))
        cls.client_key, cls.client_crt = issue(cls.tmp, "alice", "alice", "clientAuth", "", ca)
        cls.ca = f"{ca}.crt"
        cls.token_file = cls.write_token("alice")
        cls.tokens = os.path.join(cls.tmp, "tokens", "tokens")
        cls.add_token_line("alice")

        container = secure_container()
        cls.probe = container["readinessProbe"]["exec"]["command"]
        args = [cls.local(a) for a in container["args"]]
        cls.log = os.path.join(cls.tmp, "pathwised.log")
        with open(cls.log, "w") as err:
            cls.server = subprocess.Popen(
                [ARGS.pathwised, *args, "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0"],
                stdout=subprocess.DEVNULL, stderr=err)
        cls.addClassCleanup(cls.stop)
        deadline = time.monotonic() + 30
        while not (match := START.search(cls.read_log())):
            assert cls.server.poll() is None, f"pathwised exited {cls.server.returncode}:\n{cls.read_log()}"
            assert time.monotonic() < deadline, f"no event=start within 30 s:\n{cls.read_log()}"
            time.sleep(0.2)
        cls.address = f"127.0.0.1:{match.group(1)}"

    @classmethod
    def stop(cls):
        if cls.server.poll() is None:
            cls.server.send_signal(signal.SIGTERM)
            try:
                cls.server.wait(20)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait()

    @classmethod
    def read_log(cls):
        with open(cls.log) as f:
            return f.read()

    @classmethod
    def local(cls, text):
        """A path under /etc/pathwise/ as laid out in the temporary folder."""
        return text.replace(MOUNTS, cls.tmp + "/")

    @classmethod
    def write_token(cls, name):
        token = run("openssl", "rand", "-hex", "32").stdout.strip()
        path = os.path.join(cls.tmp, f"{name}.token")
        with open(path, "w") as f:
            f.write(token + "\n")
        return path

    @classmethod
    def add_token_line(cls, name):
        """Appends `NAME sha256:HEX` for NAME's token file, as docs/deploy.md does."""
        with open(os.path.join(cls.tmp, f"{name}.token")) as f:
            token = f.read().strip()
        digest = run("sha256sum", input=token).stdout.split()[0]
        with open(cls.tokens, "a") as f:
            f.write(f"{name} sha256:{digest}\n")

    def health_command(self, command):
        """A probe's command with the server's address and this build's CLI."""
        self.assertEqual(command[0], "pathwise")
        return [ARGS.pathwise] + [self.local(a).replace("127.0.0.1:50051", self.address) for a in command[1:]]

    def sample(self, *security):
        return run(ARGS.pathwise, "sample", "--server", self.address, "--seed", "1", "--times", "0.5",
                   "--format", "json", *security)

    def client(self, token_file):
        return ["--tls-ca", self.ca, "--tls-cert", self.client_crt, "--tls-key", self.client_key,
                "--token-file", token_file]

    def test_the_overlay_probe_says_serving(self):
        self.assertIn("--tls-ca=/etc/pathwise/tls/ca.crt", self.probe)
        result = run(*self.health_command(self.probe))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("SERVING", result.stdout)

    def test_the_compose_healthcheck_says_serving(self):
        with open(os.path.join(DEPLOY, "compose.secure.yaml")) as f:
            test = yaml.safe_load(f)["services"]["pathwised"]["healthcheck"]["test"]
        self.assertEqual(test[0], "CMD")
        result = run(*self.health_command(test[1:]))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_sample_with_certificate_and_token(self):
        result = self.sample(*self.client(self.token_file))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(EXPECTED_SAMPLE, result.stdout)

    def test_sample_without_token_is_refused(self):
        result = self.sample("--tls-ca", self.ca, "--tls-cert", self.client_crt, "--tls-key", self.client_key)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("UNAUTHENTICATED", result.stderr)

    def test_sample_without_client_certificate_fails(self):
        result = self.sample("--tls-ca", self.ca, "--token-file", self.token_file)
        self.assertNotEqual(result.returncode, 0, result.stdout)

    def test_token_added_after_sighup(self):
        bob = self.write_token("bob")
        self.assertIn("UNAUTHENTICATED", self.sample(*self.client(bob)).stderr)
        self.add_token_line("bob")
        self.server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "event=reload" not in self.read_log():
            self.assertLess(time.monotonic(), deadline, "no event=reload within 10 s of SIGHUP")
            time.sleep(0.1)
        result = self.sample(*self.client(bob))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(EXPECTED_SAMPLE, result.stdout)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest])


if __name__ == "__main__":
    main()
