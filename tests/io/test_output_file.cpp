// Output files: written whole or not at all, only over regular files, keeping their mode, never
// through a link, no temporaries left behind; multi-file outputs replaced as a set; stdout
// write errors reported by every command.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <geosim/io/interrupt.hpp>
#include <geosim/io/output_file.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "support/cli.hpp"

namespace geosim {
namespace {
namespace fs = std::filesystem;
using testing::FileSizeLimit;
using testing::HangLimit;
using testing::names_in;
using testing::run_cli;
using testing::slurp;
using testing::spit;
using testing::temp_dir;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A folder that cannot be made is found before any work, with write_output_files' own message:
// a file where the folder or one of its parents would be (through a link to a folder is fine).
TEST(OutputFile, AFolderThatCannotBeMadeIsFoundBeforehand) {
  const fs::path dir = temp_dir("out_folder");
  spit(dir / "file", "x");
  fs::create_directory(dir / "sub");
  fs::create_directory_symlink(dir / "sub", dir / "link");
  for (const fs::path& fine : {dir, dir / "sub", dir / "link", dir / "link" / "new", dir / "new" / "deeper"})
    EXPECT_EQ(output_folder_error(fine), "") << fine;
  EXPECT_EQ(output_folder_error(fs::path("relative-that-is-not-here") / "x"), "");
  for (const fs::path& refused : {dir / "file", dir / "file" / "x", dir / "file" / "x" / "y"}) {
    const std::string error = output_folder_error(refused);
    EXPECT_EQ(error, "cannot create output folder '" + refused.string() + "': Not a directory");
    EXPECT_EQ(error, write_output_files(refused, {{"a.csv", "1"}})) << "the same words as when writing";
  }
  // A link to nothing: no folder can be made there either (create_directories: "File exists").
  fs::create_symlink(dir / "nowhere" / "x", dir / "dangling");
  const std::string dangling = output_folder_error(dir / "dangling");
  EXPECT_EQ(dangling, "cannot create output folder '" + (dir / "dangling").string() + "': File exists");
  EXPECT_EQ(dangling, write_output_files(dir / "dangling", {{"a.csv", "1"}}));
  EXPECT_FALSE(fs::exists(dir / "new"));  // nothing made
  fs::remove_all(dir);
}

TEST(OutputFile, NewFileGetsTheContentAndTheUmaskMode) {
  const fs::path dir = temp_dir("out_new");
  const mode_t mask = ::umask(022);
  EXPECT_EQ(write_output_file(dir / "a.txt", "hello\n"), "");
  ::umask(mask);
  EXPECT_EQ(slurp(dir / "a.txt"), "hello\n");
  EXPECT_EQ(mode_of(dir / "a.txt"), mode_t(0644));
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"a.txt"}) << "no temporary left";
  fs::remove_all(dir);
}

TEST(OutputFile, ReplacingKeepsThePermissionBits) {
  const fs::path dir = temp_dir("out_mode");
  spit(dir / "secret.md", "old");
  fs::permissions(dir / "secret.md", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(write_output_file(dir / "secret.md", "new"), "");
  EXPECT_EQ(slurp(dir / "secret.md"), "new");
  EXPECT_EQ(mode_of(dir / "secret.md"), mode_t(0600));
  fs::remove_all(dir);
}

TEST(OutputFile, AUsersOwnDotTmpFileIsLeftAlone) {
  const fs::path dir = temp_dir("out_tmp");
  spit(dir / "notes.md.tmp", "my draft");
  EXPECT_EQ(write_output_file(dir / "notes.md", "report"), "");
  EXPECT_EQ(slurp(dir / "notes.md.tmp"), "my draft");
  EXPECT_EQ(slurp(dir / "notes.md"), "report");
  fs::remove_all(dir);
}

TEST(OutputFile, NeverWritesThroughATmpSymlink) {
  const fs::path dir = temp_dir("out_tmplink");
  spit(dir / "victim", "precious");
  fs::create_symlink(dir / "victim", dir / "session.json.tmp");
  EXPECT_EQ(write_output_file(dir / "session.json", "{}"), "");
  EXPECT_EQ(slurp(dir / "victim"), "precious");
  EXPECT_EQ(slurp(dir / "session.json"), "{}");
  fs::remove_all(dir);
}

TEST(OutputFile, RefusesEverythingButARegularFile) {
  const fs::path dir = temp_dir("out_refuse");
  spit(dir / "real", "pointee");
  fs::create_symlink(dir / "real", dir / "link");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  fs::create_directory(dir / "folder");
  for (const char* name : {"link", "fifo", "folder"}) {
    const std::string error = write_output_file(dir / name, "x");
    EXPECT_NE(error.find("not writing"), std::string::npos) << name << ": " << error;
  }
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  EXPECT_EQ(slurp(dir / "real"), "pointee");
  EXPECT_TRUE(fs::is_fifo(dir / "fifo"));
  EXPECT_TRUE(fs::is_directory(dir / "folder"));
  EXPECT_NE(write_output_file("/dev/null", "x").find("it is a device"), std::string::npos);
  for (const char* name : {"new/", "folder/", "new/.", "folder/.."})  // a folder's name, made or not
    EXPECT_EQ(output_file_error(dir / name, true),
              "not writing '" + (dir / name).string() + "': it names a folder, not a file: give a file name");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"fifo", "folder", "link", "real"}));
  fs::remove_all(dir);
}

