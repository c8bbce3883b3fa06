#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirecctl against the real module, in the test VM (root, throw-away
# kernel); every packet stays inside two network namespaces made here:
#
#   selftests/vm/vm.sh userspace/spirecctl/tests/vm-smoke.sh
#
# Loads kmod/spirec.ko, sends ESP, AH and ESP-in-UDP with unknown SPIs from
# namespace A to B, and checks spirecctl's output for every command: text,
# JSON, errors (extack text, missing CAP_NET_ADMIN) and exit statuses.
# Prints "ok N - what" / "not ok N - what"; exits 1 if any check failed.

set -u
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
CTL=$TOP/userspace/build/spirecctl
SEND=$TOP/selftests/tools/build/spirec-send
A=spctl-a-$$
B=spctl-b-$$
TMP=$(mktemp -d)
N=0
FAILED=0

ok() {
	N=$((N + 1))
	echo "ok $N - $1"
}
not_ok() {
	N=$((N + 1))
	FAILED=1
	echo "not ok $N - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
}
# expect WHAT RC CMD...: CMD exits RC; its stdout/stderr in $TMP/out, err.
expect() {
	local what=$1 want=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what (exit $rc, want $want)" "$(cat "$TMP/out" "$TMP/err")"
	fi
}
# match WHAT FILE REGEX
match() {
	if grep -qE -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1: no line matches /$3/" "$(cat "$2")"
	fi
}
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
inb() { ip netns exec "$B" "$@"; }
# wait_listener: until a monitor listens in B (at most 10 s).
wait_listener() {
	local i
	for i in $(seq 100); do
		inb "$CTL" -j stats | grep -q '"listeners":true' && return 0
		sleep 0.1
	done
	return 1
}

echo "TAP version 13"
expect "status without module exits 1" 1 "$CTL" status
match "status says not loaded" "$TMP/out" "^module: +not loaded"
expect "stats without module exits 1" 1 "$CTL" stats
match "one-line module hint" "$TMP/err" "^spirecctl: generic netlink family 'spirec' not found: load the module with 'modprobe spirec' \(or insmod kmod/spirec.ko\)$"

insmod "$TOP/kmod/spirec.ko" || { echo "Bail out! insmod failed"; exit 1; }

ip netns add "$A"
ip netns add "$B"
ip -n "$A" link add veth0 type veth peer name veth0 netns "$B"
ip -n "$A" addr add 192.0.2.1/24 dev veth0
ip -n "$A" addr add 192.0.2.3/24 dev veth0
ip -n "$A" addr add 192.0.2.4/24 dev veth0
ip -n "$B" addr add 192.0.2.2/24 dev veth0
ip -n "$A" addr add 2001:db8::1/64 dev veth0 nodad
ip -n "$B" addr add 2001:db8::2/64 dev veth0 nodad
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set veth0 up
done

expect "status in B" 0 inb "$CTL" status
match "status: loaded" "$TMP/out" "^module: +loaded"
match "status: disabled by default" "$TMP/out" "^enabled: +no$"
expect "enable" 0 inb "$CTL" enable
expect "-j status" 0 inb "$CTL" -j status
match "-j status: enabled" "$TMP/out" '^\{"module":true,.*"enabled":true,'

