// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcp-hog: a hostile NVMe/TCP host for the isolation tests.
 *
 * Opens N associations to a target and, on each, asks for as much memory
 * as the wire lets it without ever sending data:
 *   discovery: Connect (no credentials needed), CC.EN=1, a Set Features
 *     whose transport SGL claims 512 MiB, and a Get Log Page (discovery
 *     log) of 256 MiB;
 *   I/O (-s NQN): Connect admin and one I/O queue, CC.EN=1, and Writes
 *     whose SGL claims 1 GiB for one block, 32 MiB for 65536 blocks,
 *     4 MiB and 1 MiB for as many 512-byte blocks.
 * It never answers an R2T and never reads data.  For each command it
 * reports what the target answered (an R2T, a completion and its status,
 * or nothing within -w seconds), then prints "ready" and holds every
 * connection open until killed or -t seconds pass.  It sends nothing
 * more once MemAvailable falls under -f KiB, so a target that hands out
 * memory does not push the machine into the OOM killer.
 *
 *   tcp-hog -a ADDR [-p PORT] [-n CONNS] [-s SUBNQN] [-f KIB] [-t SECS]
 *
 * Built statically into the VM image by tests/vm/mkinitramfs.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DISC_NQN	"nqn.2014-08.org.nvmexpress.discovery"
#define HOG_NQN		"nqn.2014-08.org.nvmexpress:uuid:0badc0de-0000-4000-8000-00000000f00d"
#define MIB		(1024u * 1024u)

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

enum { PDU_ICREQ = 0, PDU_ICRESP = 1, PDU_CMD = 4, PDU_RSP = 5, PDU_R2T = 9 };

/* What the target answered, per kind of command. */
struct tally {
	const char *name;
	unsigned int r2t, data, none, closed;
	unsigned int status[8];		/* distinct completion statuses */
	unsigned int count[8];
	unsigned int nstatus;
};

static struct tally tallies[16];
static unsigned int ntallies;
static int wait_ms = 3000;
static long floor_kib;
static int low_memory;
static const char *addr = "127.0.0.1";
static int port = 4420;

static struct tally *tally_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < ntallies; i++)
		if (!strcmp(tallies[i].name, name))
			return &tallies[i];
	tallies[ntallies].name = name;
	return &tallies[ntallies++];
}

static void put_le(u8 *p, u64 v, int n)
{
	while (n--) {
		*p++ = v & 0xff;
		v >>= 8;
	}
}

static u64 get_le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes within wait_ms: 0, -1 closed, -2 timed out. */
static int recv_all(int fd, void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, wait_ms) <= 0)
			return -2;
		n = recv(fd, p, len, 0);
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Read the next PDU header; returns its type, -1 closed, -2 nothing.  The
 * rest of a response or an R2T is read (a response fills *status and
 * *result); of anything else, such as C2H data, nothing more is read.
 */
static int recv_pdu(int fd, unsigned int *status, unsigned int *result)
{
	u8 hdr[8], body[64];
	u32 plen;
	int ret;

	ret = recv_all(fd, hdr, sizeof(hdr));
	if (ret)
		return ret;
	plen = get_le(hdr + 4, 4);
	if ((hdr[0] != PDU_RSP && hdr[0] != PDU_R2T) || plen < 8 ||
	    plen - 8 > sizeof(body))
		return hdr[0];
	ret = recv_all(fd, body, plen - 8);
	if (ret)
		return ret;
	if (hdr[0] == PDU_RSP && plen == 24) {
		*result = get_le(body, 2);
		*status = get_le(body + 14, 2) >> 1;
	}
	return hdr[0];
}

/* Send one command capsule with @data (in-capsule) of @dlen bytes. */
static int send_cmd(int fd, u8 *sqe, const void *data, u32 dlen)
{
	u8 pdu[8 + 64 + 1024];

	memset(pdu, 0, 8);
	pdu[0] = PDU_CMD;
	pdu[2] = 72;
	pdu[3] = dlen ? 72 : 0;
	put_le(pdu + 4, 72 + dlen, 4);
	sqe[1] |= 0x40;			/* SGLs for data and metadata */
	memcpy(pdu + 8, sqe, 64);
	if (dlen)
		memcpy(pdu + 72, data, dlen);
	return send_all(fd, pdu, 72 + dlen);
}

