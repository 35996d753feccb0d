"""pathwise_client against pathwised with TLS, mutual TLS and bearer tokens
(docs/server.md, "Security"): connect(tls_ca=, tls_cert=, tls_key=, token=)
and the same keywords on BrownianPath, solve and capabilities. Throwaway
certificates from tests/tls/make_test_certs.sh; every process is stopped.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import unittest

import grpc

import pathwised_process
from pathwise_client import BrownianPath, PathwiseError, capabilities, connect, solve

ARGS = None
TOKEN = "alice-token"


class Security(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        d = cls.dir.name
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tls",
                              "make_test_certs.sh")
        subprocess.run([script, d], check=True, timeout=60)
        with open(os.path.join(d, "tokens"), "w") as f:
            f.write(f"alice {TOKEN}\n")
        cls.mtls = pathwised_process.Server(
            ARGS.pathwised, f"--tls_cert_file={d}/server.pem", f"--tls_key_file={d}/server.key",
            f"--tls_client_ca_file={d}/ca.pem", f"--auth_tokens_file={d}/tokens")
        cls.plain = pathwised_process.Server(ARGS.pathwised, f"--auth_tokens_file={d}/tokens")
        # The certificate names 127.0.0.1 and localhost.
        cls.mtls_target = cls.mtls.target

    @classmethod
    def tearDownClass(cls):
        cls.mtls.kill()
        cls.plain.kill()
        cls.dir.cleanup()

    def file(self, name):
        return os.path.join(self.dir.name, name)

    def setUp(self):
        os.environ.pop("PATHWISE_TOKEN", None)

    def client(self):
        return dict(tls_ca=self.file("ca.pem"), tls_cert=self.file("client.pem"),
                    tls_key=self.file("client.key"))

    def test_mutual_tls_and_token_on_every_entry_point(self):
        caps = capabilities(self.mtls_target, token=TOKEN, **self.client())
        self.assertIn("methods", caps)
        with BrownianPath(self.mtls_target, seed=1, token=TOKEN, **self.client()) as path:
            self.assertEqual(path.evaluate(0.5).shape, (1,))
        result = solve(self.mtls_target, "ou", "euler", t1=1.0, y0=[1.0], dt=0.1, num_paths=2,
                       token=TOKEN, **self.client())
        self.assertEqual(result.ys.shape[0], 2)
        # PEM bytes work as well as paths.
        with open(self.file("ca.pem"), "rb") as f:
            ca = f.read()
        client = dict(self.client(), tls_ca=ca)
        self.assertIn("methods", capabilities(self.mtls_target, token=TOKEN, **client))

    def test_missing_or_wrong_token_is_unauthenticated(self):
        for token in (None, "wrong"):
            with self.subTest(token=token):
                with self.assertRaises(PathwiseError) as caught:
                    capabilities(self.mtls_target, token=token, **self.client())
                self.assertEqual(caught.exception.code, grpc.StatusCode.UNAUTHENTICATED)

    def test_environment_token_and_plaintext(self):
        os.environ["PATHWISE_TOKEN"] = TOKEN
        try:
            self.assertIn("methods", capabilities(self.plain.target))
            self.assertIn("methods", capabilities(self.mtls_target, **self.client()))
        finally:
            del os.environ["PATHWISE_TOKEN"]
        with self.assertRaises(PathwiseError) as caught:
            capabilities(self.plain.target)
        self.assertEqual(caught.exception.code, grpc.StatusCode.UNAUTHENTICATED)
        self.assertIn("methods", capabilities(self.plain.target, token=TOKEN))

    def test_without_client_certificate_or_ca_the_handshake_fails(self):
        for security in (dict(tls_ca=self.file("ca.pem")),
                         dict(self.client(), tls_ca=self.file("other_ca.pem")), {}):
            with self.subTest(security=sorted(security)):
                with self.assertRaises(PathwiseError) as caught:
                    capabilities(self.mtls_target, token=TOKEN, timeout=5, **security)
                self.assertEqual(caught.exception.code, grpc.StatusCode.UNAVAILABLE)

    def test_bad_options(self):
        with self.assertRaisesRegex(ValueError, "tls_cert and tls_key"):
            connect(self.mtls_target, tls_cert=self.file("client.pem"))
        with self.assertRaisesRegex(ValueError, "tls_ca: cannot read"):
            connect(self.mtls_target, tls_ca=self.file("missing.pem"))
        with self.assertRaisesRegex(ValueError, "token"):
            connect(self.mtls_target, token="two words")
        with self.assertRaisesRegex(ValueError, "ready channel"):
            capabilities(grpc.insecure_channel(self.plain.target), token=TOKEN)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