# Monitor: three events (ESP, AH, ESP-in-UDP from IPv6), at most 20 s;
# three peers, so that no rate limit holds any of them back.
inb "$CTL" monitor -j -c 3 -t 20 >"$TMP/mon" 2>"$TMP/mon.err" &
MON=$!
wait_listener
ip netns exec "$A" "$SEND" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi 0x1234 -q
sleep 0.2
ip netns exec "$A" "$SEND" -4 -s 192.0.2.3 -d 192.0.2.2 -p ah --spi 0x5678 -q
sleep 0.2
ip netns exec "$A" "$SEND" -6 -s 2001:db8::1 -d 2001:db8::2 -p udp --spi 0xc0ffee01 -q
wait $MON
rc=$?
[ $rc = 0 ] && ok "monitor -c 3 exits 0" || not_ok "monitor exit $rc" "$(cat "$TMP/mon.err")"
[ "$(wc -l <"$TMP/mon")" = 3 ] && ok "three JSON lines" || not_ok "line count" "$(cat "$TMP/mon")"
match "ESP event" "$TMP/mon" '^\{"family":"inet","src":"192.0.2.1","dst":"192.0.2.2","spi":"0x00001234","proto":"esp","encap":"none","ifindex":[0-9]+,"mark":0,"suppressed":[0-9]+\}$'
match "AH event" "$TMP/mon" '^\{"family":"inet","src":"192.0.2.3","dst":"192.0.2.2","spi":"0x00005678","proto":"ah","encap":"none","ifindex":[0-9]+,"mark":0,"suppressed":[0-9]+\}$'
match "ESP-in-UDP event" "$TMP/mon" '^\{"family":"inet6","src":"2001:db8::1","dst":"2001:db8::2","spi":"0xc0ffee01","proto":"esp","encap":"udp","sport":4500,"dport":4500,"ifindex":[0-9]+,"mark":0,"suppressed":[0-9]+\}$'

# Text monitor: one line per event.
inb "$CTL" monitor -c 1 -t 20 >"$TMP/tmon" 2>&1 &
MON=$!
wait_listener
ip netns exec "$A" "$SEND" -4 -s 192.0.2.4 -d 192.0.2.2 -p udp --spi 0xabcdef -q
wait $MON && ok "text monitor exits 0" || not_ok "text monitor" "$(cat "$TMP/tmon")"
match "text event line" "$TMP/tmon" "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}  esp-in-udp 192\.0\.2\.4:4500 -> 192\.0\.2\.2:4500  spi 0x00abcdef  dev veth0  mark 0x0  suppressed 0$"
cat "$TMP/tmon" | sed 's/^/# /'

# Text monitor with a time limit and no traffic: exits 0 after ~1 s.
start=$(date +%s%N)
expect "monitor -t 1 exits 0" 0 inb "$CTL" monitor -t 1
el=$((($(date +%s%N) - start) / 1000000))
[ $el -ge 900 ] && [ $el -lt 5000 ] && ok "monitor -t 1 took ${el} ms" || not_ok "monitor -t 1 took ${el} ms"

expect "peers" 0 inb "$CTL" peers
match "peers header" "$TMP/out" "^peer +packets +events +suppressed +last spi +proto +last seen +known$"
match "peers ESP row" "$TMP/out" "^192\.0\.2\.1 +1 +1 +0 +0x00001234 +esp +[0-9.]+m?s +no$"
match "peers AH row" "$TMP/out" "^192\.0\.2\.3 +1 +1 +0 +0x00005678 +ah +[0-9.]+m?s +no$"
match "peers IPv6 row" "$TMP/out" "^2001:db8::1 +[0-9]+ +[0-9]+ +[0-9]+ +0xc0ffee01 +esp-in-udp "
expect "-j peers" 0 inb "$CTL" -j peers
match "-j peers IPv6 entry" "$TMP/out" '"family":"inet6","address":"2001:db8::1","packets":1,"events":1,"suppressed":0,"last_spi":"0xc0ffee01","last_proto":"esp","last_encap":"udp","last_seen_ms":[0-9]+,"known":false'

expect "stats" 0 inb "$CTL" stats
match "stats events" "$TMP/out" "^events: +4$"
match "stats unknown_ah" "$TMP/out" "^unknown_ah: +1$"
expect "-j stats" 0 inb "$CTL" -j stats
match "-j stats keys" "$TMP/out" '^\{"enabled":true,"listeners":false,"peer_count":4,"inspected":[0-9]+,"unknown_esp":[0-9]+,"unknown_ah":1,"unknown_espinudp":2,"malformed":0,"events":4,'

