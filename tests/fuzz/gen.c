// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fuzz: what to send next on a connection.  Every PDU type, the
 * header fields at their boundaries, digests wrong on purpose, R2Ts
 * answered well and badly, and capsules with random opcodes, fields and
 * SGLs of every descriptor type, shaped by the queue they go to
 * (not yet connected, discovery, admin, I/O).
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

/* the largest data a fuzzed PDU carries */
#define DATA_MAX	(256U << 10)
/* what --no-huge-sgl keeps SGL lengths under */
#define SGL_SANE	(16U << 20)

static uint8_t data[DATA_MAX + 4096];

/* ------------------------------------------------------- the header -- */

/* how a PDU came out: whether the target owes an answer to it */
enum shape {
	SHAPE_GOOD,	/* well formed: the target answers or closes */
	SHAPE_BAD,	/* malformed: the target should close */
	SHAPE_SHORT,	/* the target may be waiting for more bytes */
};

/*
 * Break one header field (or the digests, or the length sent) of a PDU
 * of @hlen header and @dlen data bytes.
 */
static enum shape mutate(struct rng *r, struct conn *c, struct hdr *h,
			 struct pdu_fix *fix, uint32_t hlen, uint32_t dlen)
{
	static const uint8_t hlens[] = { 0, 1, 7, 8, 23, 25, 71, 73, 127, 129,
					 255, 24, 72, 128 };
	static const uint8_t pdos[] = { 0, 1, 4, 8, 23, 24, 25, 28, 71, 72,
					73, 74, 76, 77, 80, 127, 128, 255 };
	uint32_t total = hlen + (c->hdgst ? 4 : 0) + dlen +
			 (c->ddgst && dlen ? 4 : 0);
	uint32_t plens[] = { 0, 1, 7, 8, hlen - 1, hlen, hlen + 1,
			     total - 1, total + 1, total + 4096, 1U << 20,
			     1U << 30, 0x7fffffff, 0x80000000, 0xfffffff8,
			     0xffffffff, rng_next(r) };
	uint32_t plen;

	switch (rng_below(r, 10)) {
	case 0:
		h->hlen = RNG_PICK(r, hlens);
		return SHAPE_BAD;
	case 1:
		fix->keep_pdo = true;
		h->pdo = RNG_PICK(r, pdos);
		return SHAPE_BAD;
	case 2:
	case 3:
		fix->keep_plen = true;
		plen = RNG_PICK(r, plens);
		h->plen = htole32(plen);
		return plen > total ? SHAPE_SHORT : SHAPE_BAD;
	case 4:
		fix->keep_flags = true;
		h->flags = rng_below(r, 2) ? (uint8_t)rng_next(r) :
			   1U << rng_below(r, 8);
		return SHAPE_BAD;
	case 5:
		if (c->hdgst) {
			fix->bad_hdgst = true;
			return SHAPE_BAD;
		}
		/* claim a digest that was not negotiated */
		fix->keep_flags = true;
		h->flags |= F_HDGST;
		return SHAPE_BAD;
	case 6:
		if (c->ddgst && dlen) {
			fix->bad_ddgst = true;
			return SHAPE_BAD;
		}
		fix->keep_flags = true;
		h->flags |= F_DDGST;
		return SHAPE_BAD;
	case 7:
		if (c->hdgst) {
			fix->no_hdgst = true;	/* flag set, digest missing */
			return SHAPE_SHORT;
		}
		fix->cut = 1 + rng_below(r, total);
		return SHAPE_SHORT;
	case 8:
		fix->cut = 1 + rng_below(r, total);
		return SHAPE_SHORT;
	default:
		h->type = rng_below(r, 2) ? rng_below(r, 16) :
			  (uint8_t)rng_next(r);
		return SHAPE_BAD;
	}
}

/* ---------------------------------------------------------- SGLs -- */

static uint32_t sgl_length(struct rng *r, uint32_t want, bool sane)
{
	uint32_t lens[] = { 0, 1, 2, 3, 4, 511, 512, 513, 4095, 4096, 8192,
			    8193, 65536, target_mdts - 1, target_mdts,
			    target_mdts + 1, 2 * target_mdts, 1U << 29,
			    (1U << 29) + 1, 0x7fffffff, 0x80000000,
			    0xfffffffe, 0xffffffff, want, want, want,
			    rng_below(r, 1U << 20) };
	uint32_t len = RNG_PICK(r, lens);

	if (opt.no_huge_sgl && len > SGL_SANE)
		len = SGL_SANE;
	/* bursts: lengths a target may take, so the burst stays cheap */
	if (sane && len > 2 * target_mdts)
		len = want;
	return len;
}

