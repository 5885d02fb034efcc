// list.h -- the kernel's intrusive doubly linked list (include/linux/list.h).
//
// As in the kernel, the `next` link is written with WRITE_ONCE and list_empty() reads it
// with READ_ONCE, because some readers test emptiness without the lock (kthreadd does).
// Every other access is plain and protected by the list's spinlock.
#ifndef KTHCHECK_IMPL_KERNEL_LIST_H_
#define KTHCHECK_IMPL_KERNEL_LIST_H_

#include <cstddef>

#include "impl/kernel/atomic.h"

namespace kt {

struct list_head {
  list_head* next;
  list_head* prev;
};

inline void INIT_LIST_HEAD(list_head* l) {
  WRITE_ONCE(l->next, l);
  l->prev = l;
}
inline bool list_empty(const list_head* h) { return READ_ONCE(h->next) == h; }
inline void __list_add(list_head* n, list_head* prev, list_head* next) {
  next->prev = n;
  n->next = next;
  n->prev = prev;
  WRITE_ONCE(prev->next, n);
}
inline void list_add(list_head* n, list_head* h) { __list_add(n, h, h->next); }
inline void list_add_tail(list_head* n, list_head* h) { __list_add(n, h->prev, h); }
inline void list_del_init(list_head* e) {
  e->next->prev = e->prev;
  WRITE_ONCE(e->prev->next, e->next);
  INIT_LIST_HEAD(e);
}

#define list_entry(ptr, type, member) \
  reinterpret_cast<type*>(reinterpret_cast<char*>(ptr) - offsetof(type, member))
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_LIST_H_
