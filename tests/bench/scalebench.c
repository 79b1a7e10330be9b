// SPDX-License-Identifier: GPL-2.0-only
/*
 * scalebench: connect, queues and discovery at scale (issue 14), run in the
 * VM by make bench (tests/vm/bench/29-scale.sh) against in-tree and ours.
 *
 *   scalebench subsys CFS PREFIX N PORTID VISIBLE LABEL
 *	make subsystems PREFIX:1 .. PREFIX:N, the first VISIBLE of them open
 *	to any host and the others to none, each linked to port PORTID;
 *	prints the time of each step (mkdir, attribute, link) and the mean
 *	per subsystem over the first, the middle and the last tenth.
 *   scalebench open CFS PREFIX FROM TO
 *	attr_allow_any_host 1 on PREFIX:FROM .. PREFIX:TO.
 *   scalebench unsubsys CFS PREFIX N PORTID LABEL
 *	unlink and remove them again.
 *   scalebench hosts CFS SUBNQN N
 *	N hosts (host NQN number 1 .. N, see host_nqn()) in SUBNQN's
 *	allowed_hosts, attr_allow_any_host 0; "scalebench unhosts" undoes it.
 *   scalebench connect ADDR PORT SUBNQN HOST REPS LABEL
 *	REPS times: a TCP connection, ICReq, Connect of the admin queue as
 *	host number HOST (0: the first host), CC.EN until CSTS.RDY, then a
 *	normal shutdown (CC.SHN until CSTS.SHST) and close.  Prints the
 *	median and the slowest of connect (up to RDY) and of shutdown.
 *   scalebench queues ADDR PORT SUBNQN NQ PAR LABEL
 *	one controller asks for NQ I/O queues (Set Features Number of
 *	Queues) and connects as many as it gets, PAR connections at once;
 *	then shuts down and closes them, PAR at once.  Prints both times.
 *   scalebench discover ADDR PORT HOST REPS LABEL
 *	a discovery controller as host number HOST; REPS times the log's
 *	header (the first 1 KiB, as a host reads it first) and a 4 KiB page
 *	at the log's last record; once the whole log, 4 KiB a read.
 *
 * Prints one line "scalebench <what> <label> key=value ...".  Statically
 * linked (with pthreads) so it runs in the test VM's busybox initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "benchlib.h"

#define DISC_NQN	"nqn.2014-08.org.nvmexpress.discovery"
#define MAX_QUEUES	1024

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the median of @n samples, sorted in place; the largest in *@max */
static double median(double *v, int n, double *max)
{
	qsort(v, n, sizeof(*v), cmp_double);
	*max = v[n - 1];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* --------------------------------------------------------- configfs -- */

/*
 * The three steps' totals, and the mean time per subsystem (all three
 * steps) over the first, the middle and the last tenth: the growth with
 * the number already there (0, N / 2, N - N / 10).
 */
static int do_subsys(const char *cfs, const char *prefix, unsigned int n,
		     const char *port, unsigned int visible, const char *label)
{
	char dir[512], link[768];
	double t0 = now_ms(), t, t_mk = 0, t_attr = 0, t_link = 0;
	double tenth_ms[3] = { 0 }, t_tenth = 0;
	unsigned int i, tenth = n / 10;
	unsigned int start[3] = { 1, n / 2 + 1, n - tenth + 1 };
	int k;

	for (i = 1; i <= n; i++) {
		snprintf(dir, sizeof(dir), "%s/subsystems/%s:%u", cfs, prefix, i);
		snprintf(link, sizeof(link), "%s/ports/%s/subsystems/%s:%u",
			 cfs, port, prefix, i);
		for (k = 0; k < 3; k++)
			if (tenth && i == start[k])
				t_tenth = now_ms();
		t = now_ms();
		if (mkdir(dir, 0755))
			goto fail;
		t_mk += now_ms() - t;
		t = now_ms();
		if (put_attr(dir, "attr_allow_any_host", i <= visible ? "1" : "0"))
			goto fail;
		t_attr += now_ms() - t;
		t = now_ms();
		if (symlink(dir, link))
			goto fail;
		t_link += now_ms() - t;
		for (k = 0; k < 3; k++)
			if (tenth && i == start[k] + tenth - 1)
				tenth_ms[k] = now_ms() - t_tenth;
	}
	printf("scalebench subsys %s n=%u visible=%u ms=%.0f mkdir_ms=%.0f attr_ms=%.0f link_ms=%.0f first_tenth_us=%.0f mid_tenth_us=%.0f last_tenth_us=%.0f\n",
	       label, n, visible, now_ms() - t0, t_mk, t_attr, t_link,
	       tenth ? tenth_ms[0] * 1e3 / tenth : 0,
	       tenth ? tenth_ms[1] * 1e3 / tenth : 0,
	       tenth ? tenth_ms[2] * 1e3 / tenth : 0);
	return 0;
fail:
	fprintf(stderr, "scalebench subsys %s: %s\n", dir, strerror(errno));
	return 1;
}

static int do_open(const char *cfs, const char *prefix, unsigned int from,
		   unsigned int to)
{
	double t0 = now_ms();
	char dir[512];
	unsigned int i;

	for (i = from; i <= to; i++) {
		snprintf(dir, sizeof(dir), "%s/subsystems/%s:%u", cfs, prefix, i);
		if (put_attr(dir, "attr_allow_any_host", "1")) {
			fprintf(stderr, "scalebench open %s: %s\n", dir,
				strerror(errno));
			return 1;
		}
	}
	printf("scalebench open n=%u ms=%.0f\n", to - from + 1, now_ms() - t0);
	return 0;
}

static int do_unsubsys(const char *cfs, const char *prefix, unsigned int n,
		       const char *port, const char *label)
{
	char dir[512], link[768];
	double t0 = now_ms(), t, t_unlink = 0, t_rmdir = 0;
	unsigned int i;
	int bad = 0;

	for (i = 1; i <= n; i++) {
		snprintf(dir, sizeof(dir), "%s/subsystems/%s:%u", cfs, prefix, i);
		snprintf(link, sizeof(link), "%s/ports/%s/subsystems/%s:%u",
			 cfs, port, prefix, i);
		t = now_ms();
		if (unlink(link))
			bad = 1;
		t_unlink += now_ms() - t;
		t = now_ms();
		if (rmdir(dir))
			bad = 1;
		t_rmdir += now_ms() - t;
	}
	printf("scalebench unsubsys %s n=%u ms=%.0f unlink_ms=%.0f rmdir_ms=%.0f%s\n",
	       label, n, now_ms() - t0, t_unlink, t_rmdir, bad ? " FAILED" : "");
	return bad;
}

static int do_hosts(const char *cfs, const char *subnqn, unsigned int n,
		    int remove)
{
	char nqn[256], dir[512], link[1024], sub[512];
	double t0 = now_ms();
	unsigned int i = 0;

	snprintf(sub, sizeof(sub), "%s/subsystems/%s", cfs, subnqn);
	if (!remove && put_attr(sub, "attr_allow_any_host", "0"))
		goto fail;
	for (i = 1; i <= n; i++) {
		host_nqn(nqn, sizeof(nqn), i);
		snprintf(dir, sizeof(dir), "%s/hosts/%s", cfs, nqn);
		snprintf(link, sizeof(link), "%s/allowed_hosts/%s", sub, nqn);
		if (remove) {
			if (unlink(link) || rmdir(dir))
				goto fail;
		} else if (mkdir(dir, 0755) || symlink(dir, link)) {
			goto fail;
		}
	}
	printf("scalebench %s n=%u ms=%.0f\n", remove ? "unhosts" : "hosts", n,
	       now_ms() - t0);
	return 0;
fail:
	fprintf(stderr, "scalebench hosts %s host %u: %s\n", subnqn, i,
		strerror(errno));
	return 1;
}

static int do_connect(const char *addr, int port, const char *nqn,
		      unsigned int host, int reps, const char *label)
{
	double *tc = calloc(reps, sizeof(double));
	double *ts = calloc(reps, sizeof(double));
	double t0, mc, ms, xc, xs;
	struct conn c;
	uint16_t cntlid;
	int i, st;

	if (!tc || !ts)
		return 1;
	for (i = 0; i < reps; i++) {
		cntlid = 0xffff;
		t0 = now_ms();
		st = conn_open(&c, addr, port, nqn, host, 0, &cntlid);
		if (st)
			return report("scalebench", "connect", st);
		st = ctrl_enable(&c);
		if (st)
			return report("scalebench", "enable", st);
		tc[i] = now_ms() - t0;
		t0 = now_ms();
		st = ctrl_shutdown(&c);
		if (st)
			return report("scalebench", "shutdown", st);
		close(c.sock);
		ts[i] = now_ms() - t0;
	}
	mc = median(tc, reps, &xc);
	ms = median(ts, reps, &xs);
	printf("scalebench connect %s reps=%d connect_ms=%.2f connect_max_ms=%.2f shutdown_ms=%.2f shutdown_max_ms=%.2f\n",
	       label, reps, mc, xc, ms, xs);
	return 0;
}

struct qjob {
	const char *addr, *nqn;
	int port, first, step, count, close_only, bad;
	uint16_t cntlid;
	struct conn *conns;
};

/* connect (or close) the I/O queues first, first + step, ... of @arg */
static void *qjob_run(void *arg)
{
	struct qjob *j = arg;
	uint16_t cntlid;
	int q;

	for (q = j->first; q <= j->count; q += j->step) {
		if (j->close_only) {
			close(j->conns[q].sock);
			continue;
		}
		cntlid = j->cntlid;
		if (conn_open(&j->conns[q], j->addr, j->port, j->nqn, 0, q,
			      &cntlid)) {
			j->bad = q;
			break;
		}
	}
	return NULL;
}

static int run_jobs(struct qjob *tmpl, int par, int close_only)
{
	pthread_t th[64];
	struct qjob jobs[64];
	int i, bad = 0;

	for (i = 0; i < par; i++) {
		jobs[i] = *tmpl;
		jobs[i].first = i + 1;
		jobs[i].step = par;
		jobs[i].close_only = close_only;
		jobs[i].bad = 0;
		pthread_create(&th[i], NULL, qjob_run, &jobs[i]);
	}
	for (i = 0; i < par; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].bad)
			bad = jobs[i].bad;
	}
	return bad;
}

