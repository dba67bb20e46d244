#include "rasid/engine/readers.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rasid::engine {
namespace {

namespace fs = std::filesystem;
using index::Document;

const std::string kIngest = RASID_TESTDATA_DIR "/ingest";
const std::string kShared = RASID_SHARED_DIR;

// ---------------------------------------------------------------------------
// Helpers

// A fresh directory per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "rasid_readers_XXXXXX";
    char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, std::string_view bytes) const {
    std::string p = path_ + "/" + name;
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Outcome {
  std::vector<Document> docs;
  std::vector<InputError> errors;
  Status status;
  ReaderStats stats;
  uint64_t total_bytes = 0;
};

struct ReadMode {
  bool strict = false;
};

Outcome ReadAll(const std::vector<std::string>& inputs, const ReaderOptions& options = {},
                ReadMode mode = {}) {
  Outcome out;
  Result<std::unique_ptr<DocumentReader>> reader = DocumentReader::Open(inputs, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  Document doc;
  auto on_error = [&](const InputError& e) {
    out.errors.push_back(e);
    return !mode.strict;
  };
  while ((*reader)->Next(&doc, on_error)) out.docs.push_back(doc);
  EXPECT_FALSE((*reader)->Next(&doc, on_error));  // stays at the end
  out.status = (*reader)->status();
  out.stats = (*reader)->stats();
  out.total_bytes = (*reader)->total_bytes();
  return out;
}

std::vector<std::string> Ids(const Outcome& o) {
  std::vector<std::string> ids;
  for (const Document& d : o.docs) ids.push_back(d.id);
  return ids;
}

std::vector<std::pair<size_t, std::string>> LinesAndMessages(const Outcome& o) {
  std::vector<std::pair<size_t, std::string>> v;
  for (const InputError& e : o.errors) v.emplace_back(e.line, e.status.message());
  return v;
}

using Extra = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------
// JSONL

TEST(JsonlReader, ReadsAntSample) {
  const std::string path = kIngest + "/ant_sample.jsonl";
  Outcome o = ReadAll({path});
  EXPECT_TRUE(o.errors.empty());
  EXPECT_TRUE(o.status.ok());
  ASSERT_EQ(Ids(o),
            (std::vector<std::string>{"AL-culture-62-20121201", "CN-middleEast-1017-20180525",
                                      "BB-culture-213-20180630", "CN-middleEast-392-20180327",
                                      "FR-culture-46-20180418", "SK-internationalNews-753-20180402"}));
  EXPECT_EQ(o.stats.documents, 6u);
  EXPECT_EQ(o.stats.bad_records, 0u);
  EXPECT_EQ(o.stats.bytes_read, 9339u);
  EXPECT_EQ(o.total_bytes, 9339u);

  const Document& sky = o.docs[5];
  EXPECT_EQ(sky.title, "زلزال يهز السلفادور.. والسلطات تترقب");  // zilzal yahuzz al-salfadur
  EXPECT_EQ(sky.text,
            "قالت السلطات في السلفادور إن زلزالا هز المباني في البلاد مساء الاثنين.\n"
            "وحسب رويترز، قالت سلطات الحماية المدنية إنها تراقب الوضع.");
  EXPECT_EQ(sky.date, "Mon, 02 Apr 2018 23:53:41 GMT");
  EXPECT_EQ(sky.source, "skynews");
  EXPECT_EQ(sky.url, "https://www.skynewsarabia.com/world/1035936");
  EXPECT_EQ(sky.category, "internationalNews");
  EXPECT_EQ(sky.author, "أبوظبي - سكاي نيوز عربية");
  EXPECT_EQ(sky.extra,
            (Extra{{"date_ymd", "\"2018-04-02\""},
                   {"abstract", "\"قالت السلطات في السلفادور إن زلزالا هز المباني في البلاد مساء الاثنين.\""},
                   {"file", "\"SkyNews/internationalNews/SK-internationalNews-753-20180402.txt\""}}));
  // The raw JSON text of an unknown field keeps its escapes.
  EXPECT_EQ(o.docs[4].extra[1].first, "abstract");
  const std::string escaped =
      "\"يعرض في باريس أثاث فندق \\\"ريتز\\\"";  // ya'rid fi baris athath funduq "ritz"
  EXPECT_EQ(o.docs[4].extra[1].second.substr(0, escaped.size()), escaped);
  // Escapes in known fields are decoded.
  EXPECT_EQ(o.docs[4].title, "أثاث وأكسسوارات فندق \"ريتز\" تعرض للبيع في المزاد بباريس");

  // Trailing boilerplate, exact byte lengths: the AlArabiya text is only the
  // opinion disclaimer; CNN keeps «اقرأ أيضا...» in the middle; BBC's app
  // notice and its rule of dashes; CNN's final «اقرأ أيضاً:»; France24's credit.
  std::vector<size_t> indexed;
  for (const Document& d : o.docs) indexed.push_back(d.indexed_text_bytes);
  EXPECT_EQ(indexed, (std::vector<size_t>{0, 1271, 153, 937, 1870, 234}));
  EXPECT_EQ(o.docs[1].text.size(), 1271u);
  EXPECT_EQ(o.docs[2].text.substr(153, 24), "\n----------------------\n");
  EXPECT_EQ(o.docs[3].text.substr(937, 21), "\nاقرأ أيضاً:");
  EXPECT_EQ(o.docs[4].text.substr(1870), "\nفرانس24/ أ ف ب");
}

TEST(JsonlReader, GzipGivesTheSameDocuments) {
  Outcome plain = ReadAll({kIngest + "/ant_sample.jsonl"});
  Outcome gz = ReadAll({kIngest + "/ant_sample.jsonl.gz"});
  EXPECT_TRUE(gz.errors.empty());
  ASSERT_EQ(gz.docs.size(), plain.docs.size());
  for (size_t i = 0; i < gz.docs.size(); ++i) {
    EXPECT_EQ(gz.docs[i].id, plain.docs[i].id);
    EXPECT_EQ(gz.docs[i].text, plain.docs[i].text);
    EXPECT_EQ(gz.docs[i].extra, plain.docs[i].extra);
  }
  EXPECT_EQ(gz.stats.bytes_read, 3128u);  // compressed size
  EXPECT_EQ(gz.total_bytes, 3128u);
}

TEST(JsonlReader, GzipIsDetectedByMagicBytesAndMembersFollowEachOther) {
  TempDir dir;
  std::string a = "{\"id\":\"a\",\"text\":\"أ\"}\n", b = "{\"id\":\"b\",\"text\":\"ب\"}\n";  // alif, ba
  std::string path = dir.Write("no_gz_suffix.jsonl", Gzip(a) + Gzip(b));
  Outcome o = ReadAll({path});
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(Ids(o), (std::vector<std::string>{"a", "b"}));
}

TEST(JsonlReader, TruncatedGzipNamesFileAndLine) {
  const std::string path = kIngest + "/ant_sample_truncated.jsonl.gz";
  Outcome o = ReadAll({path});
  EXPECT_EQ(o.docs.size(), 3u);  // the lines that were complete
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].file, path);
  EXPECT_EQ(o.errors[0].line, 4u);
  EXPECT_EQ(o.errors[0].status.code(), Status::Code::kCorruption);
  EXPECT_EQ(o.errors[0].status.message(), path + ":4: truncated gzip data");
  EXPECT_EQ(o.stats.bad_records, 1u);
}

