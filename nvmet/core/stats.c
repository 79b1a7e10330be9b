// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live object counts, for leak checks: each core object type counts
 * creations and releases (not publications), so a count that stays above
 * zero after a full teardown is a reference leak.  Atomics only, touched
 * on configuration paths, never on the I/O path.
 */
#include <linux/atomic.h>
#include <linux/export.h>

#include "core.h"

static atomic_t nvmet_objects[NVMET_OBJ_NR];

static const char * const nvmet_object_names[NVMET_OBJ_NR] = {
	[NVMET_OBJ_SUBSYS]	= "subsystems",
	[NVMET_OBJ_HOST]	= "hosts",
	[NVMET_OBJ_PORT]	= "ports",
	[NVMET_OBJ_REFERRAL]	= "referrals",
	[NVMET_OBJ_NS]		= "namespaces",
	[NVMET_OBJ_CTRL]	= "controllers",
};

void nvmet_obj_created(enum nvmet_obj_type type)
{
	atomic_inc(&nvmet_objects[type]);
}

void nvmet_obj_released(enum nvmet_obj_type type)
{
	WARN_ON(atomic_dec_return(&nvmet_objects[type]) < 0);
}

/**
 * nvmet_obj_count() - how many objects of a type exist
 * @type: NVMET_OBJ_*
 *
 * Context: Any context.
 * Return: the number created and not yet released.
 */
int nvmet_obj_count(enum nvmet_obj_type type)
{
	return atomic_read(&nvmet_objects[type]);
}
EXPORT_SYMBOL_GPL(nvmet_obj_count);

/**
 * nvmet_obj_name() - the name of an object type
 * @type: NVMET_OBJ_*
 *
 * Context: Any context.
 * Return: the name, e.g. "subsystems".
 */
const char *nvmet_obj_name(enum nvmet_obj_type type)
{
	return nvmet_object_names[type];
}
EXPORT_SYMBOL_GPL(nvmet_obj_name);
