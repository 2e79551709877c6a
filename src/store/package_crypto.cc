#include "store/package_crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi::store {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKeyFileHeader = "rumi-package-key v1";
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kSchemeSecretstream = 1;
constexpr std::size_t kKeyIdBytes = 8;
constexpr std::size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kPrefixBytes = 8 + 4 + 4 + kKeyIdBytes;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kABytes = crypto_secretstream_xchacha20poly1305_ABYTES;

static_assert(PackageKey::kBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);

void ensure_sodium() {
  if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t get_u32(std::string_view b, std::size_t off) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

std::string key_id_raw(const unsigned char* key) {
  static constexpr std::string_view kLabel = "rumi-package-key-id";
  unsigned char out[crypto_generichash_BYTES_MIN];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(), key,
                     PackageKey::kBytes);
  return std::string(reinterpret_cast<const char*>(out), kKeyIdBytes);
}

std::string to_hex(std::string_view raw) {
  std::string hex(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  return hex;
}

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

bool inside(const fs::path& p, const fs::path& root) {
  auto [r, _] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end();
}

}  // namespace

PackageKey PackageKey::generate() {
  ensure_sodium();
  PackageKey k;
  crypto_secretstream_xchacha20poly1305_keygen(k.bytes_.data());
  return k;
}

PackageKey PackageKey::parse(std::string_view text, std::string_view source) {
  ensure_sodium();
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  std::string_view body = trim(text);
  if (body.substr(0, kKeyFileHeader.size()) == kKeyFileHeader) body = trim(body.substr(kKeyFileHeader.size()));
  PackageKey k;
  std::size_t len = 0;
  if (body.size() != 2 * kBytes ||
      sodium_hex2bin(k.bytes_.data(), kBytes, body.data(), body.size(), nullptr, &len, nullptr) != 0 || len != kBytes)
    throw UsageError(std::string(source) + ": not a rumi package key (expected '" + std::string(kKeyFileHeader) +
                     "' and 64 hex digits; create one with 'rumi keygen')");
  return k;
}

PackageKey::~PackageKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string PackageKey::id_hex() const { return to_hex(key_id_raw(bytes_.data())); }

std::string PackageKey::file_text() const {
  return std::string(kKeyFileHeader) + "\n" +
         to_hex(std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size())) + "\n";
}

void refuse_key_inside_workspace(const fs::path& key_path, const Workspace& ws) {
  std::error_code ec;
  fs::path key = fs::weakly_canonical(fs::absolute(key_path), ec);
  if (ec) key = fs::absolute(key_path).lexically_normal();
  fs::path root = fs::weakly_canonical(ws.root(), ec);
  if (ec) root = ws.root();
  if (inside(key, root) || inside(fs::absolute(key_path).lexically_normal(), ws.root()))
    throw UsageError("key file " + key_path.string() + " is inside the workspace " + ws.root().string() +
                     "; keep client keys outside it (anyone who can read the workspace could read the packages)");
}

PackageKey load_key_file(const fs::path& key_path, const Workspace& ws) {
  refuse_key_inside_workspace(key_path, ws);
  std::string text;
  try {
    text = read_file(key_path);
  } catch (const Error&) {
    throw UsageError("cannot read key file " + key_path.string());
  }
  PackageKey k = PackageKey::parse(text, key_path.string());
  sodium_memzero(text.data(), text.size());
  return k;
}

PackageKey write_new_key_file(const fs::path& key_path, const Workspace& ws) {
  refuse_key_inside_workspace(key_path, ws);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(key_path, ec)))
    throw UsageError("key file " + key_path.string() + " already exists; refusing to overwrite a key");
  if (key_path.has_parent_path()) ensure_directory(key_path.parent_path());
  PackageKey k = PackageKey::generate();
  const std::string text = k.file_text();
  int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw Error("cannot create key file " + key_path.string() + ": " + std::strerror(errno));
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    fs::remove(key_path, ec);
    throw Error("cannot write key file " + key_path.string());
  }
  return k;
}

std::string client_key_env_var(std::string_view slug) {
  std::string var = "RUMI_CLIENT_KEY_";
  for (char c : slug) var.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return var;
}

