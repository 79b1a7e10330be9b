// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protection information on the bdev backend.  A block device whose
 * integrity profile is T10 PI with a 16-bit guard, 8 bytes per logical
 * block, or NVMe's 64-bit guard PI, 16 bytes (CRC-64/NVME guard, 48-bit
 * reference tag), is a namespace with that PI while NVMET_BF_PI is on
 * (ns->pi_size says which); each read and write then carries an integrity
 * payload built here:
 *
 * - PRACT 1: a write's PI is generated from its data, the command's ILBRT
 *   and LBAT (the host sends none), so the device checks every write; a
 *   read's PI is checked per the command's PRCHK bits against EILBRT,
 *   ELBAT and ELBATM, then dropped;
 * - PRACT 0 (extended LBAs: each block of the host's data is followed by
 *   its 8 or 16 bytes of PI): a write's data and PI are split apart, the PI
 *   checked per PRCHK against ILBRT, LBAT and LBATM, and it goes to the
 *   device as the payload, which the device checks again if PRCHK asked
 *   for all it checks (else the PI is stored as sent); a read's PI is
 *   checked per PRCHK and goes to the host after each block.
 *
 * No read has the device check its PI: the stored PI comes back as it is
 * and is checked here per the command's PRCHK, so a wrong tag is its own
 * status (282h, 283h, 284h, the failing LBA in the error log), not the
 * device's "a check failed", and PRCHK 0 reads blocks whose PI is stale.
 * A Verify's read (the Read of a Verify's stage carries the Verify's
 * opcode, stage.c) is checked the same way against EILBRT, ELBAT and
 * ELBATM; its data is the blocks alone, into the stage's buffer, and the
 * PI goes nowhere.
 *
 * Write Zeroes writes zeroes from the zero page with PI of ours, never
 * through REQ_OP_WRITE_ZEROES: a SCSI disk's WRITE SAME leaves the old PI
 * in place (scsi_debug does), which then fails every read.  PRACT 1: the
 * guard of zeroes (0), LBAT and ILBRT as for a write; PRACT 0: PI of all
 * zeroes (NVM Command Set, Write Zeroes; as QEMU's controller), except a
 * type 1 reference tag, which is the LBA, the only one the device takes.
 *
 * Not the block layer's own generate and verify: they know no LBAT, PRCHK
 * or ILBRT, and an administrator can switch them off in sysfs
 * (integrity/write_generate), which would leave writes unprotected.
 *
 * Reference tags (type 1): the payload's seed is the command's ILBRT, so
 * the block layer maps ILBRT + i to the LBA on the way to the device and
 * back on the way up, as for any virtual reference tag; the device checks
 * them against the LBA.  Type 3 has no increment and no remapping: ILBRT
 * is every block's tag.  With PRACT 0 the host's tags are the stored
 * ones: type 1's seed is then the LBA itself, so nothing is remapped.
 *
 * Conventions:
 * @pi: the PI of one read or write in flight
 * @req: its request, on a namespace with NVMET_BF_PI on
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/crc-t10dif.h>
#include <linux/crc64.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/t10-pi.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <nvmet/compat-blk.h>
#include <nvmet/compat-lib.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "backends.h"

/**
 * struct nvmet_bdev_pi - the PI of one read or write
 * @req: the request
 * @work: checks a read's PI in process context (ns->backend_wq)
 * @sg: the data the bios carry: req->sg, or a bounce buffer
 * @nents: entries of @sg
 * @bounced: @sg is a bounce buffer of ours (nvmet_bdev_sg_aligned(), or
 *	     the data of extended LBAs)
 * @zeroes: @sg is a list of the zero page (Write Zeroes), ours to free
 * @write: the bios write (a Write or Write Zeroes)
 * @ext: PRACT 0, the host's PI in extended LBAs in req->sg
 * @verify: a Verify's read: tags checked as stored (type 1: from the LBA)
 * @type: NVME_NS_DPS_PI_TYPE1 or NVME_NS_DPS_PI_TYPE3
 * @size: bytes of a tuple: 8 (struct t10_pi_tuple) or 16 (struct
 *	  crc64_pi_tuple, the 64-bit guard)
 * @checks: NVME_RW_PRINFO_PRCHK_* bits to check
 * @slba: the first block
 * @nlb: blocks
 * @ref: the reference tag of the first block (ILBRT, EILBRT; 32 or 48
 *	 bits)
 * @app: the application tag (LBAT, ELBAT)
 * @app_mask: its bits to check (ELBATM)
 * @tuples: one per block of @size bytes, what the payload carries
 *	    (nvmet_bdev_pi_get(), nvmet_bdev_pi_set()); 8-byte aligned, so
 *	    that no tuple straddles a page: the block layer's reference
 *	    tag remapping and a SCSI HBA (scsi_debug) walk the payload a page
 *	    at a time, a tuple from each page's start (a payload of more than
 *	    about 500 tuples failed the disk's reference tag check before)
 */
struct nvmet_bdev_pi {
	struct nvmet_req	*req;
	struct work_struct	work;
	struct scatterlist	*sg;
	unsigned int		nents;
	bool			bounced;
	bool			zeroes;
	bool			write;
	bool			ext;
	bool			verify;
	u8			type;
	u8			size;
	u16			checks;
	u64			slba;
	u32			nlb;
	u64			ref;
	u16			app;
	u16			app_mask;
	u8			tuples[] __aligned(8);
};

/* One tuple's tags, whatever the format; @ref is 32 or 48 bits. */
struct nvmet_bdev_pi_tags {
	u64	guard;
	u16	app;
	u64	ref;
};

/* The tags of block @i's tuple. */
static void nvmet_bdev_pi_get(const struct nvmet_bdev_pi *pi, u32 i,
			      struct nvmet_bdev_pi_tags *t)
{
	const void *p = pi->tuples + (size_t)i * pi->size;

	if (nvmet_ns_pi64(pi->req->ns)) {
		const struct crc64_pi_tuple *e = p;

		t->guard = be64_to_cpu(e->guard_tag);
		t->app = be16_to_cpu(e->app_tag);
		t->ref = get_unaligned_be48(e->ref_tag);
	} else {
		const struct t10_pi_tuple *e = p;

		t->guard = be16_to_cpu(e->guard_tag);
		t->app = be16_to_cpu(e->app_tag);
		t->ref = be32_to_cpu(e->ref_tag);
	}
}

/* Set block @i's tuple to @guard, @app and @ref. */
static void nvmet_bdev_pi_set(struct nvmet_bdev_pi *pi, u32 i, u64 guard,
			      u16 app, u64 ref)
{
	void *p = pi->tuples + (size_t)i * pi->size;

	if (nvmet_ns_pi64(pi->req->ns)) {
		struct crc64_pi_tuple *e = p;

		e->guard_tag = cpu_to_be64(guard);
		e->app_tag = cpu_to_be16(app);
		put_unaligned_be48(ref, e->ref_tag);
	} else {
		struct t10_pi_tuple *e = p;

		e->guard_tag = cpu_to_be16(guard);
		e->app_tag = cpu_to_be16(app);
		e->ref_tag = cpu_to_be32(ref);
	}
}

/**
 * nvmet_bdev_pi_open() - does the device have PI a namespace can report?
 * @ns: the namespace, being opened
 * @bdev: its block device
 *
 * Sets ns->pi_type, or takes NVMET_BF_PI away.
 */
void nvmet_bdev_pi_open(struct nvmet_ns *ns, struct block_device *bdev)
{
	lockdep_assert_held(&ns->lock);
	ns->pi_type = nvmet_bdev_pi_type(bdev, &ns->pi_size);
	if (!ns->pi_type) {
		ns->pi_size = 0;
		ns->features &= ~NVMET_BF_PI;
	}
}

/* The reference tag of block @i: type 1's wraps at 32 (48) bits. */
static u64 nvmet_bdev_pi_ref(const struct nvmet_bdev_pi *pi, u32 i)
{
	return pi->type == NVME_NS_DPS_PI_TYPE1 ?
	       (pi->ref + i) & nvmet_ns_pi_ref_mask(pi->req->ns) : pi->ref;
}

/*
 * Does @req carry the host's PI in extended LBAs (PRACT 0)?  The parser
 * made its transfer @nlb blocks with their PI each (io.c); the core's
 * own reads and writes, also without PRACT, carry their blocks only.
 */
static bool nvmet_bdev_pi_is_ext(const struct nvmet_req *req, u32 nlb)
{
	return !(req->cmd->rw.control & cpu_to_le16(NVME_RW_PRINFO_PRACT)) &&
	       req->ns->pi_size &&
	       req->data_len == (u64)nlb * ((1U << req->ns->blksize_shift) +
					    req->ns->pi_size);
}

/* The blocks a read or write names. */
static u32 nvmet_bdev_pi_nlb(const struct nvmet_req *req)
{
	return le16_to_cpu(req->cmd->rw.length) + 1;
}

/**
 * nvmet_bdev_pi_ext() - does @req carry the host's PI in extended LBAs?
 * @req: a read or write of a bdev namespace
 *
 * Such a request goes to nvmet_bdev_pi_rw() even if NVMET_BF_PI went off
 * since it was parsed: its data is not the blocks alone.
 *
 * Context: Any context.
 * Return: true if PRACT is clear and the transfer is the extended length.
 */
bool nvmet_bdev_pi_ext(const struct nvmet_req *req)
{
	return nvmet_bdev_pi_is_ext(req, nvmet_bdev_pi_nlb(req));
}

/*
 * What the command asks.  Without PRACT and extended LBAs, and not a
 * Verify's, it is the core's own read or write (Compare with PRACT 1,
 * Copy): the LBA's reference tag, no application tag, guard and
 * reference checked.  With extended LBAs and for a Verify the stored
 * tags are checked, type 1's seeded with the LBA: a stage's SLBA is not
 * the host command's, whose EILBRT the parser made its SLBA (io.c).
 */
static void nvmet_bdev_pi_init(struct nvmet_bdev_pi *pi,
			       struct nvmet_req *req, u32 nlb)
{
	struct nvme_command *cmd = req->cmd;
	u16 control = le16_to_cpu(cmd->rw.control);
	u32 cdw15 = le32_to_cpu(cmd->common.cdw15);

	pi->req = req;
	pi->type = req->ns->pi_type;
	pi->size = req->ns->pi_size;
	pi->slba = le64_to_cpu(cmd->rw.slba);
	pi->nlb = nlb;
	pi->bounced = false;
	pi->zeroes = false;
	pi->write = nvme_is_write(cmd);
	pi->ext = nvmet_bdev_pi_is_ext(req, nlb);
	pi->verify = cmd->common.opcode == nvme_cmd_verify;
	if ((control & NVME_RW_PRINFO_PRACT) || pi->ext || pi->verify) {
		pi->ref = nvmet_pi_cmd_ref(req->ns, cmd);
		/* type 1, the stored tags: seeded with the LBA */
		if ((pi->ext || pi->verify) &&
		    pi->type == NVME_NS_DPS_PI_TYPE1)
			pi->ref = pi->slba & nvmet_ns_pi_ref_mask(req->ns);
		pi->app = cdw15 & 0xffff;
		pi->app_mask = cdw15 >> 16;
		pi->checks = control & NVMET_PRCHK_ALL;
	} else {
		pi->ref = pi->slba & nvmet_ns_pi_ref_mask(req->ns);
		pi->app = 0;
		pi->app_mask = 0;
		pi->checks = NVME_RW_PRINFO_PRCHK_GUARD;
		if (pi->type == NVME_NS_DPS_PI_TYPE1)
			pi->checks |= NVME_RW_PRINFO_PRCHK_REF;
	}
}

/*
 * Call @fn with the guard (CRC T10-DIF, or CRC-64/NVME for the 64-bit
 * guard) of each block of @pi's data, in order, until it returns a
 * status.  Blocks may span entries of the list.
 */
static u16 nvmet_bdev_pi_walk(struct nvmet_bdev_pi *pi,
			      u16 (*fn)(struct nvmet_bdev_pi *pi, u32 i,
					u64 guard))
{
	u32 bs = 1U << pi->req->ns->blksize_shift, left = bs, i = 0;
	bool pi64 = nvmet_ns_pi64(pi->req->ns);
	struct sg_mapping_iter m;
	u16 status = 0;
	u64 crc = 0;

	sg_miter_start(&m, pi->sg, pi->nents, SG_MITER_FROM_SG);
	while (!status && i < pi->nlb && sg_miter_next(&m)) {
		size_t off = 0;

		while (!status && off < m.length && i < pi->nlb) {
			size_t n = min_t(size_t, m.length - off, left);

			if (pi64)
				crc = nvmet_crc64_pi(crc, m.addr + off, n);
			else
				crc = crc_t10dif_update(crc, m.addr + off, n);
			off += n;
			left -= n;
			if (left)
				continue;
			status = fn(pi, i++, crc);
			crc = 0;
			left = bs;
		}
	}
	sg_miter_stop(&m);
	return status;
}

/*
 * Move extended LBAs between req->sg, where each block is followed by its
 * PI, and @pi's data (@pi->sg) and tuples: to the host (a read) or from
 * it (a write).  Both lists are walked once, in step.
 */
static void nvmet_bdev_pi_xfer(struct nvmet_bdev_pi *pi, bool to_host)
{
	struct nvmet_req *req = pi->req;
	u32 bs = 1U << req->ns->blksize_shift;
	u32 ebs = bs + pi->size, in = 0, i = 0;
	struct sg_mapping_iter h, d;
	size_t hoff = 0, doff = 0;

	sg_miter_start(&h, req->sg, req->sg_cnt,
		       to_host ? SG_MITER_TO_SG : SG_MITER_FROM_SG);
	sg_miter_start(&d, pi->sg, pi->nents,
		       to_host ? SG_MITER_FROM_SG : SG_MITER_TO_SG);
	while (i < pi->nlb) {
		u8 *hp, *dp;
		size_t n;

		if (hoff == h.length) {
			if (!sg_miter_next(&h))
				break;
			hoff = 0;
		}
		hp = h.addr + hoff;
		if (in < bs) {
			if (doff == d.length) {
				if (!sg_miter_next(&d))
					break;
				doff = 0;
			}
			n = min3(h.length - hoff, d.length - doff,
				 (size_t)(bs - in));
			dp = d.addr + doff;
			doff += n;
		} else {
			n = min_t(size_t, h.length - hoff, ebs - in);
			dp = pi->tuples + (size_t)i * pi->size + in - bs;
		}
		if (to_host)
			memcpy(hp, dp, n);
		else
			memcpy(dp, hp, n);
		hoff += n;
		in += n;
		if (in == ebs) {
			in = 0;
			i++;
		}
	}
	sg_miter_stop(&d);
	sg_miter_stop(&h);
}

/* A write's PI for block @i (PRACT 1: inserted by the controller). */
static u16 nvmet_bdev_pi_fill(struct nvmet_bdev_pi *pi, u32 i, u64 guard)
{
	nvmet_bdev_pi_set(pi, i, guard, pi->app, nvmet_bdev_pi_ref(pi, i));
	return 0;
}

/*
 * A read's PI for block @i against what the command expects, per PRCHK.
 * An application tag of FFFFh (and, type 3, a reference tag of all ones:
 * FFFFFFFFh, FFFFFFFFFFFFh with the 64-bit guard) turns the checks of the
 * block off, as the specification has it.
 */
static u16 nvmet_bdev_pi_check(struct nvmet_bdev_pi *pi, u32 i, u64 guard)
{
	struct nvmet_bdev_pi_tags t;
	u16 status;

	nvmet_bdev_pi_get(pi, i, &t);
	if (t.app == 0xffff &&
	    (pi->type == NVME_NS_DPS_PI_TYPE1 ||
	     t.ref == nvmet_ns_pi_ref_mask(pi->req->ns)))
		return 0;
	if ((pi->checks & NVME_RW_PRINFO_PRCHK_GUARD) && t.guard != guard)
		status = NVME_SC_GUARD_CHECK;
	else if ((pi->checks & NVME_RW_PRINFO_PRCHK_APP) &&
		 ((t.app ^ pi->app) & pi->app_mask))
		status = NVME_SC_APPTAG_CHECK;
	else if ((pi->checks & NVME_RW_PRINFO_PRCHK_REF) &&
		 t.ref != nvmet_bdev_pi_ref(pi, i))
		status = NVME_SC_REFTAG_CHECK;
	else
		return 0;
	pi->req->error_slba = pi->slba + i;
	return status | NVME_STATUS_DNR;
}

/*
 * Does the device check @pi's payload too?  A write's, where the PI is
 * ours (PRACT 1, Write Zeroes, the core's own writes) or the host asked
 * for every check the device makes (the guard and, type 1, the reference
 * tag).  Never a read's: the checks of nvmet_bdev_pi_check() are the
 * command's, so a wrong stored reference tag is 284h where the device
 * would say only that a check failed, and what PRCHK leaves out is not
 * checked, a PRACT 0 write's stored as the host sent it.
 */
static bool nvmet_bdev_pi_device_checks(const struct nvmet_bdev_pi *pi)
{
	u16 all = NVME_RW_PRINFO_PRCHK_GUARD;

	if (!pi->write)
		return false;
	if (!pi->ext)
		return true;
	if (pi->type == NVME_NS_DPS_PI_TYPE1)
		all |= NVME_RW_PRINFO_PRCHK_REF;
	return (pi->checks & all) == all;
}

/**
 * nvmet_bdev_pi_attach() - give a bio of @pi's request its part of the PI
 * @pi: the PI
 * @bio: a bio of the request, all its pages added, not submitted
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int nvmet_bdev_pi_attach(struct nvmet_bdev_pi *pi, struct bio *bio)
{
	unsigned int shift = pi->req->ns->blksize_shift - SECTOR_SHIFT;
	u32 first = (bio->bi_iter.bi_sector >> shift) - pi->slba;
	u8 *p = pi->tuples + (size_t)first * pi->size;
	u32 size = (bio_sectors(bio) >> shift) * pi->size;
	struct bio_integrity_payload *bip;
	u32 len = size;

	bip = bio_integrity_alloc(bio, GFP_KERNEL,
				  DIV_ROUND_UP(offset_in_page(p) + len,
					       PAGE_SIZE));
	if (IS_ERR_OR_NULL(bip))
		return -ENOMEM;
	bip_set_seed(bip, nvmet_bdev_pi_ref(pi, first));
	if (nvmet_bdev_pi_device_checks(pi))
		nvmet_bip_set_checks(bip, pi->type == NVME_NS_DPS_PI_TYPE1);
	else
		nvmet_bip_set_nocheck(bip);
	while (len) {
		unsigned int off = offset_in_page(p);
		unsigned int n = min_t(u32, len, PAGE_SIZE - off);

		/* a Write Zeroes' tuples may be vmalloc()ed (kvmalloc()) */
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
							 virt_to_page(p);

		if (bio_integrity_add_page(bio, page, n, off) != n)
			return -ENOMEM;
		p += n;
		len -= n;
	}
	/* 6.12 and later count the pages added in it, 6.1 does not. */
	bip->bip_iter.bi_size = size;
	return 0;
}

