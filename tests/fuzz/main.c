// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fuzz: a structure-aware NVMe/TCP fuzzer for a target on
 * 127.0.0.1.  Each connection follows a plan drawn from the seed and the
 * connection's number (raw PDUs before ICReq; after ICReq; on a discovery
 * controller; on an NVM admin queue; on an I/O queue), runs a bounded
 * number of fuzzed PDUs, and is closed.  The run ends after --pdus PDUs
 * or --seconds; it prints what was sent and what the target answered.
 */
#include <endian.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

#define DISC_NQN "nqn.2014-08.org.nvmexpress.discovery"

struct opts opt = {
	.addr = "127.0.0.1",
	.port = 4420,
	.seed = 1,
	.pdus = 10000,
	.seconds = 600,
	.steps = 32,
	.answer_ms = 2000,
	.quiet_ms = 10,
	.burst = 32,
	.burst_pct = 45,
	.hostnqn = "nqn.2014-08.org.nvmexpress:uuid:f0220000-fa22-4000-8000-00000000f022",
	.only_conn = -1,
};
struct stats st;

static const uint8_t fuzz_hostid[16] = {
	0xf0, 0x22, 0x00, 0x00, 0xfa, 0x22, 0x40, 0x00,
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x22 };

enum plan { P_RAW, P_IC, P_DISC, P_NVM, P_IO, P_PLANS };
static const char *const plan_name[] = { "raw", "icreq", "discovery",
					 "admin", "io" };
static uint64_t deadline;
static uint64_t quota;		/* this process's share of opt.pdus */
static uint64_t run_t0;
static void report(uint64_t t0);

static bool done(void)
{
	return st.pdus >= quota || now_ms() >= deadline;
}

static void ctrl_init(struct ctrl_id *id, const char *nqn)
{
	memset(id, 0, sizeof(*id));
	id->subnqn = nqn;
	memcpy(id->hostid, fuzz_hostid, 16);
	id->cntlid = 0xffff;
}

/* fuzz a connection that reached its plan's starting point */
static void fuzz_conn(struct conn *c, struct rng *r, struct ctrl_id *id,
		      bool connected, bool discovery, struct conn *admin)
{
	unsigned int n = 1 + rng_below(r, opt.steps), i;

	for (i = 0; i < n && !done(); i++) {
		/* now and then the admin queue of an I/O queue's controller */
		if (admin && !admin->dead && rng_pct(r, 10)) {
			if (!fuzz_step(admin, r, id, true, false))
				admin = NULL;
			continue;
		}
		if (!fuzz_step(c, r, id, connected, discovery))
			break;
	}
}

static void run_conn(uint64_t k)
{
	struct conn c, a;
	struct ctrl_id id;
	struct rng r;
	enum plan p;
	bool dig;

	rng_seed(&r, opt.seed * 0x100000001b3ULL ^ k);
	p = rng_below(&r, 100) < 8 ? P_RAW : (enum plan)(1 + rng_below(&r, 4));
	dig = rng_pct(&r, 30);
	if (p == P_DISC)
		ctrl_init(&id, DISC_NQN);
	else
		ctrl_init(&id, opt.nqn[rng_pct(&r, 75) ? 0 :
				       rng_below(&r, opt.nr_nqn)]);
	st.plans[p]++;
	logv(1, "conn %llu: %s%s %s\n", (unsigned long long)k, plan_name[p],
	     dig ? " digests" : "", id.subnqn);
	/* /dev/kmsg writers are rate-limited: mark now and then */
	if (!(k % 256))
		kmsg("nvme-tcp-fuzz: seed %llu conn %llu\n",
		     (unsigned long long)opt.seed, (unsigned long long)k);
	if (conn_open(&c))
		return;
	if (p == P_RAW) {
		fuzz_conn(&c, &r, &id, false, false, NULL);
		goto close_c;
	}
	if (setup_icreq(&c, &r, dig))
		goto close_c;
	if (p == P_IC) {
		fuzz_conn(&c, &r, &id, false, false, NULL);
		goto close_c;
	}
	if (setup_connect(&c, &id, 0, 31))
		goto close_c;
	if ((p != P_DISC || rng_pct(&r, 80)) && setup_enable(&c))
		goto close_c;
	if (p != P_IO) {
		fuzz_conn(&c, &r, &id, true, p == P_DISC, NULL);
		goto close_c;
	}
	/* I/O queue: a second connection joins the controller */
	if (conn_open(&a))
		goto close_c;
	if (setup_icreq(&a, &r, dig) ||
	    setup_connect(&a, &id, 1 + rng_below(&r, 2),
			  rng_pct(&r, 80) ? 127 : 31))
		goto close_a;
	fuzz_conn(&a, &r, &id, true, false, &c);
close_a:
	conn_close(&a);
close_c:
	conn_close(&c);
}

