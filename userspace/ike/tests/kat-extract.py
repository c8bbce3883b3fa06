#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn a charon filelog (ike/enc/net at level 4, one IKE SA recovered by
ike-recover, see interop-charon.sh -k) into a C known-answer vector.

Every value comes from what strongSwan logged: the messages it received
and generated, the DH secret, SKEYSEED, SK_* and both AUTH values.

usage: kat-extract.py NAME PSK charon.log > vector.inc
"""
import sys

from katlib import blocks, one, print_vector, values


def ike_message(b, exchange, response):
    if len(b) < 28 or b[17] != 0x20 or b[18] != exchange:
        return False
    if int.from_bytes(b[24:28], 'big') != len(b):
        return False
    return bool(b[19] & 0x20) == response


def main():
    name, psk, path = sys.argv[1:4]
    bl = blocks(path)
    received = [b for g, l, b in bl if g == 'NET' and l == 'received packet']
    generated = [b for g, l, b in bl
                 if l == 'generated data of this generator']
    vals = values(bl)
    init_req = one([b for b in received if ike_message(b, 34, False)],
                   'IKE_SA_INIT request')
    spi_i = init_req[:8]
    # The generator dump of an unencrypted message precedes the patch of
    # its Length field; charon's own AUTH octets start with the message
    # as sent, which confirms the fix-up.
    fixed = [b[:24] + len(b).to_bytes(4, 'big') + b[28:] for b in generated]
    init_resp = one([b for b in fixed if ike_message(b, 34, True) and
                     b[:8] == spi_i and b[8:16] != bytes(8)],
                    'IKE_SA_INIT response')
    octets = vals.get("octets = message + nonce + prf(Sk_px, IDx')", [])
    if len(octets) != 2 or not octets[1].startswith(init_resp) or \
            not octets[0].startswith(init_req):
        sys.exit('kat-extract: AUTH octets do not start with the messages')
    auth_req = one([b for b in received if ike_message(b, 35, False) and
                    b[:8] == spi_i], 'IKE_AUTH request')
    auth_resp = one([b for b in generated if ike_message(b, 35, True) and
                     b[:8] == spi_i], 'IKE_AUTH response')
    auths = vals.get('AUTH = prf(prf(secret, keypad), octets)', [])
    if len(auths) != 2:
        sys.exit('kat-extract: expected two AUTH values')
    fields = [
        ('init_req', init_req), ('init_resp', init_resp),
        ('auth_req', auth_req), ('auth_resp', auth_resp),
        ('gir', one(vals.get('shared Diffie Hellman secret', []), 'g^ir')),
        ('skeyseed', one(vals.get('SKEYSEED', []), 'SKEYSEED')),
    ]
    for k in ('d', 'ai', 'ar', 'ei', 'er', 'pi', 'pr'):
        v = vals.get(f'Sk_{k} secret', [b''])
        fields.append((f'sk_{k}', v[-1]))
    # charon first verifies our AUTH, then computes its own.
    fields += [('auth_i', auths[0]), ('auth_r', auths[1])]
    print_vector(name, psk, fields, 'interop-charon.sh -k')


main()
