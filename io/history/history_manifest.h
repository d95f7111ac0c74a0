// MANIFEST writing (reading is declared in history_store.h). Internal to
// io/history: add and compact call it while holding the folder's LOCK.
// Errors: Error(Io) when the file cannot be written (the old MANIFEST stays).
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "io/history/history_store.h"

namespace nudge::history {

inline constexpr const char* kManifestName = "MANIFEST";
inline constexpr const char* kLockName = "LOCK";

// Writes `dir`/MANIFEST atomically (temp file, fsync, rename, fsync dir).
// `on_stage`, when set, is called before the rename (test hook).
void write_manifest(const std::filesystem::path& dir, const Manifest& m,
                    const std::function<void(std::string_view)>& on_stage = {});

}  // namespace nudge::history
