// SPDX-License-Identifier: GPL-2.0-or-later
/* cmocka tests of the IKEv2 message and payload codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../codec.h"
#include "../err.h"
#include "../payloads.h"

static const struct ike_header hdr = {
	.spi_i = 0x0102030405060708ULL,
	.spi_r = 0x1112131415161718ULL,
	.exchange = IKE_SA_INIT,
	.flags = IKE_FLAG_I,
	.msg_id = 0x01020304,
};

static void build_sample(struct ike_builder *b)
{
	static const uint8_t nonce[32] = { 1, 2, 3 };
	static const uint8_t ke[32] = { 9 };
	static const uint8_t cookie[8] = { 0xc0 };
	struct ike_sa_payload sa = { 0 };

	sa.nprop = 2;
	sa.prop[0].num = 1;
	sa.prop[0].proto = IKE_PROTO_IKE;
	sa.prop[0].ntrans = 4;
	sa.prop[0].t[0] = (struct ike_transform){ IKE_TRANS_ENCR,
						  IKE_ENCR_AES_CBC, 256, 0 };
	sa.prop[0].t[1] = (struct ike_transform){ IKE_TRANS_PRF,
						  IKE_PRF_HMAC_SHA2_256, 0, 0 };
	sa.prop[0].t[2] = (struct ike_transform){ IKE_TRANS_INTEG,
				IKE_INTEG_HMAC_SHA2_256_128, 0, 0 };
	sa.prop[0].t[3] = (struct ike_transform){ IKE_TRANS_DH,
						  IKE_DH_CURVE25519, 0, 0 };
	sa.prop[1] = sa.prop[0];
	sa.prop[1].num = 2;
	sa.prop[1].ntrans = 3;
	sa.prop[1].t[0].id = IKE_ENCR_AES_GCM_16;
	sa.prop[1].t[2] = sa.prop[1].t[3];

	ike_builder_init_msg(b, &hdr);
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0, IKE_N_COOKIE, cookie,
			 sizeof(cookie));
	ike_sa_write(b, &sa);
	ike_ke_write(b, IKE_DH_CURVE25519, ke, sizeof(ke));
	ike_nonce_write(b, nonce, sizeof(nonce));
	ike_notify_write(b, IKE_PROTO_NONE, NULL, 0,
			 IKE_N_CHILDLESS_IKEV2_SUPPORTED, NULL, 0);
	assert_int_equal(ike_builder_finish(b), IKE_OK);
}

static void test_header_roundtrip(void **state)
{
	struct ike_builder b;
	struct ike_header h;

	(void)state;
	ike_builder_init_msg(&b, &hdr);
	assert_int_equal(ike_builder_finish(&b), IKE_OK);
	assert_int_equal(b.len, IKE_HDR_LEN);
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_OK);
	assert_true(h.spi_i == hdr.spi_i);
	assert_true(h.spi_r == hdr.spi_r);
	assert_int_equal(h.exchange, IKE_SA_INIT);
	assert_int_equal(h.flags, IKE_FLAG_I);
	assert_int_equal(h.msg_id, 0x01020304);
	assert_int_equal(h.version, 0x20);
	assert_int_equal(h.length, IKE_HDR_LEN);
	assert_int_equal(h.next, IKE_PL_NONE);
}

static void test_header_errors(void **state)
{
	struct ike_builder b;
	struct ike_header h;

	(void)state;
	build_sample(&b);
	for (size_t n = 0; n < IKE_HDR_LEN; n++)
		assert_int_equal(ike_header_parse(b.buf, n, &h),
				 IKE_E_TRUNCATED);
	/* A datagram shorter than the Length field says. */
	for (size_t n = IKE_HDR_LEN; n < b.len; n++)
		assert_int_equal(ike_header_parse(b.buf, n, &h),
				 IKE_E_TRUNCATED);
	/* Trailing bytes after the message. */
	assert_int_equal(ike_header_parse(b.buf, b.len + 1, &h), IKE_E_LENGTH);
	/* Length below the header size. */
	ike_put32(b.buf + 24, 27);
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_E_LENGTH);
	ike_put32(b.buf + 24, (uint32_t)b.len);
	/* Major version 1 and 3; a minor version is accepted. */
	b.buf[17] = 0x10;
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_E_VERSION);
	b.buf[17] = 0x30;
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_E_VERSION);
	b.buf[17] = 0x21;
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_OK);
}

