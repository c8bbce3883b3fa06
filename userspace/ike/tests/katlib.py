# SPDX-License-Identifier: GPL-2.0-or-later
"""What kat-extract.py and kat-extract-v1.py share: the hex dumps of a
charon filelog (ike/enc/net at level 4) and the C vector they print."""
import os
import re
import sys

HDR = re.compile(r'^(?:\S+ )?\d+\[(\w+)\] (.*?) => (\d+) bytes @')
HEX = re.compile(r'^(?:\S+ )?\d+\[\w+\]\s+\d+: ((?:[0-9A-F]{2} ?)+)')


def blocks(path):
    """(group, label, bytes) for every hex dump in the log."""
    out = []
    cur = None
    for line in open(path, errors='replace'):
        m = HDR.match(line)
        if m:
            cur = [m.group(1), m.group(2), int(m.group(3)), bytearray()]
            out.append(cur)
            continue
        m = HEX.match(line)
        if m and cur is not None and len(cur[3]) < cur[2]:
            cur[3] += bytes.fromhex(m.group(1).replace(' ', ''))
            continue
        cur = None
    return [(g, l, bytes(b)) for g, l, n, b in out if len(b) == n]


def values(bl):
    """label -> the dumps of that label, in log order."""
    vals = {}
    for g, l, b in bl:
        vals.setdefault(l, []).append(b)
    return vals


def one(items, what):
    """The last of items; the end of the program if there is none."""
    if len(items) < 1:
        prog = os.path.splitext(os.path.basename(sys.argv[0]))[0]
        sys.exit(f'{prog}: no {what} in the log')
    return items[-1]


def print_vector(name, psk, fields, source):
    """The C initializer of a vector: name, psk, then (field, bytes)."""
    print(f'/* {name}: captured from strongSwan charon ({source}) */')
    print('{')
    print(f'\t.name = "{name}",')
    print(f'\t.psk = "{psk}",')
    for k, v in fields:
        print(f'\t.{k} =')
        h = v.hex()
        for i in range(0, len(h), 64):
            print(f'\t\t"{h[i:i + 64]}"')
        if not h:
            print('\t\t""')
        print('\t\t,')
    print('},')