TEST(OutputFile, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  const fs::path dir = temp_dir("out_fail");
  spit(dir / "big.csv", "old content");
  std::string error;
  {
    const FileSizeLimit limit(1024);
    error = write_output_file(dir / "big.csv", std::string(4096, 'x'));
  }
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  EXPECT_EQ(slurp(dir / "big.csv"), "old content");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"big.csv"});
  EXPECT_NE(write_output_file(dir / "missing" / "x.txt", "x"), "") << "a folder that does not exist";
  fs::remove_all(dir);
}

TEST(OutputFile, ASetIsReplacedWholeOrNotAtAll) {
  const fs::path dir = temp_dir("out_set");
  EXPECT_EQ(write_output_files(dir, {{"a.csv", "a1"}, {"b.csv", "b1"}, {"c.json", "c1"}}), "");
  // The second file cannot be written: the first must not have been replaced either.
  std::string error;
  {
    const FileSizeLimit limit(1024);
    error = write_output_files(dir, {{"a.csv", "a2"}, {"b.csv", std::string(4096, 'b')}, {"c.json", "c2"}});
  }
  EXPECT_NE(error, "");
  EXPECT_EQ(slurp(dir / "a.csv"), "a1");
  EXPECT_EQ(slurp(dir / "b.csv"), "b1");
  EXPECT_EQ(slurp(dir / "c.json"), "c1");
  // A target that may not be replaced is found before anything is.
  fs::remove(dir / "c.json");
  fs::create_directory(dir / "c.json");
  EXPECT_NE(write_output_files(dir, {{"a.csv", "a3"}, {"c.json", "c3"}}).find("not writing"), std::string::npos);
  EXPECT_EQ(slurp(dir / "a.csv"), "a1");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"a.csv", "b.csv", "c.json"})) << "no temporary folder left";
  fs::remove_all(dir);
}

/// link() as on a file system without hard links (vfat, some network and FUSE file systems).
int no_links(const char*, const char*) {
  errno = EPERM;
  return -1;
}

/// link() failing for another reason than a missing hard link.
int broken_link(const char*, const char*) {
  errno = EIO;
  return -1;
}

/// rename() that cannot move anything onto b.csv.
int no_b(const char* from, const char* to) {
  if (fs::path(to).filename() == "b.csv") {
    errno = EIO;
    return -1;
  }
  return ::rename(from, to);
}

