// SPDX-License-Identifier: GPL-2.0-only
/*
 * cfsbench: the seed's configfs scalability scenario, run in the VM.
 *
 *   cfsbench [-n ports] [-p procs] [-t trtype] [-a adrfam] [-s base_svcid]
 *            [-r root] [-l label]
 *
 * Sets up n subsystems and n ports, each subsystem linked into its own
 * port, split over p processes (n/p each), and times the whole setup; then
 * tears it down (timed too).  Meanwhile a further process issues unrelated
 * configfs operations (host and subsystem mkdir/rmdir, attribute reads and
 * writes on a port of its own) and records each one's latency.
 *
 * Prints one line "cfsbench <label> ..." of key=value pairs: the wall time
 * of setup and teardown, and p50/p99/max of the unrelated operations.
 *
 * Statically linked so it runs in the test VM's busybox initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES	(1 << 20)

struct opts {
	int ports;
	int procs;
	const char *trtype;
	const char *adrfam;
	int svcid;
	const char *root;
	const char *label;
};

/*
 * With -t fc, port i is bound to the FC target port with these names plus
 * i, which the run script registers (nvme-fcloop) beforehand.
 */
#define FC_WWNN_BASE	0x2000000000000001ULL
#define FC_WWPN_BASE	0x2100000000000001ULL

static int is_fc(const struct opts *o)
{
	return !strcmp(o->trtype, "fc");
}

