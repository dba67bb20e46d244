// The query language: a lexer that cuts the query into tokens with byte
// offsets, and a recursive-descent parser over the tokens that builds the
// canonical tree described in rasid/index/query.h (user documentation in
// docs/query.md).
//
// Robustness: the query is checked for length and UTF-8 before anything else;
// every loop consumes input; the parser recurses only into parentheses, whose
// depth is capped by QueryOptions::max_depth, so any byte string is safe.
#include "rasid/index/query.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "rasid/text/utf8.h"

namespace rasid::index {
namespace {

using NodePtr = std::unique_ptr<QueryNode>;
using Kind = QueryNode::Kind;

Status Error(std::string_view what) { return Status::InvalidArgument("query: " + std::string(what)); }

std::string AtByte(size_t offset) { return " at byte " + std::to_string(offset); }

// ------------------------------------------------------------- characters

constexpr char32_t kLeftGuillemet = 0x00AB;     // LEFT-POINTING DOUBLE ANGLE QUOTATION MARK «
constexpr char32_t kRightGuillemet = 0x00BB;    // RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK »
constexpr char32_t kLeftDoubleQuote = 0x201C;   // LEFT DOUBLE QUOTATION MARK “
constexpr char32_t kRightDoubleQuote = 0x201D;  // RIGHT DOUBLE QUOTATION MARK ”

// Controls, no-break and typographic spaces, ZWSP (which also separates
// words for the tokenizer).
bool IsSpace(char32_t c) {
  return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Phrase quotes come in families; a phrase opened by a mark of a family
// ends at the next mark of the same family, either way round, as Arabic text
// has both «...» and »...«, “...” and ”...“. Returns 0 for other characters.
int QuoteFamily(char32_t c) {
  switch (c) {
    case '"':
      return 1;
    case kLeftGuillemet:
    case kRightGuillemet:
      return 2;
    case kLeftDoubleQuote:
    case kRightDoubleQuote:
      return 3;
    default:
      return 0;
  }
}

bool EndsWord(char32_t c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '&' || c == '|' || QuoteFamily(c) != 0;
}

std::string_view TrimSpaces(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    size_t next = b;
    if (!IsSpace(text::NextCodePoint(s, &next))) break;
    b = next;
  }
  size_t e = s.size();
  while (e > b) {
    size_t prev = e;
    if (!IsSpace(text::PrevCodePoint(s, &prev))) break;
    e = prev;
  }
  return s.substr(b, e - b);
}

size_t CountWords(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    bool space = IsSpace(text::NextCodePoint(s, &i));
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// ------------------------------------------------------------- fields

struct FieldName {
  std::string_view name;
  Field field;
  bool exact;  // "exact:" sets QueryNode::exact, not a field
};

constexpr FieldName kFieldNames[] = {
    {"title", Field::kTitle, false},
    {"source", Field::kSource, false},
    {"category", Field::kCategory, false},
    {"author", Field::kAuthor, false},
    {"id", Field::kId, false},
    {"date", Field::kDate, false},
    {"exact", Field::kAll, true},
    {"mentions", Field::kMentions, false},
    {"money", Field::kMoney, false},
    {"person", Field::kPerson, false},
    {"org", Field::kOrg, false},
    {"place", Field::kPlace, false},
    {"عنوان", Field::kTitle, false},     // 'unwan, title
    {"مصدر", Field::kSource, false},     // masdar, source
    {"تصنيف", Field::kCategory, false},  // tasnif, category
    {"كاتب", Field::kAuthor, false},     // katib, writer
    {"تاريخ", Field::kDate, false},      // tarikh, date
    {"يذكر", Field::kMentions, false},   // yadhkur, mentions
    {"مبلغ", Field::kMoney, false},      // mablagh, amount
    {"شخص", Field::kPerson, false},      // shakhs, person
    {"جهة", Field::kOrg, false},         // jiha, organisation
    {"مكان", Field::kPlace, false},      // makan, place
};

bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// The known field whose name and colon start `s` ("title:..."), or nullptr.
// Looks at the name's length only, so lexing stays linear.
const FieldName* MatchField(std::string_view s) {
  for (const FieldName& f : kFieldNames) {
    size_t n = f.name.size();
    if (s.size() > n && s[n] == ':' && EqualsAsciiNoCase(s.substr(0, n), f.name)) return &f;
  }
  return nullptr;
}

std::string_view FieldLabel(Field field) {
  switch (field) {
    case Field::kAll:
      return "all";
    case Field::kTitle:
      return "title";
    case Field::kSource:
      return "source";
    case Field::kCategory:
      return "category";
    case Field::kAuthor:
      return "author";
    case Field::kId:
      return "id";
    case Field::kDate:
      return "date";
    case Field::kMentions:
      return "mentions";
    case Field::kMoney:
      return "money";
    case Field::kPerson:
      return "person";
    case Field::kOrg:
      return "org";
    case Field::kPlace:
      return "place";
  }
  return "?";
}

// ------------------------------------------------------------- dates

constexpr std::string_view kDateFormat = "expected YYYY, YYYY-MM or YYYY-MM-DD on each side of '..'";

// The value with digits of any script made ASCII; false if it holds anything
// but digits, '-' and '.'.
bool AsciiDate(std::string_view value, std::string* out) {
  for (size_t i = 0; i < value.size();) {
    char32_t c = text::NextCodePoint(value, &i);
    if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
      out->push_back(static_cast<char>(c));
    } else if (c >= 0x0660 && c <= 0x0669) {  // ARABIC-INDIC DIGIT ZERO..NINE
      out->push_back(static_cast<char>('0' + (c - 0x0660)));
    } else if (c >= 0x06F0 && c <= 0x06F9) {  // EXTENDED ARABIC-INDIC DIGIT ZERO..NINE
      out->push_back(static_cast<char>('0' + (c - 0x06F0)));
    } else {
      return false;
    }
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::string FormatDate(int y, int m, int d) {
  char buf[48];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Parses YYYY, YYYY-MM or YYYY-MM-DD (ASCII) into the first and last day it
// covers. Returns an empty string, or why the date is wrong.
std::string ParseDate(std::string_view s, std::string* first, std::string* last) {
  size_t n = s.size();
  if ((n != 4 && n != 7 && n != 10) || (n >= 7 && s[4] != '-') || (n == 10 && s[7] != '-')) {
    return std::string(kDateFormat);
  }
  int y = Digits(s, 0, 4), m = n >= 7 ? Digits(s, 5, 2) : 1, d = n == 10 ? Digits(s, 8, 2) : 1;
  if (y < 0 || m < 0 || d < 0) return std::string(kDateFormat);
  if (m < 1 || m > 12) return "no month " + std::to_string(m);
  if (d < 1 || d > DaysInMonth(y, m)) {
    return std::string(s.substr(0, 7)) + " has no day " + std::to_string(d);
  }
  *first = FormatDate(y, m, d);
  int last_m = n >= 7 ? m : 12;
  *last = FormatDate(y, last_m, n == 10 ? d : DaysInMonth(y, last_m));
  return "";
}

// Fills date_from/date_to of `node` from "FROM..TO", "FROM..", "..TO" or a
// single date (its whole year, month or day).
Status ParseDateRange(std::string_view value, size_t offset, QueryNode* node) {
  std::string why, ascii, unused;
  if (!AsciiDate(value, &ascii)) {
    why = kDateFormat;
  } else {
    size_t dots = ascii.find("..");
    std::string_view all = ascii;
    std::string_view from = dots == std::string::npos ? all : all.substr(0, dots);
    std::string_view to = dots == std::string::npos ? all : all.substr(dots + 2);
    if (from.empty() && to.empty()) why = "no date on either side of '..'";
    if (why.empty() && !from.empty()) why = ParseDate(from, &node->date_from, &unused);
    if (why.empty() && !to.empty()) why = ParseDate(to, &unused, &node->date_to);
    if (why.empty() && !from.empty() && !to.empty() && node->date_from > node->date_to) {
      why = "it ends before it starts";
    }
  }
  if (why.empty()) return Status::Ok();
  return Error("bad date range '" + std::string(value) + "'" + AtByte(offset) + ": " + why);
}

// ------------------------------------------------------------- lexer

enum class Tok : uint8_t {
  kWord,
  kPhrase,
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kMinus,
  kPlus,
  kEquals,
  kField,
  kEnd
};

struct Token {
  Tok kind;
  size_t offset;                     // byte offset in the query
  std::string_view text;             // as written: word, phrase content (trimmed), operator, "title:"
  const FieldName* field = nullptr;  // kField
};

class Lexer {
 public:
  explicit Lexer(std::string_view query) : q_(query) {}
  Status Run(std::vector<Token>* out);

 private:
  // What precedes the current position. '-' and '+' are operators only at
  // kBoundary (start, space, '(', '&', '|'); '=' also right after a sign or a
  // field; AND/OR/NOT only as free-standing words (kBoundary, kGlued).
  enum class After : uint8_t { kBoundary, kGlued, kSign, kEquals, kField };

  char32_t Peek(size_t i, size_t* next) const {
    *next = i;
    return text::NextCodePoint(q_, next);
  }
  // A prefix operator ending at `i` has something to apply to.
  bool PrefixApplies(size_t i) const {
    if (i >= q_.size()) return false;
    size_t next;
    char32_t c = Peek(i, &next);
    return !IsSpace(c) && c != ')' && c != '&' && c != '|';
  }
  Status Step(std::vector<Token>* out);
  Status LexPhrase(int family, size_t content, std::vector<Token>* out);
  void LexWord(std::vector<Token>* out);

  std::string_view q_;
  size_t i_ = 0;
  After after_ = After::kBoundary;
};

Status Lexer::Run(std::vector<Token>* out) {
  while (i_ < q_.size()) RASID_RETURN_IF_ERROR(Step(out));
  out->push_back({Tok::kEnd, q_.size(), {}});
  return Status::Ok();
}

// Lexes one token (or skips spaces) at i_.
Status Lexer::Step(std::vector<Token>* out) {
  size_t next;
  char32_t c = Peek(i_, &next);
  After before = after_;
  if (IsSpace(c)) {
    after_ = After::kBoundary;
    i_ = next;
    return Status::Ok();
  }
  if (int family = QuoteFamily(c)) return LexPhrase(family, next, out);
  if ((c == '-' || c == '+' || c == '=') && !PrefixApplies(next)) {
    // A sign standing alone ("ترامب - بوتين") applies to nothing: ignored.
    after_ = After::kBoundary;
    i_ = next;
    return Status::Ok();
  }
  Tok kind = Tok::kWord;
  if (c == '(' || c == ')') {
    kind = c == '(' ? Tok::kLParen : Tok::kRParen;
    after_ = c == '(' ? After::kBoundary : After::kGlued;
  } else if (c == '&' || c == '|') {
    while (next < q_.size() && q_[next] == static_cast<char>(c)) ++next;  // "&&", "||"
    kind = c == '&' ? Tok::kAnd : Tok::kOr;
    after_ = After::kBoundary;
  } else if ((c == '-' || c == '+') && before == After::kBoundary && PrefixApplies(next)) {
    kind = c == '-' ? Tok::kMinus : Tok::kPlus;
    after_ = After::kSign;
  } else if (c == '=' && (before == After::kBoundary || before == After::kSign || before == After::kField) &&
             PrefixApplies(next)) {
    kind = Tok::kEquals;
    after_ = After::kEquals;
  }
  if (kind == Tok::kWord) {
    LexWord(out);
    return Status::Ok();
  }
  out->push_back({kind, i_, q_.substr(i_, next - i_)});
  i_ = next;
  return Status::Ok();
}

Status Lexer::LexPhrase(int family, size_t content, std::vector<Token>* out) {
  size_t open = i_;
  for (size_t j = content; j < q_.size();) {
    size_t at = j;
    if (QuoteFamily(text::NextCodePoint(q_, &j)) != family) continue;
    std::string_view inside = TrimSpaces(q_.substr(content, at - content));
    if (inside.empty()) return Error("empty phrase" + AtByte(open));
    out->push_back({Tok::kPhrase, open, inside});
    i_ = j;
    after_ = After::kGlued;
    return Status::Ok();
  }
  return Error("unterminated quote '" + std::string(q_.substr(open, content - open)) + "'" + AtByte(open));
}

// A word runs to the next space, parenthesis, '&', '|' or quote. A known
// field name and its colon at its start become a token of their own.
void Lexer::LexWord(std::vector<Token>* out) {
  if (const FieldName* f = MatchField(q_.substr(i_))) {
    size_t len = f->name.size() + 1;
    out->push_back({Tok::kField, i_, q_.substr(i_, len), f});
    i_ += len;
    after_ = After::kField;
    return;
  }
  size_t end = i_;
  while (end < q_.size()) {
    size_t next;
    if (EndsWord(Peek(end, &next))) break;
    end = next;
  }
  std::string_view word = q_.substr(i_, end - i_);
  Tok kind = Tok::kWord;
  if (after_ == After::kBoundary || after_ == After::kGlued) {
    if (word == "AND") kind = Tok::kAnd;
    if (word == "OR") kind = Tok::kOr;
    if (word == "NOT") kind = Tok::kNot;
  }
  out->push_back({kind, i_, word});
  i_ = end;
  after_ = kind == Tok::kWord ? After::kGlued : After::kBoundary;
}

// ------------------------------------------------------------- tree shape

NodePtr NewNode(Kind kind) {
  auto n = std::make_unique<QueryNode>();
  n->kind = kind;
  return n;
}

NodePtr Wrap(Kind kind, NodePtr child) {
  NodePtr n = NewNode(kind);
  n->children.push_back(std::move(child));
  return n;
}

bool IsGroup(const QueryNode& n) { return n.kind == Kind::kAnd || n.kind == Kind::kOr; }

bool HasRequired(const QueryNode& n) {
  return std::any_of(n.children.begin(), n.children.end(),
                     [](const NodePtr& c) { return c->kind == Kind::kRequired; });
}

// A group of one child (never NOT or REQ) is that child.
NodePtr Simplify(NodePtr n) {
  while (IsGroup(*n) && n->children.size() == 1 && n->children[0]->kind != Kind::kNot &&
         n->children[0]->kind != Kind::kRequired) {
    NodePtr child = std::move(n->children[0]);
    n = std::move(child);
  }
  return n;
}

// A group of `kind` over `children`, simplified, with children of the same
// kind merged in (an OR that holds REQ children stays a group of its own:
// its REQ apply to it alone). In an AND the NOTs go last.
NodePtr MakeGroup(Kind kind, std::vector<NodePtr> children) {
  NodePtr g = NewNode(kind);
  for (NodePtr& c : children) {
    c = Simplify(std::move(c));
    if (c->kind == kind && (kind == Kind::kAnd || !HasRequired(*c))) {
      for (NodePtr& gc : c->children) g->children.push_back(std::move(gc));
    } else {
      g->children.push_back(std::move(c));
    }
  }
  if (kind == Kind::kAnd) {
    std::stable_partition(g->children.begin(), g->children.end(),
                          [](const NodePtr& c) { return c->kind != Kind::kNot; });
  }
  return g;
}

// ------------------------------------------------------------- parser

struct Context {
  Field field = Field::kAll;  // of words and phrases: inherited from "title:(...)"
  bool exact = false;
};

enum class Sign : uint8_t { kNone, kRequired, kExcluded };

struct Item {
  NodePtr node;
  Sign sign = Sign::kNone;
};

// All positive items, then NOT of the excluded ones, under one AND.
NodePtr AndOf(std::vector<Item> items) {
  std::vector<NodePtr> children;
  for (Item& it : items) {
    if (it.sign != Sign::kExcluded) children.push_back(std::move(it.node));
  }
  for (Item& it : items) {
    if (it.sign == Sign::kExcluded) children.push_back(Wrap(Kind::kNot, Simplify(std::move(it.node))));
  }
  return MakeGroup(Kind::kAnd, std::move(children));
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, const QueryOptions& options) : toks_(tokens), opt_(options) {}
  Result<NodePtr> ParseQuery();

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  static bool StartsPrimary(Tok k) {
    return k == Tok::kWord || k == Tok::kPhrase || k == Tok::kLParen || k == Tok::kEquals || k == Tok::kField;
  }
  static bool StartsUnary(Tok k) {
    return StartsPrimary(k) || k == Tok::kNot || k == Tok::kMinus || k == Tok::kPlus;
  }
  static Status ExpectedAfter(const Token& op) {
    std::string what = op.kind == Tok::kField ? "a value" : "a term";
    return Error("expected " + what + " after '" + std::string(op.text) + "'" + AtByte(op.offset));
  }

  Result<NodePtr> ParseOr(Context ctx, size_t depth);
  Result<NodePtr> ParseSequence(Context ctx, size_t depth);
  Status ParseChain(Context ctx, size_t depth, std::vector<Item>* items);
  Result<Item> ParseUnary(Context ctx, size_t depth);
  Result<NodePtr> ParsePrimary(Context ctx, size_t depth);
  Result<NodePtr> ParseGroup(const Token& open, Context ctx, size_t depth);
  Result<NodePtr> MakeLeaf(const Token& t, Context ctx);
  Result<NodePtr> BuildSequence(std::vector<Item> items, size_t first_token);
  Status OnlyExcluded(size_t first_token) const;

  const std::vector<Token>& toks_;
  const QueryOptions& opt_;
  size_t pos_ = 0;
  size_t terms_ = 0;
};

Result<NodePtr> Parser::ParseQuery() {
  if (Peek().kind == Tok::kEnd) return Error("nothing to search for: empty query");
  auto r = ParseOr(Context{}, 0);
  if (!r.ok()) return r;
  if (Peek().kind != Tok::kEnd) return Error("unbalanced parenthesis" + AtByte(Peek().offset));
  NodePtr root = Simplify(std::move(r).value());
  if (!IsGroup(*root)) root = Wrap(opt_.default_and ? Kind::kAnd : Kind::kOr, std::move(root));
  return root;
}

// sequence ( OR sequence )*
Result<NodePtr> Parser::ParseOr(Context ctx, size_t depth) {
  std::vector<NodePtr> branches;
  while (true) {
    auto seq = ParseSequence(ctx, depth);
    if (!seq.ok()) return seq;
    branches.push_back(std::move(seq).value());
    if (Peek().kind != Tok::kOr) break;
    const Token& op = Next();
    if (!StartsUnary(Peek().kind)) return ExpectedAfter(op);
  }
  if (branches.size() == 1) return std::move(branches[0]);
  return MakeGroup(Kind::kOr, std::move(branches));
}

// chain chain ...: juxtaposed terms, joined by the default operator.
Result<NodePtr> Parser::ParseSequence(Context ctx, size_t depth) {
  size_t first = pos_;
  std::vector<Item> items;
  while (StartsUnary(Peek().kind)) RASID_RETURN_IF_ERROR(ParseChain(ctx, depth, &items));
  if (items.empty()) {
    const Token& t = Peek();
    if (t.kind == Tok::kRParen) return Error("unbalanced parenthesis" + AtByte(t.offset));
    if (t.kind == Tok::kEnd) return Error("nothing to search for: empty query");
    return Error("expected a term before '" + std::string(t.text) + "'" + AtByte(t.offset));
  }
  return BuildSequence(std::move(items), first);
}

// unary ( AND unary )*. Appends one item to `items`, or, for a chain of
// exclusions only (NOT a AND NOT b), each exclusion: they apply to the
// sequence around them.
Status Parser::ParseChain(Context ctx, size_t depth, std::vector<Item>* items) {
  std::vector<Item> chain;
  while (true) {
    auto u = ParseUnary(ctx, depth);
    if (!u.ok()) return u.status();
    chain.push_back(std::move(u).value());
    if (Peek().kind != Tok::kAnd) break;
    const Token& op = Next();
    if (!StartsUnary(Peek().kind)) return ExpectedAfter(op);
  }
  bool all_excluded =
      std::all_of(chain.begin(), chain.end(), [](const Item& it) { return it.sign == Sign::kExcluded; });
  if (chain.size() == 1 || all_excluded) {
    for (Item& it : chain) items->push_back(std::move(it));
  } else {
    items->push_back({AndOf(std::move(chain)), Sign::kNone});
  }
  return Status::Ok();
}

// ( NOT | "-" | "+" )? primary
Result<Item> Parser::ParseUnary(Context ctx, size_t depth) {
  const Token& t = Peek();
  Sign sign = Sign::kNone;
  if (t.kind == Tok::kNot || t.kind == Tok::kMinus) sign = Sign::kExcluded;
  if (t.kind == Tok::kPlus) sign = Sign::kRequired;
  if (sign != Sign::kNone) {
    Next();
    if (!StartsPrimary(Peek().kind)) return ExpectedAfter(t);
  }
  auto p = ParsePrimary(ctx, depth);
  if (!p.ok()) return p.status();
  return Item{std::move(p).value(), sign};
}

// ( "=" | field ":" )* ( word | phrase | "(" or ")" ). The prefixes are a
// loop, not recursion: "title:title:..." cannot nest deeply.
Result<NodePtr> Parser::ParsePrimary(Context ctx, size_t depth) {
  while (Peek().kind == Tok::kEquals || Peek().kind == Tok::kField) {
    const Token& t = Next();
    if (!StartsPrimary(Peek().kind)) return ExpectedAfter(t);
    if (t.kind == Tok::kEquals || t.field->exact) {
      ctx.exact = true;
    } else {
      ctx.field = t.field->field;
    }
  }
  const Token& t = Next();
  if (t.kind == Tok::kLParen) return ParseGroup(t, ctx, depth);
  assert(t.kind == Tok::kWord || t.kind == Tok::kPhrase);
  return MakeLeaf(t, ctx);
}

Result<NodePtr> Parser::ParseGroup(const Token& open, Context ctx, size_t depth) {
  if (depth + 1 > opt_.max_depth) {
    return Error("nesting deeper than " + std::to_string(opt_.max_depth) + " levels" + AtByte(open.offset));
  }
  if (Peek().kind == Tok::kRParen) return Error("empty parentheses" + AtByte(open.offset));
  auto inner = ParseOr(ctx, depth + 1);
  if (!inner.ok()) return inner;
  if (Peek().kind != Tok::kRParen) return Error("unbalanced parenthesis" + AtByte(open.offset));
  Next();
  return inner;
}

Result<NodePtr> Parser::MakeLeaf(const Token& t, Context ctx) {
  terms_ += t.kind == Tok::kPhrase ? CountWords(t.text) : 1;
  if (terms_ > opt_.max_terms) return Error("more than " + std::to_string(opt_.max_terms) + " terms");
  NodePtr n = NewNode(Kind::kKeyword);
  n->field = ctx.field;
  if (ctx.field == Field::kAll || ctx.field == Field::kTitle) {
    n->kind = t.kind == Tok::kPhrase ? Kind::kPhrase : Kind::kTerm;
    n->exact = ctx.exact;
    n->text = t.text;
  } else if (ctx.field == Field::kDate) {
    n->kind = Kind::kDateRange;
    RASID_RETURN_IF_ERROR(ParseDateRange(t.text, t.offset, n.get()));
  } else {
    n->text = t.text;  // kKeyword: matched exactly anyway, '=' changes nothing
  }
  return n;
}

// Combines a sequence of juxtaposed items (see "Canonical shape" in query.h).
Result<NodePtr> Parser::BuildSequence(std::vector<Item> items, size_t first_token) {
  bool any_positive = false, any_optional = false, any_excluded = false;
  for (const Item& it : items) {
    any_positive |= it.sign != Sign::kExcluded;
    any_optional |= it.sign == Sign::kNone;
    any_excluded |= it.sign == Sign::kExcluded;
  }
  if (!any_positive) return OnlyExcluded(first_token);
  if (opt_.default_and || !any_optional) return AndOf(std::move(items));
  std::vector<NodePtr> positives;
  for (Item& it : items) {
    if (it.sign == Sign::kNone) positives.push_back(std::move(it.node));
    if (it.sign == Sign::kRequired) positives.push_back(Wrap(Kind::kRequired, Simplify(std::move(it.node))));
  }
  NodePtr positive = MakeGroup(Kind::kOr, std::move(positives));
  if (!any_excluded) return positive;
  // The positive part stays a group even with one word: "a -b" is
  // (AND (OR a) (NOT b)); an AND in it ("(a AND b) -c") merges.
  if (positive->children.size() == 1 && IsGroup(*positive->children[0])) {
    positive = std::move(positive->children[0]);
  }
  std::vector<NodePtr> children;
  if (positive->kind == Kind::kAnd) {
    for (NodePtr& c : positive->children) children.push_back(std::move(c));
  } else {
    children.push_back(std::move(positive));
  }
  for (Item& it : items) {
    if (it.sign == Sign::kExcluded) children.push_back(Wrap(Kind::kNot, Simplify(std::move(it.node))));
  }
  NodePtr all = NewNode(Kind::kAnd);
  all->children = std::move(children);
  return all;
}

// The error for a sequence without a positive term; the whole query (maybe in
// parentheses) gets the message without an offset.
Status Parser::OnlyExcluded(size_t first_token) const {
  bool whole = true;
  for (size_t i = 0; i < first_token; ++i) whole &= toks_[i].kind == Tok::kLParen;
  for (size_t i = pos_; i < toks_.size(); ++i)
    whole &= toks_[i].kind == Tok::kRParen || toks_[i].kind == Tok::kEnd;
  if (whole) return Error("nothing to search for: only excluded terms");
  return Error("nothing to search for" + AtByte(toks_[first_token].offset) + ": only excluded terms");
}

// ------------------------------------------------------------- debug form

void AppendDebug(const QueryNode& n, std::string* out) {
  auto head = [&](std::string_view name) {
    *out += '(';
    *out += name;
    if (n.exact) *out += '=';
    if (n.field == Field::kTitle) *out += " title";
    *out += ' ';
  };
  switch (n.kind) {
    case Kind::kTerm:
      if (n.field == Field::kAll && !n.exact) {
        *out += n.text;
        return;
      }
      head("TERM");
      *out += n.text;
      break;
    case Kind::kPhrase:
      head("PHRASE");
      *out += '"' + n.text + '"';
      break;
    case Kind::kKeyword: {
      bool quote = CountWords(n.text) != 1;
      *out += "(KEY " + std::string(FieldLabel(n.field)) + ' ';
      *out += quote ? '"' + n.text + '"' : n.text;
      break;
    }
    case Kind::kDateRange:
      *out +=
          "(DATE " + (n.date_from.empty() ? "*" : n.date_from) + ' ' + (n.date_to.empty() ? "*" : n.date_to);
      break;
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNot:
    case Kind::kRequired: {
      static constexpr std::string_view kNames[] = {"", "", "AND", "OR", "NOT", "REQ"};
      *out += '(';
      *out += kNames[static_cast<int>(n.kind)];
      for (const NodePtr& c : n.children) {
        *out += ' ';
        AppendDebug(*c, out);
      }
      break;
    }
  }
  *out += ')';
}

}  // namespace

Result<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query, const QueryOptions& options) {
  if (query.size() > options.max_query_bytes) {
    return Error("longer than " + std::to_string(options.max_query_bytes) + " bytes");
  }
  if (auto bad = text::FindInvalidUtf8(query)) return Error("invalid UTF-8" + AtByte(*bad));
  std::vector<Token> tokens;
  RASID_RETURN_IF_ERROR(Lexer(query).Run(&tokens));
  return Parser(tokens, options).ParseQuery();
}

std::string DebugString(const QueryNode& node) {
  std::string out;
  AppendDebug(node, &out);
  return out;
}

}  // namespace rasid::index
