/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reservation state file's on-disk format (pr_store.c; the KUnit
 * suite crafts files with it).  Everything little-endian.
 *
 * The file is NVMET_PR_FILE_SIZE bytes: two slots of NVMET_PR_SLOT_SIZE
 * at offsets 0 and NVMET_PR_SLOT_SIZE.  A slot is a header of
 * NVMET_PR_HDR_SIZE bytes followed by @nr_regs registrants.  The CRC32
 * (crc32_le, seeded with ~0 and inverted, as zlib's) covers the header
 * up to @crc and then the registrants.  The valid slot with the highest
 * @seq is the state; a header of zeroes is a slot never written.
 */
#ifndef _NVMET_PR_STORE_FORMAT_H
#define _NVMET_PR_STORE_FORMAT_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "pr_store.h"

/* "NVMETPRS", read as a little-endian u64 */
#define NVMET_PR_MAGIC		0x535250544d45564eULL
#define NVMET_PR_VERSION	1
#define NVMET_PR_NQN_LEN	256
#define NVMET_PR_HDR_SIZE	512
#define NVMET_PR_SLOT_SIZE	(128 * 1024)
#define NVMET_PR_NR_SLOTS	2
#define NVMET_PR_FILE_SIZE	(NVMET_PR_NR_SLOTS * NVMET_PR_SLOT_SIZE)

/**
 * struct nvmet_pr_disk_hdr - a slot's header
 * @magic: NVMET_PR_MAGIC
 * @version: NVMET_PR_VERSION
 * @hdr_size: NVMET_PR_HDR_SIZE
 * @seq: sequence number, one more than the slot it replaced
 * @length: bytes of registrants after the header, @nr_regs times 24
 * @nsid: the namespace it belongs to
 * @generation: the Persistent Reservation Generation
 * @holder: index of the holder in the registrants, or NVMET_PR_NO_HOLDER
 * @nr_regs: registrants, at most NVMET_PR_MAX_REGS
 * @rtype: reservation type, 0 (none) to 6
 * @ptpl: 1 if PTPL was on, 0 if this is the record of it being turned off
 * @rsvd: zero
 * @subnqn: the subsystem's NQN, NUL-padded
 * @rsvd2: zero
 * @crc: CRC32 of the header up to here and of the registrants
 */
struct nvmet_pr_disk_hdr {
	__le64 magic;
	__le32 version;
	__le32 hdr_size;
	__le64 seq;
	__le32 length;
	__le32 nsid;
	__le32 generation;
	__le32 holder;
	__le32 nr_regs;
	u8 rtype;
	u8 ptpl;
	u8 rsvd[2];
	char subnqn[NVMET_PR_NQN_LEN];
	u8 rsvd2[204];
	__le32 crc;
};

/**
 * struct nvmet_pr_disk_reg - a registrant
 * @hostid: the 128-bit host identifier (a 64-bit one zero-extended)
 * @rkey: its reservation key
 */
struct nvmet_pr_disk_reg {
	u8 hostid[16];
	__le64 rkey;
};

static_assert(sizeof(struct nvmet_pr_disk_hdr) == NVMET_PR_HDR_SIZE);
static_assert(sizeof(struct nvmet_pr_disk_reg) == 24);
static_assert(NVMET_PR_HDR_SIZE + NVMET_PR_MAX_REGS *
	      sizeof(struct nvmet_pr_disk_reg) <= NVMET_PR_SLOT_SIZE);

#endif /* _NVMET_PR_STORE_FORMAT_H */
