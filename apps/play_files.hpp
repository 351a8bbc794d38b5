#pragma once
// The files a `geosim play` session wrote (or resumed from): which it may replace without
// asking. A file is the session's only as it left it: one edited, replaced or removed since
// (a facilitator's notes added to the report) is the user's again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace geosim::cli {

/// What a file this session wrote (or resumed from) holds.
enum class OwnFile { session, report };

class OwnFiles {
 public:
  /// After writing (or resuming from) `path`: it is this session's `kind`, as it is now.
  void record(const std::string& path, OwnFile kind);
  /// When `path` may be replaced without asking: it does not exist, it is not a regular file
  /// (the writer refuses it, with its reason, without a question that cannot matter), or it is
  /// this session's `kind` as the session left it: "". Otherwise what it is, for the question
  /// or the refusal: this session's file of the other kind, or one changed since the session
  /// wrote it; nullopt for a file this session never wrote.
  std::optional<std::string> claim(const std::string& path, OwnFile kind) const;

 private:
  struct Written {
    OwnFile kind = OwnFile::session;
    std::uint64_t device = 0, inode = 0, size = 0;
    std::int64_t modified_ns = 0;  ///< the file's modification time when written, in ns
  };
  std::map<std::string, Written> files_;  ///< by weakly canonical path
};

}  // namespace geosim::cli
