// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the bdev backend's bounce decision and copy
 * (nvmet/backend/bdev.c): a host's buffer that crosses a page boundary or
 * starts off the device's DMA alignment is not given to the device as it
 * is, and the copy through the bounce buffer carries every byte.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "../nvmet/backend/backends.h"

#define BB_BLOCK	512
#define BB_DMA_511	511	/* null_blk's, the block layer's default */
#define BB_DMA_3	3	/* an NVMe host queue's */

struct bb_fixture {
	struct page *pages[2];
};

static int bb_init(struct kunit *test)
{
	struct bb_fixture *f;
	int i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		f->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!f->pages[i])
			return -ENOMEM;
	}
	test->priv = f;
	return 0;
}

static void bb_exit(struct kunit *test)
{
	struct bb_fixture *f = test->priv;
	int i;

	for (i = 0; i < 2; i++)
		if (f->pages[i])
			__free_page(f->pages[i]);
}

/* One block across the boundary of two pages: half in each. */
static void bb_split_block(struct bb_fixture *f, struct scatterlist sg[2])
{
	sg_init_table(sg, 2);
	sg_set_page(&sg[0], f->pages[0], BB_BLOCK / 2, PAGE_SIZE - BB_BLOCK / 2);
	sg_set_page(&sg[1], f->pages[1], BB_BLOCK / 2, 0);
}

static void bb_test_aligned(struct kunit *test)
{
	struct bb_fixture *f = test->priv;
	struct scatterlist sg[2];

	/* whole pages, as sgl_alloc() makes them */
	sg_init_table(sg, 2);
	sg_set_page(&sg[0], f->pages[0], PAGE_SIZE, 0);
	sg_set_page(&sg[1], f->pages[1], PAGE_SIZE, 0);
	KUNIT_EXPECT_TRUE(test, nvmet_bdev_sg_aligned(sg, 2, 2 * PAGE_SIZE,
						      BB_DMA_511, BB_BLOCK - 1));
	/* the data ends within the second entry, on a block boundary */
	KUNIT_EXPECT_TRUE(test, nvmet_bdev_sg_aligned(sg, 2, PAGE_SIZE + BB_BLOCK,
						      BB_DMA_511, BB_BLOCK - 1));
	/* one block a block into a page */
	sg_init_one(&sg[0], page_address(f->pages[0]) + BB_BLOCK, BB_BLOCK);
	KUNIT_EXPECT_TRUE(test, nvmet_bdev_sg_aligned(sg, 1, BB_BLOCK,
						      BB_DMA_511, BB_BLOCK - 1));
}

static void bb_test_unaligned(struct kunit *test)
{
	struct bb_fixture *f = test->priv;
	struct scatterlist sg[2];

	/* half a block in each of two pages: what null_blk misread */
	bb_split_block(f, sg);
	KUNIT_EXPECT_FALSE(test, nvmet_bdev_sg_aligned(sg, 2, BB_BLOCK,
						       BB_DMA_511, BB_BLOCK - 1));
	KUNIT_EXPECT_FALSE(test, nvmet_bdev_sg_aligned(sg, 2, BB_BLOCK,
						       BB_DMA_3, BB_BLOCK - 1));
	/* 16 bytes into a page: off a 512-byte DMA alignment, not off 4 */
	sg_init_one(&sg[0], page_address(f->pages[0]) + 16, BB_BLOCK);
	KUNIT_EXPECT_FALSE(test, nvmet_bdev_sg_aligned(sg, 1, BB_BLOCK,
						       BB_DMA_511, BB_BLOCK - 1));
	KUNIT_EXPECT_TRUE(test, nvmet_bdev_sg_aligned(sg, 1, BB_BLOCK,
						      BB_DMA_3, BB_BLOCK - 1));
}

