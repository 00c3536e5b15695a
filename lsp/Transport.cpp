#include "Transport.h"

#include "llvm/ADT/StringRef.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <unistd.h>

namespace chanlint::lsp {

namespace {

std::string_view trim(std::string_view S) {
  while (!S.empty() && std::isspace(static_cast<unsigned char>(S.front())))
    S.remove_prefix(1);
  while (!S.empty() && std::isspace(static_cast<unsigned char>(S.back())))
    S.remove_suffix(1);
  return S;
}

} // namespace

bool FramedReader::fill() {
  if (Start > 0 && Start == Buffer.size()) {
    Buffer.clear();
    Start = 0;
  }
  char Chunk[64 * 1024];
  for (;;) {
    ssize_t N = ::read(Fd, Chunk, sizeof Chunk);
    if (N > 0) {
      Buffer.append(Chunk, static_cast<std::size_t>(N));
      return true;
    }
    if (N < 0 && errno == EINTR)
      continue;
    return false;
  }
}

bool FramedReader::readLine(std::string &Line) {
  for (;;) {
    std::size_t NewLine = Buffer.find('\n', Start);
    if (NewLine != std::string::npos) {
      Line.assign(Buffer, Start, NewLine - Start);
      Start = NewLine + 1;
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return true;
    }
    // A header line is short; a "line" this long is garbage, and keeping it
    // would let a client without line breaks grow the buffer forever.
    if (Buffer.size() - Start > std::size_t{64} * 1024) {
      Line.assign(Buffer, Start, std::string::npos);
      Start = Buffer.size();
      return true;
    }
    if (!fill())
      return false;
  }
}

bool FramedReader::readBytes(std::size_t N, std::string &Out) {
  while (Buffer.size() - Start < N)
    if (!fill())
      return false;
  Out.assign(Buffer, Start, N);
  Start += N;
  if (Start == Buffer.size()) {
    Buffer.clear();
    Start = 0;
  }
  return true;
}

FramedReader::Result FramedReader::read() {
  std::string Line;
  bool SawHeader = false;
  bool HaveLength = false;
  std::size_t Length = 0;
  std::string Problem;
  for (;;) {
    if (!readLine(Line))
      return {Status::EndOfStream, "", ""};
    if (Line.empty()) {
      if (!SawHeader)
        continue; // blank lines between messages are harmless
      break;
    }
    SawHeader = true;
    std::string_view View(Line);
    std::size_t Colon = View.find(':');
    if (Colon == std::string_view::npos) {
      Problem = "header line without ':': " + std::string(View.substr(0, 80));
      continue;
    }
    std::string_view Name = trim(View.substr(0, Colon));
    std::string_view Value = trim(View.substr(Colon + 1));
    if (llvm::StringRef(Name).equals_insensitive("Content-Length")) {
      std::size_t Parsed = 0;
      auto [End, Error] = std::from_chars(Value.data(), Value.data() + Value.size(), Parsed);
      if (Error != std::errc() || End != Value.data() + Value.size()) {
        Problem = "Content-Length is not a number: " + std::string(Value.substr(0, 40));
        continue;
      }
      if (Parsed > MaxMessageBytes) {
        Problem = "Content-Length " + std::to_string(Parsed) + " exceeds the limit of " +
                  std::to_string(MaxMessageBytes) + " bytes";
        continue;
      }
      Length = Parsed;
      HaveLength = true;
    }
  }
  if (!HaveLength)
    return {Status::FramingError, "",
            Problem.empty() ? std::string("header block without Content-Length") : Problem};
  std::string Body;
  if (!readBytes(Length, Body))
    return {Status::EndOfStream, "", ""};
  return {Status::Message, std::move(Body), ""};
}

bool FramedWriter::writeAll(std::string_view Bytes) {
  while (!Bytes.empty()) {
    ssize_t N = ::write(Fd, Bytes.data(), Bytes.size());
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    Bytes.remove_prefix(static_cast<std::size_t>(N));
  }
  return true;
}

bool FramedWriter::write(std::string_view Body) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Broken)
    return false;
  std::string Header = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
  if (!writeAll(Header) || !writeAll(Body))
    Broken = true;
  return !Broken;
}

} // namespace chanlint::lsp