static void test_message_roundtrip(void **state)
{
	struct ike_builder b;
	struct ike_header h;
	struct ike_payload_list l;
	struct ike_sa_payload sa;
	struct ike_notify n;
	struct ike_ke ke;

	(void)state;
	build_sample(&b);
	assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_OK);
	assert_int_equal(h.next, IKE_PL_NOTIFY);
	assert_int_equal(ike_payloads_parse(h.next, b.buf + IKE_HDR_LEN,
					    b.len - IKE_HDR_LEN, &l), IKE_OK);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.pl[0].type, IKE_PL_NOTIFY);
	assert_int_equal(l.pl[1].type, IKE_PL_SA);
	assert_int_equal(l.pl[2].type, IKE_PL_KE);
	assert_int_equal(l.pl[3].type, IKE_PL_NONCE);
	assert_int_equal(l.pl[4].type, IKE_PL_NOTIFY);
	assert_false(l.has_sk);

	assert_int_equal(ike_notify_parse(l.pl[0].body, l.pl[0].len, &n),
			 IKE_OK);
	assert_int_equal(n.type, IKE_N_COOKIE);
	assert_int_equal(n.data_len, 8);
	assert_int_equal(n.data[0], 0xc0);

	assert_int_equal(ike_sa_parse(l.pl[1].body, l.pl[1].len, &sa), IKE_OK);
	assert_int_equal(sa.nprop, 2);
	assert_int_equal(sa.prop[0].num, 1);
	assert_int_equal(sa.prop[0].proto, IKE_PROTO_IKE);
	assert_int_equal(sa.prop[0].ntrans, 4);
	assert_int_equal(sa.prop[0].t[0].type, IKE_TRANS_ENCR);
	assert_int_equal(sa.prop[0].t[0].id, IKE_ENCR_AES_CBC);
	assert_int_equal(sa.prop[0].t[0].keylen, 256);
	assert_int_equal(sa.prop[0].t[3].id, IKE_DH_CURVE25519);
	assert_int_equal(sa.prop[1].num, 2);
	assert_int_equal(sa.prop[1].ntrans, 3);
	assert_int_equal(sa.prop[1].t[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(sa.prop[1].t[2].type, IKE_TRANS_DH);

	assert_int_equal(ike_ke_parse(l.pl[2].body, l.pl[2].len, &ke), IKE_OK);
	assert_int_equal(ke.group, IKE_DH_CURVE25519);
	assert_int_equal(ke.len, 32);
	assert_int_equal(ke.data[0], 9);
	assert_int_equal(ike_nonce_parse(l.pl[3].body, l.pl[3].len), IKE_OK);
	assert_int_equal(l.pl[3].len, 32);
}

/* Every prefix of the payload chain must be rejected, never read past. */
static void test_chain_truncations(void **state)
{
	struct ike_builder b;
	struct ike_payload_list l;

	(void)state;
	build_sample(&b);
	for (size_t n = 0; n < b.len - IKE_HDR_LEN; n++) {
		/* A heap-exact copy lets ASan catch any over-read. */
		uint8_t *copy = malloc(n ? n : 1);
		int err;

		assert_non_null(copy);
		memcpy(copy, b.buf + IKE_HDR_LEN, n);
		err = ike_payloads_parse(IKE_PL_NOTIFY, copy, n, &l);
		free(copy);
		assert_true(err == IKE_E_TRUNCATED || err == IKE_E_LENGTH);
	}
}

static void test_chain_bad_lengths(void **state)
{
	struct ike_builder b;
	struct ike_payload_list l;
	uint8_t *p;

	(void)state;
	build_sample(&b);
	p = b.buf + IKE_HDR_LEN;
	/* Payload length below the generic header. */
	for (uint16_t v = 0; v < IKE_GEN_HDR_LEN; v++) {
		ike_put16(p + 2, v);
		assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, p,
				b.len - IKE_HDR_LEN, &l), IKE_E_LENGTH);
	}
	/* Payload length past the end. */
	ike_put16(p + 2, 0xffff);
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, p,
			b.len - IKE_HDR_LEN, &l), IKE_E_TRUNCATED);
	/* Last payload says another one follows. */
	build_sample(&b);
	{
		struct ike_header h;
		size_t off = IKE_HDR_LEN;

		assert_int_equal(ike_header_parse(b.buf, b.len, &h), IKE_OK);
		for (int i = 0; i < 4; i++)
			off += ike_get16(b.buf + off + 2);
		b.buf[off] = IKE_PL_NONCE;
		assert_int_equal(ike_payloads_parse(h.next,
				b.buf + IKE_HDR_LEN, b.len - IKE_HDR_LEN, &l),
				IKE_E_TRUNCATED);
	}
}

