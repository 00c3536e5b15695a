// The base protocol's framing: each message is a header block
// ("Content-Length: N", other headers ignored, each line ended by \r\n,
// the block by an empty line) followed by exactly N bytes of JSON.
//
// On file descriptors rather than iostreams: the writer must know when a
// write failed (the client went away), and both work on pipes in tests.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace chanlint::lsp {

/// Larger bodies are refused as a framing error rather than allocated: a
/// garbled header must not make the server try to read gigabytes.
inline constexpr std::size_t MaxMessageBytes = 256u << 20;

class FramedReader {
public:
  explicit FramedReader(int Fd) : Fd(Fd) {}

  enum class Status {
    Message,      ///< Body holds one message
    EndOfStream,  ///< the client closed its end (or a read error)
    FramingError, ///< a header block without a usable Content-Length; skipped
  };
  struct Result {
    Status What;
    std::string Body;  ///< the JSON text, for Message
    std::string Error; ///< what was wrong, for FramingError
  };

  /// Blocks until one message, a framing error or the end of the stream.
  Result read();

private:
  /// One header line without its line break; false at the end of the stream.
  bool readLine(std::string &Line);
  /// Exactly N bytes; false if the stream ends first.
  bool readBytes(std::size_t N, std::string &Out);
  bool fill();

  int Fd;
  std::string Buffer;
  std::size_t Start = 0; ///< unread data begins at Buffer[Start]
};

/// Thread-safe: the reader thread answers requests while the analysis
/// thread publishes diagnostics; each message goes out whole.
class FramedWriter {
public:
  explicit FramedWriter(int Fd) : Fd(Fd) {}

  /// False once a write failed (the client is gone); later writes are
  /// dropped.
  bool write(std::string_view Body);

private:
  bool writeAll(std::string_view Bytes);

  int Fd;
  std::mutex Mutex;
  bool Broken = false;
};

} // namespace chanlint::lsp
