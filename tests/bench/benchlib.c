// SPDX-License-Identifier: GPL-2.0-only
/*
 * What nsbench and scalebench share: see benchlib.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int put_attr(const char *dir, const char *attr, const char *val)
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

void host_nqn(char *buf, size_t len, unsigned int i)
{
	snprintf(buf, len,
		 "nqn.2014-08.org.nvmexpress:uuid:5ca1ab1e-0000-4000-8000-%012x",
		 i);
}

void host_id(uint8_t *id, unsigned int i)
{
	static const uint8_t base[16] = {
		0x5c, 0xa1, 0xab, 0x1e, 0x00, 0x00, 0x40, 0x00, 0x80, 0x00,
	};

	memcpy(id, base, 16);
	id[12] = i >> 24;
	id[13] = i >> 16;
	id[14] = i >> 8;
	id[15] = i;
}

void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ------------------------------------------------ a minimal TCP host -- */

static int xfer(int sock, int out, void *buf, size_t len)
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

int submit(struct conn *c, uint8_t *sqe, void *data, uint32_t in,
	   uint32_t out, uint64_t *res)
{
	uint8_t pdu[8 + 64], hdr[24], cqe[16];
	uint32_t plen, off, len;

	sqe[1] = 0x40;					/* SGL */
	put16(sqe + 2, ++c->cid);
	put32(sqe + 32, in ? in : out);
	sqe[39] = in ? 0x01 : 0x5a;	/* in-capsule : transport data block */
	memset(pdu, 0, 8);
	pdu[0] = 4;					/* CapsuleCmd */
	pdu[2] = 72;
	pdu[3] = in ? 72 : 0;
	put32(pdu + 4, 72 + in);
	memcpy(pdu + 8, sqe, 64);
	if (xfer(c->sock, 1, pdu, sizeof(pdu)) ||
	    (in && xfer(c->sock, 1, data, in)))
		return -1;
	for (;;) {
		if (xfer(c->sock, 0, hdr, 8))
			return -1;
		plen = get32(hdr + 4);
		if (hdr[0] == 5) {			/* CapsuleResp */
			if (plen != 24 || xfer(c->sock, 0, cqe, 16))
				return -1;
			if (res)
				*res = get64(cqe);
			return (cqe[14] | cqe[15] << 8) >> 1;
		}
		if (hdr[0] != 7 || xfer(c->sock, 0, hdr + 8, 16))	/* C2HData */
			return -1;
		off = get32(hdr + 12);
		len = get32(hdr + 16);
		if (hdr[3] != 24 || plen != 24 + len || off + len > out ||
		    xfer(c->sock, 0, (uint8_t *)data + off, len))
			return -1;
	}
}

int prop(struct conn *c, int set, uint32_t off, uint64_t *val)
{
	uint8_t sqe[64] = { 0x7f };

	sqe[4] = set ? 0x00 : 0x04;	/* 4-byte CC, CSTS */
	put32(sqe + 44, off);
	if (set)
		put64(sqe + 48, *val);
	return submit(c, sqe, NULL, 0, 0, val);
}

int conn_open(struct conn *c, const char *addr, int port, const char *nqn,
	      unsigned int host, uint16_t qid, uint16_t *cntlid)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint8_t ic[128] = { 0 }, sqe[64] = { 0x7f }, cd[1024] = { 0 };
	uint64_t res;
	int one = 1, st;

	c->cid = 0;
	sa.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa.sin_addr);
	c->sock = socket(AF_INET, SOCK_STREAM, 0);
	if (c->sock < 0)
		return -1;
	setsockopt(c->sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	ic[2] = 128;
	put32(ic + 4, 128);
	if (xfer(c->sock, 1, ic, 128) || xfer(c->sock, 0, ic, 128) ||
	    ic[0] != 1)
		goto err;
	sqe[4] = 0x01;				/* Connect */
	put16(sqe + 42, qid);
	put16(sqe + 44, 31);			/* SQSIZE 32 */
	put32(sqe + 48, qid ? 0 : 30000);	/* KATO 30 s */
	host_id(cd, host);
	put16(cd + 16, *cntlid);
	snprintf((char *)cd + 256, 256, "%s", nqn);
	host_nqn((char *)cd + 512, 256, host);
	st = submit(c, sqe, cd, sizeof(cd), 0, &res);
	if (st) {
		close(c->sock);
		return st;
	}
	*cntlid = res & 0xffff;
	return 0;
err:
	close(c->sock);
	return -1;
}

int ctrl_enable(struct conn *c)
{
	uint64_t v = 0x460001;
	int st = prop(c, 1, 0x14, &v);

	while (!st) {
		st = prop(c, 0, 0x1c, &v);
		if (!st && (v & 1))
			break;
	}
	return st;
}

int ctrl_shutdown(struct conn *c)
{
	uint64_t v = 0x464001;
	int st = prop(c, 1, 0x14, &v);

	while (!st) {
		st = prop(c, 0, 0x1c, &v);
		if (!st && ((v >> 2) & 3) == 2)
			break;
	}
	return st;
}

int report(const char *prog, const char *what, int st)
{
	if (st < 0)
		fprintf(stderr, "%s %s: %s\n", prog, what, strerror(errno));
	else
		fprintf(stderr, "%s %s: NVMe status %#x\n", prog, what, st);
	return 1;
}