/*
 * Fill the SGL of @s for a command that moves @want bytes (writes: from
 * the host); *dlen gets the in-capsule data to send.
 */
static void gen_sgl(struct rng *r, struct sqe *s, uint32_t want,
		    uint32_t inline_max, uint32_t *dlen, bool sane)
{
	static const uint8_t types[] = {
		0x00, 0x01, 0x0a, 0x0f, 0x10, 0x11, 0x20, 0x21, 0x30, 0x31,
		0x40, 0x41, 0x4f, 0x50, 0x5a, 0x5f, 0x60, 0xe0, 0xf0, 0xff };
	bool write = s->opcode & 1;
	uint32_t len;

	*dlen = 0;
	s->dptr.addr = 0;
	switch (rng_below(r, 10)) {
	case 0: case 1: case 2: case 3:
		/* what a good host sends: data in the capsule or by R2T */
		if (write && want && want <= inline_max && rng_pct(r, 60)) {
			s->dptr.type = SGL_INCAPSULE;
			s->dptr.length = htole32(want);
			*dlen = want;
		} else {
			s->dptr.type = SGL_TRANSPORT;
			s->dptr.length = htole32(want);
		}
		return;
	case 4: case 5:
		/* in-capsule with a length at a boundary */
		len = sgl_length(r, want, sane);
		s->dptr.type = SGL_INCAPSULE;
		s->dptr.length = htole32(len);
		*dlen = len <= DATA_MAX ? len : 0;
		if (rng_pct(r, 20))
			*dlen = rng_below(r, 2) ? *dlen + 1 : rng_below(r, 9000);
		if (*dlen > DATA_MAX)
			*dlen = DATA_MAX;
		break;
	case 6: case 7:
		s->dptr.type = SGL_TRANSPORT;
		s->dptr.length = htole32(sgl_length(r, want, sane));
		break;
	default:
		/* any descriptor type */
		s->dptr.type = rng_below(r, 3) ? RNG_PICK(r, types) :
			       (uint8_t)rng_next(r);
		len = sgl_length(r, want, sane);
		s->dptr.length = htole32(len);
		if (rng_pct(r, 30) && len <= 8192)
			*dlen = len;
		break;
	}
	if (rng_pct(r, 15))
		s->dptr.addr = htole64(rng_below(r, 2) ? 1 + rng_below(r, 4096) :
				       rng_next(r));
	if (rng_pct(r, 5))
		memset(s->dptr.rsvd, 0xff, sizeof(s->dptr.rsvd));
}

/* --------------------------------------------------------- commands -- */

static uint32_t pick_nsid(struct rng *r)
{
	static const uint32_t nsids[] = { 1, 1, 1, 1, 0, 2, 3, 0xfffffffe,
					  0xffffffff, 0x80000000 };

	return rng_pct(r, 90) ? RNG_PICK(r, nsids) : (uint32_t)rng_next(r);
}

static uint32_t boundary32(struct rng *r)
{
	static const uint32_t v[] = { 0, 1, 2, 0xff, 0x100, 0xffff, 0x10000,
				      0x7fffffff, 0x80000000, 0xffffffff };

	return rng_below(r, 3) ? RNG_PICK(r, v) : (uint32_t)rng_next(r);
}

