# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# charon-conf.sh: the strongswan.conf of every charon of the tests (the
# interop tests through charon.sh, the e2e scenario through
# selftests/e2e/lib.sh): its vici socket DIR/charon.vici, its log
# DIR/charon.log, its own /run in DIR/run. Sourcing it defines only.

# Log levels for charon_conf: the exchanges, or (for the known-answer
# tests of kat-extract.py and kat-extract-v1.py) keys, decrypted payloads
# and packets too.
CHARON_LOG_LOW="default = 1
			ike = 2
			cfg = 1"
CHARON_LOG_KAT="default = 1
			ike = 4
			enc = 4
			net = 4
			cfg = 2"

# charon_conf DIR LOG [SETTINGS]: DIR/strongswan.conf; LOG: the log levels
# ("default = 1" lines) and other settings of the file log DIR/charon.log,
# SETTINGS: further lines of the charon section (ports, retransmissions).
charon_conf() {
	mkdir -p "$1/run"
	cat > "$1/strongswan.conf" <<EOC
charon {
	install_routes = no
	install_virtual_ip = no
	${3:-}
	load = random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 x509 kdf vici socket-default kernel-netlink
	plugins {
		vici { socket = unix://$1/charon.vici }
	}
	filelog {
		spirec {
			path = $1/charon.log
			time_format = %T
			flush_line = yes
			$2
		}
	}
	syslog { daemon { default = -1 } }
}
EOC
}
