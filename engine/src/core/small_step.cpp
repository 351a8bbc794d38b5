#include "small_step.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include "pack.hpp"

namespace geosim::detail {
namespace {

using pack::Pack;

/// Pack p of an array of N values: whole, or, for the last of an odd N, its first lane only
/// (the second 0), so that nothing past the N values is read.
template <int N>
Pack load_part(const double* x, int p) {
  if constexpr (N % pack::kLanes != 0)
    if (p == N / pack::kLanes) return pack::load_first(x + p * pack::kLanes);
  return pack::load(x + p * pack::kLanes);
}

template <int N>
void store_part(double* x, int p, Pack v) {
  if constexpr (N % pack::kLanes != 0)
    if (p == N / pack::kLanes) return pack::store_first(x + p * pack::kLanes, v);
  pack::store(x + p * pack::kLanes, v);
}

/// The fused loop for N actors (known when compiled: the sums stay in registers, the loops
/// unroll). Each element's arithmetic is that of spillover_small and drift_columns, term by term
/// and in the same order: the spillover's sum over every partner k ascending, the term of k == j
/// taken as W_ij * 0 as there.
template <int N>
void fused(const SmallDrift& d, const TieStructure& ties) {
  constexpr int packs = (N + pack::kLanes - 1) / pack::kLanes;
  constexpr Eigen::Index padded = packs * pack::kLanes;  // ties.dense's rows
  const double* w = ties.dense.data();                     // W_ik = w[k * padded + i]
  const double *scale = ties.scale.data(), *row_sum = ties.row_sum.data();
  for (int j = 0; j < N; ++j) {
    const std::size_t c = std::size_t(j) * N;
    const double* t = d.t + c;  // T_kj = t[k]
    Pack sums[packs];
    for (int p = 0; p < packs; ++p) sums[p] = pack::broadcast(0.0);
    for (int k = 0; k < N; ++k) {  // ascending k: each sum adds in that order
      const Pack t_kj = pack::broadcast(k == j ? 0.0 : t[k]);
      const double* w_k = w + k * padded;
      for (int p = 0; p < packs; ++p) sums[p] = sums[p] + pack::load(w_k + p * pack::kLanes) * t_kj;
    }
    const double *b = d.b + c, *tie = d.tie + c, *a = d.answer + c, *z = d.noise ? d.noise + c : nullptr;
    double* out = d.next + c;
    for (int p = 0; p < packs; ++p) {
      const Pack t_ij = load_part<N>(t, p), b_ij = load_part<N>(b, p);
      const Pack spill =
          load_part<N>(scale, p) * (sums[p] - (load_part<N>(row_sum, p) - load_part<N>(tie, p)) * t_ij);
      Pack x = t_ij + load_part<N>(d.restraint, p) * (b_ij - t_ij) + load_part<N>(d.reactivity, p) * load_part<N>(a, p) +
               spill;
      if (z) x = x + load_part<N>(z, p);
      store_part<N>(out, p, pack::bounded(x));
    }
    out[j] = 0.0;
    if (d.next_answer)  // the next step's answer, while this column is at hand: its row j
      for (int i = 0; i < N; ++i) d.next_answer[j + i * N] = out[i] - b[i];
  }
}

using Fused = void (*)(const SmallDrift&, const TieStructure&);

template <int... Ns>
constexpr std::array<Fused, sizeof...(Ns)> fused_loops(std::integer_sequence<int, Ns...>) {
  return {(Ns == 0 ? Fused(nullptr) : &fused<(Ns == 0 ? 1 : Ns)>)...};
}

}  // namespace

void small_drift(const SmallDrift& d, const TieStructure& ties, Eigen::Index n) {
  static constexpr auto loops = fused_loops(std::make_integer_sequence<int, int(kSmallWorld)>());
  if (n > 0 && n < kSmallWorld) loops[std::size_t(n)](d, ties);
}

}  // namespace geosim::detail
