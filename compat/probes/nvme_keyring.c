// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_KEYRING: the kernel builds the nvme-keyring module
 * (CONFIG_NVME_KEYRING, since 6.7), whose ".nvme" keyring holds the TLS
 * PSKs tlshd hands to a handshake, and kTLS (CONFIG_TLS), whose record
 * types a TLS queue's receive path checks.  With HAVE_NET_HANDSHAKE it
 * makes NVMe/TCP TLS (nvmet-tcp/tls.c); Debian's 6.1 has neither.
 */
#include <linux/build_bug.h>
#include <linux/kconfig.h>
#include <linux/key.h>
#include <linux/nvme-keyring.h>

bool nvmet_probe(const struct key *keyring);
bool nvmet_probe(const struct key *keyring)
{
	return key_serial(keyring) == nvme_keyring_id();
}

static_assert(IS_ENABLED(CONFIG_NVME_KEYRING));
static_assert(IS_ENABLED(CONFIG_TLS));
