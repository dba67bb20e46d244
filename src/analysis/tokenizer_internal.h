// Internal to the analysis module and its tests.
#ifndef RASID_SRC_ANALYSIS_TOKENIZER_INTERNAL_H_
#define RASID_SRC_ANALYSIS_TOKENIZER_INTERNAL_H_

#include <string_view>
#include <vector>

#include "rasid/analysis/tokenizer.h"

namespace rasid::analysis {

// Tokenizer::Tokenize without its fast path for runs of Arabic letters:
// every character is classified one by one. The same tokens by contract;
// tests compare the two.
void TokenizeCharByChar(std::string_view text, std::vector<Token>* out);

}  // namespace rasid::analysis

#endif  // RASID_SRC_ANALYSIS_TOKENIZER_INTERNAL_H_
