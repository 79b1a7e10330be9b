// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_SENDPAGES_OK: sendpages_ok(), sendpage_ok() over a range of pages
 * (not in 6.1)
 */
#include <linux/net.h>

bool nvmet_probe(struct page *page, size_t len, size_t offset);
bool nvmet_probe(struct page *page, size_t len, size_t offset)
{
	return sendpages_ok(page, len, offset);
}
