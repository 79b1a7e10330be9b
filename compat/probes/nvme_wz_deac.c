// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_NVME_WZ_DEAC: NVME_WZ_DEAC, Write Zeroes' Deallocate bit in the
 * command's control field (not in 6.1)
 */
#include <linux/build_bug.h>
#include <linux/nvme.h>

static_assert(NVME_WZ_DEAC == 1 << 9);