TEST(JsonlReader, CorruptGzipIsAnErrorNotACrash) {
  TempDir dir;
  const std::string gz = ReadBytes(kIngest + "/ant_sample.jsonl.gz");
  ASSERT_EQ(gz.size(), 3128u);
  // Every byte after the 10-byte header matters: flipping it breaks the
  // deflate data, the CRC-32 or the length.
  for (size_t at = 10; at < gz.size(); at += 7) {
    std::string bad = gz;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    std::string path = dir.Write("flip.jsonl.gz", bad);
    Outcome o = ReadAll({path});
    EXPECT_LE(o.docs.size(), 6u);
    ASSERT_FALSE(o.errors.empty()) << "flip at " << at;
    bool corruption = false;
    for (const InputError& e : o.errors) {
      EXPECT_EQ(e.file, path);
      EXPECT_EQ(e.status.message().rfind(path + ":", 0), 0u) << e.status.message();
      corruption |= e.status.code() == Status::Code::kCorruption;
    }
    EXPECT_TRUE(corruption) << "flip at " << at;
  }
}

TEST(JsonlReader, BadRecordsAreReportedWithFileAndLineAndSkipped) {
  const std::string p = kIngest + "/bad.jsonl";
  Outcome o = ReadAll({p});
  EXPECT_EQ(Ids(o), (std::vector<std::string>{"g1", "g11", "g17"}));
  EXPECT_EQ(o.docs[1].title, "عنوان فقط");  // 'unwan faqat: a title alone is enough
  EXPECT_EQ(o.docs[1].text, "");
  EXPECT_EQ(o.stats.documents, 3u);
  EXPECT_EQ(o.stats.bad_records, 12u);
  ASSERT_EQ(o.errors.size(), 12u);
  std::vector<size_t> lines;
  for (const InputError& e : o.errors) {
    lines.push_back(e.line);
    EXPECT_EQ(e.file, p);
    EXPECT_EQ(e.status.code(), Status::Code::kInvalidArgument);
  }
  EXPECT_EQ(lines, (std::vector<size_t>{3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16}));
  auto msg = [&](size_t i) { return o.errors[i].status.message(); };
  EXPECT_EQ(msg(0).rfind(p + ":3: invalid JSON (", 0), 0u) << msg(0);
  EXPECT_EQ(msg(1), p + ":4: invalid UTF-8 at byte 19 (try --encoding windows-1256 or --encoding auto)");
  EXPECT_EQ(msg(2), p + ":5: missing \"text\"");
  EXPECT_EQ(msg(3), p + ":6: missing \"id\"");
  EXPECT_EQ(msg(4), p + ":7: \"text\" is not a string");
  EXPECT_EQ(msg(5), p + ":8: not a JSON object");
  EXPECT_EQ(msg(6), p + ":9: \"id\" is not a string or an integer");
  EXPECT_EQ(msg(7), p + ":10: invalid JSON (unexpected content after the object)");
  EXPECT_EQ(msg(8).rfind(p + ":13: invalid JSON (", 0), 0u) << msg(8);
  EXPECT_EQ(msg(9).rfind(p + ":14: invalid JSON (", 0), 0u) << msg(9);
  EXPECT_EQ(msg(10), p + ":15: empty \"id\"");
  EXPECT_EQ(msg(11), p + ":16: \"author\" is not a string");
}

