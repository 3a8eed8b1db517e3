# syntax=docker/dockerfile:1
# Multi-stage build: a static, pure-Go binary (the SQLite driver is pure
# Go, so CGO is off) on a distroless base, running as a non-root user with
# the database on a volume.
#
# Base images are pinned by digest, with the tag beside it for people:
# the tag says what the image is, the digest which build, so a rebuild
# next year gets the same bases. To move to a newer build, look the
# digests up and replace both lines in one reviewed commit:
#   docker buildx imagetools inspect golang:1.26-bookworm --format '{{json .Manifest.Digest}}'
#   docker buildx imagetools inspect gcr.io/distroless/static-debian12:nonroot --format '{{json .Manifest.Digest}}'
# (or `crane digest IMAGE`). The digests below were taken from public
# Dockerfiles that pin these tags; they could not be pulled and checked
# from the machine this file was written on.
ARG GO_IMAGE=golang:1.26-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639

FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# .dockerignore keeps .git, local databases and build output out of the
# context; the version is passed in instead (docker build --build-arg
# VERSION=$(git describe --tags --always --dirty)).
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/byline ./cmd/byline \
 && mkdir -p /out/data

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/byline /usr/local/bin/byline
# The volume's mount point must belong to the nonroot user (uid 65532) so
# a fresh named volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
ENV BYLINE_DB=/data/byline.db BYLINE_HTTP_ADDR=:8080
VOLUME ["/data"]
USER nonroot:nonroot
# The listener of "byline serve": /healthz, /readyz, /metrics, and the
# Slack and Discord HTTP endpoints.
EXPOSE 8080
# distroless has no shell or curl: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/byline", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/byline"]
CMD ["serve"]
