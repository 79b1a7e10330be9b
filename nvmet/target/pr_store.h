/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a namespace's reservation state goes when a host asked for it to
 * persist through power loss (PTPL).  pr.c, which owns the state, hands
 * pr_store.c a flat image of it; pr_store.c owns the file, its format and
 * its durability.  The interface is kept this narrow so the two can change
 * apart: pr.c never sees a file, pr_store.c never sees a command.
 */
#ifndef _NVMET_PR_STORE_H
#define _NVMET_PR_STORE_H

#include <linux/types.h>

struct nvmet_ns;
struct nvmet_pr_store;

/* The most registrants one namespace keeps (and one image holds). */
#define NVMET_PR_MAX_REGS	4096
#define NVMET_PR_NO_HOLDER	U32_MAX

/**
 * struct nvmet_pr_image_reg - one registrant
 * @hostid: its 128-bit host identifier (a 64-bit one in the first 8 bytes,
 *	    the rest zero)
 * @rkey: its reservation key
 */
struct nvmet_pr_image_reg {
	u8 hostid[16];
	u64 rkey;
};

/**
 * struct nvmet_pr_image - the persistent part of a namespace's reservation
 * @generation: the Persistent Reservation Generation (PRGEN)
 * @rtype: the reservation type (enum nvme_pr_type), 0 for no reservation
 * @ptpl: Persist Through Power Loss is on
 * @holder: index in @regs of the reservation holder, NVMET_PR_NO_HOLDER if
 *	    none (and for the all-registrants types, where every registrant
 *	    holds it)
 * @nr_regs: entries in @regs
 * @regs: the registrants
 */
struct nvmet_pr_image {
	u32 generation;
	u8 rtype;
	bool ptpl;
	u32 holder;
	u32 nr_regs;
	struct nvmet_pr_image_reg regs[];
};

struct nvmet_pr_image *nvmet_pr_image_alloc(u32 nr_regs);
void nvmet_pr_image_free(struct nvmet_pr_image *img);

/*
 * nvmet_pr_store_open() - open a namespace's reservation state at enable
 *
 * Context: process context, may sleep; called by the namespace's enable
 * with reservations enabled, before any host can reach it.
 * Return: 0 with *@store set; *@img is the state to restore (the caller
 * frees it) or NULL if there is none (no file yet, or the last state saved
 * had PTPL off).  A negative errno, with a pr_err() naming the namespace
 * and the file, if the file is corrupt, truncated or belongs to another
 * namespace (-EBADMSG, -EINVAL) or cannot be read: the enable then fails.
 */
int nvmet_pr_store_open(struct nvmet_ns *ns, struct nvmet_pr_store **store,
			struct nvmet_pr_image **img);

/*
 * nvmet_pr_store_save() - make @img the durable state
 *
 * Called after each change while PTPL is on, and once with @img->ptpl
 * false when a host turns it off.  Durable (written and flushed) when it
 * returns 0; on failure the old state is still the durable one, and the
 * caller fails the command that made the change and keeps its old state.
 * Context: process context, may sleep; the caller serialises saves of one
 * store.
 */
int nvmet_pr_store_save(struct nvmet_pr_store *store,
			const struct nvmet_pr_image *img);

/* nvmet_pr_store_close() - at disable; the durable state stays. */
void nvmet_pr_store_close(struct nvmet_pr_store *store);

#endif /* _NVMET_PR_STORE_H */
