// SPDX-License-Identifier: GPL-2.0-only
/*
 * DH-HMAC-CHAP: the keys a controller authenticates with, the responses
 * both sides compute, and the controller's Diffie-Hellman steps.  The
 * cryptography is nvme-auth's (key parsing and transformation, DH key
 * pairs, the session key and augmented challenges) and the crypto API's
 * (hmac shash); this file only puts the protocol's pieces together
 * (NVMe Base 2.x, "DH-HMAC-CHAP protocol").  Built with HAVE_NVME_AUTH
 * only.
 *
 * Conventions:
 * @ctrl: a controller that authenticates hosts, referenced by the caller
 * @a:    a queue's exchange, under its sq->auth_lock
 * @keys: a key snapshot
 */
#include <crypto/hash.h>
#include <crypto/kpp.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "auth.h"
#include "ctrl.h"

/**
 * nvmet_auth_check_key() - may a DH-HMAC-CHAP secret be configured?
 * @secret: "DHHC-1:<hh>:...", whose form the caller checked
 * @key_hash: the hash <hh> names, 0..3
 * @usable: set to whether the key parses (base64 of 32, 48 or 64 bytes
 *	    and a CRC): one that does not is accepted, as in-tree, but no
 *	    host can authenticate with it
 *
 * Context: Process context.
 * Return: 0, or -ENOTSUPP when the kernel lacks the hash (as in-tree).
 */
int nvmet_auth_check_key(const char *secret, u8 key_hash, bool *usable)
{
	struct nvme_dhchap_key *key;

	if (key_hash && !nvmet_auth_hash_usable(key_hash))
		return -ENOTSUPP;
	*usable = !nvmet_auth_parse_key(secret, &key);
	if (*usable)
		nvme_auth_free_key(key);
	return 0;
}

/**
 * nvmet_auth_hash_usable() - does the kernel have a DH-HMAC-CHAP hash?
 * @hash_id: NVME_AUTH_HASH_*
 *
 * Context: Process context (may load a crypto module).
 * Return: true if it does.
 */
bool nvmet_auth_hash_usable(u8 hash_id)
{
	const char *name = nvme_auth_hmac_name(hash_id);

	return name && crypto_has_shash(name, 0, 0);
}

/**
 * nvmet_auth_dhgroup_usable() - does the kernel have a DH group?
 * @dhgroup_id: NVME_AUTH_DHGROUP_*
 *
 * Context: Process context (may load a crypto module).
 * Return: true if it does; the null group always.
 */
bool nvmet_auth_dhgroup_usable(u8 dhgroup_id)
{
	const char *kpp = nvme_auth_dhgroup_kpp(dhgroup_id);

	if (dhgroup_id == NVME_AUTH_DHGROUP_NULL)
		return true;
	return kpp && crypto_has_kpp(kpp, 0, 0);
}

/**
 * nvmet_auth_check_hash() - may dhchap_hash name this hash?
 * @hash_id: NVME_AUTH_HASH_*
 *
 * Context: Process context.
 * Return: 0, or -ENOTSUPP if the kernel lacks it (as in-tree).
 */
int nvmet_auth_check_hash(u8 hash_id)
{
	return nvmet_auth_hash_usable(hash_id) ? 0 : -ENOTSUPP;
}

/**
 * nvmet_auth_check_dhgroup() - may dhchap_dhgroup name this group?
 * @dhgroup_id: NVME_AUTH_DHGROUP_*
 *
 * Context: Process context.
 * Return: 0, or -EINVAL if the kernel lacks it (as in-tree).
 */
int nvmet_auth_check_dhgroup(u8 dhgroup_id)
{
	return nvmet_auth_dhgroup_usable(dhgroup_id) ? 0 : -EINVAL;
}

static void nvmet_auth_keys_release(struct kref *ref)
{
	struct nvmet_auth_keys *keys = container_of(ref, struct nvmet_auth_keys,
						    ref);

	nvme_auth_free_key(keys->host_key);
	nvme_auth_free_key(keys->ctrl_key);
	kfree(keys);
}

/**
 * nvmet_auth_keys_put() - drop a key snapshot reference
 * @keys: the snapshot, or NULL
 *
 * Context: Any context.
 */
void nvmet_auth_keys_put(struct nvmet_auth_keys *keys)
{
	if (keys)
		kref_put(&keys->ref, nvmet_auth_keys_release);
}

/*
 * A snapshot of the settings of host @hostnqn: no host, or a host
 * without a key, gives a snapshot without a host key.
 */
