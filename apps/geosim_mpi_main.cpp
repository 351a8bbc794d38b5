// geosim-mpi: geosim (apps/cli_main.cpp) built with MPI (-DGEOSIM_MPI=ON). Started by
// `mpirun -np N geosim-mpi ensemble ...`, each process runs its share of the ensemble's chunks
// and process 0 merges the parts and writes the results (cmd_ensemble.cpp, docs/scale.md).
// Started without mpirun (or with one process), it is geosim.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mpi.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <geosim/io/ensemble_shard.hpp>

#include "cli_common.hpp"
#include "ensemble_spread.hpp"

namespace {

/// Most bytes of a process's error output that process 0 prints for it (the end is kept).
constexpr off_t kMaxForwardedError = 64 * 1024;
/// The tag of the parts' messages, and the most bytes a message of a part carries (MPI counts in int).
constexpr int kPartTag = 7;
constexpr std::uint64_t kPiece = std::uint64_t(1) << 30;

class MpiSpread final : public geosim::cli::EnsembleSpread {
 public:
  /// `captured`: the file this process's standard error goes to (-1 on process 0).
  MpiSpread(boost::mpi::communicator world, int captured) : world_(std::move(world)), captured_(captured) {}

  int rank() const override { return world_.rank(); }
  int size() const override { return world_.size(); }

  int agree(int code) override {
    wait_for_all();
    std::cerr.flush();
    std::fflush(stderr);
    std::pair<int, std::string> mine{code != 0 ? 1 : 0, code != 0 ? new_error_output() : std::string()};
    std::vector<std::pair<int, std::string>> all;
    boost::mpi::gather(world_, mine, all, 0);
    int result = mine.first;
    if (rank() == 0) {
      for (std::size_t k = 1; k < all.size() && result == 0; ++k) {
        if (all[k].first == 0) continue;
        result = 1;
        const std::string& text = all[k].second;
        if (text.empty())
          std::fprintf(stderr, "geosim: error: process %zu of %zu failed\n", k, all.size());
        else
          std::fwrite(text.data(), 1, text.size(), stderr);
      }
      std::fflush(stderr);
    }
    boost::mpi::broadcast(world_, result, 0);
    return result;
  }

  void collect(const std::string& bytes, const std::function<void(int, std::string_view)>& take) override {
    wait_for_all();
    if (rank() == 0) {
      std::string theirs;  // one part at a time, its memory reused
      for (int k = 1; k < size(); ++k) {
        // Process k sends when told to, so that it sends at MPI's full speed, not while it
        // waits for its turn in a sleep loop.
        char go = 1;
        MPI_Send(&go, 1, MPI_CHAR, k, kPartTag, MPI_Comm(world_));
        std::uint64_t size = 0;
        MPI_Recv(&size, 1, MPI_UINT64_T, k, kPartTag, MPI_Comm(world_), MPI_STATUS_IGNORE);
        if (size > geosim::kMaxShardFileBytes) {  // larger than a shard file may be: not sent
          take(k, std::string_view());
          continue;
        }
        theirs.resize(size);
        for (std::uint64_t at = 0; at < size; at += kPiece)
          MPI_Recv(theirs.data() + at, int(std::min(kPiece, size - at)), MPI_BYTE, k, kPartTag, MPI_Comm(world_),
                   MPI_STATUS_IGNORE);
        take(k, theirs);
      }
      return;
    }
    char go = 0;  // process 0's turn signal, waited for a millisecond at a time (wait_for_all())
    MPI_Request request;
    MPI_Irecv(&go, 1, MPI_CHAR, 0, kPartTag, MPI_Comm(world_), &request);
    for (int done = 0; !done;) {
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::uint64_t size = bytes.size();
    MPI_Send(&size, 1, MPI_UINT64_T, 0, kPartTag, MPI_Comm(world_));
    if (size > geosim::kMaxShardFileBytes) return;  // process 0 refuses it
    for (std::uint64_t at = 0; at < size; at += kPiece)
      MPI_Send(bytes.data() + at, int(std::min(kPiece, size - at)), MPI_BYTE, 0, kPartTag, MPI_Comm(world_));
  }

 private:
  /// Returns when every process has called it. A process that is done early (the others still
  /// running their chunks, or process 0 writing the results) checks every millisecond instead
  /// of spinning in the collective call, as Open MPI does, which would take a core from them.
  void wait_for_all() {
    MPI_Request request;
    MPI_Ibarrier(MPI_Comm(world_), &request);
    for (int done = 0;;) {
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (done) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  /// What this process wrote on its standard error since the last call (its end, at most
  /// kMaxForwardedError bytes).
  std::string new_error_output() {
    struct stat st {};
    if (captured_ < 0 || ::fstat(captured_, &st) != 0 || st.st_size <= read_) return {};
    off_t from = std::max<off_t>(read_, st.st_size - kMaxForwardedError);
    std::string text(std::size_t(st.st_size - from), '\0');
    const ssize_t n = ::pread(captured_, text.data(), text.size(), from);
    read_ = st.st_size;
    text.resize(n > 0 ? std::size_t(n) : 0);
    return text;
  }

  boost::mpi::communicator world_;
  int captured_ = -1;
  off_t read_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // Only the main thread calls MPI; the ensemble's worker threads never do.
  boost::mpi::environment environment(argc, argv, boost::mpi::threading::funneled);
  boost::mpi::communicator world;
  if (world.size() < 2) return geosim::cli::run_geosim(argc, argv, nullptr);
  int captured = -1;
  if (world.rank() != 0) {
    // Only process 0 talks to the user: the others' output goes nowhere and their errors to a
    // file of their own, which agree() forwards to process 0 when only they failed.
    std::FILE* errors = std::tmpfile();
    const int null = ::open("/dev/null", O_WRONLY);
    if (errors && null >= 0) {
      std::fflush(stdout);
      std::fflush(stderr);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(::fileno(errors), STDERR_FILENO);
      captured = ::fileno(errors);
    }
    if (null >= 0) ::close(null);
  }
  MpiSpread spread(world, captured);
  return geosim::cli::run_geosim(argc, argv, &spread);
}