TEST(JsonlReader, StrictStopsAtTheFirstBadRecord) {
  const std::string p = kIngest + "/bad.jsonl";
  Outcome o = ReadAll({p, kIngest + "/ant_sample.jsonl"}, {}, ReadMode{.strict = true});
  EXPECT_EQ(Ids(o), (std::vector<std::string>{"g1"}));
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_FALSE(o.status.ok());
  EXPECT_EQ(o.status.message(), o.errors[0].status.message());
  EXPECT_EQ(o.status.message().rfind(p + ":3: invalid JSON", 0), 0u);
  EXPECT_EQ(o.stats.bad_records, 1u);
}

TEST(JsonlReader, BomCrlfAndControlsFollowTheDecodeRules) {
  Outcome o = ReadAll({kIngest + "/crlf_bom.jsonl"});
  EXPECT_TRUE(o.errors.empty());
  ASSERT_EQ(Ids(o), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(o.docs[0].text, "سطر أول\nسطر ثان");  // satr awwal / satr thanin: "\r\n" became "\n"
  EXPECT_EQ(o.docs[1].text, "ab c d\n");          // NUL removed, C0 and C1 controls a space, CR a LF

  // Files joined with cat keep their byte order marks.
  TempDir dir;
  const std::string bytes = ReadBytes(kIngest + "/crlf_bom.jsonl");
  Outcome twice = ReadAll({dir.Write("cat.jsonl", bytes + bytes)});
  EXPECT_TRUE(twice.errors.empty());
  EXPECT_EQ(Ids(twice), (std::vector<std::string>{"c1", "c2", "c1", "c2"}));
}

TEST(JsonlReader, NumericIdsAndRawExtraFields) {
  TempDir dir;
  std::string p = dir.Write("x.jsonl",
                            "{\"id\": 12345678901234567890123, \"text\": \"x\", \"n\": -1.5e3, \"b\": true,"
                            " \"z\": null, \"o\": {\"k\": [1, \"two\"]} , \"s\": \"a\\\"b\\u0041\"}\n"
                            "{\"id\": -5, \"text\": \"y\"}\n"
                            "{\"id\": \"  \", \"text\": \"y\"}\n"
                            "{\"id\": 0, \"text\": \"z\", \"text\": \"last wins\"}\n");
  Outcome o = ReadAll({p});
  ASSERT_EQ(Ids(o), (std::vector<std::string>{"12345678901234567890123", "-5", "0"}));
  EXPECT_EQ(o.docs[0].extra, (Extra{{"n", "-1.5e3"},
                                    {"b", "true"},
                                    {"z", "null"},
                                    {"o", "{\"k\": [1, \"two\"]}"},
                                    {"s", "\"a\\\"b\\u0041\""}}));
  EXPECT_EQ(o.docs[2].text, "last wins");
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].status.message(), p + ":3: empty \"id\"");
}

TEST(JsonlReader, LegacyEncodingsDecodeEachLine) {
  TempDir dir;
  // "مرحبا" (marhaba) in Windows-1256: E3 D1 CD C8 C7.
  std::string cp1256 = "{\"id\":\"w1\",\"text\":\"\xE3\xD1\xCD\xC8\xC7\"}\n";
  std::string utf8 = "{\"id\":\"u1\",\"text\":\"مرحبا\"}\n";
  std::string p = dir.Write("mixed.jsonl", utf8 + cp1256);

  Outcome strict_utf8 = ReadAll({p});
  EXPECT_EQ(Ids(strict_utf8), (std::vector<std::string>{"u1"}));
  ASSERT_EQ(strict_utf8.errors.size(), 1u);
  EXPECT_EQ(strict_utf8.errors[0].line, 2u);

  ReaderOptions autodetect;
  autodetect.encoding = text::Encoding::kAuto;
  Outcome o = ReadAll({p}, autodetect);
  EXPECT_TRUE(o.errors.empty());
  ASSERT_EQ(Ids(o), (std::vector<std::string>{"u1", "w1"}));
  EXPECT_EQ(o.docs[0].text, "مرحبا");
  EXPECT_EQ(o.docs[1].text, "مرحبا");

  ReaderOptions cp;
  cp.encoding = text::Encoding::kWindows1256;
  std::string q = dir.Write("cp.jsonl", cp1256);
  Outcome c = ReadAll({q}, cp);
  ASSERT_EQ(Ids(c), (std::vector<std::string>{"w1"}));
  EXPECT_EQ(c.docs[0].text, "مرحبا");
}

