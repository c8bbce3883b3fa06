#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirecd --recover against a real strongSwan charon in a network
# namespace of its own (documentation addresses only). Prints TAP.
#   spirecd/tests/recover-charon.sh
# Environment: SPIRECD (default build/spirecd), CHARON.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SPIRECD=${SPIRECD:-$here/../../build/spirecd}
. "$here/../../../selftests/lib/charon.sh"
charon_require "$SPIRECD"

charon_tmp spirecd-recover
NS=spirecd-rec-$$
new_ns "$NS" 192.0.2.1 192.0.2.2 || skip_all "ip netns add failed"
charon_conf "$tmp" "$CHARON_LOG_LOW"
cat > "$tmp/swanctl.conf" <<EOC
connections { gw { version = 2
	local_addrs = 192.0.2.1
	remote_addrs = %any
	local { auth = psk
		id = router-a.example.org }
	remote { auth = psk }
	children { net { local_ts = 192.0.2.1/32
			 remote_ts = 192.0.2.2/32 } } } }
secrets { ike-1 { secret = "a secret" } }
EOC
charon_up "$tmp" "$NS"

cat > "$tmp/spirecd.conf" <<EOC
[peer router-a]
address = 192.0.2.1
local_id = router-b.example.org
remote_id = router-a.example.org
psk = "a secret"
ike = aes128-sha256-x25519
EOC
sed 's/"a secret"/"the wrong secret"/' "$tmp/spirecd.conf" > "$tmp/wrong.conf"
# An inline psk in a file group or others can read is refused.
chmod 600 "$tmp/spirecd.conf" "$tmp/wrong.conf"

run() { # EXPECTED_RC ARGS...
	local want=$1 rc; shift
	ip netns exec "$NS" "$SPIRECD" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?
	[ "$rc" = "$want" ] || { sed 's/^/# /' "$tmp/out" "$tmp/err"; echo "# rc $rc, wanted $want"; return 1; }
}

if run 0 -c "$tmp/spirecd.conf" --recover 192.0.2.1 --spi 0xc0ffee01 &&
	grep -qx "invalid_spi_acked=1" "$tmp/out" && grep -qx "status=ok" "$tmp/out" &&
	grep -q "N(INIT_CONTACT)" "$tmp/charon.log"; then
	ok "--recover: peer answered INVALID_SPI, exit 0"
else
	not_ok "--recover against charon"
fi
if run 1 -c "$tmp/wrong.conf" --recover 192.0.2.1 --spi 0x1 &&
	grep -qx "status=authentication failed" "$tmp/out" &&
	grep -qx "invalid_spi_acked=0" "$tmp/out"; then
	ok "--recover with a wrong PSK: authentication failed, exit 1"
else
	not_ok "--recover with a wrong PSK"
fi
if run 2 -c "$tmp/spirecd.conf" --recover 192.0.2.99 --spi 0x1 &&
	grep -q "no \[peer\] in .* has address 192.0.2.99" "$tmp/err"; then
	ok "--recover toward an address not in the file: exit 2"
else
	not_ok "--recover toward an unknown address"
fi
if run 2 -c "$tmp/spirecd.conf" --recover 192.0.2.1 --spi 0x1ffffffff; then
	ok "--recover with a bad SPI: exit 2"
else
	not_ok "--recover with a bad SPI"
fi
tap_end
