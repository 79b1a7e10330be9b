/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NVMe Base Specification 2.1 (and NVM Command Set 1.1) values and data
 * structures that the target answers with and that <linux/nvme.h> of
 * Linux 6.12 lacks.  Newer kernels define some of them under the names
 * NVME_LOG_SUPPORTED, struct nvme_supported_log and so on: ours carry an
 * NVMET_ / nvmet_ prefix so that the same source builds against every
 * kernel's header without a probe.  Offsets in the comments are bytes of
 * the data structure, as the specification numbers them.
 */
#ifndef _NVMET_TARGET_NVME21_H
#define _NVMET_TARGET_NVME21_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* Log Page Identifiers (Base 2.1, Figure "Log Page Identifiers"). */
#define NVMET_LOG_SUPPORTED		0x00	/* Supported Log Pages */
#define NVMET_LOG_ENDURANCE_GROUP	0x09	/* Endurance Group Information */
#define NVMET_LOG_FEATURES		0x12	/* FID Supported and Effects */
#define NVMET_LOG_MI_CMDS		0x13	/* NVMe-MI Cmds Supported and Effects */
#define NVMET_LOG_RMI			0x16	/* Rotational Media Information */

/*
 * Get Log Page, command dwords read through nvme_common_command so that
 * the kernel's naming of the fields (lsi, ot) does not matter:
 * CDW10 bits 14:8 LSP (bit 15 is RAE), CDW11 bits 31:16 LSI, CDW14 bit 23
 * OT (the offset is an index, not bytes), bits 31:24 CSI.
 */
#define NVMET_LOG_LSP_MASK		0x7f
#define NVMET_LOG_CDW14_OT		BIT(23)

/* Identify CNS values (Base 2.1, Figure "CNS Values"). */
#define NVMET_ID_CNS_CS_NS_ACTIVE_LIST	0x07	/* active NSIDs of one CSI */
#define NVMET_ID_CNS_ENDGRP_LIST	0x19	/* Endurance Group list */
/* Identify CDW11 bits 15:0: CNS Specific Identifier (CNSSID). */
#define NVMET_ID_CNSSID_MASK		0xffff

/* Identify Controller (Base 2.1, Figure "Identify Controller"). */
#define NVMET_CTRL_ONCS_VERIFY		BIT(7)	/* ONCS: Verify (0Ch) */
#define NVMET_CTRL_ONCS_COPY		BIT(8)	/* ONCS: Copy (19h) */
/* OCFS, bytes 535:534: bit N, Copy source range descriptor format N. */
#define NVMET_ID_CTRL_OCFS_OFF		534
#define NVMET_CTRL_FUSES_CMP_WRITE	BIT(0)	/* FUSES: Compare and Write */
#define NVMET_CTRL_ATTR_EGS		BIT(4)	/* CTRATT: Endurance Groups */
/*
 * LPA bit 5: the Supported Log Pages log, the scope of each command in
 * the Commands Supported and Effects log, and the Feature Identifiers
 * Supported and Effects and NVMe-MI Commands Supported and Effects logs.
 */
#define NVMET_CTRL_LPA_LID_SUPPORTED	BIT(5)
#define NVMET_ID_CTRL_ENDGIDMAX_OFF	340	/* ENDGIDMAX, bytes 341:340 */
#define NVMET_ID_CTRL_ANATT_OFF		342	/* ANATT, to check the above */

/*
 * Identify Namespace (NVM), NSFEAT: OPTPERF, bits 5:4 since Base 2.1 and
 * bit 4 before; 01b says NPWG, NPWA, NPDG, NPDA and NOWS are valid.
 * <linux/nvme.h> names it NVME_NS_FEAT_IO_OPT up to 6.x and only as a
 * shift and masks later.
 */
#define NVMET_NS_FEAT_OPTPERF		BIT(4)

/*
 * Identify Namespace (NVM), the Copy limits: MSSRL, bytes 75:74, the
 * most blocks one source range may have; MCL, bytes 79:76, the most
 * blocks of all ranges together (both counts, not 0's based); MSRC, byte
 * 80, the most source ranges, 0's based.  <linux/nvme.h> has rsvd74[18].
 */
#define NVMET_ID_NS_MSSRL_OFF		74
#define NVMET_ID_NS_MCL_OFF		76
#define NVMET_ID_NS_MSRC_OFF		80
#define NVMET_ID_NS_ANAGRPID_OFF	92	/* to check the above */

/* I/O Command Set Independent Identify Namespace, NSFEAT (byte 0). */
#define NVMET_NS_FEAT_ROTATIONAL	BIT(4)	/* rotational media */
#define NVMET_NS_FEAT_VWC_NOT_PRESENT	BIT(5)	/* no volatile cache */

