// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-xcopy: Copy across namespaces (source descriptor formats 2h
 * and 3h) over NVMe/TCP, on the fuzzer's connection code (conn.c,
 * setup.c).  A Linux host cannot send it: its kernel refuses Set Features
 * Host Behavior Support from user space (the driver owns that feature),
 * and formats 2h and 3h stay off until the host sets CDFE there.
 *
 *   nvme-tcp-xcopy [-a ADDR] [-p PORT] [-i NSID] [-v] SUBNQN DNSID SNSID
 *   nvme-tcp-xcopy [-a ADDR] [-p PORT] [-v] -b MIB SUBNQN DNSID SNSID
 *
 * Connects an admin and an I/O queue and checks: Identify Controller OCFS
 * bits 0 to 3; a format 2h Copy before Host Behavior Support enables it
 * is Invalid Field; Get Features 16h reads CDFE 0; a Set Features 16h
 * with something the target has not (ETDAS) is Invalid Field and changes
 * nothing; CDFE 0xc is taken and reads back; then 4 blocks of SNSID (LBA
 * 0, written first) copied into DNSID at LBA 100 with format 2h, and with
 * format 3h 2 of them plus 2 of DNSID's own to LBA 200, each read back;
 * a Source NSID the target does not have is Invalid Namespace or Format;
 * with -i, a Source NSID of another block size is Incompatible Namespace
 * or Format.  Prints "ok N - ..." or "not ok N - ..." per check and
 * "xcopy: N passed, N failed"; exits 1 if a check failed.
 *
 * With -b (the bench 26-tcp-copy), instead: CDFE 0x4 (format 2h) set,
 * then MIB MiB of SNSID from LBA 0 copied to DNSID from LBA 0 in format
 * 2h Copy commands one after the other, each of one range of as many
 * blocks as the destination's MSSRL and MCL allow (Identify Namespace),
 * and "xcopy ms=N" printed: the time from the first command sent to the
 * last one's answer.  Nothing is read back here: the bench does that.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "initiator.h"

#define OPC_WRITE		0x01
#define OPC_READ		0x02
#define OPC_COPY		0x19
#define OPC_SET_FEATURES	0x09
#define OPC_GET_FEATURES	0x0a
#define OPC_IDENTIFY		0x06
#define FID_HOST_BEHAVIOR	0x16
#define HBS_SIZE		512
#define MAX_BS			INI_MAX_BS
#define NR_BLOCKS		4
#define CDFE_FMT2		0x4
#define BENCH_ANSWER_MS		60000	/* one Copy of MCL blocks, staged */

/* Identify Namespace: MSSRL (bytes 75:74), MCL (79:76), MSRC (80) */
#define ID_NS_MSSRL		74
#define ID_NS_MCL		76
#define ID_NS_MSRC		80

/* status fields less DNR and More: SCT << 8 | SC */
#define ST_INVALID_FIELD	0x002
#define ST_INVALID_NS		0x00b
#define ST_INCOMPAT_NS		0x185

struct opts opt = {
	.addr = "127.0.0.1",
	.port = 4420,
	.answer_ms = 5000,
	.hostnqn = "nqn.2014-08.org.nvmexpress:uuid:f0220000-fa22-4000-8000-00000000c0b1",
};
struct stats st;

static uint32_t dnsid, snsid, incompat_nsid, bs, bench_mib;

#define check ini_check

/* The status of the command @c just answered: 0 or SCT << 8 | SC. */
static uint16_t status_of(struct conn *c, int ret)
{
	if (!ret)
		return 0;
	return c->have_rsp ? c->rsp_status : 0xffff;
}

static void rw_sqe(struct sqe *s, uint8_t op, uint32_t ns, uint64_t lba)
{
	memset(s, 0, sizeof(*s));
	s->opcode = op;
	s->nsid = htole32(ns);
	s->cdw10 = htole32((uint32_t)lba);
	s->cdw11 = htole32((uint32_t)(lba >> 32));
}

/* Does namespace @ns hold @want at [@lba, @lba + NR_BLOCKS)? */
static bool holds(struct conn *c, uint32_t ns, uint64_t lba,
		  const uint8_t *want)
{
	static uint8_t buf[MAX_BS];
	struct sqe s;
	int i;

	for (i = 0; i < NR_BLOCKS; i++) {
		rw_sqe(&s, OPC_READ, ns, lba + i);
		memset(buf, 0, sizeof(buf));
		if (setup_command_in(c, &s, buf, bs) ||
		    memcmp(buf, want + i * bs, bs))
			return false;
	}
	return true;
}

