// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the reservation state file (nvmet/target/pr_store.c),
 * through its public API on real namespaces, with real files: UML runs
 * the suites from the initial root file system (ramfs), which is
 * writable, so each case keeps its file at /pr_store_kunit-<case>.resv.
 * Files are damaged with kernel_write() at the offsets of
 * pr_store_format.h.
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <nvmet/ns.h>
#include <nvmet/nvmet.h>
#include "../nvmet/target/pr_store.h"
#include "../nvmet/target/pr_store_format.h"

#define PS_NQN		"nqn.2026-12.io.nvmet-ng:kunit-pr-store"
#define PS_NQN_OTHER	"nqn.2026-12.io.nvmet-ng:kunit-pr-store-other"

/**
 * struct ps_fixture - one case's namespace and file
 * @subsys: subsystem PS_NQN
 * @ns: its namespace 1, disabled, resv_state_path at @path
 * @path: the case's file
 */
struct ps_fixture {
	struct nvmet_subsys *subsys;
	struct nvmet_ns *ns;
	char path[96];
};

static int ps_init(struct kunit *test)
{
	struct ps_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->subsys = nvmet_subsys_create(PS_NQN);
	if (IS_ERR(f->subsys))
		return PTR_ERR(f->subsys);
	f->ns = nvmet_ns_create(f->subsys, 1);
	if (IS_ERR(f->ns)) {
		nvmet_subsys_remove(f->subsys);
		nvmet_subsys_put(f->subsys);
		return PTR_ERR(f->ns);
	}
	snprintf(f->path, sizeof(f->path), "/pr_store_kunit-%s.resv",
		 test->name);
	test->priv = f;
	return nvmet_ns_set_resv_state_path(f->ns, f->path);
}

static void ps_exit(struct kunit *test)
{
	struct ps_fixture *f = test->priv;

	nvmet_ns_free(f->ns);
	nvmet_subsys_remove(f->subsys);
	nvmet_subsys_put(f->subsys);
}

/* As the namespace's enable calls it: under ns->lock. */
static int ps_open(struct nvmet_ns *ns, struct nvmet_pr_store **store,
		   struct nvmet_pr_image **img)
{
	int ret;

	mutex_lock(&ns->lock);
	ret = nvmet_pr_store_open(ns, store, img);
	mutex_unlock(&ns->lock);
	return ret;
}

/* @nr registrants with distinct host IDs and keys; PTPL on. */
static struct nvmet_pr_image *ps_image(struct kunit *test, u32 nr,
				       u8 rtype, u32 holder, u32 gen)
{
	struct nvmet_pr_image *img = nvmet_pr_image_alloc(nr);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, img);
	img->generation = gen;
	img->rtype = rtype;
	img->holder = holder;
	img->ptpl = true;
	for (i = 0; i < nr; i++) {
		memcpy(img->regs[i].hostid, &i, sizeof(i));
		memset(img->regs[i].hostid + 4, 0xa0 + gen % 16, 12);
		img->regs[i].rkey = 0x1000000000ULL * gen + i * 7 + 1;
	}
	return img;
}

static void ps_expect_image(struct kunit *test,
			    const struct nvmet_pr_image *want,
			    const struct nvmet_pr_image *got)
{
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, got->generation, want->generation);
	KUNIT_EXPECT_EQ(test, got->rtype, want->rtype);
	KUNIT_EXPECT_TRUE(test, got->ptpl);
	KUNIT_EXPECT_EQ(test, got->holder, want->holder);
	KUNIT_ASSERT_EQ(test, got->nr_regs, want->nr_regs);
	KUNIT_EXPECT_MEMEQ(test, got->regs, want->regs,
			   want->nr_regs * sizeof(want->regs[0]));
}

/* Save @img through a store of its own: open, save, close. */
static void ps_save(struct kunit *test, struct nvmet_ns *ns,
		    const struct nvmet_pr_image *img)
{
	struct nvmet_pr_image *old;
	struct nvmet_pr_store *st;

	KUNIT_ASSERT_EQ(test, ps_open(ns, &st, &old), 0);
	nvmet_pr_image_free(old);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, img), 0);
	nvmet_pr_store_close(st);
}