TEST(JsonlReader, Utf16IsRefusedForTheWholeFile) {
  TempDir dir;
  std::string p = dir.Write("u16.jsonl", std::string("\xFF\xFE{\0\"\0", 6));
  ReaderOptions o;
  o.encoding = text::Encoding::kAuto;
  Outcome r = ReadAll({p}, o);
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 0u);
  EXPECT_EQ(r.errors[0].status.code(), Status::Code::kUnsupported);
  EXPECT_EQ(r.errors[0].status.message(), p + ": UTF-16 JSONL is not supported; convert it to UTF-8");
}

TEST(JsonlReader, OversizedRecordsAndLines) {
  TempDir dir;
  ReaderOptions small;
  small.max_document_bytes = 50;
  const size_t max_line = 50 * 4 + 65536;  // the reader's line limit for this option
  std::string text60(60, 'a');
  std::string huge(70000, 'b');
  std::string p =
      dir.Write("big.jsonl", "{\"id\":\"1\",\"text\":\"" + text60 + "\"}\n" + "{\"id\":\"2\",\"text\":\"" +
                                 huge + "\"}\n" + "{\"id\":\"3\",\"title\":\"t\",\"text\":\"ok\"}\n" +
                                 "{\"id\":\"4\",\"text\":\"" + huge + "\"}");
  Outcome o = ReadAll({p}, small);
  EXPECT_EQ(Ids(o), (std::vector<std::string>{"3"}));
  EXPECT_EQ(LinesAndMessages(o), (std::vector<std::pair<size_t, std::string>>{
                                     {1, p + ":1: title and text are 60 bytes, larger than the limit of 50"},
                                     {2, p + ":2: line of " + std::to_string(max_line) +
                                             " bytes or more, larger than the limit for one document"},
                                     {4, p + ":4: line of " + std::to_string(max_line) +
                                             " bytes or more, larger than the limit for one document"}}));
}

