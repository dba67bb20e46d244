#include "rasid/index/coding.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace rasid::index {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "rasid's file formats assume little-endian");

uint32_t Crc32(std::string_view data) { return Crc32Extend(static_cast<uint32_t>(crc32(0L, Z_NULL, 0)), data); }

uint32_t Crc32Extend(uint32_t crc_in, std::string_view data) {
  uLong crc = crc_in;
  const auto* p = reinterpret_cast<const Bytef*>(data.data());
  size_t n = data.size();
  while (n > 0) {
    uInt chunk = n > (1u << 30) ? (1u << 30) : static_cast<uInt>(n);
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

namespace {

constexpr size_t kShortRun = 4;

// Bytes of a varint of x.
size_t VarintLength(uint64_t x) {
  size_t n = 1;
  while (x >= 0x80) {
    x >>= 7;
    ++n;
  }
  return n;
}

// The Rice parameter that makes the run smallest and the run's bytes after
// its header byte; -1 when no parameter fits (values' quotients above 2^16).
int BestRice(const uint32_t* values, size_t n, int max_b, size_t* bytes) {
  int best = -1;
  *bytes = SIZE_MAX;
  uint32_t max_v = 0;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    max_v = std::max(max_v, values[i]);
    sum += values[i];
  }
  // The best parameter of a geometric distribution is about log2 of the
  // mean times ln 2: try it and its neighbours.
  const uint64_t scaled = sum * 69 / (100 * std::max<size_t>(n, 1));
  const int guess = scaled == 0 ? 0 : 63 - __builtin_clzll(scaled);
  const int hi = std::min({max_b, static_cast<int>(kMaxRiceParameter), guess + 1});
  const int lo = std::max(0, guess - 1);
  // The unary lengths of the (at most three) parameters in one pass.
  uint64_t sums[3] = {0, 0, 0};
  for (size_t i = 0; i < n; ++i) {
    const uint32_t v = values[i] >> lo;
    sums[0] += v;
    sums[1] += v >> 1;
    sums[2] += v >> 2;
  }
  for (int k = lo; k <= hi; ++k) {
    if ((max_v >> k) > (1u << 16)) continue;
    const size_t unary = n + sums[k - lo];
    const size_t unary_bytes = (unary + 7) / 8;
    const size_t b = (n * static_cast<size_t>(k) + 7) / 8 + unary_bytes + VarintLength(unary_bytes);
    if (b < *bytes) {
      *bytes = b;
      best = k;
    }
  }
  return best;
}

// A Rice run: header, varint byte length of the unary part, the values' k
// low bits packed, then their quotients in unary.
void PutRiceRun(std::string* dst, const uint32_t* values, size_t n, int k) {
  size_t unary = n;
  for (size_t i = 0; i < n; ++i) unary += values[i] >> k;
  const size_t unary_bytes = (unary + 7) / 8;
  const size_t low_bytes = (n * static_cast<size_t>(k) + 7) / 8;
  dst->push_back(static_cast<char>(kRiceRunFlag | k));
  PutVarint(dst, unary_bytes);
  const size_t at = dst->size();
  dst->resize(at + low_bytes + unary_bytes);
  auto* out = reinterpret_cast<unsigned char*>(&(*dst)[at]);
  const uint64_t mask = (uint64_t{1} << k) - 1;
  uint64_t acc = 0;
  int used = 0;
  for (size_t i = 0; i < n && k > 0; ++i) {
    acc |= (values[i] & mask) << used;
    used += k;
    while (used >= 8) {
      *out++ = static_cast<unsigned char>(acc);
      acc >>= 8;
      used -= 8;
    }
  }
  if (used > 0) *out++ = static_cast<unsigned char>(acc);
  // Unary: value i's quotient as that many 0 bits, then a 1 bit.
  size_t bit = 0;
  for (size_t i = 0; i < n; ++i) {
    bit += values[i] >> k;
    out[bit >> 3] = static_cast<unsigned char>(out[bit >> 3] | (1u << (bit & 7)));
    ++bit;
  }
}

}  // namespace

void PutPackedRun(std::string* dst, const uint32_t* values, size_t n) {
  if (n <= kShortRun) {
    // A short run (most terms are rare): exceptions and Rice codes cannot
    // win more than a byte or two; the plain width of the largest value.
    uint32_t all = 0;
    for (size_t i = 0; i < n; ++i) all |= values[i];
    const int b = all == 0 ? 0 : 32 - __builtin_clz(all);
    const size_t at = dst->size();
    dst->resize(at + 1 + (n * static_cast<size_t>(b) + 7) / 8);
    auto* out = reinterpret_cast<unsigned char*>(&(*dst)[at]);
    *out++ = static_cast<unsigned char>(b);
    uint64_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; ++i) {
      acc |= uint64_t{values[i]} << bits;
      bits += b;
      while (bits >= 8) {
        *out++ = static_cast<unsigned char>(acc);
        acc >>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) *out = static_cast<unsigned char>(acc);
    return;
  }
  // Values by bit length (0 for 0, 32 for >= 2^31), then the cost of each
  // width from that histogram: packed bytes plus, for the values longer
  // than the width, an index byte and the varint of their high bits.
  // (Four histograms, summed: equal lengths in a row would otherwise wait
  // on each other's increments.)
  uint32_t hists[4][33] = {};
  size_t i4 = 0;
  for (; i4 + 4 <= n; i4 += 4) {
    for (size_t j = 0; j < 4; ++j) {
      const uint32_t v = values[i4 + j];
      ++hists[j][v == 0 ? 0 : 32 - __builtin_clz(v)];
    }
  }
  for (; i4 < n; ++i4) ++hists[0][values[i4] == 0 ? 0 : 32 - __builtin_clz(values[i4])];
  uint32_t hist[33];
  for (int x = 0; x < 33; ++x) hist[x] = hists[0][x] + hists[1][x] + hists[2][x] + hists[3][x];
  int max_b = 32;
  while (max_b > 0 && hist[max_b] == 0) --max_b;
  // longer[x]: values longer than x bits. An exception of a value longer
  // than b takes an index byte and ceil((len - b) / 7) varint bytes.
  size_t longer[33 + 28] = {};
  for (int x = 31; x >= 0; --x) longer[x] = longer[x + 1] + hist[x + 1];
  int best_b = max_b;
  size_t best_cost = (n * static_cast<size_t>(max_b) + 7) / 8;
  for (int b = max_b - 1; b >= 0; --b) {
    size_t exc_bytes = 1 + 2 * longer[b] + longer[b + 7] + longer[b + 14] + longer[b + 21] + longer[b + 28];
    size_t cost = (n * static_cast<size_t>(b) + 7) / 8 + exc_bytes;
    if (cost < best_cost) {
      best_cost = cost;
      best_b = b;
    }
  }
  // A Rice code instead when it is smaller (geometric-looking gaps: most
  // position and document gaps).
  size_t rice_bytes;
  const int k = BestRice(values, n, max_b, &rice_bytes);
  if (k >= 0 && rice_bytes < best_cost) {
    PutRiceRun(dst, values, n, k);
    return;
  }
  const uint64_t mask = best_b == 32 ? 0xFFFFFFFFull : (uint64_t{1} << best_b) - 1;
  bool exceptions = best_b < max_b;
  // The header and the packed bytes, written in place.
  const size_t nbytes = (n * static_cast<size_t>(best_b) + 7) / 8;
  const size_t at = dst->size();
  dst->resize(at + 1 + nbytes);
  auto* out = reinterpret_cast<unsigned char*>(&(*dst)[at]);
  *out++ = static_cast<unsigned char>(best_b | (exceptions ? 0x80 : 0));
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= (uint64_t{values[i]} & mask) << bits;
    bits += best_b;
    while (bits >= 8) {
      *out++ = static_cast<unsigned char>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) *out++ = static_cast<unsigned char>(acc);
  if (exceptions) {
    size_t count_at = dst->size();
    dst->push_back(0);
    unsigned count = 0;
    for (size_t i = 0; i < n; ++i) {
      uint32_t high = static_cast<uint32_t>(uint64_t{values[i]} >> best_b);
      if (high == 0) continue;
      dst->push_back(static_cast<char>(i));
      PutVarint(dst, high);
      ++count;
    }
    (*dst)[count_at] = static_cast<char>(count);
  }
}

namespace {

// Unpacks n values of B bits; the caller guarantees 8 readable bytes past
// the packed ones. Eight values start on a byte boundary: up to 8 bits, one
// 8-byte load for eight values; up to 16, two; then one load per value.
template <int B>
void UnpackFixed(const unsigned char* p, uint32_t* out, size_t n) {
  constexpr uint64_t kMask = (uint64_t{1} << B) - 1;
  size_t i = 0;
  if constexpr (B <= 8) {
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i / 8 * B, 8);
      for (int j = 0; j < 8; ++j) out[i + j] = static_cast<uint32_t>((w >> (j * B)) & kMask);
    }
  } else if constexpr (B <= 16) {
    for (; i + 8 <= n; i += 8) {
      uint64_t lo, hi;
      std::memcpy(&lo, p + i / 8 * B, 8);
      std::memcpy(&hi, p + i / 8 * B + 8, 8);
      const unsigned __int128 w = (static_cast<unsigned __int128>(hi) << 64) | lo;
      for (int j = 0; j < 8; ++j) out[i + j] = static_cast<uint32_t>((w >> (j * B)) & kMask);
    }
  }
  for (; i < n; ++i) {
    const size_t bit = i * B;
    uint64_t w;
    std::memcpy(&w, p + bit / 8, 8);
    out[i] = static_cast<uint32_t>((w >> (bit % 8)) & kMask);
  }
}

