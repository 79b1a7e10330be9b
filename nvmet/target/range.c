// SPDX-License-Identifier: GPL-2.0-only
/*
 * The range locks of a namespace: what makes a fused Compare and Write
 * atomic against every other write to its blocks (design.md, "Fused
 * Compare and Write").
 *
 * A fused pair locks its blocks exclusively; a write overlapping them
 * waits until the pair is done, a write elsewhere does not, and reads
 * take nothing.  While no pair is in flight on the namespace
 * (ranges.users is 0) a write only counts itself in its CPU's
 * ranges.writes (nvmet_range_write(), ctrl.h); a pair that arrives
 * first raises ranges.users, so every later write lists its range, and
 * then waits until the counted writes have drained (their sum is 0)
 * and no listed range ahead of it overlaps its own.  The list is in
 * arrival order and a range waits only for ranges ahead of it, so
 * nothing waits in a circle and a pair is never overtaken by writes that
 * came after it.  Its length is what is in flight on the namespace while
 * pairs are: each entry is embedded in its request, nothing is
 * allocated.
 *
 * Conventions:
 * @r: a namespace's range locks, &ns->ranges
 * @rg: one range, embedded in its request (req->range)
 */
#include <linux/percpu.h>
#include <linux/workqueue.h>

#include <nvmet/fabric.h>
#include "ctrl.h"

static struct nvmet_req *nvmet_range_req(struct nvmet_range *rg)
{
	return container_of(rg, struct nvmet_req, range);
}

/* Writes counted on the fast path and still in flight. */
static long nvmet_range_counted(struct nvmet_ns_ranges *r)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(r->writes, cpu);
	return sum;
}

/* Must @rg wait?  Only ranges listed ahead of it count. */
static bool nvmet_range_blocked(struct nvmet_ns_ranges *r,
				struct nvmet_range *rg)
	__must_hold(&r->lock)
{
	struct nvmet_range *e;

	lockdep_assert_held(&r->lock);
	list_for_each_entry(e, &r->list, entry) {
		if (e == rg)
			break;
		if ((rg->fused || e->fused) && e->start < rg->end &&
		    rg->start < e->end)
			return true;
	}
	return rg->fused && nvmet_range_counted(r);
}

static void nvmet_range_resume_work(struct work_struct *work)
{
	struct nvmet_req *req = container_of(work, struct nvmet_req, work);

	req->range.resume(req);
}

/* Grant every waiting range nothing ahead of it blocks any more. */
static void nvmet_range_grant(struct nvmet_ns_ranges *r)
	__must_hold(&r->lock)
{
	struct nvmet_range *rg;
	struct nvmet_req *req;

	lockdep_assert_held(&r->lock);
	list_for_each_entry(rg, &r->list, entry) {
		if (!rg->waiting || nvmet_range_blocked(r, rg))
			continue;
		rg->waiting = false;
		req = nvmet_range_req(rg);
		INIT_WORK(&req->work, nvmet_range_resume_work);
		queue_work(req->ns->backend_wq ?: system_unbound_wq,
			   &req->work);
	}
}

/* List @rg; true if it holds its range at once. */
static bool nvmet_range_add(struct nvmet_req *req, u64 start, u64 end,
			    bool fused, void (*resume)(struct nvmet_req *req))
{
	struct nvmet_ns_ranges *r = &req->ns->ranges;
	struct nvmet_range *rg = &req->range;
	unsigned long flags;

	rg->start = start;
	rg->end = end;
	rg->fused = fused;
	rg->resume = resume;
	spin_lock_irqsave(&r->lock, flags);
	rg->waiting = nvmet_range_blocked(r, rg);
	list_add_tail(&rg->entry, &r->list);
	spin_unlock_irqrestore(&r->lock, flags);
	return !rg->waiting;
}

static void nvmet_range_del(struct nvmet_req *req)
{
	struct nvmet_ns_ranges *r = &req->ns->ranges;
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	list_del(&req->range.entry);
	nvmet_range_grant(r);
	spin_unlock_irqrestore(&r->lock, flags);
}

/**
 * __nvmet_range_write() - the slow path of nvmet_range_write()
 * @req: the write
 * @start: its first block
 * @end: the block after its last
 * @resume: what runs once it may go on, if it has to wait
 *
 * Context: Process context; takes ns->ranges.lock.
 * Return: true to submit now, false if @resume runs later.
 */
bool __nvmet_range_write(struct nvmet_req *req, u64 start, u64 end,
			 void (*resume)(struct nvmet_req *req))
{
	req->range_state = NVMET_RANGE_LISTED;
	return nvmet_range_add(req, start, end, false, resume);
}

/**
 * nvmet_range_write_done() - a write that nvmet_range_write() let go ended
 * @req: the write, before its completion goes to the fabric
 *
 * A counted write that ends while a pair waits lets the pair look again
 * at the count; a listed write leaves the list.
 *
 * Context: Any context (a backend's completion); takes ns->ranges.lock
 * if a fused pair is in flight.
 */
void nvmet_range_write_done(struct nvmet_req *req)
{
	struct nvmet_ns_ranges *r = &req->ns->ranges;
	unsigned long flags;

	if (req->range_state == NVMET_RANGE_LISTED) {
		nvmet_range_del(req);
	} else {
		this_cpu_dec(*r->writes);
		/* Pairs with the barrier after the users increment. */
		smp_mb();
		if (atomic_read(&r->users)) {
			spin_lock_irqsave(&r->lock, flags);
			nvmet_range_grant(r);
			spin_unlock_irqrestore(&r->lock, flags);
		}
	}
	req->range_state = 0;
}

/**
 * nvmet_range_lock() - lock [@start, @end) for a fused pair
 * @req: the pair's first command, with req->ns
 * @start: the first block
 * @end: the block after the last
 * @resume: what runs once the range is held, if it is not at once
 *
 * Context: Process context; takes ns->ranges.lock.
 * Return: true if the range is held now; false if @resume runs later, in
 * process context, holding it.
 */
bool nvmet_range_lock(struct nvmet_req *req, u64 start, u64 end,
		      void (*resume)(struct nvmet_req *req))
{
	atomic_inc(&req->ns->ranges.users);
	/* Pairs with the barrier of a write's count (nvmet_range_write()). */
	smp_mb__after_atomic();
	return nvmet_range_add(req, start, end, true, resume);
}

/**
 * nvmet_range_unlock() - let go of a fused pair's range
 * @req: the pair's first command
 *
 * Context: Any context; takes ns->ranges.lock.
 */
void nvmet_range_unlock(struct nvmet_req *req)
{
	nvmet_range_del(req);
	atomic_dec(&req->ns->ranges.users);
}
