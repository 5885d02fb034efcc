#include "impl/platform/seam.h"

namespace kt {
namespace {
Sys* g_sys = nullptr;
}  // namespace

Sys& sys() { return *g_sys; }
void SetSys(Sys* s) { g_sys = s; }
Sys* GetSys() { return g_sys; }

}  // namespace kt