/* Open and expect @want restored (NULL: nothing), then close. */
static void ps_expect_restored(struct kunit *test, struct nvmet_ns *ns,
			       const struct nvmet_pr_image *want)
{
	struct nvmet_pr_image *got;
	struct nvmet_pr_store *st;

	KUNIT_ASSERT_EQ(test, ps_open(ns, &st, &got), 0);
	if (want)
		ps_expect_image(test, want, got);
	else
		KUNIT_EXPECT_NULL(test, got);
	nvmet_pr_image_free(got);
	nvmet_pr_store_close(st);
}

/* Open must fail with @err, leaving no store and no image. */
static void ps_expect_refused(struct kunit *test, struct nvmet_ns *ns,
			      int err)
{
	struct nvmet_pr_image *got = (void *)1;
	struct nvmet_pr_store *st = (void *)1;

	KUNIT_EXPECT_EQ(test, ps_open(ns, &st, &got), err);
	KUNIT_EXPECT_NULL(test, st);
	KUNIT_EXPECT_NULL(test, got);
}

static loff_t ps_file_size(struct kunit *test, const char *path)
{
	struct file *file = filp_open(path, O_RDONLY, 0);
	loff_t size;

	if (IS_ERR(file))
		return PTR_ERR(file);
	size = i_size_read(file_inode(file));
	fput(file);
	return size;
}

static void ps_rw(struct kunit *test, const char *path, loff_t pos,
		  void *buf, size_t len, bool write)
{
	struct file *file = filp_open(path, O_RDWR, 0);
	ssize_t n;

	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	if (write)
		n = kernel_write(file, buf, len, &pos);
	else
		n = kernel_read(file, buf, len, &pos);
	KUNIT_EXPECT_EQ(test, n, (ssize_t)len);
	fput(file);
}

/* Flip one byte at @pos. */
static void ps_flip(struct kunit *test, const char *path, loff_t pos)
{
	u8 b;

	ps_rw(test, path, pos, &b, 1, false);
	b ^= 0x5a;
	ps_rw(test, path, pos, &b, 1, true);
}

/*
 * Slot @slot's header and registrants, for a case to change fields of
 * and write back with a checksum that holds (ps_slot_put()).
 */
static struct nvmet_pr_disk_hdr *ps_slot_get(struct kunit *test,
					     const char *path, int slot)
{
	struct nvmet_pr_disk_hdr *h;

	h = kunit_kzalloc(test, NVMET_PR_SLOT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	ps_rw(test, path, (loff_t)slot * NVMET_PR_SLOT_SIZE, h,
	      NVMET_PR_SLOT_SIZE, false);
	return h;
}

static void ps_slot_put(struct kunit *test, const char *path, int slot,
			struct nvmet_pr_disk_hdr *h)
{
	u32 len = min_t(u32, le32_to_cpu(h->length),
			NVMET_PR_SLOT_SIZE - NVMET_PR_HDR_SIZE);
	u32 crc;

	crc = crc32_le(~0U, (u8 *)h, offsetof(struct nvmet_pr_disk_hdr, crc));
	crc = crc32_le(crc, (u8 *)h + NVMET_PR_HDR_SIZE, len);
	h->crc = cpu_to_le32(~crc);
	ps_rw(test, path, (loff_t)slot * NVMET_PR_SLOT_SIZE, h,
	      NVMET_PR_HDR_SIZE, true);
}

static const u32 ps_round_trip_sizes[] = { 0, 1, 300, NVMET_PR_MAX_REGS };

static void ps_round_trip_desc(const u32 *nr, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u registrants", *nr);
}

KUNIT_ARRAY_PARAM(ps_round_trip, ps_round_trip_sizes, ps_round_trip_desc);

/*
 * Save, open: the same state, whichever slot holds it; the store that
 * restored it saves on into the other slot.
 */
static void ps_test_round_trip(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	u32 nr = *(const u32 *)test->param_value;
	struct nvmet_pr_image *first, *img, *next, *got;
	struct nvmet_pr_store *st;
	char path[112];

	snprintf(path, sizeof(path), "%s-%u", f->path, nr);
	KUNIT_ASSERT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, path), 0);
	first = ps_image(test, nr ? 1 : 0, nr ? NVME_PR_WRITE_EXCLUSIVE : 0,
			 nr ? 0 : NVMET_PR_NO_HOLDER, 1);
	/* No holder: an all-registrants type with several registrants. */
	if (nr > 1)
		img = ps_image(test, nr, NVME_PR_EXCLUSIVE_ACCESS_ALL_REGS,
			       NVMET_PR_NO_HOLDER, 2);
	else if (nr)
		img = ps_image(test, nr, NVME_PR_EXCLUSIVE_ACCESS, 0, 2);
	else
		img = ps_image(test, 0, 0, NVMET_PR_NO_HOLDER, 2);
	next = ps_image(test, nr, nr ? NVME_PR_WRITE_EXCLUSIVE_REG_ONLY : 0,
			nr ? nr - 1 : NVMET_PR_NO_HOLDER, 3);

	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	KUNIT_EXPECT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, first), 0);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, img), 0);
	nvmet_pr_store_close(st);
	KUNIT_EXPECT_EQ(test, ps_file_size(test, path), NVMET_PR_FILE_SIZE);

	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	ps_expect_image(test, img, got);
	nvmet_pr_image_free(got);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, next), 0);
	nvmet_pr_store_close(st);
	ps_expect_restored(test, f->ns, next);

	nvmet_pr_image_free(first);
	nvmet_pr_image_free(img);
	nvmet_pr_image_free(next);
}