TEST(OutputFile, WithoutHardLinksASetIsStillReplacedWholeOrNotAtAll) {
  const fs::path dir = temp_dir("out_nolinks");
  spit(dir / "a.csv", "a1");
  spit(dir / "b.csv", "b1");
  ASSERT_EQ(::chmod((dir / "a.csv").c_str(), 0640), 0);
  // Every old file kept by a copy instead: the new set goes in.
  EXPECT_EQ(
      detail::write_output_files(dir, {{"a.csv", "a2"}, {"b.csv", "b2"}, {"c.csv", "c2"}}, {}, {no_links, ::rename}),
      "");
  EXPECT_EQ(slurp(dir / "a.csv"), "a2");
  EXPECT_EQ(slurp(dir / "b.csv"), "b2");
  EXPECT_EQ(slurp(dir / "c.csv"), "c2");
  EXPECT_EQ(mode_of(dir / "a.csv"), 0640u);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"a.csv", "b.csv", "c.csv"})) << "no copies left";
  // A move that fails half-way: what was moved is put back from the copies, mode and all.
  const std::string error =
      detail::write_output_files(dir, {{"a.csv", "a3"}, {"c.csv", "c3"}, {"b.csv", "b3"}}, {}, {no_links, no_b});
  EXPECT_NE(error.find("cannot write '" + (dir / "b.csv").string() + "'"), std::string::npos) << error;
  EXPECT_EQ(slurp(dir / "a.csv"), "a2");
  EXPECT_EQ(slurp(dir / "b.csv"), "b2");
  EXPECT_EQ(slurp(dir / "c.csv"), "c2");
  EXPECT_EQ(mode_of(dir / "a.csv"), 0640u);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"a.csv", "b.csv", "c.csv"}));
  // A new file is taken away again when a later one cannot move: the folder is as it was.
  EXPECT_NE(detail::write_output_files(dir, {{"d.csv", "d1"}, {"b.csv", "b4"}}, {}, {no_links, no_b}), "");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"a.csv", "b.csv", "c.csv"}));
  EXPECT_EQ(slurp(dir / "b.csv"), "b2");
  fs::remove_all(dir);
}

/// rename() that cannot move anything onto b.csv, nor put an old file back from the temporary
/// folder (a file system gone read-only half-way, say).
int no_b_nor_put_back(const char* from, const char* to) {
  if (fs::path(from).parent_path().filename().string().rfind(".geosim-", 0) == 0) {
    errno = EROFS;
    return -1;
  }
  return no_b(from, to);
}

TEST(OutputFile, AnOldFileThatCannotBePutBackIsNamedWithWhereItsDataIs) {
  const fs::path dir = temp_dir("out_noputback");
  spit(dir / "a.csv", "a1");
  spit(dir / "b.csv", "b1");
  using Link = int (*)(const char*, const char*);
  for (Link link : {Link(::link), Link(no_links)}) {  // kept by a hard link, or by a copy
    const std::string error = detail::write_output_files(dir, {{"a.csv", "a2"}, {"c.csv", "c2"}, {"b.csv", "b2"}}, {},
                                                         {link, no_b_nor_put_back});
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    const std::string head = "cannot write '" + (dir / "b.csv").string() + "': " + std::strerror(EIO) + "; '" +
                             (dir / "a.csv").string() + "' holds this run's data and could not be put back (" +
                             std::strerror(EROFS) + "): its earlier contents are in '";
    ASSERT_EQ(error.substr(0, head.size()), head) << error;
    ASSERT_EQ(error.back(), '\'') << error;
    const fs::path kept = error.substr(head.size(), error.size() - head.size() - 1);
    EXPECT_EQ(slurp(kept), "a1") << "the old data is where the message says";
    EXPECT_EQ(slurp(dir / "a.csv"), "a2");
    EXPECT_EQ(slurp(dir / "b.csv"), "b1");
    EXPECT_FALSE(fs::exists(dir / "c.csv")) << "a new file is taken away";
    EXPECT_EQ(names_in(kept.parent_path()), std::vector<std::string>{kept.filename().string()})
        << "only what is needed";
    fs::remove_all(kept.parent_path());
    spit(dir / "a.csv", "a1");
  }
  fs::remove_all(dir);
}

