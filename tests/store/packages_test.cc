// Report packages: container round trip, encryption, wrong key, tampering, path traversal.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>

#include "core/error.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "core/sha256.h"
#include "store/package_crypto.h"
#include "store/packages.h"
#include "support/test_support.h"

namespace rumi::store {
namespace {
namespace fs = std::filesystem;

std::string random_bytes(std::size_t n, std::uint64_t seed) {
  auto rng = make_rng(seed, "package-test");
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(uniform_index(rng, 256));
  return s;
}

std::vector<PackageEntry> sample_entries() {
  return {{"reports/2025-07-01/summary.md", "# Summary\nwinners use text overlays\n"},
          {"bucket_0-15s/patterns_0-15s.json", "[{\"feature\": \"x\"}]\n"},
          {"bucket_0-15s/model_0-15s.json", random_bytes(200 * 1024, 1)},  // spans several chunks
          {"acquisition/selection.json", "{}"},
          {"reports/2025-07-01/empty.txt", ""}};
}

// Builds a container by hand, bypassing build_package's checks, to feed hostile manifests.
std::string raw_package(const Json& manifest, std::string_view payload) {
  std::string out(kPackageMagic);
  auto put = [&](std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  const std::string m = manifest.dump();
  put(1, 4);
  put(m.size(), 8);
  out += m;
  out += payload;
  const std::string hex = sha256_hex(out);
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

template <class E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input) << e.what();
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(Package, PlainRoundTripIsExactAndDeterministic) {
  const auto entries = sample_entries();
  const Json meta{{"client", "acme"}, {"hashtag", "nutrition"}, {"created_at", "2025-07-01T00:00:00Z"}};
  const std::string bytes = build_package(meta, entries);
  EXPECT_EQ(bytes, build_package(meta, entries));
  EXPECT_TRUE(is_plain_package(bytes));
  Package pkg = parse_package(bytes, "p.rpkg");
  ASSERT_EQ(pkg.entries.size(), entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(pkg.entries[i].path, entries[i].path);
    EXPECT_EQ(pkg.entries[i].data, entries[i].data);
    EXPECT_EQ(pkg.manifest["files"][i]["sha256"], sha256_hex(entries[i].data));
  }
  EXPECT_EQ(pkg.manifest["hashtag"], "nutrition");

  test::TempDir dir;
  auto written = extract_package(pkg, dir / "out");
  ASSERT_EQ(written.size(), entries.size());
  EXPECT_EQ(read_file(dir / "out/bucket_0-15s/model_0-15s.json"), entries[2].data);
}

TEST(Package, EveryFlippedByteOfAPlainPackageIsDetected) {
  const std::string bytes = build_package(Json::object(), {{"a.txt", "hello"}, {"b/c.txt", "world"}});
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_THROW(parse_package(bad, "p"), InputError) << "byte " << i;
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{7}, std::size_t{30}, bytes.size() - 1})
    EXPECT_THROW(parse_package(bytes.substr(0, n), "p"), InputError) << "truncated to " << n;
}

TEST(Package, TamperedFileContentNamesTheEntry) {
  // Content changed *and* the trailer recomputed (a deliberate forger): the per-file hash still catches it.
  Json manifest{{"format", "rumi-package"},
                {"format_version", 1},
                {"files", {{{"path", "a.txt"}, {"size", 5}, {"sha256", sha256_hex("hello")}}}}};
  const std::string msg = error_of<InputError>([&] { parse_package(raw_package(manifest, "HELLO"), "p.rpkg"); });
  EXPECT_NE(msg.find("tampered"), std::string::npos) << msg;
  EXPECT_NE(msg.find("a.txt"), std::string::npos) << msg;
}

TEST(Package, PathTraversalEntriesAreRefused) {
  for (const std::string& path : std::vector<std::string>{"../evil.txt", "a/../../evil.txt", "/etc/passwd", "a//b",
                                                          "./a", "a/.", "a\\b", std::string("a\0b", 3), "C:/x", ""}) {
    Json manifest{{"format", "rumi-package"},
                  {"format_version", 1},
                  {"files", {{{"path", path}, {"size", 1}, {"sha256", sha256_hex("x")}}}}};
    const std::string msg = error_of<InputError>([&] { parse_package(raw_package(manifest, "x"), "p.rpkg"); });
    EXPECT_NE(msg.find("path"), std::string::npos) << msg;
    EXPECT_THROW(build_package(Json::object(), {{path, "x"}}), InputError) << path;
  }
}

TEST(Package, HostileManifestsAreRejectedCleanly) {
  const std::vector<Json> manifests = {
      Json::array(),
      Json{{"format", "rumi-package"}},
      Json{{"format", "rumi-package"}, {"files", {{{"path", "a"}, {"size", -1}, {"sha256", "x"}}}}},
      Json{{"format", "rumi-package"}, {"files", {{{"path", "a"}, {"size", 1000}, {"sha256", "x"}}}}},
      Json{{"format", "rumi-package"},
           {"files",
            {{{"path", "a"}, {"size", 1}, {"sha256", sha256_hex("x")}},
             {{"path", "a"}, {"size", 0}, {"sha256", sha256_hex("")}}}}},
      Json{{"format", "rumi-package"}, {"files", Json::array()}},  // payload bytes left over
  };
  for (const auto& m : manifests) EXPECT_THROW(parse_package(raw_package(m, "x"), "p"), InputError) << m.dump();
  EXPECT_THROW(parse_package("not a package at all", "p"), InputError);
}

TEST(Package, ExtractRefusesToWriteThroughSymlinks) {
  test::TempDir dir;
  fs::create_directories(dir / "out");
  fs::create_directories(dir / "elsewhere");
  fs::create_directory_symlink(dir / "elsewhere", dir / "out/reports");
  Package pkg = parse_package(build_package(Json::object(), {{"reports/x.md", "x"}}), "p");
  EXPECT_THROW(extract_package(pkg, dir / "out"), UsageError);
  EXPECT_FALSE(fs::exists(dir / "elsewhere/x.md"));
}

TEST(Package, CollectsOnlyDeliverablesAndNoSymlinks) {
  test::TempDir dir;
  const fs::path h = dir / "MLAnalysis/acme/nutrition";
  for (const char* f :
       {"reports/2025-07-01/guide.md", "reports/2025-07-02/pdf/guide.pdf", "reports/2025-07-02/analyst_appendix.md",
        "bucket_0-15s/patterns_0-15s.json", "bucket_0-15s/model_0-15s.json", "bucket_0-15s/performance_metrics.json",
        "bucket_0-15s/features.csv", "bucket_0-15s/videos/1_analysis.json", "acquisition/selection.json",
        "acquisition/raw/r1.jsonl", "checkpoints/progress.json"}) {
    fs::create_directories((h / f).parent_path());
    write_file_atomic(h / f, "x");
  }
  fs::create_directories(dir / "other");
  write_file_atomic(dir / "other/secret.json", "other client");
  fs::create_symlink(dir / "other/secret.json", h / "bucket_0-15s/patterns_evil.json");
  fs::create_directory_symlink(dir / "other", h / "reports/linked");
  const std::vector<std::string> internal = {
      "acquisition/selection.json",       "bucket_0-15s/model_0-15s.json",
      "bucket_0-15s/patterns_0-15s.json", "bucket_0-15s/performance_metrics.json",
      "reports/2025-07-01/guide.md",      "reports/2025-07-02/analyst_appendix.md",
      "reports/2025-07-02/pdf/guide.pdf"};
  EXPECT_EQ(collect_export_files(h, PackageScope::internal), internal);
  // A client package holds reports only: no model, raw patterns, metrics, selection or the
  // analyst appendix (decision-tree rules of the model), seed section 7.3.
  const std::vector<std::string> client = {"reports/2025-07-01/guide.md", "reports/2025-07-02/pdf/guide.pdf"};
  EXPECT_EQ(collect_export_files(h, PackageScope::client), client);
  EXPECT_EQ(package_scope_name(PackageScope::client), "client");
  EXPECT_EQ(package_scope_name(PackageScope::internal), "internal");
}

TEST(PackageCrypto, EncryptDecryptRoundTrip) {
  const PackageKey key = PackageKey::generate();
  const std::string plain = build_package(Json::object(), sample_entries());
  const std::string sealed = encrypt_package(plain, key);
  EXPECT_TRUE(is_encrypted_package(sealed));
  EXPECT_FALSE(is_plain_package(sealed));
  EXPECT_EQ(sealed.find("winners use text overlays"), std::string::npos);
  EXPECT_EQ(decrypt_package(sealed, key, "p"), plain);
  EXPECT_EQ(decrypt_package(encrypt_package("", key), key, "p"), "");
  // Same key text parsed back gives the same key.
  EXPECT_EQ(decrypt_package(sealed, PackageKey::parse(key.file_text(), "k"), "p"), plain);
}

TEST(PackageCrypto, WrongKeyIsReportedAsSuch) {
  const PackageKey key = PackageKey::generate();
  const PackageKey other = PackageKey::generate();
  const std::string sealed = encrypt_package("secret report", key);
  const std::string msg = error_of<UsageError>([&] { decrypt_package(sealed, other, "p.rpkg"); });
  EXPECT_NE(msg.find("wrong key"), std::string::npos) << msg;
  EXPECT_NE(msg.find(key.id_hex()), std::string::npos) << msg;
}

TEST(PackageCrypto, TamperingAnywhereIsDetected) {
  const PackageKey key = PackageKey::generate();
  const std::string sealed = encrypt_package(random_bytes(70 * 1024, 2), key);  // two chunks
  // Flip bytes across the header, both chunks and the lengths (key-id bytes 16..23 report "wrong key").
  for (std::size_t i = 0; i < sealed.size(); i += (i < 200 ? 1 : 997)) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x80);
    EXPECT_THROW(decrypt_package(bad, key, "p"), Error) << "byte " << i;
  }
  std::string flipped = sealed;
  flipped[sealed.size() - 10] ^= 0x01;
  const std::string msg = error_of<InputError>([&] { decrypt_package(flipped, key, "p.rpkg"); });
  EXPECT_NE(msg.find("tampered"), std::string::npos) << msg;
  // Truncation at a chunk boundary (final chunk dropped) and appended data.
  const std::size_t first_chunk_end = 48 + 4 + 64 * 1024 + 17;
  EXPECT_THROW(decrypt_package(sealed.substr(0, first_chunk_end), key, "p"), InputError);
  EXPECT_THROW(decrypt_package(sealed + "x", key, "p"), InputError);
  EXPECT_THROW(decrypt_package(sealed.substr(0, 30), key, "p"), InputError);
}

