"""Channels to one pathwised or to several replicas.

A target is "host:port", a gRPC target with a scheme ("dns:///name:port",
"ipv4:10.0.0.1:50051,10.0.0.2:50051", ...), several addresses as a list or a
comma-separated string ("10.0.0.1:50051,10.0.0.2:50051"), or a grpc.Channel.
Several addresses, and dns: targets (a Kubernetes headless Service resolves to
one address per pod), get gRPC's round_robin policy: each call goes to the next
ready replica, so concurrent calls spread over all of them and a replica that
goes away is skipped. Replicas serve the same bits
(docs/design/wire_contract.md), so it does not matter which one answers.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import List, Optional, Sequence, Tuple, Union

import grpc

from pathwise_client.security import BearerToken, PemSource, channel_credentials, resolve_token

Target = Union[str, Sequence[str], grpc.Channel]

_ROUND_ROBIN_SCHEMES = ("dns:", "ipv4:", "ipv6:")

# Keepalive while a call is in flight (docs/server.md, "Transport limits"):
# ping every 20 s and drop the connection when a ping is not answered in 10 s,
# so a server that vanished without closing (node lost, network torn down)
# fails the call with UNAVAILABLE within 30 s instead of at its deadline.
# pathwised accepts a ping every 10 s, and none without calls in flight; no
# cap on pings between the client's own data frames (a solve's client sends
# nothing after its request).
KEEPALIVE_OPTIONS = (
    ("grpc.keepalive_time_ms", 20000),
    ("grpc.keepalive_timeout_ms", 10000),
    ("grpc.keepalive_permit_without_calls", 0),
    ("grpc.http2.max_pings_without_data", 0),
)


def connect(target: Union[str, Sequence[str]] = "127.0.0.1:50051", *,
            lb_policy: str = "", tls_ca: PemSource = None, tls_cert: PemSource = None,
            tls_key: PemSource = None, token: Optional[str] = None) -> grpc.Channel:
    """A channel whose message size is bounded by the server only, with keepalive pings.

    lb_policy: "" picks round_robin for several addresses and dns: targets and
    gRPC's default (pick_first) otherwise; "round_robin" or "pick_first" force one.
    tls_ca, tls_cert, tls_key, token: TLS, mutual TLS and a bearer token (see
    security.py); without them a plaintext channel (and $PATHWISE_TOKEN, if set).
    """
    resolved, many = _resolve(target)
    options = [
        ("grpc.max_receive_message_length", -1),
        ("grpc.max_send_message_length", -1),
        *KEEPALIVE_OPTIONS,
    ]
    policy = lb_policy or ("round_robin" if many else "")
    if policy:
        options.append(("grpc.lb_policy_name", policy))
    credentials = channel_credentials(tls_ca, tls_cert, tls_key)
    bearer = resolve_token(token)
    if credentials is None:
        channel = grpc.insecure_channel(resolved, options=options)
    else:
        channel = grpc.secure_channel(resolved, credentials, options=options)
    return channel if bearer is None else grpc.intercept_channel(channel, BearerToken(bearer))


def open_channel(target: Target, **security) -> Tuple[grpc.Channel, bool]:
    """(channel, owned): a given channel as is, else a new one the caller closes.

    security: tls_ca=, tls_cert=, tls_key=, token= for connect(); not allowed
    with a ready channel."""
    if isinstance(target, grpc.Channel):
        if any(value is not None for value in security.values()):
            raise ValueError("tls_ca, tls_cert, tls_key, token: give them to connect(), "
                             "not with a ready channel")
        return target, False
    return connect(target, **security), True


def _resolve(target: Union[str, Sequence[str]]) -> Tuple[str, bool]:
    """The gRPC target string, and whether it may name several replicas."""
    if isinstance(target, str):
        if target.startswith(_ROUND_ROBIN_SCHEMES):
            return target, True
        if "," not in target or "://" in target:
            return target, False  # one address, or a scheme gRPC resolves itself
        addresses = [a.strip() for a in target.split(",") if a.strip()]
    else:
        addresses = [str(a).strip() for a in target]
    if not addresses:
        raise ValueError("target: no address given")
    if len(addresses) == 1:
        return addresses[0], False
    return _address_list_target(addresses), True


def _address_list_target(addresses: List[str]) -> str:
    """"ipv4:a:p,b:q" (or ipv6:[a]:p,...): gRPC's static address-list resolver.

    Host names are resolved here, once; use a dns: target for names whose
    addresses change.
    """
    families, entries = set(), []
    for address in addresses:
        host, port = _split_host_port(address)
        for family, ip in _ips(host, port):
            families.add(family)
            entries.append(f"{ip}:{port}" if family == 4 else f"[{ip}]:{port}")
    if len(families) != 1:
        raise ValueError(f"target: mixes IPv4 and IPv6 addresses: {addresses}")
    return f"ipv{families.pop()}:" + ",".join(dict.fromkeys(entries))


def _split_host_port(address: str) -> Tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"target: {address!r} is not host:port")
    return host.strip("[]"), int(port)


def _ips(host: str, port: int) -> List[Tuple[int, str]]:
    """(4 or 6, address) for a literal, else the name's addresses (IPv4 first)."""
    try:
        ip = ipaddress.ip_address(host)
        return [(ip.version, str(ip))]
    except ValueError:
        pass
    for family, version in ((socket.AF_INET, 4), (socket.AF_INET6, 6)):
        try:
            infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        except socket.gaierror:
            continue
        return [(version, info[4][0]) for info in infos]
    raise ValueError(f"target: cannot resolve host {host!r}")
