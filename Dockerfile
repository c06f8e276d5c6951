# syntax=docker/dockerfile:1
# LazyRabbit's container image: one binary, `lazyrabbit`, for every role
# (coordinator, worker, admin migrate/tokens, dev).
#
#   docker build -t lazyrabbit:dev .
#   docker run --rm -p 8080:8080 -e LAZYRABBIT_JWT_SECRET=... lazyrabbit:dev coordinator
#   docker run --rm lazyrabbit:dev worker
#
# Checked statically only (no Docker engine where it was written): the package names were
# checked against Debian 12 (bookworm) with apt-cache; the build itself has not been run.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
# Builder: the Swift toolchain plus the development headers of the C libraries the package links
# (the same list as scripts/bootstrap). Package versions are not pinned (hadolint DL3008): the
# bookworm archive only carries the current security update of each, so a pin would break builds.
FROM ${SWIFT_IMAGE} AS builder
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update -q \
 && apt-get install -y -q --no-install-recommends \
      libcurl4-openssl-dev librabbitmq-dev libhiredis-dev libpq-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY . .
# The .build cache mount keeps dependency checkouts and object files between builds; the binary
# is copied out of it because cache mounts are not part of the image.
RUN --mount=type=cache,target=/build/.build \
    swift build -c release --product lazyrabbit --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/lazyrabbit" /out/lazyrabbit \
 && strip /out/lazyrabbit

# ---------------------------------------------------------------------------------------------
# Runtime: Debian slim with only the shared libraries the binary loads (the Swift runtime and
# Foundation are linked statically) and curl for the health check.
FROM ${RUNTIME_IMAGE} AS runtime
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update -q \
 && apt-get install -y -q --no-install-recommends \
      libcurl4 librabbitmq4 libhiredis0.14 libpq5 libsqlite3-0 libstdc++6 ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 lazyrabbit \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/lazyrabbit --create-home \
      --shell /usr/sbin/nologin lazyrabbit

COPY --from=builder /out/lazyrabbit /usr/local/bin/lazyrabbit

# A numeric user so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
WORKDIR /var/lib/lazyrabbit
ENV LAZYRABBIT_HTTP_PORT=8080
EXPOSE 8080

# Meaningful for the coordinator (and `dev`) only: the worker serves no HTTP, so
# docker-compose.yml disables this check for the worker and the one-shot migrate container.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["sh", "-c", "curl -fsS \"http://127.0.0.1:${LAZYRABBIT_HTTP_PORT}/healthz\" >/dev/null || exit 1"]

ENTRYPOINT ["lazyrabbit"]
CMD ["--help"]
