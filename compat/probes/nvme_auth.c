// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_AUTH: the kernel builds the nvme-auth library module
 * (CONFIG_NVME_AUTH), with the key API nvmet-ng uses:
 * nvme_auth_transform_key() giving a struct nvme_dhchap_key.  Debian's
 * 6.1 builds no nvme-auth (and its header's transform_key() gives a bare
 * u8 *); without it nvmet-ng has no DH-HMAC-CHAP.
 */
#include <linux/build_bug.h>
#include <linux/kconfig.h>
#include <linux/nvme-auth.h>

static_assert(IS_ENABLED(CONFIG_NVME_AUTH));

struct nvme_dhchap_key *nvmet_probe(struct nvme_dhchap_key *key, char *nqn);
struct nvme_dhchap_key *nvmet_probe(struct nvme_dhchap_key *key, char *nqn)
{
	return nvme_auth_transform_key(key, nqn);
}
