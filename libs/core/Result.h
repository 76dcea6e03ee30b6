#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace signiq::core {

// What went wrong, in a form callers can branch on.
enum class ErrorCode {
    InvalidArgument, // bad input from a user, a file or a request
    NotFound,        // a file, row or resource that should exist does not
    PermissionDenied,// e.g. a key file readable by group/others
    Io,              // reading or writing failed
    Parse,           // malformed JSON, key file, model file ...
    Corrupt,         // checksum, tag or chain mismatch
    WrongKey,        // an encryption key that does not open the data
    Unsupported,     // a feature or version this build cannot handle
    Internal,        // a bug or an engine failure (OpenCV, SQLite ...)
};

QString errorCodeName(ErrorCode code);

// An error is a value: a typed code plus a human message that names the problem.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;

    // "<code>: <message>" for logs and command-line output.
    QString toString() const;
};

// A small expected<T, Error>. Construct from a T for success or from an Error for failure.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

inline Error makeError(ErrorCode code, QString message) { return Error{code, std::move(message)}; }

} // namespace signiq::core