/* A save with PTPL off is the record that nothing is to be restored. */
static void ps_test_ptpl_off(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 5, NVME_PR_WRITE_EXCLUSIVE,
					      2, 7);

	ps_save(test, f->ns, img);
	ps_expect_restored(test, f->ns, img);
	img->ptpl = false;
	img->generation++;
	ps_save(test, f->ns, img);
	ps_expect_restored(test, f->ns, NULL);
	nvmet_pr_image_free(img);
}

/*
 * No file: nothing to restore; a save with PTPL off creates none, the
 * first one with PTPL on creates it, whole.
 */
static void ps_test_missing_file(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 3, NVME_PR_EXCLUSIVE_ACCESS,
					      1, 4);
	struct nvmet_pr_store *st;
	struct nvmet_pr_image *got;

	KUNIT_ASSERT_EQ(test, ps_file_size(test, f->path), -ENOENT);
	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	KUNIT_EXPECT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, ps_file_size(test, f->path), -ENOENT);
	img->ptpl = false;
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, img), 0);
	KUNIT_EXPECT_EQ(test, ps_file_size(test, f->path), -ENOENT);
	img->ptpl = true;
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, img), 0);
	KUNIT_EXPECT_EQ(test, ps_file_size(test, f->path), NVMET_PR_FILE_SIZE);
	nvmet_pr_store_close(st);
	ps_expect_restored(test, f->ns, img);
	nvmet_pr_image_free(img);
}

/* No directory: open succeeds, the first save fails and creates nothing. */
static void ps_test_missing_dir(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 1, NVME_PR_WRITE_EXCLUSIVE,
					      0, 1);
	const char *path = "/pr_store_kunit-no-such-dir/state.resv";
	struct nvmet_pr_store *st;
	struct nvmet_pr_image *got;

	KUNIT_ASSERT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, path), 0);
	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	KUNIT_EXPECT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, img), -ENOENT);
	nvmet_pr_store_close(st);
	nvmet_pr_image_free(img);
}

/*
 * A damaged newest slot (as a power loss in the middle of its write
 * leaves it): the older slot's state; the next save replaces the damaged
 * slot and is the state after it.
 */
static void ps_test_newest_slot_corrupt(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *a = ps_image(test, 4, NVME_PR_WRITE_EXCLUSIVE, 3, 1);
	struct nvmet_pr_image *b = ps_image(test, 6, NVME_PR_EXCLUSIVE_ACCESS, 5, 2);
	struct nvmet_pr_image *c = ps_image(test, 2, NVME_PR_WRITE_EXCLUSIVE, 1, 3);
	struct nvmet_pr_store *st;
	struct nvmet_pr_image *got;

	ps_save(test, f->ns, a);	/* slot 0 */
	ps_save(test, f->ns, b);	/* slot 1 */
	ps_flip(test, f->path, NVMET_PR_SLOT_SIZE + NVMET_PR_HDR_SIZE + 30);
	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	ps_expect_image(test, a, got);
	nvmet_pr_image_free(got);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, c), 0);
	nvmet_pr_store_close(st);
	ps_expect_restored(test, f->ns, c);

	/* Damage in a header (its generation) counts the same. */
	ps_flip(test, f->path, NVMET_PR_SLOT_SIZE +
		offsetof(struct nvmet_pr_disk_hdr, generation));
	ps_expect_restored(test, f->ns, a);
	nvmet_pr_image_free(a);
	nvmet_pr_image_free(b);
	nvmet_pr_image_free(c);
}

