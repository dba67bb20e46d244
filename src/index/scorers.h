// Document iterators that score: the pieces a query is compiled into, one
// tree per segment. Private to the index module.
#ifndef RASID_INDEX_SCORERS_H_
#define RASID_INDEX_SCORERS_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "rasid/index/segment.h"

namespace rasid::index {

// BM25 of one term in one document, with the index-wide constants folded in.
struct Bm25 {
  double weight = 0;  // idf * (k1 + 1), times a boost
  double k1 = 1.2, b = 0.75, avg_len = 1;
  double Score(uint32_t freq, uint32_t len) const {
    double norm = k1 * (1 - b + b * len / avg_len);
    return weight * freq / (freq + norm);
  }
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual uint32_t doc() const = 0;
  virtual uint32_t Next() = 0;
  virtual uint32_t Advance(uint32_t target) = 0;
  virtual double Score() = 0;
  virtual double MaxScore() const = 0;  // no document scores more
};

// One term: a posting list, optionally restricted to title positions.
class TermScorer final : public Scorer {
 public:
  TermScorer(const SegmentReader* seg, const TermInfo& info, const Bm25& bm25, bool title_only)
      : seg_(seg), it_(seg, info), bm25_(bm25), title_only_(title_only) {
    max_score_ = bm25_.Score(it_.max_freq(), it_.min_len());
    if (title_only_) Settle();
  }
  uint32_t doc() const override { return it_.doc(); }
  uint32_t Next() override {
    it_.Next();
    if (title_only_) Settle();
    return it_.doc();
  }
  uint32_t Advance(uint32_t target) override {
    it_.Advance(target);
    if (title_only_) Settle();
    return it_.doc();
  }
  double Score() override {
    uint32_t f = it_.freq();
    if (title_only_) f = title_freq_;
    return bm25_.Score(f, seg_->values(it_.doc()).length);
  }
  double MaxScore() const override { return max_score_; }
  PostingsIterator* postings() { return &it_; }
  // Upper bound of the score of documents in the block that may hold
  // `target`, and the last document of that block (block-max WAND).
  double BlockMaxScore(uint32_t target, uint32_t* block_last) {
    if (!it_.ShallowAdvance(target)) {
      *block_last = kNoMoreDocs;
      return 0;
    }
    *block_last = it_.block_last_doc();
    // The bound of a block is asked for again and again while WAND stays in
    // it: computed once per block.
    if (it_.block_index() != bound_block_) {
      bound_block_ = it_.block_index();
      bound_ = bm25_.Score(it_.block_max_freq(), it_.block_min_len());
    }
    return bound_;
  }

 private:
  // Skips documents where the term is not in the title.
  void Settle() {
    while (it_.doc() != kNoMoreDocs) {
      title_freq_ = 0;
      if (it_.positionless()) {
        title_freq_ = it_.TitleOccurrences();
      } else {
        it_.Positions(&pos_);
        uint32_t limit = seg_->values(it_.doc()).title_positions;
        for (uint32_t p : pos_) title_freq_ += p < limit;
      }
      if (title_freq_ > 0) {
        title_freq_ *= kTitleWeight;
        return;
      }
      it_.Next();
    }
  }
  const SegmentReader* seg_;
  PostingsIterator it_;
  Bm25 bm25_;
  bool title_only_;
  double max_score_ = 0;
  uint32_t title_freq_ = 0;
  uint32_t bound_block_ = kNoMoreDocs;
  double bound_ = 0;
  std::vector<uint32_t> pos_;
};

// Consecutive words: documents where they occur one after the other.
class PhraseScorer : public Scorer {
 public:
  // `infos` may be variants (exact forms): their positions are the form's.
  PhraseScorer(const SegmentReader* seg, const std::vector<TermInfo>& infos, const Bm25& bm25,
               bool title_only)
      : seg_(seg), bm25_(bm25), title_only_(title_only) {
    for (const TermInfo& i : infos) its_.push_back(std::make_unique<PostingsIterator>(seg, i));
    pos_.resize(its_.size());
    uint32_t mf = 0xFFFFFFFFu, ml = 0;
    for (auto& i : its_) {
      mf = std::min(mf, i->max_freq());
      ml = std::max(ml, i->min_len());
    }
    max_score_ = bm25_.Score(std::max(mf, 1u), 0);
    Find(its_.empty() ? kNoMoreDocs : its_[0]->doc());
  }
  uint32_t doc() const override { return doc_; }
  uint32_t Next() override { return doc_ == kNoMoreDocs ? doc_ : Find(doc_ + 1); }
  uint32_t Advance(uint32_t target) override { return doc_ >= target ? doc_ : Find(target); }
  double Score() override { return bm25_.Score(freq_, seg_->values(doc_).length); }
  double MaxScore() const override { return max_score_; }