TEST(JsonlReader, LongLinesAcrossBufferRefills) {
  // Lines longer than the first buffer, split at every refill boundary.
  TempDir dir;
  std::string all;
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back(std::string(static_cast<size_t>(1000 + i * 37'000), static_cast<char>('a' + i % 26)));
    all += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"" + texts.back() + "\"}\n";
  }
  Outcome o = ReadAll({dir.Write("long.jsonl", all)});
  EXPECT_TRUE(o.errors.empty());
  ASSERT_EQ(o.docs.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(o.docs[i].text, texts[i]);
}

TEST(JsonlReader, StandardInput) {
  TempDir dir;
  std::string p = dir.Write("in.jsonl.gz", Gzip("{\"id\":\"s1\",\"text\":\"من الدخل\"}\n"));  // min al-dakhil
  int saved = ::dup(0);
  int fd = ::open(p.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::dup2(fd, 0), 0);
  ::close(fd);
  Outcome o = ReadAll({"-"});
  ::dup2(saved, 0);
  ::close(saved);
  EXPECT_EQ(Ids(o), (std::vector<std::string>{"s1"}));
  EXPECT_EQ(o.total_bytes, 0u);
  EXPECT_GT(o.stats.bytes_read, 0u);
}

// ---------------------------------------------------------------------------
// Text files and folders

TEST(TextReader, FolderIsWalkedInPathOrder) {
  const std::string folder = kIngest + "/folder";
  Outcome o = ReadAll({folder});
  EXPECT_TRUE(o.errors.empty());
  ASSERT_EQ(Ids(o),
            (std::vector<std::string>{"01-titled.txt", "04-compressed.txt.gz", "05-noext",
                                      "06-gzip-without-suffix.txt", "sub/02-crlf-bom.txt", "7", "x-2"}));
  EXPECT_EQ(Ids(ReadAll({folder + "/"})), Ids(o));
  EXPECT_EQ(o.stats.skipped_files, 1u);  // notes.md; hidden files are not counted
  EXPECT_EQ(o.total_bytes, 317u + 40 + 30 + 64 + 123 + 135);
  EXPECT_EQ(o.stats.bytes_read, o.total_bytes);

  const Document& titled = o.docs[0];
  EXPECT_EQ(titled.title, "الأمطار تعود إلى الرياض");  // al-amtar ta'ud ila al-riyad
  EXPECT_EQ(titled.text,
            "شهدت الرياض أمطارا غزيرة مساء أمس، وأعلن الدفاع المدني رفع درجة الاستعداد.\n"
            "وقالت الأرصاد إن الحالة ستستمر حتى نهاية الأسبوع.\n"
            "رابط مختصر: https://example.com/a1");
  EXPECT_EQ(titled.indexed_text_bytes, titled.text.find("\nرابط مختصر"));
  EXPECT_EQ(o.docs[1].title, "");
  EXPECT_EQ(o.docs[1].text, "خبر مضغوط.");  // khabar madghut
  EXPECT_EQ(o.docs[2].text, "مقال بلا امتداد.");
  EXPECT_EQ(o.docs[3].text, "هذا ملف مضغوط باسم عادي.");

  const Document& crlf = o.docs[4];  // BOM and CRLF
  EXPECT_EQ(crlf.title, "افتتاح معرض الكتاب");
  EXPECT_EQ(crlf.text, "افتتح وزير الثقافة معرض الكتاب الدولي.\nشارك");
  EXPECT_EQ(crlf.indexed_text_bytes, crlf.text.find("\nشارك"));

  EXPECT_EQ(o.docs[5].title, "خبر رقمي");
  EXPECT_EQ(o.docs[5].extra, (Extra{{"views", "12"}, {"tags", "[\"a\", \"b\"]"}}));
}

TEST(TextReader, ReferenceArticleIsOneDocumentWithoutTitle) {
  const std::string path = kShared + "/reference/article-ar-001.txt";
  if (!fs::exists(path)) GTEST_SKIP() << "needs ../shared/reference";
  Outcome o = ReadAll({path});
  ASSERT_EQ(o.docs.size(), 1u);
  const Document& d = o.docs[0];
  EXPECT_EQ(d.id, path);
  EXPECT_EQ(d.title, "");
  EXPECT_EQ(d.text, ReadBytes(path));
  EXPECT_EQ(d.indexed_text_bytes, 6350u);
  EXPECT_EQ(d.text.substr(6350), "\nرابط دائم:");  // rabit da'im: permalink
}

TEST(TextReader, TitleRules) {
  struct Case {
    std::string file;
    std::string title;
    std::string text;
  };
  const std::string long_line(250, 'x');
  const Case cases[] = {
      {"عنوان\n\nنص.\n", "عنوان", "نص."},                          // 'unwan (title), nass (text)
      {"عنوان  \n \t\n\n\nنص.", "عنوان", "نص."},                   // blank lines after the title
      {"جملة كاملة.\n\nنص.", "", "جملة كاملة.\n\nنص."},            // a sentence, not a title
      {"عنوان\nنص بلا سطر فارغ.", "", "عنوان\nنص بلا سطر فارغ."},  // no blank line after it
      {long_line + "\n\nنص.", "", long_line + "\n\nنص."},          // too long for a title
      {"\n\nنص.\n\n", "", "نص."},
      {"عنوان\n\n", "عنوان", ""},
      {"  سطر بمسافة\nثان", "", "  سطر بمسافة\nثان"},
  };
  TempDir dir;
  for (const Case& c : cases) {
    std::string p = dir.Write("a.txt", c.file);
    Outcome o = ReadAll({p});
    ASSERT_EQ(o.docs.size(), 1u) << c.file;
    EXPECT_EQ(o.docs[0].title, c.title) << c.file;
    EXPECT_EQ(o.docs[0].text, c.text) << c.file;
    EXPECT_EQ(o.docs[0].id, p);
  }
  for (std::string empty : {"", "  \n\n\t\n"}) {
    std::string p = dir.Write("empty.txt", empty);
    Outcome o = ReadAll({p});
    EXPECT_TRUE(o.docs.empty());
    ASSERT_EQ(o.errors.size(), 1u);
    EXPECT_EQ(o.errors[0].line, 0u);
    EXPECT_EQ(o.errors[0].status.message(), p + ": missing \"text\"");
  }
}

TEST(TextReader, EncodingOption) {
  const std::string p = kIngest + "/cp1256.txt";
  Outcome utf8 = ReadAll({p});
  ASSERT_EQ(utf8.errors.size(), 1u);
  EXPECT_EQ(utf8.errors[0].status.message(),
            p + ": invalid UTF-8 at byte 0 (try --encoding windows-1256 or --encoding auto)");
  for (text::Encoding e : {text::Encoding::kWindows1256, text::Encoding::kAuto}) {
    ReaderOptions o;
    o.encoding = e;
    Outcome r = ReadAll({p}, o);
    ASSERT_EQ(r.docs.size(), 1u);
    EXPECT_EQ(r.docs[0].title, "مرحبا بالعالم");               // marhaban bil-'alam
    EXPECT_EQ(r.docs[0].text, "هذا نص مكتوب بترميز ويندوز.");  // written in the Windows encoding
  }
}

TEST(TextReader, InvalidUtf8NamesFileAndByte) {
  TempDir dir;
  std::string p = dir.Write("a.txt", std::string(40, 'a') + "\xFF tail");
  Outcome o = ReadAll({p});
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].status.message().rfind(p + ": invalid UTF-8 at byte 40", 0), 0u);
  EXPECT_EQ(o.stats.bad_records, 1u);
}

TEST(TextReader, OversizedFiles) {
  TempDir dir;
  ReaderOptions small;
  small.max_document_bytes = 50;
  std::string p = dir.Write("a.txt", std::string(100, 'a'));
  std::string q = dir.Write("b.txt", std::string(1000, 'b'));
  Outcome o = ReadAll({p, q}, small);
  EXPECT_EQ(LinesAndMessages(o), (std::vector<std::pair<size_t, std::string>>{
                                     {0, p + ": title and text are 100 bytes, larger than the limit of 50"},
                                     {0, q + ": more than 166 bytes, larger than the limit of 50"}}));
}

TEST(Reader, MissingInputFailsToOpen) {
  Result<std::unique_ptr<DocumentReader>> r = DocumentReader::Open({kIngest + "/no-such-file.jsonl"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message().rfind(kIngest + "/no-such-file.jsonl: ", 0), 0u);
}

// ---------------------------------------------------------------------------
// Robustness

TEST(Reader, RandomBytesNeverCrash) {
  TempDir dir;
  std::mt19937 rng(20240229);
  const std::string alphabet =
      "{}[]\",:\\ \n\r\t0123456789.-+eEtrufalsn\x1F\x8B\xEF\xBB\xBF\xC2\x85\xD8\xA7\xFF";
  for (int round = 0; round < 300; ++round) {
    std::string bytes(rng() % 3000, '\0');
    for (char& c : bytes) c = rng() % 3 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
    if (round % 5 == 0) bytes = "\x1F\x8B" + bytes;                           // a "gzip" file
    if (round % 7 == 0) bytes = Gzip(bytes).substr(0, bytes.size() / 2 + 5);  // real but cut
    std::vector<std::string> inputs = {dir.Write("r.jsonl", bytes), dir.Write("r.txt", bytes)};
    for (text::Encoding e : {text::Encoding::kUtf8, text::Encoding::kAuto, text::Encoding::kIso88596}) {
      ReaderOptions o;
      o.encoding = e;
      o.max_document_bytes = 1 + rng() % 2000;
      Outcome r = ReadAll(inputs, o);
      EXPECT_EQ(r.stats.documents, r.docs.size());
      EXPECT_EQ(r.stats.bad_records, r.errors.size());
      for (const InputError& err : r.errors) {
        EXPECT_TRUE(err.file == inputs[0] || err.file == inputs[1]);
        EXPECT_EQ(err.status.message().rfind(err.file, 0), 0u);
      }
      for (const Document& d : r.docs) {
        EXPECT_FALSE(d.id.empty());
        EXPECT_LE(d.indexed_text_bytes, d.text.size());
        EXPECT_LE(d.title.size() + d.text.size(), o.max_document_bytes);
      }
    }
  }
}

// The On-Demand fast path against a full DOM parse: every line accepted must
// be a valid JSON object, and no valid JSON is called invalid.
TEST(Reader, AcceptsExactlyValidJson) {
  TempDir dir;
  std::mt19937 rng(7);
  std::vector<std::string> seeds;
  {
    std::istringstream in(ReadBytes(kIngest + "/ant_sample.jsonl") + ReadBytes(kIngest + "/bad.jsonl"));
    for (std::string line; std::getline(in, line);) {
      if (line.size() > 600) line = line.substr(0, 300) + line.substr(line.size() - 300);
      seeds.push_back(line);
    }
    seeds.push_back(
        "{\"id\":1,\"text\":\"x\",\"o\":{\"a\":[1,{\"b\":null}],\"c\":\"\\u0041\"},\"n\":-0.5e-3}");
  }
  const std::string pieces = "{}[]\",:\\ 0123456789.-eEtrufalsn";
  std::string file;
  std::vector<std::string> lines;
  for (int i = 0; i < 4000; ++i) {
    std::string s = seeds[rng() % seeds.size()];
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0 && !s.empty(); --k) {
      size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s.erase(at, 1);
          break;
        case 1:
          s.insert(at, 1, pieces[rng() % pieces.size()]);
          break;
        default:
          s[at] = pieces[rng() % pieces.size()];
          break;
      }
    }
    for (char& c : s) {
      if (c == '\n') c = ' ';
    }
    lines.push_back(s);
    file += s + "\n";
  }
  Outcome o = ReadAll({dir.Write("mutants.jsonl", file)});
  std::vector<bool> bad(lines.size() + 1, false);
  std::vector<std::string> why(lines.size() + 1);
  for (const InputError& e : o.errors) {
    bad[e.line] = true;
    why[e.line] = e.status.message();
  }
  simdjson::dom::parser dom;
  size_t accepted = 0;
  for (size_t n = 1; n <= lines.size(); ++n) {
    const std::string& s = lines[n - 1];
    simdjson::dom::element e;
    bool valid = !dom.parse(s).get(e);
    bool blank = s.find_first_not_of(" \t\r") == std::string::npos;
    if (blank) continue;
    if (!bad[n]) {
      ++accepted;
      EXPECT_TRUE(valid && e.is_object()) << "accepted invalid line " << n << ": " << s;
    } else if (why[n].find("invalid JSON") != std::string::npos) {
      EXPECT_FALSE(valid) << "valid JSON called invalid, line " << n << ": " << s << "\n" << why[n];
    }
  }
  EXPECT_EQ(accepted, o.docs.size());
  EXPECT_GT(accepted, 100u);
}

