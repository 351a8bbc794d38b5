// The prompt's line editor: see line_editor.hpp.
#include "line_editor.hpp"

#include <histedit.h>
#include <langinfo.h>
#include <unistd.h>
#include <geosim/io/interrupt.hpp>
#include <geosim/tabletop/session_command.hpp>

#include <pthread.h>
#include <sys/select.h>
#include <algorithm>
#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cwchar>
#include <sstream>

namespace geosim::cli {

/// Most lines kept in the history. Default 500.
constexpr int kHistoryLines = 500;

struct LineEditor::Impl {
  EditLine* el = nullptr;
  History* history = nullptr;
  HistEvent event{};
  std::string prompt;
  Completer complete;
  std::string locale;  ///< LC_CTYPE before the editor's, put back when it ends
};

namespace {

/// libedit reads and writes characters in the C library's LC_CTYPE: in the "C" locale a
/// program starts in, every character past ASCII was dropped as it was typed ("Hà Nội" became
/// "H Ni") and a wide one garbled the line. A session's text is UTF-8 whatever the environment
/// says (the saved session, the pages), so the editor takes the user's locale when it is UTF-8,
/// else C.UTF-8 (always in glibc). Only LC_CTYPE: numbers are still read and written alike.
/// Returns the locale before.
std::string use_utf8_characters() {
  const char* before = std::setlocale(LC_CTYPE, nullptr);
  std::string previous = before ? before : "C";
  const auto utf8 = [] { return std::string(nl_langinfo(CODESET)) == "UTF-8"; };
  if (std::setlocale(LC_CTYPE, "") && utf8()) return previous;
  if (std::setlocale(LC_CTYPE, "C.UTF-8") && utf8()) return previous;
  std::setlocale(LC_CTYPE, previous.c_str());  // none to be had: as before (ASCII only)
  return previous;
}

char* prompt_of(EditLine* el) {
  LineEditor::Impl* impl = nullptr;
  el_get(el, EL_CLIENTDATA, &impl);
  return impl ? impl->prompt.data() : const_cast<char*>("> ");
}

/// Reads one character for libedit. Unlike libedit's own reader, which retries a read that a
/// signal interrupted once, a Ctrl-C (interrupt_requested()) ends the line at once: el_gets
/// then fails and the prompt offers to save.
int read_character(EditLine*, wchar_t* out) {
  std::mbstate_t state{};
  while (true) {
    // Wait for input with SIGINT blocked except inside pselect, which unblocks it atomically:
    // a Ctrl-C that came before the wait (while the prompt was being drawn) is seen here, and
    // one during the wait ends it. Checking the flag and then calling read() would lose a
    // Ctrl-C that lands between the two.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    if (interrupt_requested()) {
      ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
      return -1;
    }
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(0, &readable);
    const int ready = ::pselect(1, &readable, nullptr, nullptr, nullptr, &old);
    const int wait_errno = errno;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (ready < 0) {
      if (wait_errno == EINTR && !interrupt_requested()) continue;
      return -1;
    }
    char byte = 0;
    const ssize_t n = ::read(0, &byte, 1);
    if (n == 0) return 0;  // end of input
    if (n < 0) {
      if (errno == EINTR && !interrupt_requested()) continue;
      return -1;
    }
    const std::size_t r = std::mbrtowc(out, &byte, 1, &state);
    if (r == static_cast<std::size_t>(-2)) continue;                                 // more bytes of one character
    if (r == static_cast<std::size_t>(-1)) *out = static_cast<unsigned char>(byte);  // not in the locale: as is
    return 1;
  }
}

unsigned char complete_word(EditLine* el, int) {
  LineEditor::Impl* impl = nullptr;
  el_get(el, EL_CLIENTDATA, &impl);
  const LineInfo* line = el_line(el);
  if (!impl || !line) return CC_ERROR;
  const std::string before(line->buffer, line->cursor);
  const std::size_t start = before.find_last_of(" \t") == std::string::npos ? 0 : before.find_last_of(" \t") + 1;
  const std::string word = before.substr(start);
  std::vector<std::string> matches;
  for (const std::string& c : impl->complete(before.substr(0, start)))
    if (c.starts_with(word)) matches.push_back(c);
  if (matches.empty()) return CC_ERROR;
  std::string common = matches.front();
  for (const std::string& m : matches) {
    std::size_t k = 0;
    while (k < common.size() && k < m.size() && common[k] == m[k]) ++k;
    common.resize(k);
  }
  std::string insert = common.substr(word.size());
  if (matches.size() == 1) insert += " ";
  if (!insert.empty()) {
    el_insertstr(el, insert.c_str());
    return CC_REFRESH;
  }
  std::string list = "\n";
  for (const std::string& m : matches) list += m + "  ";
  std::fprintf(stdout, "%s\n", list.c_str());
  return CC_REDISPLAY;
}

}  // namespace

