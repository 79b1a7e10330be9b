// SPDX-License-Identifier: GPL-2.0-only
/*
 * Authentication Send and Receive (fabrics command types 05h and 06h) and
 * the DH-HMAC-CHAP transaction they carry, on any queue:
 *
 *   host                                 controller (sq->auth->step)
 *   Send     Negotiate        ->         CHALLENGE (or FAILURE1)
 *   Receive                   <-         Challenge: C1, S1, our DH value
 *   Send     Reply            ->         SUCCESS1 (or FAILURE1)
 *   Receive                   <-         Success1 (+ our response to C2)
 *   Send     Success2         ->         (bidirectional only) done
 *   Receive                   <-         Failure1, if it failed
 *
 * A Negotiate starts over at any time (re-authentication); a Negotiate
 * on the admin queue takes the host's keys anew.  A failure (our
 * Failure1, the host's Failure2) ends the transaction and leaves the queue
 * unauthenticated, taking nothing but a new Negotiate; the host closes
 * the controller, or keep-alive ends it (in-tree raises a fatal error at
 * once, which can close the queue before the Failure1 is sent).  A Send
 * out of turn is a protocol error: it fails and ends the controller, as
 * in-tree.  Built with HAVE_NVME_AUTH only.
 *
 * Conventions:
 * @req: an Authentication Send or Receive on a connected queue
 * @a:   the queue's exchange, under its sq->auth_lock
 */
#include <crypto/utils.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "auth.h"
#include "ctrl.h"

/* A transaction lasts the controller's KATO, or this without one. */
#define NVMET_AUTH_TIMEOUT_MS	120000

static const char *nvmet_auth_reason(u8 status)
{
	switch (status) {
	case NVME_AUTH_DHCHAP_FAILURE_FAILED:
		return "authentication failed";
	case NVME_AUTH_DHCHAP_FAILURE_NOT_USABLE:
		return "no usable key";
	case NVME_AUTH_DHCHAP_FAILURE_CONCAT_MISMATCH:
		return "secure channel concatenation not supported";
	case NVME_AUTH_DHCHAP_FAILURE_HASH_UNUSABLE:
		return "no usable hash";
	case NVME_AUTH_DHCHAP_FAILURE_DHGROUP_UNUSABLE:
		return "no usable DH group";
	case NVME_AUTH_DHCHAP_FAILURE_INCORRECT_PAYLOAD:
		return "malformed message";
	default:
		return "message out of turn";
	}
}

/* The transaction failed: the host learns it from Failure1. */
static void nvmet_auth_fail(struct nvmet_req *req, struct nvmet_sq_auth *a,
			    u8 status)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;
	unsigned int n = nvmet_host_auth_failed(ctrl->hostnqn);

	pr_warn_ratelimited("nvmet: controller %u of %s: queue %u: host %*pE: DH-HMAC-CHAP: %s (failure %u of this host)\n",
			    ctrl->cntlid, ctrl->subsys->nqn, req->sq->qid,
			    (int)strlen(ctrl->hostnqn), ctrl->hostnqn,
			    nvmet_auth_reason(status), n);
	a->step = NVME_AUTH_DHCHAP_MESSAGE_FAILURE1;
	a->status = status;
	WRITE_ONCE(req->sq->authenticated, false);
}

/* The transaction is over (success or the host's Failure2). */
static void nvmet_auth_end(struct nvmet_sq *sq)
{
	lockdep_assert_held(&sq->auth_lock);
	nvmet_sq_auth_free(sq->auth);
	sq->auth = NULL;
}

/*
 * The transaction succeeded: the queue takes commands; on the admin queue
 * this also stops the controller's deadline to authenticate (ctrl.c).
 */
static void nvmet_auth_done(struct nvmet_sq *sq)
{
	WRITE_ONCE(sq->authenticated, true);
	if (!sq->qid)
		WRITE_ONCE(sq->ctrl->auth_done, true);
	nvmet_auth_end(sq);
}

