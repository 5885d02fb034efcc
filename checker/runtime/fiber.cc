#include "checker/runtime/fiber.h"

#include <boost/context/detail/fcontext.hpp>
#include <cstdlib>
#include <type_traits>

// ASan's, when the binary links it (null otherwise). Weak, and not only under
// __has_feature(address_sanitizer): --config=fuzzfast builds this file without ASan while
// the port's frames on these stacks are instrumented.
extern "C" void __asan_unpoison_memory_region(void const volatile* addr, size_t size)
    __attribute__((weak));

namespace kt::rt {
namespace bc = boost::context::detail;

static_assert(sizeof(Transfer) == sizeof(bc::transfer_t) &&
              std::is_standard_layout_v<bc::transfer_t>);

StackPool::~StackPool() {
  for (char* s : stacks_) std::free(s);
}

void* StackPool::Top(int i) {
  while (static_cast<int>(stacks_.size()) <= i)
    stacks_.push_back(static_cast<char*>(std::aligned_alloc(64, stack_bytes_)));
  return stacks_[i] + stack_bytes_;
}

Context MakeContext(void* stack_top, size_t size, void (*entry)(Transfer)) {
  // A pooled stack may still hold the redzones of a fiber abandoned by an earlier
  // execution (it never returned from its frames); the new fiber's locals would land on
  // them as false stack-buffer-overflows (checkpoint_fuzzer, resuming event_loop). Nothing
  // runs on this stack yet.
  if (__asan_unpoison_memory_region)
    __asan_unpoison_memory_region(static_cast<char*>(stack_top) - size, size);
  // transfer_t and Transfer have the same layout, so the entry can be called directly.
  return bc::make_fcontext(stack_top, size, reinterpret_cast<void (*)(bc::transfer_t)>(entry));
}

Transfer Jump(Context to, void* data) {
  bc::transfer_t t = bc::jump_fcontext(static_cast<bc::fcontext_t>(to), data);
  return Transfer{t.fctx, t.data};
}

}  // namespace kt::rt