// ---------------------------------------------------------------------------
// Trailing boilerplate

TEST(IndexableLength, CutsTrailingBoilerplate) {
  struct Case {
    std::string text;
    std::string kept;  // text[0, IndexableLength(text))
  };
  const std::string body = "وقال الوزير إن المشروع سينتهي العام المقبل.";  // the minister said...
  const Case cases[] = {
      // reference/article-ar-001.txt: «رابط دائم:» (permalink) and nothing after it.
      {body + "\nرابط دائم:", body},
      {body + "\nرابط دائم: https://example.com/123\n", body},
      {body + " رابط دائم: https://example.com/123", body},
      {body + "\nرابط دائم:\nhttps://example.com/123", body},
      {body + "\n\nالرابط المختصر:\n http://e.com/x \n\n", body},
      // SaudiNewsNet alweeam: at the end of the last line.
      {body + " رابط الخبر بصحيفة الوئام: الوزير يعلن موعد الانتهاء ", body},
      // aawsat.
      {body + "\n\n ...المزيد", body},
      // almadina, on one line and over five.
      {body + " \n\nname@example.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (3) ثم مسافة ثم نص "
              "الرسالة إلى 88591 - Stc 635031 - Mobily 737221 - Zain ",
       body},
      {body + "\nname@example.com\nللتواصل مع الكاتب ارسل رسالة SMS\nتبدأ بالرمز (41) ثم مسافة ثم نص الرسالة "
              "إلى\n88591 - Stc\n635031 - Mobily\n737221 - Zain ",
       body},
      // okaz.
      {body + "\n\nname@example.com \n\n\nللتواصل أرسل sms إلى 88548 الاتصالات، 636250 موبايلي، 738303 زين "
              "تبدأ بالرمز 259 مسافة ثم الرسالة\n ",
       body},
      // AlArabiya opinion pieces.
      {body + "\n*نقلاً عن الرؤية الإماراتية\n** جميع المقالات المنشورة تمثل رأي كتابها فقط.", body},
      // BBC.
      {body + "\n-----------\nيمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي "
              "عربي على هاتفكم المحمول",
       body},
      // France24 and CNN related links and credits.
      {body + "\nللمزيد: الحرب على العنف الجنسي تطغى على حفل جوائز غولدن غلوب", body},
      {body + "\n\xC2\xA0\nفرانس 24/ أ ف ب/ رويترز", body},
      {body + "\nاقرأ..\xC2\xA0\"الرئيس المرشح\".. الطامحون في الرئاسة", body},
      // 3alyoum tags; JawharaFM source.
      {body + " سمات تبوك جامعة وفاة معلمة ", body},
      {body + " المصدر (العربية)", body},
      {body + "\nالمصدر : وكالة تونس افريقيا للأنباء", body},
      // The brief's phrases.
      {body + "\nاقرأ أيضا: عنوان آخر\nشارك هذا المقال\nتابعونا على تويتر وفيسبوك", body},
      {body + "\nشارك", body},
      {body + "\nRead more: https://example.com/x\nShare this article on Facebook", body},
      {body + "\nPermalink", body},
      // Only boilerplate.
      {"** جميع المقالات المنشورة تمثل رأي كتابها فقط.", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IndexableLength(c.text), c.kept.size()) << c.text;
  }
}