LineEditor::LineEditor(Completer complete) : impl_(std::make_unique<Impl>()) {
  impl_->complete = std::move(complete);
  impl_->locale = use_utf8_characters();  // before el_init, which reads the character set
  impl_->el = el_init("geosim", stdin, stdout, stderr);
  impl_->history = history_init();
  history(impl_->history, &impl_->event, H_SETSIZE, kHistoryLines);
  history(impl_->history, &impl_->event, H_SETUNIQUE, 1);
  el_set(impl_->el, EL_CLIENTDATA, impl_.get());
  el_set(impl_->el, EL_PROMPT, prompt_of);
  el_set(impl_->el, EL_EDITOR, "emacs");
  el_set(impl_->el, EL_SIGNAL, 0);  // Ctrl-C is geosim's (interrupt.hpp): it ends the read
  el_set(impl_->el, EL_GETCFN, read_character);
  el_set(impl_->el, EL_HIST, history, impl_->history);
  // The wide call: the narrow el_set(EL_ADDFN) copies the name and help with wcsdup and never
  // frees them (LeakSanitizer finds 268 bytes); el_wset keeps these static strings as they are.
  el_wset(impl_->el, EL_ADDFN, L"geosim-complete", L"complete a command, event, actor, policy or branch",
          complete_word);
  el_set(impl_->el, EL_BIND, "^I", "geosim-complete", nullptr);
}

LineEditor::~LineEditor() {
  if (impl_->el) el_end(impl_->el);
  if (impl_->history) history_end(impl_->history);
  std::setlocale(LC_CTYPE, impl_->locale.c_str());
}

std::optional<std::string> LineEditor::read(const std::string& prompt) {
  impl_->prompt = prompt;
  int count = 0;
  const char* text = el_gets(impl_->el, &count);
  if (!text || count <= 0) return std::nullopt;
  std::string line(text, std::size_t(count));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.find_first_not_of(" \t") != std::string::npos) history(impl_->history, &impl_->event, H_ENTER, line.c_str());
  return line;
}

std::vector<std::string> complete_session_word(const std::string& before, const std::vector<std::string>& events,
                                               const std::vector<std::string>& actors,
                                               const std::vector<std::string>& policies,
                                               const std::vector<std::string>& branches) {
  std::istringstream in(before);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.empty()) return session_keywords();
  const std::string& command = words.front();
  if (command == "roll" && words.size() == 1) return events;
  if (command == "inject") {
    if (words.size() == 1) {
      std::vector<std::string> out = events;
      out.push_back("adhoc");
      return out;
    }
    if (words[1] == "adhoc" && words.size() >= 3) return actors;
    return {};
  }
  if (command == "move") {
    if (words.size() == 1) {
      std::vector<std::string> out = actors;
      out.insert(out.end(), policies.begin(), policies.end());
      return out;
    }
    if (words.size() == 2 && std::find(actors.begin(), actors.end(), words[1]) != actors.end()) return policies;
    return {};
  }
  if ((command == "switch" || command == "compare") && words.size() == 1) return branches;
  return {};
}

bool get_bounded_line(std::istream& in, std::string& line, std::size_t keep) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  bool any = false;
  for (;;) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(any ? std::ios::eofbit : std::ios::eofbit | std::ios::failbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (line.size() < keep) line.push_back(char(c));
  }
}

}  // namespace geosim::cli
