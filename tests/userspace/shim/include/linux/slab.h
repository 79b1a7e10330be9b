/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kmalloc family and kmem caches on malloc, with two controls:
 * - every live allocation is counted (shim_nr_allocated()); a program
 *   checks it is zero after rcu_barrier(), so leaks fail;
 *   shim_nr_objects() leaves out kmem cache objects (xarray nodes, which an
 *   xarray may keep, empty, after a failed store until xa_destroy());
 * - shim_fail_nth(n) makes the n-th allocation from now fail, whatever its
 *   GFP flags; shim_fail_from(n) makes it and every later one fail, as
 *   memory pressure does (xarray retries a failed GFP_NOWAIT allocation
 *   with the caller's GFP, so only this reaches its callers' error paths).
 *   Tests walk every error path with them.
 * GFP_NOWAIT and GFP_ATOMIC allocations succeed unless made to fail.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/overflow.h>

struct kmem_cache;
struct list_lru;

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);
/* No zeroing worth modelling here: the same as kfree(). */
#define kfree_sensitive(p)	kfree(p)
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc_lru(struct kmem_cache *cache, struct list_lru *lru,
			   gfp_t gfp);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *p);

long shim_nr_allocated(void);
long shim_nr_objects(void);
void shim_fail_nth(long n);
void shim_fail_from(long n);
long shim_nr_failed(void);

#define kzalloc_node(size, gfp, node)	kzalloc(size, gfp)

#endif