TEST(IndexableLength, LeavesArticleTextAlone) {
  const std::string body = "وقال الوزير إن المشروع سينتهي العام المقبل.";
  const std::string texts[] = {
      "",
      body,
      body + "\n",
      // The same words in the middle of the article.
      "اقرأ أيضا: عنوان آخر\n" + body,
      body + "\nرابط دائم: http://e.com\nوأضاف الوزير أن التمويل متوفر.",
      // Last lines that only start like boilerplate.
      body + "\nشارك الداعية السعودي عائض القرني، الجمعة، في الهاشتاغات التي انتشرت على موقع تويتر.",
      body + "\nشارك في المباراة 22 لاعبا",
      body + "\nالمصدر نفسه أكد ذلك",
      body + "\nوقال المصدر: إن القائمة شملت خمسة لاعبين.",
      body + " ولحكومة وشعب جمهورية كولومبيا الصديق المزيد من التقدم والازدهار.",
      body + " وذلك نقلا عن بعض شهادات محيطه.",
      body + " وأكد أن هناك رابط دائم بين الشعبين.",  // rabit da'im: a lasting bond
      body + "\nرابط دائم بين الشعبين يتجدد كل عام",
      body + "\nللمزيد من التفاصيل، قال المتحدث إن التحقيقات ستستمر.",
      body + " ودعا القراء للتواصل مع الكاتب عبر بريده.",
      "وكان هناك 3 سمات شخصية ترتبط بانخفاض مستوى السعادة.",
      body + "\nhttps://example.com/a\nتويتر",
      body + "\nShared values matter.",
  };
  for (const std::string& t : texts) EXPECT_EQ(IndexableLength(t), t.size()) << t;
}

