// The hand-checked extraction cases of tests/testdata/extract_cases.tsv:
// every expected mention must be found with its exact span and value, and
// nothing else may be reported (a case lists all mentions of its text).
// Format: docs/extract.md ("Test set").
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "rasid/extract/calendar.h"
#include "rasid/extract/extractor.h"

namespace rasid::extract {
namespace {

struct Case {
  int line = 0;
  std::string id, source, date, text;
  nlohmann::json expected;
};

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  std::ifstream in(std::string(RASID_TESTDATA_DIR) + "/extract_cases.tsv");
  std::string row;
  int line = 0;
  while (std::getline(in, row)) {
    ++line;
    if (row.empty() || row[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(row);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 5) {
      ADD_FAILURE() << "extract_cases.tsv:" << line << ": expected 5 columns";
      continue;
    }
    Case c;
    c.line = line;
    c.id = f[0], c.source = f[1], c.date = f[2], c.text = f[3];
    c.expected = nlohmann::json::parse(f[4], nullptr, false);
    if (c.expected.is_discarded()) {
      ADD_FAILURE() << "extract_cases.tsv:" << line << ": bad JSON";
      continue;
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string Describe(const NumberMention& n, std::string_view text) {
  std::ostringstream os;
  os << NumberTypeName(n.type) << " «" << text.substr(n.start, n.end - n.start) << "» " << n.value;
  if (!n.unit.empty()) os << " " << n.unit;
  return os.str();
}

TEST(ExtractCases, AllPass) {
  std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 1u);
  auto ex = Extractor::Create();
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  size_t failed = 0;
  for (const Case& c : cases) {
    ExtractOptions opts;
    if (c.date != "-") opts.reference_day = *ParseReferenceDate(c.date);
    Extraction x;
    (*ex)->Extract(c.text, opts, &x);
    std::vector<std::string> errors;
    std::vector<bool> used_n(x.numbers.size()), used_d(x.dates.size());
    for (const auto& e : c.expected) {
      std::string want_text = e["text"];
      size_t occurrence = e.value("nth", 0);
      size_t start = std::string::npos, from = 0;
      for (size_t k = 0; k <= occurrence; ++k) {
        start = c.text.find(want_text, from);
        if (start == std::string::npos) break;
        from = start + 1;
      }
      if (start == std::string::npos) {
        errors.push_back("expected text not in the case: " + want_text);
        continue;
      }
      size_t end = start + want_text.size();
      std::string type = e["type"];
      bool is_date = type == "date" || type == "time" || type == "interval";
      bool found = false;
      if (is_date) {
        for (size_t k = 0; k < x.dates.size(); ++k) {
          const DateMention& d = x.dates[k];
          if (d.start != start || d.end != end) continue;
          used_d[k] = true;
          found = true;
          std::string want_value = e["value"].is_null() ? "" : e["value"].get<std::string>();
          if (DateTypeName(d.type) != type || d.value != want_value ||
              (e.contains("grain") && GrainName(d.grain) != e["grain"].get<std::string>()) ||
              (e.contains("hijri") && d.hijri != e["hijri"].get<std::string>()))
            errors.push_back("date «" + want_text + "»: got " + DateTypeName(d.type) + " " + d.value + " " +
                             GrainName(d.grain) + " hijri=" + d.hijri);
        }
      } else {
        for (size_t k = 0; k < x.numbers.size(); ++k) {
          const NumberMention& n = x.numbers[k];
          if (n.start != start || n.end != end) continue;
          used_n[k] = true;
          found = true;
          double want = e["value"];
          bool ok = NumberTypeName(n.type) == type && std::fabs(n.value - want) <= 1e-6 * std::max(1.0, want);
          if (e.contains("unit") && n.unit != e["unit"].get<std::string>()) ok = false;
          if (!e.contains("unit") && !n.unit.empty()) ok = false;
          if (e.value("approx", false) != n.approx) ok = false;
          if (e.contains("min") != n.min.has_value() || (n.min && std::fabs(*n.min - e["min"].get<double>()) > 1e-6))
            ok = false;
          if (e.contains("max") != n.max.has_value() || (n.max && std::fabs(*n.max - e["max"].get<double>()) > 1e-6))
            ok = false;
          if (e.value("ambiguous", false) != n.ambiguous) ok = false;
          if (!ok) errors.push_back("number «" + want_text + "»: got " + Describe(n, c.text));
        }
      }
      if (!found) errors.push_back("missing " + type + " «" + want_text + "»");
    }
    for (size_t k = 0; k < x.numbers.size(); ++k) {
      if (!used_n[k]) errors.push_back("unexpected " + Describe(x.numbers[k], c.text));
    }
    for (size_t k = 0; k < x.dates.size(); ++k) {
      if (!used_d[k]) {
        const DateMention& d = x.dates[k];
        errors.push_back("unexpected date «" + std::string(c.text.substr(d.start, d.end - d.start)) + "» " + d.value);
      }
    }
    if (!errors.empty()) {
      ++failed;
      std::string all;
      for (const auto& s : errors) all += "\n  " + s;
      ADD_FAILURE() << "extract_cases.tsv:" << c.line << " (" << c.id << "): " << c.text << all;
    }
  }
  EXPECT_EQ(failed, 0u) << "of " << cases.size() << " cases";
}

}  // namespace
}  // namespace rasid::extract