/* Check a read's PI, copy a bounced read out, complete: any context. */
static void nvmet_bdev_pi_finish(struct nvmet_bdev_pi *pi, u16 status)
{
	struct nvmet_req *req = pi->req;

	if (!status && !pi->write) {
		status = nvmet_bdev_pi_walk(pi, nvmet_bdev_pi_check);
		if (!status && pi->ext)
			nvmet_bdev_pi_xfer(pi, true);
		else if (!status && pi->bounced)
			nvmet_bdev_sg_copy(req->sg, req->sg_cnt, pi->sg,
					   pi->nents, req->data_len);
	}
	if (pi->bounced)
		sgl_free(pi->sg);
	else if (pi->zeroes)
		kvfree(pi->sg);
	kvfree(pi);
	nvmet_req_complete(req, status);
}

static void nvmet_bdev_pi_read_work(struct work_struct *work)
{
	nvmet_bdev_pi_finish(container_of(work, struct nvmet_bdev_pi, work), 0);
}

/*
 * end_io of the last bio: any context.  A read's checks run in a work
 * item, not here: they read every byte.  A write's failed device check,
 * or a device error of that kind on a read (which asks for no check),
 * ends as BLK_STS_PROTECTION, which does not say which tag failed: the
 * guard, the first one checked.
 */
