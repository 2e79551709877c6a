#pragma once
// Encryption of report packages with a per-client symmetric key (libsodium secretstream,
// XChaCha20-Poly1305). Keys live outside the workspace: whoever can read the workspace must not
// be able to read a client's packages.
//
// Encrypted container, version 1 (integers little-endian):
//   8 bytes magic "RUMIENC\0" | u32 version = 1 | u32 scheme = 1 (secretstream xchacha20poly1305)
//   | 8 bytes key id | 24 bytes secretstream header
//   | chunks: u32 ciphertext length + ciphertext (plain chunk <= 64 KiB + 17 bytes tag);
//     the last chunk carries TAG_FINAL. The 48-byte prefix is authenticated with every chunk.
// The key id (first 8 bytes of a keyed BLAKE2b of a constant) lets a wrong key be reported as
// such instead of as corruption. Any other failure means the file was tampered with.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/workspace.h"

namespace rumi::store {

inline constexpr std::string_view kEncryptedMagic{"RUMIENC\0", 8};

class PackageKey {
 public:
  static constexpr std::size_t kBytes = 32;
  static PackageKey generate();
  // Accepts the key-file text ("rumi-package-key v1\n<64 hex>\n") or bare 64 hex digits.
  static PackageKey parse(std::string_view text, std::string_view source_for_errors);
  ~PackageKey();
  PackageKey(const PackageKey&) = default;
  PackageKey& operator=(const PackageKey&) = default;

  std::string id_hex() const;     // 16 hex digits, safe to print
  std::string file_text() const;  // what `rumi keygen` writes
  const unsigned char* data() const { return bytes_.data(); }

 private:
  PackageKey() = default;
  std::array<unsigned char, kBytes> bytes_{};
};

// Throws UsageError when `key_path` resolves inside the workspace (keys must be kept apart).
void refuse_key_inside_workspace(const std::filesystem::path& key_path, const Workspace& ws);
// Reads a key file (refusing one inside `ws`). UsageError naming the file when unreadable/invalid.
PackageKey load_key_file(const std::filesystem::path& key_path, const Workspace& ws);
// Writes a new key with mode 0600; refuses to overwrite an existing file or a path inside `ws`.
PackageKey write_new_key_file(const std::filesystem::path& key_path, const Workspace& ws);
// The environment variable for a client's key: RUMI_CLIENT_KEY_<SLUG> (upper-case, '-' -> '_').
// Its value is either a key file path or the 64 hex digits of the key.
std::string client_key_env_var(std::string_view client_slug);
std::optional<PackageKey> key_from_env(std::string_view client_slug, const Workspace& ws);

bool is_encrypted_package(std::string_view bytes);
std::string encrypt_package(std::string_view plain, const PackageKey& key);
// UsageError "wrong key" on a key-id mismatch; InputError "tampered" on any authentication
// failure, truncation or trailing data.
std::string decrypt_package(std::string_view sealed, const PackageKey& key, std::string_view file_for_errors);

}  // namespace rumi::store
