#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for the libFuzzer targets of userspace/lib/fuzz.

Usage: make-seeds.py OUTDIR   (creates OUTDIR/<fuzzer>/<seed>)
Every seed is a well-formed message of the kind the target parses, so the
fuzzer starts from deep inside the parser instead of at its first check.
Addresses are documentation addresses only.
"""
import struct
import sys

from seedlib import nlattr as attr, write_seeds

AF_INET, AF_INET6 = 2, 10
FAMILY_ID = 0x1d


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def u64(t, v): return attr(t, struct.pack("=Q", v))
def nest(t, body): return attr(t | 0x8000, body)
def strz(t, s): return attr(t, s.encode() + b"\0")


def genl(nltype, cmd, body, flags=0):
    payload = struct.pack("=BBH", cmd, 1, 0) + body
    return struct.pack("=IHHII", 16 + len(payload), nltype, flags, 1, 0) + payload


V4A, V4B = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 2])
V6A = bytes.fromhex("20010db8000000000000000000000001")
V6B = bytes.fromhex("20010db800000000000000000000abcd")


def event(fam, src, dst, proto, encap):
    b = u16(2, fam) + attr(3, src) + attr(4, dst) + u32(5, 0xc0ffee01)
    b += u8(6, proto) + u8(7, encap)
    if encap:
        b += u16(8, 4500) + u16(9, 4500)
    b += u32(10, 3) + u32(11, 0) + u64(12, 7)
    return genl(FAMILY_ID, 7, b)


def stats():
    counters = b"".join(u64(i, 1000 + i) for i in range(2, 14))
    return genl(FAMILY_ID, 1, u8(15, 1) + u8(16, 0) + u32(17, 3) +
                nest(18, counters))


def peer(fam, addr):
    body = (u16(2, fam) + attr(3, addr) + u64(4, 10) + u64(5, 2) +
            u64(6, 8) + u32(7, 0x1234) + u8(8, 50) + u8(9, 1) +
            u64(10, 1500) + u8(11, 1))
    return genl(FAMILY_ID, 2, nest(19, body), flags=2)


def known(fam, addr, plen):
    return genl(FAMILY_ID, 6, u16(2, fam) + attr(13, addr) + u8(14, plen),
                flags=2)


def nlerr(err, text, capped):
    orig = struct.pack("=BBH", 4, 1, 0) + u16(2, AF_INET)
    hdr = struct.pack("=IHHII", 16 + len(orig), FAMILY_ID, 5, 9, 0)
    body = struct.pack("=i", err) + hdr + (b"" if capped else orig)
    body += strz(1, text) + u32(2, 20)
    flags = 0x200 | (0x100 if capped else 0)
    return struct.pack("=IHHII", 16 + len(body), 2, flags, 9, 0) + body


def done(err, text):
    body = struct.pack("=i", err) + strz(1, text)
    return struct.pack("=IHHII", 16 + len(body), 3, 0x202, 9, 0) + body


def family():
    groups = nest(7, nest(1, u32(2, 9) + strz(1, "events")))
    body = (u16(1, 0x1d) + strz(2, "spirec") + u32(3, 1) + u32(4, 0) +
            u32(5, 19) + groups)
    return genl(0x10, 1, body)


SEEDS = {
    "fuzz_event": {
        "esp4": event(AF_INET, V4A, V4B, 50, 0),
        "ah4": event(AF_INET, V4A, V4B, 51, 0),
        "udp6": event(AF_INET6, V6A, V6B, 50, 1),
    },
    "fuzz_stats": {"stats": stats()},
    "fuzz_peer": {"peer4": peer(AF_INET, V4A), "peer6": peer(AF_INET6, V6A)},
    "fuzz_known": {"known4": known(AF_INET, bytes([198, 51, 100, 0]), 24),
                   "known6": known(AF_INET6, V6A, 128)},
    "fuzz_nl_ack": {"capped": nlerr(-17, "already on the list", True),
                    "uncapped": nlerr(-22, "bad prefix length", False),
                    "done": done(-90, "too big")},
    "fuzz_genl_family": {"family": family()},
    "fuzz_nl_attr": {"stats": stats(), "family": family()},
    "fuzz_addr": {"v4": b"192.0.2.1", "v4p": b"198.51.100.0/24",
                  "v6": b"2001:db8::1", "v6p": b"2001:db8::/32"},
}


def main():
    for fuzzer, seeds in SEEDS.items():
        write_seeds(sys.argv[1], fuzzer, seeds)


if __name__ == "__main__":
    main()
