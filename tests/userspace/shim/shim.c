// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace implementations behind the shim headers: allocation with
 * counting and failure injection, owner-tracking mutexes, the RCU models,
 * WARN accounting, and the few kernel library functions the core uses.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <linux/types.h>
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/random.h>
#include <linux/uuid.h>
#include <linux/xarray.h>

int shim_warnings;
int shim_quiet;
int shim_request_module_calls;

void shim_warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "%s:%d: WARN_ON(%s)\n", file, line, cond);
	__atomic_add_fetch(&shim_warnings, 1, __ATOMIC_RELAXED);
}

/* Allocation */

static long shim_allocated;
static long shim_fail_at;	/* 0: never; else counts down to 1 */
static int shim_fail_sticky;	/* once at 1, every allocation fails */
static long shim_failed;

static bool shim_should_fail(void)
{
	long n = __atomic_load_n(&shim_fail_at, __ATOMIC_RELAXED);

	if (n == 1 && __atomic_load_n(&shim_fail_sticky, __ATOMIC_RELAXED)) {
		__atomic_add_fetch(&shim_failed, 1, __ATOMIC_RELAXED);
		return true;
	}
	while (n > 0) {
		if (__atomic_compare_exchange_n(&shim_fail_at, &n, n - 1, false,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED)) {
			if (n == 1) {
				__atomic_add_fetch(&shim_failed, 1,
						   __ATOMIC_RELAXED);
				if (__atomic_load_n(&shim_fail_sticky,
						    __ATOMIC_RELAXED))
					__atomic_store_n(&shim_fail_at, 1,
							 __ATOMIC_RELAXED);
				return true;
			}
			return false;
		}
	}
	return false;
}

void shim_fail_nth(long n)
{
	__atomic_store_n(&shim_fail_sticky, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&shim_fail_at, n, __ATOMIC_RELAXED);
}

void shim_fail_from(long n)
{
	__atomic_store_n(&shim_fail_sticky, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&shim_fail_at, n, __ATOMIC_RELAXED);
}

long shim_nr_failed(void)
{
	return __atomic_load_n(&shim_failed, __ATOMIC_RELAXED);
}

long shim_nr_allocated(void)
{
	return __atomic_load_n(&shim_allocated, __ATOMIC_RELAXED);
}

static long shim_cache_allocated;

long shim_nr_objects(void)
{
	return shim_nr_allocated() -
	       __atomic_load_n(&shim_cache_allocated, __ATOMIC_RELAXED);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (shim_should_fail())
		return NULL;
	p = (gfp & __GFP_ZERO) ? calloc(1, size ? size : 1) :
				 malloc(size ? size : 1);
	if (p)
		__atomic_add_fetch(&shim_allocated, 1, __ATOMIC_RELAXED);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

void kfree(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&shim_allocated, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len = strnlen(s, max);
	char *p = kmalloc(len + 1, gfp);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return kstrndup(s, strlen(s), gfp);
}

struct kmem_cache {
	unsigned int size;
	void (*ctor)(void *obj);
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *cache = calloc(1, sizeof(*cache));

	if (cache) {
		cache->size = size;
		cache->ctor = ctor;
	}
	return cache;
}

void kmem_cache_destroy(struct kmem_cache *cache)
{
	free(cache);
}

void *kmem_cache_alloc_lru(struct kmem_cache *cache, struct list_lru *lru,
			   gfp_t gfp)
{
	void *p = kmalloc(cache->size, gfp);

	if (p)
		__atomic_add_fetch(&shim_cache_allocated, 1, __ATOMIC_RELAXED);
	if (p && cache->ctor)
		cache->ctor(p);
	else if (p && (gfp & __GFP_ZERO))
		memset(p, 0, cache->size);
	return p;
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	return kmem_cache_alloc_lru(cache, NULL, gfp);
}

void kmem_cache_free(struct kmem_cache *cache, void *p)
{
	if (p)
		__atomic_sub_fetch(&shim_cache_allocated, 1, __ATOMIC_RELAXED);
	kfree(p);
}

/* lib/xarray.c allocates its nodes from this cache. */
struct kmem_cache *radix_tree_node_cachep;

static void shim_xa_node_ctor(void *arg)
{
	memset(arg, 0, sizeof(struct xa_node));
}

void radix_tree_node_rcu_free(struct rcu_head *head)
{
	struct xa_node *node = container_of(head, struct xa_node, rcu_head);

	memset(node, 0, sizeof(*node));
	kmem_cache_free(radix_tree_node_cachep, node);
}

__attribute__((constructor))
static void shim_init(void)
{
	radix_tree_node_cachep = kmem_cache_create("xa_node",
						   sizeof(struct xa_node), 0,
						   0, shim_xa_node_ctor);
	if (!radix_tree_node_cachep)
		abort();
}

/* Mutexes */

void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
	lock->held = 0;
}

