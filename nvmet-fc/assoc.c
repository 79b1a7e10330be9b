// SPDX-License-Identifier: GPL-2.0-only
/*
 * Associations and their queues.
 *
 * Create Association makes an association with its admin queue (qid 0);
 * Create I/O Connection adds a queue.  An association ID is random in its
 * high 32 bits and carries the association's index in the target port's
 * xarray in bits 16-31; a connection ID is the association ID with the qid
 * in the low 16 bits, so the FCP path finds a queue with one xa_load() and
 * one array index, under RCU.
 *
 * Whoever wants an association gone (Disconnect Association, delete_ctrl(),
 * remove_port(), unregistration or invalidation from the LLDD) calls
 * nvmet_fc_assoc_schedule_delete(); the first caller queues delete_work,
 * which:
 *   1. unpublishes the association, so no LS or FCP command finds it;
 *   2. stops each queue's pool and aborts the exchanges in use;
 *   3. tells the host with a Disconnect Association LS, unless the host
 *      asked for the teardown;
 *   4. nvmet_sq_destroy()s each queue, I/O queues first, which waits for
 *      the commands the core has, and waits until the LLDD gave back
 *      every exchange;
 *   5. frees the queues and the association after an RCU grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <nvmet/compat-lib.h>
#include <nvmet/nvmet.h>
#include <nvmet/test_point.h>

#include "nvmet-fc.h"

/* Runs delete_work, which waits for commands that run on nvmet_fc_wq. */
static struct workqueue_struct *nvmet_fc_del_wq;

static void nvmet_fc_assoc_delete_work(struct work_struct *work);

static struct nvmet_fc_queue *nvmet_fc_queue_alloc(struct nvmet_fc_assoc *assoc,
						   u16 qid, u16 sqsize)
{
	unsigned int nr = 2 * sqsize;
	struct nvmet_fc_queue *queue;

	queue = kvzalloc(struct_size(queue, cmds, nr), GFP_KERNEL);
	if (!queue)
		return NULL;
	queue->nr_cmds = nr;
	queue->assoc = assoc;
	queue->qid = qid;
	queue->sqsize = sqsize;
	queue->connection_id = assoc->association_id | qid;
	spin_lock_init(&queue->lock);
	init_waitqueue_head(&queue->idle);
	INIT_LIST_HEAD(&queue->free_cmds);
	queue->live = true;
	if (nvmet_sq_init(&queue->nvme_sq)) {
		kvfree(queue);
		return NULL;
	}
	nvmet_fc_cmds_init(queue);
	return queue;
}

/**
 * nvmet_fc_queue_create() - add a queue to an association
 * @assoc: the association
 * @qid: the queue ID, 0 for the admin queue
 * @sqsize: entries, the LS's sqsize + 1
 *
 * Context: Process context (LS work).
 * Return: 0, -EEXIST if the queue exists, -ENOENT if the association is
 * being deleted, or -ENOMEM.
 */
int nvmet_fc_queue_create(struct nvmet_fc_assoc *assoc, u16 qid, u16 sqsize)
{
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;
	struct nvmet_fc_queue *queue;
	int ret = 0;
	unsigned long flags;

	queue = nvmet_fc_queue_alloc(assoc, qid, sqsize);
	if (!queue)
		return -ENOMEM;
	spin_lock_irqsave(&tgtport->lock, flags);
	if (test_bit(0, &assoc->deleting))
		ret = -ENOENT;
	else if (rcu_access_pointer(assoc->queues[qid]))
		ret = -EEXIST;
	else
		rcu_assign_pointer(assoc->queues[qid], queue);
	spin_unlock_irqrestore(&tgtport->lock, flags);
	if (ret) {
		nvmet_sq_destroy(&queue->nvme_sq);
		kvfree(queue);
	}
	return ret;
}

static struct nvmet_fc_assoc *nvmet_fc_assoc_alloc(struct nvmet_fc_tgtport *tgtport,
						   struct nvmet_port *nport)
{
	struct nvmet_fc_assoc *assoc;
	int ret;

	assoc = kzalloc(sizeof(*assoc), GFP_KERNEL);
	if (!assoc)
		return NULL;
	/* Reserve an index; lookups see NULL until the entry is stored. */
	ret = xa_alloc_bh(&tgtport->assocs, &assoc->idx, NULL,
			  XA_LIMIT(1, NVMET_FC_ASSOC_IDX_MAX), GFP_KERNEL);
	if (ret) {
		kfree(assoc);
		return NULL;
	}
	kref_init(&assoc->ref);
	INIT_WORK(&assoc->delete_work, nvmet_fc_assoc_delete_work);
	assoc->tgtport = tgtport;
	assoc->nport = nport;
	assoc->association_id = ((u64)get_random_u32() << 32) |
		((u64)assoc->idx << NVMET_FC_ASSOC_IDX_SHIFT);
	INIT_LIST_HEAD(&assoc->entry);
	return assoc;
}