/* The first ID of @ids[0..@n) the controller can use, @want if there. */
static int nvmet_auth_pick(const u8 *ids, unsigned int n, u8 want,
			   bool (*usable)(u8 id))
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i] == want && usable(want))
			return want;
	for (i = 0; i < n; i++)
		if (usable(ids[i]))
			return ids[i];
	return -1;
}

static u8 nvmet_auth_negotiate(struct nvmet_sq_auth *a, void *buf, u32 tl)
{
	struct nvmf_auth_dhchap_negotiate_data *n = buf;
	struct nvmf_auth_dhchap_protocol_descriptor *p;
	int id;

	if (tl < sizeof(*n) + sizeof(*p) || !n->napd)
		return NVME_AUTH_DHCHAP_FAILURE_INCORRECT_PAYLOAD;
	a->tid = le16_to_cpu(n->t_id);
	if (n->sc_c)
		return NVME_AUTH_DHCHAP_FAILURE_CONCAT_MISMATCH;
	/* DH-HMAC-CHAP is the only protocol there is; the host lists it first. */
	p = &n->auth_protocol[0].dhchap;
	if (p->authid != NVME_AUTH_DHCHAP_AUTH_ID ||
	    p->halen > NVME_AUTH_DHCHAP_MAX_HASH_IDS ||
	    p->dhlen > NVME_AUTH_DHCHAP_MAX_DH_IDS)
		return NVME_AUTH_DHCHAP_FAILURE_INCORRECT_PAYLOAD;
	id = nvmet_auth_pick(p->idlist, p->halen, a->keys->hash_id,
			     nvmet_auth_hash_usable);
	if (id < 0)
		return NVME_AUTH_DHCHAP_FAILURE_HASH_UNUSABLE;
	a->hash_id = id;
	a->hash_len = nvme_auth_hmac_hash_len(id);
	id = nvmet_auth_pick(p->idlist + NVME_AUTH_DHCHAP_MAX_HASH_IDS, p->dhlen,
			     a->keys->dhgroup_id, nvmet_auth_dhgroup_usable);
	if (id < 0)
		return NVME_AUTH_DHCHAP_FAILURE_DHGROUP_UNUSABLE;
	a->dhgroup_id = id;
	a->step = NVME_AUTH_DHCHAP_MESSAGE_CHALLENGE;
	return 0;
}

/* A Negotiate: a new transaction, replacing any in progress. */
static void nvmet_auth_start(struct nvmet_req *req, void *buf, u32 tl)
{
	struct nvmet_sq *sq = req->sq;
	struct nvmet_sq_auth *a;
	u8 status;

	nvmet_auth_end(sq);
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return;
	sq->auth = a;
	a->keys = nvmet_auth_keys_get(sq->ctrl, !sq->qid, &status);
	if (!a->keys) {
		nvmet_auth_fail(req, a, status);
		return;
	}
	status = nvmet_auth_negotiate(a, buf, tl);
	if (status)
		nvmet_auth_fail(req, a, status);
}

static u8 nvmet_auth_reply(struct nvmet_req *req, struct nvmet_sq_auth *a,
			   void *buf, u32 tl)
{
	struct nvmf_auth_dhchap_reply_data *r = buf;
	u8 expected[NVMET_AUTH_MAX_HASH];
	u16 dhvlen;
	int ret;

	if (tl < sizeof(*r))
		return NVME_AUTH_DHCHAP_FAILURE_INCORRECT_PAYLOAD;
	dhvlen = le16_to_cpu(r->dhvlen);
	if (r->hl != a->hash_len ||
	    sizeof(*r) + 2 * (size_t)r->hl + dhvlen > tl ||
	    !dhvlen != !a->dh_tfm || dhvlen > a->dh_len)
		return NVME_AUTH_DHCHAP_FAILURE_INCORRECT_PAYLOAD;
	if (dhvlen && nvmet_auth_dh_session(a, r->rval + 2 * r->hl, dhvlen))
		return NVME_AUTH_DHCHAP_FAILURE_DHGROUP_UNUSABLE;
	ret = nvmet_auth_host_response(req->sq->ctrl, a, expected);
	if (!ret && crypto_memneq(expected, r->rval, a->hash_len))
		ret = -EKEYREJECTED;
	memzero_explicit(expected, sizeof(expected));
	if (ret)
		return NVME_AUTH_DHCHAP_FAILURE_FAILED;
	if (r->cvalid) {
		/* The host authenticates us too: we need a key for it. */
		if (!a->keys->ctrl_key)
			return NVME_AUTH_DHCHAP_FAILURE_FAILED;
		a->bidi = true;
		memcpy(a->c2, r->rval + r->hl, a->hash_len);
		a->s2 = le32_to_cpu(r->seqnum);
	}
	a->step = NVME_AUTH_DHCHAP_MESSAGE_SUCCESS1;
	return 0;
}

