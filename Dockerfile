# authd container image.
#
#   docker build -t authd .
#   docker run --rm -p 8080:8080 -v authd-data:/app/data authd
#
# Build stage: the official Swift image, the same Swift release the project is developed and tested with
# (6.3.1, Ubuntu 24.04 "noble", so the runtime stage below shares its glibc).

FROM swift:6.3.1-noble AS build

WORKDIR /build

# Resolve dependencies first, from the manifest alone, so that this layer stays cached until
# Package.swift changes. Package.resolved is not tracked (see .gitignore) and is kept out of the
# build context (.dockerignore), so the image resolves the version ranges in Package.swift afresh
# rather than trusting pins made on some developer's machine.
COPY Package.swift ./
RUN swift package resolve

# Then the sources (the test targets too: the manifest names them, and SwiftPM checks that every
# target's directory exists even when only one product is built).
COPY Sources ./Sources
COPY Tests ./Tests

# --static-swift-stdlib links the Swift runtime and Foundation into the executable, so the runtime image
# needs no Swift toolchain. The executable looks for its resource bundle (openapi.yaml) next to itself,
# so both go to /staging, together with the static crash backtracer.
RUN swift build -c release --product authd --static-swift-stdlib \
    && bin="$(swift build -c release --product authd --static-swift-stdlib --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/authd" /staging/authd \
    && cp -R "$bin/authd_AuthHTTP.resources" /staging/ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/ \
    && test -f /staging/authd_AuthHTTP.resources/openapi.yaml

# Runtime stage: plain Ubuntu 24.04. With the Swift runtime linked in, authd needs only glibc,
# libstdc++ and libgcc_s (all in the base image; libstdc++6 is listed to make that explicit),
# the CA bundle (TLS to PostgreSQL) and the time zone database (Foundation's TimeZone).
# SQLite and BoringSSL are compiled into the binary; neither libcurl nor libxml2 is linked.
FROM ubuntu:24.04

# Versions are not pinned: these are Ubuntu's security-maintained packages of the pinned release,
# and pinning exact versions would break the build whenever the archive drops a superseded one.
# hadolint ignore=DL3008
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        ca-certificates \
        libstdc++6 \
        tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 authd \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin authd \
    && mkdir -p /app/data \
    && chown 10001:10001 /app/data \
    && chmod 0750 /app/data

WORKDIR /app

# The program files stay owned by root: the service user can read and run them, not change them.
COPY --from=build /staging/ /app/

# The commit the image is built from, for `authd --version`, GET /health and authd_build_info:
#   docker build --build-arg AUTHD_BUILD_COMMIT="$(git rev-parse --short HEAD)" -t authd .
ARG AUTHD_BUILD_COMMIT=unknown

# The embedded SQLite database lives in /app/data (mount a volume there to keep it).
# A mounted secret wins over this default: authd reads NAME_FILE before NAME (DATABASE_URL_FILE, ...).
ENV AUTHD_BUILD_COMMIT=${AUTHD_BUILD_COMMIT} \
    DATABASE_URL=sqlite:///app/data/auth.sqlite \
    LOG_FORMAT=json \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

USER 10001:10001

EXPOSE 8080

# The health check speaks HTTP through bash's /dev/tcp instead of curl: the image then carries no HTTP
# client (smaller, less to patch), and the check still asks GET /health and wants a 200, not just an
# open port. It reads the whole answer, so the server sees a clean close, and assumes the default
# port 8080 (the CMD below).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && while IFS= read -r -t 4 _ <&3; do :; done; [[ $status == *' 200 '* ]]"]

ENTRYPOINT ["/app/authd"]
CMD ["serve", "--hostname", "0.0.0.0", "--port", "8080"]
