#pragma once
// Every artifact is written atomically (temp file in the same directory + fsync + rename + fsync
// of the directory), so a crash or a full disk leaves either the old file or the new one, never
// half of either.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rumi {

void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// The same guarantee for many files at a fraction of the waiting: add() writes each file's
// content to its own temp file in the target's directory; commit() starts the write-back of all
// temp files at once (sync_file_range), then fsyncs each, then renames each over its target in
// add() order, then fsyncs every distinct directory once. 34 report files cost 34 file fsyncs
// that mostly find their data already on disk and 2 directory fsyncs, instead of 34 x (file fsync
// + directory fsync) waited for one after the other.
// Why it is still crash-safe: a target is only ever replaced by rename(2) of a temp file whose
// content was fsynced before that rename, so whichever renames survive a crash point to complete
// files, and a lost rename leaves the old complete file (or none, for a new name). commit()
// returns only after the directory fsyncs, so a committed batch is durable like write_file_atomic.
// What batching gives up is only the order between files: after a crash during commit(), some
// targets may be new and others still old, exactly as a crash between separate
// write_file_atomic calls would leave them.
// Errors: a failing write in add(), or a failing fsync / rename in commit(), throws Error naming
// the file; temp files not yet renamed are removed (also when the batch is destroyed without
// commit()). Renames done before a failing one stay (each of those files is complete).
// Not thread-safe; each pending file holds an open descriptor until commit().
class AtomicWriteBatch {
 public:
  AtomicWriteBatch() = default;
  AtomicWriteBatch(const AtomicWriteBatch&) = delete;
  AtomicWriteBatch& operator=(const AtomicWriteBatch&) = delete;
  ~AtomicWriteBatch();

  void add(const std::filesystem::path& path, std::string_view content);
  void commit();
  std::size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::filesystem::path target, temp;
    int fd = -1;
  };
  void discard();  // closes and unlinks every pending temp file
  std::vector<Pending> pending_;
};
// Reads a whole file; throws InputError naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);
// Creates the directory and its parents; throws Error with the path on failure.
void ensure_directory(const std::filesystem::path& dir);

}  // namespace rumi
