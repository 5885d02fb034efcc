#include "checker/runtime/fiber.h"

#include <boost/context/detail/fcontext.hpp>
#include <cstdlib>
#include <type_traits>

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
  // transfer_t and Transfer have the same layout, so the entry can be called directly.
  return bc::make_fcontext(stack_top, size, reinterpret_cast<void (*)(bc::transfer_t)>(entry));
}

Transfer Jump(Context to, void* data) {
  bc::transfer_t t = bc::jump_fcontext(static_cast<bc::fcontext_t>(to), data);
  return Transfer{t.fctx, t.data};
}

}  // namespace kt::rt
