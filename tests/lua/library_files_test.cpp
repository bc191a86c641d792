// The pure parts of libraries: version ranges, content hashes, qtrader.lock.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "file_text.hpp"
#include "library/content_hash.hpp"
#include "library/library_pin.hpp"
#include "library/lock_file.hpp"
#include "library/semver.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

bool in_range(const std::string& range, const std::string& version) {
  const auto r = VersionRange::parse(range);
  const auto v = parse_version(version);
  REQUIRE(r);
  REQUIRE(v);
  return r->contains(*v);
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("libraries: version ranges as npm reads them", "[lua][libraries][semver]") {
  CHECK(in_range("^1.2", "1.2.0"));
  CHECK(in_range("^1.2", "1.9.3"));
  CHECK_FALSE(in_range("^1.2", "2.0.0"));
  CHECK_FALSE(in_range("^1.2", "1.1.9"));
  CHECK(in_range("^0.2.3", "0.2.9"));
  CHECK_FALSE(in_range("^0.2.3", "0.3.0"));
  CHECK_FALSE(in_range("^0.0.3", "0.0.4"));
  CHECK(in_range("~1.2.3", "1.2.9"));
  CHECK_FALSE(in_range("~1.2.3", "1.3.0"));
  CHECK(in_range(">=0.1 <1", "0.1.0"));
  CHECK_FALSE(in_range(">=0.1 <1", "1.0.0"));
  CHECK(in_range("1.x", "1.7.0"));
  CHECK_FALSE(in_range("1.x", "2.0.0"));
  CHECK(in_range("1.2.3", "1.2.3"));
  CHECK_FALSE(in_range("1.2.3", "1.2.4"));
  CHECK(in_range("*", "9.9.9"));
  CHECK(in_range("<1.0.0 || >=3", "3.1.0"));
  CHECK_FALSE(in_range("<1.0.0 || >=3", "2.0.0"));
  CHECK(in_range("<=1.2", "1.2.7"));
  CHECK_FALSE(in_range(">1.2", "1.2.7"));
  CHECK(compare(*parse_version("1.0.0-rc.1"), *parse_version("1.0.0")) < 0);
  CHECK(compare(*parse_version("1.0.0-rc.2"), *parse_version("1.0.0-rc.10")) < 0);
  CHECK_FALSE(parse_version("1.2"));
  CHECK_FALSE(parse_version("01.2.3"));
  std::string why;
  CHECK_FALSE(VersionRange::parse("^banana", &why));
  CHECK(why == "'banana' is not a version (expected MAJOR.MINOR.PATCH, or a prefix of one such as 1.2 or 1.x)");
  const LibraryPin pin = parse_library_pin("mylib@^1.2");
  CHECK(pin.name == "mylib");
  CHECK(pin.range.text() == "^1.2");
  CHECK(parse_library_pin("mylib").range.contains(*parse_version("0.0.1")));
  CHECK_THROWS_WITH(parse_library_pin("MyLib@1"), Catch::Contains("'MyLib' is not a library name"));
}

TEST_CASE("libraries: the content hash covers file names and bytes, not hidden files", "[lua][libraries]") {
  const qtrader::test::TempDir dir("libhash");
  write(dir / "a/qtrader-lib.yaml", "name: a\nversion: 1.0.0\n");
  write(dir / "a/s.lua", "return {}\n");
  const std::string first = library_content_hash((dir / "a").string());
  CHECK(first.size() == 6 + 16);
  CHECK(first.rfind("xxh64:", 0) == 0);
  write(dir / "a/.git/HEAD", "ref: refs/heads/main\n");
  write(dir / "a/.qtrader-install.yaml", "source: x\n");
  CHECK(library_content_hash((dir / "a").string()) == first);
  write(dir / "a/s.lua", "return { }\n");
  const std::string edited = library_content_hash((dir / "a").string());
  CHECK(edited != first);
  std::filesystem::rename(dir / "a/s.lua", dir / "a/t.lua");  // same bytes, another name
  CHECK(library_content_hash((dir / "a").string()) != edited);
}

TEST_CASE("libraries: qtrader.lock is written and read back with lines", "[lua][libraries]") {
  const qtrader::test::TempDir dir("liblock");
  const std::string path = lock_path_for((dir / "bt.yaml").string());
  CHECK(path == (dir / "qtrader.lock").string());
  CHECK_FALSE(read_lock_file(path));
  write_lock_file(path, {{"alpha", "1.0.0", "/src/alpha", "xxh64:0123456789abcdef", {}},
                         {"beta", "2.1.0-rc.1", "file:///r.git@v2", "xxh64:fedcba9876543210", {}}});
  CHECK(qtrader::test::file_text(path) ==
        "# qtrader.lock: written by `qtrader lib lock`. Keep it with the backtest; a run refuses a\n"
        "# library whose content no longer matches its hash (qtrader run --allow-unlocked overrides).\n"
        "libraries:\n"
        "  - name: alpha\n    version: \"1.0.0\"\n    source: \"/src/alpha\"\n    hash: xxh64:0123456789abcdef\n"
        "  - name: beta\n    version: \"2.1.0-rc.1\"\n    source: \"file:///r.git@v2\"\n    hash: xxh64:fedcba9876543210\n");
  const auto back = read_lock_file(path);
  REQUIRE(back);
  REQUIRE(back->size() == 2);
  CHECK((*back)[1].name == "beta");
  CHECK((*back)[1].version == "2.1.0-rc.1");
  CHECK((*back)[1].source == "file:///r.git@v2");
  CHECK((*back)[1].hash == "xxh64:fedcba9876543210");
  CHECK((*back)[1].where.line == 8);
}
