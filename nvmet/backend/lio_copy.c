// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copy (19h) on a lio namespace as the backstore's own copy path: each
 * source range the core hands to the backend's copy() becomes SCSI
 * EXTENDED COPY (LID1) within the backstore, which target-core
 * (target_core_xcopy.c) runs itself, reading and writing the device
 * without the data crossing to us.
 *
 * The parameter list names the backstore twice, as the source and as
 * the destination CSCD (identification descriptors, E4h), by the NAA
 * designator of its Device Identification page (INQUIRY VPD 83h, read
 * through the host's own session: target-core matches the E4h
 * descriptors against the designator it reports there, among the LUNs
 * of the session's ACL; it reports one only for a backstore with a unit
 * serial, vpd_unit_serial, which targetcli always sets: without one
 * every range is the core's), then block-to-block segment descriptors (02h)
 * of the range, as many a command and as many blocks a segment as
 * RECEIVE COPY RESULTS' operating parameters allow (target-core: one
 * segment a command, 16-bit block counts).  The command goes through the
 * host's session, as every other command of the namespace.  FUA becomes
 * SYNCHRONIZE CACHE(16) of the destination range after the copy
 * (target-core's copy writes without it).
 *
 * Any failure of these commands (EXTENDED COPY turned off under the
 * namespace, emulate_3pc 0; COPY ABORTED; a reservation, which
 * target-core checks its own internal READ and WRITE against as another
 * nexus's) makes the range go back to the core (-EOPNOTSUPP), which
 * copies it whole again with READ and WRITE through the host's session:
 * those have the statuses of the other I/O paths (Reservation Conflict,
 * LBA Out of Range...), and a range partly copied is copied again whole
 * (the ranges do not overlap their destinations).  Only a source in
 * another backstore (formats 2h, 3h: another namespace on another
 * backstore) is not tried at all.
 *
 * Conventions: @req is a Copy on an enabled lio namespace, the caller is
 * a work item (nvmet_lio_run() waits).
 */
#include <linux/minmax.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>
#include <target/target_core_base.h>

#include <nvmet/backend.h>
#include <nvmet/compat-lib.h>
#include <nvmet/ns.h>
#include <nvmet/req.h>
#include "lio.h"

/* The parameter list of EXTENDED COPY (LID1), SPC-4 6.4.3 */
#define NVMET_LIO_XC_HDR	16
#define NVMET_LIO_XC_CSCD	32	/* one CSCD descriptor */
#define NVMET_LIO_XC_SEG	28	/* one block-to-block segment */
#define NVMET_LIO_XC_SEGS	8	/* the most segments one of ours has */
/* LIST ID USAGE 11b: no list identifier, nothing held (SNLID) */
#define NVMET_LIO_XC_NOLIST	0x18
#define NVMET_LIO_XC_E4		0xe4	/* identification descriptor */
#define NVMET_LIO_XC_B2B	0x02	/* block device to block device */
/* an E4h descriptor's designator: binary, of the LU, NAA, 16 bytes */
#define NVMET_LIO_NAA_LEN	16
#define NVMET_LIO_CS_BINARY	0x01
#define NVMET_LIO_DT_NAA	0x03
#define NVMET_LIO_NAA_REGEXT	0x60	/* NAA 6h, IEEE Registered Extended */
/* INQUIRY's EVPD bit, the Device Identification page and our length */
#define NVMET_LIO_EVPD		0x01
#define NVMET_LIO_VPD_DEVID	0x83
#define NVMET_LIO_VPD_LEN	255
/* RECEIVE COPY RESULTS: OPERATING PARAMETERS and what we read of it */
#define NVMET_LIO_RCR_OPPARAM	0x03
#define NVMET_LIO_RCR_LEN	64	/* target-core wants at least 54 */

/**
 * struct nvmet_lio_xcopy - what one range's EXTENDED COPY commands need
 * @naa: the backstore's NAA designator
 * @segs: block-to-block segments a command
 * @seg_blocks: blocks a segment
 * @buf: the parameter list (and first the pages read), kmalloc'ed
 */
struct nvmet_lio_xcopy {
	u8 naa[NVMET_LIO_NAA_LEN];
	u32 segs;
	u32 seg_blocks;
	u8 *buf;
};

#define NVMET_LIO_XC_BUF	max3(NVMET_LIO_XC_HDR + 2 * NVMET_LIO_XC_CSCD + \
				     NVMET_LIO_XC_SEGS * NVMET_LIO_XC_SEG, \
				     NVMET_LIO_VPD_LEN, NVMET_LIO_RCR_LEN)

/* The NAA designator of the Device Identification page into @xc. */
static int nvmet_lio_xcopy_naa(struct nvmet_req *req,
			       struct nvmet_lio_xcopy *xc)
{
	u8 cdb[6] = { INQUIRY, NVMET_LIO_EVPD, NVMET_LIO_VPD_DEVID, 0,
		      NVMET_LIO_VPD_LEN };
	const u8 *p = xc->buf, *d;
	u32 len;

	memset(xc->buf, 0, NVMET_LIO_VPD_LEN);
	if (nvmet_lio_run(req, cdb, sizeof(cdb), xc->buf, NVMET_LIO_VPD_LEN,
			  DMA_FROM_DEVICE))
		return -EOPNOTSUPP;
	len = min_t(u32, get_unaligned_be16(&p[2]) + 4, NVMET_LIO_VPD_LEN);
	for (d = p + 4; d + 4 <= p + len && d + 4 + d[3] <= p + len;
	     d += 4 + d[3]) {
		/* association 00b (the LU), type NAA, NAA 6h: xcopy's own */
		if ((d[0] & 0x0f) != NVMET_LIO_CS_BINARY ||
		    (d[1] & 0x3f) != NVMET_LIO_DT_NAA ||
		    d[3] != NVMET_LIO_NAA_LEN ||
		    (d[4] & 0xf0) != NVMET_LIO_NAA_REGEXT)
			continue;
		memcpy(xc->naa, d + 4, NVMET_LIO_NAA_LEN);
		return 0;
	}
	return -EOPNOTSUPP;
}

/*
 * The backstore's limits of EXTENDED COPY into @xc: segments a command
 * (within its descriptor list length), bytes a segment, in blocks of
 * @shift; and the 16 bits of a segment's block count.
 */
static int nvmet_lio_xcopy_limits(struct nvmet_req *req,
				  struct nvmet_lio_xcopy *xc, u8 shift)
{
	u8 cdb[16] = { RECEIVE_COPY_RESULTS, NVMET_LIO_RCR_OPPARAM };
	const u8 *p = xc->buf;
	u32 list, seg_len;

	memset(xc->buf, 0, NVMET_LIO_RCR_LEN);
	put_unaligned_be32(NVMET_LIO_RCR_LEN, &cdb[10]);
	if (nvmet_lio_run(req, cdb, sizeof(cdb), xc->buf, NVMET_LIO_RCR_LEN,
			  DMA_FROM_DEVICE))
		return -EOPNOTSUPP;
	/* MAXIMUM CSCD DESCRIPTOR COUNT: ours has two */
	if (get_unaligned_be16(&p[8]) < 2)
		return -EOPNOTSUPP;
	list = get_unaligned_be32(&p[12]);
	if (list < 2 * NVMET_LIO_XC_CSCD + NVMET_LIO_XC_SEG)
		return -EOPNOTSUPP;
	xc->segs = min3((u32)get_unaligned_be16(&p[10]),
			(list - 2 * NVMET_LIO_XC_CSCD) / NVMET_LIO_XC_SEG,
			(u32)NVMET_LIO_XC_SEGS);
	seg_len = get_unaligned_be32(&p[16]);
	xc->seg_blocks = min_t(u32, seg_len >> shift, U16_MAX);
	return xc->segs && xc->seg_blocks ? 0 : -EOPNOTSUPP;
}

/* The E4h descriptor at @p naming the backstore, blocks of @bs bytes. */
static void nvmet_lio_xcopy_cscd(u8 *p, const struct nvmet_lio_xcopy *xc,
				 u32 bs)
{
	p[0] = NVMET_LIO_XC_E4;
	/* byte 1: PERIPHERAL DEVICE TYPE 00h, a block device */
	p[4] = NVMET_LIO_CS_BINARY;
	p[5] = NVMET_LIO_DT_NAA;
	p[7] = NVMET_LIO_NAA_LEN;
	memcpy(&p[8], xc->naa, NVMET_LIO_NAA_LEN);
	/* the block device type's parameters: DISK BLOCK LENGTH */
	put_unaligned_be24(bs, &p[29]);
}

/*
 * One EXTENDED COPY of up to xc->segs segments from *@slba to *@dlba,
 * at most *@nlb blocks, which it steps past.
 */
static int nvmet_lio_xcopy_one(struct nvmet_req *req,
			       struct nvmet_lio_xcopy *xc, u64 *slba,
			       u64 *dlba, u64 *nlb)
{
	u8 cdb[16] = { EXTENDED_COPY };
	u8 *p = xc->buf, *seg;
	u32 n, len, i;

	memset(p, 0, NVMET_LIO_XC_BUF);
	p[1] = NVMET_LIO_XC_NOLIST;
	put_unaligned_be16(2 * NVMET_LIO_XC_CSCD, &p[2]);
	nvmet_lio_xcopy_cscd(p + NVMET_LIO_XC_HDR, xc,
			     1U << req->ns->blksize_shift);
	nvmet_lio_xcopy_cscd(p + NVMET_LIO_XC_HDR + NVMET_LIO_XC_CSCD, xc,
			     1U << req->ns->blksize_shift);
	seg = p + NVMET_LIO_XC_HDR + 2 * NVMET_LIO_XC_CSCD;
	for (i = 0; i < xc->segs && *nlb; i++, seg += NVMET_LIO_XC_SEG) {
		n = min_t(u64, *nlb, xc->seg_blocks);
		seg[0] = NVMET_LIO_XC_B2B;
		put_unaligned_be16(NVMET_LIO_XC_SEG - 4, &seg[2]);
		/* source CSCD 0, destination CSCD 1 */
		put_unaligned_be16(0, &seg[4]);
		put_unaligned_be16(1, &seg[6]);
		put_unaligned_be16(n, &seg[10]);
		put_unaligned_be64(*slba, &seg[12]);
		put_unaligned_be64(*dlba, &seg[20]);
		*slba += n;
		*dlba += n;
		*nlb -= n;
	}
	put_unaligned_be32(i * NVMET_LIO_XC_SEG, &p[8]);
	len = seg - p;
	put_unaligned_be32(len, &cdb[10]);
	if (nvmet_lio_run(req, cdb, sizeof(cdb), p, len, DMA_TO_DEVICE))
		return -EOPNOTSUPP;
	return 0;
}

/* SYNCHRONIZE CACHE(16) of @nlb blocks from @lba: the copy is durable. */
static int nvmet_lio_xcopy_sync(struct nvmet_req *req, u64 lba, u64 nlb)
{
	u8 cdb[16] = { SYNCHRONIZE_CACHE_16 };

	put_unaligned_be64(lba, &cdb[2]);
	put_unaligned_be32(min_t(u64, nlb, U32_MAX), &cdb[10]);
	return nvmet_lio_run(req, cdb, sizeof(cdb), NULL, 0, DMA_NONE) ?
	       -EOPNOTSUPP : 0;
}

/**
 * nvmet_lio_copy() - the lio backend's copy(): a range of a Copy as
 *		      EXTENDED COPY within the backstore
 * @req: the Copy, on @dst
 * @dst: the destination namespace, lio, enabled
 * @dpos: the byte the range goes to
 * @src: the source namespace, of the same backend
 * @spos: the range's first byte
 * @len: its bytes, whole blocks
 * @fua: make the copy durable
 *
 * Context: Process context (a work item of @dst); waits for the commands.
 * Return: 0, -EREMOTEIO for a range past the end of the backstore (it
 * shrank since the core's check), -EOPNOTSUPP where the core is to copy
 * the range itself, -ENOMEM.
 */
int nvmet_lio_copy(struct nvmet_req *req, struct nvmet_ns *dst, loff_t dpos,
		   struct nvmet_ns *src, loff_t spos, u64 len, bool fua)
{
	struct se_device *dev = nvmet_lio_dev(dst);
	u8 shift = dst->blksize_shift;
	u64 slba = spos >> shift, dlba = dpos >> shift, nlb = len >> shift;
	u64 cap = nvmet_lio_capacity(dev), first = dlba, all = nlb;
	struct nvmet_lio_xcopy xc = { };
	int ret;

	if (nvmet_lio_dev(src) != dev)
		return -EOPNOTSUPP;
	/* checked before the first command: nothing written past the end */
	if (spos + len > cap || dpos + len > cap)
		return -EREMOTEIO;
	xc.buf = kmalloc(NVMET_LIO_XC_BUF, GFP_KERNEL);
	if (!xc.buf)
		return -ENOMEM;
	ret = nvmet_lio_xcopy_naa(req, &xc);
	if (!ret)
		ret = nvmet_lio_xcopy_limits(req, &xc, shift);
	while (!ret && nlb)
		ret = nvmet_lio_xcopy_one(req, &xc, &slba, &dlba, &nlb);
	if (!ret && fua)
		ret = nvmet_lio_xcopy_sync(req, first, all);
	kfree(xc.buf);
	return ret;
}
