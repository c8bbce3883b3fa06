#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the test bed's own test: what every spirec kernel test
# relies on works in the VM. Prints KTAP, exits non-zero on any failure.
# Run it with: selftests/vm/vm.sh selftests/vm/selftest/guest-smoke.sh

top=$(cd "$(dirname "$0")/../../.." && pwd)
n=0 failed=0
ns1=smoke-a ns2=smoke-b

# check NAME CMD...: one KTAP test line for CMD's success.
check() {
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

# esp_packets NS: packets counted by all of NS's SAs.
esp_packets() {
	ip -n "$1" -s xfrm state list | grep -A1 'lifetime current:' |
		grep -o '[0-9]*(packets)' | tr -d '(packets)' |
		awk '{ total += $1 } END { print total + 0 }'
}

setup_netns() {
	ip netns add $ns1 && ip netns add $ns2 &&
	ip -n $ns1 link set lo up && ip -n $ns2 link set lo up &&
	ip -n $ns1 link add veth0 type veth peer name veth0 netns $ns2 &&
	ip -n $ns1 addr add 192.0.2.1/24 dev veth0 &&
	ip -n $ns2 addr add 192.0.2.2/24 dev veth0 &&
	ip -n $ns1 link set veth0 up && ip -n $ns2 link set veth0 up
}

# Transport-mode ESP both ways, keys written out (AES-GCM-128 + salt).
setup_esp() {
	local key=0x0123456789abcdef0123456789abcdef01020304 ns
	for ns in $ns1 $ns2; do
		ip -n $ns xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
			spi 0x1001 reqid 1 mode transport \
			aead 'rfc4106(gcm(aes))' $key 128 || return 1
		ip -n $ns xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp \
			spi 0x1002 reqid 1 mode transport \
			aead 'rfc4106(gcm(aes))' $key 128 || return 1
	done
	ip -n $ns1 xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir out \
		tmpl proto esp reqid 1 mode transport &&
	ip -n $ns1 xfrm policy add src 192.0.2.2 dst 192.0.2.1 dir in \
		tmpl proto esp reqid 1 mode transport &&
	ip -n $ns2 xfrm policy add src 192.0.2.2 dst 192.0.2.1 dir out \
		tmpl proto esp reqid 1 mode transport &&
	ip -n $ns2 xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir in \
		tmpl proto esp reqid 1 mode transport
}

ping_through_esp() {
	local before after
	before=$(esp_packets $ns1)
	ip netns exec $ns1 ping -c 3 -i 0.2 -W 2 192.0.2.2 || return 1
	after=$(esp_packets $ns1)
	echo "ESP packets counted by $ns1's SAs: $before -> $after"
	[ "$after" -ge $((before + 6)) ]
}

# The module under test if the kernel engineer built it, else a stock one.
insmod_rmmod() {
	local ko name
	if [ -f "$top/kmod/spirec.ko" ]; then
		ko=$top/kmod/spirec.ko
	else
		ko=$(modinfo -n dummy) || return 1
	fi
	name=$(basename "$ko"); name=${name%%.ko*}
	echo "module: $ko"
	case "$ko" in
	*.ko) insmod "$ko" || return 1 ;;
	*) modprobe "$name" || return 1 ;;
	esac
	grep -q "^$name " /proc/modules || return 1
	rmmod "$name"
}

echo "KTAP version 1"
echo "1..8"
check "guest runs as root" test "$(id -u)" = 0
check "results share /out is writable" sh -c 'echo x > "$SPIREC_OUT/smoke" && rm "$SPIREC_OUT/smoke"'
check "modprobe veth" modprobe veth
check "two netns joined by veth" setup_netns
check "ping between the netns" ip netns exec $ns1 ping -c 1 -W 5 192.0.2.2
check "manual ESP SAs and policies" setup_esp
check "ping through ESP counted by the SAs" ping_through_esp
check "insmod and rmmod" insmod_rmmod
ip netns del $ns1 2>/dev/null
ip netns del $ns2 2>/dev/null
[ $failed -eq 0 ]
