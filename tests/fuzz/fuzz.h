/* SPDX-License-Identifier: GPL-2.0-only */
/* nvme-tcp-fuzz: shared state of the fuzzer's parts. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto.h"

/* ------------------------------------------------------------ random -- */

/* xoshiro256** seeded by splitmix64: the whole run follows from one seed */
struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* uniform in [0, n); n > 0 */
uint32_t rng_below(struct rng *r, uint32_t n);
/* true with probability pct / 100 */
bool rng_pct(struct rng *r, unsigned int pct);
/* one of the n values of a table */
#define RNG_PICK(r, tab) ((tab)[rng_below((r), sizeof(tab) / sizeof((tab)[0]))])

/* ------------------------------------------------------------ digest -- */

uint32_t crc32c(const void *buf, size_t len);

/* ----------------------------------------------------------- options -- */

#define MAX_NQNS 8

struct opts {
	const char *addr;
	int port;
	uint64_t seed;
	uint64_t pdus;		/* stop after this many PDUs sent */
	unsigned int seconds;	/* ... or after this long */
	unsigned int steps;	/* most fuzzed PDUs per connection */
	unsigned int answer_ms;	/* wait for an answer the target owes */
	unsigned int quiet_ms;	/* wait after a PDU that needs no answer */
	const char *nqn[MAX_NQNS];	/* NVM subsystems to connect to */
	int nr_nqn;
	const char *hostnqn;
	bool no_huge_sgl;	/* keep SGL lengths <= 16 MiB */
	unsigned int burst;	/* most capsules sent back to back */
	unsigned int burst_pct;	/* steps on a connected queue that burst */
	bool kmsg;		/* mark each connection in /dev/kmsg */
	int verbose;
	const char *replay;	/* a named raw-PDU case */
	long only_conn;		/* run only this connection number, or -1 */
	unsigned int jobs;	/* connections run in parallel */
};

extern struct opts opt;

/* -------------------------------------------------------------- stats -- */

struct stats {
	uint64_t pdus;			/* PDUs sent */
	uint64_t bytes;			/* bytes sent */
	uint64_t sent[PDU_TYPES + 1];	/* by type; [PDU_TYPES]: others */
	uint64_t conns;			/* connections opened */
	uint64_t conn_fail;		/* connect() refused or timed out */
	uint64_t setup_fail;		/* ICReq/Connect/CC.EN not accepted */
	uint64_t icresp;
	uint64_t rsp;			/* CapsuleResp, by status below */
	uint64_t status[0x800];		/* SCT << 8 | SC */
	uint64_t dnr;			/* ... with DNR set */
	uint64_t c2h_data;
	uint64_t r2t;
	uint64_t term;			/* C2HTermReq, by FES below */
	uint64_t fes[8];		/* [7]: any other */
	uint64_t other_rx;		/* a PDU type a target never sends */
	uint64_t bad_rx;		/* an answer that does not parse */
	uint64_t closed;		/* the target closed the connection */
	uint64_t timeouts;		/* no answer where one was owed */
	uint64_t timeout_after[PDU_TYPES + 1];	/* ... by the PDU sent last */
	uint64_t quiet;			/* no answer where none was owed */
	uint64_t stalled;		/* the target stopped reading */
	uint64_t plans[8];		/* connections by plan */
	uint64_t conn_now;		/* the connection being run */
};

extern struct stats st;

/* ------------------------------------------------------- connections -- */

#define MAX_R2T 16

struct r2t {
	uint16_t cid;
	uint16_t ttag;
	uint32_t off;
	uint32_t len;
};

