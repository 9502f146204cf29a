// What a checkpoint path may name: writers, set-aside and the command line's check act on the real
// file behind symbolic links, refuse anything that is not a regular file, and refuse to continue a
// file with several hard links. Nothing refused is changed.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "hpo/store/checkpoint_path.hpp"
#include "hpo/store/set_aside.hpp"
#include "test_checkpoint_support.hpp"

using namespace checkpoint_test;
using hpo::CheckpointError;
using hpo::CheckpointWriter;

namespace {

// Special files in `dir`: a directory, a FIFO, and a character device (the same device as /dev/null,
// made with mknod where this process may; the real /dev/null is never touched).
std::vector<std::pair<fs::path, std::string>> special_files(const TempDir& dir) {
    std::vector<std::pair<fs::path, std::string>> out;
    fs::create_directory(dir / "directory.h5");
    out.emplace_back(dir / "directory.h5", "is a directory");
    REQUIRE(::mkfifo((dir / "fifo.h5").c_str(), 0644) == 0);
    out.emplace_back(dir / "fifo.h5", "is a FIFO");
    if (::mknod((dir / "null.h5").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0)
        out.emplace_back(dir / "null.h5", "is a character device");
    else
        WARN("mknod not permitted here: the character device case is not tested");
    return out;
}

struct Identity {
    ::dev_t dev;
    ::ino_t ino;
    ::mode_t mode;
    bool operator==(const Identity&) const = default;
};

Identity identity(const fs::path& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return {st.st_dev, st.st_ino, st.st_mode};
}

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("only a regular file is ever created over, replaced, set aside or resumed") {
    TempDir dir;
    auto specials = special_files(dir);
    // The same special files behind symbolic links.
    const std::size_t direct = specials.size();
    for (std::size_t i = 0; i < direct; ++i) {
        const fs::path link = dir / ("link-" + specials[i].first.filename().string());
        fs::create_symlink(specials[i].first.filename(), link);
        specials.emplace_back(link, specials[i].second);
    }
    const std::size_t before = entries(dir.path());
    for (const auto& [path, kind] : specials) {
        INFO(path);
        const Identity was = identity(path);
        const std::string name = "'" + path.string() + "'";
        auto refused = [&](const char* what, auto&& call) {
            INFO(what);
            try {
                call();
                FAIL(what << " accepted it");
            } catch (const CheckpointError& e) {
                CHECK_THAT(e.what(), Catch::Contains(name) && Catch::Contains(kind) &&
                                         Catch::Contains("not a regular file"));
            }
        };
        refused("create", [&] { CheckpointWriter::create(path, sample_options()); });
        refused("replace", [&] { CheckpointWriter::create(path, sample_options(), CheckpointWriter::IfExists::replace); });
        refused("open_for_append", [&] { CheckpointWriter::open_for_append(path); });
        refused("load_checkpoint", [&] { hpo::load_checkpoint(path); });
        refused("set_aside_checkpoint", [&] { hpo::set_aside_checkpoint(path); });
        refused("check_checkpoint_path", [&] { hpo::check_checkpoint_path(path); });
        CHECK(identity(path) == was);
        CHECK(entries(dir.path()) == before);  // no lock file, no temporary, nothing set aside
    }
    // A regular file, and nothing at all, pass the command line's check.
    CHECK_NOTHROW(hpo::check_checkpoint_path(dir / "missing.h5"));
    write_bytes(dir / "file.h5", "x");
    CHECK_NOTHROW(hpo::check_checkpoint_path(dir / "file.h5"));
}

TEST_CASE("through a symbolic link, the linked file is written and locked; the link stays") {
    TempDir dir;
    fs::create_directory(dir / "data");
    const fs::path real = dir / "data" / "real.h5";
    const fs::path link = dir / "link.h5";
    fs::create_symlink("data/real.h5", link);  // dangling until the run creates its target

    auto writer = CheckpointWriter::create(link, sample_options());
    CHECK(fs::is_symlink(link));
    CHECK(fs::is_regular_file(real));
    writer.append(sample_trials(0, 3));
    writer.flush();
    // A second writer, through either name, sees the first one's lock.
    CHECK_THROWS_WITH(CheckpointWriter::open_for_append(real), Catch::Contains("in use by another writer"));
    CHECK_THROWS_WITH(CheckpointWriter::open_for_append(link), Catch::Contains("in use by another writer"));
    CHECK_THROWS_WITH(CheckpointWriter::create(real, sample_options(), CheckpointWriter::IfExists::replace),
                      Catch::Contains("in use by another writer"));
    CHECK_THROWS_WITH(hpo::set_aside_checkpoint(link), Catch::Contains("in use by another writer"));
    writer.close();

    // A resume with a larger budget rewrites the file (a new file renamed into place): the target
    // is replaced, the link still points to it.
    auto options = sample_options();
    std::get<hpo::RandomOptions>(options.strategy).evals += 10;
    const Identity old_target = identity(real);
    {
        auto resumed = CheckpointWriter::open_for_append(link, &options);
        resumed.append(sample_trial(3));
        resumed.close();
    }
    CHECK(fs::is_symlink(link));
    CHECK(fs::read_symlink(link) == "data/real.h5");
    CHECK_FALSE(identity(real) == old_target);
    check_same_trials(hpo::load_checkpoint(real).trials, sample_trials(0, 4));
    check_same_options(hpo::load_checkpoint(real).options, options);

    // Set aside through the link: the file moves beside itself, the link stays (now dangling).
    const fs::path kept = hpo::set_aside_checkpoint(link);
    CHECK(kept == dir / "data" / "real.1.h5");
    CHECK(fs::is_symlink(link));
    CHECK_FALSE(fs::exists(real));
    check_same_trials(hpo::load_checkpoint(kept).trials, sample_trials(0, 4));
    CHECK(entries(dir.path()) == 2);  // data/ and the link: no lock file left behind
}

TEST_CASE("a checkpoint with several hard links is not continued") {
    TempDir dir;
    const fs::path path = dir / "run.h5";
    {
        auto writer = CheckpointWriter::create(path, sample_options());
        writer.append(sample_trials(0, 2));
        writer.close();
    }
    fs::create_hard_link(path, dir / "other-name.h5");
    const std::string before = file_bytes(path);
    for (const fs::path& name : {path, dir / "other-name.h5"}) {
        CHECK_THROWS_WITH(CheckpointWriter::open_for_append(name),
                          Catch::Contains("'" + name.string() + "'") && Catch::Contains("hard links"));
    }
    CHECK(file_bytes(path) == before);
    CHECK(entries(dir.path()) == 2);
    // Reading is fine, and so is one name again.
    CHECK(hpo::load_checkpoint(dir / "other-name.h5").trials.size() == 2);
    fs::remove(dir / "other-name.h5");
    CheckpointWriter::open_for_append(path).close();
}
