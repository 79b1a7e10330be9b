// SPDX-License-Identifier: GPL-2.0-only
/*
 * nsbench: many namespaces in one subsystem, run in the VM by make bench.
 *
 *   nsbench create NSDIR COUNT BACKEND [LABEL]
 *	mkdir NSDIR/1 .. NSDIR/COUNT and enable each: BACKEND "null" (ours:
 *	device_backend null, 1 MiB), a path with one %u (device_path, e.g.
 *	/dev/nullb%u counting from 0), or "file:" and such a path (a sparse
 *	1 MiB file made first).  Prints the time, and the time of each
 *	eighth, which shows what configfs' own lookups cost as the
 *	directory grows.
 *   nsbench teardown NSDIR PROCS [LABEL]
 *	disable every namespace, PROCS processes at once (each disable waits
 *	out an RCU grace period), then rmdir them.
 *   nsbench host ADDR PORT SUBNQN [LABEL]
 *	a minimal NVMe/TCP host, so that no host kernel makes a block device
 *	per namespace: Connect the admin queue and enable the controller
 *	(connect), Identify Controller, every page of the active namespace
 *	list (CNS 02h, 1024 a page) and the whole ANA log in one read as the
 *	Linux host does; each timed.
 *
 * Prints one line "nsbench <what> <label> key=value ...".  Statically
 * linked so it runs in the test VM's busybox initramfs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchlib.h"

/* the host NQN and host ID number (benchlib.h's host_nqn()) */
#define HOST	0xa5

static int make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644), ret;

	if (fd < 0)
		return -1;
	ret = ftruncate(fd, 1 << 20);
	close(fd);
	return ret;
}

static int do_create(const char *nsdir, unsigned int count,
		     const char *backend, const char *label)
{
	double t0 = now_ms(), tp = t0;
	char dir[512], val[512];
	unsigned int i;

	printf("nsbench create %s n=%u", label, count);
	for (i = 1; i <= count; i++) {
		snprintf(dir, sizeof(dir), "%s/%u", nsdir, i);
		if (mkdir(dir, 0755)) {
			fprintf(stderr, "mkdir %s: %s\n", dir, strerror(errno));
			return 1;
		}
		if (!strcmp(backend, "null")) {
			if (put_attr(dir, "device_backend", "null") ||
			    put_attr(dir, "device_size", "1048576"))
				goto fail;
		} else {
			/* "file:PATH": a sparse 1 MiB file made first */
			int file = !strncmp(backend, "file:", 5);

			snprintf(val, sizeof(val), backend + (file ? 5 : 0),
				 i - 1);
			if (file && make_file(val))
				goto fail;
			if (put_attr(dir, "device_path", val))
				goto fail;
		}
		if (put_attr(dir, "enable", "1"))
			goto fail;
		if (count >= 8 && i % (count / 8) == 0) {
			printf(" eighth%u_ms=%.0f", i / (count / 8),
			       now_ms() - tp);
			tp = now_ms();
		}
	}
	printf(" ms=%.0f us_per_ns=%.0f\n", now_ms() - t0,
	       (now_ms() - t0) * 1e3 / count);
	return 0;
fail:
	fprintf(stderr, "\nconfiguring %s: %s\n", dir, strerror(errno));
	return 1;
}

static int do_teardown(const char *nsdir, int procs, const char *label)
{
	static unsigned long ids[1 << 17];
	unsigned int n = 0, i;
	double t0, t1;
	char dir[512];
	struct dirent *de;
	DIR *d = opendir(nsdir);
	int p, bad = 0, st;

	if (!d)
		return 1;
	while ((de = readdir(d)) && n < sizeof(ids) / sizeof(ids[0]))
		if (de->d_name[0] != '.')
			ids[n++] = strtoul(de->d_name, NULL, 0);
	closedir(d);
	t0 = now_ms();
	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			for (i = p; i < n; i += procs) {
				snprintf(dir, sizeof(dir), "%s/%lu", nsdir,
					 ids[i]);
				if (put_attr(dir, "enable", "0"))
					_exit(1);
			}
			_exit(0);
		}
	}
	while (wait(&st) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	t1 = now_ms();
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/%lu", nsdir, ids[i]);
		if (rmdir(dir))
			bad = 1;
	}
	printf("nsbench teardown %s n=%u procs=%d disable_ms=%.0f rmdir_ms=%.0f%s\n",
	       label, n, procs, t1 - t0, now_ms() - t1, bad ? " FAILED" : "");
	return bad;
}