static void test_chain_unknown_and_critical(void **state)
{
	/* N(INITIAL_CONTACT), then type 200 (unknown), then Nonce. */
	uint8_t chain[] = {
		200, 0, 0, 8, 0, 0, 0x40, 0x00,
		IKE_PL_NONCE, 0, 0, 6, 0xaa, 0xbb,
		0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
		15, 16,
	};
	struct ike_payload_list l;

	(void)state;
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain), &l), IKE_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.skipped, 1);
	assert_int_equal(l.pl[1].type, IKE_PL_NONCE);
	assert_int_equal(l.pl[1].len, 16);

	/* The same unknown payload with the critical bit: rejected. */
	chain[9] = IKE_CRITICAL;
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain), &l), IKE_E_CRITICAL);
	assert_int_equal(l.bad_critical, 200);

	/* A known type with the critical bit is accepted (2.5). */
	chain[9] = 0;
	chain[1] = IKE_CRITICAL;
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain), &l), IKE_OK);
	assert_true(l.pl[0].critical);
}

static void test_chain_sk_last(void **state)
{
	uint8_t chain[] = {
		IKE_PL_SK, 0, 0, 8, 0, 0, 0x40, 0x00,
		IKE_PL_IDI, 0, 0, 8, 1, 2, 3, 4,
	};
	struct ike_payload_list l;

	(void)state;
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain), &l), IKE_OK);
	assert_true(l.has_sk);
	assert_int_equal(l.sk_first, IKE_PL_IDI);
	assert_int_equal(l.sk_body_off, 12);
	assert_int_equal(l.pl[1].len, 4);
	/* Bytes after the SK payload are an error. */
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain) - 1, &l),
			 IKE_E_TRUNCATED);
	chain[11] = 7;
	assert_int_equal(ike_payloads_parse(IKE_PL_NOTIFY, chain,
					    sizeof(chain), &l), IKE_E_LENGTH);
}

static void test_chain_too_many(void **state)
{
	uint8_t chain[(IKE_MAX_PAYLOADS + 1) * 4];
	struct ike_payload_list l;

	(void)state;
	for (size_t i = 0; i <= IKE_MAX_PAYLOADS; i++) {
		chain[i * 4] = i == IKE_MAX_PAYLOADS ? 0 : IKE_PL_VENDOR;
		chain[i * 4 + 1] = 0;
		ike_put16(chain + i * 4 + 2, 4);
	}
	assert_int_equal(ike_payloads_parse(IKE_PL_VENDOR, chain,
					    sizeof(chain), &l), IKE_E_TOO_MANY);
	assert_int_equal(ike_payloads_parse(IKE_PL_VENDOR, chain,
					    sizeof(chain) - 4, &l),
			 IKE_E_TRUNCATED);
}

