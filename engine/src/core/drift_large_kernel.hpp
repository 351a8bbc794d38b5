// drift_large's loops, included by drift_large.cpp once per instruction set, inside a namespace
// that defines `Vec` (kLanes doubles: +, -, * element-wise), load, store, broadcast and bounded
// (pack.hpp's min(max(x, 0), 1) lane by lane). No include guard: meant to be included more than
// once. Every operation is element-wise IEEE, so each instance gives the same bits.

/// The step for columns j0 .. j0 + W - 1. `gone`: n x W scratch, row-major (Masked: 1 where k–j
/// has no relation).
template <bool Masked, bool Noisy, Eigen::Index W>
void block(const LargeDrift& d, Eigen::Index j0, double* gone) {
  constexpr int kPacks = int(std::min<Eigen::Index>(8, W / kLanes));  // sums kept in registers at once
  constexpr Eigen::Index kChunk = Eigen::Index(kPacks) * kLanes;      // their columns
  static_assert(W % kChunk == 0);
  const Eigen::Index n = d.n;
  const TieStructure& ties = *d.ties;
  const Eigen::Index* row_first = ties.row_first.data();
  const Eigen::Index* partner = ties.partner.data();
  const double* row_weight = ties.row_weight.data();
  const double* row_sum = ties.row_sum.data();
  const double* scale = ties.scale.data();
  const unsigned char* absent = d.absent;
  if constexpr (Masked)
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index c = 0; c < W; ++c)
        gone[k * W + c] = k != j0 + c && absent[std::size_t(k * n + j0 + c)] != 0 ? 1.0 : 0.0;

  // Eight rows at a time, each row's W elements a pack at a time. A row's spillover sums
  // sum_k W_ik T_kj are taken where they are used, over its ties in ascending k from +0, as
  // spillover_impl adds them: T_kj is row k of the transposed tension, whose diagonal and absent
  // pairs are +0 (drift_large's invariant), the terms spillover_impl skips. The elements are
  // first taken as if no tie joined i and j (W_ij = 0: rowsum_i - W_ij is rowsum_i bit for bit),
  // then the row's tied pairs are redone with their W_ij. The rows go to the transposed tension
  // whole, the columns to the tension eight rows at once.
  for (Eigen::Index i0 = 0; i0 < n; i0 += 8) {
    const Eigen::Index h = std::min<Eigen::Index>(8, n - i0);
    alignas(64) double out[8][W];
    [[maybe_unused]] alignas(64) double noise[8][W];
    if constexpr (Noisy)
      for (Eigen::Index c = 0; c < W; ++c)
        for (Eigen::Index r = 0; r < h; ++r) noise[r][c] = d.noise[i0 + r + (j0 + c) * n];
    for (Eigen::Index r = 0; r < h; ++r) {
      const Eigen::Index i = i0 + r, p0 = row_first[i], p1 = row_first[i + 1];
      const std::size_t at = std::size_t(j0 + i * n);  // (i, j0) in the transposed arrays
      if (i + kAhead < n) {  // rows n * 8 bytes apart: no hardware prefetcher follows them
        const std::size_t ahead = at + std::size_t(kAhead * n);
        for (std::size_t byte = 0; byte < W * sizeof(double); byte += 64) {
          prefetch(d.tt + ahead, byte, false);
          prefetch(d.bt + ahead, byte, false);
          prefetch(d.t + ahead, byte, false);
          prefetch(d.b + ahead, byte, false);
          prefetch(d.next_tt + ahead, byte, true);
        }
        for (Eigen::Index p = row_first[i + kAhead]; p < row_first[i + kAhead + 1]; ++p)  // its partners' rows
          for (std::size_t byte = 0; byte < W * sizeof(double); byte += 64)
            prefetch(d.tt + j0 + partner[p] * n, byte, false);
      }
      const Vec rs = broadcast(row_sum[i]), sc = broadcast(scale[i]);
      const Vec restraint = broadcast(d.restraint[i]), reactivity = broadcast(d.reactivity[i]);
      alignas(64) double sums[W];
      [[maybe_unused]] alignas(64) double lost[W];
      for (Eigen::Index c0 = 0; c0 < W; c0 += kChunk) {
        Vec sum[kPacks], lose[kPacks];
        for (int g = 0; g < kPacks; ++g) sum[g] = lose[g] = broadcast(0.0);
        for (Eigen::Index p = p0; p < p1; ++p) {  // ascending k
          const Vec w = broadcast(row_weight[p]);
          const double* t_k = d.tt + j0 + c0 + partner[p] * n;
          for (int g = 0; g < kPacks; ++g) sum[g] = sum[g] + w * load(t_k + g * kLanes);
          if constexpr (Masked) {
            const double* g_k = gone + partner[p] * W + c0;
            for (int g = 0; g < kPacks; ++g) lose[g] = lose[g] + w * load(g_k + g * kLanes);
          }
        }
        for (int g = 0; g < kPacks; ++g) {
          const Eigen::Index c = c0 + g * kLanes;
          const Vec t = load(d.tt + at + c), b = load(d.bt + at + c);
          const Vec answer = load(d.t + at + c) - load(d.b + at + c);  // T_ji - B_ji
          Vec rest = rs;
          if constexpr (Masked) rest = rest - lose[g];
          const Vec spill = sc * (sum[g] - rest * t);
          Vec v = t + restraint * (b - t) + reactivity * answer + spill;
          if constexpr (Noisy) v = v + load(&noise[r][c]);
          store(&out[r][c], bounded(v));
          store(sums + c, sum[g]);
          if constexpr (Masked) store(lost + c, lose[g]);
        }
      }
      for (Eigen::Index p = p0; p < p1; ++p) {  // the tied pairs i -> j of this block
        const Eigen::Index c = partner[p] - j0;
        if (c < 0 || c >= W) continue;
        out[r][c] = element<Masked>(d.tt[at + std::size_t(c)], d.bt[at + std::size_t(c)],
                                    d.t[at + std::size_t(c)] - d.b[at + std::size_t(c)], sums[c],
                                    Masked ? lost[c] : 0.0, row_sum[i], row_weight[p], scale[i], d.restraint[i],
                                    d.reactivity[i], Noisy ? &noise[r][c] : nullptr);
      }
      if (i >= j0 && i < j0 + W) out[r][i - j0] = 0.0;
      if constexpr (Masked)
        for (Eigen::Index c = 0; c < W; ++c)
          if (absent[std::size_t(i * n + j0 + c)] != 0) out[r][c] = 0.0;
      std::copy_n(out[r], W, d.next_tt + at);
    }
    for (Eigen::Index c = 0; c < W; ++c) {
      double* column = d.next + i0 + (j0 + c) * n;
      for (Eigen::Index r = 0; r < h; ++r) column[r] = out[r][c];
    }
  }
}

/// Blocks of kWide columns, then of kWide / 2 and 8 for the rest, and the last few columns in a
/// block of 8 that overlaps the one before (its columns computed again: the same values).
template <bool Masked, bool Noisy>
void blocks(const LargeDrift& d, double* gone) {
  const Eigen::Index n = d.n;
  Eigen::Index j0 = 0;
  for (; j0 + kWide <= n; j0 += kWide) block<Masked, Noisy, kWide>(d, j0, gone);
  for (; j0 + kWide / 2 <= n; j0 += kWide / 2) block<Masked, Noisy, kWide / 2>(d, j0, gone);
  for (; j0 + 8 <= n; j0 += 8) block<Masked, Noisy, 8>(d, j0, gone);
  if (j0 < n) block<Masked, Noisy, 8>(d, n - 8, gone);  // n >= kSmallWorld > 8
}

void all_blocks(const LargeDrift& d, double* gone) {
  if (d.absent)
    d.noise ? blocks<true, true>(d, gone) : blocks<true, false>(d, gone);
  else
    d.noise ? blocks<false, true>(d, gone) : blocks<false, false>(d, gone);
}
