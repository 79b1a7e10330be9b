// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_AUTH_GEN_SESSION_KEY: nvme_auth_gen_session_key() gives the
 * session key Ks = H(g^xy mod p), which nvme_auth_augmented_challenge()
 * then takes as it is (7.x).  Before, nvme_auth_gen_shared_secret() gave
 * g^xy mod p and nvme_auth_augmented_challenge() hashed it itself.
 */
#include <linux/nvme-auth.h>

int nvmet_probe(struct crypto_kpp *tfm, const u8 *pub, size_t pub_len,
		u8 *key, size_t key_len, u8 hash_id);
int nvmet_probe(struct crypto_kpp *tfm, const u8 *pub, size_t pub_len,
		u8 *key, size_t key_len, u8 hash_id)
{
	return nvme_auth_gen_session_key(tfm, pub, pub_len, key, key_len,
					 hash_id);
}