/* Handle one host message; false if it ends the controller. */
static bool nvmet_auth_recv_msg(struct nvmet_req *req, void *buf, u32 tl)
{
	struct nvmf_auth_dhchap_success2_data *m = buf;
	struct nvmet_sq *sq = req->sq;
	struct nvmet_sq_auth *a = sq->auth;
	u8 status;

	if (m->auth_type == NVME_AUTH_COMMON_MESSAGES &&
	    m->auth_id == NVME_AUTH_DHCHAP_MESSAGE_NEGOTIATE) {
		nvmet_auth_start(req, buf, tl);
		return sq->auth;
	}
	if (!a || a->step == NVME_AUTH_DHCHAP_MESSAGE_FAILURE1)
		return false;
	if (m->auth_type == NVME_AUTH_COMMON_MESSAGES &&
	    m->auth_id == NVME_AUTH_DHCHAP_MESSAGE_FAILURE2) {
		pr_warn_ratelimited("nvmet: controller %u of %s: queue %u: host %s refused the controller's DH-HMAC-CHAP response\n",
				    sq->ctrl->cntlid, sq->ctrl->subsys->nqn,
				    sq->qid, sq->ctrl->hostnqn);
		WRITE_ONCE(sq->authenticated, false);
		nvmet_auth_end(sq);
		return true;
	}
	if (m->auth_type != NVME_AUTH_DHCHAP_MESSAGES ||
	    m->auth_id != a->step || le16_to_cpu(m->t_id) != a->tid) {
		nvmet_auth_fail(req, a,
				NVME_AUTH_DHCHAP_FAILURE_INCORRECT_MESSAGE);
		return true;
	}
	if (a->step == NVME_AUTH_DHCHAP_MESSAGE_SUCCESS2) {
		nvmet_auth_done(sq);
		return true;
	}
	status = nvmet_auth_reply(req, a, buf, tl);
	if (status)
		nvmet_auth_fail(req, a, status);
	return true;
}

/*
 * Complete @req; then, if @fatal, end the controller, so that the host
 * gets the completion (a Failure1) before its queues go.
 */
static void nvmet_auth_complete(struct nvmet_req *req, u16 status,
				bool fatal)
{
	struct nvmet_ctrl *ctrl = req->sq->ctrl;

	if (!fatal) {
		nvmet_req_complete(req, status);
		return;
	}
	kref_get(&ctrl->ref);	/* the queue may go once @req completes */
	nvmet_req_complete(req, status);
	nvmet_ctrl_fatal_error(ctrl);
	nvmet_ctrl_put(ctrl);
}

static unsigned long nvmet_auth_timeout(struct nvmet_ctrl *ctrl)
{
	u32 kato = READ_ONCE(ctrl->kato);

	return msecs_to_jiffies(kato ? kato : NVMET_AUTH_TIMEOUT_MS);
}