/*
 * Copy (NVM Command Set 1.1, "Copy command"): opcode 19h; CDW11:CDW10
 * the Starting Destination LBA (SDLBA); CDW12 bits 7:0 the number of
 * source ranges (NR, 0's based), bits 11:8 the descriptor format of the
 * ranges in the data (DESFMT), bits 15:12 PRINFOR, bits 29:26 PRINFOW,
 * bit 30 FUA, bit 31 LR.  Command Size Limit Exceeded (command specific
 * 83h) answers a range over MSSRL, more blocks than MCL or more ranges
 * than MSRC allow; <linux/nvme.h> of 6.1 calls 0x183 ONCS_NOT_SUPPORTED.
 */
#define NVMET_CMD_COPY			0x19
#define NVMET_COPY_NR_MASK		0xff
#define NVMET_COPY_DESFMT_SHIFT		8
#define NVMET_COPY_DESFMT_MASK		0xf
#define NVMET_COPY_FUA			BIT(30)
/* PRINFOR (CDW12 bits 15:12) and PRINFOW (29:26): PRACT, PRCHK as ever */
#define NVMET_COPY_PRINFOR_SHIFT	12
#define NVMET_COPY_PRINFOW_SHIFT	26
#define NVMET_COPY_PRINFO_MASK		0xf
#define NVMET_SC_CMD_SIZE_LIMIT		0x183

/*
 * Source Range Entries, descriptor formats 0h (32 bytes: 16b Guard
 * protection information) and 1h (40 bytes: 32b or 64b Guard); both have
 * the SLBA at byte 8 and the NLB (0's based) at byte 16.  The tags after
 * them (and the Command Extension Type and Value at bytes 18 and 20) are
 * for protection information and key per I/O.  The PI tags: 0h ELBT
 * (the expected reference tag) at byte 24, ELBAT at 28, ELBATM at 30; 1h
 * an 80-bit ELBT at bytes 26-35 whose low 32 bits are bytes 32-35, most
 * significant first (as QEMU's controller reads it), ELBAT at 36, ELBATM
 * at 38.  Formats 2h and 3h lay out as 0h and 1h with a Source NSID at
 * byte 0 and Source Options at byte 22.
 */
#define NVMET_COPY_FMT0			0
#define NVMET_COPY_FMT1			1
#define NVMET_COPY_FMT2			2
#define NVMET_COPY_FMT3			3

struct nvmet_copy_desc {
	__le32 snsid;
	u8 rsvd4[4];
	__le64 slba;
	__le16 nlb;
	u8 rsvd18[14];
};

#define NVMET_COPY_DESC0_SIZE		32
#define NVMET_COPY_DESC1_SIZE		40
#define NVMET_COPY_DESC2_SIZE		32
#define NVMET_COPY_DESC3_SIZE		40
#define NVMET_COPY_DESC0_ELBT		24
#define NVMET_COPY_DESC1_ELBT		32

/*
 * Copy's command specific statuses for a source in another namespace
 * (formats 2h and 3h): a namespace of another LBA format or protection
 * information than the destination's.
 */
#define NVMET_SC_INCOMPAT_NS		0x185

/*
 * Host Behavior Support (Feature 16h), 512 bytes of data both ways: ACRE
 * (Advanced Command Retry Enable), ETDAS (Extended Telemetry Data Area 4
 * Supported), LBAFEE (LBA Format Extension Enable), HDISNS (Host
 * Dispersed Namespace Support) and CDFE (Copy Descriptor Formats Enable:
 * bit N enables Copy source range descriptor format N, for N of 2 to 4;
 * formats 0h and 1h need no enabling).  <linux/nvme.h> of 6.1 and 6.12
 * knows only ACRE.
 */
struct nvmet_feat_host_behavior {
	u8 acre;
	u8 etdas;
	u8 lbafee;
	u8 hdisns;
	__le16 cdfe;
	u8 rsvd6[506];
};

#define NVMET_HBS_SIZE			sizeof(struct nvmet_feat_host_behavior)
#define NVMET_HBS_CDFE_FMT2		BIT(NVMET_COPY_FMT2)
#define NVMET_HBS_CDFE_FMT3		BIT(NVMET_COPY_FMT3)

/* LID Supported and Effects data structure: bit 0 LSUPP, bit 1 IOS. */
#define NVMET_LIDS_LSUPP		BIT(0)

/*
 * FID Supported and Effects data structure: bit 0 FSUPP, bits 31:20 the
 * Feature Scope (bit 20 namespace, bit 21 controller).
 */
#define NVMET_FIS_FSUPP			BIT(0)
#define NVMET_FIS_NSCPE			BIT(20)
#define NVMET_FIS_CSCPE			BIT(21)

/*
 * Commands Supported and Effects data structure, bits 31:20 the Command
 * Scope: bit 20 namespace, bit 21 controller.
 */
#define NVMET_CMD_EFFECTS_CSP_NS	BIT(20)
#define NVMET_CMD_EFFECTS_CSP_CTRL	BIT(21)

/**
 * struct nvmet_supported_log - Supported Log Pages log page (LID 00h)
 * @lids: the LID Supported and Effects data structure of each LID
 */
