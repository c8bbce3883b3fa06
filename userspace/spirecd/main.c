// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd: recover IPsec peers that keep sending to SAs this host lost.
 * See spirecd(8).
 *
 *   spirecd [-f] [-d] [-c FILE]
 *   spirecd -c FILE --check-config
 *   spirecd -c FILE --recover ADDRESS --spi SPI [--proto esp|ah]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "action.h"
#include "daemon.h"
#include "log.h"
#include "privdrop.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: spirecd [-f] [-d] [-c FILE] [-u USER]\n"
		"       spirecd [-c FILE] --check-config\n"
		"       spirecd [-c FILE] [-d] --recover ADDRESS --spi SPI [--proto esp|ah]\n"
		"  -c, --config FILE   configuration (default %s)\n"
		"  -f, --foreground    do not detach\n"
		"  -d, --debug         debug messages\n"
		"      --check-config  check the configuration and exit\n"
		"      --recover ADDR  one ikev2 or ikev1 recovery (the peer's\n"
		"                      action) toward ADDR with its [peer]\n"
		"                      settings, then exit (0: ikev2: the peer\n"
		"                      answered INVALID_SPI; ikev1: Main\n"
		"                      Mode done, Delete and INVALID-SPI sent)\n"
		"      --spi SPI       the SPI for --recover (0x... or decimal)\n"
		"      --proto P       the SPI's protocol, esp (default) or ah\n"
		"  -u, --user USER     after start-up run as USER with only\n"
		"                      CAP_NET_ADMIN and CAP_NET_RAW (overrides\n"
		"                      user = )\n"
		"  -V, --version       print the version and exit\n",
		SPIRECD_DEFAULT_CONFIG);
}

static int recover_once(const struct spirecd_config *cfg, const char *addr,
			const char *spi_s, const char *proto)
{
	bool v1;
	const struct spirecd_peer_cfg *pc;
	struct spirec_event_msg ev = { 0 };
	struct ike_result res;
	unsigned long long spi;
	char *end;

	if (spirec_addr_parse(addr, &ev.src)) {
		fprintf(stderr, "spirecd: --recover: '%s' is not an IPv4 or IPv6 address\n",
			addr);
		return 2;
	}
	errno = 0;
	spi = strtoull(spi_s, &end, 0);
	if (!*spi_s || *end || errno || spi > 0xffffffffULL) {
		fprintf(stderr, "spirecd: --spi: '%s' is not a 32-bit number\n",
			spi_s);
		return 2;
	}
	pc = spirecd_config_find(cfg, &ev.src);
	if (!pc) {
		fprintf(stderr, "spirecd: --recover: no [peer] in %s has address %s\n",
			cfg->path, addr);
		return 2;
	}
	v1 = pc->action == SPIRECD_ACTION_IKEV1;
	if ((!v1 && !pc->local_id) || !pc->psk) {
		fprintf(stderr, "spirecd: --recover: [peer %s] needs %spsk or psk_file\n",
			pc->name, v1 ? "" : "local_id and ");
		return 2;
	}
	if (!proto || !strcmp(proto, "esp")) {
		ev.proto = IPPROTO_ESP;
	} else if (!strcmp(proto, "ah")) {
		ev.proto = IPPROTO_AH;
	} else {
		fprintf(stderr, "spirecd: --proto: '%s' is neither esp nor ah\n",
			proto);
		return 2;
	}
	ev.family = ev.src.family;
	ev.spi = (uint32_t)spi;
	memset(&res, 0, sizeof(res));
	if (v1)
		spirecd_ikev1_run(cfg, pc, &ev, &res);
	else
		spirecd_ikev2_run(cfg, pc, &ev, &res);
	printf("peer=%s\naddress=%s\nspi=0x%08x\nproto=%s\naction=%s\n",
	       pc->name, addr, ev.spi, spirec_proto_name(ev.proto),
	       v1 ? "ikev1" : "ikev2");
	printf("status=%s\n", ike_status_str(res.status));
	if (res.error[0])
		printf("error=%s\n", res.error);
	printf("ike_spi_i=%016llx\nike_spi_r=%016llx\nsuite=%s\n",
	       (unsigned long long)res.spi_i, (unsigned long long)res.spi_r,
	       res.suite);
	printf("natt=%d\nauthenticated=%d\ninvalid_spi_acked=%d\ndeleted=%d\n",
	       res.natt, res.authenticated, res.invalid_spi_acked,
	       res.deleted);
	printf("peer_create_child=%d\npeer_notify=%u\nretransmits=%u\nelapsed_ms=%u\n",
	       res.peer_create_child, res.peer_notify, res.retransmits,
	       res.elapsed_ms);
	if (v1) {
		printf("invalid_spi_sent=%d\ndelete_sent=%d\n",
		       res.invalid_spi_sent, res.delete_sent);
		return res.status == IKE_STATUS_OK && res.delete_sent ? 0 : 1;
	}
	return res.invalid_spi_acked ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "recover", required_argument, NULL, 'R' },
		{ "spi", required_argument, NULL, 'S' },
		{ "proto", required_argument, NULL, 'P' },
		{ "version", no_argument, NULL, 'V' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = SPIRECD_DEFAULT_CONFIG, *recover = NULL,
		   *spi = NULL, *user = NULL, *proto = NULL;
	char err[256];
	bool foreground = false, debug = false, check = false;
	struct spirecd_cfgref *ref;
	unsigned int problems;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "c:fdhVu:", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': path = optarg; break;
		case 'f': foreground = true; break;
		case 'd': debug = true; break;
		case 'C': check = true; break;
		case 'R': recover = optarg; break;
		case 'S': spi = optarg; break;
		case 'P': proto = optarg; break;
		case 'u': user = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("spirecd %s\n", SPIREC_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (!recover != !spi) || (check && recover) ||
	    (proto && !recover)) {
		usage(stderr);
		return 2;
	}
	spirecd_log_init(debug);
	/* No core dumps, no ptrace by our own user: we are about to hold PSKs. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	ref = calloc(1, sizeof(*ref));
	if (!ref) {
		fprintf(stderr, "spirecd: out of memory\n");
		return 1;
	}
	atomic_init(&ref->refs, 1);
	problems = spirecd_config_load(path, &ref->cfg, stderr);
	if (problems) {
		fprintf(stderr, "spirecd: %s: %u problem%s, %s\n", path,
			problems, problems == 1 ? "" : "s",
			check ? "not valid" : "not starting");
		free(ref);
		return check ? 1 : 2;
	}
	if (check) {
		printf("%s: OK, %zu peer%s, default action %s\n", path,
		       ref->cfg.npeers, ref->cfg.npeers == 1 ? "" : "s",
		       spirecd_action_name(ref->cfg.action));
		spirecd_cfgref_put(ref);
		return 0;
	}
	if (!user)
		user = ref->cfg.user;
	if (user && spirecd_drop_privileges(user, ref->cfg.status_file, err,
					    sizeof(err))) {
		fprintf(stderr, "spirecd: --user/user = %s: %s\n", user, err);
		spirecd_cfgref_put(ref);
		return 1;
	}
	if (recover) {
		rc = recover_once(&ref->cfg, recover, spi, proto);
		spirecd_cfgref_put(ref);
		return rc;
	}
	/* Keep stderr: it is our log. */
	if (!foreground && daemon(0, 1) < 0) {
		fprintf(stderr, "spirecd: daemon: %s\n", strerror(errno));
		return 1;
	}
	return spirecd_run(ref);
}
