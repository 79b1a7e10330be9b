// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device objects: one per RDMA device with queues on it, holding the
 * protection domain they share and, with use_srq, their shared receive
 * queues (srq.c).  A queue holds a reference for its life; the last put
 * destroys the SRQs, deallocates the PD and forgets the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/slab.h>

#include "nvmet-rdma.h"

/* Protects nvmet_rdma_devices and every device's entry on it. */
static DEFINE_MUTEX(nvmet_rdma_devices_lock);
static LIST_HEAD(nvmet_rdma_devices);

/**
 * nvmet_rdma_device_inline_max() - most in-capsule data a device can take
 * @ibdev: the device
 *
 * One receive SGE carries the command, one per page the in-capsule data.
 *
 * Context: Any context.
 * Return: bytes, at most NVMET_RDMA_MAX_INLINE_DATA_SIZE.
 */
u32 nvmet_rdma_device_inline_max(struct ib_device *ibdev)
{
	u32 sge = min_t(u32, ibdev->attrs.max_recv_sge,
			1 + NVMET_RDMA_MAX_INLINE_PAGES);

	return sge > 1 ? (sge - 1) * PAGE_SIZE : 0;
}

static struct nvmet_rdma_device *nvmet_rdma_device_find(struct ib_device *ibdev)
	__must_hold(&nvmet_rdma_devices_lock)
{
	struct nvmet_rdma_device *ndev;

	lockdep_assert_held(&nvmet_rdma_devices_lock);
	list_for_each_entry(ndev, &nvmet_rdma_devices, entry) {
		if (ndev->ibdev == ibdev)
			return ndev;
	}
	return NULL;
}

/**
 * nvmet_rdma_device_get() - the device object of an RDMA device
 * @ibdev: the device
 * @srq_inline: in-capsule data of the caller's port, for the buffers of
 *		SRQs created with the object
 *
 * Creates it, with its PD and SRQs, on first use.
 *
 * Context: Process context; takes nvmet_rdma_devices_lock.
 * Return: a referenced device object, or NULL.
 */
struct nvmet_rdma_device *nvmet_rdma_device_get(struct ib_device *ibdev,
						u32 srq_inline)
{
	struct nvmet_rdma_device *ndev;

	mutex_lock(&nvmet_rdma_devices_lock);
	ndev = nvmet_rdma_device_find(ibdev);
	if (ndev) {
		kref_get(&ndev->ref);
		goto out_unlock;
	}
	ndev = kzalloc(sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		goto out_unlock;
	ndev->pd = ib_alloc_pd(ibdev, 0);
	if (IS_ERR(ndev->pd)) {
		pr_err("%s: cannot allocate a protection domain: %ld\n",
		       dev_name(&ibdev->dev), PTR_ERR(ndev->pd));
		kfree(ndev);
		ndev = NULL;
		goto out_unlock;
	}
	kref_init(&ndev->ref);
	ndev->ibdev = ibdev;
	ndev->inline_max = nvmet_rdma_device_inline_max(ibdev);
	nvmet_rdma_create_srqs(ndev, srq_inline);
	list_add(&ndev->entry, &nvmet_rdma_devices);
out_unlock:
	mutex_unlock(&nvmet_rdma_devices_lock);
	return ndev;
}

/* From kref_put_mutex(), nvmet_rdma_devices_lock held: drops it. */
static void nvmet_rdma_device_release(struct kref *ref)
{
	struct nvmet_rdma_device *ndev =
		container_of(ref, struct nvmet_rdma_device, ref);

	list_del(&ndev->entry);
	mutex_unlock(&nvmet_rdma_devices_lock);
	nvmet_rdma_destroy_srqs(ndev);
	ib_dealloc_pd(ndev->pd);
	kfree(ndev);
}

/**
 * nvmet_rdma_device_put() - drop a reference on a device object
 * @ndev: the device object
 *
 * Context: Process context; may take nvmet_rdma_devices_lock.
 */
void nvmet_rdma_device_put(struct nvmet_rdma_device *ndev)
{
	kref_put_mutex(&ndev->ref, nvmet_rdma_device_release,
		       &nvmet_rdma_devices_lock);
}

/**
 * nvmet_rdma_device_known() - do we have queues on a device?
 * @ibdev: the device
 *
 * Context: Process context; takes nvmet_rdma_devices_lock.
 * Return: true if a device object for @ibdev exists.
 */
bool nvmet_rdma_device_known(struct ib_device *ibdev)
{
	bool known;

	mutex_lock(&nvmet_rdma_devices_lock);
	known = nvmet_rdma_device_find(ibdev);
	mutex_unlock(&nvmet_rdma_devices_lock);
	return known;
}

/**
 * nvmet_rdma_devices_exit() - check that every device object is gone
 *
 * Context: Module exit, after the last queue was freed.
 */
void nvmet_rdma_devices_exit(void)
{
	mutex_lock(&nvmet_rdma_devices_lock);
	WARN_ON(!list_empty(&nvmet_rdma_devices));
	mutex_unlock(&nvmet_rdma_devices_lock);
}
