// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-tcp-fuzz: one TCP connection to the target: PDUs out (with the
 * digests the connection negotiated, or deliberately wrong ones), PDUs in
 * (parsed, counted, R2Ts remembered), with every wait bounded in time.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "fuzz.h"

#define CONNECT_MS	5000
#define STALL_MS	2000	/* the target reads nothing for this long */

int conn_open(struct conn *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct pollfd pfd;
	int one = 1, err = 0;
	socklen_t len = sizeof(err);

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->maxh2c = 4096;
	sa.sin_port = htons(opt.port);
	if (inet_pton(AF_INET, opt.addr, &sa.sin_addr) != 1)
		return -1;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	st.conns++;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    errno != EINPROGRESS)
		goto fail;
	pfd.fd = c->fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, CONNECT_MS) != 1)
		goto fail;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		goto fail;
	return 0;
fail:
	st.conn_fail++;
	close(c->fd);
	c->fd = -1;
	c->dead = true;
	return -1;
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->dead = true;
}

static void gone(struct conn *c)
{
	if (!c->dead)
		st.closed++;
	c->dead = true;
}

/* ---------------------------------------------------------- receive -- */

static uint32_t rx_hlen(uint8_t type)
{
	switch (type) {
	case PDU_ICRESP:
		return HLEN_IC;
	case PDU_C2H_TERM:
		return HLEN_TERM;
	case PDU_RSP:
	case PDU_C2H_DATA:
	case PDU_R2T:
		return HLEN_RSP;
	default:
		return 8;
	}
}

static void rx_icresp(struct conn *c, const struct ic_pdu *ic)
{
	st.icresp++;
	c->live = true;
	c->cpda = ic->hpda_cpda;
	c->hdgst = ic->digest & DGST_HDR;
	c->ddgst = ic->digest & DGST_DATA;
	c->maxh2c = le32toh(ic->maxr2t_maxdata);
	if (c->maxh2c < 4096)
		c->maxh2c = 4096;
	logv(2, "    <- ICResp cpda %u digest %#x maxh2cdata %u\n",
	     ic->hpda_cpda, ic->digest, c->maxh2c);
}

static void rx_rsp(struct conn *c, const struct rsp_pdu *p, bool *match,
		   uint32_t want)
{
	uint16_t sf = le16toh(p->cqe.status) >> 1;
	uint16_t cid = p->cqe.cid;

	st.rsp++;
	st.status[sf & 0x7ff]++;
	if (sf & 0x4000)
		st.dnr++;
	logv(2, "    <- CapsuleResp cid %u status %#x result %#x\n", cid, sf,
	     le32toh(p->cqe.result));
	if (c->rsp_log)
		c->rsp_log[cid] = RSP_SEEN | (sf & 0x7fff);
	if (cid == want) {
		*match = true;
		c->have_rsp = true;
		c->rsp_status = sf & 0x7ff;
		c->rsp_result = le32toh(p->cqe.result);
	}
}

static void rx_r2t(struct conn *c, const struct data_pdu *p, bool *match,
		   uint32_t want)
{
	struct r2t *t;

	st.r2t++;
	logv(2, "    <- R2T cid %u ttag %u off %u len %u\n", p->cid, p->ttag,
	     le32toh(p->offset), le32toh(p->length));
	if (p->cid == want)
		*match = true;
	if (c->nr_r2t == MAX_R2T)
		return;
	t = &c->r2t[c->nr_r2t++];
	t->cid = p->cid;
	t->ttag = p->ttag;
	t->off = le32toh(p->offset);
	t->len = le32toh(p->length);
}

static void rx_term(struct conn *c, const struct term_pdu *p)
{
	uint16_t fes = le16toh(p->fes);

	st.term++;
	st.fes[fes < 7 ? fes : 7]++;
	logv(1, "    <- C2HTermReq FES %#x\n", fes);
	/* the target closes after a C2HTermReq; so do we */
	c->dead = true;
}

/* an answer for a command of the burst */
static void pend_clear(struct conn *c, uint16_t cid, bool *match,
		       uint32_t want)
{
	uint8_t bit = 1U << (cid & 7);

	if (!(c->pend[cid >> 3] & bit))
		return;
	c->pend[cid >> 3] &= ~bit;
	if (!--c->npend && want == ANS_PEND)
		*match = true;
}

