// fiber.h -- user-space context switches for the controlled runtime, on Boost.Context's
// fcontext primitives (make_fcontext / jump_fcontext: save registers and jump, no system
// call). Stacks come from a pool reused by every execution, so starting a task costs no
// allocation. Abandoning a fiber (an execution that ends while tasks are blocked) is just
// forgetting its context: the port keeps no owning objects on its stacks.
#ifndef KTHCHECK_CHECKER_RUNTIME_FIBER_H_
#define KTHCHECK_CHECKER_RUNTIME_FIBER_H_

#include <cstddef>
#include <vector>

namespace kt::rt {

using Context = void*;  // boost::context::detail::fcontext_t

// Same layout as boost::context::detail::transfer_t.
struct Transfer {
  Context from;  // the context that jumped here; jump to it to resume it
  void* data;
};

class StackPool {
 public:
  explicit StackPool(size_t stack_bytes = 256 * 1024) : stack_bytes_(stack_bytes) {}
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  // The top of stack `i` (stacks grow down), allocated on first use.
  void* Top(int i);
  size_t stack_bytes() const { return stack_bytes_; }

 private:
  size_t stack_bytes_;
  std::vector<char*> stacks_;
};

// A context that runs entry(t) when first jumped to; entry must never return.
Context MakeContext(void* stack_top, size_t size, void (*entry)(Transfer t));
Transfer Jump(Context to, void* data);

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_FIBER_H_
