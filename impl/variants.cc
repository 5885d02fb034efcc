#include "impl/variants.h"

namespace kt {
namespace {

const VariantInfo kVariants[] = {
#define VARIANT(id, name, scenario, oracle, desc) \
  {Variant::id, name, scenario, oracle, desc, "sc", 0},
#define VARIANT_TSO(id, name, scenario, oracle, desc) \
  {Variant::id, name, scenario, oracle, desc, "tso", 0},
#define VARIANT_PSO(id, name, scenario, oracle, desc) \
  {Variant::id, name, scenario, oracle, desc, "pso", 0},
#define VARIANT_SPURIOUS(id, name, scenario, oracle, desc) \
  {Variant::id, name, scenario, oracle, desc, "sc", 1},
#include "impl/variants.def"
#undef VARIANT_SPURIOUS
#undef VARIANT_PSO
#undef VARIANT_TSO
#undef VARIANT
};
Variant g_active = Variant::kNone;

}  // namespace

const VariantInfo* AllVariants(int* count) {
  *count = static_cast<int>(sizeof(kVariants) / sizeof(kVariants[0]));
  return kVariants;
}

std::optional<Variant> FindVariant(std::string_view name) {
  for (const VariantInfo& v : kVariants)
    if (name == v.name) return v.id;
  return std::nullopt;
}

const char* VariantName(Variant v) {
  for (const VariantInfo& info : kVariants)
    if (info.id == v) return info.name;
  return "none";
}

void SetActiveVariant(Variant v) { g_active = v; }
Variant ActiveVariant() { return g_active; }

}  // namespace kt
