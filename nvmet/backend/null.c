// SPDX-License-Identifier: GPL-2.0-only
/*
 * The null backend ("null", module nvmet-null): a namespace with no
 * storage, of the size set in its device_size attribute.  Its own module,
 * loaded on demand when a namespace asks for it (device_backend=null), to
 * show that a backend needs no change to nvmet.ko or the configfs layout.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in every callback
 */
#include <linux/module.h>

#include <nvmet/ns.h>

#define NVMET_NULL_BLKSIZE_SHIFT	12

static int nvmet_null_open(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	if (!ns->null_size) {
		pr_err("nvmet: namespace %u: the null backend needs device_size\n",
		       ns->nsid);
		return -EINVAL;
	}
	ns->size = ns->null_size;
	ns->blksize_shift = NVMET_NULL_BLKSIZE_SHIFT;
	return 0;
}

static void nvmet_null_close(struct nvmet_ns *ns)
{
}

static const struct nvmet_backend_ops nvmet_null_backend_ops = {
	.name		= "null",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.open		= nvmet_null_open,
	.close		= nvmet_null_close,
};

static int __init nvmet_null_init(void)
{
	return nvmet_register_backend(&nvmet_null_backend_ops);
}

static void __exit nvmet_null_exit(void)
{
	nvmet_unregister_backend(&nvmet_null_backend_ops);
}

module_init(nvmet_null_init);
module_exit(nvmet_null_exit);

MODULE_ALIAS("nvmet-backend-null");
MODULE_DESCRIPTION("nvmet-ng null backend: namespaces without storage");
MODULE_LICENSE("GPL");