/* Both slots damaged, or bad magic in both: refused. */
static void ps_test_both_slots_corrupt(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 8, NVME_PR_WRITE_EXCLUSIVE,
					      0, 1);
	struct nvmet_pr_disk_hdr *h;

	ps_save(test, f->ns, img);
	ps_save(test, f->ns, img);
	ps_flip(test, f->path, NVMET_PR_HDR_SIZE + 1);
	ps_flip(test, f->path, NVMET_PR_SLOT_SIZE + NVMET_PR_HDR_SIZE + 1);
	ps_expect_refused(test, f->ns, -EBADMSG);

	/* Bad magic, the checksum recomputed: still refused. */
	ps_flip(test, f->path, NVMET_PR_HDR_SIZE + 1);
	ps_flip(test, f->path, NVMET_PR_SLOT_SIZE + NVMET_PR_HDR_SIZE + 1);
	ps_expect_restored(test, f->ns, img);
	h = ps_slot_get(test, f->path, 0);
	h->magic = cpu_to_le64(NVMET_PR_MAGIC ^ 1);
	ps_slot_put(test, f->path, 0, h);
	h = ps_slot_get(test, f->path, 1);
	h->magic = cpu_to_le64(NVMET_PR_MAGIC ^ 1);
	ps_slot_put(test, f->path, 1, h);
	ps_expect_refused(test, f->ns, -EBADMSG);
	nvmet_pr_image_free(img);
}

/* Truncated anywhere (in the second slot, in the first header): refused. */
static void ps_test_truncated(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 10, NVME_PR_WRITE_EXCLUSIVE,
					      9, 1);
	struct file *file;

	ps_save(test, f->ns, img);
	ps_save(test, f->ns, img);
	file = filp_open(f->path, O_RDWR, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_EXPECT_EQ(test, vfs_truncate(&file->f_path,
					   NVMET_PR_SLOT_SIZE + 100), 0);
	ps_expect_refused(test, f->ns, -EBADMSG);
	KUNIT_EXPECT_EQ(test, vfs_truncate(&file->f_path, 100), 0);
	ps_expect_refused(test, f->ns, -EBADMSG);
	fput(file);
	nvmet_pr_image_free(img);
}

/* Another namespace's file, of this subsystem or another: refused. */
static void ps_test_foreign(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 2, NVME_PR_WRITE_EXCLUSIVE,
					      0, 1);
	struct nvmet_subsys *other;
	struct nvmet_ns *ns2, *ns_other;

	ps_save(test, f->ns, img);
	ns2 = nvmet_ns_create(f->subsys, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ns2);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(ns2, f->path), 0);
	ps_expect_refused(test, ns2, -EINVAL);
	nvmet_ns_free(ns2);

	other = nvmet_subsys_create(PS_NQN_OTHER);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	ns_other = nvmet_ns_create(other, 1);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, ns_other);
	if (!IS_ERR(ns_other)) {
		KUNIT_EXPECT_EQ(test,
				nvmet_ns_set_resv_state_path(ns_other, f->path), 0);
		ps_expect_refused(test, ns_other, -EINVAL);
		nvmet_ns_free(ns_other);
	}
	nvmet_subsys_remove(other);
	nvmet_subsys_put(other);
	/* Its own namespace still reads it. */
	ps_expect_restored(test, f->ns, img);
	nvmet_pr_image_free(img);
}

/*
 * Fields out of range in the newest slot, with a checksum that holds:
 * refused, although the older slot is valid (a writer meant them).
 */
