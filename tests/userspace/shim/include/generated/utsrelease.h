/* SPDX-License-Identifier: GPL-2.0-only */
#define UTS_RELEASE "6.12.0-userspace"