static long mem_available_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Send a command, classify the answer in tally @name; returns the type. */
static int exchange(int fd, const char *name, u8 *sqe, const void *data,
		    u32 dlen, unsigned int *status, unsigned int *result)
{
	struct tally *t = tally_of(name);
	unsigned int i;
	int type;

	*status = 0xffff;
	if (low_memory || (floor_kib && mem_available_kib() < floor_kib)) {
		low_memory = 1;
		return -3;
	}
	if (send_cmd(fd, sqe, data, dlen)) {
		t->closed++;
		return -1;
	}
	type = recv_pdu(fd, status, result);
	if (type == PDU_R2T) {
		t->r2t++;
	} else if (type == PDU_RSP) {
		for (i = 0; i < t->nstatus && t->status[i] != *status; i++)
			;
		if (i == t->nstatus && i < 8) {
			t->status[i] = *status;
			t->nstatus++;
		}
		if (i < 8)
			t->count[i]++;
	} else if (type == -1) {
		t->closed++;
	} else if (type >= 0) {
		t->data++;
	} else {
		t->none++;
	}
	return type;
}

static int tcp_open(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	u8 icreq[128] = { PDU_ICREQ, 0, 128, 0 }, icresp[128];
	int fd, one = 1;

	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	put_le(icreq + 4, 128, 4);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    send_all(fd, icreq, sizeof(icreq)) ||
	    recv_all(fd, icresp, sizeof(icresp)) || icresp[0] != PDU_ICRESP) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The transport SGL descriptor (data the controller asks for by R2T). */
static void sgl_transport(u8 *sqe, u32 len)
{
	put_le(sqe + 24, 0, 8);
	put_le(sqe + 32, len, 4);
	sqe[39] = 0x5a;
}

static int nvme_connect(int fd, const char *nqn, int qid, unsigned int cntlid,
			unsigned int *result)
{
	u8 sqe[64] = { 0x7f }, data[1024] = { 0 };
	unsigned int status;

	sqe[4] = 0x01;			/* fctype Connect */
	put_le(sqe + 32, sizeof(data), 4);
	sqe[39] = 0x01;			/* in-capsule data, offset 0 */
	put_le(sqe + 42, qid, 2);
	put_le(sqe + 44, 31, 2);	/* sqsize: 32 entries */
	put_le(data + 16, cntlid, 2);
	snprintf((char *)data + 256, 256, "%s", nqn);
	snprintf((char *)data + 512, 256, "%s", HOG_NQN);
	if (exchange(fd, "connect", sqe, data, sizeof(data), &status,
		     result) != PDU_RSP)
		return -1;
	return status ? -1 : 0;
}

static int nvme_enable(int fd)
{
	u8 sqe[64] = { 0x7f };
	unsigned int status, result;

	sqe[4] = 0x00;			/* fctype Property Set */
	put_le(sqe + 44, 0x14, 4);	/* CC */
	put_le(sqe + 48, 1 | 6 << 16 | 4 << 20, 8);
	if (exchange(fd, "enable", sqe, NULL, 0, &status, &result) != PDU_RSP)
		return -1;
	return status ? -1 : 0;
}

static void hog_discovery(int fd)
{
	u8 sqe[64] = { 0 };
	unsigned int status, result;
	u32 numd = 256 * MIB / 4 - 1;

	sqe[0] = 0x09;			/* Set Features */
	put_le(sqe + 40, 0x0f, 4);	/* Keep Alive Timer */
	put_le(sqe + 44, 120000, 4);
	sgl_transport(sqe, 512 * MIB);
	exchange(fd, "disc-set-features-512M", sqe, NULL, 0, &status, &result);

	memset(sqe, 0, sizeof(sqe));
	sqe[0] = 0x02;			/* Get Log Page */
	sqe[40] = 0x70;			/* discovery log */
	put_le(sqe + 42, numd & 0xffff, 2);
	put_le(sqe + 44, numd >> 16, 2);
	sgl_transport(sqe, 256 * MIB);
	exchange(fd, "disc-get-log-256M", sqe, NULL, 0, &status, &result);
}

