// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ram backend ("ram", module nvmet-ram): a namespace kept in memory,
 * of the size set in its device_size attribute.  Like nvmet-null it is a
 * module of its own, loaded when a namespace first names it
 * (device_backend=ram), with no change to nvmet.ko or the configfs layout.
 *
 * Storage: an xarray of pages, indexed by page of the namespace, filled
 * as blocks are first written; a block whose page is absent reads as
 * zeroes.  Deallocate and Write Zeroes give whole pages back, so the
 * namespace is thin: memory follows what hosts wrote, at most device_size.
 * A write that finds no memory fails with Capacity Exceeded (the host
 * sees -ENOSPC), never with an OOM kill: pages are allocated GFP_NOIO
 * (the target may serve the machine's own writeback through nvme-loop)
 * and __GFP_NORETRY.
 *
 * Lifetimes: readers and writers copy to and from a page under
 * rcu_read_lock(); a page taken out of the xarray (deallocate, Write
 * Zeroes) is freed only after a grace period, from an rcu_work, so a
 * command that races with the deallocation of its range copies to or
 * from a page that is still allocated: the outcome is one of the orders
 * the two commands could have run in, never a use after free.  Close
 * runs with no command in flight and frees at once.
 *
 * Every command completes in the context the fabric calls it from; only
 * the page allocation of a first write may sleep.
 *
 * Conventions:
 * @ns: a namespace; its lock is held in open and close
 * @req: an I/O command on an enabled ram namespace; no lock held
 * @ram: the state of one enabled ram namespace
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nvme.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <nvmet/backend.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>

#define NVMET_RAM_BLKSIZE_SHIFT	12

/* Pages allocated for a first write: never the OOM killer, never I/O. */
#define NVMET_RAM_GFP		(GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN)

/**
 * struct nvmet_ram - an enabled ram namespace
 * @pages: page index (byte offset >> PAGE_SHIFT) to struct page; RCU
 *	   readers, the xarray's own lock for stores and erases
 * @nr_pages: pages in @pages, for the module's reckoning
 */
struct nvmet_ram {
	struct xarray pages;
	atomic_long_t nr_pages;
};

/**
 * struct nvmet_ram_graveyard - pages taken out of a namespace, to be
 *				freed after a grace period
 * @rwork: runs nvmet_ram_graveyard_free() once readers are gone
 * @pages: the pages, linked through page->lru (the pages are ours)
 */
struct nvmet_ram_graveyard {
	struct rcu_work rwork;
	struct list_head pages;
};

/* Frees deallocated pages after their grace period (rcu_work). */
static struct workqueue_struct *nvmet_ram_wq;

/* Pages all ram namespaces hold: shown as a read-only module parameter. */
static atomic_long_t nvmet_ram_pages_total = ATOMIC_LONG_INIT(0);

static int nvmet_ram_pages_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&nvmet_ram_pages_total));
}

static const struct kernel_param_ops nvmet_ram_pages_ops = {
	.get = nvmet_ram_pages_get,
};
module_param_cb(pages, &nvmet_ram_pages_ops, NULL, 0444);
MODULE_PARM_DESC(pages, "pages of memory all ram namespaces hold now");

static struct nvmet_ram *nvmet_ram_of(struct nvmet_ns *ns)
{
	return ns->backend_priv;
}

static void nvmet_ram_page_gone(struct nvmet_ram *ram)
{
	atomic_long_dec(&ram->nr_pages);
	atomic_long_dec(&nvmet_ram_pages_total);
}

static int nvmet_ram_open(struct nvmet_ns *ns)
{
	struct nvmet_ram *ram;

	lockdep_assert_held(&ns->lock);
	if (!ns->null_size ||
	    ns->null_size & ((1ULL << NVMET_RAM_BLKSIZE_SHIFT) - 1)) {
		pr_err("nvmet: namespace %u: the ram backend needs a device_size that is a multiple of %u\n",
		       ns->nsid, 1U << NVMET_RAM_BLKSIZE_SHIFT);
		return -EINVAL;
	}
	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return -ENOMEM;
	xa_init(&ram->pages);
	atomic_long_set(&ram->nr_pages, 0);
	ns->backend_priv = ram;
	ns->size = ns->null_size;
	ns->blksize_shift = NVMET_RAM_BLKSIZE_SHIFT;
	return 0;
}

/* No command is in flight: no reader can see the pages any more. */
static void nvmet_ram_close(struct nvmet_ns *ns)
{
	struct nvmet_ram *ram = nvmet_ram_of(ns);
	struct page *page;
	unsigned long idx;

	lockdep_assert_held(&ns->lock);
	xa_for_each(&ram->pages, idx, page) {
		__free_page(page);
		nvmet_ram_page_gone(ram);
	}
	xa_destroy(&ram->pages);
	kfree(ram);
}

