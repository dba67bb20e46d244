// Status and Result<T>: how code that can fail on input or I/O reports it.
//
// A Status is either OK or carries a Code and a message. The message names
// the file, line or byte where the problem is, so it can be shown to a user
// as it is. Result<T> holds a value or a non-OK Status. Both are cheap to move
// and are [[nodiscard]]: ignoring a failure is a compile warning.
//
// Thread safety: distinct objects may be used from distinct threads.
#ifndef RASID_BASE_STATUS_H_
#define RASID_BASE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rasid {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk = 0, kInvalidArgument, kNotFound, kCorruption, kIOError, kUnsupported };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return Status(Code::kInvalidArgument, msg); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status Unsupported(std::string_view msg) { return Status(Code::kUnsupported, msg); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "Invalid argument: <message>", or "OK".
  std::string ToString() const;
  // A copy with "<prefix>: " put before the message (e.g. a file name).
  Status WithPrefix(std::string_view prefix) const;
  // A copy with the same code and another message.
  Status WithMessage(std::string_view msg) const { return Status(code_, msg); }

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// The process exit code for a status, used by the command line in one place:
// 0 ok, 2 invalid argument (bad input), 3 not found, 4 corruption, 5 I/O error,
// 6 unsupported.
int ExitCodeFor(const Status& status);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace rasid

#define RASID_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::rasid::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

#endif  // RASID_BASE_STATUS_H_
