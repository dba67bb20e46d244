#include "rasid/index/coding.h"

#include <zlib.h>

namespace rasid::index {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "rasid's file formats assume little-endian");

uint32_t Crc32(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
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

}  // namespace rasid::index
