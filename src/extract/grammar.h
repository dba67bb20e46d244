// The extraction grammar over lexemes (lexer.h): dates (dates.cc) run first
// and mark what they used; numbers (numbers.cc) take the rest.
#ifndef RASID_EXTRACT_GRAMMAR_H_
#define RASID_EXTRACT_GRAMMAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extract/lexer.h"
#include "extract/words.h"
#include "rasid/analysis/clitics.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/extract/extractor.h"

namespace rasid::extract {

struct Grammar {
  std::string_view text;
  const std::vector<Lexeme>* lex = nullptr;
  const ExtractOptions* options = nullptr;
  const analysis::CliticSegmenter* segmenter = nullptr;  // guards counted nouns
  const analysis::Normalizer* analysis_norm = nullptr;   // analysis form, for the segmenter
  const analysis::Normalizer* display_norm = nullptr;    // letters kept, marks dropped: unit text
  std::vector<uint8_t> used;  // per lexeme: 1 = part of a date (numbers skip it)

  size_t size() const { return lex->size(); }
  const Lexeme& at(size_t i) const { return (*lex)[i]; }
  // Lexeme i exists, is in the sentence of lexeme `from`.
  bool Ok(size_t i, size_t from) const { return i < size() && at(i).sentence == at(from).sentence; }
  bool Word(size_t i, Cls cls) const { return i < size() && at(i).Is(cls); }
  const WordEntry* Entry(size_t i, Cls cls) const { return i < size() ? at(i).Find(cls) : nullptr; }
  // True when nothing but spaces lie between lexemes a and b (a < b).
  bool Adjacent(size_t a, size_t b) const;
  bool Glued(size_t a, size_t b) const { return at(a).end == at(b).outer_start; }
};

// A number read at lexeme i: digits and/or number words with multipliers.
struct NumberValue {
  bool ok = false;
  double value = 0;
  size_t next = 0;             // first lexeme after it
  bool words = false;          // written (partly) in words
  bool multiplied = false;     // ألف مليون ... applied
  bool digits_only = false;    // a single digits lexeme
  bool compound_only = false;  // واحد, أحد, إحدى alone: not a number by itself
  double multiplier = 0;       // the last multiplier applied (for shared range multipliers)
};
NumberValue ReadNumber(const Grammar& g, size_t i);

// Dates and times, in text order; marks g->used.
void ExtractDates(Grammar* g, std::vector<DateMention>* out);
// Numbers of every type, in text order; skips lexemes marked used.
void ExtractNumbers(const Grammar& g, std::vector<NumberMention>* out);

}  // namespace rasid::extract

#endif  // RASID_EXTRACT_GRAMMAR_H_
