// SPDX-License-Identifier: GPL-2.0-only
/* nvme-tcp-fuzz: the seeded random source, CRC32C, clock and logging. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fuzz.h"

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool rng_pct(struct rng *r, unsigned int pct)
{
	return rng_below(r, 100) < pct;
}

/* CRC32C (Castagnoli, reflected 0x82f63b78), as NVMe/TCP digests use */
static uint32_t crc_tab[256];

static void crc_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (c & 1 ? 0x82f63b78 : 0);
		crc_tab[i] = c;
	}
}

uint32_t crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~0U;

	if (!crc_tab[1])
		crc_init();
	while (len--)
		c = crc_tab[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void logv(int level, const char *fmt, ...)
{
	va_list ap;

	if (opt.verbose < level)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* A line in the kernel log, so that a splat can be tied to a connection. */
void kmsg(const char *fmt, ...)
{
	static int fd = -2;
	char line[256];
	va_list ap;
	int n;

	if (!opt.kmsg)
		return;
	if (fd == -2)
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, line, strnlen(line, sizeof(line))) < 0)
		opt.kmsg = false;
}

/*
 * Watch the kernel log while fuzzing: records are read between
 * connections, so that a splat is tied to the connection that caused it
 * even when the target's error messages overrun the log buffer later.
 */
static int kwatch_fd = -1;
uint64_t kwatch_splats, kwatch_lost;

void kwatch_open(void)
{
	kwatch_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kwatch_fd >= 0)
		lseek(kwatch_fd, 0, SEEK_END);
}

void kwatch_poll(uint64_t conn)
{
	static const char *const splat[] = {
		"WARNING:", "BUG:", "Oops", "general protection",
		"possible recursive locking", "circular locking", "lockdep",
		"refcount_t:", "UBSAN", "KASAN", "kernel BUG", "Call Trace",
		"blocked for more than", "kmemleak", "Out of memory",
		"page allocation failure" };
	static int context;	/* records still to print after a splat */
	char rec[2048];
	ssize_t n;
	size_t i;

	if (kwatch_fd < 0)
		return;
	for (;;) {
		n = read(kwatch_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE) {
			kwatch_lost++;	/* overrun: records lost, go on */
			continue;
		}
		if (n <= 0)
			return;
		rec[n] = 0;
		for (i = 0; i < sizeof(splat) / sizeof(splat[0]); i++) {
			if (!strstr(rec, splat[i]))
				continue;
			kwatch_splats++;
			printf("fuzz: kernel, during connection %llu: %s",
			       (unsigned long long)conn,
			       strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
			context = 30;
			break;
		}
		/* the lines after it: the trace that names the caller */
		if (i == sizeof(splat) / sizeof(splat[0]) && context > 0) {
			context--;
			if (!strstr(rec, "nvmet_tcp: queue") &&
			    !strstr(rec, "nvmet: "))
				printf("fuzz: kernel:   %s",
				       strchr(rec, ';') ? strchr(rec, ';') + 1 :
				       rec);
		}
	}
}
