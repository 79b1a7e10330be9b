// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-pi: protection information carried by the host (PRACT 0,
 * extended LBAs: each 512-byte block followed by its 8 bytes of PI) over
 * NVMe/TCP, which a Linux host does not send, on the fuzzer's connection
 * code (conn.c, setup.c).
 *
 *   nvme-tcp-pi [-a ADDR] [-p PORT] [-n NSID] [-v] SUBNQN
 *   nvme-tcp-pi -g < EXTENDED_LBAS
 *   nvme-tcp-pi -G < EXTENDED_LBAS
 *
 * -g connects to nothing: it reads 520-byte extended LBAs on standard
 * input (what `nvme io-passthru` returns for a PRACT 0 Read, any fabric)
 * and prints the guard each block's 512 bytes of data should have, in
 * hex, one a line, for the VM tests to compare with the PI read.  -G
 * does the same for the 64-bit guard: 528-byte extended LBAs (16 bytes
 * of PI), the CRC-64/NVME of each block's data in 16 hex digits.
 *
 * Connects an admin and an I/O queue; namespace NSID must have LBA format
 * 0 in use with 8 bytes of metadata in extended LBAs (FLBAS 10h) and PI
 * type 1 or 3 (DPS).  On 4 blocks at LBA 96: a write with correct PI
 * (guard: CRC T10-DIF of the block, application tag LBAT, reference tag
 * the LBA for type 1, ILBRT for type 3) and every PRCHK bit succeeds, and
 * reads back, data and tags, with every check; the same read expecting
 * another application tag or (type 3) reference tag fails with its
 * status.  Then writes that must fail and leave the blocks as they were:
 * a wrong guard (282h), a wrong reference tag (284h), a wrong
 * application tag under LBATM (283h), and a transfer of the blocks
 * without their PI (SGL Data Block Length Invalid, 00Fh).  The error
 * log's newest entry must name the failing block's LBA.  A wrong guard
 * with PRCHK guard clear is written as sent: a read checking the guard
 * is then 282h naming that block, one without the check returns it.
 * Compare with PRACT 0 (extended LBAs) on the written blocks: the same
 * blocks with every check succeed, also with another block's PI in one
 * block (PI is checked on the stored blocks, not compared); one block's
 * data changed is Compare Failure (285h); another expected application
 * tag (283h) or, type 3, reference tag (284h), checked on the stored PI,
 * fail with the data equal; the blocks without their PI are 00Fh.
 * Verify (no data), PRACT 0 and 1: every check passes; another expected
 * application tag (283h) or, type 3, reference tag (284h) fails, the
 * error log naming the first block; with no check it passes; a block
 * stored with another application tag (type 3: reference tag), which a
 * write without that check lets through, fails Verify's check of it with
 * the error log naming that block, and passes the other checks.
 * Prints "ok N - ..." or "not ok N - ..." per check and
 * "pi: N passed, N failed"; exits 1 if a check failed.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "initiator.h"

#define OPC_WRITE	0x01
#define OPC_READ	0x02
#define OPC_COMPARE	0x05
#define OPC_VERIFY	0x0c
#define LBA		96
#define NLB		4
#define BS		512
#define EBS		(BS + 8)
#define APP		0x1234
#define REF3		0x5000	/* type 3's reference tag, ILBRT */

/* PRINFO, CDW12 bits 29:26 */
#define PRACT		(1U << 29)
#define PRCHK_GUARD	(1U << 28)
#define PRCHK_APP	(1U << 27)
#define PRCHK_REF	(1U << 26)
#define PRCHK_ALL	(PRCHK_GUARD | PRCHK_APP | PRCHK_REF)

/* status fields less DNR and More: SCT << 8 | SC */
#define ST_NONE		0xffff
#define ST_SGL_LEN	0x00f
#define ST_GUARD	0x282
#define ST_APP		0x283
#define ST_REF		0x284
#define ST_CMP		0x285
#define NO_LBA		UINT64_MAX

