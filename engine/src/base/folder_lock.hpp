// An exclusive lock on a folder for as long as the object lives: flock(2) on
// the folder itself, so the kernel drops it when the process ends, even by
// SIGKILL, and no lock file is left behind. Two runs or sweeps writing into
// one fixed folder would interleave their files; the second is refused.
#pragma once

#include <string>

namespace qtrader {

class FolderLock {
 public:
  // Locks `dir`, which must exist. Throws std::runtime_error naming the folder
  // when another process (or another lock in this one) holds it.
  explicit FolderLock(const std::string& dir);
  ~FolderLock();
  FolderLock(FolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FolderLock& operator=(FolderLock&&) = delete;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace qtrader