/* Connect, Property Get/Set and the other fabrics commands */
static uint32_t gen_fabrics(struct rng *r, struct sqe *s,
			    const struct ctrl_id *id, struct conn *c)
{
	static const uint8_t fcts[] = { FCT_PROP_SET, FCT_CONNECT, FCT_CONNECT,
					FCT_PROP_GET, FCT_PROP_GET,
					FCT_AUTH_SEND, FCT_AUTH_RECV,
					FCT_DISCONNECT, 0x02, 0x03, 0x7f,
					0xc0, 0xff };
	static const uint32_t props[] = { PROP_CAP, PROP_VS, PROP_CC,
					  PROP_CSTS, 0x04, 0x0c, 0x10, 0x18,
					  0x20, 0x24, 0x28, 0x1000, 0xfff,
					  0xffffffff };
	static const uint32_t ccs[] = { CC_ENABLE, 0, 1, 0x00464001,
					0x00468001, 0x0046c001, 0x00460000,
					0x00560001, 0x00470001, 0x00000001,
					0x004600f1, 0xffffffff };
	struct connect_data *d = (void *)data;
	uint16_t qid;

	s->opcode = OPC_FABRICS;
	s->nsid = RNG_PICK(r, fcts);
	switch (s->nsid) {
	case FCT_CONNECT:
		qid = rng_below(r, 3) ? c->qid : (uint16_t)boundary32(r);
		s->cdw10 = htole32((rng_pct(r, 90) ? 0 : boundary32(r) & 0xffff) |
				   (uint32_t)qid << 16);
		s->cdw11 = htole32((rng_pct(r, 70) ? 31 : boundary32(r) & 0xffff) |
				   (rng_pct(r, 10) ? (rng_next(r) & 0xff) << 16 : 0));
		s->cdw12 = htole32(rng_pct(r, 70) ? 15000 : boundary32(r));
		memset(d, 0, sizeof(*d));
		memcpy(d->hostid, id->hostid, 16);
		if (rng_pct(r, 10))
			d->hostid[rng_below(r, 16)] ^= 0xff;
		d->cntlid = htole16(rng_below(r, 2) ? id->cntlid :
				    rng_below(r, 2) ? 0xffff : boundary32(r));
		snprintf(d->subnqn, sizeof(d->subnqn), "%s",
			 rng_pct(r, 80) ? id->subnqn :
			 opt.nqn[rng_below(r, opt.nr_nqn)]);
		snprintf(d->hostnqn, sizeof(d->hostnqn), "%s", opt.hostnqn);
		if (rng_pct(r, 10))
			memset(rng_below(r, 2) ? d->subnqn : d->hostnqn, 'A',
			       256);
		if (rng_pct(r, 5))
			memset(d, rng_next(r) & 0xff, sizeof(*d));
		return sizeof(*d);
	case FCT_PROP_SET:
		s->cdw10 = htole32(rng_pct(r, 80) ? 0 : boundary32(r) & 0xff);
		s->cdw11 = htole32(rng_pct(r, 60) ? PROP_CC : RNG_PICK(r, props));
		s->cdw12 = htole32(rng_pct(r, 80) ? RNG_PICK(r, ccs) :
				   boundary32(r));
		s->cdw13 = htole32(rng_pct(r, 90) ? 0 : boundary32(r));
		return 0;
	case FCT_PROP_GET:
		s->cdw10 = htole32(rng_pct(r, 80) ? rng_below(r, 2) :
				   boundary32(r) & 0xff);
		s->cdw11 = htole32(RNG_PICK(r, props));
		return 0;
	case FCT_AUTH_SEND:
	case FCT_AUTH_RECV:
		s->cdw10 = htole32(boundary32(r));	/* SECP, SPSP, NSSF */
		s->cdw11 = htole32(rng_below(r, 2) ? rng_below(r, 4096) :
				   boundary32(r));	/* TL / AL */
		return le32toh(s->cdw11) <= 8192 ? le32toh(s->cdw11) : 0;
	default:
		s->cdw10 = htole32(boundary32(r));
		s->cdw11 = htole32(boundary32(r));
		return 0;
	}
}