static void report(uint64_t t0)
{
	static const char *const tname[PDU_TYPES + 1] = {
		"ICReq", "ICResp", "H2CTermReq", "C2HTermReq", "CapsuleCmd",
		"CapsuleResp", "H2CData", "C2HData", "type 0x08", "R2T",
		"type 0x0a", "type 0x0b", "type 0x0c", "type 0x0d",
		"type 0x0e", "type 0x0f", "types >= 0x10" };
	static const char *const fes[8] = { "0 (reserved)",
		"1 invalid header field", "2 PDU sequence error",
		"3 header digest error", "4 data out of range",
		"5 data transfer limit exceeded", "6 unsupported parameter",
		"other" };
	uint64_t ms = now_ms() - t0;
	int i;

	if (!ms)
		ms = 1;
	printf("fuzz: seed %llu: %llu PDUs (%llu bytes) in %llu.%03llu s: %llu PDUs/s\n",
	       (unsigned long long)opt.seed, (unsigned long long)st.pdus,
	       (unsigned long long)st.bytes, (unsigned long long)ms / 1000,
	       (unsigned long long)ms % 1000,
	       (unsigned long long)(st.pdus * 1000 / ms));
	printf("fuzz: connections %llu (refused %llu, setup not accepted %llu); plans:",
	       (unsigned long long)st.conns, (unsigned long long)st.conn_fail,
	       (unsigned long long)st.setup_fail);
	for (i = 0; i < P_PLANS; i++)
		printf(" %s %llu", plan_name[i], (unsigned long long)st.plans[i]);
	printf("\nfuzz: sent by type:");
	for (i = 0; i <= PDU_TYPES; i++)
		if (st.sent[i])
			printf(" %s %llu", tname[i],
			       (unsigned long long)st.sent[i]);
	printf("\nfuzz: answers: ICResp %llu, CapsuleResp %llu, R2T %llu, C2HData %llu, C2HTermReq %llu, other types %llu, unparsable %llu\n",
	       (unsigned long long)st.icresp, (unsigned long long)st.rsp,
	       (unsigned long long)st.r2t, (unsigned long long)st.c2h_data,
	       (unsigned long long)st.term, (unsigned long long)st.other_rx,
	       (unsigned long long)st.bad_rx);
	printf("fuzz: closed by target %llu, timeouts (no answer owed one) %llu, quiet (none owed) %llu, target stopped reading %llu\n",
	       (unsigned long long)st.closed, (unsigned long long)st.timeouts,
	       (unsigned long long)st.quiet, (unsigned long long)st.stalled);
	printf("fuzz: timeouts by the type of the PDU sent last:");
	for (i = 0; i <= PDU_TYPES; i++)
		if (st.timeout_after[i])
			printf(" %s %llu", tname[i],
			       (unsigned long long)st.timeout_after[i]);
	printf("\n");
	printf("fuzz: response status (SCT/SC; %llu with DNR):",
	       (unsigned long long)st.dnr);
	for (i = 0; i < 0x800; i++)
		if (st.status[i])
			printf(" %#05x:%llu", i, (unsigned long long)st.status[i]);
	printf("\nfuzz: C2HTermReq by FES:");
	for (i = 0; i < 8; i++)
		if (st.fes[i])
			printf(" %s: %llu", fes[i], (unsigned long long)st.fes[i]);
	printf("\n");
	fflush(stdout);
}

