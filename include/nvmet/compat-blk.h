/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility layer, block devices.  See include/nvmet/compat.h.
 */
#ifndef _NVMET_COMPAT_BLK_H
#define _NVMET_COMPAT_BLK_H

#include <linux/blk-integrity.h>
#include <linux/blk-mq.h>
#include <linux/crc64.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/t10-pi.h>

#include <nvmet/compat.h>

#ifdef HAVE_LINUX_BIO_INTEGRITY_H
#include <linux/bio-integrity.h>
#else
#include <linux/bio.h>
#endif

/**
 * nvmet_bdev_file_open() - open a block device read-write, shared
 * @path: the device's path
 *
 * Not exclusively: the holder is NULL, as in-tree.  Kernels that cannot
 * open a block device as a file with bdev_file_open_by_path() open the
 * device node with filp_open(), which reaches the same block device.
 *
 * Context: process context; may sleep.
 * Return: the open file, which fput() closes; ERR_PTR(-ENOTBLK) if @path is
 * not a block device, or another ERR_PTR() from the open.
 */
static inline struct file *nvmet_bdev_file_open(const char *path)
{
#ifdef HAVE_BDEV_FILE_OPEN_BY_PATH
	return bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				      NULL, NULL);
#else
	struct file *f = filp_open(path, O_RDWR | O_LARGEFILE, 0);

	if (!IS_ERR(f) && !S_ISBLK(file_inode(f)->i_mode)) {
		fput(f);
		return ERR_PTR(-ENOTBLK);
	}
	return f;
#endif
}

#ifndef HAVE_FILE_BDEV
/* The block device of a file nvmet_bdev_file_open() opened. */
static inline struct block_device *file_bdev(struct file *f)
{
	return I_BDEV(f->f_mapping->host);
}
#endif

#ifndef HAVE_BDEV_ROT
/* Whether @bdev is rotational: kernels before 7.x ask the other way round. */
static inline bool bdev_rot(struct block_device *bdev)
{
	return !bdev_nonrot(bdev);
}
#endif

/* The type of the NUMA node blk_mq_ops.init_request() gets. */
#ifdef HAVE_BLK_MQ_INIT_REQUEST_INT_NODE
#define nvmet_numa_node_t	int
#else
#define nvmet_numa_node_t	unsigned int
#endif

/* blk_rq_map_sg() of @rq into @sgl. Return: the entries used. */
static inline int nvmet_blk_rq_map_sg(struct request *rq,
				      struct scatterlist *sgl)
{
#ifdef HAVE_BLK_RQ_MAP_SG_RQ
	return blk_rq_map_sg(rq, sgl);
#else
	return blk_rq_map_sg(rq->q, rq, sgl);
#endif
}

#ifdef CONFIG_BLK_DEV_ZONED
/**
 * nvmet_blkdev_zone_mgmt() - blkdev_zone_mgmt() on every kernel
 * @bdev: the zoned block device
 * @op: REQ_OP_ZONE_OPEN, _CLOSE, _FINISH or _RESET
 * @sector: the first sector, zone aligned
 * @nr_sectors: how many, whole zones
 *
 * Context: Process context; waits for the device.
 * Return: 0 or -errno.
 */
static inline int nvmet_blkdev_zone_mgmt(struct block_device *bdev,
					 enum req_op op, sector_t sector,
					 sector_t nr_sectors)
{
#ifdef HAVE_BLKDEV_ZONE_MGMT_NOGFP
	return blkdev_zone_mgmt(bdev, op, sector, nr_sectors);
#else
	return blkdev_zone_mgmt(bdev, op, sector, nr_sectors, GFP_KERNEL);
#endif
}
#endif

/**
 * nvmet_bio_add_append_page() - add a page to a Zone Append bio
 * @bio: the bio (REQ_OP_ZONE_APPEND)
 * @page: the page
 * @len: bytes of it
 * @off: from this offset
 *
 * Return: @len if added, else less.
 */
static inline int nvmet_bio_add_append_page(struct bio *bio,
					    struct page *page,
					    unsigned int len, unsigned int off)
{
#ifdef HAVE_BIO_ADD_ZONE_APPEND_PAGE
	return bio_add_zone_append_page(bio, page, len, off);
#else
	return bio_add_page(bio, page, len, off);
#endif
}

#ifndef CONFIG_BLK_DEV_INTEGRITY
/*
 * Without integrity support no device has a profile (nvmet_bdev_pi_type()
 * is 0), so no payload is built; the headers define no bip_set_seed().
 */
static inline void bip_set_seed(struct bio_integrity_payload *bip,
				sector_t seed)
{
}
#endif

/* Bytes of metadata per interval of an integrity profile. */
static inline unsigned int nvmet_bi_metadata_size(struct blk_integrity *bi)
{
#ifdef HAVE_BLK_INTEGRITY_METADATA_SIZE
	return bi->metadata_size;
#else
	return bi->tuple_size;
#endif
}

/*
 * The NVMe 64-bit guard's CRC (NVM Command Set, CRC-64/NVME, with its
 * inversions) of @len bytes at @p, continuing @crc (0 to start):
 * crc64_nvme() on 7.x, crc64_rocksoft_update() before, the same CRC.
 * A kernel without it (a KUnit graft without BLK_DEV_INTEGRITY, which
 * selects it) has NVMET_CRC64_PI 0, and nvmet_bdev_pi_type() then takes
 * no 64-bit guard profile: this is never called there.
 */
