// SPDX-License-Identifier: GPL-2.0-only
/*
 * HAVE_LINUX_HEX_H: <linux/hex.h>
 * (not in 6.1, where hex2bin() and friends are in <linux/kernel.h>)
 */
#include <linux/hex.h>