/* an admin (or discovery) command; returns the bytes it moves */
static uint32_t gen_admin(struct rng *r, struct sqe *s, bool discovery)
{
	static const uint8_t ops[] = { 0x02, 0x02, 0x06, 0x06, 0x06, 0x08,
				       0x09, 0x09, 0x0a, 0x0a, 0x0c, 0x18,
				       0x18, 0x00, 0x01, 0x04, 0x05, 0x0d,
				       0x10, 0x11, 0x14, 0x15, 0x19, 0x1a,
				       0x1c, 0x7c, 0x80, 0x81, 0x82, 0x84,
				       0x86 };
	static const uint8_t lids[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
					0x0c, 0x0d, 0x70, 0x70, 0x71, 0x80,
					0x81, 0xc0, 0xff, 0x00, 0x13 };
	static const uint8_t cnss[] = { 0x00, 0x01, 0x01, 0x02, 0x03, 0x04,
					0x05, 0x06, 0x07, 0x08, 0x10, 0x11,
					0x12, 0x13, 0x14, 0x15, 0x1c, 0x20,
					0xff };
	static const uint8_t fids[] = { 0x01, 0x02, 0x04, 0x05, 0x06, 0x07,
					0x08, 0x0a, 0x0b, 0x0c, 0x0e, 0x0f,
					0x10, 0x11, 0x16, 0x17, 0x18, 0x19,
					0x1d, 0x20, 0x7f, 0x80, 0x81, 0x82,
					0x83, 0x84, 0xc0, 0xff, 0x00 };
	uint32_t numd, n;

	s->opcode = rng_pct(r, 85) ? RNG_PICK(r, ops) : (uint8_t)rng_next(r);
	s->nsid = rng_below(r, 2) ? 0 : pick_nsid(r);
	switch (s->opcode) {
	case 0x02:	/* Get Log Page */
		numd = rng_pct(r, 70) ? (rng_below(r, 2) ? 255 : 1023) :
		       boundary32(r) & 0xffff;
		s->cdw10 = htole32((discovery && rng_pct(r, 60) ? 0x70 :
				    RNG_PICK(r, lids)) |
				   (rng_pct(r, 20) ? 0x8000 : 0) |
				   (numd & 0xffff) << 16);
		s->cdw11 = htole32(rng_pct(r, 85) ? 0 : boundary32(r) & 0xffff);
		s->cdw12 = htole32(rng_pct(r, 70) ? 0 : boundary32(r));
		s->cdw13 = htole32(rng_pct(r, 90) ? 0 : boundary32(r));
		return (numd + 1) * 4;
	case 0x06:	/* Identify */
		s->cdw10 = htole32(RNG_PICK(r, cnss) |
				   (rng_pct(r, 80) ? 0 : boundary32(r) << 16));
		s->cdw11 = htole32(rng_pct(r, 80) ? 0 : boundary32(r));
		return 4096;
	case 0x09:	/* Set Features */
	case 0x0a:	/* Get Features */
		s->cdw10 = htole32(RNG_PICK(r, fids) |
				   (rng_pct(r, 80) ? 0 : rng_below(r, 8) << 8) |
				   (rng_pct(r, 10) ? 0x80000000 : 0));
		s->cdw11 = htole32(boundary32(r));
		s->cdw12 = htole32(rng_pct(r, 80) ? 0 : boundary32(r));
		n = (le32toh(s->cdw10) & 0xff) == 0x0c ? 256 : 0;
		return rng_pct(r, 70) ? n : 4096;
	case 0x08:	/* Abort */
		s->cdw10 = htole32(rng_below(r, 2) | rng_below(r, 64) << 16);
		return 0;
	default:
		s->cdw10 = htole32(boundary32(r));
		s->cdw11 = htole32(rng_pct(r, 70) ? 0 : boundary32(r));
		s->cdw12 = htole32(rng_pct(r, 70) ? 0 : boundary32(r));
		return rng_pct(r, 50) ? 0 : 4096;
	}
}

