# PostgreSQL (Debian's postgresql-15), run as uid/gid 999 (postgres): the self-hosted server's database
# on Kubernetes (prefer a managed PostgreSQL where there is one) and every project's own database
# (server/runtime/*/database-*.ts). Built by `npm run image` and `npm run image:k8s` (k8s/build-images.sh).
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG DEBIAN_FRONTEND=noninteractive
# The user exists before the package does, so its ids are fixed (the manifests' securityContext uses them).
RUN groupadd --gid 999 postgres \
 && useradd --uid 999 --gid 999 --home-dir /var/lib/postgresql --no-create-home --shell /bin/bash postgres \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && rm -rf /var/lib/postgresql/15/main /etc/postgresql/15/main \
 && install -d -o 999 -g 999 -m 0700 /var/lib/postgresql/data
# ^ owned by postgres in the image, so a Docker named volume mounted there starts out postgres's too.
COPY postgres-entrypoint.sh /usr/local/bin/slipway-postgres
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data/pgdata \
    LANG=C.UTF-8
USER 999:999
EXPOSE 5432
CMD ["slipway-postgres"]