static struct nvmet_auth_keys *nvmet_auth_keys_build(const char *hostnqn,
						     u8 *status)
{
	struct nvmet_host_dhchap d = {};
	struct nvmet_auth_keys *keys;
	struct nvmet_host *host;
	int ret = 0;

	*status = NVME_AUTH_DHCHAP_FAILURE_FAILED;
	keys = kzalloc(sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return NULL;
	kref_init(&keys->ref);
	host = nvmet_host_find_get(hostnqn);
	if (host) {
		ret = nvmet_host_get_dhchap(host, &d);
		nvmet_host_put(host);
	}
	if (ret)
		goto out_free;
	keys->hash_id = d.hash_id;
	keys->dhgroup_id = d.dhgroup_id;
	*status = NVME_AUTH_DHCHAP_FAILURE_NOT_USABLE;
	if (nvmet_auth_parse_key(d.secret, &keys->host_key) ||
	    nvmet_auth_parse_key(d.ctrl_secret, &keys->ctrl_key))
		goto out_free;
	nvmet_host_dhchap_free(&d);
	*status = 0;
	return keys;

out_free:
	nvmet_host_dhchap_free(&d);
	nvmet_auth_keys_put(keys);
	return NULL;
}

/**
 * nvmet_auth_ctrl_init() - does a new controller authenticate its host?
 * @ctrl: the controller, made by Admin Connect and not yet published to
 *	  its queue
 *
 * Takes the host's keys as they are now; a discovery controller never
 * authenticates, as in-tree.  A host with a key is authenticated even by
 * a subsystem that allows any host (in-tree skips it there).
 *
 * Context: Process context; takes the host's lock.
 * Return: 0, or the Connect status: Internal Error for a key that does
 * not parse or no memory (as in-tree).
 */
u16 nvmet_auth_ctrl_init(struct nvmet_ctrl *ctrl)
{
	struct nvmet_auth_keys *keys;
	u8 status;

	if (nvmet_ctrl_is_disc(ctrl))
		return 0;
	keys = nvmet_auth_keys_build(ctrl->hostnqn, &status);
	if (!keys) {
		pr_err("nvmet: subsystem %s: host %s: its DH-HMAC-CHAP keys are not usable (%u)\n",
		       ctrl->subsys->nqn, ctrl->hostnqn, status);
		return NVME_SC_INTERNAL;
	}
	if (!keys->host_key) {
		nvmet_auth_keys_put(keys);
		return 0;
	}
	ctrl->auth_keys = keys;
	ctrl->auth_required = true;
	return 0;
}

/**
 * nvmet_auth_ctrl_exit() - drop a controller's keys
 * @ctrl: the controller, being released
 *
 * Context: Any context.
 */
void nvmet_auth_ctrl_exit(struct nvmet_ctrl *ctrl)
{
	nvmet_auth_keys_put(ctrl->auth_keys);
	ctrl->auth_keys = NULL;
}

/**
 * nvmet_auth_keys_get() - the keys a new exchange uses
 * @ctrl: the controller
 * @refresh: take the host's keys as they are now (a Negotiate on the
 *	     admin queue) and make them the controller's
 * @status: the failure reason when there are none
 *
 * Context: Process context; takes ctrl->lock (and the host's lock).
 * Return: a snapshot with a host key, referenced, or NULL.
 */
struct nvmet_auth_keys *nvmet_auth_keys_get(struct nvmet_ctrl *ctrl,
					    bool refresh, u8 *status)
{
	struct nvmet_auth_keys *keys = NULL, *old = NULL;

	if (refresh) {
		keys = nvmet_auth_keys_build(ctrl->hostnqn, status);
		if (!keys)
			return NULL;
	}
	mutex_lock(&ctrl->lock);
	if (keys) {
		old = ctrl->auth_keys;
		ctrl->auth_keys = keys;
	} else {
		keys = ctrl->auth_keys;
	}
	if (keys)
		kref_get(&keys->ref);
	mutex_unlock(&ctrl->lock);
	nvmet_auth_keys_put(old);
	if (keys && !keys->host_key) {
		nvmet_auth_keys_put(keys);
		*status = NVME_AUTH_DHCHAP_FAILURE_FAILED;
		return NULL;
	}
	return keys;
}

/**
 * nvmet_sq_auth_free() - end an exchange
 * @a: the exchange, no longer a queue's
 *
 * Context: Process context.
 */
void nvmet_sq_auth_free(struct nvmet_sq_auth *a)
{
	if (!a)
		return;
	if (a->dh_tfm)
		crypto_free_kpp(a->dh_tfm);
	kfree_sensitive(a->dh_pub);
	kfree_sensitive(a->skey);
	nvmet_auth_keys_put(a->keys);
	kfree_sensitive(a);
}

/**
 * nvmet_auth_sq_exit() - a queue goes: end its exchange
 * @sq: the queue, whose requests are all done
 *
 * Context: Process context.
 */
void nvmet_auth_sq_exit(struct nvmet_sq *sq)
{
	mutex_lock(&sq->auth_lock);
	nvmet_sq_auth_free(sq->auth);
	sq->auth = NULL;
	mutex_unlock(&sq->auth_lock);
}

/**
 * nvmet_auth_dh_init() - the controller's ephemeral DH key pair
 * @a: the exchange, with a DH group other than null chosen
 *
 * A fresh key pair for every exchange.
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_auth_dh_init(struct nvmet_sq_auth *a)
{
	int ret;

	a->dh_tfm = crypto_alloc_kpp(nvme_auth_dhgroup_kpp(a->dhgroup_id),
				     0, 0);
	if (IS_ERR(a->dh_tfm)) {
		ret = PTR_ERR(a->dh_tfm);
		a->dh_tfm = NULL;
		return ret;
	}
	ret = nvme_auth_gen_privkey(a->dh_tfm, a->dhgroup_id);
	if (ret)
		return ret;
	a->dh_len = crypto_kpp_maxsize(a->dh_tfm);
	a->dh_pub = kzalloc(a->dh_len, GFP_KERNEL);
	if (!a->dh_pub)
		return -ENOMEM;
	return nvme_auth_gen_pubkey(a->dh_tfm, a->dh_pub, a->dh_len);
}

/**
 * nvmet_auth_dh_session() - the session key from the host's DH value
 * @a: the exchange, after nvmet_auth_dh_init()
 * @pub: the host's public value
 * @len: its length
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_auth_dh_session(struct nvmet_sq_auth *a, u8 *pub, size_t len)
{
	a->skey_len = nvmet_auth_session_key_len(a->hash_id, a->dh_len);
	a->skey = kzalloc(a->skey_len, GFP_KERNEL);
	if (!a->skey)
		return -ENOMEM;
	return nvmet_auth_session_key(a->dh_tfm, pub, len, a->skey,
				      a->skey_len, a->hash_id);
}

/* HMAC(Ch || seq || TID || SC_C || @role || @nqn1 || 00h || @nqn2) */
static int nvmet_auth_hmac(struct crypto_shash *tfm, const u8 *chal,
			   unsigned int len, u32 seq, u16 tid,
			   const char *role, const char *nqn1,
			   const char *nqn2, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	__le32 seq_le = cpu_to_le32(seq);
	__le16 tid_le = cpu_to_le16(tid);
	u8 zero = 0;
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, chal, len) ?:
	      crypto_shash_update(desc, (u8 *)&seq_le, sizeof(seq_le)) ?:
	      crypto_shash_update(desc, (u8 *)&tid_le, sizeof(tid_le)) ?:
	      crypto_shash_update(desc, &zero, 1) ?:
	      crypto_shash_update(desc, (const u8 *)role, strlen(role)) ?:
	      crypto_shash_update(desc, (const u8 *)nqn1, strlen(nqn1)) ?:
	      crypto_shash_update(desc, &zero, 1) ?:
	      crypto_shash_update(desc, (const u8 *)nqn2, strlen(nqn2)) ?:
	      crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

/*
 * A response: the HMAC above keyed with @key transformed with @key_nqn,
 * over @chal augmented with the session key when a DH group is in use.
 * The host's (role "HostHost", host key, host NQN first) and the
 * controller's ("Controller", controller key, subsystem NQN first).
 */
static int nvmet_auth_response(struct nvmet_sq_auth *a,
			       struct nvme_dhchap_key *key, char *key_nqn,
			       u8 *chal, u32 seq, const char *role,
			       const char *nqn1, const char *nqn2, u8 *out)
{
	struct nvme_dhchap_key *tkey;
	u8 aug[NVMET_AUTH_MAX_HASH];
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash(nvme_auth_hmac_name(a->hash_id), 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	tkey = nvme_auth_transform_key(key, key_nqn);
	if (IS_ERR(tkey)) {
		ret = PTR_ERR(tkey);
		goto out_free_tfm;
	}
	if (a->skey) {
		ret = nvme_auth_augmented_challenge(a->hash_id, a->skey,
						    a->skey_len, chal, aug,
						    a->hash_len);
		if (ret)
			goto out_free_key;
		chal = aug;
	}
	ret = crypto_shash_setkey(tfm, tkey->key, tkey->len);
	if (!ret)
		ret = nvmet_auth_hmac(tfm, chal, a->hash_len, seq, a->tid,
				      role, nqn1, nqn2, out);
out_free_key:
	memzero_explicit(aug, sizeof(aug));
	nvme_auth_free_key(tkey);
out_free_tfm:
	crypto_free_shash(tfm);
	return ret;
}

/**
 * nvmet_auth_host_response() - the response the host must have sent
 * @ctrl: the controller
 * @a: the exchange, with C1 and S1 sent
 * @out: a->hash_len bytes
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_auth_host_response(struct nvmet_ctrl *ctrl,
			     struct nvmet_sq_auth *a, u8 *out)
{
	return nvmet_auth_response(a, a->keys->host_key, ctrl->hostnqn, a->c1,
				   a->s1, "HostHost", ctrl->hostnqn,
				   ctrl->subsys->nqn, out);
}

/**
 * nvmet_auth_ctrl_response() - the controller's response to C2
 * @ctrl: the controller
 * @a: the exchange, with C2 and S2 received and a controller key
 * @out: a->hash_len bytes
 *
 * Context: Process context.
 * Return: 0 or -errno.
 */
int nvmet_auth_ctrl_response(struct nvmet_ctrl *ctrl,
			     struct nvmet_sq_auth *a, u8 *out)
{
	return nvmet_auth_response(a, a->keys->ctrl_key, ctrl->subsys->nqn,
				   a->c2, a->s2, "Controller",
				   ctrl->subsys->nqn, ctrl->hostnqn, out);
}
