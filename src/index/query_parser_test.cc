#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rasid/index/query.h"

namespace rasid::index {
namespace {

struct Case {
  const char* query;
  const char* expected;  // DebugString, or the error message
};

std::string Parse(std::string_view query, const QueryOptions& options = QueryOptions()) {
  auto r = ParseQuery(query, options);
  if (!r.ok()) return r.status().message();
  return DebugString(**r);
}

void Check(const Case* cases, size_t n, const QueryOptions& options = QueryOptions()) {
  for (size_t i = 0; i < n; ++i)
    EXPECT_EQ(Parse(cases[i].query, options), cases[i].expected) << cases[i].query;
}

TEST(QueryParser, WordsAndOperators) {
  const Case cases[] = {
      {"ترامب", "(OR ترامب)"},                              // tramb (Trump)
      {"ترامب بوتين", "(OR ترامب بوتين)"},                  // Trump Putin
      {"ترامب -سوريا", "(AND (OR ترامب) (NOT سوريا))"},     // Trump -Syria
      {"-سوريا ترامب", "(AND (OR ترامب) (NOT سوريا))"},     // -Syria Trump
      {"ترامب NOT سوريا", "(AND (OR ترامب) (NOT سوريا))"},  // Trump NOT Syria
      {"ترامب بوتين -سوريا -روسيا",                         // Trump Putin -Syria -Russia
       "(AND (OR ترامب بوتين) (NOT سوريا) (NOT روسيا))"},
      {"ترامب AND بوتين", "(AND ترامب بوتين)"},      // Trump AND Putin
      {"ترامب & بوتين", "(AND ترامب بوتين)"},        // Trump & Putin
      {"ترامب && بوتين", "(AND ترامب بوتين)"},       // Trump && Putin
      {"ترامب OR بوتين", "(OR ترامب بوتين)"},        // Trump OR Putin
      {"ترامب|بوتين", "(OR ترامب بوتين)"},           // Trump|Putin
      {"(ترامب)AND(بوتين)", "(AND ترامب بوتين)"},    // (Trump)AND(Putin)
      {"+ترامب بوتين", "(OR (REQ ترامب) بوتين)"},    // +Trump Putin
      {"+ترامب +بوتين", "(AND ترامب بوتين)"},        // +Trump +Putin
      {"+ترامب -سوريا", "(AND ترامب (NOT سوريا))"},  // +Trump -Syria
      {"+ترامب بوتين -سوريا",                        // +Trump Putin -Syria
       "(AND (OR (REQ ترامب) بوتين) (NOT سوريا))"},
      {"ترامب AND NOT سوريا", "(AND ترامب (NOT سوريا))"},  // Trump AND NOT Syria
      {"ترامب NOT سوريا AND NOT روسيا",                    // Trump NOT Syria AND NOT Russia
       "(AND (OR ترامب) (NOT سوريا) (NOT روسيا))"},
      {"ترامب AND بوتين -سوريا",  // Trump AND Putin -Syria
       "(AND ترامب بوتين (NOT سوريا))"},
      {"نفط غاز AND أسعار OR ذهب", "(OR نفط (AND غاز أسعار) ذهب)"},  // oil gas AND prices OR gold
      {"نفط AND غاز OR ذهب AND فضة",                                 // oil AND gas OR gold AND silver
       "(OR (AND نفط غاز) (AND ذهب فضة))"},
      {"ترامب AND NOT سوريا OR بوتين",  // Trump AND NOT Syria OR Putin
       "(OR (AND ترامب (NOT سوريا)) بوتين)"},
      {"ترامب -سوريا OR بوتين",  // Trump -Syria OR Putin
       "(OR (AND (OR ترامب) (NOT سوريا)) بوتين)"},
      {"و أو ليس", "(OR و أو ليس)"},                    // wa aw laysa: Arabic and/or/not are words
      {"and or not", "(OR and or not)"},                // lower case: words
      {"NOTE ORGANIZATION", "(OR NOTE ORGANIZATION)"},  // operators only as whole words
      {"ترامب - بوتين", "(OR ترامب بوتين)"},            // a lone sign is ignored
      {"ترامب -NOT", "(AND (OR ترامب) (NOT NOT))"},     // after a sign, NOT is a word
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, Groups) {
  const Case cases[] = {
      {"غزة AND (مصر OR قطر)", "(AND غزة (OR مصر قطر))"},  // Gaza AND (Egypt OR Qatar)
      {"(غزة OR رفح) -إسرائيل",                            // (Gaza OR Rafah) -Israel
       "(AND (OR غزة رفح) (NOT إسرائيل))"},
      {"(غزة AND رفح) -إسرائيل",  // (Gaza AND Rafah) -Israel
       "(AND غزة رفح (NOT إسرائيل))"},
      {"((ترامب))", "(OR ترامب)"},                          // ((Trump))
      {"(ترامب بوتين) أوباما", "(OR ترامب بوتين أوباما)"},  // (Trump Putin) Obama
      {"-(سوريا OR روسيا) ترامب",                           // -(Syria OR Russia) Trump
       "(AND (OR ترامب) (NOT (OR سوريا روسيا)))"},
      {"NOT(سوريا) ترامب", "(AND (OR ترامب) (NOT سوريا))"},  // NOT(Syria) Trump
      {"ترامب +(سوريا روسيا)",                               // Trump +(Syria Russia)
       "(OR ترامب (REQ (OR سوريا روسيا)))"},
      {"(ترامب +سوريا) OR بوتين",  // (Trump +Syria) OR Putin
       "(OR (OR ترامب (REQ سوريا)) بوتين)"},
      {"(ترامب -سوريا) AND بوتين",  // (Trump -Syria) AND Putin
       "(AND (OR ترامب) بوتين (NOT سوريا))"},
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, WordsAreKeptAsWritten) {
  const Case cases[] = {
      {"كوفيد-19", "(OR كوفيد-19)"},                        // kufid-19: '-' inside a word
      {"كوفيد -19", "(AND (OR كوفيد) (NOT 19))"},           // kufid -19: '-' starts a word
      {"٢٠١٩ #غزة @AJArabic", "(OR ٢٠١٩ #غزة @AJArabic)"},  // 2019 (Arabic-Indic), #Gaza
      {"مُحَمَّد وللحكومةِ", "(OR مُحَمَّد وللحكومةِ)"},              // muhammad wa-lil-hukumati, with harakat
      {"الـحكومة أَحْمَد", "(OR الـحكومة أَحْمَد)"},              // tatweel and harakat
      {"http://aljazeera.net/news", "(OR http://aljazeera.net/news)"},  // unknown field: a word
      {"foo:bar", "(OR foo:bar)"},
      {"x=1 C++", "(OR x=1 C++)"},
      {"= + -", "query: nothing to search for: empty query"},
      {"ترامب\t\n بوتين\u00a0أوباما", "(OR ترامب بوتين أوباما)"},  // tab, newline, no-break space
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, Phrases) {
  const Case cases[] = {
      {"\"الأمم المتحدة\"", "(OR (PHRASE \"الأمم المتحدة\"))"},  // "al-umam al-muttahida"
      {"«وزير الخارجية» لبنان",                                  // «wazir al-kharijiyya» Lebanon
       "(OR (PHRASE \"وزير الخارجية\") لبنان)"},
      {"“البيت الأبيض”", "(OR (PHRASE \"البيت الأبيض\"))"},   // “al-bayt al-abyad”
      {"«  مجلس  الأمن »", "(OR (PHRASE \"مجلس  الأمن\"))"},  // ends trimmed, inside as written
      {"»البيت الأبيض«", "(OR (PHRASE \"البيت الأبيض\"))"},   // reversed guillemets
      {"”البيت الأبيض“", "(OR (PHRASE \"البيت الأبيض\"))"},   // reversed curly quotes
      {"«قال \"لا\"»", "(OR (PHRASE \"قال \"لا\"\"))"},       // qala "la": other quotes inside
      {"«a OR (b»", "(OR (PHRASE \"a OR (b\"))"},             // no operators inside
      {"-\"الأمم المتحدة\" مجلس",                             // -"United Nations" council
       "(AND (OR مجلس) (NOT (PHRASE \"الأمم المتحدة\")))"},
      {"ترامب\"البيت الأبيض\"", "(OR ترامب (PHRASE \"البيت الأبيض\"))"},
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, Fields) {
  const Case cases[] = {
      {"title:ترامب", "(OR (TERM title ترامب))"},  // title:Trump
      {"Title:ترامب", "(OR (TERM title ترامب))"},
      {"عنوان:ترامب", "(OR (TERM title ترامب))"},                         // 'unwan:Trump
      {"عنوان: «البيت الأبيض»", "(OR (PHRASE title \"البيت الأبيض\"))"},  // space after the colon
      {"title:(ترامب بوتين)", "(OR (TERM title ترامب) (TERM title بوتين))"},
      {"source:BBC", "(OR (KEY source BBC))"},
      {"مصدر:الجزيرة", "(OR (KEY source الجزيرة))"},  // masdar:al-jazira
      {"category:sport", "(OR (KEY category sport))"},
      {"تصنيف:رياضة", "(OR (KEY category رياضة))"},  // tasnif:riyada
      {"author:\"Abdel Bari Atwan\"", "(OR (KEY author \"Abdel Bari Atwan\"))"},
      {"كاتب:عطوان", "(OR (KEY author عطوان))"},  // katib:Atwan
      {"id:ant-000123", "(OR (KEY id ant-000123))"},
      {"source:(BBC OR CNN)", "(OR (KEY source BBC) (KEY source CNN))"},
      {"غزة +source:BBC", "(OR غزة (REQ (KEY source BBC)))"},  // Gaza +source:BBC
      {"غزة -category:sport", "(AND (OR غزة) (NOT (KEY category sport)))"},
      {"title:AND", "(OR (TERM title AND))"},  // a field value is never an operator
      {"title:-19", "(OR (TERM title -19))"},
      {"title:source:BBC", "(OR (KEY source BBC))"},  // the inner field wins
      {"source:(title:x y)", "(OR (TERM title x) (KEY source y))"},
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, Dates) {
  const Case cases[] = {
      {"date:2019-01-01..2019-12-31", "(OR (DATE 2019-01-01 2019-12-31))"},
      {"date:2019", "(OR (DATE 2019-01-01 2019-12-31))"},
      {"date:2019-02", "(OR (DATE 2019-02-01 2019-02-28))"},
      {"date:2020-02", "(OR (DATE 2020-02-01 2020-02-29))"},     // leap year
      {"date:1900-02", "(OR (DATE 1900-02-01 1900-02-28))"},     // not leap: divisible by 100
      {"date:2000-02-29", "(OR (DATE 2000-02-29 2000-02-29))"},  // leap: divisible by 400
      {"date:..2019-06-30", "(OR (DATE * 2019-06-30))"},
      {"date:2019-01-01..", "(OR (DATE 2019-01-01 *))"},
      {"date:2019..2020-06", "(OR (DATE 2019-01-01 2020-06-30))"},
      {"تاريخ:٢٠١٩-٠٣", "(OR (DATE 2019-03-01 2019-03-31))"},  // tarikh: Arabic-Indic digits
      {"date:\"2019-04\"", "(OR (DATE 2019-04-01 2019-04-30))"},
      {"انتخابات date:2019", "(OR انتخابات (DATE 2019-01-01 2019-12-31))"},  // intikhabat (elections)
      {"انتخابات AND date:2019..", "(AND انتخابات (DATE 2019-01-01 *))"},
      {"date:(2019 OR 2021)", "(OR (DATE 2019-01-01 2019-12-31) (DATE 2021-01-01 2021-12-31))"},
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, ExactForm) {
  const Case cases[] = {
      {"=وللحكومة", "(OR (TERM= وللحكومة))"},  // =wa-lil-hukuma
      {"exact:وللحكومة", "(OR (TERM= وللحكومة))"},
      {"exact:\"وزير الخارجية\"", "(OR (PHRASE= \"وزير الخارجية\"))"},
      {"=«وزير الخارجية»", "(OR (PHRASE= \"وزير الخارجية\"))"},
      {"exact:(حكومة وزير)", "(OR (TERM= حكومة) (TERM= وزير))"},  // hukuma wazir
      {"title:=حكومة", "(OR (TERM= title حكومة))"},
      {"=title:حكومة", "(OR (TERM= title حكومة))"},
      {"exact:title:\"البيت الأبيض\"", "(OR (PHRASE= title \"البيت الأبيض\"))"},
      {"-=حكومة وزير", "(AND (OR وزير) (NOT (TERM= حكومة)))"},
      {"+=حكومة وزير", "(OR (REQ (TERM= حكومة)) وزير)"},
      {"source:=BBC", "(OR (KEY source BBC))"},  // keywords are exact anyway
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, DefaultAnd) {
  QueryOptions options;
  options.default_and = true;
  const Case cases[] = {
      {"ترامب", "(AND ترامب)"},
      {"ترامب بوتين", "(AND ترامب بوتين)"},
      {"ترامب -سوريا", "(AND ترامب (NOT سوريا))"},
      {"+ترامب بوتين", "(AND ترامب بوتين)"},
      {"ترامب بوتين OR أوباما", "(OR (AND ترامب بوتين) أوباما)"},
      {"(غزة OR رفح) -إسرائيل", "(AND (OR غزة رفح) (NOT إسرائيل))"},
      {"-سوريا", "query: nothing to search for: only excluded terms"},
  };
  Check(cases, std::size(cases), options);
}

TEST(QueryParser, Errors) {
  const Case cases[] = {
      {"", "query: nothing to search for: empty query"},
      {" \t ", "query: nothing to search for: empty query"},
      {"-سوريا", "query: nothing to search for: only excluded terms"},
      {"NOT سوريا -روسيا", "query: nothing to search for: only excluded terms"},
      {"NOT سوريا AND NOT روسيا", "query: nothing to search for: only excluded terms"},
      {"(-سوريا)", "query: nothing to search for: only excluded terms"},
      // "ترامب" is 10 bytes: offsets below count them.
      {"ترامب OR -سوريا", "query: nothing to search for at byte 14: only excluded terms"},
      {"ترامب (-سوريا)", "query: nothing to search for at byte 12: only excluded terms"},
      {"«وزير الخارجية", "query: unterminated quote '«' at byte 0"},
      {"ترامب \"البيت", "query: unterminated quote '\"' at byte 11"},
      {"ترامب “البيت»", "query: unterminated quote '“' at byte 11"},
      {"ترامب»", "query: unterminated quote '»' at byte 10"},
      {"«البيت» الأبيض»", "query: unterminated quote '»' at byte 27"},
      {"\"\"", "query: empty phrase at byte 0"},
      {"ترامب « »", "query: empty phrase at byte 11"},
      {"(ترامب", "query: unbalanced parenthesis at byte 0"},
      {"ترامب)", "query: unbalanced parenthesis at byte 10"},
      {"(ترامب))", "query: unbalanced parenthesis at byte 12"},
      {") ترامب", "query: unbalanced parenthesis at byte 0"},
      {"()", "query: empty parentheses at byte 0"},
      {"ترامب AND", "query: expected a term after 'AND' at byte 11"},
      {"ترامب OR OR بوتين", "query: expected a term after 'OR' at byte 11"},
      {"ترامب &", "query: expected a term after '&' at byte 11"},
      {"(ترامب OR)", "query: expected a term after 'OR' at byte 12"},
      {"AND ترامب", "query: expected a term before 'AND' at byte 0"},
      {"NOT", "query: expected a term after 'NOT' at byte 0"},
      {"NOT -سوريا ترامب", "query: expected a term after 'NOT' at byte 0"},
      {"title:", "query: expected a value after 'title:' at byte 0"},
      {"ترامب عنوان:", "query: expected a value after 'عنوان:' at byte 11"},
      {"title: OR ترامب", "query: expected a value after 'title:' at byte 0"},
      {"date:2019-13-01..", "query: bad date range '2019-13-01..' at byte 5: no month 13"},
      {"date:2019-02-30", "query: bad date range '2019-02-30' at byte 5: 2019-02 has no day 30"},
      {"date:2019-02-29", "query: bad date range '2019-02-29' at byte 5: 2019-02 has no day 29"},
      {"date:2019-00", "query: bad date range '2019-00' at byte 5: no month 0"},
      {"date:2020..2019", "query: bad date range '2020..2019' at byte 5: it ends before it starts"},
      {"date:..", "query: bad date range '..' at byte 5: no date on either side of '..'"},
      {"date:yesterday",
       "query: bad date range 'yesterday' at byte 5: expected YYYY, YYYY-MM or YYYY-MM-DD on each side of "
       "'..'"},
      {"date:2019/01/01",
       "query: bad date range '2019/01/01' at byte 5: expected YYYY, YYYY-MM or YYYY-MM-DD on each side of "
       "'..'"},
      {"date:2019-1-5",
       "query: bad date range '2019-1-5' at byte 5: expected YYYY, YYYY-MM or YYYY-MM-DD on each side of "
       "'..'"},
      {"تاريخ:٢٠١٩-١٣", "query: bad date range '٢٠١٩-١٣' at byte 11: no month 13"},  // tarikh: month 13
      {"ترامب \xff", "query: invalid UTF-8 at byte 11"},
  };
  Check(cases, std::size(cases));
}

TEST(QueryParser, LengthLimit) {
  QueryOptions options;
  EXPECT_EQ(Parse(std::string(4097, 'a'), options), "query: longer than 4096 bytes");
  EXPECT_EQ(Parse(std::string(4096, 'a'), options), "(OR " + std::string(4096, 'a') + ")");
  options.max_query_bytes = 10;
  EXPECT_EQ(Parse("ترامب بوتين", options), "query: longer than 10 bytes");  // 21 bytes
}

TEST(QueryParser, TermLimit) {
  std::string query;
  for (int i = 0; i < 64; ++i) query += "كلمة" + std::to_string(i) + " ";  // kalima (word)
  EXPECT_TRUE(ParseQuery(query, QueryOptions()).ok());
  EXPECT_EQ(Parse(query + "أخرى"), "query: more than 64 terms");  // ukhra (another)

  QueryOptions options;
  options.max_terms = 3;
  EXPECT_EQ(Parse("«وزير الخارجية» لبنان", options), "(OR (PHRASE \"وزير الخارجية\") لبنان)");
  EXPECT_EQ(Parse("«وزير الخارجية الأمريكي» لبنان", options), "query: more than 3 terms");
  EXPECT_EQ(Parse("source:BBC date:2019 x y", options), "query: more than 3 terms");
}

TEST(QueryParser, DepthLimit) {
  std::string ok = std::string(32, '(') + "ترامب" + std::string(32, ')');
  EXPECT_EQ(Parse(ok), "(OR ترامب)");
  std::string deep = std::string(33, '(') + "ترامب" + std::string(33, ')');
  EXPECT_EQ(Parse(deep), "query: nesting deeper than 32 levels at byte 32");

  // Far more than the stack could take if the parser recursed without a bound.
  QueryOptions big;
  big.max_query_bytes = 1 << 22;
  big.max_terms = 1 << 22;
  EXPECT_EQ(Parse(std::string(1 << 18, '('), big), "query: nesting deeper than 32 levels at byte 32");
  std::string fields;
  for (int i = 0; i < 20000; ++i) fields += "title:";
  EXPECT_EQ(Parse(fields + "x", big), "(OR (TERM title x))");
  std::string nots;
  for (int i = 0; i < 20000; ++i) nots += "NOT -";
  EXPECT_EQ(Parse(nots + "x", big), "query: expected a term after 'NOT' at byte 0");
}

TEST(QueryParser, TreeFields) {
  auto r = ParseQuery("عنوان:«البيت الأبيض» date:..2019-06-30 source:BBC =حكومة", QueryOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const QueryNode& root = **r;
  ASSERT_EQ(root.kind, QueryNode::Kind::kOr);
  ASSERT_EQ(root.children.size(), 4u);
  const QueryNode& phrase = *root.children[0];
  EXPECT_EQ(phrase.kind, QueryNode::Kind::kPhrase);
  EXPECT_EQ(phrase.field, Field::kTitle);
  EXPECT_EQ(phrase.text, "البيت الأبيض");
  const QueryNode& date = *root.children[1];
  EXPECT_EQ(date.kind, QueryNode::Kind::kDateRange);
  EXPECT_EQ(date.date_from, "");
  EXPECT_EQ(date.date_to, "2019-06-30");
  const QueryNode& key = *root.children[2];
  EXPECT_EQ(key.kind, QueryNode::Kind::kKeyword);
  EXPECT_EQ(key.field, Field::kSource);
  EXPECT_EQ(key.text, "BBC");
  const QueryNode& term = *root.children[3];
  EXPECT_EQ(term.kind, QueryNode::Kind::kTerm);
  EXPECT_EQ(term.field, Field::kAll);
  EXPECT_TRUE(term.exact);
  EXPECT_EQ(term.text, "حكومة");
}

// The shape promised in query.h holds for any tree the parser returns.
void CheckShape(const QueryNode& n, const QueryNode* parent, const std::string& query) {
  using K = QueryNode::Kind;
  bool group = n.kind == K::kAnd || n.kind == K::kOr;
  if (parent == nullptr) {
    ASSERT_TRUE(group) << query;
  }
  if (n.kind == K::kNot) {
    ASSERT_TRUE(parent && parent->kind == K::kAnd) << query;
  }
  if (n.kind == K::kRequired) {
    ASSERT_TRUE(parent && parent->kind == K::kOr) << query;
  }
  if (group) {
    ASSERT_FALSE(n.children.empty()) << query;
    bool positive = false, seen_not = false;
    for (const auto& c : n.children) {
      positive |= c->kind != K::kNot;
      if (seen_not) {
        ASSERT_EQ(c->kind, K::kNot) << "NOTs come last: " << query;
      }
      seen_not |= c->kind == K::kNot;
    }
    ASSERT_TRUE(positive) << query;
  } else if (n.kind == K::kNot || n.kind == K::kRequired) {
    ASSERT_EQ(n.children.size(), 1u) << query;
  } else {
    ASSERT_TRUE(n.children.empty()) << query;
    if (n.kind != K::kDateRange) {
      ASSERT_FALSE(n.text.empty()) << query;
    }
  }
  for (const auto& c : n.children) CheckShape(*c, &n, query);
}

void FuzzOne(const std::string& query, const QueryOptions& options) {
  auto r = ParseQuery(query, options);
  if (!r.ok()) {
    ASSERT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    ASSERT_EQ(r.status().message().rfind("query: ", 0), 0u) << r.status().message();
    return;
  }
  CheckShape(**r, nullptr, query);
  auto again = ParseQuery(query, options);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(DebugString(**again), DebugString(**r));
}

TEST(QueryParser, RandomBytesNeverCrash) {
  std::mt19937 rng(20191231);
  QueryOptions options;
  for (int i = 0; i < 20000; ++i) {
    std::string query(rng() % 48, '\0');
    for (char& c : query) c = static_cast<char>(rng());
    FuzzOne(query, options);
  }
}

TEST(QueryParser, RandomTokenSoupsNeverCrash) {
  const char* pieces[] = {
      "(",      ")",      "\"",   "«",  "»",   "“",     "”",     " ",        " ",      " ",       "AND",
      "OR",     "NOT",    "&",    "|",  "-",   "+",     "=",     ":",        "title:", "source:", "date:",
      "exact:", "عنوان:", "2019", "..", "-02", "ترامب", "سوريا", "كوفيد-19", "x",      "\xd8",    "٢٠١٩",
  };
  std::mt19937 rng(1);
  for (bool default_and : {false, true}) {
    QueryOptions options;
    options.default_and = default_and;
    options.max_depth = 4;
    options.max_terms = 8;
    for (int i = 0; i < 30000; ++i) {
      std::string query;
      for (size_t n = rng() % 16; n > 0; --n) query += pieces[rng() % std::size(pieces)];
      FuzzOne(query, options);
    }
  }
}

}  // namespace
}  // namespace rasid::index
