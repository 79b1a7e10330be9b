/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the benches run in the test VM share (tests/bench/benchlib.c):
 * timing, configfs attribute writes, and a minimal NVMe/TCP host that
 * speaks just enough of the protocol to connect a queue, enable and shut
 * down a controller and run admin commands, so that no host kernel makes
 * controllers or block devices of its own.
 *
 * Statically linked into nsbench and scalebench by tests/vm/mkinitramfs.sh.
 */
#ifndef NVMET_NG_BENCHLIB_H
#define NVMET_NG_BENCHLIB_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds */
double now_ms(void);

/* write @val to the configfs attribute @dir/@attr; 0 or -1 (errno) */
int put_attr(const char *dir, const char *attr, const char *val);

/* little-endian fields of PDUs, SQEs and CQEs */
void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
void put64(uint8_t *p, uint64_t v);
uint32_t get32(const uint8_t *p);
uint64_t get64(const uint8_t *p);

/*
 * Host number @i: its NQN
 * (nqn.2014-08.org.nvmexpress:uuid:5ca1ab1e-0000-4000-8000-<i, 12 hex>)
 * and its 16-byte host ID (the same UUID) share the number.
 */
void host_nqn(char *buf, size_t len, unsigned int i);
void host_id(uint8_t *id, unsigned int i);

/* one NVMe/TCP queue */
struct conn {
	int sock;
	uint16_t cid;
};

/*
 * Send @sqe on @c, with @in bytes of in-capsule data from @data or a read
 * of up to @out bytes into @data, and wait for its completion.  Returns
 * the NVMe status (0 for success) or -1; the completion's DW0-1 in *@res.
 */
int submit(struct conn *c, uint8_t *sqe, void *data, uint32_t in,
	   uint32_t out, uint64_t *res);

/* Property Get (@set 0) or Set of the 4-byte property at @off */
int prop(struct conn *c, int set, uint32_t off, uint64_t *val);

/*
 * A TCP connection to @addr:@port, ICReq, and Connect of queue @qid
 * (@cntlid: 0xffff for the admin queue) of @nqn as host number @host,
 * SQSIZE 32 (KATO 30 s on the admin queue).  Returns 0, the NVMe status,
 * or -1 (errno); the controller ID in *@cntlid.  On failure the socket
 * is closed.
 */
int conn_open(struct conn *c, const char *addr, int port, const char *nqn,
	      unsigned int host, uint16_t qid, uint16_t *cntlid);

/* CC.EN (IOSQES 6, IOCQES 4), then wait for CSTS.RDY */
int ctrl_enable(struct conn *c);

/* a normal shutdown: CC.SHN 01b, then wait for CSTS.SHST 10b */
int ctrl_shutdown(struct conn *c);

/*
 * Print "@prog @what: " and the error (@st < 0: errno; else the NVMe
 * status) to stderr.  Returns 1, the exit status.
 */
int report(const char *prog, const char *what, int st);

#endif