template <int... Bs>
void UnpackDispatch(int b, const unsigned char* p, uint32_t* out, size_t n, std::integer_sequence<int, Bs...>) {
  using Fn = void (*)(const unsigned char*, uint32_t*, size_t);
  static constexpr Fn kTable[] = {&UnpackFixed<Bs + 1>...};
  kTable[b - 1](p, out, n);
}

// A run's header byte: its width b and whether exceptions follow; false
// (and the decoder failed) on a bad header.
// A Rice run sets *rice and *rice_bytes (b is then its parameter).
bool ReadRunHeader(Decoder* d, size_t n, int* b, bool* exceptions, bool* rice, uint64_t* rice_bytes) {
  if (n > kMaxPackedRun) return false;
  std::string_view h = d->Bytes(1);
  if (h.empty()) return false;
  const auto header = static_cast<unsigned char>(h[0]);
  *b = header & 0x3F;
  *exceptions = (header & 0x80) != 0;
  *rice = (header & kRiceRunFlag) != 0;
  if (*rice) {
    *rice_bytes = d->Varint();
    if (*b <= static_cast<int>(kMaxRiceParameter) && !*exceptions && d->ok() && *rice_bytes <= d->remaining())
      return true;
  } else if (*b <= 32) {
    return true;
  }
  d->Skip(d->remaining() + 1);  // fail the decoder
  return false;
}

