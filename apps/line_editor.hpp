#pragma once
// The facilitator's prompt on a terminal: line editing, history (up-arrow) and Tab completion,
// with libedit (BSD-licensed, Debian's libedit-dev). Used only when the input is a terminal;
// scripts and pipes are read as before, line by line.
#include <cstddef>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace geosim::cli {

class LineEditor {
 public:
  /// The words that may come next, given the line up to the word being completed.
  using Completer = std::function<std::vector<std::string>(const std::string& before)>;

  explicit LineEditor(Completer complete);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// One line without its newline; nullopt at the end of input (Ctrl-D) or when a read was
  /// interrupted (Ctrl-C: see interrupt.hpp). Non-blank lines go into the history.
  std::optional<std::string> read(const std::string& prompt);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// One line of `in` without its newline, like std::getline, but keeping at most `keep` bytes of
/// it (the rest up to the newline is read and dropped), so that a pipe's endless line costs no
/// memory: a line longer than the commands' limit is refused by its length all the same. False
/// at the end of input with nothing read.
bool get_bounded_line(std::istream& in, std::string& line, std::size_t keep);

/// The completions of the word being typed at the end of `before`, for the session's commands:
/// a command word first, then event ids, actor ids, policy and branch names as each command takes.
std::vector<std::string> complete_session_word(const std::string& before, const std::vector<std::string>& events,
                                               const std::vector<std::string>& actors,
                                               const std::vector<std::string>& policies,
                                               const std::vector<std::string>& branches);

}  // namespace geosim::cli
