# SPDX-License-Identifier: GPL-2.0-or-later
# sed script: spirecd@.service from spirecd.service (make install). One
# spirecd per network namespace (VRF-like routing domain): instance NAME
# joins /run/netns/NAME (made by `ip netns add NAME`), reads
# /etc/spirec/NAME.conf and writes its status to
# /run/spirec-netns/NAME/spirecd.status, where `spirecctl -n NAME status`
# looks (not under /run/spirec, which spirecd.service removes when it
# stops). Everything else, the least-privilege settings included, is
# spirecd.service's.
s|^# spirecd: recover IPsec peers.*|# spirecd@NAME: spirecd in network namespace NAME (spirecd(8)).|
s|^Description=.*|Description=spirec invalid-SPI recovery daemon in network namespace %i|
s|/etc/spirec/spirecd\.conf|/etc/spirec/%i.conf|g
/^\[Service\]$/a\
# systemd joins the namespace before it drops to User= (the namespace\
# must exist: the unit fails to start otherwise).\
NetworkNamespacePath=/run/netns/%i\
Environment=SPIRECD_STATUS_FILE=/run/spirec-netns/%i/spirecd.status
s|^RuntimeDirectory=spirec$|RuntimeDirectory=spirec-netns/%i|
s|^# /run/spirec (writable|# /run/spirec-netns/%i (writable|