static int do_queues(const char *addr, int port, const char *nqn, int nq,
		     int par, const char *label)
{
	static struct conn conns[MAX_QUEUES + 1];
	uint8_t sqe[64] = { 0x09 };		/* Set Features */
	struct qjob tmpl = { .addr = addr, .nqn = nqn, .port = port,
			     .conns = conns };
	double t0, t_admin, t_io, t_down;
	uint64_t res;
	int st, got;

	if (nq < 1 || nq > MAX_QUEUES || par < 1 || par > 64)
		return 2;
	tmpl.cntlid = 0xffff;
	t0 = now_ms();
	st = conn_open(&conns[0], addr, port, nqn, 0, 0, &tmpl.cntlid);
	if (!st)
		st = ctrl_enable(&conns[0]);
	if (st)
		return report("scalebench", "queues: admin queue", st);
	put32(sqe + 40, 0x07);			/* Number of Queues */
	put32(sqe + 44, (nq - 1) | (nq - 1) << 16);
	st = submit(&conns[0], sqe, NULL, 0, 0, &res);
	if (st)
		return report("scalebench", "queues: number of queues", st);
	got = (res & 0xffff) + 1;
	if (((res >> 16) & 0xffff) + 1 < (unsigned int)got)
		got = ((res >> 16) & 0xffff) + 1;
	if (got > nq)
		got = nq;
	t_admin = now_ms() - t0;
	tmpl.count = got;
	if (par > got)
		par = got;
	t0 = now_ms();
	st = run_jobs(&tmpl, par, 0);
	if (st) {
		fprintf(stderr, "scalebench queues: I/O queue %d: %s\n", st,
			strerror(errno));
		return 1;
	}
	t_io = now_ms() - t0;
	t0 = now_ms();
	st = ctrl_shutdown(&conns[0]);
	if (st)
		return report("scalebench", "queues: shutdown", st);
	run_jobs(&tmpl, par, 1);
	close(conns[0].sock);
	t_down = now_ms() - t0;
	printf("scalebench queues %s asked=%d queues=%d par=%d admin_ms=%.1f io_connect_ms=%.1f per_queue_ms=%.2f teardown_ms=%.1f\n",
	       label, nq, got, par, t_admin, t_io, t_io / got, t_down);
	return 0;
}

