// Sets a flag for the life of a scope and restores its earlier value, also
// when the scope is left by an exception (a script error unwinding through a
// service must not leave it marked busy).
#pragma once

namespace qtrader {

class FlagScope {
 public:
  explicit FlagScope(bool& flag) : flag_(flag), was_(flag) { flag_ = true; }
  ~FlagScope() { flag_ = was_; }
  FlagScope(const FlagScope&) = delete;
  FlagScope& operator=(const FlagScope&) = delete;

 private:
  bool& flag_;
  bool was_;
};

}  // namespace qtrader