static void hog_write(int fd, const char *name, u32 nlb, u32 len)
{
	u8 sqe[64] = { 0x01 };	/* Write */
	unsigned int status, result;

	put_le(sqe + 4, 1, 4);		/* NSID 1 */
	put_le(sqe + 40, 0, 8);		/* SLBA 0 */
	put_le(sqe + 48, nlb - 1, 2);
	sgl_transport(sqe, len);
	exchange(fd, name, sqe, NULL, 0, &status, &result);
}

/* Returns the number of sockets it left open in @fds. */
static int hog_one(const char *subnqn, int *fds)
{
	unsigned int cntlid;
	int n = 0, fd;

	fd = tcp_open();
	if (fd < 0)
		return 0;
	fds[n++] = fd;
	if (!nvme_connect(fd, DISC_NQN, 0, 0xffff, &cntlid) &&
	    !nvme_enable(fd))
		hog_discovery(fd);
	if (!subnqn)
		return n;

	fd = tcp_open();
	if (fd < 0)
		return n;
	fds[n++] = fd;
	if (nvme_connect(fd, subnqn, 0, 0xffff, &cntlid) || nvme_enable(fd))
		return n;
	fd = tcp_open();
	if (fd < 0)
		return n;
	fds[n++] = fd;
	if (nvme_connect(fd, subnqn, 1, cntlid, &cntlid))
		return n;
	hog_write(fd, "io-write-1G-for-1-block", 1, 1024 * MIB);
	hog_write(fd, "io-write-32M", 65536, 32 * MIB);
	hog_write(fd, "io-write-4M", 8192, 4 * MIB);
	hog_write(fd, "io-write-1M", 2048, MIB);
	return n;
}

int main(int argc, char **argv)
{
	const char *subnqn = NULL;
	long hold = 3600;
	int conns = 1, opened = 0, i, j, opt, *fds;
	unsigned int k;

	while ((opt = getopt(argc, argv, "a:p:n:s:f:t:w:")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'n':
			conns = atoi(optarg);
			break;
		case 's':
			subnqn = optarg;
			break;
		case 'f':
			floor_kib = atol(optarg);
			break;
		case 't':
			hold = atol(optarg);
			break;
		case 'w':
			wait_ms = atoi(optarg) * 1000;
			break;
		default:
			fprintf(stderr, "usage: %s -a ADDR [-p PORT] [-n CONNS]",
				argv[0]);
			fprintf(stderr, " [-s NQN] [-f KIB] [-t SECS] [-w SECS]\n");
			return 2;
		}
	}
	fds = calloc(conns * 3, sizeof(*fds));
	if (!fds)
		return 1;
	for (i = 0; i < conns; i++) {
		j = hog_one(subnqn, fds + opened);
		if (low_memory) {
			printf("stopped: MemAvailable under %ld KiB in association %d\n",
			       floor_kib, i);
			opened += j;
			break;
		}
		if (!j) {
			printf("stopped: cannot connect (association %d): %s\n",
			       i, strerror(errno));
			break;
		}
		opened += j;
	}
	printf("associations: %d, sockets open: %d\n", i, opened);
	for (k = 0; k < ntallies; k++) {
		struct tally *t = &tallies[k];
		unsigned int s;

		printf("answer %s: r2t=%u data=%u none=%u closed=%u", t->name,
		       t->r2t, t->data, t->none, t->closed);
		for (s = 0; s < t->nstatus; s++)
			printf(" status[%#x]=%u", t->status[s], t->count[s]);
		printf("\n");
	}
	printf("ready\n");
	fflush(stdout);
	sleep(hold);
	return 0;
}
