// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared part of the single-purpose initiators: see initiator.h.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "initiator.h"

int ini_passed, ini_failed;

void ini_check(bool ok, const char *what)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ini_passed + ini_failed + 1,
	       what);
	if (ok)
		ini_passed++;
	else
		ini_failed++;
}

bool ini_common_opt(int ch, const char *arg)
{
	switch (ch) {
	case 'a':
		opt.addr = arg;
		return true;
	case 'p':
		opt.port = atoi(arg);
		return true;
	case 'v':
		opt.verbose++;
		return true;
	}
	return false;
}

int ini_up(struct conn *a, struct conn *io, struct ctrl_id *id,
	   uint32_t nsid, uint8_t *idctrl, uint32_t *bs)
{
	static uint8_t idns[4096];
	struct sqe s = { .opcode = 0x06, .cdw10 = htole32(1) };
	struct rng r;
	uint8_t flbas;

	rng_seed(&r, 1);
	if (conn_open(a) || setup_icreq(a, &r, false) ||
	    setup_connect(a, id, 0, 31) || setup_enable(a) ||
	    setup_command_in(a, &s, idctrl, 4096))
		return -1;
	memset(&s, 0, sizeof(s));
	s.opcode = 0x06;
	s.nsid = htole32(nsid);
	if (setup_command_in(a, &s, idns, sizeof(idns)))
		return -1;
	flbas = idns[26] & 0xf;
	*bs = 1U << idns[128 + 4 * flbas + 2];
	printf("namespace %u: %u-byte blocks\n", nsid, *bs);
	if (*bs < 512 || *bs > INI_MAX_BS)
		return -1;
	if (conn_open(io) || setup_icreq(io, &r, false) ||
	    setup_connect(io, id, 1, 31))
		return -1;
	return 0;
}

int ini_finish(const char *name, struct conn *a, struct conn *io)
{
	conn_close(io);
	conn_close(a);
	printf("%s: %d passed, %d failed\n", name, ini_passed, ini_failed);
	return ini_failed ? 1 : 0;
}