TEST(OutputFile, AnOldFileThatCannotBeKeptStopsTheSetBeforeAnythingMoves) {
  const fs::path dir = temp_dir("out_nokeep");
  spit(dir / "a.csv", "a1");
  spit(dir / "b.csv", std::string(4096, 'b'));
  // link() failing for another reason: refused, as before, naming the file and the reason.
  EXPECT_EQ(detail::write_output_files(dir, {{"a.csv", "a2"}, {"b.csv", "b2"}}, {}, {broken_link, ::rename}),
            "cannot write '" + (dir / "a.csv").string() + "': " + std::strerror(EIO));
  // No hard links, and no room for the copy of b.csv: refused, nothing replaced, no half copy.
  std::string error;
  {
    const FileSizeLimit limit(1024);
    error = detail::write_output_files(dir, {{"a.csv", "a2"}, {"b.csv", "b2"}}, {}, {no_links, ::rename});
  }
  EXPECT_EQ(error, "cannot write '" + (dir / "b.csv").string() + "': " + std::strerror(EFBIG));
  EXPECT_EQ(slurp(dir / "a.csv"), "a1");
  EXPECT_EQ(slurp(dir / "b.csv"), std::string(4096, 'b'));
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"a.csv", "b.csv"}));
  fs::remove_all(dir);
}

TEST(OutputFile, APieceByPieceFileIsInTheSetWholeOrNotAtAll) {
  const fs::path dir = temp_dir("out_pieces");
  OutputFile big{"big.csv", "", [](const OutputSink& write) {
                   for (int k = 0; k < 3; ++k)
                     if (!write(std::string(1000, char('a' + k)))) break;
                   return std::string();
                 }};
  EXPECT_EQ(write_output_files(dir, {big, {"small.txt", "s1"}}), "");
  EXPECT_EQ(slurp(dir / "big.csv"), std::string(1000, 'a') + std::string(1000, 'b') + std::string(1000, 'c'));
  // A write that fails half-way (a full disk): the old set stays, no temporaries.
  std::string error;
  {
    const FileSizeLimit limit(1500);
    error = write_output_files(dir, {{"small.txt", "s2"}, big});
  }
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  EXPECT_EQ(slurp(dir / "small.txt"), "s1");
  EXPECT_EQ(fs::file_size(dir / "big.csv"), 3000u);
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"big.csv", "small.txt"}));
  fs::remove_all(dir);
}

TEST(OutputFile, AStaleFileOfTheOldSetGoesOnlyWhenTheNewSetIsInPlace) {
  const fs::path dir = temp_dir("out_stale");
  spit(dir / "t.csv", "old plain");
  spit(dir / "keep.txt", "other");
  // The new set fails: the old file under the other name stays.
  {
    const FileSizeLimit limit(1024);
    EXPECT_NE(write_output_files(dir, {{"t.csv.gz", std::string(4096, 'z')}}, {"t.csv"}), "");
  }
  EXPECT_EQ(slurp(dir / "t.csv"), "old plain");
  // It succeeds: the old file is gone, nothing else is touched.
  EXPECT_EQ(write_output_files(dir, {{"t.csv.gz", "new"}}, {"t.csv", "absent.csv"}), "");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"keep.txt", "t.csv.gz"}));
  // A stale name that is not a regular file refuses the set, before anything is written.
  fs::create_directory(dir / "t.csv");
  EXPECT_NE(write_output_files(dir, {{"t.csv.gz", "newer"}}, {"t.csv"}).find("not writing"), std::string::npos);
  EXPECT_EQ(slurp(dir / "t.csv.gz"), "new");
  EXPECT_TRUE(fs::is_directory(dir / "t.csv"));
  fs::remove_all(dir);
}

TEST(OutputFile, EveryWayOfWritingRefusesAFolderAFifoAndALinkWithoutBlocking) {
  // A FIFO opened for writing would block until a reader comes: the target is never opened.
  const HangLimit hang_limit(60);
  const fs::path dir = temp_dir("out_refuse_stream");
  spit(dir / "real", "pointee");
  fs::create_symlink(dir / "real", dir / "link");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  fs::create_directory(dir / "folder");
  const OutputPieces pieces = [](const OutputSink& write) {
    write("x");
    return std::string();
  };
  for (const char* name : {"link", "fifo", "folder"}) {
    OutputStream stream;
    const std::string error = stream.open(dir / name);
    EXPECT_NE(error.find("not writing"), std::string::npos) << name << ": " << error;
    EXPECT_FALSE(stream.write("x"));
    EXPECT_NE(stream.commit(), "") << name;
    const std::string set_error = write_output_files(dir, {{"new.txt", "n"}, {name, "", pieces}});
    EXPECT_NE(set_error.find("not writing"), std::string::npos) << name << ": " << set_error;
  }
  EXPECT_EQ(slurp(dir / "real"), "pointee");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"fifo", "folder", "link", "real"})) << "nothing written";
  fs::remove_all(dir);
}

