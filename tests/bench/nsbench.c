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
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOSTNQN	"nqn.2014-08.org.nvmexpress:uuid:5ca1ab1e-0000-4000-8000-0000000000a5"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int put_attr(const char *dir, const char *attr, const char *val)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	close(fd);
	return ret;
}

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

/* ------------------------------------------------ a minimal TCP host -- */

static int sock;
static uint16_t cid;

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }
static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int xfer(int out, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = out ? write(sock, (uint8_t *)buf + done, len - done) :
			  read(sock, (uint8_t *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/*
 * Send @sqe (with @in bytes of in-capsule data from @data, or a read of
 * up to @out bytes into @data) and wait for its completion.  Returns the
 * NVMe status, or -1; the completion's DW0 in *@res.
 */
static int submit(uint8_t *sqe, void *data, uint32_t in, uint32_t out,
		  uint64_t *res)
{
	uint8_t pdu[8 + 64], hdr[24], cqe[16];
	uint32_t plen, off, len;

	sqe[1] = 0x40;				/* SGL */
	put16(sqe + 2, ++cid);
	if (in) {
		put32(sqe + 32, in);
		sqe[39] = 0x01;			/* data block, offset */
	} else {
		put32(sqe + 32, out);
		sqe[39] = 0x5a;			/* transport data block */
	}
	memset(pdu, 0, 8);
	pdu[0] = 4;				/* CapsuleCmd */
	pdu[2] = 72;
	pdu[3] = in ? 72 : 0;
	put32(pdu + 4, 72 + in);
	memcpy(pdu + 8, sqe, 64);
	if (xfer(1, pdu, sizeof(pdu)) || (in && xfer(1, data, in)))
		return -1;
	for (;;) {
		if (xfer(0, hdr, 8))
			return -1;
		plen = get32(hdr + 4);
		if (hdr[0] == 5) {		/* CapsuleResp */
			if (plen != 24 || xfer(0, cqe, 16))
				return -1;
			if (res)
				*res = get32(cqe) | (uint64_t)get32(cqe + 4) << 32;
			return (cqe[14] | cqe[15] << 8) >> 1;
		}
		if (hdr[0] != 7 || xfer(0, hdr + 8, 16))	/* C2HData */
			return -1;
		off = get32(hdr + 12);
		len = get32(hdr + 16);
		if (hdr[3] != 24 || plen != 24 + len || off + len > out ||
		    xfer(0, (uint8_t *)data + off, len))
			return -1;
	}
}

static int prop(int set, uint32_t off, uint64_t *val)
{
	uint8_t sqe[64] = { 0x7f };

	sqe[4] = set ? 0x00 : 0x04;
	put32(sqe + 44, off);
	if (set)
		put64(sqe + 48, *val);
	return submit(sqe, NULL, 0, 0, val);
}

static int identify(uint8_t cns, uint32_t nsid, void *buf)
{
	uint8_t sqe[64] = { 0x06 };

	put32(sqe + 4, nsid);
	put32(sqe + 40, cns);
	return submit(sqe, buf, 0, 4096, NULL);
}

static int do_host(const char *addr, int port, const char *nqn,
		   const char *label)
{
	static uint8_t buf[1 << 20], cd[1024];
	uint8_t ic[128] = { 0 }, sqe[64] = { 0x7f };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	double t0, t_conn, t_id, t_list, t_ana;
	uint32_t nn, mnan, ngrps, len, last = 0, total = 0, i;
	uint64_t v;
	int one = 1, st;

	sa.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	t0 = now_ms();
	sock = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	ic[2] = 128;
	put32(ic + 4, 128);
	if (xfer(1, ic, 128) || xfer(0, ic, 128) || ic[0] != 1)
		goto err;
	/* Connect, admin queue of 32, KATO 30 s */
	sqe[4] = 0x01;
	put16(sqe + 44, 31);
	put32(sqe + 48, 30000);
	memset(cd, 0, sizeof(cd));
	memcpy(cd, "\x5c\xa1\xab\x1e\x00\x00\x40\x00\x80\x00\x00\x00\x00\x00\x00\xa5", 16);
	put16(cd + 16, 0xffff);
	snprintf((char *)cd + 256, 256, "%s", nqn);
	snprintf((char *)cd + 512, 256, "%s", HOSTNQN);
	st = submit(sqe, cd, sizeof(cd), 0, NULL);
	if (st)
		goto err_st;
	v = 0x460001;		/* CC: EN, IOSQES 6, IOCQES 4 */
	st = prop(1, 0x14, &v);
	if (st)
		goto err_st;
	do {
		st = prop(0, 0x1c, &v);
	} while (!st && !(v & 1));
	if (st)
		goto err_st;
	t_conn = now_ms() - t0;

	t0 = now_ms();
	st = identify(1, 0, buf);
	if (st)
		goto err_st;
	t_id = now_ms() - t0;
	nn = get32(buf + 516);
	mnan = get32(buf + 540);
	ngrps = get32(buf + 352);	/* NANAGRPID */

	t0 = now_ms();
	for (;;) {
		st = identify(2, last, buf);
		if (st)
			goto err_st;
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
	memset(sqe, 0, sizeof(sqe));
	sqe[0] = 0x02;
	put32(sqe + 4, 0xffffffff);
	put32(sqe + 40, 0x0c | ((len / 4 - 1) & 0xffff) << 16);
	put32(sqe + 44, (len / 4 - 1) >> 16);
	t0 = now_ms();
	st = submit(sqe, buf, 0, len, NULL);
	if (st)
		goto err_st;
	t_ana = now_ms() - t0;
	printf("nsbench host %s nn=%u mnan=%u namespaces=%u connect_ms=%.1f id_ctrl_ms=%.1f list_pages=%u list_ms=%.1f ana_log_bytes=%u ana_log_ms=%.1f\n",
	       label, nn, mnan, total, t_conn, t_id, total / 1024 + 1,
	       t_list, len, t_ana);
	close(sock);
	return 0;
err_st:
	fprintf(stderr, "nsbench host: NVMe status %#x\n", st);
	return 1;
err:
	fprintf(stderr, "nsbench host: %s\n", strerror(errno));
	return 1;
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
