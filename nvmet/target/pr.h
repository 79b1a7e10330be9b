/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reservations (NVMe Base 2.1, "Reservations"): the state of one
 * namespace and the interface between pr.c and the command handlers.
 * Internal to nvmet.ko.
 *
 * Lock legend as in nvmet.h, plus
 *   P   pr->lock
 * Lock order: pr->lock, then ctrl->lock (the events it raises).  pr->lock
 * nests inside nothing else; it is held across a save to the store, which
 * may sleep.
 */
#ifndef _NVMET_TARGET_PR_H
#define _NVMET_TARGET_PR_H

#include <linux/build_bug.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include <nvmet/req.h>

#include "nvme21.h"
#include "pr_store.h"

struct nvmet_ctrl;
struct nvmet_ns;
struct nvmet_req;

/*
 * <linux/nvme.h> of 6.12 lacks these (6.13 added some under other
 * names): ours carry an NVMET_ prefix so every kernel's header builds.
 */
/* Reservation Register, CDW10: RREGA 2:0, IEKEY 3, CPTPL 31:30. */
#define NVMET_PR_REG_REGISTER		0
#define NVMET_PR_REG_UNREGISTER		1
#define NVMET_PR_REG_REPLACE		2
#define NVMET_PR_CPTPL_CLEAR		2
#define NVMET_PR_CPTPL_SET		3
/* Reservation Acquire, CDW10: RACQA 2:0, IEKEY 3, RTYPE 15:8. */
#define NVMET_PR_ACQ_ACQUIRE		0
#define NVMET_PR_ACQ_PREEMPT		1
#define NVMET_PR_ACQ_PREEMPT_ABORT	2
/* Reservation Release, CDW10: RRELA 2:0, IEKEY 3, RTYPE 15:8. */
#define NVMET_PR_REL_RELEASE		0
#define NVMET_PR_REL_CLEAR		1
#define NVMET_PR_CDW10_IEKEY		BIT(3)

/*
 * Reservation Notification log page types, and the Reservation
 * Notification Mask bit that masks each (the same number).
 */
#define NVMET_PR_LOG_REG_PREEMPTED	1
#define NVMET_PR_LOG_RESV_RELEASED	2
#define NVMET_PR_LOG_RESV_PREEMPTED	3
#define NVMET_PR_NOTIFY_MASK_ALL	(BIT(NVMET_PR_LOG_REG_PREEMPTED) | \
					 BIT(NVMET_PR_LOG_RESV_RELEASED) | \
					 BIT(NVMET_PR_LOG_RESV_PREEMPTED))

/* Asynchronous event information of Reservation Log Page Available. */
#define NVMET_AEN_RESV_LOG_AVAILABLE	0x00
/* Our bit in ctrl->aen_masked for it (no AEN configuration bit has it). */
#define NVMET_AEN_BIT_RESV_LOG		24

/* Identify Namespace RESCAP: PTPL, the six types, IEKEY on Register. */
#define NVMET_PR_RESCAP			0xff

/* Reservation Notification log page (LID 80h), 64 bytes. */
struct nvmet_pr_log {
	__le64 count;
	u8 type;
	u8 nr_pages;
	u8 rsvd10[2];
	__le32 nsid;
	u8 rsvd16[48];
};

/*
 * Reservation Status Extended Data Structure (Reservation Report with
 * EDS, CDW11 bit 0), which <linux/nvme.h> of 6.1 lacks: a 64-byte header
 * and a 64-byte Registrant Extended Data Structure per registrant.
 */
#define NVMET_PR_REPORT_EDS		BIT(0)

struct nvmet_pr_status_reg {
	__le16 cntlid;
	u8 rcsts;
	u8 rsvd3[5];
	__le64 rkey;
	u8 hostid[16];
	u8 rsvd32[32];
};

struct nvmet_pr_status {
	__le32 gen;
	u8 rtype;
	u8 regctl[2];
	u8 rsvd7[2];
	u8 ptpls;
	u8 rsvd10[54];
	struct nvmet_pr_status_reg regs[];
};

static_assert(sizeof(struct nvmet_pr_status_reg) == 64);
static_assert(sizeof(struct nvmet_pr_status) == 64);
static_assert(sizeof(struct nvmet_pr_log) == 64);

/* Log entries a controller keeps until the host reads them. */
#define NVMET_PR_LOG_SLOTS		64