static int identify(struct conn *c, uint8_t cns, uint32_t nsid, void *buf)
{
	uint8_t sqe[64] = { 0x06 };

	put32(sqe + 4, nsid);
	put32(sqe + 40, cns);
	return submit(c, sqe, buf, 0, 4096, NULL);
}

static int do_host(const char *addr, int port, const char *nqn,
		   const char *label)
{
	static uint8_t buf[1 << 20];
	uint8_t sqe[64] = { 0 };
	double t0, t_conn, t_id, t_list, t_ana;
	uint32_t nn, mnan, ngrps, len, last = 0, total = 0, i;
	uint16_t cntlid = 0xffff;
	struct conn c;
	int st;

	t0 = now_ms();
	st = conn_open(&c, addr, port, nqn, HOST, 0, &cntlid);
	if (st)
		return report("nsbench", "host: connect", st);
	st = ctrl_enable(&c);
	if (st)
		goto err;
	t_conn = now_ms() - t0;

	t0 = now_ms();
	st = identify(&c, 1, 0, buf);
	if (st)
		goto err;
	t_id = now_ms() - t0;
	nn = get32(buf + 516);
	mnan = get32(buf + 540);
	ngrps = get32(buf + 352);	/* NANAGRPID */

	t0 = now_ms();
	for (;;) {
		st = identify(&c, 2, last, buf);
		if (st)
			goto err;
		for (i = 0; i < 1024 && get32(buf + 4 * i); i++)
			last = get32(buf + 4 * i);
		total += i;
		if (i < 1024)
			break;
	}
	t_list = now_ms() - t0;

	/* The ANA log as the Linux host sizes its read of it. */
	len = 16 + ngrps * 32 + mnan * 4;
	if (len > sizeof(buf))
		len = sizeof(buf);
	sqe[0] = 0x02;
	put32(sqe + 4, 0xffffffff);
	put32(sqe + 40, 0x0c | ((len / 4 - 1) & 0xffff) << 16);
	put32(sqe + 44, (len / 4 - 1) >> 16);
	t0 = now_ms();
	st = submit(&c, sqe, buf, 0, len, NULL);
	if (st)
		goto err;
	t_ana = now_ms() - t0;
	printf("nsbench host %s nn=%u mnan=%u namespaces=%u connect_ms=%.1f id_ctrl_ms=%.1f list_pages=%u list_ms=%.1f ana_log_bytes=%u ana_log_ms=%.1f\n",
	       label, nn, mnan, total, t_conn, t_id, total / 1024 + 1,
	       t_list, len, t_ana);
	close(c.sock);
	return 0;
err:
	close(c.sock);
	return report("nsbench", "host", st);
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "create"))
		return do_create(argv[2], atoi(argv[3]), argv[4],
				 argc > 5 ? argv[5] : "-");
	if (argc >= 4 && !strcmp(argv[1], "teardown"))
		return do_teardown(argv[2], atoi(argv[3]),
				   argc > 4 ? argv[4] : "-");
	if (argc >= 5 && !strcmp(argv[1], "host"))
		return do_host(argv[2], atoi(argv[3]), argv[4],
			       argc > 5 ? argv[5] : "-");
	fprintf(stderr, "usage: see tests/bench/nsbench.c\n");
	return 2;
}
