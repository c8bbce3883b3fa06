# SPDX-License-Identifier: GPL-2.0-or-later
# spirec IKEv2 initiator: library code (into libspirec.a), cmocka tests
# and libFuzzer targets. Everything links with OpenSSL's libcrypto.

IKE_SRCS := ike/err.c ike/run.c ike/codec.c ike/payloads.c ike/prf.c \
	ike/crypto_dh.c ike/crypto_aead.c ike/keys.c ike/proposal.c ike/identity.c \
	ike/natd.c ike/transport.c ike/exchange_io.c ike/peer_request.c \
	ike/exchange.c ike/hint.c ike/xfrm_bypass.c \
	ike/v1_crypto.c ike/v1_keys.c ike/v1_codec.c ike/v1_proposal.c \
	ike/v1_info.c ike/v1_natd.c ike/v1_exchange.c
LIB_SRCS += $(IKE_SRCS)

$(call spirec_tests,ike,,-lcrypto,codec config transport_raw)
$(call spirec_tests,ike,ike/tests/hex.c,-lcrypto,crypto kat v1_kat)
$(call spirec_tests,ike,,-lcrypto -lpthread,exchange v1_exchange)

# Test driver (not installed): ike_recover()/ike_send_hint() from the
# command line, used by tests/interop-charon.sh.
PROGS += ike-recover
ike-recover_SRCS := ike/tests/ike_recover_tool.c
ike-recover_LIBS := -lcrypto

# libFuzzer targets for every parser of untrusted bytes (make fuzz-build).
# (-lmnl: fuzzers link every object of LIB_SRCS, lib/ included.)
IKE_FUZZ_LIBS := -lcrypto -lmnl
$(call spirec_fuzzers,ike,ike/fuzz/fuzz_common.c,$(IKE_FUZZ_LIBS), \
	fuzz_ike_message fuzz_ike_payloads fuzz_ike_decrypt)
$(call spirec_fuzzers,ike,,$(IKE_FUZZ_LIBS),fuzz_ike_config \
	fuzz_ike_peer_request fuzz_ike_raw fuzz_ike_v1_message \
	fuzz_ike_v1_info fuzz_ike_v1_config)

# Per-socket IPsec bypass, in a private network namespace (root; skipped
# otherwise).
TESTS += ike_xfrm_bypass_test
ike_xfrm_bypass_test_SRCS := ike/tests/xfrm_bypass_test.c
ike_xfrm_bypass_test_LIBS := -lcrypto
