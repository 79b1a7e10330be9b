// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fuzz: the well-formed steps that bring a connection to where
 * the fuzzing starts: ICReq, Connect (admin or I/O), CC.EN by Property
 * Set, and one Identify Controller for the target's MDTS; and the
 * commands with their data both the fuzzer and nvme-tcp-fused send.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include "fuzz.h"

uint32_t target_mdts;

uint16_t next_cid(struct conn *c)
{
	return c->cid++;
}

int setup_icreq(struct conn *c, struct rng *r, bool digests)
{
	struct ic_pdu ic = { .hdr = { .type = PDU_ICREQ, .hlen = HLEN_IC } };

	if (digests)
		ic.digest = 1 + rng_below(r, 3);	/* hdr, data or both */
	ic.maxr2t_maxdata = htole32(rng_below(r, 4));
	if (pdu_send(c, &ic, sizeof(ic), NULL, 0, NULL))
		return -1;
	if (conn_wait(c, ANS_ICRESP, opt.answer_ms) != 1 || c->dead) {
		st.setup_fail++;
		return -1;
	}
	return 0;
}

int setup_command(struct conn *c, struct sqe *sqe, const void *data,
		  uint32_t dlen)
{
	struct cmd_pdu p = { .hdr = { .type = PDU_CMD, .hlen = HLEN_CMD } };

	sqe->cid = next_cid(c);
	sqe->flags = 0x40;	/* SGL */
	if (dlen) {
		sqe->dptr.type = SGL_INCAPSULE;
		sqe->dptr.length = htole32(dlen);
	}
	p.sqe = *sqe;
	c->have_rsp = false;
	if (pdu_send(c, &p, sizeof(p), data, dlen, NULL))
		return -1;
	if (conn_wait(c, sqe->cid, opt.answer_ms) != 1 || !c->have_rsp)
		return -1;
	return c->rsp_status ? -1 : 0;
}

int setup_command_in(struct conn *c, struct sqe *sqe, void *buf,
		     uint32_t len)
{
	int ret;

	sqe->dptr.type = SGL_TRANSPORT;
	sqe->dptr.length = htole32(len);
	c->cap_cid = c->cid;
	c->cap_buf = buf;
	c->cap_len = len;
	ret = setup_command(c, sqe, NULL, 0);
	c->cap_buf = NULL;
	return ret;
}

int setup_connect(struct conn *c, struct ctrl_id *id, uint16_t qid,
		  uint16_t sqsize)
{
	struct connect_data d = { 0 };
	struct sqe s = { .opcode = OPC_FABRICS, .nsid = FCT_CONNECT };

	s.cdw10 = htole32((uint32_t)qid << 16);
	s.cdw11 = htole32(sqsize);
	s.cdw12 = htole32(qid ? 0 : 30000);	/* KATO: the host's default */
	memcpy(d.hostid, id->hostid, 16);
	d.cntlid = htole16(qid ? id->cntlid : 0xffff);
	snprintf(d.subnqn, sizeof(d.subnqn), "%s", id->subnqn);
	snprintf(d.hostnqn, sizeof(d.hostnqn), "%s", opt.hostnqn);
	c->qid = qid;
	if (setup_command(c, &s, &d, sizeof(d))) {
		st.setup_fail++;
		return -1;
	}
	if (!qid)
		id->cntlid = c->rsp_result & 0xffff;
	return 0;
}

static int identify_mdts(struct conn *c)
{
	static uint8_t idbuf[4096];
	struct sqe s = { .opcode = 0x06, .cdw10 = htole32(1) };

	if (setup_command_in(c, &s, idbuf, sizeof(idbuf)))
		return -1;
	/* MDTS (byte 77) in units of the minimum page size, 4 KiB here */
	target_mdts = idbuf[77] && idbuf[77] < 20 ? 4096U << idbuf[77] : 0;
	printf("target MDTS: %u bytes%s\n", target_mdts,
	       target_mdts ? "" : " (no limit; the fuzzer uses 1 MiB)");
	if (!target_mdts)
		target_mdts = 1 << 20;
	return 0;
}

int setup_enable(struct conn *c)
{
	struct sqe s = { .opcode = OPC_FABRICS, .nsid = FCT_PROP_SET };
	s.cdw10 = 0;		/* 4 bytes */
	s.cdw11 = htole32(PROP_CC);
	s.cdw12 = htole32(CC_ENABLE);
	if (setup_command(c, &s, NULL, 0)) {
		st.setup_fail++;
		return -1;
	}
	return 0;
}

/*
 * Learn the target's MDTS on a connection of its own, so that the fuzzed
 * connections do the same whichever of them a run starts at.
 */
void probe_target(struct ctrl_id *id)
{
	struct conn c;
	struct rng r;

	rng_seed(&r, 0);
	target_mdts = 1 << 20;
	if (conn_open(&c))
		return;
	if (!setup_icreq(&c, &r, false) && !setup_connect(&c, id, 0, 31) &&
	    !setup_enable(&c))
		identify_mdts(&c);
	else
		printf("target MDTS: unknown (setup failed); using 1 MiB\n");
	conn_close(&c);
}
