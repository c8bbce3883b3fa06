# shellcheck shell=bash
# Sourced by selftests/check.sh: packaging (make install, DKMS, .debs).
tap_stage packaging-install selftests/packaging/install.sh
tap_stage packaging-dkms-deb selftests/packaging/run.sh
