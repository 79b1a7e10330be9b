// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fused: fused Compare and Write over NVMe/TCP, which no Linux
 * host sends, on the fuzzer's connection code (conn.c, setup.c).
 *
 *   nvme-tcp-fused [-a ADDR] [-p PORT] [-n NSID] [-l 1] [-r] [-o FILE] [-v]
 *		    SUBNQN
 *
 * Connects an admin and an I/O queue, checks Identify Controller FUSES
 * bit 0, and on one block of namespace NSID (LBA 8): a pair whose Compare
 * matches succeeds and its Write reads back; one whose Compare does not
 * ends with Compare Failure and Command Aborted due to Failed Fused
 * Command, the data unchanged; a first followed by a Read, a second on
 * its own and a first whose second never comes end with Command Aborted
 * due to Missing Fused Command; a second of another block fails both
 * with Invalid Field.  Each pair's two capsules go out back to back.
 * With -l 1 (a namespace that takes pairs of one block only, as a LIO
 * backstore's COMPARE AND WRITE) a matching pair of two blocks fails too:
 * Invalid Field and Failed Fused Command, the data unchanged.  With -r
 * (a namespace without fused Compare and Write) only a plain write and a
 * matching pair run, and the pair must fail that way.  -o FILE: the
 * block's data at the end, as the checks left it, goes to FILE.
 * Prints "ok N - ..." or "not ok N - ..." per check and
 * "fused: N passed, N failed"; exits 1 if a check failed.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "initiator.h"

#define OPC_WRITE		0x01
#define OPC_READ		0x02
#define OPC_COMPARE		0x05
#define FUSE_FIRST		0x01
#define FUSE_SECOND		0x02
#define LBA			8
#define MAX_BS			INI_MAX_BS
#define MAX_NLB			2

/* status fields less DNR and More: SCT << 8 | SC */
#define ST_INVALID_FIELD	0x002
#define ST_FUSED_FAILED		0x009
#define ST_FUSED_MISSING	0x00a
#define ST_COMPARE_FAILED	0x285

struct opts opt = {
	.addr = "127.0.0.1",
	.port = 4420,
	.answer_ms = 5000,
	.hostnqn = "nqn.2014-08.org.nvmexpress:uuid:f0220000-fa22-4000-8000-00000000f05e",
};
struct stats st;

static uint16_t rsp_log[65536];
static uint32_t nsid = 1, bs;
/* blocks a command names; the most a pair may have (-l), 0: no limit */
static uint32_t nlb = 1, max_nlb;
static bool refused;
static const char *out_file;

#define check ini_check

static void rw_sqe(struct sqe *s, uint8_t op, uint8_t fuse, uint64_t lba)
{
	memset(s, 0, sizeof(*s));
	s->opcode = op;
	s->nsid = htole32(nsid);
	s->cdw10 = htole32((uint32_t)lba);
	s->cdw11 = htole32((uint32_t)(lba >> 32));
	s->cdw12 = htole32(nlb - 1);
	s->flags = fuse;
}

/*
 * Send @n commands back to back (those with @data carry one block in the
 * capsule, the others ask for one back), then wait for every answer;
 * their status fields go to @status (0xffff: none came).
 */
static void burst(struct conn *c, struct sqe *s, const void **data, int n,
		  uint16_t *status)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD } };
	uint64_t end = now_ms() + opt.answer_ms;
	int i;

	for (i = 0; i < n; i++) {
		s[i].cid = next_cid(c);
		s[i].flags |= 0x40;	/* SGL */
		s[i].dptr.type = data[i] ? SGL_INCAPSULE : SGL_TRANSPORT;
		s[i].dptr.length = htole32(nlb * bs);
		rsp_log[s[i].cid] = 0;
		p.sqe = s[i];
		c->more = i + 1 < n;
		if (pdu_send(c, &p, sizeof(p), data[i], data[i] ? nlb * bs : 0,
			     NULL))
			break;
	}
	c->more = false;
	for (i = 0; i < n; i++) {
		uint64_t now;

		while (!(rsp_log[s[i].cid] & RSP_SEEN) && !c->dead &&
		       (now = now_ms()) < end)
			conn_wait(c, ANS_ANY, end - now);
		status[i] = rsp_log[s[i].cid] & RSP_SEEN ?
			    rsp_log[s[i].cid] & 0x7ff : 0xffff;
		logv(1, "  cid %u: status %#x\n", s[i].cid, status[i]);
	}
}

/* A fused Compare of @cmp and Write of @wr (at @wlba). */
static void pair(struct conn *c, const void *cmp, const void *wr,
		 uint64_t wlba, uint16_t *status)
{
	const void *data[2] = { cmp, wr };
	struct sqe s[2];

	rw_sqe(&s[0], OPC_COMPARE, FUSE_FIRST, LBA);
	rw_sqe(&s[1], OPC_WRITE, FUSE_SECOND, wlba);
	burst(c, s, data, 2, status);
}

/* Read the blocks at LBA into @buf. */
static bool read_at(struct conn *c, uint8_t *buf)
{
	struct sqe s;

	rw_sqe(&s, OPC_READ, 0, LBA);
	memset(buf, 0, MAX_NLB * MAX_BS);
	return !setup_command_in(c, &s, buf, nlb * bs);
}

/* Do the blocks hold @want? */
static bool holds(struct conn *c, const uint8_t *want)
{
	static uint8_t buf[MAX_NLB * MAX_BS];

	return read_at(c, buf) && !memcmp(buf, want, nlb * bs);
}

/* Write the block's data to out_file. */
static void save(const uint8_t *data)
{
	FILE *f = fopen(out_file, "w");

	check(f && fwrite(data, 1, bs, f) == bs && !fclose(f),
	      "the block's data saved");
}

