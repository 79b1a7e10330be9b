// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_LINUX_UNALIGNED_H: <linux/unaligned.h> (not in 6.1: <asm/unaligned.h>)
 */
#include <linux/unaligned.h>