/*
 * The page at @idx, allocating a zeroed one if there is none yet.  The
 * page may be taken out and freed after a grace period as soon as this
 * returns: the caller copies to it only after looking it up again under
 * rcu_read_lock().  Return: 0, or -ENOMEM.
 */
static int nvmet_ram_populate(struct nvmet_ram *ram, unsigned long idx)
{
	struct page *page, *old;

	if (xa_load(&ram->pages, idx))
		return 0;
	page = alloc_page(NVMET_RAM_GFP | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	old = xa_cmpxchg(&ram->pages, idx, NULL, page, NVMET_RAM_GFP);
	if (old) {
		__free_page(page);
		return xa_is_err(old) ? xa_err(old) : 0;
	}
	atomic_long_inc(&ram->nr_pages);
	atomic_long_inc(&nvmet_ram_pages_total);
	return 0;
}

/*
 * Copy @len bytes between @buf and the storage at byte @pos, all within
 * one page of the namespace.  Reads of an absent page give zeroes; a
 * write to a page deallocated since nvmet_ram_populate() is ordered
 * before that deallocation and so is gone with it.
 */
static void nvmet_ram_copy(struct nvmet_ram *ram, bool write, u64 pos,
			   void *buf, size_t len)
{
	unsigned int off = offset_in_page(pos);
	struct page *page;

	rcu_read_lock();
	page = xa_load(&ram->pages, pos >> PAGE_SHIFT);
	if (write && page)
		memcpy_to_page(page, off, buf, len);
	else if (!write && page)
		memcpy_from_page(buf, page, off, len);
	else if (!write)
		memset(buf, 0, len);
	rcu_read_unlock();
}

static void nvmet_ram_rw(struct nvmet_req *req)
{
	struct nvmet_ram *ram = nvmet_ram_of(req->ns);
	bool write = nvme_is_write(req->cmd);
	u64 pos = nvmet_req_pos(req);
	struct sg_mapping_iter miter;
	u16 status = NVME_SC_SUCCESS;
	u32 left = req->data_len;

	sg_miter_start(&miter, req->sg, req->sg_cnt,
		       write ? SG_MITER_FROM_SG : SG_MITER_TO_SG);
	while (left && sg_miter_next(&miter)) {
		size_t done = 0, seg = min_t(size_t, miter.length, left);

		while (done < seg) {
			size_t n = min_t(size_t, seg - done,
					 PAGE_SIZE - offset_in_page(pos));

			if (write &&
			    nvmet_ram_populate(ram, pos >> PAGE_SHIFT)) {
				status = NVME_SC_CAP_EXCEEDED;
				goto out;
			}
			nvmet_ram_copy(ram, write, pos, miter.addr + done, n);
			done += n;
			pos += n;
		}
		left -= seg;
	}
	if (left)
		status = NVME_SC_SGL_INVALID_DATA | NVME_STATUS_DNR;
out:
	sg_miter_stop(&miter);
	nvmet_req_complete(req, status);
}

static void nvmet_ram_graveyard_free(struct work_struct *work)
{
	struct nvmet_ram_graveyard *g =
		container_of(to_rcu_work(work), struct nvmet_ram_graveyard,
			     rwork);
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &g->pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	kfree(g);
}

/*
 * Make bytes [@pos, @pos + @len) of the storage read as zeroes: pages
 * wholly inside go to @g (or, without one, are zeroed in place), the
 * parts of the pages at either end are zeroed.
 */
static void nvmet_ram_zero_range(struct nvmet_ram *ram,
				 struct nvmet_ram_graveyard *g, u64 pos,
				 u64 len)
{
	while (len) {
		unsigned long idx = pos >> PAGE_SHIFT;
		unsigned int off = offset_in_page(pos);
		size_t n = min_t(u64, len, PAGE_SIZE - off);
		struct page *page;

		if (!off && n == PAGE_SIZE && g) {
			page = xa_erase(&ram->pages, idx);
			if (page) {
				list_add(&page->lru, &g->pages);
				nvmet_ram_page_gone(ram);
			}
		} else {
			rcu_read_lock();
			page = xa_load(&ram->pages, idx);
			if (page)
				memzero_page(page, off, n);
			rcu_read_unlock();
		}
		pos += n;
		len -= n;
		cond_resched();
	}
}

static struct nvmet_ram_graveyard *nvmet_ram_graveyard_new(void)
{
	struct nvmet_ram_graveyard *g = kmalloc(sizeof(*g), GFP_NOIO |
						__GFP_NOWARN);

	if (g) {
		INIT_RCU_WORK(&g->rwork, nvmet_ram_graveyard_free);
		INIT_LIST_HEAD(&g->pages);
	}
	return g;
}

/* Free @g's pages after a grace period; without pages, now. */
static void nvmet_ram_graveyard_bury(struct nvmet_ram_graveyard *g)
{
	if (!g)
		return;
	if (list_empty(&g->pages))
		kfree(g);
	else
		queue_rcu_work(nvmet_ram_wq, &g->rwork);
}

static void nvmet_ram_write_zeroes(struct nvmet_req *req)
{
	struct nvme_write_zeroes_cmd *cmd = &req->cmd->write_zeroes;
	struct nvmet_ram *ram = nvmet_ram_of(req->ns);
	u8 shift = req->ns->blksize_shift;
	struct nvmet_ram_graveyard *g = nvmet_ram_graveyard_new();

	nvmet_ram_zero_range(ram, g, le64_to_cpu(cmd->slba) << shift,
			     ((u64)le16_to_cpu(cmd->length) + 1) << shift);
	nvmet_ram_graveyard_bury(g);
	nvmet_req_complete(req, NVME_SC_SUCCESS);
}

static void nvmet_ram_dsm(struct nvmet_req *req)
{
	struct nvmet_ram *ram = nvmet_ram_of(req->ns);
	u8 shift = req->ns->blksize_shift;
	struct nvmet_ram_graveyard *g;
	struct nvme_dsm_range *ranges;
	unsigned int i, nr;
	u16 status;

	status = nvmet_backend_get_dsm_ranges(req, &ranges, &nr);
	if (status)
		goto out;
	g = nvmet_ram_graveyard_new();
	for (i = 0; i < nr; i++) {
		u64 slba = le64_to_cpu(ranges[i].slba);
		u32 nlb = le32_to_cpu(ranges[i].nlb);

		status = nvmet_backend_check_range(req, slba, nlb,
						   req->ns->size);
		if (status)
			break;
		nvmet_ram_zero_range(ram, g, slba << shift, (u64)nlb << shift);
	}
	nvmet_ram_graveyard_bury(g);
	kfree(ranges);
out:
	nvmet_req_complete(req, status);
}

/* Nothing is volatile that a flush could make durable. */
static void nvmet_ram_flush(struct nvmet_req *req)
{
	nvmet_req_complete(req, NVME_SC_SUCCESS);
}

/* Deallocated and zeroed blocks read as zeroes; writes never tear. */
static void nvmet_ram_limits(struct nvmet_ns *ns, struct nvmet_ns_limits *lim)
{
	lim->dealloc_zeroes = true;
	lim->dealloc_granularity = PAGE_SIZE;
	lim->write_granularity = 1U << NVMET_RAM_BLKSIZE_SHIFT;
}

static const struct nvmet_backend_ops nvmet_ram_backend_ops = {
	.name		= "ram",
	.owner		= THIS_MODULE,
	.features	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.changeable	= NVMET_BF_WRITE_ZEROES | NVMET_BF_DEALLOCATE |
			  NVMET_BF_VWC,
	.open		= nvmet_ram_open,
	.close		= nvmet_ram_close,
	.rw		= nvmet_ram_rw,
	.flush		= nvmet_ram_flush,
	.write_zeroes	= nvmet_ram_write_zeroes,
	.dsm		= nvmet_ram_dsm,
	.limits		= nvmet_ram_limits,
};

/*
 * Freeing pages is bounded work that cannot hang, so one queue serves
 * every ram namespace.
 */
static int __init nvmet_ram_init(void)
{
	int ret;

	nvmet_ram_wq = alloc_workqueue("nvmet-ram", WQ_UNBOUND, 0);
	if (!nvmet_ram_wq)
		return -ENOMEM;
	ret = nvmet_register_backend(&nvmet_ram_backend_ops);
	if (ret)
		goto out_wq;
	return 0;
out_wq:
	destroy_workqueue(nvmet_ram_wq);
	return ret;
}

/*
 * Each namespace pins the module, so none is open now; pages deallocated
 * before may still wait for their grace period: rcu_barrier() lets their
 * rcu_works reach the queue, which destroy_workqueue() drains.
 */
static void __exit nvmet_ram_exit(void)
{
	nvmet_unregister_backend(&nvmet_ram_backend_ops);
	rcu_barrier();
	destroy_workqueue(nvmet_ram_wq);
}

module_init(nvmet_ram_init);
module_exit(nvmet_ram_exit);

MODULE_ALIAS("nvmet-backend-ram");
MODULE_DESCRIPTION("nvmet-ng ram backend: namespaces kept in memory");
MODULE_LICENSE("GPL");
