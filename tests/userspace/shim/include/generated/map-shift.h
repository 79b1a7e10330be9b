/* SPDX-License-Identifier: GPL-2.0-only */
/* 8-slot xarray nodes: deeper trees, more of lib/xarray.c exercised. */
#define XA_CHUNK_SHIFT 3
