// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file backend ("file"): a namespace on a regular file, with direct
 * I/O unless the namespace asks for buffered I/O, as in-tree.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in every callback
 */
#include <linux/fs.h>
#include <linux/module.h>

#include <nvmet/ns.h>
#include "backends.h"

static struct file *nvmet_file_file(struct nvmet_ns *ns)
{
	return ns->backend_priv;
}

static int nvmet_file_open(struct nvmet_ns *ns)
{
	int flags = O_RDWR | O_LARGEFILE;
	struct file *f;

	lockdep_assert_held(&ns->lock);
	if (!ns->device_path)
		return -EINVAL;
	if (!ns->buffered_io)
		flags |= O_DIRECT;
	f = filp_open(ns->device_path, flags, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ns->size = i_size_read(file_inode(f));
	/* Block size of the file system, at most 4 KiB. */
	ns->blksize_shift = min_t(u8, file_inode(f)->i_blkbits, 12);
	ns->backend_priv = f;
	return 0;
}

static void nvmet_file_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	filp_close(nvmet_file_file(ns), NULL);
}

static int nvmet_file_revalidate(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	ns->size = i_size_read(file_inode(nvmet_file_file(ns)));
	return 0;
}

static const struct nvmet_backend_ops nvmet_file_backend_ops = {
	.name		= "file",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE,
	.open		= nvmet_file_open,
	.close		= nvmet_file_close,
	.revalidate	= nvmet_file_revalidate,
};

int nvmet_file_backend_init(void)
{
	return nvmet_register_backend(&nvmet_file_backend_ops);
}

void nvmet_file_backend_exit(void)
{
	nvmet_unregister_backend(&nvmet_file_backend_ops);
}
