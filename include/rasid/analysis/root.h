// Root extraction in the manner of ISRI (Taghva, Elkhoury, Coombs 2005):
// affixes off, then the word is matched against the common patterns of
// four-, five-, six- and seven-letter words to leave a trilateral or
// quadrilateral root (استخدامات -> خدم, مكتبة -> كتب, المتحدة -> وحد is not
// recovered: ISRI leaves weak roots partial). Input is a word in analysis
// form; output is the root, or the reduced word when no pattern applies.
//
// Thread safety: stateless.
#ifndef RASID_ANALYSIS_ROOT_H_
#define RASID_ANALYSIS_ROOT_H_

#include <string>
#include <string_view>

namespace rasid::analysis {

std::string ExtractRoot(std::string_view word);

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_ROOT_H_