expect "known add" 0 inb "$CTL" known add 198.51.100.0/24
expect "known add v6" 0 inb "$CTL" known add 2001:db8::1
expect "known add again exits 1" 1 inb "$CTL" known add 198.51.100.0/24
match "duplicate: extack text" "$TMP/err" "^spirecctl: known add 198\.51\.100\.0/24: File exists: .+$"
expect "known list" 0 inb "$CTL" known list
match "known list v4" "$TMP/out" "^198\.51\.100\.0/24$"
match "known list v6" "$TMP/out" "^2001:db8::1/128$"
expect "-j known list" 0 inb "$CTL" -j known list
match "-j known list" "$TMP/out" '^\[\{"family":"inet","address":"198.51.100.0","prefixlen":24\},\{"family":"inet6","address":"2001:db8::1","prefixlen":128\}\]$|^\[\{"family":"inet6","address":"2001:db8::1","prefixlen":128\},\{"family":"inet","address":"198.51.100.0","prefixlen":24\}\]$'
expect "known del" 0 inb "$CTL" known del 198.51.100.0/24
expect "known del missing exits 1" 1 inb "$CTL" known del 198.51.100.0/24
match "missing: extack text" "$TMP/err" "^spirecctl: known del 198\.51\.100\.0/24: No such file or directory: .+$"
expect "known add bad address exits 2" 2 inb "$CTL" known add 198.51.100.1/24

expect "flush" 0 inb "$CTL" flush
expect "-j peers after flush" 0 inb "$CTL" -j peers
match "table empty" "$TMP/out" '^\[\]$'

# Without CAP_NET_ADMIN: stats work, the rest says what is missing.
nobody() { inb setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$CTL" "$@"; }
expect "stats as nobody" 0 nobody stats
expect "peers as nobody exits 1" 1 nobody peers
match "peers as nobody: CAP_NET_ADMIN" "$TMP/err" "^spirecctl: peers: Operation not permitted: CAP_NET_ADMIN is needed$"
expect "monitor as nobody exits 1" 1 nobody monitor -c 1
match "monitor as nobody: CAP_NET_ADMIN" "$TMP/err" "^spirecctl: monitor: joining the 'events' group: Operation not permitted: CAP_NET_ADMIN is needed$"
expect "disable as nobody exits 1" 1 nobody disable
match "disable as nobody: CAP_NET_ADMIN" "$TMP/err" "CAP_NET_ADMIN is needed$"

# A monitor that cannot keep up: the kernel drops events (ENOBUFS); the
# monitor says so on stderr and goes on.
inb sh -c 'echo 0 >/proc/sys/net/spirec/peer_interval_ms; echo 100000 >/proc/sys/net/spirec/global_rate'
# Not through inb(): $! must be spirecctl itself (ip netns exec execs it).
ip netns exec "$B" "$CTL" -j monitor -t 8 >"$TMP/fmon" 2>"$TMP/fmon.err" &
MON=$!
wait_listener
kill -STOP $MON
[ "$(cat /proc/$MON/comm)" = spirecctl ] && ok "stopped the monitor itself" ||
	not_ok "pid $MON is $(cat /proc/$MON/comm), not spirecctl"
ip netns exec "$A" "$SEND" -4 -s 192.0.2.1 -d 192.0.2.2 -p esp --spi random -c 5000 -q
kill -CONT $MON
wait $MON && ok "overrun monitor exits 0" || not_ok "overrun monitor exit" "$(cat "$TMP/fmon.err")"
match "overrun reported" "$TMP/fmon.err" "^spirecctl: warning: events were lost: the socket's receive buffer overflowed \(ENOBUFS\)$"
echo "# overrun: $(wc -l <"$TMP/fmon") events read, stderr: $(cat "$TMP/fmon.err")"

for c in status stats peers; do
	echo "# spirecctl $c:"
	inb "$CTL" $c | sed 's/^/#   /'
done

expect "disable" 0 inb "$CTL" disable
expect "status after disable" 0 inb "$CTL" status
match "disabled" "$TMP/out" "^enabled: +no$"

echo "1..$N"
exit $FAILED
