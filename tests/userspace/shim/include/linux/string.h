/* SPDX-License-Identifier: GPL-2.0-only */
/* The string helpers the core uses, with kernel semantics. */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <stdbool.h>
#include <sys/types.h>

bool sysfs_streq(const char *s1, const char *s2);
int sysfs_match_string_array(const char * const *array, size_t n,
			     const char *str);
ssize_t shim_strscpy(char *dst, const char *src, size_t size);

#undef strscpy
#define strscpy(dst, src, size)	shim_strscpy(dst, src, size)
#define sysfs_match_string(a, s) sysfs_match_string_array(a, ARRAY_SIZE(a), s)

#endif
