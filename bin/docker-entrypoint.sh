#!/bin/sh
# The image's entrypoint: `docker run IMAGE worker …` runs agent-trainer's command, while
# `docker run IMAGE node --version` (or sh, npm) runs that program as it would in a node image.
set -e
case "$1" in
  node | npm | npx | sh | bash) exec "$@" ;;
esac
exec node /app/bin/agent-trainer.js "$@"