/**
 * struct nvmet_pr_log_entry - one reservation notification not yet read
 * @count: its Log Page Count (never 0)
 * @type: NVMET_PR_LOG_*
 * @nsid: the namespace
 */
struct nvmet_pr_log_entry {
	u64 count;
	u32 nsid;
	u8 type;
};

/**
 * struct nvmet_pr_ctrl_log - a controller's Reservation Notification log
 * @entries: a ring of entries not yet read (C)
 * @first: index in @entries of the oldest (C)
 * @nr: entries in the ring (C)
 * @count: Log Page Count of the last entry made, read or lost (C); an
 *	   entry lost to a full ring shows as a gap in the counts
 */
struct nvmet_pr_ctrl_log {
	struct nvmet_pr_log_entry entries[NVMET_PR_LOG_SLOTS];
	unsigned int first;
	unsigned int nr;
	u64 count;
};

/**
 * struct nvmet_pr_reg - a registrant
 * @hostid: its 128-bit host identifier (the Host Identifier of Connect)
 * @rkey: its reservation key
 */
struct nvmet_pr_reg {
	uuid_t hostid;
	u64 rkey;
};

/**
 * struct nvmet_pr_state - one namespace's reservation state, immutable
 *			   once published in pr->state
 * @io: one reference per I/O command checked against this state, until
 *	it completes, and the published one; killed when a newer state
 *	replaces it, so a preempt-and-abort can wait for the commands that
 *	saw the old state (@done)
 * @done: completed when @io is released, if a waiter set it
 * @rcu: frees the state after RCU readers are gone
 * @generation: the Persistent Reservation Generation (PRGEN)
 * @rtype: the reservation type, 0 for none
 * @ptpl: Persist Through Power Loss is on
 * @holder: index in @regs of the holder; NVMET_PR_NO_HOLDER without a
 *	    reservation or for the all-registrants types
 * @nr_regs: entries in @regs
 * @regs: the registrants, sorted by host identifier
 */
struct nvmet_pr_state {
	struct percpu_ref io;
	struct completion *done;
	struct rcu_head rcu;
	u32 generation;
	u8 rtype;
	bool ptpl;
	u32 holder;
	u32 nr_regs;
	struct nvmet_pr_reg regs[];
};

/**
 * struct nvmet_pr - a namespace's reservations while it is enabled with
 *		     resv_enable (ns->pr)
 * @lock: serialises the reservation commands, Set Features Reservation
 *	  Persistence and the saves to @store: each builds a new state
 *	  from the published one and publishes it (P)
 * @state: the current state (P write, RCU read)
 * @store: where the state persists (P)
 * @notify_mask: Reservation Notification Mask, NVMET_PR_LOG_* bits that
 *		 no controller is told of (A)
 */
struct nvmet_pr {
	struct mutex lock;		/* the P fields */
	struct nvmet_pr_state __rcu *state;
	struct nvmet_pr_store *store;
	u32 notify_mask;
};

int nvmet_pr_init(void);
void nvmet_pr_exit(void);

u16 nvmet_pr_parse_cmd(struct nvmet_req *req);
void nvmet_pr_io_done(struct nvmet_req *req);
u16 nvmet_pr_check_io_slow(struct nvmet_req *req);
u16 nvmet_pr_check_read(struct nvmet_req *req, struct nvmet_ns *ns);

/**
 * nvmet_pr_check_io() - may this I/O command run under the namespace's
 *			 reservation?
 * @req: a parsed I/O command, req->ns set
 *
 * The one check every command class goes through (read, write, flush,
 * write zeroes, DSM, and copy, compare and verify when they exist).
 * Cost with resv_enable off: one load.  With it on: an RCU read of the
 * state, a binary search among the registrants when a reservation is
 * held, and a per-cpu reference kept until completion.
 *
 * Context: Any context.
 * Return: 0 or Reservation Conflict.
 */
static inline u16 nvmet_pr_check_io(struct nvmet_req *req)
{
	if (likely(!req->ns->pr))
		return 0;
	return nvmet_pr_check_io_slow(req);
}

void nvmet_pr_execute_log(struct nvmet_req *req);
void nvmet_pr_execute_set_features(struct nvmet_req *req);
u16 nvmet_pr_get_features(struct nvmet_req *req);
u8 nvmet_pr_rescap(struct nvmet_ns *ns);

#endif /* _NVMET_TARGET_PR_H */
