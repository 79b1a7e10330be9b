// SPDX-License-Identifier: GPL-2.0-only
/*
 * The addr_* attributes shared by ports and referrals: formats and checks
 * as in the in-tree nvmet, on a discovery-log entry.
 *
 * Conventions:
 * @a:    the address, locked by the caller (a port's or a referral's
 *        config_begin()) for the setters; read under that lock too
 * @page: the attribute's buffer
 */
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include <nvmet/compat.h>
#ifdef NVMET_TLS
#include <linux/key.h>		/* 6.12's nvme-keyring.h lacks it */
#include <linux/nvme-keyring.h>
#endif
#include "configfs.h"

static const struct nvmet_name_map nvmet_trtypes[] = {
	{ NVMF_TRTYPE_RDMA,	"rdma" },
	{ NVMF_TRTYPE_FC,	"fc" },
	{ NVMF_TRTYPE_TCP,	"tcp" },
	{ NVMF_TRTYPE_LOOP,	"loop" },
};

/* "pcie" (NVMF_ADDR_FAMILY_PCI) is neither accepted nor shown, as in-tree. */
static const struct nvmet_name_map nvmet_adrfams[] = {
	{ NVMF_ADDR_FAMILY_IP4,		"ipv4" },
	{ NVMF_ADDR_FAMILY_IP6,		"ipv6" },
	{ NVMF_ADDR_FAMILY_IB,		"ib" },
	{ NVMF_ADDR_FAMILY_FC,		"fc" },
	{ NVMF_ADDR_FAMILY_LOOP,	"loop" },
};

static const struct nvmet_name_map nvmet_treqs[] = {
	{ NVMF_TREQ_NOT_SPECIFIED,	"not specified" },
	{ NVMF_TREQ_REQUIRED,		"required" },
	{ NVMF_TREQ_NOT_REQUIRED,	"not required" },
};

static const struct nvmet_name_map nvmet_tcp_sectypes[] = {
	{ NVMF_TCP_SECTYPE_NONE,	"none" },
	{ NVMF_TCP_SECTYPE_TLS13,	"tls1.3" },
};

static const struct nvmet_name_map nvmet_rdma_qptypes[] = {
	{ NVMF_RDMA_QPTYPE_CONNECTED,	"connected" },
	{ NVMF_RDMA_QPTYPE_DATAGRAM,	"datagram" },
};

static ssize_t nvmet_addr_show_name(const struct nvmet_name_map *map,
				    size_t nr, u8 value, char *page)
{
	const char *name = nvmet_name_of(map, nr, value);

	return sysfs_emit(page, "%s\n", name ? name : "");
}

ssize_t nvmet_addr_trtype_show(const struct nvmf_disc_rsp_page_entry *a,
			       char *page)
{
	return nvmet_addr_show_name(nvmet_trtypes, ARRAY_SIZE(nvmet_trtypes),
				    a->trtype, page);
}

/* A new transport type resets the transport-specific address subtype. */
int nvmet_addr_set_trtype(struct nvmf_disc_rsp_page_entry *a,
			  const char *page)
{
	u8 trtype;

	if (nvmet_parse_name(nvmet_trtypes, ARRAY_SIZE(nvmet_trtypes), page,
			     &trtype)) {
		pr_err("nvmet: invalid addr_trtype '%s'\n", page);
		return -EINVAL;
	}
	a->trtype = trtype;
	memset(&a->tsas, 0, sizeof(a->tsas));
	if (trtype == NVMF_TRTYPE_RDMA) {
		a->tsas.rdma.qptype = NVMF_RDMA_QPTYPE_CONNECTED;
		a->tsas.rdma.prtype = NVMF_RDMA_PRTYPE_NOT_SPECIFIED;
		a->tsas.rdma.cms = NVMF_RDMA_CMS_RDMA_CM;
	} else if (trtype == NVMF_TRTYPE_TCP) {
		nvmet_tsas_tcp_sectype(&a->tsas) = NVMF_TCP_SECTYPE_NONE;
	}
	return 0;
}

ssize_t nvmet_addr_adrfam_show(const struct nvmf_disc_rsp_page_entry *a,
			       char *page)
{
	return nvmet_addr_show_name(nvmet_adrfams, ARRAY_SIZE(nvmet_adrfams),
				    a->adrfam, page);
}

int nvmet_addr_set_adrfam(struct nvmf_disc_rsp_page_entry *a,
			  const char *page)
{
	if (nvmet_parse_name(nvmet_adrfams, ARRAY_SIZE(nvmet_adrfams), page,
			     &a->adrfam)) {
		pr_err("nvmet: invalid addr_adrfam '%s'\n", page);
		return -EINVAL;
	}
	return 0;
}

ssize_t nvmet_addr_treq_show(const struct nvmf_disc_rsp_page_entry *a,
			     char *page)
{
	return nvmet_addr_show_name(nvmet_treqs, ARRAY_SIZE(nvmet_treqs),
				    a->treq & NVME_TREQ_SECURE_CHANNEL_MASK,
				    page);
}

static bool nvmet_addr_is_tls(const struct nvmf_disc_rsp_page_entry *a)
{
	return a->trtype == NVMF_TRTYPE_TCP &&
	       nvmet_tsas_tcp_sectype(&a->tsas) == NVMF_TCP_SECTYPE_TLS13;
}

/*
 * Only the secure-channel bits change; SQ flow control disable stays.
 * With tls1.3 set, as in-tree: "not specified" is refused (in-tree says
 * so at pr_debug only; here it is an error, like every refused value) and
 * "not required" lets plain hosts in too, with a warning.
 */
