#pragma once
/// \file Online backup and restore of the server's database with SQLite's backup API.
///
/// A backup is taken while the server runs: one read transaction copies every page, so the copy
/// is the database as of one instant, which always lies between two saves (each save is one
/// transaction: a consistent cut). The server's writes go on meanwhile (readers do not block
/// writers in WAL mode). A restore writes a backup into the database, in one transaction, while
/// the server is stopped.

#include <cstdint>
#include <filesystem>

#include "netserver/store.hpp"
#include "world/types.hpp"

namespace netserver {

/// What a backup or restore copied.
struct BackupSummary {
  std::uint64_t accounts = 0;    ///< Accounts in the copy.
  std::uint64_t characters = 0;  ///< Characters in the copy.
  world::Tick last_cut = 0;      ///< The tick of the last save in the copy (0: none).
  std::uint64_t bytes = 0;       ///< Size of the copy (pages times page size).
};

/// Copies the server database `source` (which a server may be using) into the new file
/// `destination`, a single self-contained SQLite file (rollback journal mode), written beside it
/// under a temporary name and renamed when complete and checked (`PRAGMA integrity_check`).
/// Fails with InvalidArgument if `destination` exists or `source` is not a server database,
/// NewerSchema if its schema is newer than this build's, Database for SQLite failures.
[[nodiscard]] StoreResult<BackupSummary> backup_database(const std::filesystem::path& source,
                                                         const std::filesystem::path& destination);

/// Replaces the contents of the server database `target` (created if missing) with the backup
/// `source`, in one write transaction: a failure or a crash leaves `target` as it was. The
/// backup is checked first (integrity, a schema this build knows). No server may be using
/// `target` (alphammo-server's restore command makes sure of it).
[[nodiscard]] StoreResult<BackupSummary> restore_database(const std::filesystem::path& source,
                                                          const std::filesystem::path& target);

}  // namespace netserver
