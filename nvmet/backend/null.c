// SPDX-License-Identifier: GPL-2.0-only
/*
 * The null backend ("null", module nvmet-null): a namespace with no
 * storage, of the size set in its device_size attribute.  Its own module,
 * loaded on demand when a namespace asks for it (device_backend=null), to
 * show that a backend needs no change to nvmet.ko or the configfs layout.
 *
 * I/O: reads return zeroes, writes are dropped, and flush, Write Zeroes
 * and Dataset Management succeed; every command completes at once, in the
 * context the fabric calls it from.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in open, close and revalidate
 * @req: an I/O command on an enabled null namespace; no lock held
 */
#include <linux/module.h>
#include <linux/nvme.h>

#include <nvmet/ns.h>
#include <nvmet/req.h>

#define NVMET_NULL_BLKSIZE_SHIFT	12

static int nvmet_null_open(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	if (!ns->null_size ||
	    ns->null_size & ((1ULL << NVMET_NULL_BLKSIZE_SHIFT) - 1)) {
		pr_err("nvmet: namespace %u: the null backend needs a device_size that is a multiple of %u\n",
		       ns->nsid, 1U << NVMET_NULL_BLKSIZE_SHIFT);
		return -EINVAL;
	}
	ns->size = ns->null_size;
	ns->blksize_shift = NVMET_NULL_BLKSIZE_SHIFT;
	return 0;
}

static void nvmet_null_close(struct nvmet_ns *ns)
{
}

static void nvmet_null_rw(struct nvmet_req *req)
{
	u16 status = NVME_SC_SUCCESS;

	if (!nvme_is_write(req->cmd))
		status = nvmet_zero_sgl(req, 0, req->data_len);
	nvmet_req_complete(req, status);
}

/* Flush, Write Zeroes and Dataset Management: nothing to do. */
static void nvmet_null_done(struct nvmet_req *req)
{
	nvmet_req_complete(req, NVME_SC_SUCCESS);
}

/* Every block reads as zeroes, deallocated ones too. */
static void nvmet_null_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	lim->dealloc_zeroes = true;
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
	.rw		= nvmet_null_rw,
	.flush		= nvmet_null_done,
	.write_zeroes	= nvmet_null_done,
	.dsm		= nvmet_null_done,
	.limits		= nvmet_null_limits,
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