static void nvmet_bdev_pi_done(struct bio *bio)
{
	struct nvmet_bdev_pi *pi = bio->bi_private;
	struct nvmet_req *req = pi->req;
	blk_status_t sts = bio->bi_status;

	bio_put(bio);
	if (sts == BLK_STS_PROTECTION) {
		req->error_slba = pi->slba;
		nvmet_bdev_pi_finish(pi, NVME_SC_GUARD_CHECK | NVME_STATUS_DNR);
	} else if (sts || pi->write) {
		nvmet_bdev_pi_finish(pi, nvmet_bdev_status(req, sts));
	} else {
		INIT_WORK(&pi->work, nvmet_bdev_pi_read_work);
		queue_work(req->ns->backend_wq, &pi->work);
	}
}

/**
 * nvmet_bdev_pi_rw() - a read or write of a namespace with PI on
 * @req: the request, its transfer checked, req->sg_cnt not 0
 * @bounce: its buffer cannot go to the device as it is
 *
 * With extended LBAs the data always goes through a buffer of ours: the
 * PI in between is not the device's data.
 *
 * Context: Process context, the backend's rw().
 */
void nvmet_bdev_pi_rw(struct nvmet_req *req, bool bounce)
{
	u32 nlb = nvmet_bdev_pi_nlb(req);
	u32 len = nlb << req->ns->blksize_shift;
	bool write = nvme_is_write(req->cmd);
	struct nvmet_bdev_pi *pi;
	u16 status;

	pi = kmalloc(struct_size(pi, tuples, (size_t)nlb * req->ns->pi_size),
		     GFP_KERNEL | __GFP_NOWARN);
	if (!pi)
		goto nomem;
	nvmet_bdev_pi_init(pi, req, nlb);
	pi->sg = req->sg;
	pi->nents = req->sg_cnt;
	if (bounce || pi->ext) {
		pi->sg = sgl_alloc(len, GFP_KERNEL | __GFP_NOWARN, &pi->nents);
		if (!pi->sg) {
			kfree(pi);
			goto nomem;
		}
		pi->bounced = true;
	}
	if (write && pi->ext) {
		nvmet_bdev_pi_xfer(pi, false);
		status = nvmet_bdev_pi_walk(pi, nvmet_bdev_pi_check);
		if (status) {
			nvmet_bdev_pi_finish(pi, status);
			return;
		}
	} else if (write) {
		if (pi->bounced)
			nvmet_bdev_sg_copy(pi->sg, pi->nents, req->sg,
					   req->sg_cnt, len);
		nvmet_bdev_pi_walk(pi, nvmet_bdev_pi_fill);
	}
	nvmet_bdev_submit_sg(req, pi->sg, pi->nents, len, nvmet_bdev_pi_done,
			     pi, pi);
	return;
nomem:
	nvmet_req_complete(req, NVME_SC_INTERNAL);
}