static void nvmet_execute_auth_send(struct nvmet_req *req)
{
	u32 tl = req->data_len;
	struct nvmet_sq *sq = req->sq;
	bool ok = true;
	void *buf;
	u16 status;

	if (!nvmet_check_transfer_len(req, tl))
		return;
	buf = kmalloc(tl, GFP_KERNEL);
	if (!buf) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	status = nvmet_copy_from_sgl(req, 0, buf, tl);
	if (status)
		goto out_free;
	mutex_lock(&sq->auth_lock);
	if (sq->auth && time_after(jiffies, sq->auth->deadline))
		nvmet_auth_end(sq);	/* expired: only a Negotiate goes on */
	ok = nvmet_auth_recv_msg(req, buf, tl);
	if (sq->auth)
		sq->auth->deadline = jiffies + nvmet_auth_timeout(sq->ctrl);
	mutex_unlock(&sq->auth_lock);
	if (!ok)
		status = NVME_SC_CMD_SEQ_ERROR | NVME_STATUS_DNR;
out_free:
	kfree_sensitive(buf);
	nvmet_auth_complete(req, status, !ok);
}

/* The Challenge: C1, S1 and, with a DH group, the controller's value. */
static u16 nvmet_auth_challenge(struct nvmet_req *req,
				struct nvmet_sq_auth *a, void *buf, u32 al)
{
	struct nvmf_auth_dhchap_challenge_data *c = buf;
	int ret;

	if (a->dhgroup_id != NVME_AUTH_DHGROUP_NULL) {
		ret = nvmet_auth_dh_init(a);
		if (ret) {
			nvmet_auth_fail(req, a,
					NVME_AUTH_DHCHAP_FAILURE_DHGROUP_UNUSABLE);
			return 0;
		}
	}
	if (al < sizeof(*c) + a->hash_len + a->dh_len) {
		req->error_loc = offsetof(struct nvmf_auth_receive_command, al);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	a->s1 = nvme_auth_get_seqnum();
	get_random_bytes(a->c1, a->hash_len);
	c->auth_type = NVME_AUTH_DHCHAP_MESSAGES;
	c->auth_id = NVME_AUTH_DHCHAP_MESSAGE_CHALLENGE;
	c->t_id = cpu_to_le16(a->tid);
	c->hl = a->hash_len;
	c->hashid = a->hash_id;
	c->dhgid = a->dhgroup_id;
	c->dhvlen = cpu_to_le16(a->dh_len);
	c->seqnum = cpu_to_le32(a->s1);
	memcpy(c->cval, a->c1, a->hash_len);
	if (a->dh_len)
		memcpy(c->cval + a->hash_len, a->dh_pub, a->dh_len);
	a->step = NVME_AUTH_DHCHAP_MESSAGE_REPLY;
	return 0;
}

/* Success1, with the controller's response when the host asked for it. */
static u16 nvmet_auth_success1(struct nvmet_req *req,
			       struct nvmet_sq_auth *a, void *buf, u32 al)
{
	struct nvmf_auth_dhchap_success1_data *s = buf;

