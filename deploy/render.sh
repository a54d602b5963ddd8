#!/usr/bin/env bash
# Re-renders deploy/NN-*.yaml from the chart in helm/p2pdl with its default values.
# There is no helm binary in this project's toolchain: the renderer is the helm module's
# DeployManifestsTest (real Helm through helm-java), which writes the files when
# -Dp2pdl.deploy.update=true and otherwise fails when they are stale. Extra arguments go to
# Maven (e.g. -o for offline).
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -q test -pl helm -Dtest=DeployManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dp2pdl.deploy.update=true "$@"
