# SPDX-License-Identifier: GPL-2.0-or-later
"""What the make-seeds.py of every component (lib, spirecctl, spirecd,
ike) shares: writing seeds, and the netlink attribute they are made of.
The others find it with seedlib_path() of their own."""
import os
import struct


def nlattr(atype, payload):
    """A netlink attribute, padded to 4 bytes."""
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, atype) + payload + b"\0" * ((4 - ln % 4) % 4)


def write_seeds(out, fuzzer, seeds):
    """Each seed (name: bytes, or str as text) as OUT/FUZZER/name."""
    d = os.path.join(out, fuzzer)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(os.path.join(d, name), mode) as f:
            f.write(data)
