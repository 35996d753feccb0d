# pathwised, the pathwise gRPC server, in a small Debian 12 image.
#
#   podman build --format docker -t pathwise .   # or: docker build -t pathwise .
#   podman run --rm -p 50051:50051 -p 9464:9464 pathwise
#
# Two stages: `build` compiles pathwised and the pathwise CLI; the runtime
# stage holds the two binaries and only the shared libraries they load.
# deploy/container-test builds and checks this file end to end. No `syntax`
# line: it would make BuildKit fetch a frontend image, and the built-in one
# (Docker 23 and later) knows RUN --mount, as podman and buildah do.

# The base images' digests, for a release build: a tag moves, a digest names
# one image. Only the registry can tell them (docs/deploy.md, "Base images"):
#   --build-arg BUILD_DIGEST=@sha256:<digest of debian:bookworm>
#   --build-arg RUNTIME_DIGEST=@sha256:<digest of debian:bookworm-slim>
# Empty by default: the tags alone, which deploy/container-test makes locally.
ARG BUILD_DIGEST=
ARG RUNTIME_DIGEST=

FROM debian:bookworm${BUILD_DIGEST} AS build

# Build dependencies first, in their own layer: it stays cached until this
# list changes, whatever happens to the sources. GTest and Google Benchmark
# are here only because the top-level CMakeLists.txt looks them up.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ make cmake ninja-build ccache pkg-config \
      protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev \
      libabsl-dev libeigen3-dev prometheus-cpp-dev libspdlog-dev libfmt-dev \
      libgtest-dev libgmock-dev libbenchmark-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Only what configuring and building the two binaries reads, so that edits to
# docs, scripts or deploy files reuse the compiled layer.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY core core
COPY cmdline cmdline
COPY plot plot
COPY proto proto
COPY server server
COPY client client
COPY tests tests
COPY bench bench

# Tools and the test areas that need more than GoogleTest (core's tests,
# python, node, deploy) are left out of the configure step; only the two
# shipped targets are compiled. ccache keeps its objects in a build cache
# mount, so a rebuild after a small edit recompiles only what changed.
ENV CCACHE_DIR=/ccache
RUN --mount=type=cache,id=pathwise-ccache,target=/ccache \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "-DPATHWISE_SKIP_AREAS=tools;core;python;node;deploy" \
 && cmake --build build --target pathwised pathwise -j "$(nproc)" \
 && strip build/bin/pathwised build/bin/pathwise

FROM debian:bookworm-slim${RUNTIME_DIGEST}

# The runtime shared libraries of the two binaries (found with ldd and
# dpkg -S on a host build); apt adds their own dependencies.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc++1.51 libprotobuf32 libabsl20220623 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
      libspdlog1.10 libfmt9 \
 && rm -rf /var/lib/apt/lists/*

COPY --from=build /src/build/bin/pathwised /src/build/bin/pathwise /usr/local/bin/

# Fails the build if a library is missing, rather than the first start.
# A fixed, numeric, unprivileged user: Kubernetes' runAsNonRoot can verify a
# numeric USER only. --no-log-init: no sparse lastlog entry for a high uid.
RUN ! ldd /usr/local/bin/pathwised /usr/local/bin/pathwise | grep 'not found' \
 && groupadd --gid 10001 pathwise \
 && useradd --uid 10001 --gid 10001 --no-create-home --no-log-init \
      --home-dir /nonexistent --shell /usr/sbin/nologin pathwise

USER 10001:10001
EXPOSE 50051 9464

# Health as the server reports it (grpc.health.v1): NOT_SERVING while it
# drains. It assumes the default gRPC port; change it if --listen changes.
# Podman keeps HEALTHCHECK only in images built with --format docker. No
# --start-period: the first check runs one interval after the start, and
# pathwised serves within a second.
HEALTHCHECK --interval=10s --timeout=5s --retries=3 \
  CMD ["pathwise", "health", "--server", "127.0.0.1:50051", "--timeout", "3"]

# pathwised drains on SIGTERM (health NOT_SERVING, new calls UNAVAILABLE,
# in-flight calls get --shutdown_grace) and exits 0. Give `docker stop` /
# `podman stop` a --time longer than the grace (default 10 s) so the drain
# ends before SIGKILL.
STOPSIGNAL SIGTERM
# Listening on every interface of the container is what publishing a port
# needs. Arguments given to `run` are appended, and a repeated flag takes its
# last value: `run pathwise --threads=4` keeps these addresses, and
# `run pathwise --listen=0.0.0.0:6000` replaces one.
ENTRYPOINT ["pathwised", "--listen=0.0.0.0:50051", "--metrics_listen=0.0.0.0:9464"]