static size_t sa_body(struct ike_builder *b, const uint8_t **body)
{
	struct ike_header h;
	struct ike_payload_list l;

	build_sample(b);
	assert_int_equal(ike_header_parse(b->buf, b->len, &h), IKE_OK);
	assert_int_equal(ike_payloads_parse(h.next, b->buf + IKE_HDR_LEN,
					    b->len - IKE_HDR_LEN, &l), IKE_OK);
	*body = l.pl[1].body;
	return l.pl[1].len;
}

static void test_sa_truncations(void **state)
{
	struct ike_builder b;
	struct ike_sa_payload sa;
	const uint8_t *body;
	size_t len = sa_body(&b, &body);

	(void)state;
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		int err;

		assert_non_null(copy);
		memcpy(copy, body, n);
		err = ike_sa_parse(copy, n, &sa);
		free(copy);
		assert_true(err == IKE_E_TRUNCATED || err == IKE_E_LENGTH ||
			    err == IKE_E_SYNTAX);
	}
}

static void test_sa_bad_counts(void **state)
{
	struct ike_builder b;
	struct ike_sa_payload sa;
	const uint8_t *cbody;
	uint8_t body[512];
	size_t len = sa_body(&b, &cbody);

	(void)state;
	memcpy(body, cbody, len);
	/* More transforms than present in the first proposal. */
	body[7] = 5;
	assert_int_not_equal(ike_sa_parse(body, len, &sa), IKE_OK);
	/* Fewer transforms than the proposal length covers. */
	body[7] = 3;
	assert_int_not_equal(ike_sa_parse(body, len, &sa), IKE_OK);
	body[7] = 4;
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_OK);
	/* Over our limit. */
	body[7] = IKE_MAX_TRANSFORMS + 1;
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_E_TOO_MANY);
	body[7] = 4;
	/* First proposal claims to be the last: bytes left over. */
	body[0] = IKE_LAST_PROPOSAL;
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_E_LENGTH);
	/* Bad "last substructure" values. */
	body[0] = 1;
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_E_SYNTAX);
	body[0] = IKE_MORE_PROPOSALS;
	body[8] = IKE_LAST_TRANSFORM;
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_E_SYNTAX);
	body[8] = IKE_MORE_TRANSFORMS;
	/* SPI size larger than the proposal. */
	body[6] = 200;
	assert_int_not_equal(ike_sa_parse(body, len, &sa), IKE_OK);
	body[6] = 0;
	/* Transform length below its header. */
	ike_put16(body + 10, 7);
	assert_int_equal(ike_sa_parse(body, len, &sa), IKE_E_LENGTH);
}

static void test_sa_attributes(void **state)
{
	/* One proposal, one transform with Key Length and an unknown TV. */
	const uint8_t body[] = {
		0, 0, 0, 24, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 16, IKE_TRANS_ENCR, 0, 0, IKE_ENCR_AES_CBC,
		0x80, 14, 0x00, 128, 0x80, 99, 0, 1,
	};
	struct ike_sa_payload sa;
	uint8_t bad[sizeof(body)];

	(void)state;
	assert_int_equal(ike_sa_parse(body, sizeof(body), &sa), IKE_OK);
	assert_int_equal(sa.prop[0].t[0].keylen, 128);
	assert_true(sa.prop[0].t[0].unknown_attr);
	/* A TLV attribute whose length runs past the transform. */
	memcpy(bad, body, sizeof(bad));
	bad[20] = 0x00;
	bad[23] = 9;
	assert_int_equal(ike_sa_parse(bad, sizeof(bad), &sa), IKE_E_TRUNCATED);
}

