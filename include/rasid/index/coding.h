// Little-endian fixed-width and varint encoding, and the CRC used by every
// rasid file. Decoders are bounds-checked: they never read past `end` and
// report failure instead (a damaged file is Corruption, never a crash).
#ifndef RASID_INDEX_CODING_H_
#define RASID_INDEX_CODING_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rasid::index {

inline void PutFixed32(std::string* dst, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  dst->append(b, 4);
}
inline void PutFixed64(std::string* dst, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  dst->append(b, 8);
}
inline void PutVarint(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}
inline void PutBytes(std::string* dst, std::string_view s) {
  PutVarint(dst, s.size());
  dst->append(s);
}

inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);  // rasid runs on little-endian machines (checked at build)
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// A bounds-checked reader over a byte range. After any failed read ok()
// is false and further reads return zeros.
class Decoder {
 public:
  Decoder() = default;
  Decoder(const char* begin, const char* end) : p_(begin), end_(end) {}
  explicit Decoder(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool ok() const { return ok_; }
  const char* pos() const { return p_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool empty() const { return p_ >= end_; }

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  uint32_t Varint32() {
    uint64_t v = Varint();
    if (v > 0xFFFFFFFFu) return static_cast<uint32_t>(Fail());
    return static_cast<uint32_t>(v);
  }
  uint32_t Fixed32() {
    if (remaining() < 4) return static_cast<uint32_t>(Fail());
    uint32_t v = DecodeFixed32(p_);
    p_ += 4;
    return v;
  }
  uint64_t Fixed64() {
    if (remaining() < 8) return Fail();
    uint64_t v = DecodeFixed64(p_);
    p_ += 8;
    return v;
  }
  std::string_view Bytes(size_t n) {
    if (remaining() < n) {
      Fail();
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string_view LengthPrefixed() { return Bytes(Varint()); }
  void Skip(size_t n) { Bytes(n); }

 private:
  uint64_t Fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool ok_ = true;
};

// CRC-32 (zlib's polynomial) of a byte range.
uint32_t Crc32(std::string_view data);
// The CRC-32 of the bytes whose CRC-32 is `crc` followed by `data`.
uint32_t Crc32Extend(uint32_t crc, std::string_view data);

// Patched frame-of-reference packing of up to 128 unsigned values (a "packed
// run", docs/format/segment.md): a header byte (bit width b in bits 0-5,
// bit 7 set when exceptions follow), the n values' low b bits packed LSB
// first into ceil(n*b/8) bytes, then, with exceptions, a count byte and per
// exception its index (one byte) and the value's high bits (v >> b, varint).
// Or, when smaller (format 5), a Rice run: a header byte 0x40 | k (k <= 31),
// the varint byte length of its unary part, the n values' k low bits packed
// LSB first into ceil(n*k/8) bytes, then the unary part: per value, its
// quotient v >> k as that many 0 bits and a 1 bit, LSB first, zero-padded.
// The writer picks the b (or k) that makes the run smallest.
inline constexpr size_t kMaxPackedRun = 128;
inline constexpr unsigned kRiceRunFlag = 0x40;
inline constexpr unsigned kMaxRiceParameter = 31;
void PutPackedRun(std::string* dst, const uint32_t* values, size_t n);
// Reads a run of n values (n <= kMaxPackedRun) into out; false (and the
// decoder failed) on damaged data.
bool GetPackedRun(Decoder* d, uint32_t* out, size_t n);
// Moves past a run of n values without decoding it (its exceptions are not
// checked); false on data that ends early.
bool SkipPackedRun(Decoder* d, size_t n);

}  // namespace rasid::index

#endif  // RASID_INDEX_CODING_H_