TEST(OutputFile, APieceThatCannotBeMadeLeavesNoPartialFile) {
  const fs::path dir = temp_dir("out_piece_fails");
  spit(dir / "t.csv", "old");
  // Half the content is written, then making the rest fails.
  const OutputPieces fails = [](const OutputSink& write) {
    write(std::string(5000, 'n'));
    return std::string("simulated failure");
  };
  const std::string error = write_output_files(dir, {{"a.txt", "new a"}, {"t.csv", "", fails}});
  EXPECT_EQ(error, fmt::format("cannot write '{}': simulated failure", (dir / "t.csv").string()));
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"t.csv"}) << "no a.txt alone, no temporary";
  EXPECT_EQ(slurp(dir / "t.csv"), "old");
  // The same through one stream: commit() refuses, the old file stays.
  OutputStream stream;
  ASSERT_EQ(stream.open(dir / "t.csv"), "");
  EXPECT_EQ(stream.write(fails), error);
  EXPECT_FALSE(stream.write("more"));
  EXPECT_EQ(stream.commit(), error);
  EXPECT_EQ(slurp(dir / "t.csv"), "old");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"t.csv"});
  fs::remove_all(dir);
}

/// Runs `body` in a child process as user nobody; returns what it wrote to the pipe (its fd).
std::string as_nobody(const std::function<std::string()>& body) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string text = ::setgid(65534) == 0 && ::setuid(65534) == 0 ? body() : "cannot become nobody";
    const bool ok = ::write(fds[1], text.data(), text.size()) == ssize_t(text.size());
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, std::size_t(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return text;
}

TEST(OutputFile, AStaleFileThatCannotGoIsNamedAndTheNewSetStays) {
  // A folder anyone may write in, with the sticky bit: nobody can add files but not remove
  // root's old t.csv, as in a shared /tmp.
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, to make a file its writer cannot remove";
  const fs::path dir = temp_dir("out_stale_stays");
  fs::permissions(dir, fs::perms(01777));
  if (as_nobody([&] { return std::string(::access(dir.c_str(), W_OK | X_OK) == 0 ? "yes" : "no"); }) != "yes")
    GTEST_SKIP() << "user nobody cannot reach " << dir << " (a private temp folder)";
  spit(dir / "t.csv", "old plain");
  spit(dir / "u.csv", "old plain too");
  const std::string error = as_nobody([&] {
    return write_output_files(dir, {{"t.csv.gz", "new"}, {"i.csv", "new i"}}, {"t.csv", "u.csv", "absent"});
  });
  const std::string d = dir.string();
  EXPECT_EQ(error, fmt::format("the new files in '{0}' are complete, but '{0}/t.csv' (an earlier run's, not this "
                               "one's) could not be removed: Operation not permitted; '{0}/u.csv' (an earlier run's, "
                               "not this one's) could not be removed: Operation not permitted; delete them before "
                               "reading '{0}'",
                               d));
  EXPECT_EQ(slurp(dir / "t.csv.gz"), "new");
  EXPECT_EQ(slurp(dir / "i.csv"), "new i");
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"i.csv", "t.csv", "t.csv.gz", "u.csv"})) << "no temporaries";
  fs::remove_all(dir);
}

TEST(OutputFile, InterruptRemovesRegisteredTemporariesAndEndsBySigint) {
  const fs::path dir = temp_dir("out_sigint");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    install_interrupt_cleanup();
    fs::create_directory(dir / "staging");
    spit(dir / "staging" / "part", "half");
    const CleanupPath folder((dir / "staging").string());
    const CleanupPath file((dir / "staging" / "part").string());
    ::raise(SIGINT);
    ::_exit(0);  // not reached: the handler ends the process by SIGINT
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  EXPECT_TRUE(names_in(dir).empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace geosim