static void test_small_payloads(void **state)
{
	const uint8_t del_ike[] = { IKE_PROTO_IKE, 0, 0, 0 };
	const uint8_t del_esp[] = { IKE_PROTO_ESP, 4, 0, 2, 1, 2, 3, 4,
				    5, 6, 7, 8 };
	const uint8_t notify[] = { 0, 4, 0, 11, 0xde, 0xad, 0xbe, 0xef,
				   1, 2 };
	const uint8_t id4[] = { IKE_ID_IPV4_ADDR, 0, 0, 0, 192, 0, 2, 1 };
	const uint8_t id4bad[] = { IKE_ID_IPV4_ADDR, 0, 0, 0, 192, 0, 2 };
	struct ike_delete d;
	struct ike_notify n;
	struct ike_typed_data td;
	struct ike_ke ke;

	(void)state;
	assert_int_equal(ike_delete_parse(del_ike, 4, &d), IKE_OK);
	assert_int_equal(d.proto, IKE_PROTO_IKE);
	assert_int_equal(ike_delete_parse(del_esp, sizeof(del_esp), &d),
			 IKE_OK);
	assert_int_equal(d.nspi, 2);
	assert_int_equal(ike_delete_parse(del_esp, sizeof(del_esp) - 1, &d),
			 IKE_E_LENGTH);
	assert_int_equal(ike_delete_parse(del_esp, 3, &d), IKE_E_TRUNCATED);

	assert_int_equal(ike_notify_parse(notify, sizeof(notify), &n), IKE_OK);
	assert_int_equal(n.type, IKE_N_INVALID_SPI);
	assert_int_equal(n.spi_size, 4);
	assert_int_equal(n.spi[0], 0xde);
	assert_int_equal(n.data_len, 2);
	assert_int_equal(ike_notify_parse(notify, 7, &n), IKE_E_TRUNCATED);
	assert_int_equal(ike_notify_parse(notify, 3, &n), IKE_E_TRUNCATED);

	assert_int_equal(ike_id_payload_parse(id4, sizeof(id4), &td), IKE_OK);
	assert_int_equal(td.len, 4);
	assert_int_equal(ike_id_payload_parse(id4bad, sizeof(id4bad), &td),
			 IKE_E_LENGTH);
	assert_int_equal(ike_id_payload_parse(id4, 4, &td), IKE_E_SYNTAX);
	assert_int_equal(ike_auth_payload_parse(id4, 3, &td),
			 IKE_E_TRUNCATED);
	assert_int_equal(ike_ke_parse(id4, 4, &ke), IKE_E_SYNTAX);

	assert_int_equal(ike_nonce_parse(id4, 15), IKE_E_LENGTH);
	assert_int_equal(ike_nonce_parse(id4, 16), IKE_OK);
	assert_int_equal(ike_nonce_parse(id4, 256), IKE_OK);
	assert_int_equal(ike_nonce_parse(id4, 257), IKE_E_LENGTH);
}

static void test_builder_overflow(void **state)
{
	static uint8_t big[IKE_MSG_MAX];
	struct ike_builder b;

	(void)state;
	ike_builder_init_msg(&b, &hdr);
	ike_nonce_write(&b, big, sizeof(big));
	assert_int_equal(ike_builder_finish(&b), IKE_E_SPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_roundtrip),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_message_roundtrip),
		cmocka_unit_test(test_chain_truncations),
		cmocka_unit_test(test_chain_bad_lengths),
		cmocka_unit_test(test_chain_unknown_and_critical),
		cmocka_unit_test(test_chain_sk_last),
		cmocka_unit_test(test_chain_too_many),
		cmocka_unit_test(test_sa_truncations),
		cmocka_unit_test(test_sa_bad_counts),
		cmocka_unit_test(test_sa_attributes),
		cmocka_unit_test(test_small_payloads),
		cmocka_unit_test(test_builder_overflow),
	};

	return cmocka_run_group_tests_name("ike_codec", tests, NULL, NULL);
}
