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

TESTS += ike_codec_test ike_crypto_test ike_config_test ike_kat_test \
	ike_exchange_test ike_transport_raw_test
ike_transport_raw_test_SRCS := ike/tests/transport_raw_test.c
ike_transport_raw_test_LIBS := -lcrypto
ike_codec_test_SRCS := ike/tests/codec_test.c
ike_codec_test_LIBS := -lcrypto
ike_crypto_test_SRCS := ike/tests/crypto_test.c ike/tests/hex.c
ike_crypto_test_LIBS := -lcrypto
ike_config_test_SRCS := ike/tests/config_test.c
ike_config_test_LIBS := -lcrypto
ike_kat_test_SRCS := ike/tests/kat_test.c ike/tests/hex.c
ike_kat_test_LIBS := -lcrypto
TESTS += ike_v1_kat_test ike_v1_exchange_test
ike_v1_exchange_test_SRCS := ike/tests/v1_exchange_test.c
ike_v1_exchange_test_LIBS := -lcrypto -lpthread
ike_v1_kat_test_SRCS := ike/tests/v1_kat_test.c ike/tests/hex.c
ike_v1_kat_test_LIBS := -lcrypto
ike_exchange_test_SRCS := ike/tests/exchange_test.c
ike_exchange_test_LIBS := -lcrypto -lpthread

# Test driver (not installed): ike_recover()/ike_send_hint() from the
# command line, used by tests/interop-charon.sh.
PROGS += ike-recover
ike-recover_SRCS := ike/tests/ike_recover_tool.c
ike-recover_LIBS := -lcrypto

# libFuzzer targets for every parser of untrusted bytes (make fuzz-build).
# (-lmnl: fuzzers link every object of LIB_SRCS, lib/ included.)
IKE_FUZZ_LIBS := -lcrypto -lmnl
FUZZERS += fuzz_ike_message fuzz_ike_payloads fuzz_ike_decrypt \
	fuzz_ike_config fuzz_ike_peer_request fuzz_ike_raw
FUZZERS += fuzz_ike_v1_message fuzz_ike_v1_info fuzz_ike_v1_config
fuzz_ike_v1_message_SRCS := ike/fuzz/fuzz_ike_v1_message.c
fuzz_ike_v1_message_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_v1_info_SRCS := ike/fuzz/fuzz_ike_v1_info.c
fuzz_ike_v1_info_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_v1_config_SRCS := ike/fuzz/fuzz_ike_v1_config.c
fuzz_ike_v1_config_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_raw_SRCS := ike/fuzz/fuzz_ike_raw.c
fuzz_ike_raw_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_message_SRCS := ike/fuzz/fuzz_ike_message.c ike/fuzz/fuzz_common.c
fuzz_ike_message_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_payloads_SRCS := ike/fuzz/fuzz_ike_payloads.c \
	ike/fuzz/fuzz_common.c
fuzz_ike_payloads_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_decrypt_SRCS := ike/fuzz/fuzz_ike_decrypt.c \
	ike/fuzz/fuzz_common.c
fuzz_ike_decrypt_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_config_SRCS := ike/fuzz/fuzz_ike_config.c
fuzz_ike_config_LIBS := $(IKE_FUZZ_LIBS)
fuzz_ike_peer_request_SRCS := ike/fuzz/fuzz_ike_peer_request.c
fuzz_ike_peer_request_LIBS := $(IKE_FUZZ_LIBS)

# Per-socket IPsec bypass, in a private network namespace (root; skipped
# otherwise).
TESTS += ike_xfrm_bypass_test
ike_xfrm_bypass_test_SRCS := ike/tests/xfrm_bypass_test.c
ike_xfrm_bypass_test_LIBS := -lcrypto