static void ps_test_out_of_range(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 2, NVME_PR_WRITE_EXCLUSIVE,
					      1, 1);
	struct nvmet_pr_disk_hdr *h, *orig;
	static const struct {
		u32 nr_regs, length, holder;
		u8 rtype, ptpl;
	} bad[] = {
		{ NVMET_PR_MAX_REGS + 1, (NVMET_PR_MAX_REGS + 1) * 24, 1, 1, 1 },
		{ U32_MAX, 0, 1, 1, 1 },
		{ 2, 48, 2, 1, 1 },		/* holder past the registrants */
		{ 2, 48, U32_MAX - 1, 1, 1 },
		{ 2, 48, 1, 7, 1 },		/* reservation type 7 */
		{ 2, 48, 1, 0xff, 1 },
		{ 2, 48, 1, 0, 1 },		/* a holder, no reservation */
		{ 2, 48, NVMET_PR_NO_HOLDER, 1, 1 },	/* no holder for WE */
		{ 0, 0, NVMET_PR_NO_HOLDER, 1, 1 },	/* nobody registered */
		{ 2, 48, 1, 1, 2 },		/* PTPL flag 2 */
	};
	unsigned int i;

	ps_save(test, f->ns, img);	/* slot 0 */
	ps_save(test, f->ns, img);	/* slot 1, the newest */
	orig = ps_slot_get(test, f->path, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		h = ps_slot_get(test, f->path, 1);
		h->nr_regs = cpu_to_le32(bad[i].nr_regs);
		h->length = cpu_to_le32(bad[i].length);
		h->holder = cpu_to_le32(bad[i].holder);
		h->rtype = bad[i].rtype;
		h->ptpl = bad[i].ptpl;
		ps_slot_put(test, f->path, 1, h);
		kunit_info(test, "case %u", i);
		ps_expect_refused(test, f->ns, -EBADMSG);
	}
	/* The slot as it was: read again. */
	ps_slot_put(test, f->path, 1, orig);
	ps_expect_restored(test, f->ns, img);
	nvmet_pr_image_free(img);
}

/* A save refuses what the load would; the durable state stays. */
static void ps_test_save_refuses_invalid(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	struct nvmet_pr_image *img = ps_image(test, 3, NVME_PR_WRITE_EXCLUSIVE,
					      1, 1);
	struct nvmet_pr_image *bad = ps_image(test, 3, NVME_PR_WRITE_EXCLUSIVE,
					      3, 2);
	struct nvmet_pr_store *st;
	struct nvmet_pr_image *got;

	ps_save(test, f->ns, img);
	KUNIT_ASSERT_EQ(test, ps_open(f->ns, &st, &got), 0);
	nvmet_pr_image_free(got);
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, bad), -EINVAL);
	bad->holder = 0;
	bad->rtype = 9;
	KUNIT_EXPECT_EQ(test, nvmet_pr_store_save(st, bad), -EINVAL);
	nvmet_pr_store_close(st);
	ps_expect_restored(test, f->ns, img);
	nvmet_pr_image_free(img);
	nvmet_pr_image_free(bad);
}

/* The attribute's setter: absolute file paths, or empty for the default. */
static void ps_test_state_path_attr(struct kunit *test)
{
	struct ps_fixture *f = test->priv;
	char *long_path;

	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, "rel/x"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, "/dir/"),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, f->ns->resv_state_path, f->path);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, "/a/b\n"), 0);
	KUNIT_EXPECT_STREQ(test, f->ns->resv_state_path, "/a/b");
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, "\n"), 0);
	KUNIT_EXPECT_NULL(test, f->ns->resv_state_path);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, "/c"), 0);
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, ""), 0);
	KUNIT_EXPECT_NULL(test, f->ns->resv_state_path);

	long_path = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, long_path);
	memset(long_path, 'a', 4095);
	long_path[0] = '/';
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, long_path),
			-EINVAL);
	long_path[4094] = '\0';
	KUNIT_EXPECT_EQ(test, nvmet_ns_set_resv_state_path(f->ns, long_path),
			0);
}

static struct kunit_case ps_test_cases[] = {
	KUNIT_CASE_PARAM(ps_test_round_trip, ps_round_trip_gen_params),
	KUNIT_CASE(ps_test_ptpl_off),
	KUNIT_CASE(ps_test_missing_file),
	KUNIT_CASE(ps_test_missing_dir),
	KUNIT_CASE(ps_test_newest_slot_corrupt),
	KUNIT_CASE(ps_test_both_slots_corrupt),
	KUNIT_CASE(ps_test_truncated),
	KUNIT_CASE(ps_test_foreign),
	KUNIT_CASE(ps_test_out_of_range),
	KUNIT_CASE(ps_test_save_refuses_invalid),
	KUNIT_CASE(ps_test_state_path_attr),
	{}
};

static struct kunit_suite ps_test_suite = {
	.name = "nvmet_ng_pr_store",
	.init = ps_init,
	.exit = ps_exit,
	.test_cases = ps_test_cases,
};

kunit_test_suite(ps_test_suite);