/*
 * @len bytes of the zero page, in a list of ours: a Write Zeroes may be
 * 65536 blocks, more than a bounce buffer should be.
 */
static struct scatterlist *nvmet_bdev_pi_zero_sg(u32 len, unsigned int *nents)
{
	unsigned int i, n = DIV_ROUND_UP(len, PAGE_SIZE);
	struct scatterlist *sgl;

	sgl = kvmalloc_array(n, sizeof(*sgl), GFP_KERNEL);
	if (!sgl)
		return NULL;
	sg_init_table(sgl, n);
	for (i = 0; i < n; i++) {
		sg_set_page(&sgl[i], ZERO_PAGE(0), min_t(u32, len, PAGE_SIZE),
			    0);
		len -= sgl[i].length;
	}
	*nents = n;
	return sgl;
}

/**
 * nvmet_bdev_pi_write_zeroes() - Write Zeroes on a namespace with PI on
 * @req: the request (PRCHK checked clear at parsing, io.c)
 *
 * Writes zeroes with PI: PRACT 1 the guard of zeroes, LBAT and ILBRT;
 * PRACT 0 all zeroes, the reference tag of type 1 the LBA.  The guard is
 * that of zeroes: 0 for the CRC T10-DIF (its initial value 0), also with
 * PRACT 0; for the 64-bit guard the CRC of a block of zeroes, not 0 (its
 * inversions), with PRACT 0 too, as the device checks it.
 *
 * Context: Process context (the backend's deferred work).
 */