/* an I/O command; returns the bytes it moves */
static uint32_t gen_io(struct rng *r, struct sqe *s)
{
	static const uint8_t ops[] = { 0x01, 0x01, 0x01, 0x02, 0x02, 0x02,
				       0x00, 0x04, 0x05, 0x08, 0x08, 0x09,
				       0x09, 0x0c, 0x0d, 0x0e, 0x11, 0x15,
				       0x19, 0x7e, 0x80, 0x81 };
	static const uint64_t slbas[] = { 0, 0, 1, 8, 1023, 2097151, 2097152,
					  0xffffffffULL, 0x100000000ULL,
					  0x7fffffffffffffffULL,
					  0xffffffffffffffffULL };
	static const uint16_t nlbs[] = { 0, 0, 1, 7, 7, 15, 63, 255, 256,
					 2047, 0x7fff, 0xffff };
	uint64_t slba;
	uint32_t nlb, nr;

	s->opcode = rng_pct(r, 85) ? RNG_PICK(r, ops) : (uint8_t)rng_next(r);
	s->nsid = pick_nsid(r);
	slba = rng_pct(r, 85) ? RNG_PICK(r, slbas) : rng_next(r);
	nlb = rng_pct(r, 90) ? RNG_PICK(r, nlbs) : rng_below(r, 0x10000);
	switch (s->opcode) {
	case 0x09:	/* DSM: ranges of 16 bytes */
		nr = rng_pct(r, 70) ? rng_below(r, 4) : rng_below(r, 256);
		s->cdw10 = htole32(nr);
		s->cdw11 = htole32(rng_pct(r, 70) ? 4 : rng_below(r, 8));
		for (uint32_t i = 0; i < (nr + 1) * 16; i += 16) {
			uint32_t lba = (uint32_t)RNG_PICK(r, slbas);

			memset(data + i, 0, 16);
			data[i + 4] = nlb;		/* length, LBAs */
			memcpy(data + i + 8, &lba, 4);
		}
		return (nr + 1) * 16;
	case 0x0d: case 0x0e: case 0x11: case 0x15: case 0x19:
		s->cdw10 = htole32(boundary32(r));
		s->cdw11 = htole32(rng_pct(r, 70) ? 0 : boundary32(r));
		s->cdw12 = htole32(nlb);
		return rng_pct(r, 50) ? 16 * (1 + rng_below(r, 4)) : 4096;
	default:
		s->cdw10 = htole32((uint32_t)slba);
		s->cdw11 = htole32((uint32_t)(slba >> 32));
		s->cdw12 = htole32(nlb | (rng_pct(r, 85) ? 0 :
				   (uint32_t)rng_next(r) & 0xffff0000));
		if (rng_pct(r, 10))
			s->cdw13 = htole32(boundary32(r));
		if (s->opcode == 0x00 || s->opcode == 0x08 ||
		    s->opcode == 0x04 || s->opcode == 0x0c)
			return 0;
		return (nlb + 1) * 512;
	}
}

/* ---------------------------------------------------------- steps -- */

static enum shape maybe_mutate(struct rng *r, struct conn *c, struct hdr *h,
			       struct pdu_fix *fix, uint32_t hlen,
			       uint32_t dlen, unsigned int pct)
{
	if (!rng_pct(r, pct))
		return SHAPE_GOOD;
	return mutate(r, c, h, fix, hlen, dlen);
}

/* wait after a PDU of that shape; false when the connection is done */
static bool settle(struct conn *c, enum shape shape, uint32_t cid)
{
	int ret;

	switch (shape) {
	case SHAPE_GOOD:
		ret = conn_wait(c, cid, opt.answer_ms);
		break;
	case SHAPE_BAD:
		/* the target owes us a close (or a C2HTermReq) */
		ret = conn_wait(c, ANS_ANY, opt.answer_ms);
		break;
	default:
		ret = conn_wait(c, ANS_NONE, opt.quiet_ms);
		/* it waits for bytes we never send: start over */
		return false;
	}
	return ret == 1 && !c->dead;
}

static bool step_capsule(struct conn *c, struct rng *r,
			 const struct ctrl_id *id, bool connected,
			 bool discovery)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD } };
	struct pdu_fix fix = { 0 };
	uint32_t want, dlen, inline_max, fdata = 0;
	struct sqe *s = &p.sqe;
	enum shape shape;
	uint32_t cid;

	if (!connected || rng_pct(r, 12)) {
		want = gen_fabrics(r, s, id, c);
		fdata = want;
	} else if (c->qid) {
		want = gen_io(r, s);
	} else {
		want = gen_admin(r, s, discovery);
	}
	s->cid = rng_pct(r, 95) ? next_cid(c) : (uint16_t)rng_next(r);
	s->flags = rng_pct(r, 90) ? 0x40 : (uint8_t)rng_next(r);
	if (rng_pct(r, 5))
		s->mptr = htole64(boundary32(r));
	if (rng_pct(r, 3))
		s->cdw2 = htole32(boundary32(r));
	inline_max = c->qid ? 8192 : 8192 - 64;
	gen_sgl(r, s, want, inline_max, &dlen, false);
	/* the fabrics generators wrote their data already; the rest random */
	if (dlen > fdata)
		memset(data + fdata, rng_next(r) & 0xff, dlen - fdata);
	shape = maybe_mutate(r, c, &p.hdr, &fix, HLEN_CMD, dlen, 12);
	cid = s->cid;
	c->have_rsp = false;
	logv(1, "  cmd q%u opc %#x cid %u nsid %#x sgl %#x/%u dlen %u cdw10 %#x shape %d\n",
	     c->qid, s->opcode, s->cid, s->nsid, s->dptr.type,
	     le32toh(s->dptr.length), dlen, le32toh(s->cdw10), shape);
	if (pdu_send(c, &p, sizeof(p), data, dlen, &fix))
		return false;
	/* an Asynchronous Event Request is answered only on an event */
	if (shape == SHAPE_GOOD && connected && !c->qid && s->opcode == 0x0c) {
		conn_wait(c, ANS_NONE, opt.quiet_ms);
		return !c->dead;
	}
	return settle(c, shape, cid);
}