/*
 * Job @j of @n runs connections j, j + n, j + 2n, ...; each connection's
 * PDUs depend only on the seed and its number, so any one of them can be
 * run alone (-c).  Returns nonzero when the target stopped accepting.
 */
static int run_job(unsigned int j, unsigned int n, struct stats *out)
{
	uint64_t k, last = now_ms();
	int fails = 0;

	quota = opt.pdus / n + (j < opt.pdus % n);
	for (k = j; !done(); k += n) {
		uint64_t refused = st.conn_fail;

		st.conn_now = k;
		run_conn(k);
		if (n == 1) {
			kwatch_poll(k);
			if (now_ms() - last >= 60000) {
				last = now_ms();
				report(run_t0);
			}
		}
		fails = st.conn_fail > refused ? fails + 1 : 0;
		if (out)
			*out = st;
		if (fails >= 20) {
			printf("fuzz: the target refused 20 connections in a row\n");
			return 1;
		}
	}
	return 0;
}

static void sum_stats(const struct stats *slot, unsigned int n)
{
	const uint64_t *src;
	uint64_t *dst = (uint64_t *)&st;
	size_t w, i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		src = (const uint64_t *)&slot[i];
		for (w = 0; w < sizeof(st) / sizeof(uint64_t); w++)
			dst[w] += src[w];
	}
}

/* run opt.jobs processes; the parent watches the kernel log and reports */
static int run_jobs(uint64_t t0)
{
	struct stats *slot;
	uint64_t last = now_ms();
	unsigned int j, left, i;
	pid_t pid[64];
	int status, ret = 0;

	run_t0 = t0;
	if (opt.jobs <= 1)
		return run_job(0, 1, NULL);
	slot = mmap(NULL, opt.jobs * sizeof(*slot), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED)
		return 1;
	memset(slot, 0, opt.jobs * sizeof(*slot));
	fflush(stdout);
	for (j = 0; j < opt.jobs; j++) {
		pid[j] = fork();
		if (pid[j] == 0)
			_exit(run_job(j, opt.jobs, &slot[j]));
		if (pid[j] < 0)
			return 1;
	}
	for (left = opt.jobs; left; ) {
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				ret = 1;
			continue;
		}
		usleep(100000);
		for (i = 0; i < opt.jobs; i++)
			kwatch_poll(slot[i].conn_now);
		if (now_ms() - last >= 60000) {
			last = now_ms();
			sum_stats(slot, opt.jobs);
			report(t0);
		}
	}
	kwatch_poll(slot[0].conn_now);
	sum_stats(slot, opt.jobs);
	return ret;
}

static void usage(void)
{
	printf("usage: nvme-tcp-fuzz [options] -n NQN [-n NQN...]\n"
	       "  -a ADDR        target IPv4 address (127.0.0.1)\n"
	       "  -p PORT        TCP port (4420)\n"
	       "  -n NQN         an NVM subsystem to connect to (repeatable)\n"
	       "  -H HOSTNQN     the fuzzer's host NQN\n"
	       "  -s SEED        seed (1); a seed reproduces a run\n"
	       "  -N PDUS        stop after PDUS PDUs sent (10000)\n"
	       "  -t SECONDS     stop after SECONDS (600)\n"
	       "  -k STEPS       at most STEPS fuzzed PDUs per connection (32)\n"
	       "  -w MS          wait for an answer the target owes (2000)\n"
	       "  -q MS          wait after a PDU that needs none (10)\n"
	       "  -c CONN        run only connection number CONN of the seed\n"
	       "  -j JOBS        run JOBS connections at a time (1)\n"
	       "  -r CASE        replay a named raw-PDU case (-r list: names)\n"
	       "  -b N           at most N capsules back to back (32)\n"
	       "  -B PCT         PCT%% of the steps on a connected queue burst (45)\n"
	       "  -S             no SGL lengths above 16 MiB (off)\n"
	       "  -K             mark each connection in /dev/kmsg, and watch\n"
	       "                 the kernel log for splats (exit 3 on one)\n"
	       "  -v             print every step; -vv every PDU and answer\n");
}

