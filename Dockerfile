# The otelcol-onepassword image. `make image` compiles the distribution with
# CGO_ENABLED=0 for linux and lays out the build context (_build/image):
# rootfs/ holds the binary, the CA bundle, /etc/passwd and /etc/group naming
# the unprivileged user, and the default configuration. FROM scratch: no
# shell, no package manager, nothing to patch but the collector itself.
FROM scratch

ARG VERSION=dev
ARG REVISION=unknown
ARG LICENSE=Apache-2.0
ARG SOURCE=https://github.com/onepassword-otel/onepasswordreceiver

LABEL org.opencontainers.image.title="otelcol-onepassword" \
      org.opencontainers.image.description="OpenTelemetry Collector with the 1Password Events API receiver" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="${LICENSE}"

COPY rootfs/ /
# file_storage keeps the cursors here; the directory belongs to the user the
# collector runs as, so a fresh volume mounted over it is writable.
COPY --chown=10001:10001 state/ /var/lib/otelcol-onepassword/

USER 10001:10001
# 4317/4318 OTLP gRPC/HTTP (when an otlp receiver is configured),
# 8888 the collector's own metrics, 13133 healthcheckv2.
EXPOSE 4317 4318 8888 13133
VOLUME ["/var/lib/otelcol-onepassword"]
ENTRYPOINT ["/otelcol-onepassword"]
CMD ["--config", "/etc/otelcol-onepassword/config.yaml"]