/*
 * A burst: capsules with random commands and fields back to back, each
 * well formed at the transport level (so that the queue stays up), then
 * every answer collected.  Most PDUs of a run come from here.
 */
static bool step_burst(struct conn *c, struct rng *r,
		       const struct ctrl_id *id, bool discovery)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD } };
	unsigned int max = c->qid ? opt.burst : opt.burst < 24 ? opt.burst : 24;
	unsigned int n = 2 + rng_below(r, max > 2 ? max - 1 : 1), i;
	uint32_t want, dlen, inline_max = c->qid ? 16384 : 8192 - 64;
	struct sqe *s = &p.sqe;

	logv(1, "  burst of %u on q%u\n", n, c->qid);
	for (i = 0; i < n; i++) {
		memset(s, 0, sizeof(*s));
		if (rng_pct(r, 5))
			want = gen_fabrics(r, s, id, c);
		else if (c->qid)
			want = gen_io(r, s);
		else
			want = gen_admin(r, s, discovery);
		s->cid = next_cid(c);
		s->flags = rng_pct(r, 95) ? 0x40 : (uint8_t)rng_next(r);
		gen_sgl(r, s, want, inline_max, &dlen, true);
		/* only data the target takes without closing the queue */
		if (dlen && (!(s->opcode & 1) || s->dptr.type != SGL_INCAPSULE ||
			     s->dptr.addr || le32toh(s->dptr.length) != dlen ||
			     dlen > inline_max))
			dlen = 0;
		if (dlen && s->opcode != OPC_FABRICS)
			memset(data, rng_next(r) & 0xff, dlen);
		/* AERs are answered only on an event */
		if (!(c->qid == 0 && s->opcode == 0x0c) &&
		    !(c->pend[s->cid >> 3] & (1U << (s->cid & 7)))) {
			c->pend[s->cid >> 3] |= 1U << (s->cid & 7);
			c->npend++;
		}
		logv(2, "  cmd q%u opc %#x cid %u nsid %#x sgl %#x/%u dlen %u cdw10 %#x\n",
		     c->qid, s->opcode, s->cid, s->nsid, s->dptr.type,
		     le32toh(s->dptr.length), dlen, le32toh(s->cdw10));
		c->more = i + 1 < n;
		if (pdu_send(c, &p, sizeof(p), data, dlen, NULL)) {
			c->more = false;
			return false;
		}
	}
	c->more = false;
	return conn_wait(c, ANS_PEND, opt.answer_ms) == 1 && !c->dead;
}

