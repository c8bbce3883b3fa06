// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: SPIREC_CMD_EVENT parser and its JSON line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/spirec.h>

#include "event.h"
#include "event_json.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	static FILE *sink;
	struct spirec_event_msg ev;
	const char *why = NULL;
	int ret;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!fuzz_input_load(&in, data, size))
		return 0;
	ret = spirec_event_msg_parse(in.buf, in.len, &ev, &why);
	if (ret == -EBADMSG && !why)
		abort();	/* every rejection names its reason */
	if (ret)
		return 0;
	/* What the parser accepts is consistent. */
	if (ev.src.family != ev.family || ev.dst.family != ev.family ||
	    (ev.proto != IPPROTO_ESP && ev.proto != IPPROTO_AH) ||
	    ev.encap > SPIREC_ENCAP_UDP ||
	    (ev.encap == SPIREC_ENCAP_UDP && ev.proto != IPPROTO_ESP) ||
	    (ev.encap == SPIREC_ENCAP_NONE && (ev.sport || ev.dport)))
		abort();
	if (sink)
		spirec_event_write_json(&ev, sink);
	return 0;
}
