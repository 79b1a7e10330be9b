/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DH-HMAC-CHAP inside nvmet.ko: the key snapshot of a controller and the
 * exchange of a queue, shared by auth.c (keys, responses, DH) and
 * fabrics-auth.c (Authentication Send/Receive).  Built with
 * HAVE_NVME_AUTH only.  Documentation/design.md, "In-band
 * authentication", has the objects and their locks.
 */
#ifndef _NVMET_TARGET_AUTH_H
#define _NVMET_TARGET_AUTH_H

#include <linux/kref.h>
#include <linux/types.h>

#include <nvmet/compat-auth.h>

/* The longest hash (SHA-512) and so the longest challenge and response. */
#define NVMET_AUTH_MAX_HASH	64

/**
 * struct nvmet_auth_keys - the keys a controller authenticates with
 * @ref: lifetime: ctrl->auth_keys holds one, each running exchange one
 * @host_key: the host's key, NULL if it has none (I)
 * @ctrl_key: the controller's key (bidirectional), or NULL (I)
 * @hash_id: the hash configured for the host, NVME_AUTH_HASH_* (I)
 * @dhgroup_id: the DH group configured, NVME_AUTH_DHGROUP_* (I)
 */
struct nvmet_auth_keys {
	struct kref ref;
	struct nvme_dhchap_key *host_key;
	struct nvme_dhchap_key *ctrl_key;
	u8 hash_id;
	u8 dhgroup_id;
};

/**
 * struct nvmet_sq_auth - one DH-HMAC-CHAP transaction on a queue
 * @keys: the keys it uses, referenced
 * @deadline: jiffies after which it is over
 * @step: the next message, NVME_AUTH_DHCHAP_MESSAGE_*: one the host
 *	  sends (REPLY, SUCCESS2) or one the controller returns
 *	  (CHALLENGE, SUCCESS1, FAILURE1)
 * @status: the failure reason Failure1 carries
 * @tid: transaction identifier, from the Negotiate
 * @hash_id: the hash chosen
 * @hash_len: its length, the length of challenges and responses
 * @dhgroup_id: the DH group chosen
 * @bidi: the host asked the controller to authenticate itself (C2)
 * @s1: the controller's sequence number
 * @s2: the host's sequence number (bidirectional)
 * @c1: the controller's challenge
 * @c2: the host's challenge (bidirectional)
 * @dh_tfm: the controller's ephemeral DH key, or NULL for the null group
 * @dh_pub: its public value, @dh_len bytes
 * @dh_len: the group's size in bytes
 * @skey: the session key (see nvmet_auth_session_key()), or NULL
 * @skey_len: its length
 *
 * Everything here is under sq->auth_lock.
 */
struct nvmet_sq_auth {
	struct nvmet_auth_keys *keys;
	unsigned long deadline;
	u8 step;
	u8 status;
	u16 tid;
	u8 hash_id;
	u8 hash_len;
	u8 dhgroup_id;
	bool bidi;
	u32 s1;
	u32 s2;
	u8 c1[NVMET_AUTH_MAX_HASH];
	u8 c2[NVMET_AUTH_MAX_HASH];
	struct crypto_kpp *dh_tfm;
	u8 *dh_pub;
	size_t dh_len;
	u8 *skey;
	size_t skey_len;
};

/* auth.c */
struct nvmet_auth_keys *nvmet_auth_keys_get(struct nvmet_ctrl *ctrl,
					    bool refresh, u8 *status);
void nvmet_auth_keys_put(struct nvmet_auth_keys *keys);
bool nvmet_auth_hash_usable(u8 hash_id);
bool nvmet_auth_dhgroup_usable(u8 dhgroup_id);
int nvmet_auth_dh_init(struct nvmet_sq_auth *a);
int nvmet_auth_dh_session(struct nvmet_sq_auth *a, u8 *pub, size_t len);
int nvmet_auth_host_response(struct nvmet_ctrl *ctrl,
			     struct nvmet_sq_auth *a, u8 *out);
int nvmet_auth_ctrl_response(struct nvmet_ctrl *ctrl,
			     struct nvmet_sq_auth *a, u8 *out);
void nvmet_sq_auth_free(struct nvmet_sq_auth *a);

#endif /* _NVMET_TARGET_AUTH_H */
