// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reservation state persistence (see pr_store.h).  For now a store that
 * has nothing to restore and cannot save: a host that asks for PTPL is
 * refused.  The state file replaces it.
 */
#include <linux/slab.h>
#include <linux/overflow.h>
#include "pr_store.h"

struct nvmet_pr_store {
	struct nvmet_ns *ns;
};

struct nvmet_pr_image *nvmet_pr_image_alloc(u32 nr_regs)
{
	struct nvmet_pr_image *img;

	if (nr_regs > NVMET_PR_MAX_REGS)
		return NULL;
	img = kvzalloc(struct_size(img, regs, nr_regs), GFP_KERNEL);
	if (img) {
		img->nr_regs = nr_regs;
		img->holder = NVMET_PR_NO_HOLDER;
	}
	return img;
}

void nvmet_pr_image_free(struct nvmet_pr_image *img)
{
	kvfree(img);
}

int nvmet_pr_store_open(struct nvmet_ns *ns, struct nvmet_pr_store **store,
			struct nvmet_pr_image **img)
{
	*img = NULL;
	*store = kzalloc(sizeof(**store), GFP_KERNEL);
	if (!*store)
		return -ENOMEM;
	(*store)->ns = ns;
	return 0;
}

int nvmet_pr_store_save(struct nvmet_pr_store *store,
			const struct nvmet_pr_image *img)
{
	return img->ptpl ? -EOPNOTSUPP : 0;
}

void nvmet_pr_store_close(struct nvmet_pr_store *store)
{
	kfree(store);
}
