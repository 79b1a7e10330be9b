/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel's own xarray.h, with 8-slot nodes (generated/map-shift.h). */
#include <generated/map-shift.h>
#include KERNEL_XARRAY_H
