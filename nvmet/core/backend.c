// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend registry: a short table of backends by name.
 *
 * Readers (namespace enable) look a name up under RCU and pin the backend
 * module with try_module_get(); register and unregister, from module init
 * and exit, serialise on nvmet_backends_lock.
 *
 * Conventions:
 * @ops:  a backend's ops table
 * @name: a backend's name
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/string.h>

#include <nvmet/backend.h>
#include "core.h"

#define NVMET_MAX_BACKENDS	16

/* Serialises register/unregister; protects writes to nvmet_backends. */
static DEFINE_MUTEX(nvmet_backends_lock);
/* Registered backends: R read, nvmet_backends_lock write. */
static const struct nvmet_backend_ops __rcu *nvmet_backends[NVMET_MAX_BACKENDS];

static int nvmet_backend_ops_check(const struct nvmet_backend_ops *ops)
{
	const char *name = ops->name ? ops->name : "(unnamed)";

	if (!ops->name || !*ops->name ||
	    strlen(ops->name) >= NVMET_BACKEND_NAME_MAX ||
	    !strcmp(ops->name, "auto")) {
		pr_err("nvmet: backend %s: name must have 1 to %d characters and not be \"auto\"\n",
		       name, NVMET_BACKEND_NAME_MAX - 1);
		return -EINVAL;
	}
	if (!ops->open || !ops->close) {
		pr_err("nvmet: backend %s: open and close are mandatory\n",
		       name);
		return -EINVAL;
	}
	if (!ops->resv_cap != !ops->resv) {
		pr_err("nvmet: backend %s: resv_cap and resv go together\n",
		       name);
		return -EINVAL;
	}
	if (ops->changeable & ~ops->features) {
		pr_err("nvmet: backend %s: changeable features it lacks\n",
		       name);
		return -EINVAL;
	}
	return 0;
}

/**
 * nvmet_register_backend() - make a backend available to namespaces
 * @ops: the backend's ops table, valid until nvmet_unregister_backend()
 *
 * Context: Process context, usually module init; takes nvmet_backends_lock.
 * Return: 0, -EINVAL for an incomplete table, -EEXIST for a name already
 * registered, or -ENOSPC when the table is full.
 */
int nvmet_register_backend(const struct nvmet_backend_ops *ops)
{
	int i, free = -1, ret;

	ret = nvmet_backend_ops_check(ops);
	if (ret)
		return ret;
	mutex_lock(&nvmet_backends_lock);
	for (i = 0; i < NVMET_MAX_BACKENDS; i++) {
		const struct nvmet_backend_ops *b;

		b = rcu_dereference_protected(nvmet_backends[i],
					      lockdep_is_held(&nvmet_backends_lock));
		if (!b && free < 0)
			free = i;
		if (b && !strcmp(b->name, ops->name)) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	if (free < 0)
		ret = -ENOSPC;
	else
		rcu_assign_pointer(nvmet_backends[free], ops);
out_unlock:
	mutex_unlock(&nvmet_backends_lock);
	if (ret)
		pr_err("nvmet: backend %s: cannot register: %d\n", ops->name,
		       ret);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_register_backend);

/**
 * nvmet_unregister_backend() - withdraw a backend
 * @ops: the table given to nvmet_register_backend()
 *
 * No namespace uses the backend then: each enabled one pins its module.
 *
 * Context: Process context, usually module exit; takes nvmet_backends_lock
 * and waits for an RCU grace period.
 */
void nvmet_unregister_backend(const struct nvmet_backend_ops *ops)
{
	int i;

	mutex_lock(&nvmet_backends_lock);
	for (i = 0; i < NVMET_MAX_BACKENDS; i++) {
		if (rcu_access_pointer(nvmet_backends[i]) == ops)
			RCU_INIT_POINTER(nvmet_backends[i], NULL);
	}
	mutex_unlock(&nvmet_backends_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(nvmet_unregister_backend);

static const struct nvmet_backend_ops *nvmet_backend_try_get(const char *name)
{
	const struct nvmet_backend_ops *ops = NULL, *b;
	int i;

	rcu_read_lock();
	for (i = 0; i < NVMET_MAX_BACKENDS; i++) {
		b = rcu_dereference(nvmet_backends[i]);
		if (b && sysfs_streq(b->name, name)) {
			if (try_module_get(b->owner))
				ops = b;
			break;
		}
	}
	rcu_read_unlock();
	return ops;
}

/**
 * nvmet_backend_get() - find a backend by name and pin it
 * @name: the backend's name
 *
 * Loads the module aliased "nvmet-backend-<name>" when no such backend is
 * registered yet.
 *
 * Context: Process context; may sleep in request_module().
 * Return: the ops table, to be released with nvmet_backend_put(), or NULL.
 */
const struct nvmet_backend_ops *nvmet_backend_get(const char *name)
{
	const struct nvmet_backend_ops *ops = nvmet_backend_try_get(name);

	if (!ops && !request_module("nvmet-backend-%s", name))
		ops = nvmet_backend_try_get(name);
	return ops;
}
EXPORT_SYMBOL_GPL(nvmet_backend_get);

/**
 * nvmet_backend_put() - release a backend found by nvmet_backend_get()
 * @ops: the backend
 *
 * Context: Any context.
 */
void nvmet_backend_put(const struct nvmet_backend_ops *ops)
{
	module_put(ops->owner);
}
EXPORT_SYMBOL_GPL(nvmet_backend_put);

/**
 * nvmet_backend_exists() - is a backend of this name registered?
 * @name: the name
 *
 * Context: Any context.
 * Return: true if registered now.
 */
bool nvmet_backend_exists(const char *name)
{
	const struct nvmet_backend_ops *ops = nvmet_backend_try_get(name);

	if (ops)
		nvmet_backend_put(ops);
	return !!ops;
}
EXPORT_SYMBOL_GPL(nvmet_backend_exists);
