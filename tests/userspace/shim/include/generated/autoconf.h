/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel configuration the userspace lane models. */
#define CONFIG_64BIT 1
#define CONFIG_XARRAY_MULTI 1
#define CONFIG_BASE_SMALL 0
