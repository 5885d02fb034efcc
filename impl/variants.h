// variants.h -- the run-time switches of variants.def, read by the port.
#ifndef KTHCHECK_IMPL_VARIANTS_H_
#define KTHCHECK_IMPL_VARIANTS_H_

#include <optional>
#include <string_view>

namespace kt {

enum class Variant {
  kNone,
#define VARIANT(id, name, scenario, oracle, desc) id,
#define VARIANT_TSO(id, name, scenario, oracle, desc) id,
#define VARIANT_PSO(id, name, scenario, oracle, desc) id,
#define VARIANT_SPURIOUS(id, name, scenario, oracle, desc) id,
#include "impl/variants.def"
#undef VARIANT_SPURIOUS
#undef VARIANT_PSO
#undef VARIANT_TSO
#undef VARIANT
};

struct VariantInfo {
  Variant id;
  const char* name;
  const char* scenario;
  const char* expected_oracle;
  const char* description;
  // The memory model under which its check expects the catch: "sc", "tso" for a
  // missing barrier that sequential consistency cannot show (VARIANT_TSO rows), or
  // "pso" for a missing store->store barrier that tso cannot show either (VARIANT_PSO).
  const char* memory_model;
  // Stray wakeups per execution its check injects: 1 for a wait that does not re-test
  // its condition (VARIANT_SPURIOUS rows), else 0.
  int stray_wakeups;
};

// Every variant, in variants.def order.
const VariantInfo* AllVariants(int* count);
std::optional<Variant> FindVariant(std::string_view name);
const char* VariantName(Variant v);

// The variant active in the running kernel instance (kNone = the faithful port).
void SetActiveVariant(Variant v);
Variant ActiveVariant();
inline bool kt_variant(Variant v) { return ActiveVariant() == v; }

}  // namespace kt

#endif  // KTHCHECK_IMPL_VARIANTS_H_
