"""TLS, mutual TLS and bearer tokens for channels to pathwised
(docs/server.md, "Security").

tls_ca: the CA bundle to trust (a PEM file path, or the PEM as bytes); given
alone it means TLS. tls_cert and tls_key: the client's certificate chain and
private key (paths or bytes), for a server that requires client certificates
(mutual TLS); they imply TLS, trusting the system's roots unless tls_ca is
given. token: a bearer token sent as `authorization: Bearer <token>` on every
call; when None, the environment variable PATHWISE_TOKEN if set (as the CLI).
The token is sent over plaintext as well when the channel is not TLS.
"""

from __future__ import annotations

import os
from typing import Optional, Union

import grpc

PemSource = Union[str, os.PathLike, bytes, None]

TOKEN_ENVIRONMENT_VARIABLE = "PATHWISE_TOKEN"


def _pem(name: str, source: PemSource) -> Optional[bytes]:
    if source is None or isinstance(source, bytes):
        return source
    try:
        with open(source, "rb") as f:
            return f.read()
    except OSError as error:
        raise ValueError(f"{name}: cannot read {source}: {error.strerror}") from None


def channel_credentials(tls_ca: PemSource = None, tls_cert: PemSource = None,
                        tls_key: PemSource = None) -> Optional[grpc.ChannelCredentials]:
    """SSL credentials, or None for plaintext (no TLS option given)."""
    if (tls_cert is None) != (tls_key is None):
        raise ValueError("tls_cert and tls_key: give both or neither")
    if tls_ca is None and tls_cert is None:
        return None
    return grpc.ssl_channel_credentials(root_certificates=_pem("tls_ca", tls_ca),
                                        private_key=_pem("tls_key", tls_key),
                                        certificate_chain=_pem("tls_cert", tls_cert))


def resolve_token(token: Optional[str]) -> Optional[str]:
    """token, else $PATHWISE_TOKEN, else None; stripped, one word."""
    if token is None:
        token = os.environ.get(TOKEN_ENVIRONMENT_VARIABLE)
        if token is None:
            return None
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise ValueError("token: must be one non-empty word")
    return token


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                  grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call. An interceptor rather
    than grpc.access_token_call_credentials, which gRPC sends over TLS only."""

    def __init__(self, token: str):
        self._entry = ("authorization", f"Bearer {token}")

    def _details(self, details):
        return _CallDetails(details, list(details.metadata or ()) + [self._entry])

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)
