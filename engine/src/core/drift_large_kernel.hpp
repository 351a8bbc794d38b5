// drift_large's loops, included by drift_large.cpp once per instruction set, inside a namespace
// that defines `Vec` (kLanes doubles: +, -, * element-wise), load, store, broadcast and bounded
// (pack.hpp's min(max(x, 0), 1) lane by lane). No include guard: meant to be included more than
// once. Every operation is element-wise IEEE, so each instance gives the same bits.

/// dst[r ds + c] = src[c ss + r] for r, c < R (a multiple of kLanes): a square transposed,
/// kLanes x kLanes at a time (`transpose`, which only moves bits).
template <Eigen::Index R>
inline void transpose_square(const double* src, Eigen::Index ss, double* dst, Eigen::Index ds) {
  for (Eigen::Index c = 0; c < R; c += kLanes)
    for (Eigen::Index r = 0; r < R; r += kLanes) transpose(src + c * ss + r, ss, dst + r * ds + c, ds);
}

/// Writes eight finished rows i0 .. i0 + 7 (`out`: row-major, W values a row) into the block's
/// columns of the new tension: eight rows by eight columns transposed at once, each column's
/// eight values one 64-byte piece. With `stream` (large worlds, each piece a whole cache line)
/// they are written around the caches: a world this large does not fit them anyway (the
/// indicators after the step read a few of its relations), and a line written whole need not be
/// read first.
template <Eigen::Index W>
void put_rows(const LargeDrift& d, Eigen::Index i0, Eigen::Index j0, const double* out, bool stream) {
  const Eigen::Index n = d.n;
  for (Eigen::Index c0 = 0; c0 < W; c0 += 8)
    for (Eigen::Index c = c0; c < c0 + 8; c += kLanes)
      for (Eigen::Index r = 0; r < 8; r += kLanes) {
        double* to = d.next + (j0 + c) * n + i0 + r;
        stream ? transpose<true>(out + r * W + c, W, to, n) : transpose(out + r * W + c, W, to, n);
      }
}

/// Fills `slab` from the block's columns of T and B, which column-major storage keeps in one
/// contiguous piece: eight columns at a time from start to end (eight sequential streams each),
/// eight rows by eight columns transposed at once, each row's eight values one cache line of
/// the slab.
template <bool Masked, Eigen::Index W>
void take_columns(const LargeDrift& d, Eigen::Index j0, const Slab& slab) {
  const Eigen::Index n = d.n, whole = n - n % 8;
  for (Eigen::Index c0 = 0; c0 < W; c0 += 8) {
    const double* t = d.t + (j0 + c0) * n;
    const double* b = d.b + (j0 + c0) * n;
    Eigen::Index k = 0;
    for (; k < whole; k += 8) {
      if (k + kColumnAhead < n)
        for (Eigen::Index c = 0; c < 8; ++c) {
          prefetch(t + k + kColumnAhead + c * n, 0);
          prefetch(b + k + kColumnAhead + c * n, 0);
        }
      transpose_square<8>(t + k, n, slab.t + k * W + c0, W);
      transpose_square<8>(b + k, n, slab.b + k * W + c0, W);
    }
    for (; k < n; ++k)
      for (Eigen::Index c = 0; c < 8; ++c) {
        slab.t[k * W + c0 + c] = t[k + c * n];
        slab.b[k * W + c0 + c] = b[k + c * n];
      }
  }
  for (Eigen::Index c = 0; c < W; ++c) slab.t[(j0 + c) * W + c] = 0.0;
  if constexpr (Masked)
    for (Eigen::Index k = 0; k < n; ++k)
      for (Eigen::Index c = 0; c < W; ++c) {
        const bool none = d.absent[std::size_t(k * n + j0 + c)] != 0;
        slab.gone[k * W + c] = none && k != j0 + c ? 1.0 : 0.0;
        if (none) slab.t[k * W + c] = 0.0;
      }
}

