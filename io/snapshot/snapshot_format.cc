#include "io/snapshot/snapshot_format.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstddef>

namespace nudge::snapshot {

uint64_t hash_bytes(const void* data, std::size_t bytes) noexcept { return XXH3_64bits(data, bytes); }

uint64_t header_hash(const Header& h) noexcept { return XXH3_64bits(&h, offsetof(Header, header_hash)); }

fb::ColumnType to_fb(DataType t) noexcept {
  switch (t) {
    case DataType::Bool: return fb::ColumnType::Bool;
    case DataType::Int32: return fb::ColumnType::Int32;
    case DataType::Int64: return fb::ColumnType::Int64;
    case DataType::UInt64: return fb::ColumnType::UInt64;
    case DataType::Float32: return fb::ColumnType::Float32;
    case DataType::Float64: return fb::ColumnType::Float64;
    case DataType::Category: return fb::ColumnType::Category;
    case DataType::Date: return fb::ColumnType::Date;
  }
  return fb::ColumnType::Bool;
}

std::optional<DataType> from_fb(fb::ColumnType t) noexcept {
  switch (t) {
    case fb::ColumnType::Bool: return DataType::Bool;
    case fb::ColumnType::Int32: return DataType::Int32;
    case fb::ColumnType::Int64: return DataType::Int64;
    case fb::ColumnType::UInt64: return DataType::UInt64;
    case fb::ColumnType::Float32: return DataType::Float32;
    case fb::ColumnType::Float64: return DataType::Float64;
    case fb::ColumnType::Category: return DataType::Category;
    case fb::ColumnType::Date: return DataType::Date;
  }
  return std::nullopt;  // a value this version does not know
}

}  // namespace nudge::snapshot
