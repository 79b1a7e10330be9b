// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_LINUX_BIO_INTEGRITY_H: <linux/bio-integrity.h> (6.12, 7.x; 6.1
 * declares bio_integrity_alloc() and bip_set_seed() in <linux/bio.h>)
 */
#include <linux/bio-integrity.h>