/*
 * Publish @assoc unless the port was unbound or unregistered, or its host
 * handle invalidated, meanwhile.  Walkers of assoc_list (teardown,
 * nvmet_fc_invalidate_host()) dereference assoc->hostref and FCP commands
 * find the association in the xarray, so both are set before the
 * association goes on the list, in one section under tgtport->lock: a
 * walker sees it whole or not at all, and an invalidation that ran before
 * is seen here.  The index was reserved, so the store does not allocate.
 */
static int nvmet_fc_assoc_publish(struct nvmet_fc_assoc *assoc,
				  struct nvmet_fc_hostref *spare,
				  void *hosthandle)
{
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;
	int ret = 0;
	unsigned long flags;

	assoc->hostref = nvmet_fc_hostref_get(tgtport, hosthandle, spare);
	if (assoc->hostref != spare)
		kfree(spare);
	spin_lock_irqsave(&tgtport->lock, flags);
	if (!tgtport->registered || tgtport->nport != assoc->nport ||
	    assoc->hostref->invalidated) {
		ret = -ENXIO;
	} else {
		xa_store(&tgtport->assocs, assoc->idx, assoc, GFP_ATOMIC);
		list_add_tail(&assoc->entry, &tgtport->assoc_list);
	}
	spin_unlock_irqrestore(&tgtport->lock, flags);
	if (ret) {
		nvmet_fc_hostref_put(tgtport, assoc->hostref);
		return ret;
	}
	/* Where a walker of assoc_list may first meet @assoc. */
	nvmet_test_point(NVMET_TP_FC_ASSOC_LISTED, assoc);
	return 0;
}

/**
 * nvmet_fc_assoc_create() - a new association with its admin queue
 * @tgtport: the target port the Create Association LS came to
 * @hosthandle: the LLDD's handle of the host port
 * @sqsize: entries of the admin queue
 * @association_id: where to return the new association's ID
 *
 * Only the ID comes back, read before the association is published: once
 * it is, a concurrent invalidation of the host, unbind or unregister may
 * delete and free it, and the caller holds no reference to it.
 *
 * Context: Process context (LS work).
 * Return: 0 with the association published, -ENXIO if no nvmet port is
 * bound to @tgtport, -ENOMEM.
 */
int nvmet_fc_assoc_create(struct nvmet_fc_tgtport *tgtport, void *hosthandle,
			  u16 sqsize, u64 *association_id)
{
	struct nvmet_fc_hostref *spare;
	struct nvmet_fc_assoc *assoc;
	struct nvmet_port *nport;
	int err;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	nport = tgtport->nport;
	if (nport)
		nvmet_port_get(nport);
	spin_unlock_irqrestore(&tgtport->lock, flags);
	if (!nport)
		return -ENXIO;
	err = -ENXIO;
	if (!nvmet_fc_tgtport_use(tgtport))
		goto out_put_port;

	err = -ENOMEM;
	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare)
		goto out_unuse;
	assoc = nvmet_fc_assoc_alloc(tgtport, nport);
	if (!assoc)
		goto out_free_spare;
	err = nvmet_fc_queue_create(assoc, 0, sqsize);
	if (err)
		goto out_free_assoc;
	*association_id = assoc->association_id;
	err = nvmet_fc_assoc_publish(assoc, spare, hosthandle);
	if (err) {
		struct nvmet_fc_queue *queue =
			rcu_access_pointer(assoc->queues[0]);

		nvmet_sq_destroy(&queue->nvme_sq);
		kvfree(queue);
		/* Publishing consumed the spare hostref. */
		xa_erase_bh(&tgtport->assocs, assoc->idx);
		kfree(assoc);
		goto out_unuse;
	}
	return 0;

out_free_assoc:
	xa_erase_bh(&tgtport->assocs, assoc->idx);
	kfree(assoc);
out_free_spare:
	kfree(spare);
out_unuse:
	nvmet_fc_tgtport_unuse(tgtport);
out_put_port:
	nvmet_port_put(nport);
	return err;
}

/**
 * nvmet_fc_assoc_find() - the association with an ID
 * @tgtport: the target port
 * @association_id: the ID
 *
 * Context: Under rcu_read_lock(); the association stays valid until
 * rcu_read_unlock().
 * Return: the association, or NULL.
 */