 private:
  uint32_t Find(uint32_t target) {
    for (;;) {
      // Leapfrog to a document holding every word.
      uint32_t d = target;
      bool all = false;
      while (!all) {
        all = true;
        for (auto& it : its_) {
          uint32_t x = it->Advance(d);
          if (x == kNoMoreDocs) return doc_ = kNoMoreDocs;
          if (x > d) {
            d = x;
            all = false;
          }
        }
      }
      if (CountMatches(d)) return doc_ = d;
      target = d + 1;
    }
  }
  // Occurrences of the phrase in document d. A positionless word (a stop
  // word) is checked by document only: the others must stand at their
  // offsets, with its place between them; a phrase of stop words only
  // counts once per document holding them all (in the title, for title:).
  bool CountMatches(uint32_t d) {
    size_t anchor = its_.size();
    for (size_t i = 0; i < its_.size(); ++i) {
      its_[i]->Positions(&pos_[i]);
      if (anchor == its_.size() && !its_[i]->positionless()) anchor = i;
    }
    uint32_t limit = seg_->values(d).title_positions;
    freq_ = 0;
    if (anchor == its_.size()) {
      bool in_title = true;
      for (auto& it : its_) in_title &= it->TitleOccurrences() > 0;
      if (title_only_ && !in_title) return false;
      freq_ = in_title ? kTitleWeight : 1;
      return true;
    }
    const uint32_t a = static_cast<uint32_t>(anchor);
    for (uint32_t pa : pos_[anchor]) {
      if (pa < a) continue;
      const uint32_t p = pa - a;  // where the phrase starts
      bool ok = true;
      for (size_t i = anchor + 1; i < its_.size() && ok; ++i) {
        if (its_[i]->positionless()) continue;
        ok = std::binary_search(pos_[i].begin(), pos_[i].end(), p + static_cast<uint32_t>(i));
      }
      if (!ok) continue;
      bool in_title = p < limit;
      if (title_only_ && !in_title) continue;
      freq_ += in_title ? kTitleWeight : 1;
    }
    return freq_ > 0;
  }
  const SegmentReader* seg_;
  Bm25 bm25_;
  bool title_only_;
  std::vector<std::unique_ptr<PostingsIterator>> its_;
  std::vector<std::vector<uint32_t>> pos_;
  uint32_t doc_ = 0, freq_ = 0;
  double max_score_ = 0;
};

class ConjunctionScorer : public Scorer {
 public:
  explicit ConjunctionScorer(std::vector<std::unique_ptr<Scorer>> parts) : parts_(std::move(parts)) {
    for (auto& p : parts_) max_ += p->MaxScore();
    Align(parts_.empty() ? kNoMoreDocs : parts_[0]->doc());
  }
  uint32_t doc() const override { return doc_; }
  uint32_t Next() override { return doc_ == kNoMoreDocs ? doc_ : Align(parts_[0]->Next()); }
  uint32_t Advance(uint32_t t) override { return doc_ >= t ? doc_ : Align(parts_[0]->Advance(t)); }
  double Score() override {
    double s = 0;
    for (auto& p : parts_) s += p->Score();
    return s;
  }
  double MaxScore() const override { return max_; }

 private:
  uint32_t Align(uint32_t d) {
    for (;;) {
      if (d == kNoMoreDocs) return doc_ = kNoMoreDocs;
      bool all = true;
      for (auto& p : parts_) {
        uint32_t x = p->Advance(d);
        if (x != d) {
          d = x;
          all = false;
          break;
        }
      }
      if (all) return doc_ = d;
    }
  }
  std::vector<std::unique_ptr<Scorer>> parts_;
  uint32_t doc_ = 0;
  double max_ = 0;
};

class DisjunctionScorer : public Scorer {
 public:
  explicit DisjunctionScorer(std::vector<std::unique_ptr<Scorer>> parts) : parts_(std::move(parts)) {
    for (auto& p : parts_) max_ += p->MaxScore();
    Update();
  }
  uint32_t doc() const override { return doc_; }
  uint32_t Next() override {
    for (auto& p : parts_) {
      if (p->doc() == doc_) p->Next();
    }
    return Update();
  }
  uint32_t Advance(uint32_t t) override {
    if (doc_ >= t) return doc_;
    for (auto& p : parts_) p->Advance(t);
    return Update();
  }
  double Score() override {
    double s = 0;
    for (auto& p : parts_) {
      if (p->doc() == doc_) s += p->Score();
    }
    return s;
  }
  double MaxScore() const override { return max_; }

