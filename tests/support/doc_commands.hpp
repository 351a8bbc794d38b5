#pragma once
// Running the commands a document shows, as the docs' tests do: its fenced blocks, the `$ ` lines
// of its console blocks with the output shown under each, run with /bin/sh in a working folder
// that holds a copy of scenarios/ (tests/apps/test_tutorial.cpp, test_readme.cpp).

#include <filesystem>
#include <string>
#include <vector>

namespace geosim::testing {

/// A fenced block of a Markdown document.
struct Block {
  std::string info;                ///< what follows ``` on the opening line, e.g. "console"
  std::string file;                ///< NAME of a preceding <!-- file: NAME --> marker, or ""
  int first_line = 0;              ///< line number (1-based) of the first line inside the block
  std::vector<std::string> lines;  ///< the lines inside the block
};

/// Every fenced block of `text`, in order.
std::vector<Block> fenced_blocks(const std::string& text);

/// A `$ ` line of a console block.
struct Command {
  std::string text;                ///< the command, without `$ ` and without the expect comment
  int line = 0;                    ///< its line in the document
  int expect_code = 0;             ///< the exit code it must end with
  std::string expect_err;          ///< with expect_code != 0: text its stderr must contain
  std::vector<std::string> shown;  ///< with expect_code == 0: the output lines shown under it
};

/// `s` without leading and trailing blanks and tabs.
std::string trim(const std::string& s);

/// Every `$ ` line of the console blocks, in order. Problems (an expect without its error line)
/// are added to `problems`.
std::vector<Command> console_commands(const std::vector<Block>& blocks, const std::string& doc,
                                      std::vector<std::string>& problems);

/// A command's exit code and output.
struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `command` with /bin/sh in `dir`, a leading `geosim` replaced by the built binary, stdin
/// from `input`, with no $GEOSIM_SCENARIOS (so ./scenarios is used, as by a student).
Result run_in(const std::filesystem::path& dir, const std::filesystem::path& io, std::string command,
              const std::string& input = "");

/// The last `n` characters of `s`, after "..." when cut.
std::string tail(const std::string& s, std::size_t n = 3000);

/// What of `shown` the command's output (stdout, then stderr) does not have: "" when every run of
/// shown lines between lines of only `...` (which stand for lines left out) is a run of printed
/// lines, in the same order, each compared without trailing blanks; else the first run that is not.
std::string lines_not_printed(const std::vector<std::string>& shown, const Result& r);

/// A working folder with a copy of scenarios/, and a separate folder for the runner's own files.
struct Workspace {
  std::filesystem::path dir;
  std::filesystem::path io;
  explicit Workspace(const std::string& name);
  /// Removes both folders, or keeps them (and says where) when the test failed.
  void keep_or_remove(bool failed) const;
};

/// The text of docs/NAME.
std::string read_doc(const std::string& name);

/// Writes every `<!-- file: NAME -->` block into `dir`.
void write_marked_files(const std::vector<Block>& blocks, const std::filesystem::path& dir);

/// Runs the commands in order, stopping at the first one that does not do what the document says.
void run_document(const std::string& doc, const std::vector<Command>& commands, const Workspace& w);

/// A document of docs/ as the tests read it: its name ("docs/NAME"), blocks and commands.
struct Document {
  std::string name;
  std::vector<Block> blocks;
  std::vector<Command> commands;
};

/// Reads docs/NAME, its blocks and its console commands; a test failure for an unreadable file
/// and for each problem console_commands finds.
Document read_document(const std::string& name);

/// Runs `d` in `w`: its marked files written, then its commands in order (run_document).
void run_in_workspace(const Document& d, const Workspace& w);

/// Whether a command that ends with `code` matches `pattern`.
bool has_command(const std::vector<Command>& commands, const std::string& pattern, int code = 0);

}  // namespace geosim::testing
