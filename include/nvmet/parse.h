/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attribute value parsing shared by nvmet-ng's configfs glue.
 *
 * Pure functions: no locks, no allocation, no configfs types, so that the
 * KUnit and userspace lanes test them directly.  The value formats are those
 * of the in-tree nvmet configfs ABI (Linux 6.12).
 */
#ifndef _NVMET_PARSE_H
#define _NVMET_PARSE_H

#include <linux/types.h>

/* Largest text accepted for a few string attributes (in-tree limits). */
#define NVMET_SN_MAX_SIZE	20
#define NVMET_MN_MAX_SIZE	40
#define NVMET_FR_MAX_SIZE	8

/**
 * struct nvmet_name_map - one name of an enumerated attribute value
 * @value: the value stored in the object
 * @name: the name written to and printed by configfs
 */
struct nvmet_name_map {
	u8 value;
	const char *name;
};

int nvmet_parse_ascii(const char *buf, size_t max_len);
int nvmet_parse_token(const char *buf, char *out, size_t size);
int nvmet_parse_version(const char *buf, u32 *vs);
int nvmet_format_version(u32 vs, char *buf, size_t size);
int nvmet_parse_name(const struct nvmet_name_map *map, size_t nr,
		     const char *buf, u8 *value);
const char *nvmet_name_of(const struct nvmet_name_map *map, size_t nr,
			  u8 value);

#endif /* _NVMET_PARSE_H */