 private:
  uint32_t Update() {
    doc_ = kNoMoreDocs;
    for (auto& p : parts_) doc_ = std::min(doc_, p->doc());
    return doc_;
  }
  std::vector<std::unique_ptr<Scorer>> parts_;
  uint32_t doc_ = kNoMoreDocs;
  double max_ = 0;
};

// Documents of `required`, scored by it plus `optional` where it matches too.
class ReqOptScorer : public Scorer {
 public:
  ReqOptScorer(std::unique_ptr<Scorer> req, std::unique_ptr<Scorer> opt)
      : req_(std::move(req)), opt_(std::move(opt)) {}
  uint32_t doc() const override { return req_->doc(); }
  uint32_t Next() override { return req_->Next(); }
  uint32_t Advance(uint32_t t) override { return req_->Advance(t); }
  double Score() override {
    double s = req_->Score();
    uint32_t d = req_->doc();
    if (opt_->doc() < d) opt_->Advance(d);
    if (opt_->doc() == d) s += opt_->Score();
    return s;
  }
  double MaxScore() const override { return req_->MaxScore() + opt_->MaxScore(); }

 private:
  std::unique_ptr<Scorer> req_, opt_;
};

// Documents of `positive` that `negative` does not match.
class ExclusionScorer : public Scorer {
 public:
  ExclusionScorer(std::unique_ptr<Scorer> pos, std::unique_ptr<Scorer> neg)
      : pos_(std::move(pos)), neg_(std::move(neg)) {
    Skip();
  }
  uint32_t doc() const override { return pos_->doc(); }
  uint32_t Next() override {
    pos_->Next();
    return Skip();
  }
  uint32_t Advance(uint32_t t) override {
    pos_->Advance(t);
    return Skip();
  }
  double Score() override { return pos_->Score(); }
  double MaxScore() const override { return pos_->MaxScore(); }

 private:
  uint32_t Skip() {
    for (;;) {
      uint32_t d = pos_->doc();
      if (d == kNoMoreDocs) return d;
      if (neg_->doc() < d) neg_->Advance(d);
      if (neg_->doc() != d) return d;
      pos_->Next();
    }
  }
  std::unique_ptr<Scorer> pos_, neg_;
};

// Every document satisfying a per-document predicate (doc values); score 0.
class FilterScorer : public Scorer {
 public:
  FilterScorer(uint32_t max_doc, std::function<bool(uint32_t)> pred)
      : max_doc_(max_doc), pred_(std::move(pred)) {
    Find(0);
  }
  uint32_t doc() const override { return doc_; }
  uint32_t Next() override { return doc_ == kNoMoreDocs ? doc_ : Find(doc_ + 1); }
  uint32_t Advance(uint32_t t) override { return doc_ >= t ? doc_ : Find(t); }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }

 private:
  uint32_t Find(uint32_t d) {
    for (; d < max_doc_; ++d) {
      if (pred_(d)) return doc_ = d;
    }
    return doc_ = kNoMoreDocs;
  }
  uint32_t max_doc_;
  std::function<bool(uint32_t)> pred_;
  uint32_t doc_ = kNoMoreDocs;
};

// One document (an id: filter).
class SingleDocScorer : public Scorer {
 public:
  explicit SingleDocScorer(uint32_t doc) : doc_(doc) {}
  uint32_t doc() const override { return doc_; }
  uint32_t Next() override { return doc_ = kNoMoreDocs; }
  uint32_t Advance(uint32_t t) override { return doc_ >= t ? doc_ : doc_ = kNoMoreDocs; }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }

 private:
  uint32_t doc_;
};

class EmptyScorer : public Scorer {
 public:
  uint32_t doc() const override { return kNoMoreDocs; }
  uint32_t Next() override { return kNoMoreDocs; }
  uint32_t Advance(uint32_t) override { return kNoMoreDocs; }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }
};

// A scorer whose score is replaced by 0 (filters such as source:BBC).
class ConstantZeroScorer : public Scorer {
 public:
  explicit ConstantZeroScorer(std::unique_ptr<Scorer> in) : in_(std::move(in)) {}
  uint32_t doc() const override { return in_->doc(); }
  uint32_t Next() override { return in_->Next(); }
  uint32_t Advance(uint32_t t) override { return in_->Advance(t); }
  double Score() override { return 0; }
  double MaxScore() const override { return 0; }

 private:
  std::unique_ptr<Scorer> in_;
};

}  // namespace rasid::index

#endif  // RASID_INDEX_SCORERS_H_