/* Shared with the noise process through an anonymous shared mapping. */
struct noise {
	volatile int stop;
	int errors;
	long n;
	double ms[MAX_SAMPLES];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int write_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int read_attr(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static void die(const char *what, const char *path, int err)
{
	fprintf(stderr, "cfsbench: %s %s: %s\n", what, path, strerror(-err));
	exit(1);
}

static void subsys_nqn(char *buf, size_t size, int i)
{
	snprintf(buf, size, "nqn.2026-11.io.nvmet-ng:bench-%04d", i);
}

/* One target: subsystem i, port i, the link between them. */
static void setup_one(const struct opts *o, int i)
{
	char nqn[128], path[512], target[512], val[64];
	int ret;

	subsys_nqn(nqn, sizeof(nqn), i);
	snprintf(path, sizeof(path), "%s/subsystems/%s", o->root, nqn);
	if (mkdir(path, 0755))
		die("mkdir", path, -errno);
	snprintf(path, sizeof(path), "%s/subsystems/%s/attr_allow_any_host",
		 o->root, nqn);
	ret = write_attr(path, "1");
	if (ret)
		die("write", path, ret);

	snprintf(path, sizeof(path), "%s/ports/%d", o->root, i + 1);
	if (mkdir(path, 0755))
		die("mkdir", path, -errno);
	snprintf(path, sizeof(path), "%s/ports/%d/addr_trtype", o->root, i + 1);
	ret = write_attr(path, o->trtype);
	if (ret)
		die("write", path, ret);
	snprintf(path, sizeof(path), "%s/ports/%d/addr_adrfam", o->root, i + 1);
	ret = write_attr(path, o->adrfam);
	if (ret)
		die("write", path, ret);
	snprintf(path, sizeof(path), "%s/ports/%d/addr_traddr", o->root, i + 1);
	if (is_fc(o))
		/* The FC target port the run script registered for it. */
		snprintf(val, sizeof(val), "nn-0x%016llx:pn-0x%016llx",
			 FC_WWNN_BASE + i, FC_WWPN_BASE + i);
	else
		snprintf(val, sizeof(val), "127.0.0.1");
	ret = write_attr(path, val);
	if (ret)
		die("write", path, ret);
	if (!is_fc(o)) {
		snprintf(path, sizeof(path), "%s/ports/%d/addr_trsvcid",
			 o->root, i + 1);
		snprintf(val, sizeof(val), "%d", o->svcid + i);
		ret = write_attr(path, val);
		if (ret)
			die("write", path, ret);
	}

	snprintf(target, sizeof(target), "%s/subsystems/%s", o->root, nqn);
	snprintf(path, sizeof(path), "%s/ports/%d/subsystems/%s", o->root,
		 i + 1, nqn);
	if (symlink(target, path))
		die("ln", path, -errno);
}

static void teardown_one(const struct opts *o, int i)
{
	char nqn[128], path[512];

	subsys_nqn(nqn, sizeof(nqn), i);
	snprintf(path, sizeof(path), "%s/ports/%d/subsystems/%s", o->root,
		 i + 1, nqn);
	if (unlink(path))
		die("rm", path, -errno);
	snprintf(path, sizeof(path), "%s/ports/%d", o->root, i + 1);
	if (rmdir(path))
		die("rmdir", path, -errno);
	snprintf(path, sizeof(path), "%s/subsystems/%s", o->root, nqn);
	if (rmdir(path))
		die("rmdir", path, -errno);
}

/* Run fn over targets 0..ports-1 in procs processes; return wall ms. */
static double run_split(const struct opts *o,
			void (*fn)(const struct opts *, int))
{
	int per = o->ports / o->procs, p, status, failed = 0;
	double start = now_ms();

	for (p = 0; p < o->procs; p++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork", "", -errno);
		if (!pid) {
			int i;

			for (i = p * per; i < (p + 1) * per; i++)
				fn(o, i);
			_exit(0);
		}
	}
	for (p = 0; p < o->procs; p++) {
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = 1;
	}
	if (failed) {
		fprintf(stderr, "cfsbench: a worker failed\n");
		exit(1);
	}
	return now_ms() - start;
}

static void noise_sample(struct noise *nz, double start)
{
	if (nz->n < MAX_SAMPLES)
		nz->ms[nz->n++] = now_ms() - start;
}

/*
 * Unrelated operations, until told to stop: on objects no worker touches.
 * Attribute writes on a subsystem and allowed_hosts links take the global
 * configuration semaphore in the in-tree target; host mkdir/rmdir and port
 * attributes do not.
 */
static void noise_loop(const struct opts *o, struct noise *nz)
{
	char path[512], target[512], buf[256];
	const char *ns = "nqn.2026-11.io.nvmet-ng:noise";
	double t;
	long k;

	snprintf(path, sizeof(path), "%s/ports/60000", o->root);
	nz->errors += mkdir(path, 0755) != 0;
	snprintf(path, sizeof(path), "%s/subsystems/%s", o->root, ns);
	nz->errors += mkdir(path, 0755) != 0;
	snprintf(path, sizeof(path), "%s/hosts/%s-host", o->root, ns);
	nz->errors += mkdir(path, 0755) != 0;
	for (k = 0; !nz->stop; k++) {
		snprintf(path, sizeof(path),
			 "%s/hosts/nqn.2026-11.io.nvmet-ng:noise-host-%ld",
			 o->root, k);
		t = now_ms();
		nz->errors += mkdir(path, 0755) != 0;
		noise_sample(nz, t);
		t = now_ms();
		nz->errors += rmdir(path) != 0;
		noise_sample(nz, t);

		snprintf(path, sizeof(path), "%s/subsystems/%s/attr_model",
			 o->root, ns);
		snprintf(buf, sizeof(buf), "model-%ld", k % 1000);
		t = now_ms();
		nz->errors += write_attr(path, buf) != 0;
		noise_sample(nz, t);

		snprintf(target, sizeof(target), "%s/hosts/%s-host", o->root,
			 ns);
		snprintf(path, sizeof(path), "%s/subsystems/%s/allowed_hosts/h",
			 o->root, ns);
		t = now_ms();
		nz->errors += symlink(target, path) != 0;
		noise_sample(nz, t);
		t = now_ms();
		nz->errors += unlink(path) != 0;
		noise_sample(nz, t);

		snprintf(path, sizeof(path), "%s/ports/60000/addr_trsvcid",
			 o->root);
		snprintf(buf, sizeof(buf), "%ld", 10000 + k % 1000);
		t = now_ms();
		nz->errors += write_attr(path, buf) != 0;
		noise_sample(nz, t);
		t = now_ms();
		nz->errors += read_attr(path, buf, sizeof(buf)) != 0;
		noise_sample(nz, t);
		usleep(1000);
	}
	snprintf(path, sizeof(path), "%s/hosts/%s-host", o->root, ns);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/subsystems/%s", o->root, ns);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/ports/60000", o->root);
	rmdir(path);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, long n, double p)
{
	long i = (long)(p * (n - 1) + 0.5);

	return n ? v[i] : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cfsbench [-n ports] [-p procs] [-t trtype] [-a adrfam] [-s svcid] [-r root] [-l label]\n");
	exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ 256, 4, "loop", "ipv4", 4420,
			    "/sys/kernel/config/nvmet", "ours" };
	while ((c = getopt(argc, argv, "n:p:t:a:s:r:l:")) != -1) {
		switch (c) {
		case 'n': o->ports = atoi(optarg); break;
		case 'p': o->procs = atoi(optarg); break;
		case 't': o->trtype = optarg; break;
		case 'a': o->adrfam = optarg; break;
		case 's': o->svcid = atoi(optarg); break;
		case 'r': o->root = optarg; break;
		case 'l': o->label = optarg; break;
		default: usage();
		}
	}
	if (o->ports <= 0 || o->procs <= 0 || o->ports % o->procs)
		usage();
}

int main(int argc, char **argv)
{
	struct noise *nz;
	struct opts o;
	double setup, teardown;
	pid_t noise;
	int status;

	parse_opts(argc, argv, &o);
	nz = mmap(NULL, sizeof(*nz), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (nz == MAP_FAILED)
		die("mmap", "", -errno);

	noise = fork();
	if (noise < 0)
		die("fork", "", -errno);
	if (!noise) {
		noise_loop(&o, nz);
		_exit(0);
	}
	usleep(100000);
	setup = run_split(&o, setup_one);
	teardown = run_split(&o, teardown_one);
	nz->stop = 1;
	waitpid(noise, &status, 0);

	qsort(nz->ms, nz->n, sizeof(double), cmp_double);
	printf("cfsbench %s ports=%d procs=%d setup_ms=%.1f teardown_ms=%.1f noise_ops=%ld noise_errors=%d noise_p50_ms=%.3f noise_p99_ms=%.3f noise_max_ms=%.3f\n",
	       o.label, o.ports, o.procs, setup, teardown, nz->n, nz->errors,
	       pct(nz->ms, nz->n, 0.50), pct(nz->ms, nz->n, 0.99),
	       nz->n ? nz->ms[nz->n - 1] : 0);
	return nz->errors ? 1 : 0;
}