/// The step for columns j0 .. j0 + W - 1. `slab`: the thread's Slab, room for W columns.
template <bool Masked, bool Noisy, Eigen::Index W>
void block(const LargeDrift& d, Eigen::Index j0, const Slab& slab) {
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
  const double *tj = slab.t, *bj = slab.b;
  const Eigen::Index far = n > kWideUpTo ? kFarAhead : 0;
  const bool stream = streams(d);
  [[maybe_unused]] const double* gone = slab.gone;
  take_columns<Masked, W>(d, j0, slab);

  // Eight rows at a time, each row's W elements a pack at a time. A row's spillover sums
  // sum_k W_ik T_kj are taken where they are used, over its ties in ascending k from +0, as
  // spillover_impl adds them: T_kj is row k of the slab, whose diagonal and absent pairs are +0
  // (take_columns), the terms spillover_impl skips. The elements are first taken as if no tie
  // joined i and j (W_ij = 0: rowsum_i - W_ij is rowsum_i bit for bit), then the row's tied
  // pairs are redone with their W_ij. The eight rows are then written to the new tension.
  for (Eigen::Index i0 = 0; i0 < n; i0 += 8) {
    const Eigen::Index h = std::min<Eigen::Index>(8, n - i0);
    alignas(64) double out[8][W];
    [[maybe_unused]] alignas(64) double noise[8][W];
    if constexpr (Noisy) {
      if (h == 8)
        for (Eigen::Index c0 = 0; c0 < W; c0 += 8)
          transpose_square<8>(d.noise + i0 + (j0 + c0) * n, n, &noise[0][c0], W);
      else
        for (Eigen::Index c = 0; c < W; ++c)
          for (Eigen::Index r = 0; r < h; ++r) noise[r][c] = d.noise[i0 + r + (j0 + c) * n];
    }
    for (Eigen::Index r = 0; r < h; ++r) {
      const Eigen::Index i = i0 + r, p0 = row_first[i], p1 = row_first[i + 1];
      const std::size_t at = std::size_t(j0 + i * n);  // (j0, i): T_ji for the block's j, W in a row
      const std::size_t own = std::size_t(i * W);      // row i of the slabs
      if (i + kAhead < n) {                            // pieces n * 8 bytes apart: no hardware prefetcher follows them
        const std::size_t ahead = at + std::size_t(kAhead * n);
        for (std::size_t byte = 0; byte < W * sizeof(double); byte += 64) {
          prefetch(d.t + ahead, byte);
          prefetch(d.b + ahead, byte);
        }
      }
      if (far > 0 && i + far < n) {  // and into L2 further ahead (large worlds): more lines in flight
        const std::size_t ahead = at + std::size_t(far * n);
        for (std::size_t byte = 0; byte < W * sizeof(double); byte += 64) {
          prefetch_l2(d.t + ahead, byte);
          prefetch_l2(d.b + ahead, byte);
        }
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
          const double* t_k = tj + c0 + partner[p] * W;
          for (int g = 0; g < kPacks; ++g) sum[g] = sum[g] + w * load(t_k + g * kLanes);
          if constexpr (Masked) {
            const double* g_k = gone + partner[p] * W + c0;
            for (int g = 0; g < kPacks; ++g) lose[g] = lose[g] + w * load(g_k + g * kLanes);
          }
        }
        for (int g = 0; g < kPacks; ++g) {
          const Eigen::Index c = c0 + g * kLanes;
          const Vec t = load(tj + own + c), b = load(bj + own + c);
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
        out[r][c] = element<Masked>(tj[own + std::size_t(c)], bj[own + std::size_t(c)],
                                    d.t[at + std::size_t(c)] - d.b[at + std::size_t(c)], sums[c],
                                    Masked ? lost[c] : 0.0, row_sum[i], row_weight[p], scale[i], d.restraint[i],
                                    d.reactivity[i], Noisy ? &noise[r][c] : nullptr);
      }
      if (i >= j0 && i < j0 + W) out[r][i - j0] = 0.0;
      if constexpr (Masked)
        for (Eigen::Index c = 0; c < W; ++c)
          if (absent[std::size_t(i * n + j0 + c)] != 0) out[r][c] = 0.0;
    }
    if (h == 8)
      put_rows<W>(d, i0, j0, &out[0][0], stream);
    else
      for (Eigen::Index r = 0; r < h; ++r)
        for (Eigen::Index c = 0; c < W; ++c) d.next[i0 + r + (j0 + c) * n] = out[r][c];
  }
}

/// Blocks of kWide columns (up to kWideUpTo actors), then of kWide / 2 and 8 for the rest, and
/// the last few columns in a block of 8 that overlaps the one before (its columns computed again:
/// the same values).
template <bool Masked, bool Noisy>
void blocks(const LargeDrift& d, const Slab& slab) {
  const Eigen::Index n = d.n;
  Eigen::Index j0 = 0;
  if (n <= kWideUpTo)
    for (; j0 + kWide <= n; j0 += kWide) block<Masked, Noisy, kWide>(d, j0, slab);
  for (; j0 + kWide / 2 <= n; j0 += kWide / 2) block<Masked, Noisy, kWide / 2>(d, j0, slab);
  for (; j0 + 8 <= n; j0 += 8) block<Masked, Noisy, 8>(d, j0, slab);
  if (j0 < n) block<Masked, Noisy, 8>(d, n - 8, slab);  // n >= kSmallWorld > 8
}

void all_blocks(const LargeDrift& d, const Slab& slab) {
  if (d.absent)
    d.noise ? blocks<true, true>(d, slab) : blocks<true, false>(d, slab);
  else
    d.noise ? blocks<false, true>(d, slab) : blocks<false, false>(d, slab);
}
