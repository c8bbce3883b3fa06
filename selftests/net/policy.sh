#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The module's per-operation netlink policies (selftests/tools/spirec-genl
# sends requests with exactly the attributes it is given): KNOWN_ADD and
# KNOWN_DEL take family, addr and prefixlen only; every other request
# takes no attribute. A stray attribute is refused with EINVAL (a value
# out of range: ERANGE) and an extack message, and changes nothing.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_TESTS="bare_requests_accepted stray_attr_refused known_extra_attr_refused
	known_add_del_accepted"

# uapi/linux/spirec.h
CMD_GET_STATS=1
CMD_GET_PEERS=2
CMD_FLUSH_PEERS=3
CMD_KNOWN_ADD=4
CMD_KNOWN_DEL=5
CMD_KNOWN_GET=6
A_FAMILY=2
A_SRC=3
A_SPI=5
A_ADDR=13
A_PREFIXLEN=14
ADDR_203_0_113_5=cb007105

setup() {
	ns_add NS_B spirec-b || return 1
	sc_set "$NS_B" enabled 1
}

genl() { in_ns "$NS_B" "$GENL" "$@"; }

# refused WHAT ERRNO ARGS...: spirec-genl ARGS must get ERRNO with a
# message.
refused() {
	local what=$1 errno=$2 out
	shift 2
	out=$(genl "$@" 2>&1)
	if [[ $out != "error $errno: "* ]]; then
		check_fail "$what: expected 'error $errno: MESSAGE', got '$out'"
		return 1
	fi
	if [[ $out == "error $errno: -" ]]; then
		check_fail "$what: refused without an extack message"
		return 1
	fi
	log "$what: $out"
}

bare_requests_accepted() {
	check_eq "GET_STATS" ok "$(genl $CMD_GET_STATS 2>&1)"
	check_eq "GET_PEERS dump" ok "$(genl -d $CMD_GET_PEERS 2>&1)"
	check_eq "FLUSH_PEERS" ok "$(genl $CMD_FLUSH_PEERS 2>&1)"
	check_eq "KNOWN_GET dump" ok "$(genl -d $CMD_KNOWN_GET 2>&1)"
}

stray_attr_refused() {
	refused "GET_STATS with a family" 22 $CMD_GET_STATS $A_FAMILY:u16:2
	refused "FLUSH_PEERS with an SPI" 22 $CMD_FLUSH_PEERS $A_SPI:u32:7
	refused "GET_PEERS dump with an address" 22 -d $CMD_GET_PEERS \
		$A_ADDR:hex:$ADDR_203_0_113_5
	refused "KNOWN_GET dump with a family" 22 -d $CMD_KNOWN_GET $A_FAMILY:u16:2
	refused "FLUSH_PEERS with an unknown attribute type" 22 $CMD_FLUSH_PEERS 200:u8:1
}

known_extra_attr_refused() {
	refused "KNOWN_ADD with a source address besides the prefix" 22 \
		$CMD_KNOWN_ADD $A_FAMILY:u16:2 $A_ADDR:hex:$ADDR_203_0_113_5 \
		$A_SRC:hex:$ADDR_203_0_113_5
	refused "KNOWN_ADD with prefixlen 129" 34 $CMD_KNOWN_ADD $A_FAMILY:u16:2 \
		$A_ADDR:hex:$ADDR_203_0_113_5 $A_PREFIXLEN:u8:129
	check_eq "known list after the refusals" "" "$(ctl "$NS_B" known list 2>&1)"
}

known_add_del_accepted() {
	check_eq "KNOWN_ADD" ok "$(genl $CMD_KNOWN_ADD $A_FAMILY:u16:2 \
		$A_ADDR:hex:$ADDR_203_0_113_5 $A_PREFIXLEN:u8:32 2>&1)"
	check_eq "known list" 203.0.113.5/32 "$(ctl "$NS_B" known list 2>&1)"
	check_eq "KNOWN_DEL" ok "$(genl $CMD_KNOWN_DEL $A_FAMILY:u16:2 \
		$A_ADDR:hex:$ADDR_203_0_113_5 2>&1)"
	check_eq "known list" "" "$(ctl "$NS_B" known list 2>&1)"
}

ktap_main "$@"