TEST(PackageCrypto, KeyFilesLiveOutsideTheWorkspace) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  fs::create_directories(ws.root());
  EXPECT_THROW(write_new_key_file(ws.root() / "keys/acme.key", ws), UsageError);
  EXPECT_THROW(write_new_key_file(dir / "ws/../ws/acme.key", ws), UsageError);
  EXPECT_FALSE(fs::exists(ws.root() / "keys"));

  const PackageKey k = write_new_key_file(dir / "keys/acme.key", ws);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "keys/acme.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(load_key_file(dir / "keys/acme.key", ws).id_hex(), k.id_hex());
  EXPECT_THROW(write_new_key_file(dir / "keys/acme.key", ws), UsageError);  // never overwritten

  // A symlink from outside into the workspace is still inside.
  write_file_atomic(ws.root() / "planted.key", k.file_text());
  fs::create_symlink(ws.root() / "planted.key", dir / "link.key");
  EXPECT_THROW(load_key_file(dir / "link.key", ws), UsageError);

  write_file_atomic(dir / "bad.key", "rumi-package-key v1\nnothex\n");
  EXPECT_THROW(load_key_file(dir / "bad.key", ws), UsageError);
  EXPECT_THROW(load_key_file(dir / "missing.key", ws), UsageError);
}

TEST(PackageCrypto, ClientKeyFromEnvironment) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  EXPECT_EQ(client_key_env_var("stateside-grower"), "RUMI_CLIENT_KEY_STATESIDE_GROWER");
  ::unsetenv("RUMI_CLIENT_KEY_ACME");
  EXPECT_FALSE(key_from_env("acme", ws).has_value());
  const PackageKey k = write_new_key_file(dir / "acme.key", ws);
  ::setenv("RUMI_CLIENT_KEY_ACME", (dir / "acme.key").c_str(), 1);
  EXPECT_EQ(key_from_env("acme", ws)->id_hex(), k.id_hex());
  const std::string text = k.file_text();
  ::setenv("RUMI_CLIENT_KEY_ACME", text.substr(text.find('\n') + 1, 64).c_str(), 1);
  EXPECT_EQ(key_from_env("acme", ws)->id_hex(), k.id_hex());
  ::unsetenv("RUMI_CLIENT_KEY_ACME");
}

}  // namespace
}  // namespace rumi::store
