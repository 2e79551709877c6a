#pragma once
// Errors carry the exit code the CLI must return, so every layer can throw with context and the
// CLI catches once (design: 0 ok, 1 failure, 2 bad usage/input, 3 not enough data).
#include <stdexcept>
#include <string>
#include <string_view>

namespace rumi {

enum class ExitCode : int { ok = 0, failure = 1, bad_input = 2, not_enough_data = 3 };

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::failure)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Bad usage of a command (unknown client, bad option value, ...). Exit 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, ExitCode::bad_input) {}
};

// Invalid input data. The message always names the file, the record and the field, e.g.
// "data.csv: record 12: field 'playCount': negative count (-5)". Exit 2.
class InputError : public Error {
 public:
  InputError(std::string_view file, std::string_view record, std::string_view field, std::string_view problem);
  explicit InputError(const std::string& message) : Error(message, ExitCode::bad_input) {}
};

// Not enough data for what was asked (e.g. a bucket below the minimum sample). Exit 3.
class NotEnoughDataError : public Error {
 public:
  explicit NotEnoughDataError(const std::string& message) : Error(message, ExitCode::not_enough_data) {}
};

}  // namespace rumi