/* a whole PDU (its first bytes in c->rx) came in */
static void rx_done(struct conn *c, bool *match, uint32_t want)
{
	const struct hdr *h = (const void *)c->rx;
	uint32_t hl = rx_hlen(h->type);

	if (c->hdgst && h->type != PDU_ICRESP && h->type != PDU_C2H_TERM &&
	    c->rx_plen >= hl + DIGEST_LEN && hl > 8) {
		uint32_t got;

		memcpy(&got, c->rx + hl, 4);
		if (le32toh(got) != crc32c(c->rx, hl)) {
			st.bad_rx++;
			logv(1, "    <- type %#x: bad header digest\n", h->type);
		}
	}
	if (want == ANS_ANY)
		*match = true;
	switch (h->type) {
	case PDU_ICRESP:
		rx_icresp(c, (const void *)c->rx);
		if (want == ANS_ICRESP)
			*match = true;
		break;
	case PDU_RSP:
		rx_rsp(c, (const void *)c->rx, match, want);
		pend_clear(c, ((const struct rsp_pdu *)h)->cqe.cid, match,
			   want);
		break;
	case PDU_R2T:
		rx_r2t(c, (const void *)c->rx, match, want);
		pend_clear(c, ((const struct data_pdu *)h)->cid, match, want);
		break;
	case PDU_C2H_DATA:
		st.c2h_data++;
		/* SUCCESS: the data stands for the response (SQ head off) */
		if ((h->flags & F_SUCCESS) &&
		    ((const struct data_pdu *)h)->cid == want) {
			*match = true;
			c->have_rsp = true;
			c->rsp_status = 0;
		}
		if ((h->flags & F_SUCCESS) && c->rsp_log)
			c->rsp_log[((const struct data_pdu *)h)->cid] =
				RSP_SEEN;
		if (h->flags & F_SUCCESS)
			pend_clear(c, ((const struct data_pdu *)h)->cid, match,
				   want);
		break;
	case PDU_C2H_TERM:
		rx_term(c, (const void *)c->rx);
		*match = true;
		break;
	default:
		st.other_rx++;
		break;
	}
}

/* Feed received bytes through the PDU parser. */
static int rx_feed(struct conn *c, const uint8_t *p, size_t n, bool *match,
		   uint32_t want)
{
	const struct hdr *h = (const void *)c->rx;

	while (n) {
		uint32_t keep, take;

		if (c->rx_have < 8) {
			take = 8 - c->rx_have;
			if (take > n)
				take = n;
			memcpy(c->rx + c->rx_have, p, take);
			c->rx_have += take;
			p += take;
			n -= take;
			if (c->rx_have < 8)
				break;
			c->rx_plen = le32toh(h->plen);
			if (c->rx_plen < 8 || c->rx_plen > (64U << 20) ||
			    (h->hlen != rx_hlen(h->type) && h->type < PDU_TYPES)) {
				st.bad_rx++;
				logv(1, "    <- bad PDU type %#x hlen %u plen %u\n",
				     h->type, h->hlen, c->rx_plen);
				return -1;
			}
		}
		keep = c->rx_plen < sizeof(c->rx) ? c->rx_plen : sizeof(c->rx);
		take = c->rx_plen - c->rx_have;
		if (take > n)
			take = n;
		if (c->rx_have < keep) {
			uint32_t k = keep - c->rx_have;

			memcpy(c->rx + c->rx_have, p, k < take ? k : take);
		}
		/* C2HData of the captured command: its data into cap_buf */
		if (h->type == PDU_C2H_DATA && c->cap_buf && c->rx_have + take >
		    (uint32_t)h->pdo && ((const struct data_pdu *)h)->cid ==
		    c->cap_cid && c->rx_have + take > HLEN_DATA) {
			const struct data_pdu *d = (const void *)c->rx;
			uint32_t i;

			for (i = 0; i < take; i++) {
				uint32_t at = c->rx_have + i;
				uint32_t o;

				if (at < h->pdo)
					continue;
				o = le32toh(d->offset) + at - h->pdo;
				if (o < c->cap_len &&
				    at - h->pdo < le32toh(d->length))
					c->cap_buf[o] = p[i];
			}
		}
		c->rx_have += take;
		p += take;
		n -= take;
		if (c->rx_have == c->rx_plen) {
			rx_done(c, match, want);
			c->rx_have = 0;
		}
	}
	return 0;
}

/* Read what is there now; -1 once the connection is gone. */
static int rx_drain(struct conn *c, bool *match, uint32_t want)
{
	static uint8_t buf[65536];
	ssize_t n;

	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			if (rx_feed(c, buf, n, match, want)) {
				c->dead = true;
				return -1;
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return c->dead ? -1 : 0;
		gone(c);
		return -1;
	}
}

int conn_wait(struct conn *c, uint32_t what, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	uint64_t before = st.icresp + st.rsp + st.r2t + st.c2h_data +
			  st.term + st.other_rx;
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	bool match = false;
	int left, ret;

	if (c->dead)
		return -1;
	if (what == ANS_PEND && !c->npend)
		return 1;
	for (;;) {
		uint64_t t = now_ms();

		left = t >= end ? 0 : (int)(end - t);
		ret = poll(&pfd, 1, left);
		if (ret > 0 && rx_drain(c, &match, what))
			return -1;
		if (match)
			return 1;
		if (ret == 0 || left == 0)
			break;
	}
	if (what == ANS_NONE) {
		if (before == st.icresp + st.rsp + st.r2t + st.c2h_data +
			      st.term + st.other_rx)
			st.quiet++;
		return 0;
	}
	st.timeouts++;
	st.timeout_after[c->last_type < PDU_TYPES ? c->last_type : PDU_TYPES]++;
	logv(1, "    (no answer in %u ms)\n", ms);
	return 0;
}

