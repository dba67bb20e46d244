#include "rasid/base/status.h"

#include <gtest/gtest.h>

#include "rasid/base/file.h"

namespace rasid {
namespace {

TEST(Status, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::InvalidArgument("a.txt: invalid UTF-8 at byte 3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "Invalid argument: a.txt: invalid UTF-8 at byte 3");
  EXPECT_EQ(s.WithPrefix("ingest").message(), "ingest: a.txt: invalid UTF-8 at byte 3");
  EXPECT_EQ(s.WithMessage("x").code(), Status::Code::kInvalidArgument);
}

TEST(Status, ExitCodes) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(Status::InvalidArgument("")), 2);
  EXPECT_EQ(ExitCodeFor(Status::NotFound("")), 3);
  EXPECT_EQ(ExitCodeFor(Status::Corruption("")), 4);
  EXPECT_EQ(ExitCodeFor(Status::IOError("")), 5);
}

TEST(Result, ValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("x");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kNotFound);
}

TEST(ReadFile, MissingFileIsNotFoundNamingThePath) {
  Result<std::string> r = ReadFile("/nonexistent/rasid-test-file");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/rasid-test-file"), std::string::npos);
}

}  // namespace
}  // namespace rasid
