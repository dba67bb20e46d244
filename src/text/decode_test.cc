#include "rasid/text/decode.h"

#include <gtest/gtest.h>

namespace rasid::text {
namespace {

Result<std::string> D(std::string_view bytes, Encoding enc, DecodeReport* r) {
  DecodeOptions o;
  o.encoding = enc;
  return Decode(bytes, "in.txt", o, r);
}

TEST(Decode, Utf8BomCrlfNulAndControls) {
  DecodeReport r;
  // BOM, "سلام" CR LF, NUL, C1 control U+0085 ... then a lone CR.
  using namespace std::string_literals;
  auto out = D("\xEF\xBB\xBF\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\r\nA\0B\xc2\x85"
               "C\rD"s,
               Encoding::kUtf8, &r);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85\nAB C\nD");
  EXPECT_TRUE(r.had_bom);
  EXPECT_EQ(r.newlines_converted, 2u);
  EXPECT_EQ(r.nul_removed, 1u);
  EXPECT_EQ(r.controls_replaced, 1u);
}

TEST(Decode, InvalidUtf8NamesFileAndByte) {
  DecodeReport r;
  auto out = D("abc\xe9z", Encoding::kUtf8, &r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(out.status().message().find("in.txt: invalid UTF-8 at byte 3"), std::string::npos);
}

TEST(Decode, Windows1256) {
  // "مرحبا" (marhaba) in Windows-1256: E3 D1 CD C8 C7.
  DecodeReport r;
  auto out = D("\xe3\xd1\xcd\xc8\xc7", Encoding::kWindows1256, &r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7");
}

TEST(Decode, AutoFallsBackToWindows1256AndSaysWhere) {
  DecodeReport r;
  auto out = D("ok \xe3\xd1\xcd\xc8\xc7", Encoding::kAuto, &r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "ok \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7");
  EXPECT_EQ(r.used, Encoding::kWindows1256);
  ASSERT_TRUE(r.fallback_offset.has_value());
  EXPECT_EQ(*r.fallback_offset, 3u);
}

TEST(Decode, AutoKeepsValidUtf8) {
  DecodeReport r;
  auto out = D("\xd8\xb3", Encoding::kAuto, &r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(r.used, Encoding::kUtf8);
  EXPECT_FALSE(r.fallback_offset.has_value());
}

TEST(Decode, Iso88596UnmappedByteIsAnError) {
  DecodeReport r;
  // 0xC7 is ALEF in ISO-8859-6; 0xA1 has no mapping.
  auto ok = D("\xc7", Encoding::kIso88596, &r);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "\xd8\xa7");
  auto bad = D("\xc7\xa1", Encoding::kIso88596, &r);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("byte 1"), std::string::npos) << bad.status().message();
}

TEST(Decode, Utf16WithBom) {
  DecodeReport r;
  auto out = D(std::string("\xFF\xFE\x27\x06\x41\x00", 6), Encoding::kAuto, &r);  // "اA"
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "\xd8\xa7" "A");
}

TEST(Decode, SizeLimit) {
  DecodeOptions o;
  o.max_bytes = 4;
  auto out = Decode("12345", "big.txt", o, nullptr);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("big.txt"), std::string::npos);
}

TEST(Decode, ParseEncoding) {
  EXPECT_EQ(*ParseEncoding("CP1256"), Encoding::kWindows1256);
  EXPECT_EQ(*ParseEncoding("utf-8"), Encoding::kUtf8);
  EXPECT_FALSE(ParseEncoding("latin9").ok());
}

}  // namespace
}  // namespace rasid::text