static int up(struct conn *a, struct conn *io, struct ctrl_id *id)
{
	static uint8_t idbuf[4096];

	if (ini_up(a, io, id, nsid, idbuf, &bs))
		return -1;
	/* FUSES, bytes 523:522 */
	check(idbuf[522] & 1, "Identify Controller: FUSES bit 0 (Compare and Write)");
	io->rsp_log = rsp_log;
	return 0;
}

static void fill(uint8_t *buf, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < MAX_NLB * MAX_BS; i++)
		buf[i] = i * 7 + seed;
}

/* A matching pair fails as the namespace refuses it, the data unchanged. */
static void refuse(struct conn *c, const uint8_t *cur, const uint8_t *x,
		   const char *what)
{
	uint16_t status[2];
	char msg[128];

	pair(c, cur, x, LBA, status);
	snprintf(msg, sizeof(msg),
		 "%s: Invalid Field, the Write Failed Fused Command", what);
	check(status[0] == ST_INVALID_FIELD && status[1] == ST_FUSED_FAILED,
	      msg);
	snprintf(msg, sizeof(msg), "%s: the data is unchanged", what);
	check(holds(c, cur), msg);
}

/*
 * Two blocks over a namespace's limit of one: refused; the second block
 * written first, so that the pair would match.
 */
static void over_limit(struct conn *c, const uint8_t *x)
{
	static uint8_t cur[MAX_NLB * MAX_BS];
	struct sqe s;

	nlb = 2;
	rw_sqe(&s, OPC_WRITE, 0, LBA);
	fill(cur, 4);
	check(!setup_command(c, &s, cur, nlb * bs) && holds(c, cur),
	      "two blocks written");
	refuse(c, cur, x, "a pair of two blocks");
	nlb = 1;
}

static void run(struct conn *c)
{
	static uint8_t a[MAX_NLB * MAX_BS], b[MAX_NLB * MAX_BS];
	static uint8_t x[MAX_NLB * MAX_BS];
	const void *data[2];
	uint16_t status[2];
	struct sqe s[2];

	fill(a, 1);
	fill(b, 2);
	fill(x, 3);
	rw_sqe(&s[0], OPC_WRITE, 0, LBA);
	check(!setup_command(c, &s[0], a, bs) && holds(c, a),
	      "a plain write reads back");
	if (refused) {
		refuse(c, a, x, "a matching pair");
		if (out_file)
			save(a);
		return;
	}
	if (max_nlb == 1) {
		over_limit(c, x);
		/* over_limit() wrote other data */
		check(!setup_command(c, &s[0], a, bs) && holds(c, a),
		      "a plain write reads back");
	}

	pair(c, a, b, LBA, status);
	check(status[0] == 0 && status[1] == 0,
	      "match: Compare and Write succeed");
	check(holds(c, b), "match: the Write's data reads back");

	pair(c, a, x, LBA, status);
	check(status[0] == ST_COMPARE_FAILED, "mismatch: Compare Failure");
	check(status[1] == ST_FUSED_FAILED,
	      "mismatch: Write aborted, Failed Fused Command");
	check(holds(c, b), "mismatch: the data is unchanged");

	rw_sqe(&s[0], OPC_COMPARE, FUSE_FIRST, LBA);
	rw_sqe(&s[1], OPC_READ, 0, LBA);
	data[0] = b;
	data[1] = NULL;
	burst(c, s, data, 2, status);
	check(status[0] == ST_FUSED_MISSING && status[1] == 0,
	      "a first then a Read: Missing Fused Command, the Read succeeds");

	rw_sqe(&s[0], OPC_WRITE, FUSE_SECOND, LBA);
	data[0] = x;
	burst(c, s, data, 1, status);
	check(status[0] == ST_FUSED_MISSING,
	      "a second alone: Missing Fused Command");

	rw_sqe(&s[0], OPC_COMPARE, FUSE_FIRST, LBA);
	data[0] = b;
	burst(c, s, data, 1, status);
	check(status[0] == ST_FUSED_MISSING,
	      "a first whose second never comes: Missing Fused Command");

	pair(c, b, x, LBA + 1, status);
	check(status[0] == ST_INVALID_FIELD && status[1] == ST_INVALID_FIELD,
	      "a second of another block: Invalid Field for both");
	check(holds(c, b), "no write went through: the data is unchanged");
	if (out_file)
		save(b);
}

int main(int argc, char **argv)
{
	struct ctrl_id id = {
		.hostid = { 0xf0, 0x22, 0x00, 0x00, 0xfa, 0x22, 0x40, 0x00,
			    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x5e },
	};
	struct conn a = { .fd = -1 }, io = { .fd = -1 };
	int ch;

	while ((ch = getopt(argc, argv, "a:p:n:l:ro:v")) != -1) {
		if (ini_common_opt(ch, optarg))
			continue;
		switch (ch) {
		case 'n':
			nsid = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			max_nlb = strtoul(optarg, NULL, 0);
			if (max_nlb != 1)
				goto usage;
			break;
		case 'r':
			refused = true;
			break;
		case 'o':
			out_file = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	id.subnqn = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (up(&a, &io, &id)) {
		fprintf(stderr, "nvme-tcp-fused: cannot set up the queues\n");
		ini_failed++;
	} else {
		run(&io);
	}
	return ini_finish("fused", &a, &io);
usage:
	fprintf(stderr, "usage: nvme-tcp-fused [-a ADDR] [-p PORT] [-n NSID] [-l 1] [-r]\n"
		"                      [-o FILE] [-v] SUBNQN\n");
	return 2;
}