struct nvmet_supported_log {
	__le32 lids[256];
};

/**
 * struct nvmet_supported_features_log - FID Supported and Effects log
 *					  page (LID 12h)
 * @fis: the FID Supported and Effects data structure of each FID
 */
struct nvmet_supported_features_log {
	__le32 fis[256];
};

/**
 * struct nvmet_mi_cmds_log - NVMe-MI Commands Supported and Effects log
 *			      page (LID 13h)
 * @mics: one data structure per NVMe-MI command opcode
 * @rsvd1024: reserved, bytes 4095:1024
 */
struct nvmet_mi_cmds_log {
	__le32 mics[256];
	u8 rsvd1024[3072];
};

/**
 * struct nvmet_endgrp_log - Endurance Group Information log page (LID 09h)
 * @egcw: Critical Warning, byte 0
 * @egfeat: Endurance Group Features, byte 1
 * @rsvd2: reserved
 * @avsp: Available Spare, percent, byte 3
 * @avspt: Available Spare Threshold, byte 4
 * @pused: Percentage Used, byte 5
 * @did: Domain Identifier, bytes 7:6
 * @rsvd8: reserved, bytes 31:8
 * @ee: Endurance Estimate, bytes 47:32
 * @dur: Data Units Read (thousands of 512-byte units), bytes 63:48
 * @duw: Data Units Written, bytes 79:64
 * @muw: Media Units Written, bytes 95:80
 * @hrc: Host Read Commands, bytes 111:96
 * @hwc: Host Write Commands, bytes 127:112
 * @mdie: Media and Data Integrity Errors, bytes 143:128
 * @neile: Number of Error Information Log Entries, bytes 159:144
 * @tegcap: Total Endurance Group Capacity in bytes, bytes 175:160
 * @uegcap: Unallocated Endurance Group Capacity, bytes 191:176
 * @rsvd192: reserved, bytes 511:192
 *
 * The 128-bit counters are two little-endian quadwords, low one first.
 */
struct nvmet_endgrp_log {
	u8 egcw;
	u8 egfeat;
	u8 rsvd2;
	u8 avsp;
	u8 avspt;
	u8 pused;
	__le16 did;
	u8 rsvd8[24];
	__le64 ee[2];
	__le64 dur[2];
	__le64 duw[2];
	__le64 muw[2];
	__le64 hrc[2];
	__le64 hwc[2];
	__le64 mdie[2];
	__le64 neile[2];
	__le64 tegcap[2];
	__le64 uegcap[2];
	u8 rsvd192[320];
};

/**
 * struct nvmet_rmi_log - Rotational Media Information log page (LID 16h)
 * @endgid: Endurance Group Identifier, bytes 1:0
 * @numa: Number of Actuators, bytes 3:2
 * @nrs: Nominal Rotational Speed in RPM (0: not reported), bytes 5:4
 * @rsvd6: reserved
 * @spinc: Spinup Count, bytes 11:8
 * @fspinc: Failed Spinup Count, bytes 15:12
 * @ldc: Load Count, bytes 19:16
 * @fldc: Failed Load Count, bytes 23:20
 * @rsvd24: reserved, bytes 511:24
 */
struct nvmet_rmi_log {
	__le16 endgid;
	__le16 numa;
	__le16 nrs;
	u8 rsvd6[2];
	__le32 spinc;
	__le32 fspinc;
	__le32 ldc;
	__le32 fldc;
	u8 rsvd24[488];
};

static inline void nvmet_nvme21_build_checks(void)
{
	BUILD_BUG_ON(sizeof(struct nvmet_supported_log) != 1024);
	BUILD_BUG_ON(sizeof(struct nvmet_supported_features_log) != 1024);
	BUILD_BUG_ON(sizeof(struct nvmet_mi_cmds_log) != 4096);
	BUILD_BUG_ON(sizeof(struct nvmet_endgrp_log) != 512);
	BUILD_BUG_ON(offsetof(struct nvmet_endgrp_log, dur) != 48);
	BUILD_BUG_ON(offsetof(struct nvmet_endgrp_log, tegcap) != 160);
	BUILD_BUG_ON(sizeof(struct nvmet_rmi_log) != 512);
	BUILD_BUG_ON(offsetof(struct nvmet_rmi_log, fldc) != 20);
	BUILD_BUG_ON(sizeof(struct nvmet_copy_desc) != NVMET_COPY_DESC0_SIZE);
	BUILD_BUG_ON(offsetof(struct nvmet_copy_desc, slba) != 8);
	BUILD_BUG_ON(offsetof(struct nvmet_copy_desc, nlb) != 16);
	BUILD_BUG_ON(sizeof(struct nvmet_feat_host_behavior) != 512);
	BUILD_BUG_ON(offsetof(struct nvmet_feat_host_behavior, cdfe) != 4);
}

#endif /* _NVMET_TARGET_NVME21_H */
