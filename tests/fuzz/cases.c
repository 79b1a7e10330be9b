// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fuzz: named raw-PDU cases, short sequences that reproduce what
 * a fuzzing run found (or what the issue describes) without the fuzzer's
 * randomness: -r NAME replays one, -r list names them.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

#define DISC_NQN "nqn.2014-08.org.nvmexpress.discovery"

static const uint8_t case_hostid[16] = { 0xca, 0x5e };

/* ICReq, Connect to @nqn, CC.EN: an enabled admin queue */
static int admin_up(struct conn *c, struct ctrl_id *id, const char *nqn)
{
	struct rng r;

	rng_seed(&r, 0);
	memset(id, 0, sizeof(*id));
	id->subnqn = nqn;
	memcpy(id->hostid, case_hostid, 16);
	if (conn_open(c) || setup_icreq(c, &r, false) ||
	    setup_connect(c, id, 0, 31) || setup_enable(c)) {
		printf("case: setup on %s failed\n", nqn);
		return -1;
	}
	return 0;
}

/* a command with a transport SGL of @len bytes, no data sent */
static void sgl_cmd(struct conn *c, uint8_t opc, uint32_t cdw10,
		    uint32_t cdw11, uint32_t len)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD } };

	p.sqe.opcode = opc;
	p.sqe.flags = 0x40;
	p.sqe.cid = next_cid(c);
	p.sqe.dptr.type = SGL_TRANSPORT;
	p.sqe.dptr.length = htole32(len);
	p.sqe.cdw10 = htole32(cdw10);
	p.sqe.cdw11 = htole32(cdw11);
	printf("case: opcode %#x with a transport SGL of %u bytes\n", opc, len);
	pdu_send(c, &p, sizeof(p), NULL, 0, NULL);
	if (conn_wait(c, p.sqe.cid, opt.answer_ms) == 1)
		printf("case: answered: %s\n", c->nr_r2t ? "R2T" : "response");
}

/*
 * Issue 9 item 1: Set Features (a write-direction admin command) on the
 * discovery controller, SGL 512 MiB; the R2T is never answered.
 */
static void huge_sgl_setfeatures(void)
{
	struct ctrl_id id;
	struct conn c;

	if (admin_up(&c, &id, DISC_NQN))
		return;
	sgl_cmd(&c, 0x09, 0x0b, 0, 512U << 20);
	conn_wait(&c, ANS_NONE, 2000);
	conn_close(&c);
}

/* Get Log Page (a read) on the NVM admin queue with an SGL of 4 GiB - 1 */
static void sgl_4g_read(void)
{
	struct ctrl_id id;
	struct conn c;

	if (admin_up(&c, &id, opt.nqn[0]))
		return;
	sgl_cmd(&c, 0x02, 0x02 | 1023 << 16, 0, 0xffffffff);
	conn_wait(&c, ANS_NONE, 1000);
	conn_close(&c);
}

/* a CapsuleCmd whose PLEN claims 4 GiB - 1 after a good ICReq */
static void plen_4g(void)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD,
				      .pdo = HLEN_CMD,
				      .plen = 0xffffffff } };
	struct pdu_fix fix = { .keep_pdo = true, .keep_plen = true };
	struct conn c;
	struct rng r;

	rng_seed(&r, 0);
	if (conn_open(&c) || setup_icreq(&c, &r, false))
		return;
	p.sqe.opcode = 0x06;
	pdu_send(&c, &p, sizeof(p), NULL, 0, &fix);
	conn_wait(&c, ANS_ANY, opt.answer_ms);
	conn_close(&c);
}

struct fuzz_case {
	const char *name;
	const char *what;
	void (*run)(void);
};

static const struct fuzz_case cases[] = {
	{ "huge-sgl-setfeatures",
	  "discovery, CC.EN, Set Features with a 512 MiB SGL, no data",
	  huge_sgl_setfeatures },
	{ "sgl-4g-read", "admin, Get Log Page with a 4 GiB - 1 SGL",
	  sgl_4g_read },
	{ "plen-4g", "ICReq, then a capsule with PLEN 0xffffffff", plen_4g },
};

void list_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		printf("%-24s %s\n", cases[i].name, cases[i].what);
}

int replay_case(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(name, cases[i].name))
			continue;
		printf("case %s: %s\n", name, cases[i].what);
		cases[i].run();
		return 0;
	}
	return -1;
}