std::optional<PackageKey> key_from_env(std::string_view slug, const Workspace& ws) {
  const std::string var = client_key_env_var(slug);
  const char* v = std::getenv(var.c_str());
  if (!v || !*v) return std::nullopt;
  std::string_view value(v);
  if (value.size() == 2 * PackageKey::kBytes && value.find('/') == std::string_view::npos)
    return PackageKey::parse(value, "$" + var);
  return load_key_file(fs::path(value), ws);
}

bool is_encrypted_package(std::string_view bytes) { return bytes.substr(0, kEncryptedMagic.size()) == kEncryptedMagic; }

std::string encrypt_package(std::string_view plain, const PackageKey& key) {
  ensure_sodium();
  std::string out;
  out.reserve(kPrefixBytes + kHeaderBytes + plain.size() + (plain.size() / kChunk + 1) * (kABytes + 4));
  out.append(kEncryptedMagic);
  put_u32(out, kVersion);
  put_u32(out, kSchemeSecretstream);
  out.append(key_id_raw(key.data()));
  const std::string prefix = out;
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char header[kHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key.data());
  out.append(reinterpret_cast<const char*>(header), kHeaderBytes);
  std::size_t pos = 0;
  std::string cipher(kChunk + kABytes, '\0');
  do {
    const std::size_t n = std::min(kChunk, plain.size() - pos);
    const bool last = pos + n == plain.size();
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &st, reinterpret_cast<unsigned char*>(cipher.data()), &clen, u8(plain) + pos, n, u8(prefix), prefix.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    put_u32(out, static_cast<std::uint32_t>(clen));
    out.append(cipher.data(), clen);
    pos += n;
  } while (pos < plain.size());
  sodium_memzero(&st, sizeof st);
  return out;
}

std::string decrypt_package(std::string_view sealed, const PackageKey& key, std::string_view file) {
  ensure_sodium();
  const std::string where(file);
  auto tampered = [&](const std::string& why) {
    return InputError(where + ": encrypted package is corrupted or was tampered with (" + why + ")");
  };
  if (!is_encrypted_package(sealed)) throw InputError(where + ": not an encrypted rumi package (bad magic bytes)");
  if (sealed.size() < kPrefixBytes + kHeaderBytes) throw tampered("too short");
  if (get_u32(sealed, 8) != kVersion || get_u32(sealed, 12) != kSchemeSecretstream)
    throw InputError(where + ": unsupported encrypted package version or scheme");
  const std::string_view prefix = sealed.substr(0, kPrefixBytes);
  const std::string_view stored_id = sealed.substr(16, kKeyIdBytes);
  if (stored_id != key_id_raw(key.data()))
    throw UsageError("wrong key for " + where + ": the package was encrypted with key id " + to_hex(stored_id) +
                     ", the key given has id " + key.id_hex());
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, u8(sealed) + kPrefixBytes, key.data()) != 0)
    throw tampered("bad stream header");
  std::size_t pos = kPrefixBytes + kHeaderBytes;
  std::string plain;
  std::string chunk(kChunk, '\0');
  bool final_seen = false;
  for (std::size_t index = 0; pos < sealed.size(); ++index) {
    if (final_seen) throw tampered("data after the final chunk");
    if (sealed.size() - pos < 4) throw tampered("truncated chunk length");
    const std::size_t clen = get_u32(sealed, pos);
    pos += 4;
    if (clen < kABytes || clen > kChunk + kABytes || clen > sealed.size() - pos)
      throw tampered("bad length of chunk " + std::to_string(index));
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st, reinterpret_cast<unsigned char*>(chunk.data()), &mlen, &tag,
                                                   u8(sealed) + pos, clen, u8(prefix), prefix.size()) != 0)
      throw tampered("authentication failed at chunk " + std::to_string(index));
    plain.append(chunk.data(), mlen);
    pos += clen;
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }
  sodium_memzero(&st, sizeof st);
  if (!final_seen) throw tampered("truncated: the final chunk is missing");
  return plain;
}

}  // namespace rumi::store
