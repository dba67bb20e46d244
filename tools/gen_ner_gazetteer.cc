// Writes data/ner/gazetteer.tsv: Arabic names of places, a few international
// bodies and currencies from sources Debian ships with clear licences:
//   - ICU/CLDR (Unicode licence): country and region display names in Arabic,
//     exemplar cities of the time zones in Arabic;
//   - iso-codes (LGPL-2.1+): ISO 3166-1 country names and ISO 4217 currency
//     names with their Arabic translations (/usr/share/locale/ar/.../*.mo).
//
//   build/gen_ner_gazetteer [ISO_CODES_JSON_DIR] [LOCALE_DIR] > data/ner/gazetteer.tsv
//
// Output lines: TYPE<TAB>name<TAB>source, sorted, without duplicates.
#include <unicode/locid.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

// (type, name) -> the first source that gave it.
using Entries = std::map<std::pair<std::string, std::string>, std::string>;

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool HasArabic(const std::string& s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b == 0xD8 || b == 0xD9 || b == 0xDA || b == 0xDB) return true;
  }
  return false;
}

// Splits "كوريا، جمهورية كوريا" into its parts, trims, drops text in brackets.
std::vector<std::string> Parts(std::string name) {
  size_t open = name.find('(');
  if (open != std::string::npos) name = name.substr(0, open);
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    size_t a = cur.find_first_not_of(' '), b = cur.find_last_not_of(' ');
    if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
    cur.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ',') {
      flush();
    } else if (name.compare(i, 2, "\u060C") == 0) {  // ARABIC COMMA
      flush();
      ++i;
    } else {
      cur.push_back(name[i]);
    }
  }
  flush();
  return out;
}

void Add(Entries* out, const std::string& type, const std::string& name, const std::string& source) {
  if (!HasArabic(name)) return;
  for (const std::string& p : Parts(name)) {
    if (HasArabic(p)) out->emplace(std::make_pair(type, p), source);
  }
}

// A GNU .mo catalogue: original -> translation.
std::map<std::string, std::string> ReadMo(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  auto u32 = [&](size_t off) -> uint32_t {
    if (off + 4 > data.size()) return 0;
    return static_cast<uint32_t>(static_cast<unsigned char>(data[off])) |
           static_cast<uint32_t>(static_cast<unsigned char>(data[off + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(data[off + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(data[off + 3])) << 24;
  };
  if (u32(0) != 0x950412deu) return out;  // little-endian magic only
  uint32_t n = u32(8), orig = u32(12), trans = u32(16);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t ol = u32(orig + 8 * i), oo = u32(orig + 8 * i + 4);
    uint32_t tl = u32(trans + 8 * i), to = u32(trans + 8 * i + 4);
    if (oo + ol > data.size() || to + tl > data.size()) break;
    out[data.substr(oo, ol)] = data.substr(to, tl);
  }
  return out;
}

void IcuRegions(Entries* out) {
  icu::Locale ar("ar");
  for (const char* const* c = icu::Locale::getISOCountries(); *c != nullptr; ++c) {
    icu::UnicodeString name;
    icu::Locale("", *c).getDisplayCountry(ar, name);
    Add(out, "LOC", Utf8(name), "icu-region");
  }
  // UN M.49 regions (continents and their parts).
  for (const char* code : {"001", "002", "005", "009", "011", "013", "014", "015", "017", "018", "019", "021",
                           "029", "030", "034", "035", "039", "053", "054", "057", "061", "142", "143", "145",
                           "150", "151", "154", "155", "419"}) {
    icu::UnicodeString name;
    icu::Locale("", code).getDisplayCountry(ar, name);
    Add(out, "LOC", Utf8(name), "icu-region");
  }
  for (const char* code : {"EU", "UN"}) {
    icu::UnicodeString name;
    icu::Locale("", code).getDisplayCountry(ar, name);
    Add(out, "ORG", Utf8(name), "icu-region");
  }
}

void IcuCities(Entries* out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZoneNames> names(icu::TimeZoneNames::createInstance(icu::Locale("ar"), status));
  std::unique_ptr<icu::StringEnumeration> ids(icu::TimeZone::createEnumeration(status));
  if (U_FAILURE(status)) return;
  while (const icu::UnicodeString* id = ids->snext(status)) {
    if (U_FAILURE(status)) break;
    std::string sid = Utf8(*id);
    if (sid.find('/') == std::string::npos || sid.rfind("Etc/", 0) == 0 || sid.rfind("SystemV/", 0) == 0) continue;
    icu::UnicodeString city;
    names->getExemplarLocationName(*id, city);
    Add(out, "LOC", Utf8(city), "icu-city");
  }
}

void IsoCodes(const std::string& json_dir, const std::string& locale_dir, Entries* out) {
  auto load = [](const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in, nullptr, false);
  };
  std::map<std::string, std::string> countries = ReadMo(locale_dir + "/ar/LC_MESSAGES/iso_3166-1.mo");
  nlohmann::json c = load(json_dir + "/iso_3166-1.json");
  if (c.is_object()) {
    for (const auto& e : c["3166-1"]) {
      for (const char* key : {"name", "official_name", "common_name"}) {
        if (!e.contains(key)) continue;
        auto it = countries.find(e[key].get<std::string>());
        if (it != countries.end()) Add(out, "LOC", it->second, "iso-3166-1");
      }
    }
  }
  std::map<std::string, std::string> currencies = ReadMo(locale_dir + "/ar/LC_MESSAGES/iso_4217.mo");
  nlohmann::json m = load(json_dir + "/iso_4217.json");
  if (m.is_object()) {
    for (const auto& e : m["4217"]) {
      if (!e.contains("name")) continue;
      auto it = currencies.find(e["name"].get<std::string>());
      if (it != currencies.end()) Add(out, "MISC", it->second, "iso-4217");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_dir = argc > 1 ? argv[1] : "/usr/share/iso-codes/json";
  std::string locale_dir = argc > 2 ? argv[2] : "/usr/share/locale";
  Entries entries;
  IcuRegions(&entries);
  IcuCities(&entries);
  IsoCodes(json_dir, locale_dir, &entries);
  std::printf("# GENERATED BY tools/gen_ner_gazetteer.cc; DO NOT EDIT\n");
  std::printf("# Sources: ICU/CLDR %s (Unicode licence), iso-codes (LGPL-2.1+). TYPE<TAB>name<TAB>source\n",
              U_ICU_VERSION);
  for (const auto& [key, source] : entries) {
    std::printf("%s\t%s\t%s\n", key.first.c_str(), key.second.c_str(), source.c_str());
  }
  return 0;
}