void mutex_destroy(struct mutex *lock)
{
	if (lock->held)
		shim_warn(__FILE__, __LINE__, "mutex destroyed while held");
	pthread_mutex_destroy(&lock->m);
}

void mutex_lock(struct mutex *lock)
{
	if (shim_mutex_held(lock)) {
		fprintf(stderr, "shim: recursive mutex_lock of %p\n",
			(void *)lock);
		abort();
	}
	pthread_mutex_lock(&lock->m);
	__atomic_store_n(&lock->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&lock->held, 1, __ATOMIC_RELAXED);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->m))
		return 0;
	__atomic_store_n(&lock->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&lock->held, 1, __ATOMIC_RELAXED);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (!shim_mutex_held(lock)) {
		fprintf(stderr, "shim: mutex_unlock of %p by a non-owner\n",
			(void *)lock);
		abort();
	}
	__atomic_store_n(&lock->held, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&lock->m);
}

/* Only meaningful for the calling thread, which is all lockdep asks. */
bool shim_mutex_held(const struct mutex *lock)
{
	return __atomic_load_n(&lock->held, __ATOMIC_RELAXED) &&
	       pthread_equal(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED),
			     pthread_self());
}

bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->held, __ATOMIC_RELAXED);
}

void shim_lock_not_held(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: lockdep_assert_held(%s) failed\n", file, line,
		what);
	abort();
}

void shim_rcu_check(bool cond, const char *file, int line, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "%s:%d: RCU check failed: %s\n", file, line, what);
	abort();
}

/* RCU */

static __thread int shim_rcu_nesting;

bool rcu_read_lock_held(void)
{
	return shim_rcu_nesting > 0;
}

struct shim_kfree_rcu {
	struct rcu_head head;
	void *base;
};

static void shim_kfree_rcu_cb(struct rcu_head *head)
{
	struct shim_kfree_rcu *k = container_of(head, struct shim_kfree_rcu,
						head);

	kfree(k->base);
	free(k);
}

/* The record is not counted: only the object it frees is. */
void shim_kfree_rcu(void *base)
{
	struct shim_kfree_rcu *k = calloc(1, sizeof(*k));

	if (!k)
		abort();
	k->base = base;
	call_rcu(&k->head, shim_kfree_rcu_cb);
}

#ifndef SHIM_TSAN

void rcu_read_lock(void)
{
	urcu_memb_read_lock();
	shim_rcu_nesting++;
}

void rcu_read_unlock(void)
{
	shim_rcu_nesting--;
	urcu_memb_read_unlock();
}

void synchronize_rcu(void)
{
	urcu_memb_synchronize_rcu();
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	urcu_memb_call_rcu(head, func);
}

void rcu_barrier(void)
{
	urcu_memb_barrier();
}

#else /* SHIM_TSAN */

static pthread_rwlock_t shim_rcu_gp = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t shim_cb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t shim_cb_cond = PTHREAD_COND_INITIALIZER;
static struct rcu_head *shim_cb_head;
static long shim_cb_queued, shim_cb_done;
static bool shim_cb_thread_started;

void rcu_register_thread(void)
{
}

void rcu_unregister_thread(void)
{
}

void rcu_read_lock(void)
{
	if (!shim_rcu_nesting++)
		pthread_rwlock_rdlock(&shim_rcu_gp);
}

void rcu_read_unlock(void)
{
	if (!--shim_rcu_nesting)
		pthread_rwlock_unlock(&shim_rcu_gp);
}

void synchronize_rcu(void)
{
	if (shim_rcu_nesting)
		shim_rcu_check(false, __FILE__, __LINE__,
			       "synchronize_rcu() inside a read-side section");
	pthread_rwlock_wrlock(&shim_rcu_gp);
	pthread_rwlock_unlock(&shim_rcu_gp);
}

static void *shim_cb_thread(void *arg)
{
	for (;;) {
		struct rcu_head *list, *next;
		long n = 0;

		pthread_mutex_lock(&shim_cb_lock);
		while (!shim_cb_head)
			pthread_cond_wait(&shim_cb_cond, &shim_cb_lock);
		list = shim_cb_head;
		shim_cb_head = NULL;
		pthread_mutex_unlock(&shim_cb_lock);

		synchronize_rcu();
		for (; list; list = next) {
			next = list->next;
			list->func(list);
			n++;
		}
		pthread_mutex_lock(&shim_cb_lock);
		shim_cb_done += n;
		pthread_cond_broadcast(&shim_cb_cond);
		pthread_mutex_unlock(&shim_cb_lock);
	}
	return NULL;
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	pthread_t thread;

	head->func = func;
	pthread_mutex_lock(&shim_cb_lock);
	if (!shim_cb_thread_started) {
		if (pthread_create(&thread, NULL, shim_cb_thread, NULL))
			abort();
		pthread_detach(thread);
		shim_cb_thread_started = true;
	}
	head->next = shim_cb_head;
	shim_cb_head = head;
	shim_cb_queued++;
	pthread_cond_broadcast(&shim_cb_cond);
	pthread_mutex_unlock(&shim_cb_lock);
}