/*
 * A Copy to @dlba of namespace dnsid from @nr ranges, each of @nlb
 * blocks from @slba[i] of namespace @ns[i], in format @fmt.
 */
static uint16_t copy(struct conn *c, uint8_t fmt, uint64_t dlba, int nr,
		     const uint32_t *ns, const uint64_t *slba, uint16_t nlb)
{
	static uint8_t desc[4 * 40];
	uint32_t size = fmt == 3 ? 40 : 32;
	struct sqe s;
	int i;

	memset(desc, 0, sizeof(desc));
	for (i = 0; i < nr; i++) {
		uint8_t *d = desc + i * size;
		uint32_t n = htole32(ns[i]);
		uint64_t l = htole64(slba[i]);
		uint16_t b = htole16(nlb - 1);

		memcpy(d, &n, 4);
		memcpy(d + 8, &l, 8);
		memcpy(d + 16, &b, 2);
	}
	rw_sqe(&s, OPC_COPY, dnsid, dlba);
	s.cdw12 = htole32((uint32_t)(nr - 1) | (uint32_t)fmt << 8);
	return status_of(c, setup_command(c, &s, desc, nr * size));
}

/* Set Features Host Behavior Support: @etdas and @cdfe, the rest 0. */
static uint16_t set_hbs(struct conn *a, uint8_t etdas, uint16_t cdfe)
{
	static uint8_t hbs[HBS_SIZE];
	struct sqe s = { .opcode = OPC_SET_FEATURES,
			 .cdw10 = htole32(FID_HOST_BEHAVIOR) };

	memset(hbs, 0, sizeof(hbs));
	hbs[1] = etdas;
	hbs[4] = cdfe & 0xff;
	hbs[5] = cdfe >> 8;
	return status_of(a, setup_command(a, &s, hbs, sizeof(hbs)));
}

/* Get Features Host Behavior Support: CDFE, or 0xffff if it failed. */
static uint32_t get_cdfe(struct conn *a)
{
	static uint8_t hbs[HBS_SIZE];
	struct sqe s = { .opcode = OPC_GET_FEATURES,
			 .cdw10 = htole32(FID_HOST_BEHAVIOR) };

	if (setup_command_in(a, &s, hbs, sizeof(hbs)))
		return 0xffff;
	return hbs[4] | hbs[5] << 8;
}

static int up(struct conn *a, struct conn *io, struct ctrl_id *id)
{
	static uint8_t idbuf[4096];

	if (ini_up(a, io, id, dnsid, idbuf, &bs))
		return -1;
	/* OCFS, bytes 535:534 */
	check((idbuf[534] & 0xf) == 0xf,
	      "Identify Controller: OCFS formats 0h to 3h");
	return 0;
}

static void run(struct conn *a, struct conn *io)
{
	static uint8_t pat[NR_BLOCKS * MAX_BS], want[NR_BLOCKS * MAX_BS];
	uint32_t ns[2] = { snsid, dnsid };
	uint64_t slba[2] = { 0, 100 };
	bool wrote = true;
	struct sqe s;
	uint32_t i;

	for (i = 0; i < sizeof(pat); i++)
		pat[i] = i * 13 + i / 512 + 7;
	for (i = 0; i < NR_BLOCKS; i++) {
		rw_sqe(&s, OPC_WRITE, snsid, i);
		wrote &= !setup_command(io, &s, pat + i * bs, bs);
	}
	check(wrote && holds(io, snsid, 0, pat),
	      "the source namespace holds the pattern");

	check(copy(io, 2, 100, 1, ns, slba, NR_BLOCKS) == ST_INVALID_FIELD,
	      "format 2h before Host Behavior Support: Invalid Field");
	check(get_cdfe(a) == 0, "Get Features 16h: CDFE 0");
	check(set_hbs(a, 1, 0xc) == ST_INVALID_FIELD,
	      "Set Features 16h with ETDAS: Invalid Field");
	check(get_cdfe(a) == 0, "... and CDFE still 0");
	check(set_hbs(a, 0, 0xc) == 0, "Set Features 16h, CDFE 0xc");
	check(get_cdfe(a) == 0xc, "Get Features 16h: CDFE 0xc");

	check(copy(io, 2, 100, 1, ns, slba, NR_BLOCKS) == 0,
	      "format 2h: 4 blocks of the source namespace");
	check(holds(io, dnsid, 100, pat), "format 2h: the copy reads back");
	/* 3h: blocks 2-3 of the source, then 100-101 (its own) to 200. */
	slba[0] = 2;
	memcpy(want, pat + 2 * bs, 2 * bs);
	memcpy(want + 2 * bs, pat, 2 * bs);
	check(copy(io, 3, 200, 2, ns, slba, 2) == 0,
	      "format 3h: ranges of both namespaces");
	check(holds(io, dnsid, 200, want), "format 3h: the copy reads back");

	ns[0] = 0x7777;
	check(copy(io, 2, 300, 1, ns, slba, 1) == ST_INVALID_NS,
	      "a Source NSID the target lacks: Invalid Namespace or Format");
	if (incompat_nsid) {
		ns[0] = incompat_nsid;
		check(copy(io, 2, 300, 1, ns, slba, 1) == ST_INCOMPAT_NS,
		      "a Source NSID of another block size: Incompatible Namespace or Format");
	}
}

