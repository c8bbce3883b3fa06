#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn a charon filelog (ike/enc/net at level 4, one ISAKMP SA set up by
ike-recover -1, see interop-charon-v1.sh -k) into a C known-answer
vector for v1_kat_test.c.

Every value comes from what strongSwan logged: the messages it received
(Main Mode 1, 3, 5 and both Informationals) and generated (2 and 4),
the DH secret, SKEYID*, Ka, the IVs it computed, HASH_I, the data and
value of HASH_R, and the HASH(1) it computed to verify ours.

usage: kat-extract-v1.py NAME PSK charon.log > vector.inc
"""
import sys

from katlib import blocks, one, print_vector, values


def isakmp(b, exchange):
    return len(b) >= 28 and b[17] == 0x10 and b[18] == exchange


def main():
    name, psk, path = sys.argv[1:4]
    bl = blocks(path)
    recv = [b for g, l, b in bl if g == 'NET' and l == 'received packet']
    # The generator dump precedes the patch of the Length field.
    gen = [b[:24] + len(b).to_bytes(4, 'big') + b[28:] for g, l, b in bl
           if l == 'generated data of this generator']
    vals = values(bl)
    mm = [b for b in recv if isakmp(b, 2)]
    if len(mm) != 3:
        sys.exit(f'kat-extract-v1: {len(mm)} Main Mode requests, want 3')
    cky_i = mm[0][:8]
    resp = [b for b in gen if isakmp(b, 2) and b[:8] == cky_i and
            not b[19] & 1]
    if len(resp) != 2:
        sys.exit('kat-extract-v1: want Main Mode messages 2 and 4')
    info = [b for b in recv if isakmp(b, 5) and b[:8] == cky_i]
    if len(info) != 2:
        sys.exit('kat-extract-v1: want two Informationals')
    mid1 = int.from_bytes(info[0][20:24], 'big')
    ivs0 = vals.get('next IV for MID 0', [])
    if len(ivs0) != 2:
        sys.exit('kat-extract-v1: want two "next IV for MID 0"')
    hashes = vals.get('Hash', [])
    if len(hashes) != 2:
        sys.exit('kat-extract-v1: want two HASH(1) values')
    fields = [
        ('mm1', mm[0]), ('mm2', resp[0]), ('mm3', mm[1]),
        ('mm4', resp[1]), ('mm5', mm[2]),
        ('info1', info[0]), ('info2', info[1]),
        ('gxy', one(vals.get('shared Diffie Hellman secret', []), 'g^xy')),
        ('skeyid', one(vals.get('SKEYID', []), 'SKEYID')),
        ('skeyid_d', one(vals.get('SKEYID_d', []), 'SKEYID_d')),
        ('skeyid_a', one(vals.get('SKEYID_a', []), 'SKEYID_a')),
        ('skeyid_e', one(vals.get('SKEYID_e', []), 'SKEYID_e')),
        ('ka', one(vals.get('encryption key Ka', []), 'Ka')),
        ('iv0', one(vals.get('initial IV', []), 'initial IV')),
        ('hash_i', one(vals.get('HASH_I', []), 'HASH_I')),
        ('hash_r_data', one(vals.get('HASH_R data', []), 'HASH_R data')),
        ('hash_r', one(vals.get('HASH_R', []), 'HASH_R')),
        ('iv_mm5', ivs0[0]), ('iv_last', ivs0[1]),
        ('iv_info1', one(vals.get(f'next IV for MID {mid1}', []),
                         'IV of the first Informational')),
        ('hash1', hashes[0]), ('hash2', hashes[1]),
    ]
    print_vector(name, psk, fields, 'interop-charon-v1.sh -k')


main()
