# The scanner image for the scheduled cluster scan (deploy/cronjob.yaml).
# Build: docker build -t ghcr.io/acme/sealant:latest .
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --features live --bin sealant

# distroless/cc has glibc, CA certificates (GitHub API, Vault) and a nonroot user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/sealant /usr/local/bin/sealant
USER nonroot
ENTRYPOINT ["/usr/local/bin/sealant"]