/* Get Log Page 70h: @len bytes at @off into @buf */
static int disc_log(struct conn *c, void *buf, uint32_t len, uint64_t off)
{
	uint8_t sqe[64] = { 0x02 };
	uint32_t numd = len / 4 - 1;

	put32(sqe + 40, 0x70 | (numd & 0xffff) << 16);
	put32(sqe + 44, numd >> 16);
	put32(sqe + 48, off);
	put32(sqe + 52, off >> 32);
	return submit(c, sqe, buf, 0, len, NULL);
}

static int do_discover(const char *addr, int port, unsigned int host,
		       int reps, const char *label)
{
	static uint8_t buf[4096];
	double *th = calloc(reps, sizeof(double));
	double *tp = calloc(reps, sizeof(double));
	double *ti = calloc(reps, sizeof(double));
	double t0, mh, mp, mi, xh, xp, xi, t_full;
	uint64_t numrec, genctr, last, off;
	uint16_t cntlid = 0xffff;
	struct conn c;
	int i, st;

	if (!th || !tp || !ti)
		return 1;
	st = conn_open(&c, addr, port, DISC_NQN, host, 0, &cntlid);
	if (!st)
		st = ctrl_enable(&c);
	if (st)
		return report("scalebench", "discover: connect", st);
	for (i = 0; i < reps; i++) {
		t0 = now_ms();
		st = disc_log(&c, buf, 1024, 0);
		if (st)
			return report("scalebench", "discover: header", st);
		th[i] = now_ms() - t0;
	}
	genctr = get64(buf);
	numrec = get64(buf + 8);
	last = numrec ? numrec * 1024 : 0;	/* the last record's offset */
	for (i = 0; i < reps; i++) {
		t0 = now_ms();
		st = disc_log(&c, buf, 4096, last & ~4095ULL);
		if (st)
			return report("scalebench", "discover: page", st);
		tp[i] = now_ms() - t0;
	}
	for (i = 0; i < reps; i++) {
		uint8_t sqe[64] = { 0x06 };	/* Identify Controller */

		put32(sqe + 40, 1);
		t0 = now_ms();
		st = submit(&c, sqe, buf, 0, 4096, NULL);
		if (st)
			return report("scalebench", "discover: identify", st);
		ti[i] = now_ms() - t0;
	}
	t0 = now_ms();
	for (off = 0; off < 1024 + numrec * 1024; off += 4096) {
		st = disc_log(&c, buf, 4096, off);
		if (st)
			return report("scalebench", "discover: whole log", st);
	}
	t_full = now_ms() - t0;
	st = disc_log(&c, buf, 1024, 0);
	if (st)
		return report("scalebench", "discover: header again", st);
	mh = median(th, reps, &xh);
	mp = median(tp, reps, &xp);
	mi = median(ti, reps, &xi);
	printf("scalebench discover %s numrec=%llu genctr_stable=%d header_ms=%.2f header_max_ms=%.2f page_ms=%.2f page_max_ms=%.2f identify_ms=%.2f whole_ms=%.1f\n",
	       label, (unsigned long long)numrec, get64(buf) == genctr,
	       mh, xh, mp, xp, mi, t_full);
	ctrl_shutdown(&c);
	close(c.sock);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc == 8 && !strcmp(cmd, "subsys"))
		return do_subsys(argv[2], argv[3], atoi(argv[4]), argv[5],
				 atoi(argv[6]), argv[7]);
	if (argc == 6 && !strcmp(cmd, "open"))
		return do_open(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc == 7 && !strcmp(cmd, "unsubsys"))
		return do_unsubsys(argv[2], argv[3], atoi(argv[4]), argv[5],
				   argv[6]);
	if (argc == 5 && (!strcmp(cmd, "hosts") || !strcmp(cmd, "unhosts")))
		return do_hosts(argv[2], argv[3], atoi(argv[4]),
				cmd[0] == 'u');
	if (argc == 8 && !strcmp(cmd, "connect"))
		return do_connect(argv[2], atoi(argv[3]), argv[4],
				  atoi(argv[5]), atoi(argv[6]), argv[7]);
	if (argc == 8 && !strcmp(cmd, "queues"))
		return do_queues(argv[2], atoi(argv[3]), argv[4],
				 atoi(argv[5]), atoi(argv[6]), argv[7]);
	if (argc == 7 && !strcmp(cmd, "discover"))
		return do_discover(argv[2], atoi(argv[3]), atoi(argv[4]),
				   atoi(argv[5]), argv[6]);
	fprintf(stderr, "usage: see tests/bench/scalebench.c\n");
	return 2;
}