/* Into a bounce buffer and back: every byte where it was. */
static void bb_test_copy(struct kunit *test)
{
	struct bb_fixture *f = test->priv;
	struct scatterlist host[2], *bounce;
	unsigned int nents, i;
	u8 *want, *got;

	want = kunit_kmalloc(test, BB_BLOCK, GFP_KERNEL);
	got = kunit_kzalloc(test, BB_BLOCK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i < BB_BLOCK; i++)
		want[i] = i * 7 + 1;
	bb_split_block(f, host);
	KUNIT_ASSERT_EQ(test, sg_copy_from_buffer(host, 2, want, BB_BLOCK),
			(size_t)BB_BLOCK);

	bounce = sgl_alloc(BB_BLOCK, GFP_KERNEL, &nents);
	KUNIT_ASSERT_NOT_NULL(test, bounce);
	nvmet_bdev_sg_copy(bounce, nents, host, 2, BB_BLOCK);
	KUNIT_EXPECT_TRUE(test, nvmet_bdev_sg_aligned(bounce, nents, BB_BLOCK,
						      BB_DMA_511, BB_BLOCK - 1));
	KUNIT_EXPECT_EQ(test, sg_copy_to_buffer(bounce, nents, got, BB_BLOCK),
			(size_t)BB_BLOCK);
	KUNIT_EXPECT_MEMEQ(test, got, want, BB_BLOCK);

	/* back, as a read's end_io copies it */
	memset(page_address(f->pages[0]), 0, PAGE_SIZE);
	memset(page_address(f->pages[1]), 0, PAGE_SIZE);
	nvmet_bdev_sg_copy(host, 2, bounce, nents, BB_BLOCK);
	memset(got, 0, BB_BLOCK);
	KUNIT_EXPECT_EQ(test, sg_copy_to_buffer(host, 2, got, BB_BLOCK),
			(size_t)BB_BLOCK);
	KUNIT_EXPECT_MEMEQ(test, got, want, BB_BLOCK);
	sgl_free(bounce);
}

/*
 * Many segments of odd sizes on both sides, their boundaries nowhere
 * aligned with each other's: the copy walks each list once and still
 * carries every byte to its place.
 */
static void bb_test_copy_segments(struct kunit *test)
{
	static const unsigned int src_len[] = { 1, 7, 100, 3, 512, 29, 1, 371 };
	static const unsigned int dst_len[] = { 13, 13, 200, 1, 600, 97, 100 };
	struct bb_fixture *f = test->priv;
	struct scatterlist src[ARRAY_SIZE(src_len)], dst[ARRAY_SIZE(dst_len)];
	unsigned int i, total = 0, off = 0;
	u8 *s = page_address(f->pages[0]), *d = page_address(f->pages[1]);
	u8 *got;

	sg_init_table(src, ARRAY_SIZE(src));
	for (i = 0; i < ARRAY_SIZE(src_len); i++) {
		/* a gap of 3 bytes between segments: no two are adjacent */
		sg_set_buf(&src[i], s + off + 3 * i, src_len[i]);
		off += src_len[i];
	}
	total = off;
	KUNIT_ASSERT_EQ(test, total, 1024U);
	for (i = 0; i < PAGE_SIZE; i++)
		s[i] = i * 13 + 5;
	sg_init_table(dst, ARRAY_SIZE(dst));
	for (i = 0, off = 0; i < ARRAY_SIZE(dst_len); i++) {
		sg_set_buf(&dst[i], d + off + 5 * i, dst_len[i]);
		off += dst_len[i];
	}
	KUNIT_ASSERT_EQ(test, off, 1024U);

	nvmet_bdev_sg_copy(dst, ARRAY_SIZE(dst), src, ARRAY_SIZE(src), total);
	got = kunit_kzalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, sg_copy_to_buffer(dst, ARRAY_SIZE(dst), got,
						total), (size_t)total);
	for (i = 0, off = 0; i < ARRAY_SIZE(src_len); off += src_len[i], i++)
		KUNIT_EXPECT_MEMEQ(test, got + off, s + off + 3 * i,
				   src_len[i]);
	/* the gaps between destination segments are untouched */
	for (i = 1, off = dst_len[0]; i < ARRAY_SIZE(dst_len);
	     off += dst_len[i], i++)
		KUNIT_EXPECT_EQ(test, d[off + 5 * i - 1], 0);
}

static struct kunit_case bb_cases[] = {
	KUNIT_CASE(bb_test_aligned),
	KUNIT_CASE(bb_test_unaligned),
	KUNIT_CASE(bb_test_copy),
	KUNIT_CASE(bb_test_copy_segments),
	{}
};

static struct kunit_suite bb_suite = {
	.name = "nvmet_ng_bdev_bounce",
	.init = bb_init,
	.exit = bb_exit,
	.test_cases = bb_cases,
};

kunit_test_suite(bb_suite);
