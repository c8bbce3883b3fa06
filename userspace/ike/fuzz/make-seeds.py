#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed corpora for the IKE fuzzers from the messages strongSwan
exchanged in tests/kat_strongswan.inc and tests/kat_v1_strongswan.inc.

usage: ike/fuzz/make-seeds.py OUTDIR   (creates OUTDIR/<fuzzer>/...)
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'lib', 'fuzz'))
from seedlib import write_seeds  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
text = open(os.path.join(here, '..', 'tests', 'kat_strongswan.inc')).read()
out = sys.argv[1]
msgs = []
for m in re.finditer(r'\.(init_req|init_resp|auth_req|auth_resp) =\s*((?:"[0-9a-f]*"\s*)+),', text):
    msgs.append(bytes.fromhex(''.join(re.findall(r'"([0-9a-f]*)"', m.group(2)))))


def put(fuzzer, name, data):
    write_seeds(out, fuzzer, {name: data})


for i, m in enumerate(msgs):
    put('fuzz_ike_message', f'msg{i}', m)
    put('fuzz_ike_decrypt', f'msg{i}', bytes([i * 2 % 8]) + m)
    # first payload of the message as a typed body
    first, plen = m[16], int.from_bytes(m[30:32], 'big')
    put('fuzz_ike_payloads', f'pl{i}', bytes([first]) + m[32:28 + plen])
    put('fuzz_ike_payloads', f'chain{i}', bytes([first]) + m[28:])
for i, s in enumerate(['aes256-sha256-modp2048',
                       'aes256gcm16-prfsha384-ecp384,aes128-sha256-x25519',
                       'keyid:#0102a0ff', 'user@example.org', '2001:db8::1',
                       '@vpn.example.org']):
    put('fuzz_ike_config', f'cfg{i}', s.encode())
put('fuzz_ike_decrypt', 'seal', b'\x01' + bytes.fromhex('2900000800004000'))
# fuzz_ike_peer_request: exchange, message ID, flags, first payload
# type, inner chain
put('fuzz_ike_peer_request', 'dpd', bytes([37, 0, 0, 0]))
put('fuzz_ike_peer_request', 'delete-ike',
    bytes([37, 0, 0, 42]) + bytes.fromhex('0000000801000000'))
put('fuzz_ike_peer_request', 'create-child',
    bytes([36, 0, 0, 40]) + bytes.fromhex('00000014') + bytes(16))
put('fuzz_ike_peer_request', 'critical',
    bytes([37, 0, 0, 200]) + bytes.fromhex('0080000801020304'))

# IKEv1: the Main Mode messages and Informationals of the v1 KATs.
text1 = open(os.path.join(here, '..', 'tests', 'kat_v1_strongswan.inc')).read()
for i, m in enumerate(re.finditer(r'\.(mm[1-5]|info[12]) =\s*((?:"[0-9a-f]*"\s*)+),', text1)):
    b = bytes.fromhex(''.join(re.findall(r'"([0-9a-f]*)"', m.group(2))))
    put('fuzz_ike_v1_message', f'{m.group(1)}-{i}', b)
    put('fuzz_ike_v1_message', f'chain-{m.group(1)}-{i}', bytes([b[16]]) + b[28:])
    put('fuzz_ike_v1_info', f'{m.group(1)}-{i}', bytes([i & 1]) + b)
for i, s in enumerate(['aes128-sha1-modp2048', '3des-sha1-modp1024',
                       'aes256-aes128-sha256-sha1-modp2048-ecp256,aes192-sha512-ecp521']):
    put('fuzz_ike_v1_config', f'cfg{i}', s.encode())
