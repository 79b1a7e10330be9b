// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_AUTH_PARSE_KEY: nvme_auth_parse_key(), a "DHHC-1:" secret to
 * a key (7.x); before, the same function was nvme_auth_generate_key()
 * and took a u8 *.
 */
#include <linux/nvme-auth.h>

int nvmet_probe(const char *secret, struct nvme_dhchap_key **key);
int nvmet_probe(const char *secret, struct nvme_dhchap_key **key)
{
	return nvme_auth_parse_key(secret, key);
}
