// SPDX-License-Identifier: GPL-2.0-only
/* The kernel's lib/xarray.c, compiled unmodified against the shim. */
#include KERNEL_XARRAY_C