void rcu_barrier(void)
{
	long target;

	pthread_mutex_lock(&shim_cb_lock);
	target = shim_cb_queued;
	while (shim_cb_done < target)
		pthread_cond_wait(&shim_cb_cond, &shim_cb_lock);
	pthread_mutex_unlock(&shim_cb_lock);
}

#endif /* SHIM_TSAN */

/* Library functions */

bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

int sysfs_match_string_array(const char * const *array, size_t n,
			     const char *str)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (array[i] && sysfs_streq(array[i], str))
			return i;
	return -EINVAL;
}

ssize_t shim_strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

u32 get_random_u32(void)
{
	u32 v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		abort();
	return v;
}

/* A random (version 4, variant 1) UUID, as the kernel's uuid_gen(). */
void uuid_gen(uuid_t *u)
{
	size_t i;

	for (i = 0; i < sizeof(u->b); i += 4) {
		u32 r = get_random_u32();

		memcpy(&u->b[i], &r, 4);
	}
	u->b[6] = (u->b[6] & 0x0f) | 0x40;
	u->b[8] = (u->b[8] & 0x3f) | 0x80;
}

u64 get_random_u64(void)
{
	return ((u64)get_random_u32() << 32) | get_random_u32();
}

/* A spinlock-held region is an RCU read-side critical section. */
void shim_spin_lock(pthread_mutex_t *lock)
{
	pthread_mutex_lock(lock);
	rcu_read_lock();
}

void shim_spin_unlock(pthread_mutex_t *lock)
{
	rcu_read_unlock();
	pthread_mutex_unlock(lock);
}

/*
 * Controller notifications live in nvmet/target/, which this lane does not
 * build: count the calls so tests can check that a change raised them.
 */
#include <nvmet/nvmet.h>
#include <nvmet/ns.h>
#include <shim_notify.h>

int shim_notify_calls[SHIM_NOTIFY_NR];

static void shim_notify(enum shim_notify what)
{
	__atomic_add_fetch(&shim_notify_calls[what], 1, __ATOMIC_RELAXED);
}

void nvmet_port_disc_changed(struct nvmet_port *port)
{
	shim_notify(SHIM_NOTIFY_PORT_DISC);
}

void nvmet_subsys_disc_changed(struct nvmet_subsys *subsys)
{
	shim_notify(SHIM_NOTIFY_SUBSYS_DISC);
}

void nvmet_all_disc_changed(void)
{
	shim_notify(SHIM_NOTIFY_ALL_DISC);
}

void nvmet_subsys_ctrls_delete(struct nvmet_subsys *subsys,
			       struct nvmet_port *port)
{
	shim_notify(SHIM_NOTIFY_CTRLS_DELETE);
}

void nvmet_port_ctrls_delete(struct nvmet_port *port)
{
	shim_notify(SHIM_NOTIFY_CTRLS_DELETE);
}

void nvmet_subsys_acl_revoked(struct nvmet_subsys *subsys)
{
	shim_notify(SHIM_NOTIFY_ACL_REVOKED);
}

void nvmet_port_ana_changed(struct nvmet_port *port)
{
	shim_notify(SHIM_NOTIFY_ANA);
}

void nvmet_subsys_ana_changed(struct nvmet_subsys *subsys)
{
	shim_notify(SHIM_NOTIFY_ANA);
}

void nvmet_ns_notify_changed(struct nvmet_ns *ns)
{
	shim_notify(SHIM_NOTIFY_NS);
}

const struct nvmet_host *shim_vis_host;

/* Called with ns->vis_lock held, as notify.c asserts. */
void nvmet_ns_visibility_changed(struct nvmet_ns *ns,
				 const struct nvmet_host *host)
{
	lockdep_assert_held(&ns->vis_lock);
	shim_vis_host = host;
	shim_notify(SHIM_NOTIFY_NS_VIS);
}

/* Reservations live in nvmet/target/pr.c, outside the core. */
int nvmet_pr_ns_open(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
	return 0;
}

void nvmet_pr_ns_close(struct nvmet_ns *ns)
{
	lockdep_assert_held(&ns->lock);
}

/*
 * Zoned namespaces' checks live in nvmet/target/zns.c; no backend here
 * reports zones, so a namespace that claims them is refused.
 */
int nvmet_zns_ns_check(struct nvmet_ns *ns,
		       const struct nvmet_backend_ops *ops)
{
	lockdep_assert_held(&ns->lock);
	return -EINVAL;
}

void nvmet_disc_log_free(struct nvmet_port *port)
{
}