int nvmet_addr_set_treq(struct nvmf_disc_rsp_page_entry *a, const char *page)
{
	u8 treq;

	if (nvmet_parse_name(nvmet_treqs, ARRAY_SIZE(nvmet_treqs), page,
			     &treq)) {
		pr_err("nvmet: invalid addr_treq '%s'\n", page);
		return -EINVAL;
	}
	if (nvmet_addr_is_tls(a)) {
		if (treq == NVMF_TREQ_NOT_SPECIFIED) {
			pr_err("nvmet: addr_treq 'not specified' is not allowed with addr_tsas tls1.3\n");
			return -EINVAL;
		}
		if (treq == NVMF_TREQ_NOT_REQUIRED)
			pr_warn("nvmet: addr_treq 'not required' with addr_tsas tls1.3: hosts may connect without TLS\n");
	}
	a->treq = (a->treq & ~NVME_TREQ_SECURE_CHANNEL_MASK) | treq;
	return 0;
}

ssize_t nvmet_addr_tsas_show(const struct nvmf_disc_rsp_page_entry *a,
			     char *page)
{
	if (a->trtype == NVMF_TRTYPE_TCP)
		return nvmet_addr_show_name(nvmet_tcp_sectypes,
					    ARRAY_SIZE(nvmet_tcp_sectypes),
					    nvmet_tsas_tcp_sectype(&a->tsas), page);
	if (a->trtype == NVMF_TRTYPE_RDMA)
		return nvmet_addr_show_name(nvmet_rdma_qptypes,
					    ARRAY_SIZE(nvmet_rdma_qptypes),
					    a->tsas.rdma.qptype, page);
	return sysfs_emit(page, "\n");
}

/*
 * Whether addr_tsas tls1.3 can be served: built with TLS (NVMET_TLS, see
 * compat.h) and the ".nvme" keyring exists.  nvmet depends on the
 * nvme-keyring module for nvme_keyring_id(), so the keyring outlives
 * every port; in-tree takes a key reference per port instead.
 */
static bool nvmet_addr_tls_ok(void)
{
#ifdef NVMET_TLS
	if (nvme_keyring_id())
		return true;
	pr_err("nvmet: addr_tsas tls1.3: the .nvme keyring is not available\n");
#elif defined(HAVE_NET_HANDSHAKE)
	pr_err("nvmet: addr_tsas tls1.3: this kernel has no kTLS or nvme-keyring\n");
#else
	pr_err("nvmet: addr_tsas tls1.3: this kernel has no TLS handshake upcall (net/handshake)\n");
#endif
	return false;
}

/*
 * tcp: "none", or "tls1.3" where TLS is built (nvmet_addr_tls_ok()).
 * rdma: only the current queue pair type, as in-tree.  Other transports
 * have no subtype.
 *
 * Setting tls1.3 turns a secure-channel requirement of "not specified"
 * into "required" and keeps "required" or "not required"; setting none
 * makes it "not specified", as in-tree.  Writing the security type the
 * port already has changes nothing: in-tree, any write resets addr_treq,
 * and as nvmetcli restores addr_treq before addr_tsas (it sorts the
 * names), a saved "not required" on a plain port came back as "not
 * specified".
 */
int nvmet_addr_set_tsas(struct nvmf_disc_rsp_page_entry *a, const char *page)
{
	u8 v, sc;

	if (a->trtype == NVMF_TRTYPE_RDMA &&
	    !nvmet_parse_name(nvmet_rdma_qptypes,
			      ARRAY_SIZE(nvmet_rdma_qptypes), page, &v) &&
	    v == a->tsas.rdma.qptype)
		return 0;
	if (a->trtype == NVMF_TRTYPE_TCP &&
	    !nvmet_parse_name(nvmet_tcp_sectypes,
			      ARRAY_SIZE(nvmet_tcp_sectypes), page, &v)) {
		if (v == NVMF_TCP_SECTYPE_TLS13 && !nvmet_addr_tls_ok())
			return -EINVAL;
		if (v == nvmet_tsas_tcp_sectype(&a->tsas))
			return 0;
		nvmet_tsas_tcp_sectype(&a->tsas) = v;
		sc = a->treq & NVME_TREQ_SECURE_CHANNEL_MASK;
		if (v != NVMF_TCP_SECTYPE_TLS13)
			sc = NVMF_TREQ_NOT_SPECIFIED;
		else if (sc == NVMF_TREQ_NOT_SPECIFIED)
			sc = NVMF_TREQ_REQUIRED;
		a->treq = (a->treq & ~NVME_TREQ_SECURE_CHANNEL_MASK) | sc;
		return 0;
	}
	pr_err("nvmet: invalid addr_tsas '%s' for this addr_trtype\n", page);
	return -EINVAL;
}

int nvmet_addr_check_len(const char *what, size_t count, size_t max)
{
	if (count <= max)
		return 0;
	pr_err("nvmet: %s longer than %zu bytes\n", what, max);
	return -EINVAL;
}

int nvmet_addr_set_traddr(struct nvmf_disc_rsp_page_entry *a,
			  const char *page)
{
	return nvmet_parse_token(page, a->traddr, sizeof(a->traddr)) < 0 ?
		-EINVAL : 0;
}

int nvmet_addr_set_trsvcid(struct nvmf_disc_rsp_page_entry *a,
			   const char *page)
{
	return nvmet_parse_token(page, a->trsvcid, sizeof(a->trsvcid)) < 0 ?
		-EINVAL : 0;
}