TEST(IndexableLength, KeepsLinksAndNumbersAboveTheBoilerplate) {
  // A URL the article points to, or a list of numbers, above the last line
  // belongs to the article; an e-mail address or a rule goes with it.
  const std::string head =
      "يمكن زيارة موقع الوزارة على الرابط التالي:\nhttp://example.gov.sa/list.pdf\n1072286667\n";
  EXPECT_EQ(IndexableLength(head + "رابط الخبر بصحيفة الوئام: عنوان"), head.size() - 1);
  const std::string mail = "نص المقال.\nwriter@example.com\n----\n";
  EXPECT_EQ(IndexableLength(mail + "للتواصل مع الكاتب ارسل رسالة SMS"), std::string("نص المقال.").size());
}

// ---------------------------------------------------------------------------
// The corpora (need ../shared/data)

struct CorpusRun {
  Outcome outcome;
  double seconds = 0;
};

CorpusRun ReadCorpus(const std::string& path) {
  CorpusRun run;
  auto t0 = std::chrono::steady_clock::now();
  run.outcome = ReadAll({path});
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

void Report(const std::string& name, const CorpusRun& run) {
  std::printf("%s: %llu documents, %.1f MB in %.2f s: %.0f MB/s, %.0f docs/s (including the test's copies)\n",
              name.c_str(), static_cast<unsigned long long>(run.outcome.stats.documents),
              run.outcome.stats.bytes_read / 1e6, run.seconds,
              run.outcome.stats.bytes_read / 1e6 / run.seconds, run.outcome.stats.documents / run.seconds);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

TEST(Corpora, AntV21) {
  const std::string path = kShared + "/data/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl";
  if (!fs::exists(path)) GTEST_SKIP() << "needs ../shared/data";
  CorpusRun run = ReadCorpus(path);
  const Outcome& o = run.outcome;
  Report("ant_v2.1_train.jsonl", run);
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.docs.size(), 25279u);
  EXPECT_EQ(o.total_bytes, fs::file_size(path));
  EXPECT_EQ(o.stats.bytes_read, o.total_bytes);
  size_t bbc_notices = 0;
  for (const Document& d : o.docs) {
    ASSERT_EQ(d.extra.size(), 3u) << d.id;  // date_ymd, abstract, file
    EXPECT_EQ(d.extra[0].first, "date_ymd");
    if (EndsWith(d.text, "على هاتفكم المحمول.") || EndsWith(d.text, "على هاتفكم المحمول")) {
      ++bbc_notices;
      EXPECT_LT(d.indexed_text_bytes, d.text.size()) << d.id;
    }
  }
  EXPECT_GT(bbc_notices, 680u);
}

TEST(Corpora, AntV11) {
  const std::string path = kShared + "/data/ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl";
  if (!fs::exists(path)) GTEST_SKIP() << "needs ../shared/data";
  CorpusRun run = ReadCorpus(path);
  Report("ant_v1.1_train.jsonl", run);
  EXPECT_TRUE(run.outcome.errors.empty());
  EXPECT_EQ(run.outcome.docs.size(), 8131u);
  size_t title_only = 0;
  for (const Document& d : run.outcome.docs) title_only += d.text.empty();
  EXPECT_EQ(title_only, 17u);  // the README's 17 articles with an empty text
}

TEST(Corpora, SaudiNewsNetGzip) {
  const std::string path = kShared + "/data/saudinewsnet/saudinewsnet.jsonl.gz";
  if (!fs::exists(path)) GTEST_SKIP() << "needs ../shared/data";
  CorpusRun run = ReadCorpus(path);
  const Outcome& o = run.outcome;
  Report("saudinewsnet.jsonl.gz", run);
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.docs.size(), 31030u);
  EXPECT_EQ(o.stats.bytes_read, fs::file_size(path));
  size_t alweeam = 0, cut = 0;
  for (const Document& d : o.docs) {
    EXPECT_TRUE(d.extra.empty());
    if (d.source != "alweeam") continue;
    ++alweeam;
    size_t at = d.text.rfind("رابط الخبر بصحيفة الوئام:");
    if (at != std::string::npos && d.text.size() - at < 400) {
      ++cut;
      EXPECT_LE(d.indexed_text_bytes, at) << d.id;
    }
  }
  EXPECT_EQ(alweeam, 2090u);
  EXPECT_GT(cut, 2080u);
}

}  // namespace
}  // namespace rasid::engine
