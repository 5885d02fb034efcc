// lemmas.h -- strengthening lemmas (is_lemma rows of invariants.def).
//
// They make the conjunction of invariants inductive for proofs/induction.cc; each is a
// per-CPU predicate like the invariants, and the explicit engine checks them on the
// faithful model (for variants they may legitimately fail, so they are skipped there).
#ifndef KTHCHECK_MODEL_LEMMAS_H_
#define KTHCHECK_MODEL_LEMMAS_H_

namespace kthcheck::model {

template <class D>
BoolOf<D> LemmaTaskState(const StepContext<D>& k, const CpuT<D>& t) {
  return k.d.B(true);
}

template <class D>
BoolOf<D> LemmaController(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s,
                          const CpuT<D>& t) {
  return k.d.B(true);
}

template <class D>
BoolOf<D> LemmaProducer(const StepContext<D>& k, typename D::Int c, const SharedT<D>& s,
                        const CpuT<D>& t) {
  return k.d.B(true);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_LEMMAS_H_