// A byte of a Rice run's unary part: the zeros before each of its set bits
// (the first counted from the byte's start), how many set bits, and the
// zeros after the last (8 when none).
struct UnaryByte {
  uint8_t zeros[8];
  uint8_t count;
  uint8_t tail;
};

constexpr std::array<UnaryByte, 256> MakeUnaryBytes() {
  std::array<UnaryByte, 256> t{};
  for (int b = 0; b < 256; ++b) {
    UnaryByte e{};
    int last = -1;
    for (int bit = 0; bit < 8; ++bit) {
      if ((b >> bit) & 1) {
        e.zeros[e.count++] = static_cast<uint8_t>(bit - last - 1);
        last = bit;
      }
    }
    e.tail = static_cast<uint8_t>(7 - last);
    t[b] = e;
  }
  return t;
}

constexpr std::array<UnaryByte, 256> kUnaryBytes = MakeUnaryBytes();

// Unpacks n values of b bits (1..32) from p (nbytes of them); `room`: 8
// more bytes are readable after them.
void Unpack(const unsigned char* p, bool room, int b, uint32_t* out, size_t n) {
  if (room) {
    UnpackDispatch(b, p, out, n, std::make_integer_sequence<int, 32>());
    return;
  }
  const uint64_t mask = b == 32 ? 0xFFFFFFFFull : (uint64_t{1} << b) - 1;
  uint64_t acc = 0;
  int bits = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    while (bits < b) {
      acc |= uint64_t{p[k++]} << bits;
      bits += 8;
    }
    out[i] = static_cast<uint32_t>(acc & mask);
    acc >>= b;
    bits -= b;
  }
}

