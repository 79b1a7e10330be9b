// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NET_HANDSHAKE: the kernel has the TLS handshake upcall
 * (CONFIG_NET_HANDSHAKE, net/handshake, since 6.5) with the server-side
 * PSK hello that nvmet-tcp's TLS 1.3 needs.  Debian's 6.1 has none:
 * there addr_tsas tls1.3 is refused.  The header does not include what
 * it uses (key_serial_t, struct socket), hence the includes before it.
 */
#include <linux/build_bug.h>
#include <linux/gfp_types.h>
#include <linux/kconfig.h>
#include <linux/key.h>
#include <linux/net.h>
#include <net/handshake.h>

bool nvmet_probe(const struct tls_handshake_args *args);
bool nvmet_probe(const struct tls_handshake_args *args)
{
	return !tls_server_hello_psk(args, GFP_KERNEL);
}

static_assert(IS_ENABLED(CONFIG_NET_HANDSHAKE));
