#pragma once
// How `geosim ensemble` spreads its runs over several processes: geosim-mpi gives one per MPI
// rank (geosim_mpi_main.cpp); geosim has none and runs everything itself. The calls are
// collective: every process makes the same calls in the same order, whatever fails, so that
// no process waits for one that gave up.

#include <functional>
#include <string>
#include <string_view>

namespace geosim::cli {

class EnsembleSpread {
 public:
  virtual ~EnsembleSpread() = default;
  /// This process's number, 0 to size() - 1; process 0 prints and writes the results.
  virtual int rank() const = 0;
  /// The number of processes (at least 2: with one, there is nothing to spread).
  virtual int size() const = 0;
  /// Every process passes its exit code so far (0: fine) and gets 0 when every code was 0, else
  /// 1. Only process 0's standard output and error reach the user: when process 0's code is 0
  /// but another's is not, process 0 prints what the lowest such process wrote on its standard
  /// error, so an error comes out once.
  virtual int agree(int code) = 0;
  /// Process 0 calls `take` with every other process's `bytes`, in process order (k = 1, 2,
  /// ...), one at a time: each is received when the last has been taken, into the same memory,
  /// so that process 0 never holds them all (empty when a process's bytes are more than a shard
  /// file may hold, kMaxShardFileBytes: then not sent). The others send theirs when process 0
  /// asks, and do not call `take`. `take` must not throw: every process must get to the calls
  /// that follow.
  virtual void collect(const std::string& bytes, const std::function<void(int k, std::string_view bytes)>& take) = 0;
};

}  // namespace geosim::cli