struct nvmet_fc_assoc *nvmet_fc_assoc_find(struct nvmet_fc_tgtport *tgtport,
					   u64 association_id)
{
	u32 idx = (association_id >> NVMET_FC_ASSOC_IDX_SHIFT) &
		  NVMET_FC_ASSOC_IDX_MAX;
	struct nvmet_fc_assoc *assoc;

	assoc = xa_load(&tgtport->assocs, idx);
	if (!assoc || assoc->association_id != association_id)
		return NULL;
	return assoc;
}

/**
 * nvmet_fc_assoc_find_get() - the association with an ID, referenced
 * @tgtport: the target port
 * @association_id: the ID
 *
 * Context: Any context.
 * Return: the association, to be put with nvmet_fc_assoc_put(), or NULL.
 */
struct nvmet_fc_assoc *nvmet_fc_assoc_find_get(struct nvmet_fc_tgtport *tgtport,
					       u64 association_id)
{
	struct nvmet_fc_assoc *assoc;

	rcu_read_lock();
	assoc = nvmet_fc_assoc_find(tgtport, association_id);
	if (assoc && !kref_get_unless_zero(&assoc->ref))
		assoc = NULL;
	rcu_read_unlock();
	return assoc;
}

static void nvmet_fc_assoc_release(struct kref *ref)
{
	struct nvmet_fc_assoc *assoc =
		container_of(ref, struct nvmet_fc_assoc, ref);

	kfree_rcu(assoc, rcu);
}

/**
 * nvmet_fc_assoc_put() - drop a reference on an association
 * @assoc: the association
 *
 * Context: Any context.
 */
void nvmet_fc_assoc_put(struct nvmet_fc_assoc *assoc)
{
	kref_put(&assoc->ref, nvmet_fc_assoc_release);
}

/**
 * nvmet_fc_queue_lookup() - the queue of a connection ID
 * @tgtport: the target port
 * @connection_id: from the CMD IU
 *
 * Context: Under rcu_read_lock(); the queue stays valid until
 * rcu_read_unlock().
 * Return: the queue, or NULL.
 */
struct nvmet_fc_queue *nvmet_fc_queue_lookup(struct nvmet_fc_tgtport *tgtport,
					     u64 connection_id)
{
	u16 qid = connection_id & NVMET_FC_QID_MASK;
	struct nvmet_fc_assoc *assoc;

	if (qid >= NVMET_FC_MAX_QUEUES)
		return NULL;
	assoc = nvmet_fc_assoc_find(tgtport, connection_id & ~NVMET_FC_QID_MASK);
	if (!assoc)
		return NULL;
	return rcu_dereference(assoc->queues[qid]);
}

/**
 * nvmet_fc_assoc_schedule_delete() - start tearing an association down
 * @assoc: the association, kept valid by the caller (RCU or
 *	   tgtport->lock)
 *
 * Context: Any context.
 */
void nvmet_fc_assoc_schedule_delete(struct nvmet_fc_assoc *assoc)
{
	if (!test_and_set_bit(0, &assoc->deleting))
		queue_work(nvmet_fc_del_wq, &assoc->delete_work);
}

static void nvmet_fc_queue_stop(struct nvmet_fc_queue *queue)
{
	spin_lock_bh(&queue->lock);
	queue->live = false;
	spin_unlock_bh(&queue->lock);
	nvmet_fc_abort_cmds(queue);
}

static bool nvmet_fc_queue_idle(struct nvmet_fc_queue *queue)
{
	bool idle;

	spin_lock_bh(&queue->lock);
	idle = !queue->nr_busy;
	spin_unlock_bh(&queue->lock);
	return idle;
}

/* Take the queues out of @assoc; new ones can no longer be added. */
static void nvmet_fc_assoc_take_queues(struct nvmet_fc_assoc *assoc,
				       struct nvmet_fc_queue **queues)
{
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;
	int qid;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	for (qid = 0; qid < NVMET_FC_MAX_QUEUES; qid++) {
		queues[qid] = nvmet_fc_queue_deref(assoc, qid);
		RCU_INIT_POINTER(assoc->queues[qid], NULL);
	}
	spin_unlock_irqrestore(&tgtport->lock, flags);
}