#if defined(HAVE_CRC64_NVME) && IS_REACHABLE(CONFIG_CRC64)
#define NVMET_CRC64_PI	1
static inline u64 nvmet_crc64_pi(u64 crc, const void *p, size_t len)
{
	return crc64_nvme(crc, p, len);
}
#elif !defined(HAVE_CRC64_NVME) && IS_REACHABLE(CONFIG_CRC64_ROCKSOFT)
#define NVMET_CRC64_PI	1
static inline u64 nvmet_crc64_pi(u64 crc, const void *p, size_t len)
{
	return crc64_rocksoft_update(crc, p, len);
}
#else
#define NVMET_CRC64_PI	0
static inline u64 nvmet_crc64_pi(u64 crc, const void *p, size_t len)
{
	return 0;
}
#endif

/**
 * nvmet_bdev_pi_type() - the T10 PI type of a block device's integrity
 *			  profile, as an NVMe namespace can report it
 * @bdev: the device
 * @size: set to the bytes of PI per logical block: 8 (16-bit CRC guard,
 *	  32-bit reference tag) or 16 (NVMe's 64-bit CRC guard, 48-bit
 *	  reference tag)
 *
 * Only metadata that is all PI, one tuple per logical block: 6.12 and
 * later say so in csum_type and pi_offset, 6.1 by the profile's name.
 * SCSI DIF types 1 and 2 look alike to the block layer (reference tags,
 * remapped to the LBA), so both are type 1.
 *
 * Context: Process context.
 * Return: NVME_NS_DPS_PI_TYPE1 for a profile with reference tags,
 * NVME_NS_DPS_PI_TYPE3 for one without, 0 for none or another kind.
 */
static inline u8 nvmet_bdev_pi_type(struct block_device *bdev, u8 *size)
{
	struct blk_integrity *bi = bdev_get_integrity(bdev);
	bool crc64, ref;

	if (!bi ||
	    bi->interval_exp != blksize_bits(bdev_logical_block_size(bdev)))
		return 0;
#ifdef HAVE_BLK_INTEGRITY_CSUM_TYPE
	if (bi->pi_offset || (bi->csum_type != BLK_INTEGRITY_CSUM_CRC &&
			      bi->csum_type != BLK_INTEGRITY_CSUM_CRC64))
		return 0;
	crc64 = bi->csum_type == BLK_INTEGRITY_CSUM_CRC64;
	ref = bi->flags & BLK_INTEGRITY_REF_TAG;
#else
	if (!bi->profile || !bi->profile->name)
		return 0;
	crc64 = !strcmp(bi->profile->name, "EXT-DIF-TYPE1-CRC64") ||
		!strcmp(bi->profile->name, "EXT-DIF-TYPE3-CRC64");
	ref = !strcmp(bi->profile->name, "T10-DIF-TYPE1-CRC") ||
	      !strcmp(bi->profile->name, "EXT-DIF-TYPE1-CRC64");
	if (!crc64 && !ref && strcmp(bi->profile->name, "T10-DIF-TYPE3-CRC"))
		return 0;
#endif
	if (crc64 && !NVMET_CRC64_PI)
		return 0;
	*size = crc64 ? sizeof(struct crc64_pi_tuple) :
			sizeof(struct t10_pi_tuple);
	if (nvmet_bi_metadata_size(bi) != *size)
		return 0;
	return ref ? NVME_NS_DPS_PI_TYPE1 : NVME_NS_DPS_PI_TYPE3;
}

/*
 * Ask the device to check the guard and, with @ref, the reference tags
 * of a payload we built: 7.x devices check what the bip's flags ask; before,
 * every payload was checked.
 */
static inline void nvmet_bip_set_checks(struct bio_integrity_payload *bip,
					bool ref)
{
#ifdef BIP_CHECK_FLAGS
	bip->bip_flags |= BIP_CHECK_GUARD | (ref ? BIP_CHECK_REFTAG : 0);
#endif
}

/*
 * Ask the device to check nothing of a payload we built (every read's,
 * and a write's whose PRCHK leaves a check out, bdev_pi.c): the disk's own
 * checks off (a SCSI disk's RDPROTECT or WRPROTECT 3) and, before 7.x,
 * the HBA's (BIP_CTRL_NOCHECK); on 7.x no BIP_CHECK_* flag asks for any.
 * A read's PI comes back as stored, a write's is stored as given.
 */
static inline void nvmet_bip_set_nocheck(struct bio_integrity_payload *bip)
{
	bip->bip_flags |= BIP_DISK_NOCHECK;
#ifndef BIP_CHECK_FLAGS
	bip->bip_flags |= BIP_CTRL_NOCHECK;
#endif
}

/*
 * NVMET_RQ_END_IO_PARAMS: the parameters of a request's end_io callback,
 * the request (rq) and its blk_status_t (err), plus the completion batch
 * where the kernel passes one (7.x).
 */
#ifdef HAVE_RQ_END_IO_BATCH
#define NVMET_RQ_END_IO_PARAMS						\
	struct request *rq, blk_status_t err, const struct io_comp_batch *iob
#else
#define NVMET_RQ_END_IO_PARAMS	struct request *rq, blk_status_t err
#endif

#endif /* _NVMET_COMPAT_BLK_H */
