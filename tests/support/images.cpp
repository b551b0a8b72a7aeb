#include "support/images.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace nongsan::testing {
namespace {

std::uint32_t Crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string BigEndian(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A file in the temp directory that is removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    std::string pattern = (std::filesystem::temp_directory_path() / "nongsan-exif-XXXXXX.jpg").string();
    const int fd = mkstemps(pattern.data(), 4);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }
  std::string Read() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  std::string path_;
};

std::string Run(const std::string& command, int* exit_code) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> chunk{};
  while (std::size_t n = fread(chunk.data(), 1, chunk.size(), pipe)) out.append(chunk.data(), n);
  *exit_code = pclose(pipe);
  return out;
}

}  // namespace

std::string PngHeaderOnly(std::uint32_t width, std::uint32_t height) {
  std::string ihdr = "IHDR" + BigEndian(width) + BigEndian(height) + std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1a\n" + BigEndian(13) + ihdr + BigEndian(Crc32(ihdr));
  const std::string idat = "IDAT" + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  png += BigEndian(8) + idat + BigEndian(Crc32(idat));
  const std::string iend = "IEND";
  return png + BigEndian(0) + iend + BigEndian(Crc32(iend));
}

std::string WithGpsExif(const std::string& jpeg) {
  TempFile file(jpeg);
  int exit_code = 0;
  Run("exiftool -q -overwrite_original -GPSLatitude=21.5942 -GPSLatitudeRef=N -GPSLongitude=105.8482 "
      "-GPSLongitudeRef=E -Make=NongsanTestCam -Model=X1 '" +
          file.path() + "' 2>&1",
      &exit_code);
  if (exit_code != 0)
    throw std::runtime_error("exiftool could not write EXIF (is libimage-exiftool-perl installed?)");
  return file.Read();
}

nlohmann::json ExifGpsAndCamera(const std::string& bytes) {
  TempFile file(bytes);
  int exit_code = 0;
  const std::string out =
      Run("exiftool -n -j -gps:all -Make -Model '" + file.path() + "' 2>/dev/null", &exit_code);
  nlohmann::json parsed = nlohmann::json::parse(out, nullptr, false);
  if (!parsed.is_array() || parsed.size() != 1) throw std::runtime_error("exiftool output: " + out);
  nlohmann::json tags = parsed[0];
  tags.erase("SourceFile");
  return tags;
}

}  // namespace nongsan::testing