/*
 * Blocks one bench Copy takes: a single range, so MSSRL's, within MCL
 * and the 16 bits of NLB; 0 if DNSID has no Copy or cannot be read.
 */
static uint32_t bench_step(struct conn *a)
{
	static uint8_t idns[4096];
	struct sqe s = { .opcode = OPC_IDENTIFY, .nsid = htole32(dnsid) };
	uint32_t mssrl, mcl;

	if (setup_command_in(a, &s, idns, sizeof(idns)))
		return 0;
	mssrl = idns[ID_NS_MSSRL] | idns[ID_NS_MSSRL + 1] << 8;
	memcpy(&mcl, idns + ID_NS_MCL, 4);
	mcl = le32toh(mcl);
	printf("namespace %u: MSSRL %u MCL %u MSRC %u (0's based)\n", dnsid,
	       mssrl, mcl, idns[ID_NS_MSRC]);
	if (mcl < mssrl)
		mssrl = mcl;
	return mssrl < UINT16_MAX ? mssrl : UINT16_MAX;
}

/* -b: bench_mib MiB of snsid to dnsid in format 2h, timed. */
static void bench(struct conn *a, struct conn *io)
{
	uint64_t total = ((uint64_t)bench_mib << 20) / bs, at = 0, t0, lba;
	uint32_t step = bench_step(a), cmds = 0, n;
	uint16_t status = 0;

	check(step, "Identify Namespace: MSSRL and MCL");
	check(set_hbs(a, 0, CDFE_FMT2) == 0, "Set Features 16h, CDFE 0x4");
	if (!step || ini_failed)
		return;
	opt.answer_ms = BENCH_ANSWER_MS;
	t0 = now_ms();
	while (at < total && !status) {
		n = total - at < step ? total - at : step;
		lba = at;
		status = copy(io, 2, at, 1, &snsid, &lba, n);
		at += n;
		cmds++;
	}
	if (status)
		printf("Copy at LBA %llu: status %#x\n",
		       (unsigned long long)(at - n), status);
	check(!status, "format 2h: the whole length copied");
	if (!status)
		printf("xcopy ms=%llu (%u MiB, %u commands of at most %u blocks)\n",
		       (unsigned long long)(now_ms() - t0), bench_mib, cmds,
		       step);
}

int main(int argc, char **argv)
{
	struct ctrl_id id = {
		.hostid = { 0xf0, 0x22, 0x00, 0x00, 0xfa, 0x22, 0x40, 0x00,
			    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xb1 },
	};
	struct conn a = { .fd = -1 }, io = { .fd = -1 };
	int ch;

	while ((ch = getopt(argc, argv, "a:p:i:b:v")) != -1) {
		if (ini_common_opt(ch, optarg))
			continue;
		if (ch == 'i')
			incompat_nsid = strtoul(optarg, NULL, 0);
		else if (ch == 'b')
			bench_mib = strtoul(optarg, NULL, 0);
		else
			goto usage;
	}
	if (optind + 3 != argc || (bench_mib && incompat_nsid))
		goto usage;
	id.subnqn = argv[optind];
	dnsid = strtoul(argv[optind + 1], NULL, 0);
	snsid = strtoul(argv[optind + 2], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (up(&a, &io, &id)) {
		fprintf(stderr, "nvme-tcp-xcopy: cannot set up the queues\n");
		ini_failed++;
	} else if (bench_mib) {
		bench(&a, &io);
	} else {
		run(&a, &io);
	}
	return ini_finish("xcopy", &a, &io);
usage:
	fprintf(stderr, "usage: nvme-tcp-xcopy [-a ADDR] [-p PORT] [-i NSID] [-v] SUBNQN DNSID SNSID\n");
	fprintf(stderr, "       nvme-tcp-xcopy [-a ADDR] [-p PORT] [-v] -b MIB SUBNQN DNSID SNSID\n");
	return 2;
}
