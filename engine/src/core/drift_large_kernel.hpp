// drift_large's loops, included by drift_large.cpp once per instruction set, inside a namespace
// that defines `Vec` (kLanes doubles: +, -, * element-wise), load, store, broadcast and bounded
// (pack.hpp's min(max(x, 0), 1) lane by lane). No include guard: meant to be included more than
// once. Every operation is element-wise IEEE, so each instance gives the same bits.

/// The step for columns j0 .. j0 + kWide - 1 (a whole super-block; the last, narrower one takes
/// block_scalar). `sums`, `lost`: n x kWide scratch, row-major.
template <bool Masked, bool Noisy>
void block_wide(const LargeDrift& d, Eigen::Index j0, double* sums, double* lost) {
  constexpr int kGroups = int(kWide) / kLanes;
  const Eigen::Index n = d.n;
  const TieStructure& ties = *d.ties;
  const Eigen::Index* first = ties.first.data();
  const Eigen::Index* leaner = ties.leaner.data();
  const double* weight = ties.weight.data();
  const unsigned char* absent = d.absent;
  std::fill_n(sums, n * kWide, 0.0);
  if constexpr (Masked) std::fill_n(lost, n * kWide, 0.0);

  // The sums sum_k W_ik T_kj over the ties, kWide columns at once, as spillover_impl takes them:
  // ascending k, from +0, T_kj as 0 for k == j and (Masked) where k–j has no relation. Row k of
  // the block's columns: kWide contiguous values of the transposed tension.
  for (Eigen::Index k = 0; k < n; ++k) {
    if (first[k] == first[k + 1]) continue;  // nobody leans on k
    const double* row = d.tt + j0 + k * n;
    alignas(64) double t_k[kWide], gone[kWide];
    const bool diagonal = k >= j0 && k < j0 + kWide;
    if (diagonal || Masked) {
      std::copy_n(row, kWide, t_k);
      if (diagonal) t_k[k - j0] = 0.0;
      if constexpr (Masked)
        for (Eigen::Index c = 0; c < kWide; ++c) {
          gone[c] = k != j0 + c && absent[std::size_t(k * n + j0 + c)] != 0 ? 1.0 : 0.0;
          if (gone[c] != 0.0) t_k[c] = 0.0;
        }
      row = t_k;
    }
    Vec t[kGroups];
    for (int g = 0; g < kGroups; ++g) t[g] = load(row + g * kLanes);
    for (Eigen::Index p = first[k]; p < first[k + 1]; ++p) {
      double* s = sums + leaner[p] * kWide;
      const Vec w = broadcast(weight[p]);
      for (int g = 0; g < kGroups; ++g) store(s + g * kLanes, load(s + g * kLanes) + w * t[g]);
      if constexpr (Masked) {
        double* l = lost + leaner[p] * kWide;
        for (int g = 0; g < kGroups; ++g) store(l + g * kLanes, load(l + g * kLanes) + w * load(gone + g * kLanes));
      }
    }
  }

  // Eight rows at a time, each row's kWide elements a pack at a time, as if no tie joined i and j
  // (W_ij = 0: rowsum_i - W_ij is rowsum_i bit for bit; the tied pairs are redone after): the
  // rows go to the transposed tension whole, the columns to the tension eight rows at once.
  const double* row_sum = ties.row_sum.data();
  const double* scale = ties.scale.data();
  for (Eigen::Index i0 = 0; i0 < n; i0 += 8) {
    const Eigen::Index h = std::min<Eigen::Index>(8, n - i0);
    alignas(64) double out[8][kWide];
    [[maybe_unused]] alignas(64) double noise[8][kWide];
    if constexpr (Noisy)
      for (Eigen::Index c = 0; c < kWide; ++c)
        for (Eigen::Index r = 0; r < h; ++r) noise[r][c] = d.noise[i0 + r + (j0 + c) * n];
    for (Eigen::Index r = 0; r < h; ++r) {
      const Eigen::Index i = i0 + r;
      const std::size_t at = std::size_t(j0 + i * n);  // (i, j0) in the transposed arrays
      const Vec rs = broadcast(row_sum[i]), sc = broadcast(scale[i]);
      const Vec restraint = broadcast(d.restraint[i]), reactivity = broadcast(d.reactivity[i]);
      const double* s = sums + i * kWide;
      for (int g = 0; g < kGroups; ++g) {
        const Eigen::Index c = g * kLanes;
        const Vec t = load(d.tt + at + c), b = load(d.bt + at + c);
        const Vec answer = load(d.t + at + c) - load(d.b + at + c);  // T_ji - B_ji
        Vec rest = rs;
        if constexpr (Masked) rest = rest - load(lost + i * kWide + c);
        const Vec spill = sc * (load(s + c) - rest * t);
        Vec v = t + restraint * (b - t) + reactivity * answer + spill;
        if constexpr (Noisy) v = v + load(&noise[r][c]);
        store(&out[r][c], bounded(v));
      }
      if (i >= j0 && i < j0 + kWide) out[r][i - j0] = 0.0;
      if constexpr (Masked)
        for (Eigen::Index c = 0; c < kWide; ++c)
          if (absent[std::size_t(i * n + j0 + c)] != 0) out[r][c] = 0.0;
      std::copy_n(out[r], kWide, d.next_tt + at);
    }
    for (Eigen::Index c = 0; c < kWide; ++c) {
      double* column = d.next + i0 + (j0 + c) * n;
      for (Eigen::Index r = 0; r < h; ++r) column[r] = out[r][c];
    }
  }
  patch_ties<Masked, Noisy>(d, j0, kWide, sums, lost);
}

template <bool Masked, bool Noisy>
void blocks(const LargeDrift& d, double* sums, double* lost) {
  Eigen::Index j0 = 0;
  for (; j0 + kWide <= d.n; j0 += kWide) block_wide<Masked, Noisy>(d, j0, sums, lost);
  if (j0 < d.n) block_scalar<Masked, Noisy>(d, j0, sums, lost);
}

void all_blocks(const LargeDrift& d, double* sums, double* lost) {
  if (d.absent)
    d.noise ? blocks<true, true>(d, sums, lost) : blocks<true, false>(d, sums, lost);
  else
    d.noise ? blocks<false, true>(d, sums, lost) : blocks<false, false>(d, sums, lost);
}