struct opts opt = {
	.addr = "127.0.0.1",
	.port = 4420,
	.answer_ms = 5000,
	.hostnqn = "nqn.2014-08.org.nvmexpress:uuid:f0220000-fa22-4000-8000-0000000000f1",
};
struct stats st;

static uint32_t nsid = 1;
static unsigned int pi_type;

#define check ini_check

/* CRC T10-DIF: polynomial 8BB7h, initial value 0, not reflected. */
static uint16_t crc_t10dif(const uint8_t *p, size_t len)
{
	uint16_t crc = 0;
	int b;

	while (len--) {
		crc ^= (uint16_t)*p++ << 8;
		for (b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (crc << 1) ^ 0x8bb7 : crc << 1;
	}
	return crc;
}

/*
 * CRC-64/NVME (the NVM Command Set's 64-bit guard): polynomial
 * AD93D23594C93659h reflected, initial value and final XOR all ones.
 */
static uint64_t crc64_nvme(const uint8_t *p, size_t len)
{
	uint64_t crc = ~0ULL;
	int b;

	while (len--) {
		crc ^= *p++;
		for (b = 0; b < 8; b++)
			crc = crc & 1 ? (crc >> 1) ^ 0x9a6c9329ac4bc9b5ULL :
					crc >> 1;
	}
	return ~crc;
}

/*
 * -g (-G: @wide, the 64-bit guard, 16 bytes of PI): the guard of each
 * extended LBA's data on stdin, one a line; exit code 1 on a read error
 * or a partial block at the end.
 */
static int print_guards(int wide)
{
	static uint8_t b[BS + 16];
	size_t ebs = wide ? BS + 16 : EBS, n;

	while ((n = fread(b, 1, ebs, stdin)) == ebs) {
		if (wide)
			printf("%016llx\n", (unsigned long long)crc64_nvme(b, BS));
		else
			printf("%04x\n", crc_t10dif(b, BS));
	}
	return n || ferror(stdin) ? 1 : 0;
}

/* The reference tag of block @i of the range, as the namespace stores it. */
static uint32_t ref_of(uint32_t i)
{
	return pi_type == 1 ? LBA + i : REF3;
}

/* ILBRT/EILBRT of a command on the range. */
static uint32_t ilbrt(void)
{
	return ref_of(0);
}

/* Extended LBAs: data from @seed, each block's correct PI after it. */
static void fill(uint8_t *buf, uint8_t seed)
{
	uint32_t i, j;

	for (i = 0; i < NLB; i++) {
		uint8_t *b = buf + i * EBS, *t = b + BS;
		uint16_t guard;
		uint32_t ref;

		for (j = 0; j < BS; j++)
			b[j] = (i * BS + j) * 13 + seed;
		guard = crc_t10dif(b, BS);
		ref = ref_of(i);
		t[0] = guard >> 8;
		t[1] = guard;
		t[2] = APP >> 8;
		t[3] = APP & 0xff;
		t[4] = ref >> 24;
		t[5] = ref >> 16;
		t[6] = ref >> 8;
		t[7] = ref;
	}
}

static void rw_sqe(struct sqe *s, uint8_t op, uint32_t prinfo, uint32_t ref,
		   uint16_t lbat, uint16_t lbatm)
{
	memset(s, 0, sizeof(*s));
	s->opcode = op;
	s->nsid = htole32(nsid);
	s->cdw10 = htole32(LBA);
	s->cdw12 = htole32((NLB - 1) | prinfo);
	s->cdw14 = htole32(ref);
	s->cdw15 = htole32(lbat | (uint32_t)lbatm << 16);
}

/* The status field of a command (ST_NONE: no answer). */
static uint16_t status_of(struct conn *c, int ret)
{
	if (!ret)
		return 0;
	return c->have_rsp ? c->rsp_status : ST_NONE;
}

/* Write @len bytes of @buf with @prinfo, ILBRT and LBAT of the range. */
static uint16_t write_ext(struct conn *c, const uint8_t *buf, uint32_t len,
			  uint32_t prinfo)
{
	struct sqe s;

	rw_sqe(&s, OPC_WRITE, prinfo, ilbrt(), APP, 0xffff);
	return status_of(c, setup_command(c, &s, buf, len));
}

/* Read the range's extended LBAs into @buf, every check against @app. */
static uint16_t read_ext(struct conn *c, uint8_t *buf, uint32_t ref,
			 uint16_t app)
{
	struct sqe s;

	rw_sqe(&s, OPC_READ, PRCHK_ALL, ref, app, 0xffff);
	memset(buf, 0, NLB * EBS);
	return status_of(c, setup_command_in(c, &s, buf, NLB * EBS));
}

/* Compare the range with @len bytes of @buf, PRACT 0, expecting @ref, @app. */
static uint16_t compare_ext(struct conn *c, const uint8_t *buf, uint32_t len,
			    uint32_t prinfo, uint32_t ref, uint16_t app)
{
	struct sqe s;

	rw_sqe(&s, OPC_COMPARE, prinfo, ref, app, 0xffff);
	return status_of(c, setup_command(c, &s, buf, len));
}

/* A Compare of @buf must end with @want (0: success). */
static void compared(struct conn *c, const uint8_t *buf, uint32_t len,
		     uint32_t prinfo, uint32_t ref, uint16_t app,
		     uint16_t want, const char *what)
{
	uint16_t got = compare_ext(c, buf, len, prinfo, ref, app);
	char msg[160];

	snprintf(msg, sizeof(msg), "compare, %s: status %#x (got %#x)", what,
		 want, got);
	check(got == want, msg);
}

/* PRACT 0 Compare of the range, which holds @good. */
static void run_compare(const uint8_t *good, struct conn *c)
{
	static uint8_t bad[NLB * EBS];

	compared(c, good, NLB * EBS, PRCHK_ALL, ilbrt(), APP, 0,
		 "the blocks, every check");
	compared(c, good, NLB * EBS, 0, ilbrt(), APP, 0,
		 "the blocks, no check");
	memcpy(bad, good, sizeof(bad));
	memcpy(bad + 1 * EBS + BS, good + 2 * EBS + BS, 8);
	compared(c, bad, sizeof(bad), PRCHK_ALL, ilbrt(), APP, 0,
		 "block 1 with block 2's PI (PI not compared)");
	memcpy(bad, good, sizeof(bad));
	bad[2 * EBS + 100] ^= 0x04;		/* block 2's data */
	compared(c, bad, sizeof(bad), PRCHK_ALL, ilbrt(), APP, ST_CMP,
		 "block 2's data changed");
	bad[2 * EBS + 100] ^= 0x04;
	bad[3 * EBS + BS - 1] ^= 0x40;		/* block 3's last byte */
	compared(c, bad, sizeof(bad), 0, ilbrt(), APP, ST_CMP,
		 "block 3's last byte changed, no check");
	compared(c, good, NLB * EBS, PRCHK_APP, ilbrt(), APP ^ 0x8, ST_APP,
		 "another application tag expected");
	compared(c, good, NLB * EBS, PRCHK_GUARD | PRCHK_REF, ilbrt(),
		 APP ^ 0x8, 0, "another application tag, not checked");
	if (pi_type == 3)
		compared(c, good, NLB * EBS, PRCHK_REF, REF3 + 7, APP, ST_REF,
			 "another reference tag expected");
	compared(c, good, NLB * BS, PRCHK_ALL, ilbrt(), APP, ST_SGL_LEN,
		 "the blocks without their PI");
}

/* Do the blocks, data and PI, hold @want? */
static bool holds(struct conn *c, const uint8_t *want)
{
	static uint8_t buf[NLB * EBS];

	return !read_ext(c, buf, ilbrt(), APP) &&
	       !memcmp(buf, want, sizeof(buf));
}

/* The LBA of the error log's newest entry (Log Page 01h), or NO_LBA. */
static uint64_t error_lba(struct conn *a)
{
	static uint8_t log[64];
	struct sqe s = { .opcode = 0x02 };
	uint64_t lba;

	s.nsid = htole32(0xffffffff);
	s.cdw10 = htole32(0x01 | 15U << 16);	/* 16 dwords: one entry */
	if (setup_command_in(a, &s, log, sizeof(log)))
		return NO_LBA;
	memcpy(&lba, log + 16, sizeof(lba));
	return le64toh(lba);
}

/*
 * A write of @bad must fail with @want, the error log naming @lba (unless
 * NO_LBA), and leave @cur in place.
 */
static void refused(struct conn *a, struct conn *c, const uint8_t *bad,
		    uint32_t prinfo, uint32_t len, uint16_t want,
		    uint64_t lba, const uint8_t *cur, const char *what)
{
	uint16_t got = write_ext(c, bad, len, prinfo);
	char msg[160];
	uint64_t elba;

	snprintf(msg, sizeof(msg), "%s: status %#x (got %#x)", what, want,
		 got);
	check(got == want, msg);
	if (lba != NO_LBA) {
		elba = error_lba(a);
		snprintf(msg, sizeof(msg),
			 "%s: the error log names LBA %llu (got %lld)", what,
			 (unsigned long long)lba, (long long)elba);
		check(elba == lba, msg);
	}
	snprintf(msg, sizeof(msg), "%s: the blocks are unchanged", what);
	check(holds(c, cur), msg);
}

/*
 * @bad, block 0's guard wrong, written with PRCHK's guard check clear, is
 * stored as sent (the device is not asked to check it either); a read
 * with the check fails with 282h naming block 0, one without it returns
 * @bad.  @good is written back.
 */
static void stored_as_sent(struct conn *a, struct conn *c,
			   const uint8_t *bad, const uint8_t *good)
{
	static uint8_t buf[NLB * EBS];
	struct sqe s;
	uint16_t got;
	char msg[160];

	got = write_ext(c, bad, NLB * EBS, PRCHK_APP | PRCHK_REF);
	snprintf(msg, sizeof(msg),
		 "wrong guard, PRCHK guard clear: written (got %#x)", got);
	check(!got, msg);
	got = read_ext(c, buf, ilbrt(), APP);
	snprintf(msg, sizeof(msg),
		 "wrong guard stored: a checked read is %#x (got %#x)",
		 ST_GUARD, got);
	check(got == ST_GUARD, msg);
	check(error_lba(a) == LBA,
	      "wrong guard stored: the error log names block 0");
	rw_sqe(&s, OPC_READ, PRCHK_APP | PRCHK_REF, ilbrt(), APP, 0xffff);
	memset(buf, 0, sizeof(buf));
	got = status_of(c, setup_command_in(c, &s, buf, sizeof(buf)));
	check(!got && !memcmp(buf, bad, sizeof(buf)),
	      "wrong guard stored: read without the guard check as written");
	got = write_ext(c, good, NLB * EBS, PRCHK_ALL);
	check(!got && holds(c, good), "the good blocks written back");
}

/*
 * A Verify of the range must end with @want (0: success), the error log
 * naming @lba unless NO_LBA.
 */
static void verified(struct conn *a, struct conn *c, uint32_t prinfo,
		     uint32_t ref, uint16_t app, uint16_t want, uint64_t lba,
		     const char *what)
{
	struct sqe s;
	uint16_t got;
	char msg[160];
	uint64_t elba;

	rw_sqe(&s, OPC_VERIFY, prinfo, ref, app, 0xffff);
	got = status_of(c, setup_command(c, &s, NULL, 0));
	snprintf(msg, sizeof(msg), "verify, %s: status %#x (got %#x)", what,
		 want, got);
	check(got == want, msg);
	if (lba == NO_LBA)
		return;
	elba = error_lba(a);
	snprintf(msg, sizeof(msg),
		 "verify, %s: the error log names LBA %llu (got %lld)", what,
		 (unsigned long long)lba, (long long)elba);
	check(elba == lba, msg);
}

/*
 * Verify of the range, which holds @good; then with one block stored with
 * another tag the device does not check (application tag; type 3: the
 * reference tag), written without our check of it.
 */
static void run_verify(struct conn *a, struct conn *c, const uint8_t *good)
{
	static uint8_t odd[NLB * EBS];
	uint32_t pract;
	uint16_t got;

	for (pract = 0; pract <= PRACT; pract += PRACT) {
		verified(a, c, pract | PRCHK_ALL, ilbrt(), APP, 0, NO_LBA,
			 pract ? "PRACT 1, every check" : "every check");
		verified(a, c, pract, ilbrt(), APP ^ 0x8, 0, NO_LBA,
			 pract ? "PRACT 1, no check" : "no check");
		verified(a, c, pract | PRCHK_APP, ilbrt(), APP ^ 0x8, ST_APP,
			 LBA, pract ? "PRACT 1, another application tag" :
				      "another application tag");
		if (pi_type == 3)
			verified(a, c, pract | PRCHK_REF, REF3 + 7, APP, ST_REF,
				 LBA, pract ? "PRACT 1, another reference tag" :
					      "another reference tag");
	}
	memcpy(odd, good, sizeof(odd));
	if (pi_type == 3)
		odd[1 * EBS + BS + 7] ^= 0x01;	/* block 1's reference tag */
	else
		odd[2 * EBS + BS + 2] ^= 0x10;	/* block 2's application tag */
	got = write_ext(c, odd, sizeof(odd), pi_type == 3 ?
			PRCHK_GUARD | PRCHK_APP : PRCHK_GUARD | PRCHK_REF);
	check(!got, "a block written with a tag unchecked");
	if (pi_type == 3) {
		verified(a, c, PRCHK_REF, ilbrt(), APP, ST_REF, LBA + 1,
			 "block 1's stored reference tag");
		verified(a, c, PRCHK_GUARD | PRCHK_APP, ilbrt(), APP, 0,
			 NO_LBA, "block 1's reference tag unchecked");
	} else {
		verified(a, c, PRCHK_APP, ilbrt(), APP, ST_APP, LBA + 2,
			 "block 2's stored application tag");
		verified(a, c, PRCHK_GUARD | PRCHK_REF, ilbrt(), APP, 0,
			 NO_LBA, "block 2's application tag unchecked");
	}
	got = write_ext(c, good, NLB * EBS, PRCHK_ALL);
	check(!got && holds(c, good), "the blocks written back");
}

/* Identify Namespace: format 0, 8 bytes of PI in extended LBAs. */
static int check_format(struct conn *a)
{
	static uint8_t idns[4096];
	struct sqe s = { .opcode = 0x06 };
	char msg[128];

	s.nsid = htole32(nsid);
	if (setup_command_in(a, &s, idns, sizeof(idns)))
		return -1;
	pi_type = idns[29] & 7;
	snprintf(msg, sizeof(msg),
		 "Identify Namespace: FLBAS %#x, MS %u, LBADS %u, DPS %#x",
		 idns[26], idns[128] | idns[129] << 8, idns[130], idns[29]);
	check(idns[26] == 0x10 && idns[128] == 8 && !idns[129] &&
	      idns[130] == 9 && (pi_type == 1 || pi_type == 3), msg);
	return pi_type == 1 || pi_type == 3 ? 0 : -1;
}

static void run(struct conn *a, struct conn *c)
{
	static uint8_t good[NLB * EBS], next[NLB * EBS], bad[NLB * EBS];
	static uint8_t buf[NLB * EBS];
	uint16_t got;
	char msg[128];

	fill(good, 1);
	got = write_ext(c, good, sizeof(good), PRCHK_ALL);
	snprintf(msg, sizeof(msg),
		 "type %u: PRACT 0 write with every check (status %#x)",
		 pi_type, got);
	check(!got, msg);
	check(holds(c, good), "read back with every check: data and tags");

	got = read_ext(c, buf, ilbrt(), APP ^ 0x100);
	snprintf(msg, sizeof(msg),
		 "read expecting another application tag: %#x (got %#x)",
		 ST_APP, got);
	check(got == ST_APP, msg);
	if (pi_type == 3) {
		got = read_ext(c, buf, REF3 + 1, APP);
		snprintf(msg, sizeof(msg),
			 "read expecting another reference tag: %#x (got %#x)",
			 ST_REF, got);
		check(got == ST_REF, msg);
	}

	run_compare(good, c);
	run_verify(a, c, good);

	/* data that differs from @good, so that a write that fails shows */
	fill(next, 2);
	memcpy(bad, next, sizeof(bad));
	bad[2 * EBS + BS] ^= 0x01;		/* block 2's guard */
	refused(a, c, bad, PRCHK_ALL, sizeof(bad), ST_GUARD, LBA + 2, good,
		"wrong guard");

	memcpy(bad, next, sizeof(bad));
	bad[1 * EBS + BS + 7] ^= 0x01;		/* block 1's reference tag */
	refused(a, c, bad, PRCHK_ALL, sizeof(bad), ST_REF, LBA + 1, good,
		"wrong reference tag");

	memcpy(bad, next, sizeof(bad));
	bad[3 * EBS + BS + 2] ^= 0x10;		/* block 3's application tag */
	refused(a, c, bad, PRCHK_ALL, sizeof(bad), ST_APP, LBA + 3, good,
		"wrong application tag under LBATM");

	memcpy(bad, next, sizeof(bad));
	bad[0 * EBS + 17] ^= 0x80;		/* block 0's data */
	stored_as_sent(a, c, bad, good);

	refused(a, c, next, PRCHK_ALL, NLB * BS, ST_SGL_LEN, NO_LBA, good,
		"the blocks without their PI");

	got = write_ext(c, next, sizeof(next), PRCHK_ALL);
	check(!got && holds(c, next), "a second write reads back");
}

int main(int argc, char **argv)
{
	struct ctrl_id id = {
		.hostid = { 0xf0, 0x22, 0x00, 0x00, 0xfa, 0x22, 0x40, 0x00,
			    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1 },
	};
	struct conn a = { .fd = -1 }, io = { .fd = -1 };
	static uint8_t idctrl[4096];
	uint32_t bs;
	int ch;

	while ((ch = getopt(argc, argv, "a:p:n:vgG")) != -1) {
		if (ini_common_opt(ch, optarg))
			continue;
		if ((ch == 'g' || ch == 'G') && optind == argc)
			return print_guards(ch == 'G');
		if (ch != 'n')
			goto usage;
		nsid = strtoul(optarg, NULL, 0);
	}
	if (optind + 1 != argc)
		goto usage;
	id.subnqn = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ini_up(&a, &io, &id, nsid, idctrl, &bs) || bs != BS) {
		fprintf(stderr, "nvme-tcp-pi: cannot set up the queues\n");
		ini_failed++;
	} else if (!check_format(&a)) {
		run(&a, &io);
	}
	return ini_finish("pi", &a, &io);
usage:
	fprintf(stderr, "usage: nvme-tcp-pi [-a ADDR] [-p PORT] [-n NSID] [-v] SUBNQN\n"
		"       nvme-tcp-pi -g|-G < EXTENDED_LBAS\n");
	return 2;
}