	if (al < sizeof(*s) + a->hash_len) {
		req->error_loc = offsetof(struct nvmf_auth_receive_command, al);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	s->auth_type = NVME_AUTH_DHCHAP_MESSAGES;
	s->auth_id = NVME_AUTH_DHCHAP_MESSAGE_SUCCESS1;
	s->t_id = cpu_to_le16(a->tid);
	s->hl = a->hash_len;
	if (a->bidi) {
		if (nvmet_auth_ctrl_response(req->sq->ctrl, a, s->rval)) {
			memset(s, 0, sizeof(*s) + a->hash_len);
			nvmet_auth_fail(req, a, NVME_AUTH_DHCHAP_FAILURE_FAILED);
			return 0;
		}
		s->rvalid = 1;
		a->step = NVME_AUTH_DHCHAP_MESSAGE_SUCCESS2;
		return 0;
	}
	nvmet_auth_done(req->sq);
	return 0;
}

static void nvmet_auth_failure1(struct nvmet_sq_auth *a, void *buf)
{
	struct nvmf_auth_dhchap_failure_data *f = buf;

	f->auth_type = NVME_AUTH_COMMON_MESSAGES;
	f->auth_id = NVME_AUTH_DHCHAP_MESSAGE_FAILURE1;
	f->t_id = cpu_to_le16(a ? a->tid : 0);
	f->rescode = NVME_AUTH_DHCHAP_FAILURE_REASON_FAILED;
	f->rescode_exp = a ? a->status : NVME_AUTH_DHCHAP_FAILURE_INCORRECT_MESSAGE;
}

/*
 * The controller's next message: a Failure1 if the transaction failed or
 * the host asks out of turn, which ends the transaction.
 */
static void nvmet_auth_send_msg(struct nvmet_req *req, void *buf, u32 al,
				u16 *status)
{
	struct nvmet_sq *sq = req->sq;
	struct nvmet_sq_auth *a = sq->auth;

	if (!a) {
		nvmet_auth_failure1(NULL, buf);
		return;
	}
	switch (a->step) {
	case NVME_AUTH_DHCHAP_MESSAGE_CHALLENGE:
		*status = nvmet_auth_challenge(req, a, buf, al);
		break;
	case NVME_AUTH_DHCHAP_MESSAGE_SUCCESS1:
		*status = nvmet_auth_success1(req, a, buf, al);
		break;
	case NVME_AUTH_DHCHAP_MESSAGE_FAILURE1:
		break;
	default:
		nvmet_auth_fail(req, a,
				NVME_AUTH_DHCHAP_FAILURE_INCORRECT_MESSAGE);
	}
	a = sq->auth;		/* Success1 may have ended it */
	if (*status || !a || a->step != NVME_AUTH_DHCHAP_MESSAGE_FAILURE1)
		return;
	nvmet_auth_failure1(a, buf);
	nvmet_auth_end(sq);
}

static void nvmet_execute_auth_receive(struct nvmet_req *req)
{
	u32 al = req->data_len;
	struct nvmet_sq *sq = req->sq;
	void *buf;
	u16 status = 0;

	if (!nvmet_check_transfer_len(req, al))
		return;
	buf = kzalloc(al, GFP_KERNEL);
	if (!buf) {
		nvmet_req_complete(req, NVME_SC_INTERNAL);
		return;
	}
	mutex_lock(&sq->auth_lock);
	nvmet_auth_send_msg(req, buf, al, &status);
	mutex_unlock(&sq->auth_lock);
	if (!status)
		status = nvmet_copy_to_sgl(req, 0, buf, al);
	kfree_sensitive(buf);
	nvmet_req_complete(req, status);
}

/**
 * nvmet_parse_auth_cmd() - an Authentication Send or Receive
 * @req: the request, on a connected queue of an I/O controller
 *
 * Checks the security protocol (DH-HMAC-CHAP: SECP E9h, SPSP 01h 01h)
 * and bounds the payload before any of it is transferred.
 *
 * Context: Process context.
 * Return: 0, or Invalid Field (a discovery controller: Invalid Opcode).
 */
u16 nvmet_parse_auth_cmd(struct nvmet_req *req)
{
	struct nvmf_auth_common_command *c = &req->cmd->auth_common;
	u32 len = le32_to_cpu(c->al_tl);

	if (nvmet_ctrl_is_disc(req->sq->ctrl)) {
		req->error_loc = offsetof(struct nvmf_common_command, fctype);
		return NVME_SC_INVALID_OPCODE | NVME_STATUS_DNR;
	}
	if (c->secp != NVME_AUTH_DHCHAP_PROTOCOL_IDENTIFIER) {
		req->error_loc = offsetof(struct nvmf_auth_common_command, secp);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (c->spsp0 != 0x01 || c->spsp1 != 0x01) {
		req->error_loc = offsetof(struct nvmf_auth_common_command,
					  spsp0);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	if (!len || len > NVMET_AUTH_MAX_MSG) {
		req->error_loc = offsetof(struct nvmf_auth_common_command,
					  al_tl);
		return NVME_SC_INVALID_FIELD | NVME_STATUS_DNR;
	}
	req->data_len = len;
	if (c->fctype == nvme_fabrics_type_auth_send)
		req->execute = nvmet_execute_auth_send;
	else
		req->execute = nvmet_execute_auth_receive;
	return 0;
}
