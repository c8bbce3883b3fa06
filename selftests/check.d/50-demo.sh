# SPDX-License-Identifier: GPL-2.0
# make demo's script (demo/demo.sh), without a VM: it parses, and
# selftests/e2e/run.sh still provides the set-up functions it sources.
tap_stage demo-script "$top/demo/demo.sh" --check
