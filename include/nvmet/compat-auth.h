/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, in-band authentication: the part of nvme-auth's
 * API that changed between the kernels nvmet-ng builds for, and the
 * entry points of nvmet/target/auth.c with their stand-ins for a kernel
 * without nvme-auth (HAVE_NVME_AUTH unset: Debian's 6.1), where nvmet-ng
 * has no DH-HMAC-CHAP and nvmet.ko does not need the nvme-auth module.
 * Documentation/design.md, "In-band authentication", has the table.
 */
#ifndef _NVMET_COMPAT_AUTH_H
#define _NVMET_COMPAT_AUTH_H

#include <linux/errno.h>
#include <linux/nvme.h>
#include <linux/types.h>

#include <nvmet/compat.h>

struct nvmet_ctrl;
struct nvmet_host;
struct nvmet_req;
struct nvmet_sq;

/* The longest Authentication Send/Receive payload a queue takes. */
#define NVMET_AUTH_MAX_MSG	4096

#ifdef HAVE_NVME_AUTH
#include <linux/nvme-auth.h>

/* nvmet_auth_parse_key(): a "DHHC-1:" secret (or NULL) to a key (or NULL). */
static inline int nvmet_auth_parse_key(const char *secret,
				       struct nvme_dhchap_key **key)
{
#ifdef HAVE_NVME_AUTH_PARSE_KEY
	return nvme_auth_parse_key(secret, key);
#else
	return nvme_auth_generate_key((u8 *)secret, key);
#endif
}

/*
 * The session key: what nvme_auth_augmented_challenge() of this kernel
 * takes.  7.x: Ks = H(g^xy mod p), a hash's length; before: g^xy mod p
 * itself (the group's size), which the augmented challenge hashes.
 */
static inline size_t nvmet_auth_session_key_len(u8 hash_id, size_t dh_len)
{
#ifdef HAVE_NVME_AUTH_GEN_SESSION_KEY
	return nvme_auth_hmac_hash_len(hash_id);
#else
	return dh_len;
#endif
}

static inline int nvmet_auth_session_key(struct crypto_kpp *tfm, u8 *pub,
					 size_t pub_len, u8 *key,
					 size_t key_len, u8 hash_id)
{
#ifdef HAVE_NVME_AUTH_GEN_SESSION_KEY
	return nvme_auth_gen_session_key(tfm, pub, pub_len, key, key_len,
					 hash_id);
#else
	return nvme_auth_gen_shared_secret(tfm, pub, pub_len, key, key_len);
#endif
}

static inline bool nvmet_auth_enabled(void)
{
	return true;
}

/* nvmet/target/auth.c */
int nvmet_auth_check_key(const char *secret, u8 key_hash, bool *usable);
int nvmet_auth_check_hash(u8 hash_id);
int nvmet_auth_check_dhgroup(u8 dhgroup_id);
u16 nvmet_auth_ctrl_init(struct nvmet_ctrl *ctrl);
void nvmet_auth_ctrl_exit(struct nvmet_ctrl *ctrl);
void nvmet_auth_sq_exit(struct nvmet_sq *sq);

#else /* !HAVE_NVME_AUTH */

static inline bool nvmet_auth_enabled(void)
{
	return false;
}

/* Without DH-HMAC-CHAP only the defaults are taken: no key. */
static inline int nvmet_auth_check_key(const char *secret, u8 key_hash,
				       bool *usable)
{
	return -EOPNOTSUPP;
}

static inline int nvmet_auth_check_hash(u8 hash_id)
{
	return hash_id == NVME_AUTH_HASH_SHA256 ? 0 : -EOPNOTSUPP;
}

static inline int nvmet_auth_check_dhgroup(u8 dhgroup_id)
{
	return dhgroup_id == NVME_AUTH_DHGROUP_NULL ? 0 : -EOPNOTSUPP;
}

static inline u16 nvmet_auth_ctrl_init(struct nvmet_ctrl *ctrl)
{
	return 0;
}

static inline void nvmet_auth_ctrl_exit(struct nvmet_ctrl *ctrl)
{
}

static inline void nvmet_auth_sq_exit(struct nvmet_sq *sq)
{
}

#endif /* HAVE_NVME_AUTH */

/*
 * nvmet/target/fabrics-auth.c, built with HAVE_NVME_AUTH only: callers
 * test nvmet_auth_enabled() first.
 */
u16 nvmet_parse_auth_cmd(struct nvmet_req *req);

#endif /* _NVMET_COMPAT_AUTH_H */
