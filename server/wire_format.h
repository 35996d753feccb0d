// Protocol-buffer wire format, written by hand for the messages the server
// sends in bulk (SampleResponse, PathBatch): one copy of each array straight
// into the outgoing buffer instead of a copy into a message and a second one
// when serialising it. Proto3 rules: zero scalars and empty fields are omitted.
#ifndef PATHWISE_SERVER_WIRE_FORMAT_H_
#define PATHWISE_SERVER_WIRE_FORMAT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pathwise::server::wire_format {

static_assert(std::endian::native == std::endian::little,
              "packed doubles are copied as little-endian bytes");

inline constexpr size_t kMaxVarint = 10;

constexpr size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// Bytes of field `number` (< 16: a one-byte tag) as a varint; 0 when omitted.
constexpr size_t UintFieldSize(uint64_t value) { return value == 0 ? 0 : 1 + VarintSize(value); }

// Bytes of a length-delimited field of `size` bytes (< 16: a one-byte tag); 0 when empty.
constexpr size_t BytesFieldSize(size_t size) { return size == 0 ? 0 : 1 + VarintSize(size) + size; }

inline char* PutVarint(char* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

// Field `number` as a varint; omitted when zero.
inline char* PutUint(char* out, int number, uint64_t value) {
  if (value == 0) return out;
  out = PutVarint(out, static_cast<uint64_t>(number) << 3);  // wire type 0
  return PutVarint(out, value);
}

// The tag and length of a length-delimited field `number` of `size` bytes.
inline char* PutLengthPrefix(char* out, int number, size_t size) {
  out = PutVarint(out, (static_cast<uint64_t>(number) << 3) | 2);  // wire type 2
  return PutVarint(out, size);
}

// Field `number` as length-delimited bytes; omitted when empty.
inline char* PutBytes(char* out, int number, const void* data, size_t size) {
  if (size == 0) return out;
  out = PutLengthPrefix(out, number, size);
  std::memcpy(out, data, size);
  return out + size;
}

}  // namespace pathwise::server::wire_format

#endif  // PATHWISE_SERVER_WIRE_FORMAT_H_