void nvmet_bdev_pi_write_zeroes(struct nvmet_req *req)
{
	u32 nlb = nvmet_bdev_pi_nlb(req);
	u32 len = nlb << req->ns->blksize_shift;
	u32 bs = 1U << req->ns->blksize_shift;
	struct nvmet_bdev_pi *pi;
	u64 guard = 0;
	u32 i;

	pi = kvmalloc(struct_size(pi, tuples, (size_t)nlb * req->ns->pi_size),
		      GFP_KERNEL);
	if (!pi)
		goto nomem;
	nvmet_bdev_pi_init(pi, req, nlb);
	pi->write = true;
	if (!(req->cmd->rw.control & cpu_to_le16(NVME_RW_PRINFO_PRACT))) {
		pi->ref = pi->type == NVME_NS_DPS_PI_TYPE1 ?
			  pi->slba & nvmet_ns_pi_ref_mask(req->ns) : 0;
		pi->app = 0;
	}
	pi->sg = nvmet_bdev_pi_zero_sg(len, &pi->nents);
	if (!pi->sg) {
		kvfree(pi);
		goto nomem;
	}
	pi->zeroes = true;
	/* PRACT 0 too: a device checking the 64-bit guard refuses 0 */
	for (i = 0; nvmet_ns_pi64(pi->req->ns) && i < bs; i += PAGE_SIZE)
		guard = nvmet_crc64_pi(guard, page_address(ZERO_PAGE(0)),
				       min_t(u32, PAGE_SIZE, bs - i));
	for (i = 0; i < nlb; i++)
		nvmet_bdev_pi_fill(pi, i, guard);
	nvmet_bdev_submit_sg(req, pi->sg, pi->nents, len, nvmet_bdev_pi_done,
			     pi, pi);
	return;
nomem:
	nvmet_req_complete(req, NVME_SC_INTERNAL);
}