/* ------------------------------------------------------------- send -- */

static int send_all(struct conn *c, struct iovec *iov, int cnt)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLOUT | POLLIN };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = cnt };
	bool match = false;
	uint64_t last = now_ms();

	while (msg.msg_iovlen) {
		ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT |
				    (c->more ? MSG_MORE : 0));

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			gone(c);
			return -1;
		}
		if (n > 0) {
			last = now_ms();
			while (n && msg.msg_iovlen) {
				size_t k = (size_t)n < msg.msg_iov->iov_len ?
					   (size_t)n : msg.msg_iov->iov_len;

				msg.msg_iov->iov_base =
					(uint8_t *)msg.msg_iov->iov_base + k;
				msg.msg_iov->iov_len -= k;
				n -= k;
				if (!msg.msg_iov->iov_len) {
					msg.msg_iov++;
					msg.msg_iovlen--;
				}
			}
			continue;
		}
		if (now_ms() - last > STALL_MS) {
			st.stalled++;
			c->dead = true;
			return -1;
		}
		/* read while we wait, or both sides block on full buffers */
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & POLLIN) &&
		    rx_drain(c, &match, ANS_NONE))
			return -1;
	}
	return 0;
}

int pdu_send(struct conn *c, void *hdrp, uint32_t hlen, const void *data,
	     uint32_t dlen, const struct pdu_fix *fix)
{
	static const struct pdu_fix none;
	static const uint8_t zero[256];
	struct hdr *h = hdrp;
	uint8_t hd[4], dd[4];
	bool digest_types = h->type != PDU_ICREQ && h->type != PDU_H2C_TERM;
	bool use_hd, use_dd;
	uint32_t pad = 0, align, total, hdr_end;
	struct iovec iov[5];
	int cnt = 0, i;

	if (!fix)
		fix = &none;
	if (c->dead)
		return -1;
	use_hd = c->hdgst && digest_types && !fix->no_hdgst;
	use_dd = c->ddgst && dlen;
	if (!fix->keep_flags) {
		h->flags &= ~(F_HDGST | F_DDGST);
		if (c->hdgst && digest_types)
			h->flags |= F_HDGST;
		if (use_dd)
			h->flags |= F_DDGST;
	}
	hdr_end = hlen + (use_hd ? DIGEST_LEN : 0);
	if (!fix->keep_pdo) {
		align = (c->cpda + 1) * 4;
		h->pdo = dlen ? (hdr_end + align - 1) / align * align : 0;
	}
	if (dlen && h->pdo > hdr_end)
		pad = h->pdo - hdr_end;
	if (pad > sizeof(zero))
		pad = sizeof(zero);
	total = hdr_end + pad + dlen + (use_dd ? DIGEST_LEN : 0);
	if (!fix->keep_plen)
		h->plen = htole32(total);
	if (use_hd) {
		uint32_t v = htole32(crc32c(h, hlen) ^ (fix->bad_hdgst ? 1 : 0));

		memcpy(hd, &v, 4);
	}
	if (use_dd) {
		uint32_t v = htole32(crc32c(data, dlen) ^
				     (fix->bad_ddgst ? 0x80 : 0));

		memcpy(dd, &v, 4);
	}
	iov[cnt++] = (struct iovec){ h, hlen };
	if (use_hd)
		iov[cnt++] = (struct iovec){ hd, 4 };
	if (pad)
		iov[cnt++] = (struct iovec){ (void *)zero, pad };
	if (dlen)
		iov[cnt++] = (struct iovec){ (void *)data, dlen };
	if (use_dd)
		iov[cnt++] = (struct iovec){ dd, 4 };
	if (fix->cut && fix->cut < total) {
		uint32_t left = fix->cut;

		for (i = 0; i < cnt && left; i++) {
			if (iov[i].iov_len > left)
				iov[i].iov_len = left;
			left -= iov[i].iov_len;
		}
		cnt = i;
		total = fix->cut;
	}
	st.pdus++;
	st.bytes += total;
	c->last_type = h->type;
	st.sent[h->type < PDU_TYPES ? h->type : PDU_TYPES]++;
	logv(2, "  -> type %#x flags %#x hlen %u pdo %u plen %u (%u bytes%s%s)\n",
	     h->type, h->flags, h->hlen, h->pdo, le32toh(h->plen), total,
	     fix->bad_hdgst && use_hd ? ", bad hdgst" : "",
	     fix->bad_ddgst && use_dd ? ", bad ddgst" : "");
	return send_all(c, iov, cnt);
}
