#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for the libFuzzer targets of userspace/spirecd/fuzz.

Usage: make-seeds.py OUTDIR   (creates OUTDIR/<fuzzer>/<seed>)
fuzz_spirecd_config gets valid configuration files using every key, so
the fuzzer starts from deep inside the parser. Documentation addresses
only.
"""
import os
import sys

CONFIGS = {
    "minimal": "[global]\naction = none\n",
    "every-global-key": (
        "# comment\n; another\n[global]\n"
        "action = hint\nholddown = 2m\nknown_peers_only = yes\nenable = no\n"
        "workers = 8\nexec = /usr/local/sbin/hook\nexec_timeout = 5s\n"
        "vici_timeout = 1500ms\nike_timeout = 250ms\nrcvbuf = 256k\n"
        "holddown_max = 1h\nholddown_reset = 0\n"
        "status_file = /run/spirec/spirecd.status\n"),
    "ikev2-peer": (
        "[global]\nrcvbuf = 1\n[peer router-a]\naddress = 192.0.2.1\n"
        "local_id = router-b.example.org\nremote_id = router-a.example.org\n"
        "psk = \"a secret \\\"quoted\\\" \\\\\"   # comment\n"
        "ike = aes128-sha256-x25519,aes256gcm16-prfsha384-ecp384\n"
        "action = ikev2\nvici_socket = /run/charon.vici\nvici_ike = gw\n"),
    "vici-exec-v6": (
        "[peer net.b_2]\r\naddress = 2001:db8::/32\r\naction = vici\r\n"
        "vici_socket = unix:///run/charon.vici\r\nvici_child = net-net\r\n"
        "vici_ike = gw\r\n[peer c]\naddress = 198.51.100.0/24\n"
        "action = exec\nexec = /usr/local/sbin/on-invalid-spi\n"
        "[peer d]\naddress = 203.0.113.9\nlocal_id = keyid:#0a0b0c\n"
        "psk = 0x00ff10\n"),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = os.path.join(sys.argv[1], "fuzz_spirecd_config")
    os.makedirs(d, exist_ok=True)
    for name, text in CONFIGS.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