// The body of a Rice run with parameter k and unary_bytes of quotients.
bool GetRiceRun(Decoder* d, int k, uint64_t unary_bytes, uint32_t* out, size_t n) {
  const size_t low_bytes = (n * static_cast<size_t>(k) + 7) / 8;
  if (d->remaining() < low_bytes || d->remaining() - low_bytes < unary_bytes) return false;
  const bool room = d->remaining() >= low_bytes + 8;
  const auto* low = reinterpret_cast<const unsigned char*>(d->Bytes(low_bytes).data());
  if (k == 0) {
    std::fill(out, out + n, 0u);
  } else {
    Unpack(low, room, k, out, n);
  }
  std::string_view unary = d->Bytes(unary_bytes);
  const auto* u = reinterpret_cast<const unsigned char*>(unary.data());
  // Each 1 bit ends a value; the 0 bits before it are its quotient. A byte
  // at a time, from a table of the zeros before each of its set bits: no
  // branch per value.
  if (unary.size() >= (size_t{1} << 28)) return false;  // keeps the zero count in 32 bits
  uint32_t quot[kMaxPackedRun + 8];
  size_t i = 0;
  uint32_t carry = 0;  // zeros since the last set bit, before this byte
  for (size_t j = 0; j < unary.size(); ++j) {
    const UnaryByte& e = kUnaryBytes[u[j]];
    if (i + e.count > n) return false;
    for (int m = 0; m < 8; ++m) quot[i + m] = e.zeros[m];
    quot[i] += carry;
    i += e.count;
    carry = (e.count != 0 ? 0 : carry) + e.tail;
  }
  if (i != n || carry >= 8) return false;  // every value ended; only padding after the last
  uint32_t all = 0;
  for (size_t j = 0; j < n; ++j) {
    all |= quot[j];
    out[j] |= quot[j] << k;
  }
  return (uint64_t{all} << k) <= 0xFFFFFFFFull;  // else the values overflowed
}

}  // namespace

bool GetPackedRun(Decoder* d, uint32_t* out, size_t n) {
  int b;
  bool exceptions, rice;
  uint64_t rice_bytes = 0;
  if (!ReadRunHeader(d, n, &b, &exceptions, &rice, &rice_bytes)) return false;
  if (rice) {
    if (GetRiceRun(d, b, rice_bytes, out, n)) return d->ok();
    d->Skip(d->remaining() + 1);
    return false;
  }
  const size_t nbytes = (n * static_cast<size_t>(b) + 7) / 8;
  const bool room = d->remaining() >= nbytes + 8;  // for the 8-byte loads of the fast path
  std::string_view packed = d->Bytes(nbytes);
  if (packed.size() != nbytes) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(packed.data());
  if (b == 0) {
    std::fill(out, out + n, 0u);
  } else {
    Unpack(p, room, b, out, n);
  }
  if (exceptions) {
    std::string_view c = d->Bytes(1);
    if (c.empty()) return false;
    const unsigned count = static_cast<unsigned char>(c[0]);
    for (unsigned e = 0; e < count; ++e) {
      std::string_view idx = d->Bytes(1);
      uint64_t high = d->Varint();
      if (idx.empty() || !d->ok()) return false;
      size_t i = static_cast<unsigned char>(idx[0]);
      if (i >= n || b >= 32 || high == 0 || high > (0xFFFFFFFFu >> b)) {
        d->Skip(d->remaining() + 1);
        return false;
      }
      out[i] |= static_cast<uint32_t>(high << b);
    }
  }
  return d->ok();
}

bool SkipPackedRun(Decoder* d, size_t n) {
  int b;
  bool exceptions, rice;
  uint64_t rice_bytes = 0;
  if (!ReadRunHeader(d, n, &b, &exceptions, &rice, &rice_bytes)) return false;
  if (rice) {
    d->Skip((n * static_cast<size_t>(b) + 7) / 8);
    d->Skip(rice_bytes);
    return d->ok();
  }
  d->Skip((n * static_cast<size_t>(b) + 7) / 8);
  if (exceptions) {
    std::string_view c = d->Bytes(1);
    if (c.empty()) return false;
    const unsigned count = static_cast<unsigned char>(c[0]);
    for (unsigned e = 0; e < count && d->ok(); ++e) {
      d->Skip(1);
      d->Varint();
    }
  }
  return d->ok();
}

}  // namespace rasid::index