int main(int argc, char **argv)
{
	struct ctrl_id id;
	uint64_t t0;
	int ch, refused = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt(argc, argv, "a:p:n:H:s:N:t:k:w:q:c:j:r:b:B:SKvh")) != -1) {
		switch (ch) {
		case 'a': opt.addr = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'n':
			if (opt.nr_nqn < MAX_NQNS)
				opt.nqn[opt.nr_nqn++] = optarg;
			break;
		case 'H': opt.hostnqn = optarg; break;
		case 's': opt.seed = strtoull(optarg, NULL, 0); break;
		case 'N': opt.pdus = strtoull(optarg, NULL, 0); break;
		case 't': opt.seconds = atoi(optarg); break;
		case 'k': opt.steps = atoi(optarg) ? atoi(optarg) : 1; break;
		case 'w': opt.answer_ms = atoi(optarg); break;
		case 'q': opt.quiet_ms = atoi(optarg); break;
		case 'c': opt.only_conn = atol(optarg); break;
		case 'j':
			opt.jobs = atoi(optarg);
			if (opt.jobs > 64)
				opt.jobs = 64;
			break;
		case 'r': opt.replay = optarg; break;
		case 'b': opt.burst = atoi(optarg) > 2 ? atoi(optarg) : 2; break;
		case 'B': opt.burst_pct = atoi(optarg); break;
		case 'S': opt.no_huge_sgl = true; break;
		case 'K': opt.kmsg = true; break;
		case 'v': opt.verbose++; break;
		default: usage(); return ch == 'h' ? 0 : 2;
		}
	}
	if (opt.replay && !strcmp(opt.replay, "list")) {
		list_cases();
		return 0;
	}
	if (!opt.nr_nqn)
		opt.nqn[opt.nr_nqn++] = "nqn.2026-11.io.nvmet-ng:fuzz";
	deadline = now_ms() + (uint64_t)opt.seconds * 1000;
	ctrl_init(&id, opt.nqn[0]);
	probe_target(&id);
	memset(&st, 0, sizeof(st));
	t0 = now_ms();
	if (opt.replay) {
		if (replay_case(opt.replay)) {
			fprintf(stderr, "no case '%s'\n", opt.replay);
			return 2;
		}
		report(t0);
		return 0;
	}
	printf("fuzz: seed %llu, %llu PDUs or %u s, %s:%d, %d subsystem(s), %u job(s)%s\n",
	       (unsigned long long)opt.seed, (unsigned long long)opt.pdus,
	       opt.seconds, opt.addr, opt.port, opt.nr_nqn,
	       opt.jobs ? opt.jobs : 1,
	       opt.no_huge_sgl ? ", SGLs <= 16 MiB" : "");
	if (opt.kmsg)
		kwatch_open();
	if (opt.only_conn >= 0) {
		quota = opt.pdus;
		run_conn(opt.only_conn);
		usleep(200000);
		kwatch_poll(opt.only_conn);
	} else {
		refused = run_jobs(t0);
	}
	report(t0);
	if (opt.kmsg)
		printf("fuzz: kernel log: %llu splat lines%s\n",
		       (unsigned long long)kwatch_splats,
		       kwatch_lost ? " (some records were overrun)" : "");
	return kwatch_splats ? 3 : refused ? 1 : 0;
}
