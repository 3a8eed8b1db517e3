# syntax=docker/dockerfile:1
# Multi-stage build: a static, pure-Go binary (the SQLite driver is pure
# Go, so CGO is off) on a distroless base, running as a non-root user with
# the database on a volume.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/byline ./cmd/byline \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/byline /usr/local/bin/byline
# The volume's mount point must belong to the nonroot user (uid 65532) so
# a fresh named volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
ENV BYLINE_DB=/data/byline.db
VOLUME ["/data"]
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/byline"]
CMD ["help"]
