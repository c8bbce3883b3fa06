// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SPIREC_CMD_GET_PEERS dump message parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/spirec.h>

#include "fuzz_input.h"
#include "peer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	char text[INET6_ADDRSTRLEN];
	struct spirec_peer_row p;
	const char *why = NULL;
	int ret;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	ret = spirec_peer_row_parse(in.buf, in.len, &p, &why);
	if (ret == -EBADMSG && !why)
		abort();
	if (ret)
		return 0;
	if (!spirec_addr_len(p.addr.family) || p.last_encap > SPIREC_ENCAP_UDP)
		abort();
	spirec_addr_format(&p.addr, text, sizeof(text));
	return 0;
}
