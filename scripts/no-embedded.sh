#!/usr/bin/env bash
# The library as apps ship it (profile dist, no embedded server): its sizes against the size
# budget (scripts/sizes.sh), then the C tests with it against a separately started
# v2tim-server; they also check that an empty server_url is refused with
# V2TIM_ERR_NO_EMBEDDED_SERVER.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/sizes.sh
make -C tests/c remote PROFILE=dist
