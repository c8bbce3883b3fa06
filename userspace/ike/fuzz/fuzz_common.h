/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SPIREC_IKE_FUZZ_COMMON_H
#define SPIREC_IKE_FUZZ_COMMON_H

#include "../codec.h"

/* Every typed payload parser on the entries of @pl; aborts on a result
 * that breaks the parsers' promises. */
void ike_fuzz_payloads(const struct ike_payload_list *pl);

#endif