/* answer the oldest R2T: mostly as asked, sometimes not */
static bool step_h2c(struct conn *c, struct rng *r)
{
	struct data_pdu p = { .hdr = { .type = PDU_H2C_DATA,
				       .hlen = HLEN_DATA } };
	struct pdu_fix fix = { 0 };
	struct r2t *t = &c->r2t[0];
	enum shape shape = SHAPE_GOOD;
	uint32_t len = t->len, chunk = c->maxh2c;
	uint16_t cid;
	bool last;

	if (chunk > DATA_MAX)
		chunk = DATA_MAX;
	if (rng_pct(r, 20))
		chunk = 1 + rng_below(r, chunk);
	if (len > chunk)
		len = chunk;
	last = len == t->len;
	p.cid = t->cid;
	p.ttag = t->ttag;
	p.offset = htole32(t->off);
	p.length = htole32(len);
	p.hdr.flags = last ? F_LAST : 0;
	if (rng_pct(r, 25)) {
		shape = SHAPE_BAD;
		switch (rng_below(r, 7)) {
		case 0:
			p.ttag ^= 1 + rng_below(r, 0xffff);
			break;
		case 1:
			p.cid ^= 1 + rng_below(r, 0xffff);
			break;
		case 2:
			p.offset = htole32(t->off + 1 + rng_below(r, 4096));
			break;
		case 3:
			p.length = htole32(len + 1);	/* DATAL != data */
			break;
		case 4:
			len = len < DATA_MAX ? len + 1 + rng_below(r, 512) : len;
			if (len > DATA_MAX)
				len = DATA_MAX;
			p.length = htole32(len);	/* more than asked */
			break;
		case 5:
			p.hdr.flags ^= F_LAST;
			shape = last ? SHAPE_SHORT : SHAPE_GOOD;
			break;
		default:
			shape = mutate(r, c, &p.hdr, &fix, HLEN_DATA, len);
			break;
		}
	}
	logv(1, "  h2c cid %u ttag %u off %u len %u/%u shape %d\n", p.cid,
	     p.ttag, le32toh(p.offset), len, t->len, shape);
	memset(data, 0x5a, len);
	if (pdu_send(c, &p, sizeof(p), data, len, &fix))
		return false;
	if (shape != SHAPE_GOOD)
		return settle(c, shape, 0);
	t->off += len;
	t->len -= len;
	if (t->len) {
		/* more to come: nothing is owed yet */
		conn_wait(c, ANS_NONE, 0);
		return !c->dead;
	}
	cid = t->cid;
	c->nr_r2t--;
	memmove(c->r2t, c->r2t + 1, c->nr_r2t * sizeof(*t));
	c->have_rsp = false;
	return settle(c, SHAPE_GOOD, cid);
}

/* H2CData nobody asked for */
static bool step_stray_h2c(struct conn *c, struct rng *r)
{
	struct data_pdu p = { .hdr = { .type = PDU_H2C_DATA,
				       .hlen = HLEN_DATA, .flags = F_LAST } };
	struct pdu_fix fix = { 0 };
	uint32_t len = rng_below(r, 4) ? 512 : rng_below(r, 8193);
	enum shape shape;

	p.cid = rng_below(r, 2) ? c->cid - 1 : (uint16_t)rng_next(r);
	p.ttag = rng_below(r, 2) ? rng_below(r, 128) : (uint16_t)rng_next(r);
	p.offset = htole32(rng_below(r, 2) ? 0 : boundary32(r));
	p.length = htole32(rng_below(r, 4) ? len : boundary32(r));
	shape = maybe_mutate(r, c, &p.hdr, &fix, HLEN_DATA, len, 20);
	logv(1, "  stray h2c cid %u ttag %u len %u\n", p.cid, p.ttag, len);
	memset(data, 0xa5, len);
	if (pdu_send(c, &p, sizeof(p), data, len, &fix))
		return false;
	return settle(c, shape == SHAPE_GOOD ? SHAPE_BAD : shape, 0);
}

/* H2CTermReq: the host ends the connection */
static bool step_term(struct conn *c, struct rng *r)
{
	struct term_pdu p = { .hdr = { .type = PDU_H2C_TERM,
				       .hlen = HLEN_TERM } };
	struct pdu_fix fix = { 0 };
	uint32_t len = rng_below(r, 2) ? 0 : rng_below(r, 2) ? 72 :
		       rng_below(r, 300);

	p.fes = htole16(rng_below(r, 4) ? 1 + rng_below(r, 6) :
			(uint16_t)rng_next(r));
	p.feil = htole16(rng_below(r, 2) ? rng_below(r, 72) :
			 (uint16_t)rng_next(r));
	p.feiu = htole16(rng_below(r, 4) ? 0 : (uint16_t)rng_next(r));
	memset(data, 0, len);
	maybe_mutate(r, c, &p.hdr, &fix, HLEN_TERM, len, 20);
	logv(1, "  H2CTermReq fes %#x, %u bytes after it\n", le16toh(p.fes),
	     len);
	if (pdu_send(c, &p, sizeof(p), data, len, &fix))
		return false;
	conn_wait(c, ANS_NONE, opt.quiet_ms);
	return false;
}

/*
 * What only a controller sends (ICResp, C2HTermReq, CapsuleResp,
 * C2HData, R2T), types nobody defined, and random headers: the target
 * must close.
 */
