// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_BIO_ADD_ZONE_APPEND_PAGE: bio_add_zone_append_page(), which adds a
 * page to a Zone Append bio within the queue's limits (6.1, 6.12; 7.x
 * has bio_add_page() for it, the block layer checking the limits)
 */
#include <linux/bio.h>

int nvmet_probe(struct bio *bio, struct page *page);
int nvmet_probe(struct bio *bio, struct page *page)
{
	return bio_add_zone_append_page(bio, page, PAGE_SIZE, 0);
}