static void nvmet_fc_assoc_delete_work(struct work_struct *work)
{
	struct nvmet_fc_assoc *assoc =
		container_of(work, struct nvmet_fc_assoc, delete_work);
	struct nvmet_fc_tgtport *tgtport = assoc->tgtport;
	struct nvmet_fc_queue **queues;
	int qid;
	unsigned long flags;

	queues = kcalloc(NVMET_FC_MAX_QUEUES, sizeof(*queues),
			 GFP_KERNEL | __GFP_NOFAIL);
	xa_erase_bh(&tgtport->assocs, assoc->idx);
	/* FCP lookups under RCU still see the queues: stop them first. */
	for (qid = 0; qid < NVMET_FC_MAX_QUEUES; qid++) {
		struct nvmet_fc_queue *queue;

		rcu_read_lock();
		queue = rcu_dereference(assoc->queues[qid]);
		if (queue)
			nvmet_fc_queue_stop(queue);
		rcu_read_unlock();
	}
	nvmet_fc_assoc_take_queues(assoc, queues);
	if (!READ_ONCE(assoc->host_disconnected))
		nvmet_fc_send_disconnect(assoc);

	for (qid = NVMET_FC_MAX_QUEUES - 1; qid >= 0; qid--) {
		if (queues[qid])
			nvmet_sq_destroy(&queues[qid]->nvme_sq);
	}
	for (qid = 0; qid < NVMET_FC_MAX_QUEUES; qid++) {
		if (!queues[qid])
			continue;
		wait_event(queues[qid]->idle, nvmet_fc_queue_idle(queues[qid]));
		kvfree_rcu(queues[qid], rcu);
	}
	kfree(queues);

	spin_lock_irqsave(&tgtport->lock, flags);
	list_del(&assoc->entry);
	spin_unlock_irqrestore(&tgtport->lock, flags);
	pr_debug("association 0x%016llx deleted\n", assoc->association_id);
	nvmet_fc_hostref_put(tgtport, assoc->hostref);
	nvmet_port_put(assoc->nport);
	nvmet_fc_assoc_put(assoc);
	nvmet_fc_tgtport_unuse(tgtport);
}

/**
 * nvmet_fc_delete_assocs() - tear down associations of a target port
 * @tgtport: the target port
 * @nport: only those that came through this nvmet port, or NULL
 * @hosthandle: only those of this host handle, or NULL
 *
 * Does not wait for them to be gone.
 *
 * Context: Any context; takes tgtport->lock.
 */
void nvmet_fc_delete_assocs(struct nvmet_fc_tgtport *tgtport,
			    struct nvmet_port *nport, void *hosthandle)
{
	struct nvmet_fc_assoc *assoc;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	list_for_each_entry(assoc, &tgtport->assoc_list, entry) {
		if (nport && assoc->nport != nport)
			continue;
		if (hosthandle && assoc->hostref->handle != hosthandle)
			continue;
		nvmet_fc_assoc_schedule_delete(assoc);
	}
	spin_unlock_irqrestore(&tgtport->lock, flags);
}

/**
 * nvmet_fc_tgtport_delete_ctrl() - tear down the association of a
 *				    controller, if it is on this port
 * @tgtport: the target port
 * @ctrl: the controller
 *
 * Context: Any context; takes tgtport->lock.
 * Return: true if the controller's association was found.
 */
bool nvmet_fc_tgtport_delete_ctrl(struct nvmet_fc_tgtport *tgtport,
				  struct nvmet_ctrl *ctrl)
{
	struct nvmet_fc_assoc *assoc;
	struct nvmet_fc_queue *queue;
	bool found = false;
	unsigned long flags;

	spin_lock_irqsave(&tgtport->lock, flags);
	list_for_each_entry(assoc, &tgtport->assoc_list, entry) {
		queue = nvmet_fc_queue_deref(assoc, 0);
		if (queue && READ_ONCE(queue->nvme_sq.ctrl) == ctrl) {
			nvmet_fc_assoc_schedule_delete(assoc);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&tgtport->lock, flags);
	return found;
}

/**
 * nvmet_fc_install_queue() - check a Connect against its FC connection
 * @sq: the submission queue Connect set up
 *
 * The qid of the Connect must be the qid of the connection it came on, and
 * its queue no larger than the LS created.
 *
 * Context: Process context (Connect execution).
 * Return: an NVMe status.
 */
u16 nvmet_fc_install_queue(struct nvmet_sq *sq)
{
	struct nvmet_fc_queue *queue =
		container_of(sq, struct nvmet_fc_queue, nvme_sq);

	if (sq->qid != queue->qid || !sq->size || sq->size > queue->sqsize)
		return NVME_SC_CONNECT_INVALID_PARAM | NVME_STATUS_DNR;
	return NVME_SC_SUCCESS;
}

/**
 * nvmet_fc_assocs_init() - set up what associations need module-wide
 *
 * Context: Module init.
 * Return: 0 or -ENOMEM.
 */
int nvmet_fc_assocs_init(void)
{
	nvmet_fc_del_wq = alloc_workqueue("nvmet_fc_del_wq",
					  WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	return nvmet_fc_del_wq ? 0 : -ENOMEM;
}

/**
 * nvmet_fc_assocs_exit() - wait for association teardowns in progress
 *
 * Context: Module exit; no target port is registered any more.
 */
void nvmet_fc_assocs_exit(void)
{
	flush_workqueue(nvmet_fc_del_wq);
	destroy_workqueue(nvmet_fc_del_wq);
}
