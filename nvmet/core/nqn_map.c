// SPDX-License-Identifier: GPL-2.0-only
/*
 * NQN-keyed maps, read under RCU.
 *
 * An NQN is hashed to 32 bits; an xarray maps the hash to the first node of
 * a singly linked chain of the objects with that hash.  Readers walk the
 * chain under rcu_read_lock() without any lock; insert and remove hold the
 * map's mutex.  A removed node keeps its @next pointer, so a reader standing
 * on it finishes its walk; the object that embeds the node is freed only
 * after a grace period (kfree_rcu() by the owner).
 *
 * Conventions:
 * @map:  the map
 * @node: an object's entry, embedded in the object
 * @nqn:  the key, a NUL-terminated NQN owned by the object
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include <nvmet/nvmet.h>

static struct nvmet_nqn_node *nvmet_nqn_next_locked(struct nvmet_nqn_map *map,
						    struct nvmet_nqn_node *n)
	__must_hold(&map->lock)
{
	return rcu_dereference_protected(n->next, lockdep_is_held(&map->lock));
}

/**
 * nvmet_nqn_hash() - hash an NQN for an nvmet_nqn_map
 * @nqn: the NQN
 *
 * 32-bit FNV-1a: cheap, and NQNs that share a long prefix (the usual case,
 * "nqn.2014-08.com.example:...") still spread well.
 *
 * Context: Any context.
 * Return: the hash.
 */
u32 nvmet_nqn_hash(const char *nqn)
{
	u32 hash = 2166136261u;

	while (*nqn) {
		hash ^= (u8)*nqn++;
		hash *= 16777619u;
	}
	return hash;
}
EXPORT_SYMBOL_GPL(nvmet_nqn_hash);

/**
 * nvmet_nqn_map_init() - initialise an empty map
 * @map: the map
 *
 * Context: Any context.
 */
void nvmet_nqn_map_init(struct nvmet_nqn_map *map)
{
	mutex_init(&map->lock);
	xa_init(&map->buckets);
}
EXPORT_SYMBOL_GPL(nvmet_nqn_map_init);

/**
 * nvmet_nqn_map_destroy() - release an empty map's memory
 * @map: the map; it must be empty
 *
 * Context: Process context.
 */
void nvmet_nqn_map_destroy(struct nvmet_nqn_map *map)
{
	WARN_ON(!xa_empty(&map->buckets));
	xa_destroy(&map->buckets);
	mutex_destroy(&map->lock);
}
EXPORT_SYMBOL_GPL(nvmet_nqn_map_destroy);

/**
 * nvmet_nqn_map_insert() - publish an object under its NQN
 * @map: the map
 * @node: the object's node
 * @nqn: the key; must stay valid and unchanged while @node is in @map
 *
 * Context: Process context; takes and releases @map's lock, may sleep.
 * Return: 0, -EEXIST if an object with the same NQN is in @map, or -ENOMEM.
 */
int nvmet_nqn_map_insert(struct nvmet_nqn_map *map,
			 struct nvmet_nqn_node *node, const char *nqn)
{
	u32 hash = nvmet_nqn_hash(nqn);
	struct nvmet_nqn_node *head, *n;
	int ret;

	mutex_lock(&map->lock);
	head = xa_load(&map->buckets, hash);
	for (n = head; n; n = nvmet_nqn_next_locked(map, n)) {
		if (!strcmp(n->nqn, nqn)) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	/*
	 * @node is touched only now: a refused insert leaves it as it was,
	 * even if it is already in a map.  Readers that find @node through
	 * the xarray see the old chain behind it.
	 */
	node->nqn = nqn;
	node->hash = hash;
	RCU_INIT_POINTER(node->next, head);
	ret = xa_err(xa_store(&map->buckets, hash, node, GFP_KERNEL));
out_unlock:
	mutex_unlock(&map->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(nvmet_nqn_map_insert);

/**
 * nvmet_nqn_map_remove() - unpublish an object
 * @map: the map
 * @node: the object's node, inserted earlier
 *
 * Readers may still hold @node until a grace period has passed; the owner
 * frees the object with kfree_rcu() or after synchronize_rcu().
 *
 * Context: Process context; takes and releases @map's lock.
 */
void nvmet_nqn_map_remove(struct nvmet_nqn_map *map,
			  struct nvmet_nqn_node *node)
{
	struct nvmet_nqn_node *head, *prev, *next;

	mutex_lock(&map->lock);
	head = xa_load(&map->buckets, node->hash);
	next = nvmet_nqn_next_locked(map, node);
	if (head == node) {
		/* Replacing a present entry allocates nothing: cannot fail. */
		if (next)
			xa_store(&map->buckets, node->hash, next, GFP_KERNEL);
		else
			xa_erase(&map->buckets, node->hash);
		goto out_unlock;
	}
	for (prev = head; prev; prev = nvmet_nqn_next_locked(map, prev)) {
		if (nvmet_nqn_next_locked(map, prev) == node) {
			rcu_assign_pointer(prev->next, next);
			goto out_unlock;
		}
	}
	WARN(1, "nvmet: %s is not in its map\n", node->nqn);
out_unlock:
	mutex_unlock(&map->lock);
}
EXPORT_SYMBOL_GPL(nvmet_nqn_map_remove);

/**
 * nvmet_nqn_map_lookup() - find an object by NQN
 * @map: the map
 * @nqn: the NQN to look for
 *
 * The node is valid until the caller leaves the RCU read-side section; take
 * a reference on the object (kref_get_unless_zero()) to keep it longer.
 *
 * Context: Any context; the caller holds rcu_read_lock().
 * Return: the node, or NULL.
 */
struct nvmet_nqn_node *nvmet_nqn_map_lookup(struct nvmet_nqn_map *map,
					    const char *nqn)
{
	struct nvmet_nqn_node *n;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "NQN lookup without RCU");
	for (n = xa_load(&map->buckets, nvmet_nqn_hash(nqn)); n;
	     n = rcu_dereference(n->next)) {
		if (!strcmp(n->nqn, nqn))
			return n;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(nvmet_nqn_map_lookup);