struct conn {
	int fd;
	bool hdgst;		/* negotiated in ICReq/ICResp */
	bool ddgst;
	bool dead;		/* closed by the target, or desynchronised */
	bool live;		/* ICResp received */
	uint16_t qid;
	uint16_t cid;		/* next command ID */
	uint32_t cpda;
	uint32_t maxh2c;
	/* what came back for the command wait_rsp() waited for */
	bool have_rsp;
	uint16_t rsp_status;
	uint32_t rsp_result;
	struct r2t r2t[MAX_R2T];	/* R2Ts not answered yet */
	int nr_r2t;
	/* receive state: the header part of the PDU being read */
	uint8_t rx[HLEN_IC + DIGEST_LEN];
	uint32_t rx_have;	/* bytes of the current PDU read */
	uint32_t rx_plen;	/* its length, once the header is in */
	/* commands of a burst not answered yet (response or R2T) */
	uint8_t pend[65536 / 8];
	uint32_t npend;
	bool more;		/* MSG_MORE: more PDUs of a burst follow */
	uint8_t last_type;	/* of the PDU sent last */
	/* the capture of C2HData for one command (Identify) */
	uint16_t cap_cid;
	uint8_t *cap_buf;
	uint32_t cap_len;
	/* if set: every answer's status field by CID, with RSP_SEEN */
	uint16_t *rsp_log;
};

#define RSP_SEEN	0x8000	/* rsp_log: the command was answered */

/* what a wait ends on */
enum {
	ANS_ANY	= 0x10000,	/* the first PDU of any kind */
	ANS_ICRESP	= 0x10001,
	ANS_NONE	= 0x10002,	/* nothing: collect for the time */
	ANS_PEND	= 0x10003,	/* every command of the burst */
};

int conn_open(struct conn *c);
void conn_close(struct conn *c);
/*
 * Send one PDU: a header of @hlen bytes (its common header filled in by
 * the caller apart from what @fix says) then @dlen bytes of data.
 */
struct pdu_fix {
	bool no_hdgst;		/* never append a header digest */
	bool bad_hdgst;		/* append a wrong one */
	bool bad_ddgst;
	bool keep_flags;	/* do not set F_HDGST/F_DDGST from negotiation */
	bool keep_pdo;		/* hdr.pdo as given */
	bool keep_plen;		/* hdr.plen as given */
	uint32_t cut;		/* send only this many bytes (0: all) */
};
int pdu_send(struct conn *c, void *hdr, uint32_t hlen, const void *data,
	     uint32_t dlen, const struct pdu_fix *fix);
/*
 * Read answers for up to @ms: until the response (or R2T) of command
 * @what, or the first PDU (ANS_ANY), or ICResp.  Returns 1 when it came,
 * 0 on timeout, -1 when the connection is gone.
 */
int conn_wait(struct conn *c, uint32_t what, unsigned int ms);

/* ------------------------------------------------------------- setup -- */

struct ctrl_id {
	const char *subnqn;
	uint8_t hostid[16];
	uint16_t cntlid;
};

int setup_icreq(struct conn *c, struct rng *r, bool digests);
int setup_connect(struct conn *c, struct ctrl_id *id, uint16_t qid,
		  uint16_t sqsize);
int setup_enable(struct conn *c);
/*
 * Send a command (its CID and SGL filled in here) with @dlen bytes of
 * in-capsule data, and wait for its response; 0 if it succeeded, else -1
 * (c->rsp_status says why).
 */
int setup_command(struct conn *c, struct sqe *sqe, const void *data,
		  uint32_t dlen);
/* The same for a command that returns @len bytes of data into @buf. */
int setup_command_in(struct conn *c, struct sqe *sqe, void *buf,
		     uint32_t len);
uint16_t next_cid(struct conn *c);
void probe_target(struct ctrl_id *id);

/* ---------------------------------------------------------- fuzzing -- */

extern uint32_t target_mdts;	/* bytes; from Identify Controller */

/*
 * One fuzzed PDU on a connection; @connected after Connect.  Returns false when the connection is done (closed, or in a
 * state the fuzzer cannot follow).
 */
bool fuzz_step(struct conn *c, struct rng *r, const struct ctrl_id *id,
	       bool connected, bool discovery);
bool step_icreq(struct conn *c, struct rng *r, bool first);
/* run the named raw-PDU case; 0 when it exists */
int replay_case(const char *name);
void list_cases(void);

/* --------------------------------------------------------------- util -- */

uint64_t now_ms(void);
void logv(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern uint64_t kwatch_splats, kwatch_lost;
void kwatch_open(void);
void kwatch_poll(uint64_t conn);

#endif /* FUZZ_H */
