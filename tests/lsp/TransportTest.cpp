#include "Transport.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>
#include <unistd.h>

using namespace chanlint::lsp;

namespace {

/// A pipe whose write end the test fills and closes; the reader reads it.
struct Pipe {
  int Fds[2];
  Pipe() { EXPECT_EQ(::pipe(Fds), 0); }
  ~Pipe() {
    ::close(Fds[0]);
    if (Fds[1] >= 0)
      ::close(Fds[1]);
  }
  void write(const std::string &S) { ASSERT_EQ(::write(Fds[1], S.data(), S.size()), ssize_t(S.size())); }
  void closeWriteEnd() {
    ::close(Fds[1]);
    Fds[1] = -1;
  }
};

TEST(Transport, ReadsFramedMessagesWithOtherHeaders) {
  Pipe P;
  P.write("Content-Length: 2\r\n\r\n{}");
  P.write("content-type: application/vscode-jsonrpc; charset=utf-8\r\n"
          "content-length:   7\r\n\r\n[1,2,3]");
  P.closeWriteEnd();
  FramedReader R(P.Fds[0]);
  auto A = R.read();
  ASSERT_EQ(A.What, FramedReader::Status::Message);
  EXPECT_EQ(A.Body, "{}");
  auto B = R.read();
  ASSERT_EQ(B.What, FramedReader::Status::Message);
  EXPECT_EQ(B.Body, "[1,2,3]");
  EXPECT_EQ(R.read().What, FramedReader::Status::EndOfStream);
}

TEST(Transport, BodiesAreCountedInBytes) {
  Pipe P;
  std::string Body = "\"\xf0\x9f\x98\x80\""; // 6 bytes, 1 character
  P.write("Content-Length: 6\r\n\r\n" + Body + "Content-Length: 1\r\n\r\n1");
  P.closeWriteEnd();
  FramedReader R(P.Fds[0]);
  EXPECT_EQ(R.read().Body, Body);
  EXPECT_EQ(R.read().Body, "1");
}

TEST(Transport, AHeaderBlockWithoutLengthIsAFramingErrorAndReadingGoesOn) {
  Pipe P;
  P.write("Content-Type: x\r\n\r\n");
  P.write("Content-Length: abc\r\n\r\n");
  P.write("Content-Length: 99999999999\r\n\r\n");
  P.write("Content-Length: 2\r\n\r\n{}");
  P.closeWriteEnd();
  FramedReader R(P.Fds[0]);
  auto A = R.read();
  EXPECT_EQ(A.What, FramedReader::Status::FramingError);
  EXPECT_NE(A.Error.find("without Content-Length"), std::string::npos);
  EXPECT_EQ(R.read().What, FramedReader::Status::FramingError);
  auto C = R.read();
  EXPECT_EQ(C.What, FramedReader::Status::FramingError);
  EXPECT_NE(C.Error.find("exceeds"), std::string::npos);
  auto D = R.read();
  ASSERT_EQ(D.What, FramedReader::Status::Message);
  EXPECT_EQ(D.Body, "{}");
}

TEST(Transport, EndOfStreamInsideABody) {
  Pipe P;
  P.write("Content-Length: 10\r\n\r\n{\"a\"");
  P.closeWriteEnd();
  FramedReader R(P.Fds[0]);
  EXPECT_EQ(R.read().What, FramedReader::Status::EndOfStream);
}

TEST(Transport, WriterFramesAndReportsAClosedPeer) {
  Pipe P;
  FramedWriter W(P.Fds[1]);
  ASSERT_TRUE(W.write("{\"x\":1}"));
  char Buffer[64] = {};
  ssize_t N = ::read(P.Fds[0], Buffer, sizeof Buffer - 1);
  EXPECT_EQ(std::string(Buffer, N), "Content-Length: 7\r\n\r\n{\"x\":1}");

  int Fds[2];
  ASSERT_EQ(::pipe(Fds), 0);
  ::close(Fds[0]);
  signal(SIGPIPE, SIG_IGN);
  FramedWriter Broken(Fds[1]);
  EXPECT_FALSE(Broken.write("{}"));
  EXPECT_FALSE(Broken.write("{}"));
  ::close(Fds[1]);
}

TEST(Transport, ConcurrentWritesStayWhole) {
  Pipe P;
  FramedWriter W(P.Fds[1]);
  std::string Body(1000, 'a');
  auto Writer = [&] {
    for (int I = 0; I < 20; ++I)
      W.write(Body);
  };
  std::thread T1(Writer), T2(Writer);
  T1.join();
  T2.join();
  P.closeWriteEnd();
  FramedReader R(P.Fds[0]);
  for (int I = 0; I < 40; ++I) {
    auto M = R.read();
    ASSERT_EQ(M.What, FramedReader::Status::Message);
    EXPECT_EQ(M.Body, Body);
  }
  EXPECT_EQ(R.read().What, FramedReader::Status::EndOfStream);
}

} // namespace