static bool step_wrong_way(struct conn *c, struct rng *r)
{
	static const uint8_t types[] = { PDU_ICRESP, PDU_C2H_TERM, PDU_RSP,
					 PDU_C2H_DATA, PDU_R2T, 0x08, 0x0a,
					 0x0b, 0x0c, 0x0f, 0x10, 0x7f, 0x80,
					 0xff };
	static const uint8_t hlens[] = { 0, 8, 24, 72, 128, 255 };
	uint8_t buf[256];
	struct hdr *h = (void *)buf;
	struct pdu_fix fix = { .keep_flags = true };
	uint32_t hlen, len = rng_below(r, 2) ? 0 : rng_below(r, 4097);

	h->type = RNG_PICK(r, types);
	switch (h->type) {
	case PDU_ICRESP:
		hlen = HLEN_IC;
		break;
	case PDU_RSP: case PDU_C2H_DATA: case PDU_R2T: case PDU_C2H_TERM:
		hlen = HLEN_RSP;
		break;
	default:
		hlen = RNG_PICK(r, hlens);
		if (hlen < 8)
			hlen = 8;
		break;
	}
	h->hlen = rng_pct(r, 80) ? hlen : (uint8_t)rng_next(r);
	h->flags = rng_pct(r, 70) ? 0 : (uint8_t)rng_next(r);
	for (uint32_t i = 8; i < hlen; i++)
		buf[i] = rng_pct(r, 70) ? 0 : (uint8_t)rng_next(r);
	memset(data, 0, len);
	logv(1, "  wrong-way type %#x hlen %u, %u bytes\n", h->type, h->hlen,
	     len);
	if (pdu_send(c, buf, hlen, data, len, &fix))
		return false;
	return settle(c, SHAPE_BAD, 0);
}

/* an ICReq, well formed or with any field at a boundary */
bool step_icreq(struct conn *c, struct rng *r, bool first)
{
	struct ic_pdu ic = { .hdr = { .type = PDU_ICREQ, .hlen = HLEN_IC } };
	struct pdu_fix fix = { 0 };
	enum shape shape = SHAPE_GOOD;

	ic.digest = rng_below(r, 4);
	ic.maxr2t_maxdata = htole32(rng_pct(r, 80) ? 0 : boundary32(r));
	if (rng_pct(r, 40)) {
		shape = SHAPE_BAD;
		switch (rng_below(r, 5)) {
		case 0:
			ic.pfv = htole16(1 + rng_below(r, 0xffff));
			break;
		case 1:
			ic.hpda_cpda = 1 + rng_below(r, 255);
			break;
		case 2:
			ic.digest = 4 + rng_below(r, 252);
			shape = SHAPE_GOOD;	/* reserved bits */
			break;
		case 3:
			memset(ic.rsvd, 0xff, sizeof(ic.rsvd));
			shape = SHAPE_GOOD;
			break;
		default:
			shape = mutate(r, c, &ic.hdr, &fix, HLEN_IC, 0);
			break;
		}
	}
	if (!first && shape == SHAPE_GOOD)
		shape = SHAPE_BAD;	/* a second ICReq */
	logv(1, "  ICReq%s pfv %u hpda %u digest %#x shape %d\n",
	     first ? "" : " (again)", le16toh(ic.pfv), ic.hpda_cpda,
	     ic.digest, shape);
	if (pdu_send(c, &ic, sizeof(ic), NULL, 0, &fix))
		return false;
	if (shape == SHAPE_GOOD)
		return conn_wait(c, ANS_ICRESP, opt.answer_ms) == 1 &&
		       !c->dead;
	return settle(c, shape, 0);
}

bool fuzz_step(struct conn *c, struct rng *r, const struct ctrl_id *id,
	       bool connected, bool discovery)
{
	bool live = c->live;
	unsigned int k = rng_below(r, 100);

	if (c->dead)
		return false;
	if (c->nr_r2t && k < 40)
		return step_h2c(c, r);
	if (!live && k < 50)
		return step_icreq(c, r, true);
	if (connected && rng_pct(r, opt.burst_pct))
		return step_burst(c, r, id, discovery);
	k = rng_below(r, 100);
	if (k < 82)
		return step_capsule(c, r, id, connected, discovery);
	if (k < 88)
		return step_stray_h2c(c, r);
	if (k < 90)
		return step_term(c, r);
	if (k < 96)
		return step_wrong_way(c, r);
	return step_icreq(c, r, !live);
}
