#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for the libFuzzer targets of userspace/spirecd/fuzz.

Usage: make-seeds.py OUTDIR   (creates OUTDIR/<fuzzer>/<seed>)
fuzz_spirecd_config gets valid configuration files using every key, so
the fuzzer starts from deep inside the parser. Documentation addresses
only.
fuzz_xfrm_sa gets XFRM_MSG_NEWSA messages as the kernel dumps them (x86-64
layout of struct xfrm_usersa_info): keyed ESP and AH states, IPv6, larval
states, several in one datagram. fuzz_vici_list_sa (and fuzz_vici_reply)
get "list-sa" events as charon's list-sas streams them.
Every file of regressions/<fuzzer>/ (inputs that once crashed a target)
is a seed of that fuzzer too, so the smoke run replays them.
"""
import os
import shutil
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib", "fuzz"))
from seedlib import nlattr, write_seeds  # noqa: E402

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

XFRM_MSG_NEWSA = 0x10
XFRMA_ALG_AUTH, XFRMA_ALG_CRYPT, XFRMA_ALG_AEAD = 1, 2, 18
XFRMA_ALG_AUTH_TRUNC, XFRMA_MARK = 20, 21
ESP, AH = 50, 51


def algo(name, keybits, extra=b""):
    """struct xfrm_algo (name, key length in bits) [+ icv/trunc], key."""
    return (name.encode().ljust(64, b"\0") + struct.pack("=I", keybits) +
            extra + b"\x11" * (keybits // 8))


def newsa(fam, src, dst, spi, proto, attrs=b""):
    alen = 4 if fam == socket.AF_INET else 16
    pack = lambda a: socket.inet_pton(fam, a).ljust(16, b"\0")
    info = bytearray(224)
    info[56:72] = pack(dst)[:16]                 # id.daddr
    info[72:76] = struct.pack(">I", spi)         # id.spi
    info[76] = proto                             # id.proto
    info[80:96] = pack(src)                      # saddr
    info[212:214] = struct.pack("=H", fam)       # family
    info[214] = 1                                # mode tunnel
    assert alen
    body = bytes(info) + attrs
    return struct.pack("=IHHII", 16 + len(body), XFRM_MSG_NEWSA, 2, 1, 0) + body


V4, V6 = socket.AF_INET, socket.AF_INET6
ESP_V4 = newsa(V4, "192.0.2.1", "198.51.100.2", 0xc1a0b0c0, ESP,
               nlattr(XFRMA_ALG_CRYPT, algo("cbc(aes)", 128)) +
               nlattr(XFRMA_ALG_AUTH_TRUNC,
                      algo("hmac(sha256)", 256, struct.pack("=I", 128))) +
               nlattr(XFRMA_MARK, struct.pack("=II", 42, 0xffffffff)))
ESP_V6 = newsa(V6, "2001:db8::1", "2001:db8::2", 0x1234, ESP,
               nlattr(XFRMA_ALG_AEAD,
                      algo("rfc4106(gcm(aes))", 160, struct.pack("=I", 128))))
AH_V4 = newsa(V4, "192.0.2.1", "198.51.100.2", 0x99, AH,
              nlattr(XFRMA_ALG_AUTH, algo("hmac(sha1)", 160)))
LARVAL = newsa(V4, "192.0.2.1", "198.51.100.2", 0xc0000001, ESP)
ACQUIRE = newsa(V4, "198.51.100.2", "192.0.2.1", 0, ESP)
XFRM_SEEDS = {
    "esp-v4": ESP_V4, "esp-v6-aead": ESP_V6, "ah-v4": AH_V4,
    "larval": LARVAL, "acquire": ACQUIRE,
    "datagram": ESP_V4 + LARVAL + ESP_V6 + AH_V4 + ACQUIRE,
}


def vname(s):
    return bytes([len(s)]) + s.encode()


def vvalue(s):
    return struct.pack(">H", len(s)) + s.encode()


def vkv(k, v): return b"\x03" + vname(k) + vvalue(v)
def vsection(name, body): return b"\x01" + vname(name) + body + b"\x02"


def vlist(name, items):
    return (b"\x04" + vname(name) + b"".join(b"\x05" + vvalue(i) for i in items) +
            b"\x06")


def list_sa(conn, state, host, rid, children):
    kids = b"".join(vsection("net-%d" % (i + 1), vkv("name", "net") +
                             vkv("uniqueid", str(i + 1)) +
                             vkv("state", st) + vkv("protocol", "ESP") +
                             vkv("spi-in", "c%07x" % (i + 1)) +
                             vkv("spi-out", "cafe%04x" % i) +
                             vlist("local-ts", ["198.51.100.0/24"]) +
                             vlist("remote-ts", ["192.0.2.0/24"]))
                    for i, st in enumerate(children))
    ike = (vkv("uniqueid", "3") + vkv("version", "2") + vkv("state", state) +
           vkv("local-host", "198.51.100.2") + vkv("local-port", "500") +
           vkv("local-id", "router-b.example.org") +
           vkv("remote-host", host) + vkv("remote-port", "500") +
           vkv("remote-id", rid) + vkv("initiator-spi", "a1b2c3d4e5f60708") +
           vlist("tasks-queued", ["CHILD_CREATE"]) + vsection("child-sas", kids))
    return b"\x07" + vname("list-sa") + vsection(conn, ike)


VICI_SEEDS = {
    "established": list_sa("gw", "ESTABLISHED", "192.0.2.1",
                           "router-a.example.org", ["INSTALLED", "REKEYED"]),
    "v6-connecting": list_sa("gw6", "CONNECTING", "2001:db8::1", "%any", []),
    "many-children": list_sa("gw", "ESTABLISHED", "192.0.2.1", "a",
                             ["INSTALLED"] * 20),
    "response": b"\x01" + vkv("success", "yes"),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_seeds(sys.argv[1], "fuzz_spirecd_config", CONFIGS)
    write_seeds(sys.argv[1], "fuzz_xfrm_sa", XFRM_SEEDS)
    for fuzzer in ("fuzz_vici_list_sa", "fuzz_vici_reply"):
        write_seeds(sys.argv[1], fuzzer, VICI_SEEDS)
    regressions = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "regressions")
    for fuzzer in sorted(os.listdir(regressions)):
        d = os.path.join(sys.argv[1], fuzzer)
        os.makedirs(d, exist_ok=True)
        for name in sorted(os.listdir(os.path.join(regressions, fuzzer))):
            shutil.copyfile(os.path.join(regressions, fuzzer, name),
                            os.path.join(d, "regression-" + name))


if __name__ == "__main__":
    main()
