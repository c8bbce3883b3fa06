#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for the libFuzzer targets of userspace/spirecctl/fuzz.

Usage: make-seeds.py OUTDIR   (creates OUTDIR/<fuzzer>/<seed>)
fuzz_daemon_status gets status files as spirecd writes them (see
spirecd/status.h), so the fuzzer starts from deep inside the parser.
Documentation addresses only.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib", "fuzz"))
from seedlib import write_seeds  # noqa: E402

HDR = "version 1\npid 4321\nstarted 1764758400\nwritten 1764758460\n"
COUNTERS = ("recoveries_started 4\nrecoveries_ok 1\nrecoveries_failed 1\n"
            "recoveries_not_started 1\n")
PEERS = (
    "peer addr=192.0.2.1 section=192.0.2.1/32 name=a busy=no "
    "holddown_left_ms=50000 holddown_ms=60000 level=2 attempts=2 "
    "successes=1\n"
    "peer addr=198.51.100.7 section=198.51.100.0/24 name=net busy=yes "
    "holddown_left_ms=0 holddown_ms=0 level=0 attempts=1 successes=0\n"
    "peer addr=2001:db8::1 section=- name=- busy=no holddown_left_ms=0 "
    "holddown_ms=0 level=0 attempts=1 successes=0\n")

SEEDS = {
    "empty-table": "# spirecd status\n" + HDR + COUNTERS,
    "three-peers": "# spirecd status\n" + HDR + COUNTERS + PEERS,
    "extra-counters": HDR + COUNTERS + "guard_not_blackhole 7\n"
                      "guard_live_sas 18446744073709551615\n" + PEERS,
    "later-fields": HDR + "peer addr=192.0.2.1 busy=no later=1 level=1\n",
    "truncated": HDR + COUNTERS + PEERS[:40],
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_seeds(sys.argv[1], "fuzz_daemon_status", SEEDS)


if __name__ == "__main__":
    main()
